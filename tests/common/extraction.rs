//! Scorers of the two extraction suites in `../shared/eval`, as their
//! authors count: scrapinghub's article-extraction-benchmark (4-token
//! shingles, per-page precision and recall averaged) and trafilatura's
//! `tests/evaluate.py` (snippets the text must and must not contain).

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

pub fn gunzip(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

/// hark's text for a page: the clean article, or nothing when hark finds none.
pub fn hark_text(name: &str, bytes: &[u8]) -> (String, Option<String>) {
    match hark::Article::from_bytes(name, bytes, &hark::ReadOptions::default()) {
        Ok(a) => (a.text(), a.document().meta.title.clone()),
        Err(_) => (String::new(), None),
    }
}

// --- scrapinghub article-extraction-benchmark ---------------------------

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
pub fn shingle_score(pred: &str, truth: &str) -> (f64, f64) {
    let (p, t) = (shingles(pred), shingles(truth));
    let tp: usize = p.iter().map(|(k, n)| (*n).min(*t.get(k).unwrap_or(&0))).sum();
    let np: usize = p.values().sum();
    let nt: usize = t.values().sum();
    let (fp, fneg) = (np - tp, nt - tp);
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

/// The benchmark's body excludes the headline: hark's text without its
/// title paragraph (read once, at the top).
pub fn body_without_title(text: &str, title: Option<&str>) -> String {
    let mut paras: Vec<&str> = text.split("\n\n").collect();
    if let (Some(t), Some(first)) = (title, paras.first()) {
        if first.trim() == t.trim() {
            paras.remove(0);
        }
    }
    paras.join("\n")
}

// --- trafilatura's evaluation -------------------------------------------

/// trafilatura's normalisation: NFC, straight quotes, no soft hyphens or
/// zero-width characters, whitespace runs as one space.
pub fn trafilatura_normalize(s: &str) -> String {
    let s: String = s
        .nfc()
        .filter(|c| {
            !matches!(
                c,
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' | '′' => '\'',
            '“' | '”' | '„' | '‟' | '″' => '"',
            c => c,
        })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Counts over snippets: (tp, fn, fp, tn).
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fneg: usize,
    pub fp: usize,
    pub tn: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fneg += o.fneg;
        self.fp += o.fp;
        self.tn += o.tn;
    }
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fneg).max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn accuracy(&self) -> f64 {
        (self.tp + self.tn) as f64 / (self.tp + self.tn + self.fp + self.fneg).max(1) as f64
    }
}

/// One page's counts.
pub fn snippet_score(text: &str, with: &[String], without: &[String]) -> Counts {
    let t = trafilatura_normalize(text);
    let mut c = Counts::default();
    for w in with {
        if t.contains(&trafilatura_normalize(w)) {
            c.tp += 1;
        } else {
            c.fneg += 1;
        }
    }
    for w in without {
        if t.contains(&trafilatura_normalize(w)) {
            c.fp += 1;
        } else {
            c.tn += 1;
        }
    }
    c
}

/// The pages of trafilatura's suite: (file name, url, with, without).
pub fn trafilatura_pages(dir: &Path) -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("evaldata.json")).unwrap()).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["html"].as_str().unwrap().to_string(),
                p["url"].as_str().unwrap_or("").to_string(),
                strings(&p["with"]),
                strings(&p["without"]),
            )
        })
        .collect()
}

/// The half of a suite a page belongs to: rules are developed looking at
/// `dev` pages only; `held-out` pages are only measured.
pub fn half(name: &str) -> &'static str {
    let h = name
        .bytes()
        .fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3));
    if h % 2 == 0 {
        "dev"
    } else {
        "held-out"
    }
}
