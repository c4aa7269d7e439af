//! Library example: clean a seed article and select a highlighted quote.
//! Run: `cargo run --example select_quote`

fn main() -> hark::Result<()> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/001_4b6f62f767aa35ac.txt");
    let article = hark::Article::read(path, &hark::ReadOptions::default())?;
    println!("title: {:?}", article.document().meta.title);
    println!(
        "{} paragraphs kept, {} blocks removed",
        article.document().paragraphs.len(),
        article.removed().len()
    );
    let selection = article.select(&[hark::segment::Selector::Quote {
        text: "we have warned publically".into(),
        exact: false,
    }])?;
    for p in selection.passages {
        println!("{:?}: {}", p.sentences, p.text);
    }
    Ok(())
}
