#![allow(dead_code)]
//! What each fuzz target does with its input, shared by the cargo-fuzz
//! targets (`fuzz/fuzz_targets/`) and the stable smoke run in
//! `tests/robustness.rs`: any input gives a result or an error, never a
//! panic, and the invariants asserted here hold.

use hark::segment::{parse_ranges, Selector};

/// Decoding, HTML extraction (DOM and streaming), cleaning and de-spinning:
/// any bytes, as plain text and as HTML.
pub fn read_article(data: &[u8]) {
    let opts = hark::ReadOptions::default();
    for name in ["input.txt", "input.html"] {
        if let Ok(a) = hark::Article::from_bytes(name, data, &opts) {
            let text = a.text();
            assert!(!text.trim().is_empty(), "an article has text");
            if let Ok(sel) = a.select(&[]) {
                let _ = a.utterances(&sel, &Default::default());
            }
        }
    }
}

/// Sentence splitting and tidying of any text.
pub fn segment(text: &str) {
    for pdf in [false, true] {
        let s = hark::segment::split_sentences(text, &hark::segment::SplitOptions { pdf });
        assert!(s.iter().all(|x| text.contains(x)), "sentences are pieces of the text");
    }
    let _ = hark::segment::tidy(text);
}

/// Range lists, text fragments, patterns and quotes from the first line,
/// applied to an article made from the rest.
pub fn selectors(data: &str) {
    let (spec, body) = data.split_once('\n').unwrap_or((data, ""));
    let mut selectors = Vec::new();
    if let Ok(r) = parse_ranges(spec) {
        selectors.push(Selector::Sentences(r.clone()));
        selectors.push(Selector::Paragraphs(r));
    }
    if let Ok(f) = Selector::fragment(spec) {
        selectors.push(f);
    }
    if spec.len() < 200 {
        if let Ok(g) = Selector::grep(spec) {
            selectors.push(g);
        }
    }
    selectors.push(Selector::Quote {
        text: spec.to_string(),
        exact: false,
    });
    selectors.push(Selector::Quote {
        text: spec.to_string(),
        exact: true,
    });
    let text = if body.trim().is_empty() {
        "The council met on Tuesday to approve the budget. Members said schools would get more money next year."
    } else {
        body
    };
    let opts = hark::ReadOptions {
        despin: hark::clean::DespinMode::Off,
        ..Default::default()
    };
    if let Ok(a) = hark::Article::from_bytes("fuzz.txt", text.as_bytes(), &opts) {
        for s in &selectors {
            if let Ok(sel) = a.select(std::slice::from_ref(s)) {
                let _ = a.utterances(&sel, &Default::default());
            }
        }
    }
}

/// Normalization of any text in every language with tables; token offsets
/// stay on the input's character boundaries.
pub fn normalize(text: &str) {
    for lang in ["en", "de", "fr", "es", "it"] {
        let n = hark::frontend::normalize_in(text, lang, &Default::default());
        for t in &n.tokens {
            assert!(t.start <= t.end && text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }
}

/// The export manifest reader.
pub fn manifest(text: &str) {
    let _ = hark::eval::parse_manifest(text);
}
