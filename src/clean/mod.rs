//! Cleaning: keep the article, drop the page around it.
//!
//! The input is cut into blocks (lines of scraped text, or the blocks that
//! HTML extraction yields). Each block goes through named heuristics, in the
//! manner of trafilatura and jusText:
//!
//! 1. **specific rules** (`rules.rs`): widget phrases (a small data list),
//!    captchas, breadcrumbs, date lines, bylines, captions and photo
//!    credits, site blurbs, source credits, related-article headlines;
//! 2. **prose classification**: length and stop-word density make a block
//!    *good*, *near-good*, *short* or *bad*;
//! 3. **context smoothing**: near-good and short blocks take the class of
//!    their neighbours (a sub-heading between two paragraphs stays, a short
//!    line among widgets goes);
//! 4. **headline and duplicates**: the headline is kept once, as the first
//!    paragraph; repeated blocks go.
//!
//! Rules judge the smallest piece that can be furniture: a scraped line
//! (split again where the layout left runs of spaces), and, when a rule
//! fires on a block long enough to hold prose too, each of its sentences:
//! the furniture goes, the prose stays (a "partial" removal).
//!
//! The document's language (`language.rs`) decides the stop words; every
//! removal is recorded as a [`Removal`] with the rule and a reason.

pub(crate) mod despin;
pub(crate) mod language;
#[cfg(feature = "lm")]
pub mod lm;
#[cfg(feature = "lm")]
pub mod models;
pub(crate) mod rules;
pub mod versions;

pub use despin::{Counts, DespinMode, Evidence, ModelVerdict, SpinReport};

use crate::document::{parse_mark_syntax, Document, Metadata};
use crate::error::{Error, Result};
use crate::input::html::{fold, Extracted, MarkedBlock};
use crate::input::{Decoded, Format};
use regex::Regex;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// Options for cleaning (set through [`crate::ReadOptions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CleanOptions {
    /// Keep photo captions (without their credits) as paragraphs.
    pub keep_captions: bool,
    /// The document's language (a BCP 47 tag) when the caller knows it.
    pub language: Option<String>,
    /// Repair machine-paraphrased wording.
    pub despin: DespinMode,
    /// In plain text, `==text==` marks a highlight (taken out of the text
    /// and kept as a mark). Off, `==` is text like any other.
    pub mark_syntax: bool,
    /// A language model judging the de-spinner's repairs.
    #[cfg(feature = "lm")]
    pub model: Option<lm::Model>,
    /// Other versions of the story: (name, clean text).
    pub references: Vec<(String, String)>,
}

/// One block that was dropped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Removal {
    /// The text removed.
    pub text: String,
    /// The heuristic that fired (e.g. `widget`, `breadcrumb`, `context`).
    pub rule: &'static str,
    /// A human-readable reason.
    pub reason: String,
    /// 1-based line (plain text) or block number (HTML) in the input.
    pub block: usize,
    /// Only this part of the block was removed; the rest is prose and stays.
    pub partial: bool,
}

/// One repair of machine-paraphrased text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Repair {
    /// The words as they were.
    pub before: String,
    /// The words put in their place.
    pub after: String,
    /// Byte range of `after` in the clean text ([`Document::text`]).
    pub span: Range<usize>,
    /// Why: the rule and the figures that decided it.
    pub evidence: Evidence,
    /// How sure the de-spinner is, in (0, 1].
    pub confidence: f32,
}

/// The result of cleaning: the document, and what was changed to get it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cleaned {
    /// The clean article.
    #[serde(flatten)]
    pub document: Document,
    /// Blocks removed as page furniture, in page order.
    pub removed: Vec<Removal>,
    /// De-spinning repairs, in text order.
    pub repairs: Vec<Repair>,
    /// How machine-paraphrased the text looks.
    pub spin: SpinReport,
}

/// The language a text is written in (a BCP 47 primary tag such as `de`),
/// by `whatlang`'s detector; None when the text is too short or mixed for a
/// sure answer.
///
/// ```
/// assert_eq!(hark::clean::detect_language("Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen."), Some("de"));
/// ```
pub fn detect_language(text: &str) -> Option<&'static str> {
    language::detect(text)
}

