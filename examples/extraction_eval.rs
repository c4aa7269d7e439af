//! Extraction benchmark: run hark's HTML path (dom_smoothie + hark's
//! cleaner) on the 181 pages of scrapinghub's article-extraction-benchmark
//! and score it as that benchmark does: tokens are `\w+` runs, bodies become
//! multisets of 4-token shingles, per-page precision and recall are averaged
//! over pages, and F1 is taken from the two means.
//!
//! Run: `cargo run --release --example extraction_eval -- ../shared/eval/extraction`

use flate2::read::GzDecoder;
use std::collections::HashMap;
use std::io::Read;
use std::time::Instant;

fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let re = regex::Regex::new(r"\w+").unwrap();
    let toks: Vec<String> = re.find_iter(text).map(|m| m.as_str().to_lowercase()).collect();
    let mut out = HashMap::new();
    if toks.len() < 4 {
        if !toks.is_empty() {
            *out.entry(toks).or_insert(0) += 1;
        }
        return out;
    }
    for w in toks.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// (precision, recall) of one page, as the benchmark defines them.
fn score(pred: &str, truth: &str) -> (f64, f64) {
    let (p, t) = (shingles(pred), shingles(truth));
    let tp: usize = p.iter().map(|(k, n)| (*n).min(*t.get(k).unwrap_or(&0))).sum();
    let np: usize = p.values().sum();
    let nt: usize = t.values().sum();
    let fp = np - tp;
    let fneg = nt - tp;
    let prec = if tp + fp == 0 {
        if nt == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let rec = if tp + fneg == 0 {
        1.0
    } else {
        tp as f64 / (tp + fneg) as f64
    };
    (prec, rec)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval/extraction".into());
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/ground-truth.json")).expect("ground-truth.json"))
            .unwrap();
    let mut pages = Vec::new();
    for (id, v) in truth.as_object().unwrap() {
        let mut gz = GzDecoder::new(std::fs::File::open(format!("{dir}/html/{id}.html.gz")).expect("page"));
        let mut bytes = Vec::new();
        gz.read_to_end(&mut bytes).unwrap();
        let source = hark::Source::Bytes {
            name: format!("{id}.html"),
            bytes: bytes.clone(),
        };
        let html = match hark::read_text(source, None) {
            Ok(t) => t,
            Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
        };
        pages.push((id.clone(), html, v["articleBody"].as_str().unwrap_or("").to_string()));
    }
    let total_bytes: usize = pages.iter().map(|p| p.1.len()).sum();
    let (mut sp, mut sr, mut sp_raw, mut sr_raw) = (0.0, 0.0, 0.0, 0.0);
    let started = Instant::now();
    let mut failures = 0;
    for (_, html, body) in &pages {
        let (hark_text, raw_text) = match hark::eval::extract_blocks(html) {
            Ok((title, blocks)) => {
                let raw_text = blocks.join("\n");
                let doc = hark::eval::clean_html(html, "page").unwrap_or_default();
                // The benchmark's body excludes the headline.
                let paras: Vec<&str> = doc
                    .paragraphs
                    .iter()
                    .map(|p| p.text.as_str())
                    .filter(|p| Some(*p) != title.as_deref())
                    .collect();
                (paras.join("\n"), raw_text)
            }
            Err(_) => {
                failures += 1;
                (String::new(), String::new())
            }
        };
        let (p, r) = score(&hark_text, body);
        sp += p;
        sr += r;
        let (p, r) = score(&raw_text, body);
        sp_raw += p;
        sr_raw += r;
    }
    let secs = started.elapsed().as_secs_f64();
    let n = pages.len() as f64;
    let f1 = |p: f64, r: f64| 2.0 * p * r / (p + r);
    let (p, r) = (sp / n, sr / n);
    println!("pages: {} ({} with no article found)", pages.len(), failures);
    println!(
        "hark (dom_smoothie + hark clean): precision {:.3} recall {:.3} F1 {:.3}",
        p,
        r,
        f1(p, r)
    );
    let (p, r) = (sp_raw / n, sr_raw / n);
    println!(
        "dom_smoothie blocks alone:        precision {:.3} recall {:.3} F1 {:.3}",
        p,
        r,
        f1(p, r)
    );
    println!(
        "speed: {:.1} pages/s, {:.2} ms/page, {:.1} MB/s (extraction + scoring of both, one core)",
        n / secs,
        secs * 1000.0 / n,
        total_bytes as f64 / secs / 1e6
    );
}
