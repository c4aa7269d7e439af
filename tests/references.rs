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