/// Clean decoded input: extract HTML first, then classify its blocks.
pub(crate) fn clean(input: &Decoded, opts: &CleanOptions) -> Result<Cleaned> {
    let cleaned = match input.format {
        Format::Html => {
            let ex = crate::input::html::extract(&input.text).map_err(|reason| Error::NoContent {
                input: input.name.clone(),
                reason,
            })?;
            clean_extracted(ex, &input.name, opts)?
        }
        Format::Text => clean_text(&input.text, &input.name, opts)?,
    };
    if cleaned.document.is_empty() {
        return Err(Error::NoArticle {
            input: input.name.clone(),
            removed: cleaned.removed.len(),
        });
    }
    Ok(cleaned)
}

/// Clean scraped plain text: every non-empty line is a block, and so is
/// every piece of a line between runs of spaces where a page's layout, or a
/// flattening of its lines, left them (three or more spaces or a tab; or two,
/// in a line that has at least three such runs).
pub(crate) fn clean_text(text: &str, source: &str, opts: &CleanOptions) -> Result<Cleaned> {
    static GAP: OnceLock<Regex> = OnceLock::new();
    static WIDE: OnceLock<Regex> = OnceLock::new();
    let gap = GAP.get_or_init(|| Regex::new(r"[ \t\u{a0}]{2,}|\t").expect("regex"));
    let wide = WIDE.get_or_init(|| Regex::new(r"[ \t\u{a0}]{3,}|\t").expect("regex"));
    let mut blocks: Vec<(usize, MarkedBlock)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        // A label ("Read Also:", "Source:") belongs with what follows it.
        // Runs of spaces are layout (or lines flattened into one) when a line
        // has several; one or two double spaces inside a sentence are typing.
        let gaps = gap.find_iter(line.trim()).count();
        let mut pieces: Vec<String> = Vec::new();
        let split: Vec<&str> = if gaps >= 3 {
            gap.split(line).collect()
        } else {
            wide.split(line).collect()
        };
        for piece in split {
            let piece = collapse_ws(piece);
            match pieces.last_mut() {
                Some(last) if last.ends_with(':') && !piece.is_empty() => {
                    last.push(' ');
                    last.push_str(&piece);
                }
                _ => pieces.push(piece),
            }
        }
        for piece in pieces {
            if piece.is_empty() {
                continue;
            }
            let block = if opts.mark_syntax {
                let (text, marks) = parse_mark_syntax(&piece);
                MarkedBlock {
                    text,
                    marks,
                    judged: false,
                }
            } else {
                MarkedBlock {
                    text: piece,
                    ..Default::default()
                }
            };
            blocks.push((i + 1, block));
        }
    }
    let language = opts
        .language
        .as_deref()
        .and_then(language::primary)
        .or_else(|| language::detect(text).map(String::from));
    let meta = Metadata {
        source: source.to_string(),
        language,
        ..Default::default()
    };
    classify(blocks, meta, opts, true)
}

/// Clean the blocks of an extracted HTML page. Blocks both extractors chose
/// are the main content, so only the specific rules and duplicates apply; a
/// block one extractor alone chose stays only if it is running prose on its
/// own ([`Class::Good`]); blocks of the streaming fallback (a pathological
/// page) are judged as prose in their context, as scraped text is.
pub(crate) fn clean_extracted(ex: Extracted, source: &str, opts: &CleanOptions) -> Result<Cleaned> {
    let prose_rules = ex.dense;
    let mut blocks: Vec<(usize, MarkedBlock)> = ex.blocks.into_iter().enumerate().map(|(i, b)| (i + 1, b)).collect();
    if let Some(title) = &ex.title {
        if !blocks.iter().take(3).any(|(_, b)| same_text(&b.text, title)) {
            blocks.insert(
                0,
                (
                    0,
                    MarkedBlock {
                        text: title.clone(),
                        ..Default::default()
                    },
                ),
            );
        }
    }
    let language = opts
        .language
        .as_deref()
        .and_then(language::primary)
        .or_else(|| ex.lang.as_deref().and_then(language::primary))
        .or_else(|| {
            let sample: Vec<&str> = blocks.iter().map(|(_, b)| b.text.as_str()).collect();
            language::detect(&sample.join("\n")).map(String::from)
        });
    let meta = Metadata {
        title: ex.title,
        byline: ex.byline,
        date: ex.date,
        source: source.to_string(),
        language,
    };
    classify(blocks, meta, opts, prose_rules)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    NearGood,
    Short,
    Bad,
}

