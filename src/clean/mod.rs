//! Cleaning: keep the article, drop the page around it.
//!
//! The input is cut into blocks (lines of scraped text, or the blocks that
//! HTML extraction yields). Each block goes through named heuristics, in the
//! manner of trafilatura and jusText:
//!
//! 1. **specific rules** ([`rules`]): widget phrases (a small data list),
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
//! Every removal is recorded as a [`Removal`] with the rule and a reason.

pub mod despin;
pub mod rules;

pub use despin::{DespinMode, SpinReport};

use crate::document::{Document, Metadata};
use crate::error::{Error, Result};
use crate::input::html::Extracted;
use crate::input::{Decoded, Format};
use regex::Regex;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// Options for [`clean`].
#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    /// Keep photo captions (without their credits) as paragraphs.
    pub keep_captions: bool,
    /// Repair machine-paraphrased wording ([`despin`]).
    pub despin: DespinMode,
}

/// One block that was dropped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub text: String,
    /// The heuristic that fired (e.g. `widget`, `breadcrumb`, `context`).
    pub rule: &'static str,
    /// A human-readable reason.
    pub reason: String,
    /// 1-based line (plain text) or block number (HTML) in the input.
    pub block: usize,
}

/// One repair of machine-paraphrased text (filled by the de-spinner).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Repair {
    pub before: String,
    pub after: String,
    /// Byte range of `after` in the clean text.
    pub span: Range<usize>,
    pub evidence: String,
    pub confidence: f32,
}

/// The result of cleaning: the document, and what was changed to get it.
#[derive(Debug, Clone, Serialize)]
pub struct Cleaned {
    #[serde(flatten)]
    pub document: Document,
    pub removed: Vec<Removal>,
    pub repairs: Vec<Repair>,
    /// How machine-paraphrased the text looks.
    pub spin: SpinReport,
}

/// Clean decoded input: extract HTML first, then classify its blocks.
pub fn clean(input: &Decoded, opts: &CleanOptions) -> Result<Cleaned> {
    let cleaned = match input.format {
        Format::Html => {
            let ex = crate::input::html::extract(&input.text).map_err(|m| Error::bad_input(&input.name, m))?;
            clean_extracted(ex, &input.name, opts)
        }
        Format::Text => clean_text(&input.text, &input.name, opts),
    };
    if cleaned.document.is_empty() {
        return Err(Error::bad_input(
            &input.name,
            format!(
                "no article text left after cleaning ({} blocks removed as boilerplate)",
                cleaned.removed.len()
            ),
        ));
    }
    Ok(cleaned)
}

/// Clean scraped plain text: every non-empty line is a block.
pub fn clean_text(text: &str, source: &str, opts: &CleanOptions) -> Cleaned {
    let blocks: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, collapse_ws(l)))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let meta = Metadata {
        source: source.to_string(),
        ..Default::default()
    };
    classify(blocks, meta, opts, true)
}

