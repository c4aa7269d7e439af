//! Integration tests through the real `hark` binary, on the seed articles.

use std::process::{Command, Output};

mod common;
use common::{hark, SEEDS};

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn seed(name: &str) -> String {
    format!("examples/{name}.txt")
}

#[test]
fn clean_prints_golden_text_for_every_seed() {
    for s in SEEDS {
        // Boilerplate removal alone; repairs are checked below and in tests/despin.rs.
        let o = hark(&["clean", "--despin", "off", &seed(s)], None);
        assert!(o.status.success(), "{s}: {}", stderr(&o));
        let golden = std::fs::read_to_string(format!("{}/tests/golden/{s}.clean.txt", root())).unwrap();
        assert_eq!(stdout(&o).trim(), golden.trim(), "{s}");
    }
}

#[test]
fn clean_json_reports_metadata_and_removals() {
    let o = hark(&["clean", "--json", &seed(SEEDS[0])], None);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((v["schema"].as_u64(), v["type"].as_str()), (Some(1), Some("article")));
    // The title is read with the same repairs as the headline paragraph.
    assert_eq!(
        v["title"],
        "North Korean leader Kim expected to satisfy Russia’s Putin: United States"
    );
    assert_eq!(v["title"], v["paragraphs"][0]["text"]);
    assert_eq!(v["byline"], "Romeo Minalane");
    assert_eq!(v["date"], "Sep 5, 2023");
    assert_eq!(v["paragraphs"].as_array().unwrap().len(), 14);
    // The seed is spun: the document is flagged, and every repair's span
    // holds its replacement in the clean text.
    assert_eq!(v["spin"]["likely_spun"], true, "{}", v["spin"]);
    // Paragraphs are numbered from 1 and located in the clean text.
    let paragraphs = v["paragraphs"].as_array().unwrap();
    let text = paragraphs
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n\n");
    for (i, p) in paragraphs.iter().enumerate() {
        assert_eq!(p["number"].as_u64(), Some(i as u64 + 1));
        let (s, e) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], p["text"].as_str().unwrap());
    }
    let repairs = v["repairs"].as_array().unwrap();
    assert!(!repairs.is_empty());
    for r in repairs {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], r["after"].as_str().unwrap(), "{r}");
        // The evidence is the scores or the sentence shape that decided it,
        // as fields.
        let ev = &r["evidence"];
        match ev["rule"].as_str().unwrap() {
            "substitution" => assert!(ev["gain"].as_f64().unwrap() >= ev["needed"].as_f64().unwrap(), "{r}"),
            "attribution" | "coordination" | "padded-preposition" => assert!(ev["gain"].is_null()),
            other => panic!("unknown rule {other}: {r}"),
        }
        assert!(!ev["note"].as_str().unwrap().is_empty());
        let confidence = r["confidence"].as_f64().unwrap();
        assert!(confidence > 0.0 && confidence <= 1.0, "{r}");
    }
    let removed = v["removed"].as_array().unwrap();
    let rule_of = |t: &str| {
        removed
            .iter()
            .find(|r| r["text"] == t)
            .map(|r| r["rule"].as_str().unwrap().to_string())
    };
    assert_eq!(rule_of("Click to listen highlighted text!").as_deref(), Some("widget"));
    assert_eq!(rule_of("ByRomeo Minalane").as_deref(), Some("byline"));
    assert!(removed.iter().all(|r| !r["reason"].as_str().unwrap().is_empty()));
}

#[test]
fn keep_captions_keeps_them_without_credit() {
    let o = hark(&["clean", "--keep-captions", &seed(SEEDS[4])], None);
    let text = stdout(&o);
    assert!(text.contains("Russian President Vladimir Putin (right) with North Korean leader Kim Jong Un."));
    assert!(!text.contains("Photo Credit"));
    assert!(!stdout(&hark(&["clean", &seed(SEEDS[4])], None)).contains("(right) with North Korean"));
}

