//! Held-out evaluation of the de-spinner: tables built without some texts,
//! then measured on those texts.
//!
//! ```sh
//! python3 scripts/despin_tables.py --holdout 2 --out /tmp/despin-ho
//! cargo run --release --example despin_eval -- /tmp/despin-ho ../shared
//! ```
//! Prints the changes made to held-out clean article bodies (every one is
//! damage) and the recall on held-out tortured phrases in carrier sentences.

use hark::clean::despin::{despin_text, DespinMode, Tables};

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
            for p in body.lines().filter(|l| !l.trim().is_empty()) {
                let (edits, _, w) = despin_text(p, &tables, mode);
                words += w;
                for e in &edits {
                    if mode == DespinMode::Safe {
                        println!("  {:?} → {:?}", e.before, e.after);
                    }
                }
                changes += edits.len();
            }
        }
        println!(
            "{mode:?}: held-out bodies: {changes} changes in {words} words = {:.2} per 2,000 words",
            2000.0 * changes as f64 / words as f64
        );
        let phrases: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(shared.join("eval/despin/tortured_phrases.json")).unwrap())
                .unwrap();
        let common = |s: &str| {
            let w: Vec<&str> = s.split_whitespace().collect();
            !w.is_empty()
                && w.len() <= 3
                && w.iter()
                    .all(|w| w.chars().all(|c| c.is_ascii_lowercase()) && tables.zipf(w).is_some_and(|z| z >= 3.5))
        };
        let list = phrases["phrases"].as_array().unwrap();
        let (mut total, mut hits) = (0, 0);
        for n in held["tortured"].as_array().unwrap() {
            let p = &list[n.as_u64().unwrap() as usize];
            let (t, c) = (p["tortured"].as_str().unwrap(), p["correct"].as_str().unwrap());
            if !common(t) || !common(c) || t == c {
                continue;
            }
            total += 1;
            let s = format!("Officials discussed the {t} with reporters on Monday.");
            let (edits, _, _) = despin_text(&s, &tables, mode);
            let mut out = s.clone();
            for e in edits.iter().rev() {
                out.replace_range(e.range.clone(), &e.after);
            }
            hits += (out == format!("Officials discussed the {c} with reporters on Monday.")) as usize;
        }
        println!("{mode:?}: held-out tortured phrases: {hits}/{total} repaired");
    }
}
