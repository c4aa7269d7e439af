//! The world's articles through the real CLI: every language Pico speaks,
//! the voice following the article, cleaning at the grain of a sentence,
//! and decoding as browsers do.

use std::io::Read;
use std::process::Output;

mod common;
use common::{hark, SEEDS};

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn record(o: &Output) -> serde_json::Value {
    serde_json::from_str(out(o).lines().next().unwrap_or("")).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn articles_in_every_pico_language_are_cleaned_and_read_by_their_voice() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, voice, title_start) in [
        ("de", "pico-de-de", "Stadtrat beschließt"),
        ("fr", "pico-fr-fr", "La ville inaugure"),
        ("es", "pico-es-es", "Un equipo de investigadores"),
        ("it", "pico-it-it", "Il lago torna"),
    ] {
        let file = format!("tests/data/articles/{lang}.txt");
        let o = hark(&["clean", "--json", &file], None);
        assert!(o.status.success(), "{lang}: {}", err(&o));
        let v = record(&o);
        assert_eq!(v["language"], lang);
        assert!(
            v["title"].as_str().unwrap().starts_with(title_start),
            "{lang}: {}",
            v["title"]
        );
        // The title and the four paragraphs of the body; the furniture goes.
        assert_eq!(
            v["paragraphs"].as_array().unwrap().len(),
            5,
            "{lang}: {}",
            v["paragraphs"]
        );
        let rules: Vec<&str> = v["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap())
            .collect();
        for rule in ["breadcrumb", "date-line", "site-voice"] {
            assert!(rules.contains(&rule), "{lang}: {rules:?}");
        }
        // No --voice: the article's language picks it.
        let wav = dir.path().join(format!("{lang}.wav"));
        let o = hark(&["export", "--json", "-q", &file, "-o", wav.to_str().unwrap()], None);
        assert!(o.status.success(), "{lang}: {}", err(&o));
        let m = record(&o);
        assert_eq!((m["voice"].as_str(), m["language"].as_str()), (Some(voice), Some(lang)));
        assert!(m["duration"].as_f64().unwrap() > 10.0);
    }
    // An HTML page's lang attribute wins over detection.
    let page = format!(
        "<html lang=\"de-AT\"><head><title>Test</title></head><body><article>{}</article></body></html>",
        "<p>Die Wiener Linien haben am Montag den Fahrplan für den Sommer vorgestellt, der mehr Verbindungen in die Außenbezirke bringt.</p>".repeat(3)
    );
    let v = record(&hark(&["clean", "--json", "-"], Some(page.as_bytes())));
    assert_eq!(v["language"], "de");
    // --language overrides both.
    let v = record(&hark(
        &["clean", "--json", "--language", "pt-BR", "tests/data/articles/es.txt"],
        None,
    ));
    assert_eq!(v["language"], "pt");
}

#[test]
fn no_voice_for_the_language_is_a_clear_error_and_unpronounceable_text_is_reported() {
    let zh = "北京是中华人民共和国的首都，也是全国的政治中心和文化中心。北京有三千多年的建城史和八百多年的建都史。"
        .as_bytes();
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("zh.wav");
    let o = hark(&["export", "-", "-o", wav.to_str().unwrap()], Some(zh));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("no voice speaks zh") && err(&o).contains("pico-de-de (de-DE)"),
        "{}",
        err(&o)
    );
    assert!(!wav.exists());
    // Forcing a Latin-script voice: nothing it can say is an error, not a silent file.
    let o = hark(
        &["export", "-", "--voice", "pico-en-us", "-o", wav.to_str().unwrap()],
        Some(zh),
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("can pronounce none"), "{}", err(&o));
    assert!(!wav.exists());
    // A sentence of emoji among English ones is left out and reported.
    let text = "The council approved the budget on Tuesday evening after a long debate in the chamber.\n\n🎉🎉🎉\n\nThe works will start in spring and end in 2026, the city said.";
    let o = hark(
        &["export", "--json", "-", "-o", wav.to_str().unwrap()],
        Some(text.as_bytes()),
    );
    assert!(o.status.success(), "{}", err(&o));
    let m = record(&o);
    assert_eq!(m["outputs"][0]["sentences"].as_array().unwrap().len(), 2, "{m}");
}

#[test]
fn benchmark_bodies_in_portuguese_russian_and_a_contact_post_are_kept_whole() {
    let mut s = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(format!("{}/tests/data/eval/extraction/ground-truth.json.gz", root())).unwrap(),
    )
    .read_to_string(&mut s)
    .unwrap();
    let truth: serde_json::Value = serde_json::from_str(&s).unwrap();
    let mut seen = 0;
    for (id, v) in truth.as_object().unwrap() {
        let lang = match &id[..8] {
            "b3c19dd5" | "f6ac15a4" => "pt",
            "c82b3d1d" => "ru",
            "ac3c0355" => "en",
            _ => continue,
        };
        seen += 1;
        let body = v["articleBody"].as_str().unwrap();
        let o = hark(&["clean", "--json", "-"], Some(body.as_bytes()));
        assert!(o.status.success(), "{id}: {}", err(&o));
        let r = record(&o);
        assert_eq!(r["language"], lang, "{id}");
        let kept: Vec<&str> = r["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap())
            .collect();
        assert_eq!(words(&kept.join(" ")), words(body), "{id}");
    }
    assert_eq!(seen, 4);
}