#[test]
fn select_by_ranges_quote_fragment_grep() {
    let s = seed(SEEDS[1]);
    let o = hark(&["select", &s, "--sentences", "2-3,5"], None);
    assert!(o.status.success());
    let out = stdout(&o);
    // Sentences 2 and 3 are in different paragraphs: two passages.
    assert!(out.starts_with("[2] As tensions"), "{out}");
    assert!(out.contains("\n[3] A National Security Council"), "{out}");
    assert!(out.contains("\n[5] "), "{out}");

    // A highlight with a typo, other quote marks and extra spaces.
    let o = hark(
        &[
            "select",
            &s,
            "--quote",
            "\"we have information that Kim Jong  Un expects these discusions\"",
        ],
        None,
    );
    assert!(
        stdout(&o).contains("Watson added: “We have information"),
        "{}",
        stdout(&o)
    );
    let o = hark(
        &["select", &s, "--exact", "--quote", "arms negotiations between Russia"],
        None,
    );
    assert!(
        stdout(&o)
            .lines()
            .next()
            .unwrap()
            .ends_with("arms negotiations between Russia"),
        "{}",
        stdout(&o)
    );

    let o = hark(
        &[
            "select",
            &s,
            "--json",
            "--fragment",
            "https://x.test/a#:~:text=Kim%20hosted,KCNA",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let p = &v["passages"][0];
    assert!(p["text"].as_str().unwrap().starts_with("Kim hosted a reception"));
    assert!(p["text"].as_str().unwrap().ends_with("according to KCNA."));
    assert_eq!(p["sentences"].as_array().unwrap().len(), 2);

    let o = hark(&["select", &s, "--grep", "(?i)vladivostok"], None);
    assert_eq!(stdout(&o).lines().count(), 1);
}

#[test]
fn marks_in_text_and_html() {
    let text = b"Kim to meet Putin in Russia\n\nNorth Korean leader Kim Jong Un is expected to hold a meeting with Russian President Vladimir Putin, a White House official said. ==Arms negotiations between Russia and the DPRK are actively advancing.== Watson said so on Monday to the press.\n";
    let o = hark(&["select", "-", "--marks"], Some(text));
    assert_eq!(
        stdout(&o).trim(),
        "[3] Arms negotiations between Russia and the DPRK are actively advancing."
    );
    let body = "<p>North Korean leader Kim Jong Un is expected to hold a meeting with Russian President Vladimir Putin, according to the White House, which said so on Monday.</p>".repeat(2);
    let html = format!("<!doctype html><html><head><title>Kim to meet Putin</title></head><body><article>{body}<p>Officials said that <mark>arms negotiations are actively advancing</mark> between the two countries this month.</p></article></body></html>");
    let o = hark(&["select", "-", "--marks", "--exact"], Some(html.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("arms negotiations are actively advancing"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("=="));
}

#[test]
fn an_html_page_leaves_stderr_to_hark() {
    // Both extractors read the page; neither may write on hark's stderr
    // (rs-trafilatura prints DEBUG lines where its debug assertions are on,
    // as in this test build unless Cargo.toml turns them off).
    let body = "<p>North Korean leader Kim Jong Un is expected to hold a meeting with Russian President Vladimir Putin, according to the White House, which said so on Monday.</p>".repeat(3);
    let html = format!("<!doctype html><html><head><title>Kim to meet Putin</title></head><body><nav><a href='/'>Home</a></nav><article>{body}</article></body></html>");
    let o = hark(&["clean", "-q", "-"], Some(html.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Vladimir Putin"), "{}", stdout(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn selection_matching_nothing_exits_3_with_candidates() {
    let o = hark(
        &[
            "select",
            &seed(SEEDS[2]),
            "--quote",
            "Kim Jong Un wants to travel by plane to Beijing",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains("closest sentences"), "{err}");
    assert_eq!(
        hark(&["select", &seed(SEEDS[2]), "--sentences", "500"], None)
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        hark(&["select", &seed(SEEDS[2]), "--marks"], None).status.code(),
        Some(3)
    );
}

#[test]
fn split_prints_sentences_as_given() {
    let o = hark(
        &["split", "--json", "-"],
        Some(b"Mr. Smith met Dr. Jones at 5 p.m. on Friday. They talked. Did it help?"),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["type"], "sentences");
    assert_eq!(v["sentences"][2]["number"], 3);
    let v: Vec<&str> = v["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        v,
        [
            "Mr. Smith met Dr. Jones at 5 p.m. on Friday.",
            "They talked.",
            "Did it help?"
        ]
    );
    let o = hark(
        &["split", "--tidy", "-"],
        Some(b"<p>Hello World.</p><p>My name is Jonas.</p>"),
    );
    assert_eq!(stdout(&o), "Hello World.\nMy name is Jonas.\n");
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    // A stray byte in UTF-8 text is refused with --strict (it would be
    // replaced, with a warning, without it).
    let stray = "Grüße aus Köln, schöne Grüße an alle Leser. "
        .repeat(3)
        .replace("alle", "alle \u{1}")
        .into_bytes();
    let stray: Vec<u8> = stray.into_iter().map(|b| if b == 1 { 0xff } else { b }).collect();
    let cases: [(&[u8], &[&str], &str); 4] = [
        (&stray, &["--strict"], "not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &[], "PNG image"),
        (b"hello\0world", &[], "binary"),
        (b"   \n\n ", &[], "empty"),
    ];
    for (bytes, flags, needle) in cases {
        let mut args = vec!["clean"];
        args.extend(flags);
        args.push("-");
        let o = hark(&args, Some(bytes));
        assert_eq!(o.status.code(), Some(2), "{needle}");
        assert!(stderr(&o).contains(needle), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let o = hark(&["clean", "-"], Some(&stray));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 invalid UTF-8 sequences replaced by U+FFFD"),
        "{}",
        stderr(&o)
    );
    let o = hark(&["clean", "no/such/file.txt"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such file"));
    assert_eq!(
        hark(&["select", &seed(SEEDS[0]), "--sentences", "3-1"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(hark(&["frobnicate"], None).status.code(), Some(2));
}

#[test]
fn legacy_and_utf16_encodings_are_read() {
    let para = "North Korean leader Kim Jong Un is expected to meet Russian President Vladimir Putin, the White House said on Monday, in a statement about arms talks.";
    let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Kim \x93to meet\x94 Putin</title></head><body><article>".to_vec();
    for _ in 0..3 {
        page.extend_from_slice(b"<p>");
        page.extend_from_slice(para.as_bytes());
        page.extend_from_slice(b" Caf\xe9 owners agreed.</p>");
    }
    page.extend_from_slice(b"</article></body></html>");
    let o = hark(&["clean", "--json", "-"], Some(&page));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["title"], "Kim “to meet” Putin");
    assert!(v["paragraphs"].to_string().contains("Café owners"));

    let text = std::fs::read_to_string(seed(SEEDS[2]).replace("examples/", &format!("{}/examples/", root()))).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let o = hark(&["clean", "-"], Some(&utf16));
    let golden = std::fs::read_to_string(format!("{}/tests/golden/{}.clean.txt", root(), SEEDS[2])).unwrap();
    assert_eq!(stdout(&o).trim(), golden.trim());
}

#[test]
fn help_has_examples() {
    let o = hark(&["--help"], None);
    assert!(stdout(&o).contains("Examples:") && stdout(&o).contains("Exit codes"));
    let o = hark(&["select", "--help"], None);
    assert!(stdout(&o).contains("--fragment") && stdout(&o).contains("Examples:"));
}

#[test]
fn despin_modes_and_inline_repairs() {
    // Default (safe): the spun seed gets a warning and its attested repairs.
    let o = hark(&["clean", "--show-repairs", &seed(SEEDS[0])], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("looks machine-paraphrased"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("is [anticipated → expected] to hold"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("[utilizing → using]"), "{}", stdout(&o));
    // Aggressive also uses the thesaurus.
    let o = hark(
        &["clean", "--despin", "aggressive", "--show-repairs", &seed(SEEDS[0])],
        None,
    );
    assert!(stdout(&o).contains("[utilizing → using]"), "{}", stdout(&o));
    // Off changes nothing, and a human-written seed is neither flagged nor changed.
    let o = hark(&["clean", "--despin", "off", "--show-repairs", &seed(SEEDS[0])], None);
    assert!(!stdout(&o).contains(" → "));
    let o = hark(&["clean", "--show-repairs", &seed(SEEDS[1])], None);
    assert!(
        !stdout(&o).contains(" → ") && !stderr(&o).contains("machine-paraphrased"),
        "{}",
        stderr(&o)
    );
    let o = hark(&["clean", "--despin", "wild", &seed(SEEDS[1])], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn normalize_prints_spoken_text_and_json_classes() {
    let o = hark(
        &[
            "normalize",
            "--no-user-lexicon",
            "Sat. Nov 23rd, 2024: Mr. Kim paid $2.5 million at 3:30 p.m. in the U.S.",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "Saturday, November twenty third, twenty twenty four: mister Kim paid two point five million dollars at three thirty P M in the U S."
    );
    let o = hark(
        &["normalize", "--json", "--joined", "--no-user-lexicon", "-"],
        Some("The DPRK sent 7,000 containers; NATO met at 38°C.".as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let classes: Vec<(String, String, String)> = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["class"] != "word" && t["class"] != "punct")
        .map(|t| {
            (
                t["class"].as_str().unwrap().into(),
                t["written"].as_str().unwrap().into(),
                t["spoken"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("letters", "DPRK", "DPRK"),
        ("cardinal", "7,000", "seven thousand"),
        ("acronym", "NATO", "Nato"),
        ("measure", "38°C", "thirty eight degrees Celsius"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(classes, want);
    // Every token keeps its byte span into the input.
    let t = &v["tokens"].as_array().unwrap()[1];
    assert_eq!((t["start"].as_u64(), t["end"].as_u64()), (Some(4), Some(8)));
}

#[test]
fn normalize_lexicon_overrides_tables_and_bad_input_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("lexicon.toml");
    std::fs::write(&lex, "[words]\nDPRK = \"North Korea\"\nKirby = \"Kurby\"\n").unwrap();
    let l = lex.to_str().unwrap();
    let o = hark(
        &[
            "normalize",
            "--no-user-lexicon",
            "--lexicon",
            l,
            "Kirby said the DPRK (dprk) fired 2.",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "Kurby said the North Korea (North Korea) fired two.");
    // ~/.config/hark/lexicon.toml is read through XDG_CONFIG_HOME.
    std::fs::create_dir_all(dir.path().join("hark")).unwrap();
    std::fs::write(dir.path().join("hark/lexicon.toml"), "Kirby = \"Kerby\"\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hark"))
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap()
    };
    assert_eq!(stdout(&run(&["normalize", "Kirby"])).trim(), "Kerby");
    assert_eq!(
        stdout(&run(&["normalize", "--lexicon", l, "Kirby"])).trim(),
        "Kurby",
        "--lexicon goes on top"
    );
    assert_eq!(
        stdout(&run(&["normalize", "--no-user-lexicon", "Kirby"])).trim(),
        "Kirby"
    );
    std::fs::write(&lex, "DPRK = [1, 2]\n").unwrap();
    let o = hark(&["normalize", "--lexicon", l, "x"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lexicon"), "{}", stderr(&o));
    let o = hark(&["normalize", "--lexicon", "/nonexistent/lex.toml", "x"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = hark(&["normalize", "-"], Some(b"   \n"));
    assert_eq!(o.status.code(), Some(2));
    let o = hark(&["normalize", "-"], Some(b"one\0two"));
    assert_eq!(o.status.code(), Some(2));
}

/// Every record of `--json` output, one per line (NDJSON, schema 1).
fn records(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn json_is_ndjson_schema_1_with_1_based_numbers_for_every_command() {
    let s = seed(SEEDS[1]);
    // clean: one record per input, also for one input.
    for files in [vec![s.as_str()], vec![s.as_str(), "examples/002_2f63a6bd757cd7b7.txt"]] {
        let mut args = vec!["clean", "--json"];
        args.extend(&files);
        let r = records(&hark(&args, None));
        assert_eq!(r.len(), files.len());
        for (rec, f) in r.iter().zip(&files) {
            assert_eq!(
                (rec["schema"].as_u64(), rec["type"].as_str()),
                (Some(1), Some("article"))
            );
            assert_eq!(rec["source"], *f);
            assert_eq!(rec["paragraphs"][0]["number"], 1);
            assert!(rec["removed"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["block"].as_u64() >= Some(1)));
        }
    }
    // select: sentence numbers in JSON are the numbers the text output and
    // --sentences use.
    let text = stdout(&hark(&["select", &s, "--sentences", "12-13"], None));
    assert!(text.starts_with("[12-13] "), "{text}");
    let r = records(&hark(&["select", "--json", &s, "--sentences", "12-13"], None));
    assert_eq!(r[0]["type"], "selection");
    assert_eq!(r[0]["passages"][0]["number"], 1);
    assert_eq!(r[0]["passages"][0]["sentences"], serde_json::json!([12, 13]));
    // split, normalize
    let r = records(&hark(&["split", "--json", "-"], Some(b"One here. Two there.")));
    assert_eq!(
        (r[0]["type"].as_str(), r[0]["sentences"][1]["number"].as_u64()),
        (Some("sentences"), Some(2))
    );
    let r = records(&hark(&["normalize", "--json", "--no-user-lexicon", "5 cats"], None));
    assert_eq!(
        (r[0]["schema"].as_u64(), r[0]["type"].as_str()),
        (Some(1), Some("normalized"))
    );
    // voices: one record per voice.
    let r = records(&hark(&["voices", "--json"], None));
    assert!(r.len() >= 6 && r.iter().all(|v| v["type"] == "voice" && v["schema"] == 1));
    // export: one record per input; a failed input is an error record.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = hark(&["export", "--json", "-q", &s, "--sentences", "2-3", "-o", d], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = records(&o);
    assert_eq!(r[0]["type"], "export");
    let sents = r[0]["outputs"][0]["sentences"].as_array().unwrap();
    assert_eq!(
        sents.iter().map(|s| s["number"].as_u64().unwrap()).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(sents[0]["paragraph"], 2);
    let o = hark(
        &[
            "export",
            "--json",
            "-q",
            &s,
            "no/such.txt",
            "--sentences",
            "2",
            "-o",
            d,
            "--force",
        ],
        None,
    );
    let r = records(&o);
    assert_eq!(r.len(), 2, "{}", stdout(&o));
    assert_eq!(r[1]["type"], "error");
    assert_eq!(r[1]["error"]["kind"], "unreadable");
    assert_eq!(r[1]["source"], "no/such.txt");
}

#[test]
fn marks_are_out_of_band_and_equals_signs_are_text() {
    // `==` is ordinary text unless highlights are asked for.
    let o = hark(
        &["clean", "-"],
        Some(b"The budget == passes == again, the council said on Monday."),
    );
    assert_eq!(
        stdout(&o).trim(),
        "The budget == passes == again, the council said on Monday."
    );
    let o = hark(
        &["clean", "--mark-syntax", "--json", "-"],
        Some(b"The budget ==passes== again, the council said on Monday."),
    );
    let r = records(&o);
    assert_eq!(
        r[0]["paragraphs"][0]["text"],
        "The budget passes again, the council said on Monday."
    );
    assert_eq!(r[0]["marks"][0]["text"], "passes");
    // Repairs keep their spans right next to marks.
    let o = hark(
        &["clean", "--mark-syntax", "--despin", "aggressive", "--json", "-"],
        Some("==Kim Jong Un== is anticipated to hold talks with Putin, ==the officials said==.".as_bytes()),
    );
    let r = records(&o);
    let text = r[0]["paragraphs"][0]["text"].as_str().unwrap();
    for m in r[0]["marks"].as_array().unwrap() {
        let (a, b) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[a..b], m["text"].as_str().unwrap());
    }
    assert_eq!(r[0]["marks"][1]["text"], "the officials said");
    for rep in r[0]["repairs"].as_array().unwrap() {
        let (a, b) = (
            rep["start"].as_u64().unwrap() as usize,
            rep["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[a..b], rep["after"].as_str().unwrap());
    }
}

#[test]
fn exact_quotes_are_whole_words() {
    let o = hark(
        &[
            "select",
            &seed(SEEDS[1]),
            "--exact",
            "--quote",
            "e have warned publicly",
        ],
        None,
    );
    let line = stdout(&o);
    assert!(
        line.contains("] We have warned publicly") || line.contains("] we have warned publicly"),
        "{line}"
    );
}

#[test]
fn config_file_sets_defaults_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("hark/config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(&cfg, "despin = \"off\"\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hark"))
            .args(args)
            .current_dir(root())
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap()
    };
    let spun = seed(SEEDS[0]);
    // The config turns de-spinning off ...
    assert!(!stdout(&run(&["clean", "--show-repairs", &spun])).contains(" → "));
    // ... a flag turns it back on, and --no-config ignores the file.
    assert!(stdout(&run(&["clean", "--show-repairs", "--despin", "safe", &spun])).contains(" → "));
    assert!(stdout(&run(&["clean", "--show-repairs", "--no-config", &spun])).contains(" → "));
    // A mistake in the file is a clear error naming it.
    std::fs::write(&cfg, "despin = \"wild\"\n").unwrap();
    let o = run(&["clean", &spun]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("config.toml") && stderr(&o).contains("wild"),
        "{}",
        stderr(&o)
    );
    // --config names another file.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "despin = \"aggressive\"\n").unwrap();
    assert!(stdout(&run(&[
        "clean",
        "--config",
        other.to_str().unwrap(),
        "--show-repairs",
        &spun
    ]))
    .contains("[anticipated → expected]"));
}

#[test]
fn completions_man_page_and_version() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = hark(&["completions", shell], None);
        assert!(o.status.success(), "{shell}");
        let script = stdout(&o);
        assert!(script.contains("export") && script.contains("fragment"), "{shell}");
    }
    let o = hark(&["man"], None);
    let man = stdout(&o);
    assert!(
        man.starts_with(".ie") || man.contains(".TH hark"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(man.contains("export") && man.contains("Exit codes"));
    let o = hark(&["--version"], None);
    let v = stdout(&o);
    assert!(v.starts_with("hark ") && v.contains("features:"), "{v}");
    for (feature, on) in [
        ("playback", cfg!(feature = "playback")),
        ("flite", cfg!(feature = "flite")),
        ("system-tts", cfg!(feature = "system-tts")),
    ] {
        let line = v
            .lines()
            .find(|l| l.starts_with(if on { "features:" } else { "not built:" }))
            .unwrap();
        assert!(line.contains(feature), "{v}");
    }
}

#[test]
fn usage_errors_carry_harks_prefix() {
    for args in [
        &["frobnicate"][..],
        &["clean", "--despin", "wild", "x"],
        &["select", "--nope"],
    ] {
        let o = hark(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).starts_with("hark: error: "), "{}", stderr(&o));
    }
}