/// Clean the blocks of an extracted HTML page. The extractor already chose
/// the main content, so only the specific rules and duplicates apply.
pub fn clean_extracted(ex: Extracted, source: &str, opts: &CleanOptions) -> Cleaned {
    let mut blocks: Vec<(usize, String)> = ex.blocks.into_iter().enumerate().map(|(i, b)| (i + 1, b)).collect();
    if let Some(title) = &ex.title {
        if !blocks.iter().take(3).any(|(_, b)| same_text(b, title)) {
            blocks.insert(0, (0, title.clone()));
        }
    }
    let meta = Metadata {
        title: ex.title,
        byline: ex.byline,
        date: ex.date,
        source: source.to_string(),
    };
    classify(blocks, meta, opts, false)
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
    class: Class,
    /// Set when a rule or the context decided.
    verdict: Option<(&'static str, String)>,
}

fn classify(raw: Vec<(usize, String)>, mut meta: Metadata, opts: &CleanOptions, prose_rules: bool) -> Cleaned {
    let mut removed = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut dates = Vec::new();
    let total = raw.len();
    for (pos, (line, text)) in raw.into_iter().enumerate() {
        let ctx = rules::Position { index: pos, total };
        match rules::apply(&text, ctx, opts) {
            rules::Outcome::Keep(text) => {
                let class = if prose_rules { prose_class(&text) } else { Class::Good };
                blocks.push(Block {
                    line,
                    text,
                    class,
                    verdict: None,
                });
            }
            rules::Outcome::Edit { kept, removed: gone } => {
                for (rule, reason, t) in gone {
                    removed.push(Removal {
                        text: t,
                        rule,
                        reason,
                        block: line,
                    });
                }
                blocks.push(Block {
                    line,
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
                blocks.push(Block {
                    line,
                    text: text.clone(),
                    class: Class::Bad,
                    verdict: Some((rule, reason)),
                });
            }
        }
    }
    if prose_rules {
        smooth(&mut blocks);
        // A text too short to have good neighbours (a note, one paragraph
        // pasted in) is the article itself: when context smoothing left
        // nothing, keep what only context had dropped.
        if !blocks.iter().any(|b| b.class == Class::Good) {
            for b in blocks.iter_mut() {
                if b.verdict.as_ref().is_some_and(|v| v.0 == "context") {
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
    let mut paragraphs = Vec::new();
    for (i, b) in blocks.into_iter().enumerate() {
        let keep = b.class == Class::Good && b.verdict.as_ref().is_none_or(|v| v.0 == "caption");
        if !keep {
            let (rule, reason) = b.verdict.unwrap_or(("context", "not article prose".into()));
            removed.push(Removal {
                text: b.text,
                rule,
                reason,
                block: b.line,
            });
            continue;
        }
        if !seen.insert(fold(&b.text)) {
            removed.push(Removal {
                text: b.text,
                rule: "duplicate",
                reason: "repeats an earlier block".into(),
                block: b.line,
            });
            continue;
        }
        // The headline comes first, whatever its position.
        if Some(i) == title_idx {
            paragraphs.insert(0, b.text);
        } else {
            paragraphs.push(b.text);
        }
    }
    let (paragraphs, repairs, spin) = despin::despin(&paragraphs, opts.despin);
    let document = Document::with_marks(meta, paragraphs.iter().map(String::as_str));
    let repairs = locate(&document, &paragraphs, repairs);
    Cleaned {
        document,
        removed,
        repairs,
        spin,
    }
}

/// The clean text with each repair shown inline as `[before → after]`.
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

/// Turn paragraph-local repair spans into spans of the document text: add
/// the paragraph's offset, less the `==mark==` delimiters before the repair
/// (they are taken out when the document is built).
fn locate(doc: &Document, texts: &[String], repairs: Vec<(usize, Repair)>) -> Vec<Repair> {
    let mut out = Vec::with_capacity(repairs.len());
    for (pi, mut r) in repairs {
        let (Some(p), Some(raw)) = (doc.paragraphs.get(pi), texts.get(pi)) else {
            continue;
        };
        let lead = raw.len() - raw.trim_start().len();
        let delims = 2 * raw[..r.span.start].matches("==").count();
        let start = (r.span.start - lead - delims.min(r.span.start - lead)).min(p.text.len());
        r.span = p.span.start + start..p.span.start + (start + r.after.len()).min(p.text.len());
        out.push(r);
    }
    out
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-case letters and digits only: for comparing blocks.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn same_text(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

fn looks_like_title(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (3..=30).contains(&words) && !s.ends_with('.') && !s.ends_with(',') && !s.ends_with(':')
}

fn stopwords() -> &'static HashSet<&'static str> {
    static SW: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SW.get_or_init(|| {
        include_str!("data/stopwords_en.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// jusText's classes from length and stop-word density.
fn prose_class(text: &str) -> Class {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = WORD.get_or_init(|| Regex::new(r"[\p{L}’']+").expect("regex"));
    let words: Vec<String> = word.find_iter(text).map(|m| m.as_str().to_lowercase()).collect();
    let chars = text.chars().count();
    if chars < 60 || words.len() < 8 {
        return Class::Short;
    }
    let sw = stopwords();
    let density = words.iter().filter(|w| sw.contains(w.as_str())).count() as f32 / words.len() as f32;
    if density >= 0.28 && chars >= 140 {
        Class::Good
    } else if density >= 0.15 {
        Class::NearGood
    } else {
        Class::Bad
    }
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
        );
        assert_eq!(c.document.paragraphs.len(), 1);
        let c = clean_text(
            "Please enter your comment!\nMost Popular\n",
            "t",
            &CleanOptions::default(),
        );
        assert!(c.document.paragraphs.is_empty());
    }

    #[test]
    fn keeps_body_drops_furniture() {
        let text = format!("HomeWorld NewsKim to meet Putin\n\nKim to meet Putin\n\n{BODY}\n\nSub heading here\n\n{BODY} Again.\n\nPlease enter your comment!\n\nMost Popular\n");
        let c = clean_text(&text, "t", &CleanOptions::default());
        let paras: Vec<&str> = c.document.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(paras[0], "Kim to meet Putin");
        assert_eq!(paras.len(), 4, "{paras:?}");
        assert!(c.removed.iter().any(|r| r.rule == "breadcrumb"));
        assert!(c.removed.iter().any(|r| r.rule == "widget"));
    }

    #[test]
    fn short_lines_among_junk_go() {
        let text = format!("Kim to meet Putin now\n\n{BODY}\n\nAl Jazeera and news agencies\n\nLearn more\n");
        let c = clean_text(&text, "t", &CleanOptions::default());
        assert!(c
            .removed
            .iter()
            .any(|r| r.text == "Al Jazeera and news agencies" && r.rule == "context"));
    }
}
