//! Extraction quality on the two third-party suites in `../shared/eval`
//! (skipped with a message when `../shared` is absent): trafilatura's 884
//! evaluation pages in many languages (bar: F1 ≥ 0.93) and scrapinghub's
//! 181-page article-extraction benchmark (bar: F1 ≥ 0.96). Neither suite
//! fed any rule, list or threshold of hark's cleaner.
//!
//! `cargo test --release --test extraction_suites -- --nocapture` prints
//! P/R/F1 and the pages that lose most.

/// What hark reaches today (the bars are 0.93 and 0.96).
const FLOOR_TRAFILATURA: f64 = 0.905;
const FLOOR_SCRAPINGHUB: f64 = 0.96;

mod common;
use common::extraction::*;
use rayon::prelude::*;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval"));
    p.is_dir().then_some(p)
}

#[test]
fn trafilatura_884_pages() {
    let Some(dir) = shared().map(|d| d.join("extraction_trafilatura")) else {
        eprintln!("skipped: ../shared/eval/extraction_trafilatura is not here");
        return;
    };
    let pages = trafilatura_pages(&dir);
    let scored: Vec<(String, Counts)> = pages
        .par_iter()
        .map(|(file, url, with, without)| {
            let bytes = gunzip(&dir.join("html").join(file));
            let name = file.trim_end_matches(".gz");
            let (text, _) = hark_text(name, &bytes);
            let _ = url;
            (file.clone(), snippet_score(&text, with, without))
        })
        .collect();
    let mut total = Counts::default();
    let mut halves: std::collections::BTreeMap<&str, Counts> = Default::default();
    for (f, c) in &scored {
        total.add(*c);
        halves.entry(half(f)).or_default().add(*c);
    }
    for (h, c) in &halves {
        println!(
            "  {h} half: precision {:.3} recall {:.3} F1 {:.3}",
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    if let Ok(show) = std::env::var("HARK_SHOW") {
        for ((file, _, with, without), (_, c)) in pages.iter().zip(&scored) {
            if half(file) != show || c.fneg + c.fp == 0 {
                continue;
            }
            let bytes = gunzip(&dir.join("html").join(file));
            let (text, _) = hark_text(file.trim_end_matches(".gz"), &bytes);
            let t = trafilatura_normalize(&text);
            println!("== {file} ({} words)", text.split_whitespace().count());
            for w in with.iter().filter(|w| !t.contains(&trafilatura_normalize(w))) {
                println!("   missing: {w}");
            }
            for w in without.iter().filter(|w| t.contains(&trafilatura_normalize(w))) {
                println!("   kept:    {w}");
            }
        }
    }
    let mut worst: Vec<&(String, Counts)> = scored.iter().filter(|(_, c)| c.fneg + c.fp > 0).collect();
    worst.sort_by_key(|(_, c)| std::cmp::Reverse(c.fneg + c.fp));
    for (f, c) in worst.iter().take(25) {
        println!(
            "  {f}: missing {} of {}, furniture kept {}",
            c.fneg,
            c.fneg + c.tp,
            c.fp
        );
    }
    println!(
        "trafilatura suite, {} pages: precision {:.3} recall {:.3} F1 {:.3} accuracy {:.3} (trafilatura 2.3.1: F1 0.922)",
        pages.len(),
        total.precision(),
        total.recall(),
        total.f1(),
        total.accuracy()
    );
    // The bar is 0.93; this floor guards what is reached so far.
    assert!(
        total.f1() >= FLOOR_TRAFILATURA,
        "F1 {:.3} below {FLOOR_TRAFILATURA}",
        total.f1()
    );
}

#[test]
fn scrapinghub_181_pages() {
    let Some(dir) = shared().map(|d| d.join("extraction")) else {
        eprintln!("skipped: ../shared/eval/extraction is not here");
        return;
    };
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).unwrap()).unwrap();
    let ids: Vec<(&String, &serde_json::Value)> = truth.as_object().unwrap().iter().collect();
    let scores: Vec<(String, f64, f64)> = ids
        .par_iter()
        .map(|(id, v)| {
            let bytes = gunzip(&dir.join("html").join(format!("{id}.html.gz")));
            let (text, title) = hark_text(&format!("{id}.html"), &bytes);
            let body = body_without_title(&text, title.as_deref());
            let (p, r) = shingle_score(&body, v["articleBody"].as_str().unwrap_or(""));
            (id.to_string(), p, r)
        })
        .collect();
    for h in ["dev", "held-out"] {
        let part: Vec<&(String, f64, f64)> = scores.iter().filter(|s| half(&s.0) == h).collect();
        let n = part.len() as f64;
        let (p, r) = (
            part.iter().map(|s| s.1).sum::<f64>() / n,
            part.iter().map(|s| s.2).sum::<f64>() / n,
        );
        println!(
            "  {h} half: precision {p:.3} recall {r:.3} F1 {:.3}",
            2.0 * p * r / (p + r)
        );
    }
    let n = scores.len() as f64;
    let (p, r) = (
        scores.iter().map(|s| s.1).sum::<f64>() / n,
        scores.iter().map(|s| s.2).sum::<f64>() / n,
    );
    let f1 = 2.0 * p * r / (p + r);
    let mut worst: Vec<&(String, f64, f64)> = scores.iter().collect();
    worst.sort_by(|a, b| (a.1 + a.2).total_cmp(&(b.1 + b.2)));
    for (id, p, r) in worst.iter().take(15) {
        println!("  {id}: precision {p:.2} recall {r:.2}");
    }
    println!(
        "article-extraction-benchmark, {} pages: precision {p:.3} recall {r:.3} F1 {f1:.3} (trafilatura 0.958–0.960)",
        scores.len()
    );
    assert!(f1 >= FLOOR_SCRAPINGHUB, "F1 {f1:.3} below {FLOOR_SCRAPINGHUB}");
}
