//! `--reference`: other versions of the story as evidence for the
//! de-spinner, through the real binary (default features: the tables
//! confirm; `tests/despin.rs` measures recall and damage, also with a model).

mod common;
use common::{hark, SEEDS};

fn example(seed: &str) -> String {
    format!("examples/{seed}.txt")
}

fn repairs(args: &[&str]) -> Vec<serde_json::Value> {
    let o = hark(args, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["repairs"].as_array().unwrap().clone()
}

#[test]
fn the_other_versions_add_confirmed_wording_with_their_names() {
    let (s0, s1, s2, s3, s4) = (
        example(SEEDS[0]),
        example(SEEDS[1]),
        example(SEEDS[2]),
        example(SEEDS[3]),
        example(SEEDS[4]),
    );
    let alone = repairs(&["clean", "--json", "--model", "none", &s0]);
    let with = repairs(&[
        "clean",
        "--json",
        "--model",
        "none",
        &s0,
        "--reference",
        &s1,
        "--reference",
        &s2,
        "--reference",
        &s3,
        "--reference",
        &s4,
    ]);
    let from_refs: Vec<&serde_json::Value> = with.iter().filter(|r| r["evidence"]["rule"] == "reference").collect();
    assert!(!from_refs.is_empty(), "{with:#?}");
    assert_eq!(
        with.len(),
        alone.len() + from_refs.len(),
        "the tables' own repairs stay"
    );
    for r in from_refs {
        let name = r["evidence"]["reference"].as_str().unwrap();
        assert!(SEEDS[1..].iter().any(|s| name.contains(s)), "{r}");
        assert!(r["evidence"]["note"].as_str().unwrap().contains("reference"), "{r}");
    }
    // A clean version against another: nothing from the reference.
    let clean = repairs(&["clean", "--json", "--model", "none", &s1, "--reference", &s2]);
    assert!(clean.iter().all(|r| r["evidence"]["rule"] != "reference"), "{clean:#?}");
}

#[test]
fn a_missing_reference_is_an_input_error() {
    let o = hark(
        &[
            "clean",
            &example(SEEDS[0]),
            "--reference",
            "/nonexistent/other-version.txt",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("other-version.txt"));
}

/// `--cross-reference`: in a batch, the versions of one story serve as
/// each other's references. The spun seed gains the clean versions'
/// confirmed wording, each repair naming its version; the clean versions
/// are not "repaired" into the spun one's words (a text proven spun is no
/// one's reference); an input of another story gets nothing from them.
#[test]
fn versions_in_a_batch_are_each_others_references() {
    let other = tempfile::tempdir().unwrap();
    let unrelated = other.path().join("garden.txt");
    std::fs::write(
        &unrelated,
        "Lemon trees grow well in pots on a sunny balcony, as long as the soil drains freely and the roots never \
         stand in water.\n\nFeed them with a citrus fertilizer from spring to autumn, and bring them indoors before \
         the first frost, to a bright room that stays above ten degrees.\n\nPrune lightly after the harvest to keep \
         the crown open, and watch the undersides of the leaves for scale insects and spider mites.\n",
    )
    .unwrap();
    let mut args = vec!["clean", "--json", "--model", "none", "--cross-reference"];
    let seeds: Vec<String> = SEEDS.iter().map(|s| example(s)).collect();
    args.extend(seeds.iter().map(String::as_str));
    args.push(unrelated.to_str().unwrap());
    let o = hark(&args, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs: Vec<serde_json::Value> = o
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 6, "one record per input, in order");
    let from_refs = |d: &serde_json::Value| -> Vec<serde_json::Value> {
        d["repairs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["evidence"]["rule"] == "reference")
            .cloned()
            .collect()
    };
    let spun = from_refs(&docs[0]);
    assert!(!spun.is_empty(), "{:#?}", docs[0]["repairs"]);
    for r in &spun {
        let name = r["evidence"]["reference"].as_str().unwrap();
        assert!(SEEDS[1..].iter().any(|s| name.contains(s)), "{r}");
    }
    for d in &docs[1..] {
        assert!(from_refs(d).is_empty(), "{}: {:#?}", d["source"], d["repairs"]);
    }
    // Without the flag the batch reads each input alone.
    let mut alone = args.clone();
    alone.retain(|a| *a != "--cross-reference");
    let o = hark(&alone, None);
    let first: serde_json::Value = serde_json::from_slice(o.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert!(from_refs(&first).is_empty());
}

/// `export --cross-reference` speaks the repaired wording: the subtitles
/// of the spun seed's sentence carry its clean versions' words.
#[test]
fn export_speaks_what_the_versions_confirmed() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let seeds: Vec<String> = SEEDS.iter().map(|s| example(s)).collect();
    let mut args = vec![
        "export",
        "--cross-reference",
        "--model",
        "none",
        "--quote",
        "Watson stated on Monday",
        "--subtitles",
        "srt",
        "-o",
        dir,
    ];
    args.extend(seeds.iter().map(String::as_str));
    let o = hark(&args, None);
    // The quote is the spun seed's wording: the other versions match nothing
    // (exit 1, each reported) and the spun one is exported.
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let srt = std::fs::read_to_string(out.path().join(format!("{}.srt", SEEDS[0]))).unwrap();
    assert!(srt.contains("public commitments"), "{srt}");
    assert!(!srt.contains("dedications"), "{srt}");
}