#[test]
fn seeds_flattened_to_one_paragraph_still_give_their_golden_text() {
    for s in SEEDS {
        let text = std::fs::read_to_string(format!("{}/examples/{s}.txt", root())).unwrap();
        // As `tr '\n' ' '` does: every line break becomes a space.
        let flat = text.replace('\n', " ");
        let o = hark(&["clean", "-q", "--despin", "off", "-"], Some(flat.as_bytes()));
        assert!(o.status.success(), "{s}: {}", err(&o));
        let golden = std::fs::read_to_string(format!("{}/tests/golden/{s}.clean.txt", root())).unwrap();
        assert_eq!(words(&out(&o)), words(&golden), "{s}");
        // Every removal names its rule, partial ones too.
        let v = record(&hark(
            &["clean", "--json", "--despin", "off", "-"],
            Some(flat.as_bytes()),
        ));
        assert!(v["removed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["rule"].as_str().unwrap().is_empty()));
    }
    // Furniture inside a paragraph goes, the paragraph stays, and -vv says which rule.
    let para = "Home > World > Asia North Korean leader Kim Jong Un is expected to meet Russian President Vladimir Putin this month, officials said on Monday. The two leaders last met in 2019 in Vladivostok. Subscribe to our newsletter for more news. Contact us at news@example.com for tips.";
    let o = hark(&["clean", "-vv", "--json", "-"], Some(para.as_bytes()));
    let v = record(&o);
    let text = v["paragraphs"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("The two leaders last met in 2019") && !text.contains("newsletter"),
        "{text}"
    );
    assert!(v["removed"].as_array().unwrap().iter().any(|r| r["partial"] == true));
    assert!(
        err(&o).contains("removed [site-voice]") || err(&o).contains("removed [widget]"),
        "{}",
        err(&o)
    );
}

#[test]
fn pages_decode_as_browsers_do() {
    let body = "<p>Grüße aus Köln: Die Straßenbahn fährt wieder über die Brücke, teilten die Verkehrsbetriebe am Montag mit.</p>".repeat(3);
    // Declares gb2312, is UTF-8.
    let page = format!(
        "<html><head><meta charset=\"gb2312\"><title>Köln</title></head><body><article>{body}</article></body></html>"
    );
    let o = hark(&["clean", "-"], Some(page.as_bytes()));
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("Grüße aus Köln"), "{}", out(&o));
    assert!(err(&o).contains("declares GBK but its bytes are UTF-8"), "{}", err(&o));
    // An iso-8859-1 page with "charset=utf-8" in a script string, and its real meta after it.
    let latin1: Vec<u8> = encoding_rs::WINDOWS_1252.encode(&body).0.into_owned();
    let mut page = b"<html><head><script>var meta = 'charset=utf-8';</script><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><title>K\xf6ln</title></head><body><article>".to_vec();
    page.extend_from_slice(&latin1);
    page.extend_from_slice(b"</article></body></html>");
    let o = hark(&["clean", "-"], Some(&page));
    assert!(out(&o).contains("Grüße aus Köln"), "{}{}", out(&o), err(&o));
    // An undeclared legacy page is detected.
    let mut page = b"<html><head><title>K\xf6ln</title></head><body><article>".to_vec();
    page.extend_from_slice(&latin1);
    page.extend_from_slice(b"</article></body></html>");
    let o = hark(&["clean", "-"], Some(&page));
    assert!(
        out(&o).contains("Grüße aus Köln") && err(&o).contains("detected"),
        "{}",
        err(&o)
    );
    // UTF-16 without a BOM, with --encoding and without.
    let text = std::fs::read_to_string(format!("{}/examples/{}.txt", root(), SEEDS[2])).unwrap();
    let golden = std::fs::read_to_string(format!("{}/tests/golden/{}.clean.txt", root(), SEEDS[2])).unwrap();
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    for (bytes, label) in [(&le, "utf-16le"), (&be, "utf-16be")] {
        for args in [
            &["clean", "--despin", "off", "--encoding", label, "-"][..],
            &["clean", "--despin", "off", "-"],
        ] {
            let o = hark(args, Some(bytes));
            assert!(o.status.success(), "{args:?}: {}", err(&o));
            assert_eq!(out(&o).trim(), golden.trim(), "{args:?}");
        }
    }
    // A binary file is still refused.
    let o = hark(&["clean", "-"], Some(b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x00"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn pathological_pages_finish_and_oversize_input_is_refused() {
    // 20,000 nested elements: read without a DOM (a tree would take minutes).
    let body = "<p>Kim Jong Un is expected to meet Vladimir Putin this month, officials said on Monday, and arms talks are advancing.</p>".repeat(3);
    let page = format!(
        "<html><body>{}{body}{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    let o = hark(&["clean", "-q", "--despin", "off", "-"], Some(page.as_bytes()));
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("Kim Jong Un is expected to meet Vladimir Putin"),
        "{}",
        out(&o)
    );
    // 300,000 elements, flat: also read in one pass.
    let mut page = String::from("<html><head><title>Many</title></head><body><article>");
    for i in 0..3000 {
        page.push_str(&format!(
            "<p>Paragraph {i} says that the council met on Monday to talk about {} the budget of the city.</p>",
            "<b>very</b> ".repeat(99)
        ));
    }
    page.push_str("</article></body></html>");
    let o = hark(&["clean", "-q", "--despin", "off", "-"], Some(page.as_bytes()));
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("Paragraph 2999 says"));
    // Inputs above the cap are refused with a clear error, from the library too.
    let opts = hark::ReadOptions {
        max_bytes: Some(1000),
        ..Default::default()
    };
    let e = hark::Article::from_bytes("big.txt", &vec![b'a'; 5000], &opts).unwrap_err();
    assert!(
        matches!(
            e,
            hark::Error::TooLarge {
                size: 5000,
                limit: 1000,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("more than the limit"), "{e}");
}
