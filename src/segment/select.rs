//! Selections: which passages of a document to read.
//!
//! Selectors combine as a union, in text order. Every selector but an exact
//! quote expands to whole sentences; touching sentences merge into one
//! passage.

use super::{fragment, quote};
use crate::document::{Document, Sentence};
use crate::error::{Closest, Error, Result};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;

/// A 1-based inclusive range: `3`, `3-5`, `7-` (to the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexRange {
    /// The first number (1-based).
    pub first: usize,
    /// The last number, inclusive; `None` runs to the end.
    pub last: Option<usize>,
}

/// Parse `3-5,9,12-` into ranges.
///
/// ```
/// let r = hark::segment::parse_ranges("3-5,9,12-").unwrap();
/// assert_eq!((r[0].first, r[0].last), (3, Some(5)));
/// assert_eq!(r[2].last, None);
/// assert!(hark::segment::parse_ranges("5-3").is_err());
/// ```
pub fn parse_ranges(spec: &str) -> Result<Vec<IndexRange>> {
    let bad = || Error::BadRange { spec: spec.to_string() };
    spec.split(',')
        .map(|part| {
            let part = part.trim();
            let num = |s: &str| s.trim().parse::<usize>().ok().filter(|&n| n >= 1);
            match part.split_once('-') {
                None => {
                    let n = num(part).ok_or_else(bad)?;
                    Ok(IndexRange {
                        first: n,
                        last: Some(n),
                    })
                }
                Some((a, "")) => Ok(IndexRange {
                    first: num(a).ok_or_else(bad)?,
                    last: None,
                }),
                Some((a, b)) => {
                    let (a, b) = (num(a).ok_or_else(bad)?, num(b).ok_or_else(bad)?);
                    if b < a {
                        return Err(bad());
                    }
                    Ok(IndexRange {
                        first: a,
                        last: Some(b),
                    })
                }
            }
        })
        .collect()
}

impl IndexRange {
    fn contains(&self, one_based: usize) -> bool {
        one_based >= self.first && self.last.is_none_or(|l| one_based <= l)
    }
}

/// One way of choosing passages.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Selector {
    /// Sentences by 1-based number.
    Sentences(Vec<IndexRange>),
    /// Paragraphs by 1-based number.
    Paragraphs(Vec<IndexRange>),
    /// The user's highlight, found tolerantly (case, spacing, quote marks
    /// and a few typos do not matter). `exact` keeps the quote's own
    /// bounds (moved to whole words) instead of expanding to sentences.
    Quote {
        /// The highlighted text.
        text: String,
        /// Select the quoted words only.
        exact: bool,
    },
    /// A URL text fragment (`#:~:text=…`), or a whole URL holding one.
    Fragment(String),
    /// The input's own highlights.
    Marks,
    /// Sentences matching a regular expression.
    Grep(Regex),
}

impl Selector {
    /// A [`Selector::Grep`] from a pattern.
    ///
    /// ```
    /// assert!(hark::segment::Selector::grep("(?i)missiles?").is_ok());
    /// assert!(hark::segment::Selector::grep("(").is_err());
    /// ```
    pub fn grep(pattern: &str) -> Result<Selector> {
        Regex::new(pattern).map(Selector::Grep).map_err(|e| Error::BadPattern {
            pattern: pattern.to_string(),
            reason: e.to_string(),
        })
    }

    /// A [`Selector::Fragment`], checked to hold a valid directive.
    pub fn fragment(fragment: &str) -> Result<Selector> {
        if fragment::parse(fragment).is_empty() {
            return Err(Error::BadFragment {
                fragment: fragment.to_string(),
            });
        }
        Ok(Selector::Fragment(fragment.to_string()))
    }
}

/// One chosen passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Passage {
    /// 0-based indices of the sentences it covers.
    pub sentences: Vec<usize>,
    /// Byte range in [`Document::text`].
    pub span: Range<usize>,
    /// The passage's text.
    pub text: String,
}

/// What a set of selectors chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Selection {
    /// The passages, in text order.
    pub passages: Vec<Passage>,
}

impl Selection {
    /// Every selected sentence's 0-based index, in order.
    pub fn sentence_indices(&self) -> Vec<usize> {
        self.passages.iter().flat_map(|p| p.sentences.iter().copied()).collect()
    }
}

