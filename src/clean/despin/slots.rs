//! Places where a spinner's substitution shows from the sentence's shape,
//! without n-gram statistics. Clean news fills these slots one way only, so
//! a repair there is safe even where the context model knows too little:
//!
//! * **attribution** — after a closing quote, the subject's verb is a verb of
//!   saying (",” she added."). A spinner that swaps "added" for "included"
//!   leaves a verb with no sense of saying there; its thesaurus neighbour
//!   that news uses in that slot is restored.
//! * **self-coordination** — "rockets and rockets": a spinner gave two
//!   originals the same synonym. The second is replaced by a sibling: the
//!   thesaurus neighbour that lists the word back and shares the most
//!   neighbours with it, the context breaking ties. Reduplication ("hours
//!   and hours of", "more and more") is left alone.
//! * **padded preposition** — a filler that pads a preposition ("in
//!   between"), used as a preposition: after a word and before its object
//!   ("talks in between the two nations", "in between Russia and…"). The
//!   adverb ("somewhere in between", "In between, …") is left alone.
//!
//! None of the 185 clean texts has any of these shapes; a document with two
//! or more is proven spun (see `despin_document`).

use super::{candidates, light, plain_word, rarer, window_score, Edit, Evidence, Tables, Tok, UNKNOWN};
use std::collections::HashSet;

/// Words that may follow an attribution's verb besides punctuation
/// (", she added on Monday"). Same list as `SLOT` in the table script.
const AFTER_VERB: &[&str] = &[
    "on",
    "in",
    "at",
    "last",
    "this",
    "to",
    "during",
    "after",
    "before",
    "yesterday",
    "today",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "we", "I", "it"];

/// Words after "X and X" that make it reduplication, not two things.
const REDUPLICATION: &[&str] = &["of", "again", "after", "upon", "by", "and"];

/// Words that open a preposition's object.
const OBJECT_START: &[&str] = &["the", "a", "an", "its", "their", "his", "her", "our", "two", "both"];

/// Fillers padding a preposition, used as prepositions: the padding goes.
pub(super) fn padded_preposition(text: &str, toks: &[Tok], tables: &Tables, stop: &HashSet<&str>) -> Vec<Edit> {
    let mut out = Vec::new();
    for i in 1..toks.len().saturating_sub(2) {
        let (pad, prep, next) = (&toks[i], &toks[i + 1], &toks[i + 2]);
        if !stop.contains(prep.text.as_str()) || pad.id == tables.boundary() || toks[i - 1].id == tables.boundary() {
            continue;
        }
        let phrase = format!("{} {}", pad.text, prep.text);
        if tables.filler(phrase.as_str()) != Some(prep.text.as_str()) || !plain_word(&text[pad.range.clone()], toks, i)
        {
            continue;
        }
        let object = &text[next.range.clone()];
        let opens = OBJECT_START.contains(&next.text.as_str())
            || object.starts_with(|c: char| c.is_ascii_digit() || c.is_uppercase());
        if next.id == tables.boundary() || !opens {
            continue;
        }
        let range = pad.range.start..prep.range.end;
        out.push(Edit {
            before: text[range.clone()].to_string(),
            after: text[prep.range.clone()].to_string(),
            evidence: Evidence::shape(
                "padded-preposition",
                format!(
                    "padded preposition: \"{phrase}\" between \"{}\" and its object \"{object}\" (filler table)",
                    toks[i - 1].text
                ),
            ),
            confidence: 0.85,
            range,
            gain: 0.0,
            need: 0.0,
        });
    }
    out
}

