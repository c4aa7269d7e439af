//! Library example: clean a seed article and select a highlighted quote.
//! Run: `cargo run --example select_quote`

fn main() -> hark::Result<()> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/001_4b6f62f767aa35ac.txt");
    let raw = hark::input::read_source(path)?;
    let decoded = hark::input::decode(&raw, None)?;
    let cleaned = hark::clean::clean(&decoded, &Default::default())?;
    println!("title: {:?}", cleaned.document.meta.title);
    println!(
        "{} paragraphs kept, {} blocks removed",
        cleaned.document.paragraphs.len(),
        cleaned.removed.len()
    );
    let sentences = hark::segment::sentences(&cleaned.document);
    let selection = hark::segment::select(
        &cleaned.document,
        &sentences,
        &[hark::segment::Selector::Quote {
            text: "we have warned publically".into(),
            exact: false,
        }],
    )?;
    for p in selection.passages {
        println!("{:?}: {}", p.sentences, p.text);
    }
    Ok(())
}
