//! Other versions of the story as evidence (`--reference`): a sentence of
//! the document is word-aligned with the most similar sentences of the
//! references ([`MAX_VERSIONS`]), and where the two differ by one to three
//! plain words, the reference's wording is proposed (in a document proven
//! spun, with a model, also the removal of one or two words the reference
//! lacks: a spinner's filler). Outlets legitimately word things
//! differently ("expected" / "likely"), so a proposal is kept only when it
//! is confirmed: by the language model where there is one (a gain of
//! [`MODEL_GAIN`] nats for the sentence), else by the clean-text tables
//! (the reference's words fit the context better: [`TABLE_GAIN`]). Only a
//! swap the tables link (a spinner substitution or thesaurus neighbour,
//! either direction) is tried, except that in a document proven spun (by
//! its sentence shapes) the model may confirm any.

use super::{candidates, match_case, tokenize, window_score, Edit, Evidence, ModelVerdict, Tables, Tok, BOUNDARY};
use std::collections::HashSet;

/// A reference text, cut into sentences of lower-case words.
#[derive(Debug, Clone)]
pub struct Reference {
    name: String,
    sentences: Vec<Vec<String>>,
}

impl Reference {
    /// `text` (the clean text of another version of the story) under `name`.
    pub fn new(name: &str, text: &str, tables: &Tables) -> Reference {
        let sentences = text
            .lines()
            .flat_map(|p| {
                crate::segment::sentence_spans(p)
                    .into_iter()
                    .map(|s| words(&tokenize(&p[s], tables)))
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= MIN_WORDS)
            .collect();
        Reference {
            name: name.to_string(),
            sentences,
        }
    }
}

fn words(toks: &[Tok]) -> Vec<String> {
    toks.iter()
        .filter(|t| t.text != BOUNDARY)
        .map(|t| t.text.clone())
        .collect()
}

/// Sentences shorter than this are not aligned (too little to be sure it
/// is the same sentence).
const MIN_WORDS: usize = 6;
/// The share of a sentence's distinct words a reference sentence must have
/// to count as a version of it.
const MIN_OVERLAP: f64 = 0.6;
/// The same where a model judges a document proven spun: a spinner swaps
/// so many words that its sentences share less with their originals, and
/// every proposal still needs the model's [`MODEL_GAIN`].
const MIN_OVERLAP_SPUN: f64 = 0.5;
/// The longest differing stretch, in words, on either side.
const MAX_SPAN: usize = 3;
/// How many of the most similar reference sentences are aligned with one
/// sentence (versions of a story repeat a quote, or word it twice).
pub const MAX_VERSIONS: usize = 3;
/// Without a model: the gain (log10, clean-text bigram and skip-gram
/// score of the window) the reference's words need over the document's.
pub const TABLE_GAIN: f64 = 1.0;
/// With a model: the gain (nats) the sentence needs with the reference's
/// words. Measured on the seeds in the experiment: gated at 2
/// nats, alignment repaired 13–15 of 24 with 2–4 changes per 2,000 words of
/// clean versions run against each other.
pub const MODEL_GAIN: f32 = 2.0;

/// The longest common subsequence of two word lists, as index pairs.
fn align(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut dp = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            dp[i][j] = if a[i] == b[j] {
                dp[i + 1][j + 1] + 1
            } else {
                dp[i + 1][j].max(dp[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if dp[i + 1][j] >= dp[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// How the reference's wording is linked to the document's: the tables'
/// link strength (0 attested spinner substitution, 1 synonym…), if any.
fn link(tables: &Tables, observed: &str, original: &str) -> Option<u8> {
    let forward = candidates(observed, tables)
        .into_iter()
        .filter(|c| c.text.eq_ignore_ascii_case(original))
        .map(|c| c.strength)
        .min();
    let backward = tables
        .thesaurus_entry(original)
        .into_iter()
        .filter(|(c, _)| c.eq_ignore_ascii_case(observed))
        .map(|(_, s)| s)
        .min();
    forward.into_iter().chain(backward).min()
}

/// A sentence-level judge: `(context, sentence, repaired)` → the model's
/// verdict (needing [`MODEL_GAIN`]), or None where there is no model.
pub type Judge<'a> = dyn FnMut(&str, &str, &str) -> crate::Result<Option<ModelVerdict>> + 'a;

/// The reference's wording proposed for one paragraph, where confirmed,
/// apart from where `taken` (the tables' own repairs) already edits.
/// `proven`: the document is proven spun (its sentence shapes); `judged`:
/// `judge` has a model behind it.
pub fn propose(
    text: &str,
    tables: &Tables,
    refs: &[Reference],
    taken: &[Edit],
    proven: bool,
    judged: bool,
    judge: &mut Judge<'_>,
) -> crate::Result<Vec<Edit>> {
    let mut out = Vec::new();
    let spans = crate::segment::sentence_spans(text);
    let min_overlap = if proven && judged {
        MIN_OVERLAP_SPUN
    } else {
        MIN_OVERLAP
    };
    for k in 0..spans.len() {
        let sentence = Sentence::new(text, &spans, k, tables, proven && judged);
        if sentence.words.len() < MIN_WORDS {
            continue;
        }
        // Each stretch of this sentence once: the first version (most
        // similar) that words it differently and is confirmed.
        let mut tried: HashSet<(std::ops::Range<usize>, String)> = HashSet::new();
        for (overlap, reference, b) in sentence.versions(refs, min_overlap) {
            for w in align(&sentence.words, b).windows(2) {
                let Some(gap) = sentence.gap(w[0], w[1], b) else {
                    continue;
                };
                // Names, numbers and anything across punctuation stay; so
                // does a stretch the tables or an earlier version edit.
                let before = &text[gap.range.clone()];
                if before.chars().any(|c| c.is_uppercase() || c.is_ascii_digit())
                    || before.contains([',', ';', ':', '(', ')', '"'])
                    || taken
                        .iter()
                        .chain(&out)
                        .any(|e| e.range.start < gap.range.end && gap.range.start < e.range.end)
                    || !tried.insert((gap.range.clone(), gap.original.clone()))
                {
                    continue;
                }
                if let Some(e) = sentence.confirm(gap, reference, overlap, judge)? {
                    out.push(e);
                }
            }
        }
    }
    Ok(out)
}

/// One sentence of the paragraph, as the alignment sees it.
struct Sentence<'t> {
    text: &'t str,
    spans: &'t [std::ops::Range<usize>],
    k: usize,
    tables: &'t Tables,
    /// A model judges, in a document proven spun: fillers may go, and
    /// swaps the tables do not link are tried.
    bold: bool,
    toks: Vec<Tok>,
    /// The sentence's lower-case words (`toks` without boundaries).
    words: Vec<String>,
}

/// Where the sentence and a reference sentence differ: the document's
/// stretch, the reference's words for it, and the aligned words around.
struct Gap {
    range: std::ops::Range<usize>,
    observed: String,
    original: String,
    /// The reference's words for the stretch (none for a deletion).
    theirs: Vec<String>,
    deletion: bool,
    /// The indices in the sentence of the aligned words before and after
    /// the stretch.
    at: (usize, usize),
}

impl<'t> Sentence<'t> {
    fn new(text: &'t str, spans: &'t [std::ops::Range<usize>], k: usize, tables: &'t Tables, bold: bool) -> Self {
        let span = spans[k].clone();
        let toks: Vec<Tok> = tokenize(&text[span.clone()], tables)
            .into_iter()
            .filter(|t| t.text != BOUNDARY)
            .map(|mut t| {
                t.range = t.range.start + span.start..t.range.end + span.start;
                t
            })
            .collect();
        let words = toks.iter().map(|t| t.text.clone()).collect();
        Sentence {
            text,
            spans,
            k,
            tables,
            bold,
            toks,
            words,
        }
    }

    /// The references' sentences most similar to this one (sharing at
    /// least `min_overlap` of its distinct words, not all), best first, at
    /// most [`MAX_VERSIONS`].
    fn versions<'r>(&self, refs: &'r [Reference], min_overlap: f64) -> Vec<(f64, &'r Reference, &'r Vec<String>)> {
        let mine: HashSet<&String> = self.words.iter().collect();
        let mut similar: Vec<(f64, &Reference, &Vec<String>)> = refs
            .iter()
            .flat_map(|r| r.sentences.iter().map(move |s| (r, s)))
            .map(|(r, s)| {
                let theirs: HashSet<&String> = s.iter().collect();
                (mine.intersection(&theirs).count() as f64 / mine.len() as f64, r, s)
            })
            .filter(|(o, ..)| *o >= min_overlap && *o < 1.0)
            .collect();
        similar.sort_by(|x, y| y.0.total_cmp(&x.0));
        similar.truncate(MAX_VERSIONS);
        similar
    }

    /// The stretch between two consecutive aligned word pairs, where it is
    /// one to [`MAX_SPAN`] words on both sides, or — `bold` only — one or
    /// two words the reference lacks (a filler the spinner inserted: "have
    /// actually warned"; the space before it goes with it).
    fn gap(&self, (i0, j0): (usize, usize), (i1, j1): (usize, usize), b: &[String]) -> Option<Gap> {
        let (da, db) = (i1 - i0 - 1, j1 - j0 - 1);
        let deletion = db == 0 && self.bold && (1..=2).contains(&da);
        if !(1..=MAX_SPAN).contains(&da) || (!(1..=MAX_SPAN).contains(&db) && !deletion) {
            return None;
        }
        let last = self.toks[i1 - 1].range.end;
        let start = if deletion {
            self.toks[i0].range.end
        } else {
            self.toks[i0 + 1].range.start
        };
        Some(Gap {
            range: start..last,
            observed: self.words[i0 + 1..i1].join(" "),
            original: b[j0 + 1..j1].join(" "),
            theirs: b[j0 + 1..j1].to_vec(),
            deletion,
            at: (i0, i1),
        })
    }

    /// The reference's wording for `gap` as an edit, where it is confirmed:
    /// by the model's [`MODEL_GAIN`] where one judges, else by the tables'
    /// [`TABLE_GAIN`]. A swap the tables do not link is tried only in a
    /// document proven spun, and only a model can confirm it (outlets word
    /// the same facts differently: "warned publicly" / "said before").
    fn confirm(
        &self,
        gap: Gap,
        reference: &Reference,
        overlap: f64,
        judge: &mut Judge<'_>,
    ) -> crate::Result<Option<Edit>> {
        let tables = self.tables;
        let strength = link(tables, &gap.observed, &gap.original);
        if strength.is_none() && !self.bold {
            return Ok(None);
        }
        let before = &self.text[gap.range.clone()];
        let after = if gap.deletion {
            String::new()
        } else {
            match_case(before.trim_start(), &gap.original)
        };
        let (context, sentence, repaired) = super::in_sentence(self.text, self.spans, self.k, &gap.range, &after);
        let verdict = judge(context, sentence, &repaired)?;
        if strength.is_none() && verdict.is_none() {
            return Ok(None);
        }
        // The tables' view of the window, with either wording.
        let (i0, i1) = gap.at;
        let id = |w: &str| tables.id(w);
        let b: Vec<u32> = gap.theirs.iter().map(|w| id(w)).collect();
        let a: Vec<u32> = self.words[i0 + 1..i1].iter().map(|w| id(w)).collect();
        let (prev, next) = (self.toks[i0].id, self.toks[i1].id);
        let gain = window_score(tables, prev, &b, next) - window_score(tables, prev, &a, next);
        let (stands, how) = match &verdict {
            Some(v) => {
                let g = v.repaired - v.observed;
                (
                    g >= MODEL_GAIN,
                    format!("the language model gains {g:+.1} nats (needs {MODEL_GAIN})"),
                )
            }
            None => (
                gain >= TABLE_GAIN,
                format!("clean-text context score {gain:+.1} (needs {TABLE_GAIN})"),
            ),
        };
        if !stands {
            return Ok(None);
        }
        Ok(Some(Edit {
            range: gap.range,
            before: before.to_string(),
            after,
            evidence: Evidence {
                rule: "reference",
                source: Some("reference"),
                link: strength,
                gain: Some(gain as f32),
                needed: Some(TABLE_GAIN as f32),
                observed: None,
                candidate: None,
                proven_spun: false,
                model: verdict,
                reference: Some(reference.name.clone()),
                note: format!(
                    "reference {} words it \"{}\" in a sentence sharing {:.0}% of the words ({}); {how}",
                    reference.name,
                    gap.original,
                    100.0 * overlap,
                    strength.map_or("no thesaurus link".to_string(), |s| format!("link {s}"))
                ),
            },
            confidence: 0.9,
            gain: gain as f32,
            need: TABLE_GAIN as f32,
        }))
    }
}