/// Attribution verbs that are not verbs of saying, repaired.
pub(super) fn attribution(text: &str, tables: &Tables) -> Vec<Edit> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (q, ch) in text.char_indices() {
        if !matches!(ch, '"' | '\u{201d}') || q == 0 || !matches!(b[q - 1], b',' | b'?' | b'!') {
            continue;
        }
        let mut i = q + ch.len_utf8();
        let ws = skip_space(b, i);
        if ws == i {
            continue;
        }
        i = ws;
        // Subject then verb (",” she added."), or verb then subject
        // (",” added Watson."); the subject is a pronoun or up to three
        // capitalised words.
        let edit = match subject(b, i) {
            Some(subject_end) => {
                let ws = skip_space(b, subject_end);
                (ws > subject_end)
                    .then(|| verb(text, ws, tables, |end| attribution_ends(b, end)))
                    .flatten()
            }
            None => verb(text, i, tables, |end| {
                let s = skip_space(b, end);
                s > end && subject(b, s).is_some_and(|e| matches!(b.get(e), None | Some(b'.' | b',' | b';')))
            }),
        };
        out.extend(edit);
    }
    out
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn word_end(b: &[u8], i: usize) -> usize {
    i + b[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count()
}

fn subject(b: &[u8], i: usize) -> Option<usize> {
    let end = word_end(b, i);
    if end == i {
        return None;
    }
    let w = std::str::from_utf8(&b[i..end]).ok()?;
    if PRONOUNS.contains(&w) {
        return Some(end);
    }
    let capitalised = |s: usize, e: usize| {
        e > s + 1 && b[s].is_ascii_uppercase() && b[s + 1..e].iter().all(|c| c.is_ascii_lowercase())
    };
    if !capitalised(i, end) {
        return None;
    }
    let mut end = end;
    for _ in 0..2 {
        if b.get(end) != Some(&b' ') {
            break;
        }
        let e = word_end(b, end + 1);
        if !capitalised(end + 1, e) {
            break;
        }
        end = e;
    }
    Some(end)
}

/// The verb phrase (one to three lower-case words) at `start`, if `ends_ok`
/// accepts what follows it; an edit when it is not a verb of saying and a
/// thesaurus neighbour is one that news uses there.
fn verb(text: &str, start: usize, tables: &Tables, ends_ok: impl Fn(usize) -> bool) -> Option<Edit> {
    let b = text.as_bytes();
    let mut ends = Vec::new();
    let mut i = start;
    for _ in 0..3 {
        let e = word_end(b, i);
        if e == i || !b[i..e].iter().all(|c| c.is_ascii_lowercase()) {
            break;
        }
        ends.push(e);
        if b.get(e) != Some(&b' ') {
            break;
        }
        i = e + 1;
    }
    for &end in ends.iter().rev() {
        if !ends_ok(end) {
            continue;
        }
        let phrase = &text[start..end];
        if tables.speech(phrase) || tables.reporting(phrase).is_some() {
            return None;
        }
        let best = candidates(phrase, tables)
            .into_iter()
            .filter_map(|c| tables.reporting(c.text).map(|n| (n, c)))
            .max_by_key(|(n, _)| *n);
        if let Some((n, c)) = best {
            return Some(Edit {
                range: start..end,
                before: phrase.to_string(),
                after: c.text.to_string(),
                evidence: Evidence::shape(
                    "attribution",
                    format!(
                    "attribution after a quote: \"{phrase}\" has no sense of saying; {} neighbour \"{}\" follows a quote {n} times in clean news",
                    c.source, c.text
                )),
                confidence: 0.9,
                gain: 0.0,
                need: 0.0,
            });
        }
    }
    None
}

fn attribution_ends(b: &[u8], end: usize) -> bool {
    match b.get(end) {
        None | Some(b'.' | b',' | b';') => true,
        Some(c) if c.is_ascii_whitespace() => {
            let s = skip_space(b, end);
            let e = word_end(b, s);
            s > end && std::str::from_utf8(&b[s..e]).is_ok_and(|w| AFTER_VERB.contains(&w))
        }
        _ => false,
    }
}

/// "X and X" where the second X stands for another original.
pub(super) fn coordination(text: &str, toks: &[Tok], tables: &Tables, stop: &HashSet<&str>) -> Vec<Edit> {
    let mut out = Vec::new();
    for i in 1..toks.len().saturating_sub(3) {
        let (x, and, y, next) = (&toks[i], &toks[i + 1], &toks[i + 2], &toks[i + 3]);
        if and.text != "and"
            || x.text != y.text
            || x.id == tables.boundary()
            || toks[i - 1].text == "and"
            || REDUPLICATION.contains(&next.text.as_str())
            || stop.contains(x.text.as_str())
            || light(&x.text, stop)
            || !plain_word(&text[x.range.clone()], toks, i)
            || !plain_word(&text[y.range.clone()], toks, i + 2)
        {
            continue;
        }
        // A sibling of X, not a broader term: X is among its neighbours too,
        // and they share the most neighbours; then the context decides.
        let own = neighbours(&y.text, tables);
        let best = candidates(&y.text, tables)
            .into_iter()
            .filter(|c| c.strength <= 2 && !c.text.contains(' ') && c.text != y.text)
            .filter(|c| !light(c.text, stop) && !rarer(tables, c.text, &y.text) && tables.id(c.text) != UNKNOWN)
            .filter_map(|c| {
                let theirs = neighbours(c.text, tables);
                theirs.contains(y.text.as_str()).then(|| {
                    let shared = theirs.intersection(&own).count();
                    (shared, window_score(tables, and.id, &[tables.id(c.text)], next.id), c)
                })
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        if let Some((shared, score, c)) = best {
            out.push(Edit {
                range: y.range.clone(),
                before: text[y.range.clone()].to_string(),
                after: c.text.to_string(),
                evidence: Evidence::shape(
                    "coordination",
                    format!(
                    "coordinated with itself (\"{0} and {0}\"): two originals given one synonym; {1} neighbour \"{2}\" lists \"{0}\" too and shares {shared} more (context log10 {score:.1})",
                    y.text, c.source, c.text
                )),
                confidence: 0.75,
                gain: 0.0,
                need: 0.0,
            });
        }
    }
    out
}

/// A word's thesaurus neighbours (any link strength).
fn neighbours(word: &str, tables: &Tables) -> HashSet<&'static str> {
    tables.thesaurus_entry(word).into_iter().map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::super::{apply, despin_text, DespinMode, Tables};

    fn safe(text: &str) -> String {
        let edits = despin_text(text, Tables::embedded(), DespinMode::Safe).edits;
        apply(text, &edits).0
    }

    /// The embedded tables with a filler list of the test's own: hark ships
    /// none (issue 17), so the padded-preposition rule is tested on one.
    fn with_fillers() -> &'static Tables {
        static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        T.get_or_init(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/clean/data/despin");
            let blob = super::super::compiled::compile_dir(&dir, Some("in between\tbetween\tfor the test\n")).unwrap();
            Tables {
                v: super::super::compiled::View::new(Box::leak(blob.into_boxed_slice())).unwrap(),
            }
        })
    }

    fn padded(text: &str) -> String {
        let edits = despin_text(text, with_fillers(), DespinMode::Safe).edits;
        apply(text, &edits).0
    }

    #[test]
    fn attribution_verb_without_a_sense_of_saying_is_restored() {
        assert_eq!(
            safe("“We expect these talks to continue,” she included."),
            "“We expect these talks to continue,” she added."
        );
        assert_eq!(
            safe("\"It will pass,\" Adrienne Watson included on Monday."),
            "\"It will pass,\" Adrienne Watson added on Monday."
        );
        assert_eq!(
            safe("“It will pass,” included Watson."),
            "“It will pass,” added Watson."
        );
    }

    #[test]
    fn attribution_verbs_of_saying_and_other_shapes_stay() {
        for s in [
            "“We expect these talks to continue,” she stated.",
            "“We expect these talks to continue,” she smiled.",
            "“We expect these talks to continue,” Trump tweeted.",
            "“We expect these talks to continue,” she said on Monday.",
            "The package included a letter.",
            "“Fine,” she included a letter in the reply.",
            "“Fine,” said Watson.",
            "“Fine,” according to Watson.",
            "“Fine,” included in the report.",
        ] {
            assert_eq!(safe(s), s);
        }
    }

    #[test]
    fn self_coordination_gets_a_sibling() {
        assert_eq!(
            safe("North Korea provided infantry rockets and rockets to Russia."),
            "North Korea provided infantry rockets and missiles to Russia."
        );
        for s in [
            "It took hours and hours of work.",
            "Prices rose more and more each year.",
            "We tried again and again.",
            "Rockets and rockets and rockets filled the sky.",
        ] {
            assert_eq!(safe(s), s);
        }
    }

    #[test]
    fn padded_preposition_loses_its_padding_only_before_an_object() {
        assert_eq!(
            padded("Arms talks in between Russia and the DPRK are advancing."),
            "Arms talks between Russia and the DPRK are advancing."
        );
        assert_eq!(
            padded("Sales in between the 2 nations grew."),
            "Sales between the 2 nations grew."
        );
        for s in [
            "The truth lies somewhere in between.",
            "In between, the talks stalled.",
            "They met in between meetings.",
        ] {
            assert_eq!(padded(s), s);
        }
    }

    #[test]
    fn odd_text_never_panics() {
        // Quotes, commas, names, repeats and multi-byte characters in every order.
        let pieces = [
            "“",
            "”",
            "\"",
            ",",
            "?",
            "!",
            " ",
            "\u{a0}",
            "she",
            "He",
            "Watson",
            "included",
            "added",
            "and",
            "rockets",
            " in between ",
            "the",
            "2",
            ".",
            ";",
            "é",
            "日本",
            "’",
            "—",
            ",” she included.",
            "!\" included Watson",
            " rockets and rockets ",
            " in between the ",
            "Rockets",
            " included on",
            "”",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut total, mut shapes) = (0, 0);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(next() % 24) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            total += text.len();
            for mode in [DespinMode::Safe, DespinMode::Aggressive, DespinMode::Off] {
                let scan = despin_text(&text, Tables::embedded(), mode);
                let (out, splices) = apply(&text, &scan.edits);
                assert!(splices
                    .iter()
                    .all(|s| out.is_char_boundary(s.new.start) && out.is_char_boundary(s.new.end)));
                shapes += scan.shapes;
            }
        }
        // the generator did reach the slots
        assert!(total > 30_000 && shapes > 0, "{total} bytes, {shapes} shapes");
    }

    #[test]
    fn two_shapes_prove_a_document_spun_and_allow_strong_synonyms() {
        let spun = |extra: &[&str]| {
            let mut doc: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
            doc.push("The leader is anticipated to hold a meeting in Moscow.".into());
            let (scans, report) = super::super::despin_document(&doc, Tables::embedded(), DespinMode::Safe);
            (apply(doc.last().unwrap(), &scans.last().unwrap().edits).0, report)
        };
        let shapes = [
            "“We will meet,” she included.",
            "They sold rockets and rockets to Russia.",
        ];
        let (text, report) = spun(&shapes);
        assert!(report.likely_spun && report.shapes == 2, "{report:?}");
        assert_eq!(text, "The leader is expected to hold a meeting in Moscow.");
        // one shape proves nothing: the same sentence stays
        let (text, report) = spun(&shapes[..1]);
        assert!(!report.likely_spun);
        assert_eq!(text, "The leader is anticipated to hold a meeting in Moscow.");
    }

    #[test]
    fn slots_are_counted_but_not_repaired_when_off() {
        let s = "“We expect these talks to continue,” she included.";
        let scan = despin_text(s, Tables::embedded(), DespinMode::Off);
        assert!(scan.edits.is_empty());
        assert_eq!(scan.shapes, 1);
        assert!(scan.suspicious >= 1);
    }
}
