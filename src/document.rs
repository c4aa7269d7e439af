//! The plain types that flow through hark's pipeline.
//!
//! input → clean → segment/select → (frontend → speech). Every stage is a
//! plain function over these types, usable without the CLI.

use serde::Serialize;
use std::ops::Range;

/// Metadata found next to the article text (never read aloud).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The headline.
    pub title: Option<String>,
    /// The author(s), as the page gives them.
    pub byline: Option<String>,
    /// The publication date, as written.
    pub date: Option<String>,
    /// Where the text came from: a path, or `-` for stdin.
    pub source: String,
    /// The language it is written in (a BCP 47 primary tag such as `de`),
    /// from the caller, the page's `lang` attribute, or detection.
    pub language: Option<String>,
}

/// A clean article: metadata plus the paragraphs to be read, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    /// Title, byline, date and source.
    pub meta: Metadata,
    /// The paragraphs to read, in order.
    pub paragraphs: Vec<Paragraph>,
    /// Passages the input itself highlights (`<mark>` in HTML, `==text==` in
    /// plain text when asked for): byte ranges of [`Document::text`], kept
    /// apart from the text, which holds no markers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Range<usize>>,
}

/// One paragraph of clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// 0-based index in the document.
    pub index: usize,
    /// The paragraph's text.
    pub text: String,
    /// Byte range of this paragraph in [`Document::text`].
    pub span: Range<usize>,
}

/// One sentence, with stable indices and byte offsets into the clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// 0-based index over the whole document.
    pub index: usize,
    /// 0-based index of the paragraph that holds it.
    pub paragraph: usize,
    /// The sentence's text.
    pub text: String,
    /// Byte range in [`Document::text`].
    pub span: Range<usize>,
}

impl Document {
    /// Build a document from paragraph texts (empty ones are dropped,
    /// each is trimmed).
    ///
    /// ```
    /// use hark::{Document, Metadata};
    /// let doc = Document::from_paragraphs(Metadata::default(), ["First one.", "", "Second."]);
    /// assert_eq!(doc.paragraphs.len(), 2);
    /// assert_eq!(doc.text(), "First one.\n\nSecond.");
    /// assert_eq!(&doc.text()[doc.paragraphs[1].span.clone()], "Second.");
    /// ```
    pub fn from_paragraphs<I, S>(meta: Metadata, paragraphs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::from_marked_paragraphs(meta, paragraphs.into_iter().map(|p| (p.into(), Vec::new())).collect())
    }

    /// Build a document from paragraph texts, each with its highlighted
    /// passages as byte ranges of that paragraph (empty paragraphs are
    /// dropped; leading and trailing whitespace is trimmed and the ranges
    /// follow).
    ///
    /// ```
    /// use hark::{Document, Metadata};
    /// let doc = Document::from_marked_paragraphs(
    ///     Metadata::default(),
    ///     vec![("One.".to_string(), vec![]), ("  Two words.".to_string(), vec![2..5])],
    /// );
    /// assert_eq!(&doc.text()[doc.marks[0].clone()], "Two");
    /// ```
    pub fn from_marked_paragraphs(meta: Metadata, paragraphs: Vec<(String, Vec<Range<usize>>)>) -> Self {
        let mut doc = Document {
            meta,
            ..Default::default()
        };
        let mut offset = 0;
        for (text, marks) in paragraphs {
            let lead = text.len() - text.trim_start().len();
            let trimmed = if text.trim().len() == text.len() {
                text
            } else {
                text.trim().to_string()
            };
            if trimmed.is_empty() {
                continue;
            }
            if !doc.paragraphs.is_empty() {
                offset += PARAGRAPH_SEPARATOR.len();
            }
            let span = offset..offset + trimmed.len();
            for m in marks {
                let (a, b) = (
                    m.start.saturating_sub(lead),
                    m.end.saturating_sub(lead).min(trimmed.len()),
                );
                if a < b && trimmed.is_char_boundary(a) && trimmed.is_char_boundary(b) {
                    doc.marks.push(span.start + a..span.start + b);
                }
            }
            offset = span.end;
            doc.paragraphs.push(Paragraph {
                index: doc.paragraphs.len(),
                text: trimmed,
                span,
            });
        }
        doc
    }

    /// The clean text: paragraphs joined by a blank line. Every span in
    /// [`Paragraph`] and [`Sentence`] is a byte range of this string.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.paragraphs.iter().map(|p| p.text.as_str()).collect();
        texts.join(PARAGRAPH_SEPARATOR)
    }

    /// True when no paragraph is left.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }
}

/// What separates paragraphs in [`Document::text`].
pub const PARAGRAPH_SEPARATOR: &str = "\n\n";

/// Take `==highlight==` marks out of a plain-text block: the text without
/// the delimiters, and the highlighted byte ranges of it. An unpaired or
/// empty `====` is left as written.
pub(crate) fn parse_mark_syntax(text: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    let mut ranges = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("==") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("==") else { break };
        if close == 0 || after[..close].trim().is_empty() {
            break;
        }
        out.push_str(&rest[..open]);
        let start = out.len();
        out.push_str(&after[..close]);
        ranges.push(start..out.len());
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    (out, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_syntax() {
        let (t, r) = parse_mark_syntax("a ==b c== d ==e==");
        assert_eq!(t, "a b c d e");
        assert_eq!(r.iter().map(|r| &t[r.clone()]).collect::<Vec<_>>(), ["b c", "e"]);
        assert_eq!(parse_mark_syntax("x == y").0, "x == y");
        assert_eq!(parse_mark_syntax("x ==== y").0, "x ==== y");
        assert_eq!(parse_mark_syntax("The budget == passes == again.").1.len(), 1);
    }
}