struct Block {
    line: usize,
    text: String,
    marks: Vec<Range<usize>>,
    class: Class,
    /// Set when a rule or the context decided.
    verdict: Option<(&'static str, String)>,
}

impl Block {
    fn dropped(line: usize, text: String, marks: Vec<Range<usize>>, rule: &'static str, reason: String) -> Block {
        Block {
            line,
            text,
            marks,
            class: Class::Bad,
            verdict: Some((rule, reason)),
        }
    }
}

/// Marks of `orig` carried over to `kept`, which a rule made from it by
/// cutting its end (a credit, a teaser): ranges outside what was kept are
/// dropped, those that straddle an edge are clipped.
fn carry_marks(orig: &str, kept: &str, marks: &[Range<usize>]) -> Vec<Range<usize>> {
    if marks.is_empty() {
        return Vec::new();
    }
    let Some(at) = orig.find(kept.trim_end_matches('.')) else {
        return Vec::new();
    };
    carry_pieces(marks, &[(at..at + kept.len().min(orig.len() - at), 0)], kept)
}

/// Marks carried into a text built from pieces of the original: each piece
/// is a range of the original and where it starts in the new text.
fn carry_pieces(marks: &[Range<usize>], pieces: &[(Range<usize>, usize)], new: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for m in marks {
        for (r, at) in pieces {
            let (a, b) = (m.start.max(r.start), m.end.min(r.end));
            if a < b {
                let (na, nb) = (at + a - r.start, at + b - r.start);
                if nb <= new.len() && new.is_char_boundary(na) && new.is_char_boundary(nb) {
                    out.push(na..nb);
                }
            }
        }
    }
    out
}

/// What is left of a block once some of its sentences went.
struct Partial {
    kept: String,
    pieces: Vec<(Range<usize>, usize)>,
    gone: Vec<(&'static str, String, String)>,
}

/// A repeated block is dropped (rule `duplicate`) when it is at least
/// this many words long (a paragraph or pull quote read twice) or follows
/// its own copy; a short line that comes back later (a recipe's "Eat every
/// 2–3 hours" under each meal, a table's repeated label) is content.
const DUPLICATE_WORDS: usize = 8;

/// The rules that may take one sentence out of a longer block. A caption
/// or a related headline is a block of its own; judged sentence by
/// sentence they would cut prose.
const SENTENCE_RULES: &[&str] = &[
    "widget",
    "no-words",
    "captcha",
    "breadcrumb",
    "date-line",
    "byline",
    "site-voice",
    "source-credit",
];

/// What one sentence of a block is, judged on its own.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
struct Said {
    /// Looked at (inside a long block whose edges alone are judged, the
    /// middle is not).
    seen: bool,
    /// In the site's voice ([`rules::voiced`]).
    voiced: bool,
    /// Dropped by a rule on its own.
    dropped: bool,
}

/// Judge a block sentence by sentence, as if each were a block: the
/// sentences the rules drop go, and so does a run of two or more sentences
/// in the site's voice at the block's start or end; the rest is kept. With
/// `full`, every sentence is judged (a rule fired on the whole block);
/// otherwise only from each edge inwards until prose begins (furniture is
/// glued to prose at its edges). None when the block is one sentence, or
/// when no sentence (or every one) would go. Sentences after the first are
/// not at the top of the page, whatever the block's position.
fn by_sentence(text: &str, pos: rules::Position, opts: &CleanOptions, full: bool) -> Option<Partial> {
    let spans = crate::segment::sentence_spans(text);
    let n = spans.len();
    if n < 2 {
        return None;
    }
    let mut said = vec![Said::default(); n];
    let mut outcome: Vec<Option<rules::Outcome>> = (0..n).map(|_| None).collect();
    let mut judge = |k: usize, said: &mut Vec<Said>| {
        if said[k].seen {
            return said[k];
        }
        let s = &text[spans[k].clone()];
        let p = rules::Position {
            index: if k == 0 { pos.index } else { pos.index.max(6) },
            ..pos
        };
        let o = rules::apply(s, p, opts);
        said[k] = Said {
            seen: true,
            voiced: rules::voiced(s, pos.lang),
            dropped: matches!(&o, rules::Outcome::Drop { rule, .. } if SENTENCE_RULES.contains(rule)),
        };
        outcome[k] = Some(o);
        said[k]
    };
    if full {
        for k in 0..n {
            judge(k, &mut said);
        }
    } else {
        // From each edge inwards, over furniture and the site's voice (one
        // plain sentence between voiced ones is still the blurb).
        for order in [(0..n).collect::<Vec<_>>(), (0..n).rev().collect()] {
            let mut voiced = 0;
            for (at, &k) in order.iter().enumerate() {
                let x = judge(k, &mut said);
                if x.voiced {
                    voiced += 1;
                } else if !(x.dropped || voiced > 0 && order.get(at + 1).is_some_and(|&k2| judge(k2, &mut said).voiced))
                {
                    break;
                }
            }
        }
    }
    let lead = voice_run(said.iter().copied());
    let trail = voice_run(said.iter().rev().copied());
    let mut kept = String::new();
    let mut pieces = Vec::new();
    let mut gone = Vec::new();
    for (k, r) in spans.into_iter().enumerate() {
        let s = &text[r.clone()];
        if (k < lead || k >= n - trail) && !said[k].dropped {
            gone.push((
                "site-voice",
                "the site describing itself (about us, contact, staff)".to_string(),
                s.to_string(),
            ));
            continue;
        }
        let t = match outcome[k].take() {
            Some(rules::Outcome::Drop { rule, reason, .. }) if SENTENCE_RULES.contains(&rule) => {
                gone.push((rule, reason, s.to_string()));
                continue;
            }
            Some(rules::Outcome::Keep(t)) | Some(rules::Outcome::Edit { kept: t, .. }) => t,
            _ => s.to_string(),
        };
        if !kept.is_empty() {
            kept.push(' ');
        }
        pieces.push((r.start..r.start + t.len().min(r.len()), kept.len()));
        kept.push_str(&t);
    }
    (!gone.is_empty()).then_some(Partial { kept, pieces, gone })
}

/// How many sentences from one edge of a block belong to the site's voice:
/// voiced sentences, with furniture and single plain sentences between
/// them (a blurb's sentence without a pronoun or a site word); at least two
/// voiced, else 0.
fn voice_run(said: impl Iterator<Item = Said>) -> usize {
    let v: Vec<Said> = said.collect();
    let (mut end, mut count) = (0, 0);
    let mut k = 0;
    let next_voiced = |k: usize| v[k..].iter().find(|s| !s.dropped || s.voiced).is_some_and(|s| s.voiced);
    while k < v.len() {
        if v[k].voiced {
            count += 1;
            k += 1;
            end = k;
        } else if v[k].dropped || (count > 0 && next_voiced(k + 1)) {
            k += 1;
        } else {
            break;
        }
    }
    if count >= 2 {
        end
    } else {
        0
    }
}

/// Removals of parts of block `line`: (rule, reason, text removed).
fn partial_removals(gone: Vec<(&'static str, String, String)>, line: usize) -> impl Iterator<Item = Removal> {
    gone.into_iter().map(move |(rule, reason, text)| Removal {
        text,
        rule,
        reason,
        block: line,
        partial: true,
    })
}

/// Long enough to hold prose beside furniture.
fn long_block(text: &str) -> bool {
    text.split_whitespace().nth(24).is_some()
}

fn classify(
    raw: Vec<(usize, MarkedBlock)>,
    mut meta: Metadata,
    opts: &CleanOptions,
    prose_rules: bool,
) -> Result<Cleaned> {
    let lang = meta.language.clone().unwrap_or_else(|| "en".into());
    let mut removed = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut dates = Vec::new();
    let total = raw.len();
    for (pos, (line, MarkedBlock { text, marks, judged })) in raw.into_iter().enumerate() {
        let ctx = rules::Position {
            index: pos,
            total,
            lang: &lang,
        };
        let outcome = rules::apply(&text, ctx, opts);
        // Furniture inside a longer block: that sentence goes, not the block.
        let partial = match &outcome {
            rules::Outcome::Drop { .. } if long_block(&text) => by_sentence(&text, ctx, opts, true),
            rules::Outcome::Keep(kept) if kept == &text && long_block(&text) => by_sentence(&text, ctx, opts, false),
            _ => None,
        };
        // Every sentence went: the block is furniture as a whole.
        if let Some(p) = partial.as_ref().filter(|p| p.kept.is_empty()) {
            let (rule, reason, _) = p.gone[0].clone();
            blocks.push(Block::dropped(line, text, marks, rule, reason));
            continue;
        }
        if let Some(p) = partial.filter(|p| !prose_rules || prose_class(&p.kept, &lang) != Class::Bad) {
            removed.extend(partial_removals(p.gone, line));
            let marks = carry_pieces(&marks, &p.pieces, &p.kept);
            let class = if prose_rules {
                prose_class(&p.kept, &lang)
            } else {
                Class::Good
            };
            blocks.push(one_extractor(
                judged,
                Block {
                    line,
                    text: p.kept,
                    marks,
                    class,
                    verdict: None,
                },
                &lang,
            ));
            continue;
        }
        match outcome {
            rules::Outcome::Keep(kept) => {
                let class = if prose_rules {
                    prose_class(&kept, &lang)
                } else {
                    Class::Good
                };
                let marks = if kept == text {
                    marks
                } else {
                    carry_marks(&text, &kept, &marks)
                };
                blocks.push(one_extractor(
                    judged,
                    Block {
                        line,
                        text: kept,
                        marks,
                        class,
                        verdict: None,
                    },
                    &lang,
                ));
            }
            rules::Outcome::Edit { kept, removed: gone } => {
                removed.extend(partial_removals(gone, line));
                blocks.push(Block {
                    line,
                    marks: carry_marks(&text, &kept, &marks),
                    text: kept,
                    class: Class::Good,
                    verdict: Some(("caption", "kept with --keep-captions".into())),
                });
            }
            rules::Outcome::Drop {
                rule,
                reason,
                meta: found,
            } => {
                match found {
                    Some(rules::Found::Byline(b)) if meta.byline.is_none() => meta.byline = Some(b),
                    Some(rules::Found::Date(d)) => dates.push((blocks.len(), d)),
                    _ => {}
                }
                blocks.push(Block::dropped(line, text, marks, rule, reason));
            }
        }
    }
    if prose_rules {
        smooth(&mut blocks);
        // A text too short to have good neighbours (a note, one paragraph
        // pasted in) is the article itself, and so is a text that is all in
        // the site's own voice (a blog's post about the blog): when nothing
        // is left, keep what only context or the site-voice rule dropped.
        if !blocks.iter().any(|b| b.class == Class::Good) {
            for b in blocks.iter_mut() {
                if b.verdict
                    .as_ref()
                    .is_some_and(|v| v.0 == "context" || v.0 == "site-voice")
                {
                    b.class = Class::Good;
                    b.verdict = None;
                }
            }
        }
    }

    // The headline: the first kept-able block before the body that reads as a
    // title (no final period, a handful of words).
    let first_body = blocks
        .iter()
        .position(|b| b.class == Class::Good && b.verdict.is_none() && !looks_like_title(&b.text));
    let limit = first_body.unwrap_or(blocks.len()).min(8);
    let title_idx = match &meta.title {
        Some(t) => blocks.iter().position(|b| same_text(&b.text, t)),
        None => blocks[..limit]
            .iter()
            .position(|b| looks_like_title(&b.text) && b.verdict.as_ref().is_none_or(|v| v.0 == "context")),
    };
    if let Some(i) = title_idx {
        blocks[i].class = Class::Good;
        blocks[i].verdict = None;
        meta.title.get_or_insert_with(|| blocks[i].text.clone());
    }
    if meta.date.is_none() {
        // The article's date is the last date line before the body (the
        // first is often the site's "today").
        let body = first_body.unwrap_or(usize::MAX);
        meta.date = dates
            .iter()
            .rev()
            .find(|(i, _)| *i < body)
            .or(dates.first())
            .map(|(_, d)| d.clone());
    }

    let mut seen = HashSet::new();
    let mut last_kept: Option<String> = None;
    let mut paragraphs: Vec<(String, Vec<Range<usize>>)> = Vec::new();
    let mut title_paragraph = None;
    for (i, b) in blocks.into_iter().enumerate() {
        let keep = b.class == Class::Good && b.verdict.as_ref().is_none_or(|v| v.0 == "caption");
        if !keep {
            let (rule, reason) = b.verdict.unwrap_or(("context", "not article prose".into()));
            removed.push(Removal {
                text: b.text,
                rule,
                reason,
                block: b.line,
                partial: false,
            });
            continue;
        }
        let folded = fold(&b.text);
        let words = b.text.split_whitespace().count();
        let last = last_kept.replace(folded.clone());
        if !seen.insert(folded.clone()) && (words >= DUPLICATE_WORDS || last.as_deref() == Some(folded.as_str())) {
            removed.push(Removal {
                text: b.text,
                rule: "duplicate",
                reason: "repeats an earlier block".into(),
                block: b.line,
                partial: false,
            });
            continue;
        }
        // The headline comes first, whatever its position.
        if Some(i) == title_idx {
            paragraphs.insert(0, (b.text, b.marks));
            title_paragraph = Some(0);
        } else {
            paragraphs.push((b.text, b.marks));
        }
    }
    let (texts, marks): (Vec<String>, Vec<Vec<Range<usize>>>) = paragraphs.into_iter().unzip();
    // The de-spinner's tables are English: other languages are left alone.
    let mode = if lang == "en" { opts.despin } else { DespinMode::Off };
    let helpers = despin::Helpers {
        references: &opts.references,
        #[cfg(feature = "lm")]
        model: opts.model.as_ref(),
    };
    // A model that fails is an error of the whole reading, not a silent
    // fall-back to the tables.
    let despun = despin::despin_helped(texts, mode, helpers)?;
    if let Some(t) = title_paragraph.and_then(|i| despun.paragraphs.get(i)) {
        if !t.edits.is_empty() {
            meta.title = Some(t.text.clone());
        }
    }
    let report = despun.report;
    let mut edits = Vec::with_capacity(despun.paragraphs.len());
    let mut marked = Vec::with_capacity(despun.paragraphs.len());
    for (marks, new) in marks.into_iter().zip(despun.paragraphs) {
        let marks = marks.iter().filter_map(|m| new.map_range(m)).collect();
        marked.push((new.text, marks));
        edits.push(new.edits);
    }
    let document = Document::from_marked_paragraphs(meta, marked);
    let mut repairs = Vec::new();
    for (p, edits) in document.paragraphs.iter().zip(edits) {
        for mut r in edits {
            r.span = p.span.start + r.span.start..p.span.start + r.span.end;
            repairs.push(r);
        }
    }
    Ok(Cleaned {
        document,
        removed,
        repairs,
        spin: report,
    })
}

/// The clean text with each repair shown inline as `[before → after]`.
///
/// ```
/// let a = hark::Article::from_bytes(
///     "note",
///     b"Kim Jong Un is anticipated to hold talks with Putin, the officials said.",
///     &hark::ReadOptions { despin: hark::clean::DespinMode::Aggressive, ..Default::default() },
/// ).unwrap();
/// let shown = hark::clean::show_repairs(&a.text(), a.repairs());
/// assert!(shown.starts_with("Kim Jong Un is [anticipated → expected] to hold"), "{shown}");
/// ```
pub fn show_repairs(text: &str, repairs: &[Repair]) -> String {
    let mut out = String::with_capacity(text.len() + 32 * repairs.len());
    let mut last = 0;
    for r in repairs {
        if r.span.start < last || r.span.end > text.len() {
            continue;
        }
        out.push_str(&text[last..r.span.start]);
        out.push_str(&format!("[{} → {}]", r.before, r.after));
        last = r.span.end;
    }
    out.push_str(&text[last..]);
    out
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_text(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

fn looks_like_title(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (3..=30).contains(&words) && !s.ends_with('.') && !s.ends_with(',') && !s.ends_with(':')
}

/// jusText's classes from length and stop-word density, in the
/// document's language. Languages written without spaces between words
/// are measured in characters: a block of running text with its own
/// sentence punctuation is prose.
fn prose_class(text: &str, lang: &str) -> Class {
    let chars = text.chars().count();
    if !language::spaced(lang) {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let stops = text
            .chars()
            .filter(|c| matches!(c, '。' | '！' | '？' | '；' | '.' | '!' | '?'))
            .count();
        return match (letters, stops) {
            (l, s) if l >= 60 && s >= 1 => Class::Good,
            (l, _) if l >= 25 => Class::NearGood,
            (l, _) if l >= 8 => Class::Short,
            _ => Class::Bad,
        };
    }
    let in_word = |c: char| c.is_alphabetic() || c == '’' || c == '\'' || matches!(c as u32, 0x300..=0x36F);
    let words: Vec<String> = text
        .split(|c: char| !in_word(c))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    if chars < 60 || words.len() < 8 {
        return Class::Short;
    }
    let sw = language::stopwords(lang);
    let density = words.iter().filter(|w| sw.contains(w.as_str())).count() as f32 / words.len() as f32;
    if density >= 0.28 && chars >= 140 {
        Class::Good
    } else if density >= 0.15 {
        Class::NearGood
    } else {
        Class::Bad
    }
}

/// A block that one extractor alone chose (`judged`) stays only if it is
/// running prose on its own: next to the article, a short line or a list of
/// links that one extractor let through is furniture more often than not, so
/// context does not save it (measured on the extraction suites' dev halves:
/// README, "Extraction quality").
fn one_extractor(judged: bool, block: Block, lang: &str) -> Block {
    if !judged || block.verdict.is_some() || prose_class(&block.text, lang) == Class::Good {
        return block;
    }
    Block::dropped(
        block.line,
        block.text,
        block.marks,
        "one-extractor",
        "chosen by one extractor only, and not running prose".into(),
    )
}

/// Context smoothing: near-good blocks become good next to a good block;
/// short blocks become good only between good blocks. The edges of the page
/// count as bad.
fn smooth(blocks: &mut [Block]) {
    // Near-good blocks need one good neighbour; short ones need two.
    resolve(
        blocks,
        Class::NearGood,
        &[Class::Short, Class::NearGood],
        false,
        "little running prose and no article paragraph beside it",
    );
    resolve(
        blocks,
        Class::Short,
        &[Class::Short],
        true,
        "short block outside the article's run of paragraphs",
    );
}

/// Give every block of class `target` the class its nearest neighbours
/// (skipping `skip` classes; the page's edges count as bad) call for: good
/// when one (or, with `both`, each) neighbour is good, else bad with `reason`.
fn resolve(blocks: &mut [Block], target: Class, skip: &[Class], both: bool, reason: &str) {
    let neighbour = |i: usize, dir: isize| -> Class {
        let mut j = i as isize + dir;
        while j >= 0 && (j as usize) < blocks.len() {
            let c = blocks[j as usize].class;
            if !skip.contains(&c) {
                return c;
            }
            j += dir;
        }
        Class::Bad
    };
    let fixed: Vec<Option<Class>> = (0..blocks.len())
        .map(|i| {
            (blocks[i].class == target).then(|| {
                let (before, after) = (neighbour(i, -1) == Class::Good, neighbour(i, 1) == Class::Good);
                let good = if both { before && after } else { before || after };
                if good {
                    Class::Good
                } else {
                    Class::Bad
                }
            })
        })
        .collect();
    for (b, c) in blocks.iter_mut().zip(fixed) {
        if let Some(c) = c {
            b.class = c;
            if c == Class::Bad && b.verdict.is_none() {
                b.verdict = Some(("context", reason.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "North Korean leader Kim Jong Un is expected to hold a meeting with Russian President Vladimir Putin, according to an official of the White House who spoke to reporters on Monday.";

    #[test]
    fn a_lone_short_paragraph_is_kept() {
        let c = clean_text(
            "The city council voted on Tuesday to approve a new budget for public schools.\n",
            "t",
            &CleanOptions::default(),
        )
        .unwrap();
        assert_eq!(c.document.paragraphs.len(), 1);
        let c = clean_text(
            "Please enter your comment!\nMost Popular\n",
            "t",
            &CleanOptions::default(),
        )
        .unwrap();
        assert!(c.document.paragraphs.is_empty());
    }

    #[test]
    fn a_block_one_extractor_chose_stays_only_as_prose() {
        let block = |text: &str, judged| MarkedBlock {
            text: text.into(),
            judged,
            ..Default::default()
        };
        let prose = "The council's vote came after months of debate about how much the city should spend on its schools, and the mayor said she would sign the budget this week.";
        let ex = Extracted {
            blocks: vec![
                block(BODY, false),
                block("Green paint and old boats", true),
                block(prose, true),
                block("Short agreed line", false),
            ],
            ..Default::default()
        };
        let c = clean_extracted(ex, "t", &CleanOptions::default()).unwrap();
        let paras: Vec<&str> = c.document.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, [BODY, prose, "Short agreed line"]);
        let gone: Vec<(&str, &str)> = c.removed.iter().map(|r| (r.rule, r.text.as_str())).collect();
        assert_eq!(gone, [("one-extractor", "Green paint and old boats")]);
    }

    #[test]
    fn a_short_line_may_come_back_a_paragraph_may_not() {
        let block = |text: &str| MarkedBlock {
            text: text.into(),
            ..Default::default()
        };
        let ex = Extracted {
            blocks: vec![
                block(BODY),
                block("Eat every 2–3 hours"),
                block("Oatmeal with berries and a spoon of honey, or eggs on toast."),
                block("Eat every 2–3 hours"),
                block(BODY),
                block("Eat every 2–3 hours"),
                block("Eat every 2–3 hours"),
            ],
            ..Default::default()
        };
        let c = clean_extracted(ex, "t", &CleanOptions::default()).unwrap();
        let gone: Vec<(&str, &str)> = c.removed.iter().map(|r| (r.rule, r.text.as_str())).collect();
        // The repeated paragraph goes, and the line that follows its own
        // copy; the short line that comes back after other text stays.
        assert_eq!(gone, [("duplicate", BODY), ("duplicate", "Eat every 2–3 hours")]);
        assert_eq!(
            c.document
                .paragraphs
                .iter()
                .filter(|p| p.text == "Eat every 2–3 hours")
                .count(),
            3
        );
    }

    #[test]
    fn keeps_body_drops_furniture() {
        let text = format!("HomeWorld NewsKim to meet Putin\n\nKim to meet Putin\n\n{BODY}\n\nSub heading here\n\n{BODY} Again.\n\nPlease enter your comment!\n\nMost Popular\n");
        let c = clean_text(&text, "t", &CleanOptions::default()).unwrap();
        let paras: Vec<&str> = c.document.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(paras[0], "Kim to meet Putin");
        assert_eq!(paras.len(), 4, "{paras:?}");
        assert!(c.removed.iter().any(|r| r.rule == "breadcrumb"));
        assert!(c.removed.iter().any(|r| r.rule == "widget"));
    }

    #[test]
    fn short_lines_among_junk_go() {
        let text = format!("Kim to meet Putin now\n\n{BODY}\n\nAl Jazeera and news agencies\n\nLearn more\n");
        let c = clean_text(&text, "t", &CleanOptions::default()).unwrap();
        assert!(c
            .removed
            .iter()
            .any(|r| r.text == "Al Jazeera and news agencies" && r.rule == "context"));
    }
}
