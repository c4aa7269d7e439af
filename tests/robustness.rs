//! A stable-toolchain smoke run of the fuzz targets (`fuzz/bodies.rs`):
//! proptest feeds each parser random and mutated inputs — arbitrary bytes,
//! seed articles and HTML pages with bytes flipped, cut or spliced — and
//! each must return a result or an error, never panic. The real fuzzing
//! (`cargo fuzz run TARGET`, nightly) runs the same bodies for minutes; the
//! crashes it found are the regression cases at the end.

use proptest::prelude::*;

#[path = "../fuzz/bodies.rs"]
mod bodies;

fn seeds() -> Vec<Vec<u8>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut v: Vec<Vec<u8>> = std::fs::read_dir(format!("{root}/examples"))
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then(|| std::fs::read(p).unwrap())
        })
        .collect();
    v.push(
        b"<!doctype html><html lang=de><head><meta charset=iso-8859-1><title>T</title></head><body><nav>Home</nav><article><p>Der Rat hat am Dienstag den Haushalt f\xfcr 2024 beschlossen, 3.500 Euro mehr f\xfcr Schulen.</p><p><mark>Die Stra\xdfen</mark> werden saniert.</p></article></body></html>"
            .to_vec(),
    );
    v
}

/// A seed with some bytes replaced, a piece cut out and a piece repeated.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let n = seeds().len();
    (
        0..n,
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..12),
        any::<(usize, usize)>(),
    )
        .prop_map(|(i, flips, (cut, dup))| {
            let mut b = seeds()[i].clone();
            for (at, byte) in flips {
                if !b.is_empty() {
                    let at = at % b.len();
                    b[at] = byte;
                }
            }
            if b.len() > 10 {
                let c = cut % b.len();
                b.drain(c..(c + 40).min(b.len()));
                let d = dup % b.len();
                let piece = b[d..(d + 30).min(b.len())].to_vec();
                b.splice(d..d, piece);
            }
            b
        })
}

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn read_article_random_bytes(data in prop::collection::vec(any::<u8>(), 0..2000)) {
        bodies::read_article(&data);
    }

    #[test]
    fn read_article_mutated_seeds(data in mutated()) {
        bodies::read_article(&data);
    }

    #[test]
    fn segment_any_text(text in "\\PC{0,400}|[.!?\"' \\n\\r\\t»«“”A-Za-z0-9]{0,400}") {
        bodies::segment(&text);
    }

    #[test]
    fn selectors_any_spec(spec in "[-0-9,: ~=a-zA-Z%.]{0,40}|:~:text=[^\\n]{0,40}", body in "\\PC{0,300}") {
        bodies::selectors(&format!("{spec}\n{body}"));
    }

    #[test]
    fn normalize_any_text(text in "[0-9.,:/$€£%°\\- a-zA-Zäöüéèà]{0,120}|\\PC{0,120}") {
        bodies::normalize(&text);
    }

    #[test]
    fn manifest_any_text(text in "\\PC{0,300}|\\{\"schema\": ?1, ?\"entries\": ?\\[[^\\]]{0,200}\\]\\}") {
        bodies::manifest(&text);
    }
}

/// Inputs the fuzzers found that once failed (none yet crash; each new
/// finding is added here).
#[test]
fn regressions() {
    for data in [
        &b""[..],
        b"\xff\xfe",
        b"<",
        b"<html><p>\0</p>",
        b"\xef\xbb\xbf",
        b"a\r\n\r\n\r\nb",
    ] {
        bodies::read_article(data);
    }
    for t in ["", "\u{0}", "...", "1-", "-5", "0", "99999999999999999999999"] {
        bodies::segment(t);
        bodies::selectors(t);
        bodies::normalize(t);
        bodies::manifest(t);
    }
}

#[test]
fn fuzz_crash_1_windows_1252_letters_after_a_number() {
    bodies::read_article(b"\xd31#O\xd7");
}

#[test]
fn fuzz_crash_2_and_3() {
    bodies::read_article(b"\x80\n\x82l\x85\n.\n\n+'");
    bodies::read_article(b"I\xd7");
}
