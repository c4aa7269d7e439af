//! The five seed articles through the library's cleaner, compared with the
//! golden clean texts in tests/golden (written by reading each article).

use hark::clean::DespinMode;

mod common;
use common::SEEDS;

#[test]
fn seeds_match_golden() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut failures = Vec::new();
    for seed in SEEDS {
        let input = std::fs::read_to_string(format!("{root}/examples/{seed}.txt")).unwrap();
        let golden = std::fs::read_to_string(format!("{root}/tests/golden/{seed}.clean.txt")).unwrap();
        // Boilerplate removal only: repairs are tested in tests/despin.rs.
        let opts = hark::ReadOptions {
            despin: DespinMode::Off,
            ..Default::default()
        };
        let got = hark::Article::from_bytes(seed, input.as_bytes(), &opts).unwrap().text();
        let want: Vec<&str> = golden.trim().split("\n\n").collect();
        let have: Vec<&str> = got.split("\n\n").collect();
        let missing: Vec<&&str> = want.iter().filter(|p| !have.contains(p)).collect();
        let extra: Vec<&&str> = have.iter().filter(|p| !want.contains(p)).collect();
        println!(
            "{seed}: {} paragraphs expected, {} kept, {} missing, {} extra",
            want.len(),
            have.len(),
            missing.len(),
            extra.len()
        );
        if got.trim() != golden.trim() {
            failures.push(format!("{seed}\n  missing: {missing:?}\n  extra: {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