/// Apply `selectors` to a document and its sentences. No selector means
/// the whole document. A selector that matches nothing is an error
/// ([`Error::NoMatch`]) saying what was searched and the closest candidates.
pub(crate) fn select(input: &str, doc: &Document, sentences: &[Sentence], selectors: &[Selector]) -> Result<Selection> {
    let text = doc.text();
    let mut spans: Vec<(Range<usize>, bool)> = Vec::new();
    if selectors.is_empty() {
        spans.extend(sentences.iter().map(|s| (s.span.clone(), false)));
    }
    for sel in selectors {
        let found = spans_for(doc, &text, sentences, sel)?;
        if found.is_empty() {
            return Err(no_match(input, sel, sentences));
        }
        spans.extend(found);
    }
    // Expand to whole sentences unless exact.
    let mut chosen: Vec<(Range<usize>, Vec<usize>)> = spans
        .into_iter()
        .filter_map(|(span, exact)| {
            let covered: Vec<usize> = sentences
                .iter()
                .filter(|s| s.span.start < span.end.max(span.start + 1) && span.start < s.span.end)
                .map(|s| s.index)
                .collect();
            if exact {
                return Some((span, covered));
            }
            let first = sentences.get(*covered.first()?)?;
            let last = sentences.get(*covered.last()?)?;
            Some((first.span.start..last.span.end, covered))
        })
        .collect();
    chosen.sort_by_key(|(r, _)| (r.start, r.end));
    let mut passages: Vec<Passage> = Vec::new();
    for (span, idx) in chosen {
        if let Some(last) = passages.last_mut() {
            let gap = text.get(last.span.end..span.start);
            let touches = span.start <= last.span.end || gap.is_some_and(|g| g.chars().all(|c| c == ' ' || c == '\t'));
            if touches {
                last.span.end = last.span.end.max(span.end);
                last.sentences.extend(idx);
                last.sentences.sort_unstable();
                last.sentences.dedup();
                last.text = text[last.span.clone()].to_string();
                continue;
            }
        }
        passages.push(Passage {
            sentences: idx,
            text: text[span.clone()].to_string(),
            span,
        });
    }
    Ok(Selection { passages })
}

fn spans_for(doc: &Document, text: &str, sentences: &[Sentence], sel: &Selector) -> Result<Vec<(Range<usize>, bool)>> {
    Ok(match sel {
        Selector::Sentences(ranges) => sentences
            .iter()
            .filter(|s| ranges.iter().any(|r| r.contains(s.index + 1)))
            .map(|s| (s.span.clone(), false))
            .collect(),
        Selector::Paragraphs(ranges) => doc
            .paragraphs
            .iter()
            .filter(|p| ranges.iter().any(|r| r.contains(p.index + 1)))
            .map(|p| (p.span.clone(), false))
            .collect(),
        Selector::Quote { text: q, exact } => quote::find_quote(text, q)
            .map(|m| (m.span, *exact))
            .into_iter()
            .collect(),
        Selector::Fragment(f) => {
            let directives = fragment::parse(f);
            if directives.is_empty() {
                return Err(Error::BadFragment { fragment: f.clone() });
            }
            directives
                .iter()
                .filter_map(|d| fragment::find(text, d))
                .map(|r| (r, false))
                .collect()
        }
        Selector::Marks => doc.marks.iter().map(|r| (r.clone(), false)).collect(),
        Selector::Grep(re) => sentences
            .iter()
            .filter(|s| re.is_match(&s.text))
            .map(|s| (s.span.clone(), false))
            .collect(),
    })
}

fn describe(sel: &Selector, sentences: usize) -> String {
    match sel {
        Selector::Sentences(_) => format!("no sentence has that number (the text has {sentences})"),
        Selector::Paragraphs(_) => "no paragraph has that number".into(),
        Selector::Quote { text, .. } => format!("the quote \"{text}\" was not found, even allowing small differences"),
        Selector::Fragment(f) => format!("the text fragment '{f}' matched no text"),
        Selector::Marks => "the input highlights nothing (<mark>, ==text==)".into(),
        Selector::Grep(re) => format!("the pattern '{}' matched no sentence", re.as_str()),
    }
}

/// The sentences most like what was asked for, for the error message.
fn no_match(input: &str, sel: &Selector, sentences: &[Sentence]) -> Error {
    let probe = match sel {
        Selector::Grep(re) => re.as_str().to_string(),
        Selector::Fragment(f) => fragment::parse(f).first().map(|d| d.start.clone()).unwrap_or_default(),
        Selector::Quote { text, .. } => text.clone(),
        _ => String::new(),
    };
    let mut closest = Vec::new();
    if !probe.is_empty() {
        let words = word_set(&probe);
        let mut scored: Vec<(f32, &Sentence)> = sentences
            .iter()
            .map(|s| {
                let sw = word_set(&s.text);
                let inter = words.iter().filter(|w| sw.contains(*w)).count() as f32;
                (inter / (words.len().max(1) as f32), s)
            })
            .filter(|(score, _)| *score > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        closest = scored
            .iter()
            .take(3)
            .map(|(score, s)| Closest {
                number: s.index + 1,
                overlap: *score,
                text: s.text.chars().take(90).collect(),
            })
            .collect();
    }
    Error::NoMatch {
        input: input.to_string(),
        selector: describe(sel, sentences.len()),
        closest,
    }
}

fn word_set(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let r = parse_ranges("3-5,9,12-").unwrap();
        assert!(r[0].contains(4) && r[1].contains(9) && r[2].contains(100) && !r[0].contains(6));
        assert!(parse_ranges("0").is_err() && parse_ranges("5-3").is_err() && parse_ranges("x").is_err());
    }
}
