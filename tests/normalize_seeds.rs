//! The seed articles: every number, date, abbreviation and acronym in them
//! is read as `tests/data/normalization/seeds.tsv` says (a list written by
//! reading the articles), and nothing in their clean text escapes the
//! normalizer (no digit left for the engine to guess at, every capitalised
//! abbreviation and initialism listed).

use hark::frontend::{normalize, Class, NormalizeOptions};
use std::collections::HashSet;

fn seed(prefix: &str) -> (String, String) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let pick = |sub: &str, suffix: &str| {
        let d = format!("{dir}/{sub}");
        let name = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with(prefix) && n.ends_with(suffix))
            .unwrap();
        std::fs::read_to_string(format!("{d}/{name}")).unwrap()
    };
    (pick("data/seeds", ".txt"), pick("golden", ".clean.txt"))
}

#[test]
fn seeds_are_read_as_listed() {
    let list = include_str!("data/normalization/seeds.tsv");
    let rows: Vec<Vec<&str>> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let opts = NormalizeOptions::default();
    let mut problems = Vec::new();
    let mut checked = 0;
    for prefix in ["000", "001", "002", "003", "004"] {
        let (raw, clean) = seed(prefix);
        let raw_tokens = normalize(&raw, &opts).tokens;
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == prefix).collect();
        for r in &mine {
            let (written, spoken) = (r[1], r[2]);
            let hits: Vec<_> = raw_tokens.iter().filter(|t| t.written == written).collect();
            if hits.is_empty() {
                problems.push(format!("{prefix}: {written:?} is not read as one token"));
            }
            for t in hits {
                checked += 1;
                if t.spoken != spoken {
                    problems.push(format!("{prefix}: {written:?} → {:?}, want {spoken:?}", t.spoken));
                }
            }
        }
        // Coverage on what is actually spoken: the clean text.
        let listed: HashSet<&str> = mine.iter().map(|r| r[1]).collect();
        for t in normalize(&clean, &opts).tokens {
            let plain = matches!(t.class, Class::Word | Class::Punct);
            if plain && t.written.bytes().any(|b| b.is_ascii_digit()) {
                problems.push(format!("{prefix}: digits left unread: {:?}", t.written));
            }
            let caps = t.written.len() >= 2 && t.written.chars().all(|c| c.is_ascii_uppercase());
            if (!plain || caps) && !listed.contains(t.written.as_str()) {
                problems.push(format!(
                    "{prefix}: {:?} ({:?} → {:?}) is not in the list",
                    t.written, t.class, t.spoken
                ));
            }
        }
    }
    println!(
        "seed readings checked: {checked} occurrences of {} listed items",
        rows.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
