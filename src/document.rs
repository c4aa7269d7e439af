//! The plain types that flow through hark's pipeline.
//!
//! input → clean → segment/select → (frontend → speech). Every stage is a
//! plain function over these types, usable without the CLI.

use serde::Serialize;
use std::ops::Range;

/// Metadata found next to the article text (never read aloud).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    /// Where the text came from: a path, or `-` for stdin.
    pub source: String,
}

/// A clean article: metadata plus the paragraphs to be read, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    pub meta: Metadata,
    pub paragraphs: Vec<Paragraph>,
    /// Passages the input itself highlights (`==text==`, `<mark>`): byte
    /// ranges of [`Document::text`]. The markers are not part of the text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Range<usize>>,
}

/// One paragraph of clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// 0-based index in the document.
    pub index: usize,
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
    pub text: String,
    /// Byte range in [`Document::text`].
    pub span: Range<usize>,
}

impl Document {
    /// Build a document from paragraph texts (empty ones are dropped).
    pub fn from_paragraphs<I, S>(meta: Metadata, paragraphs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut out = Vec::new();
        let mut offset = 0;
        for text in paragraphs {
            let text: String = text.into();
            let text = text.trim().to_string();
            if text.is_empty() {
                continue;
            }
            if !out.is_empty() {
                offset += PARAGRAPH_SEPARATOR.len();
            }
            let span = offset..offset + text.len();
            offset = span.end;
            out.push(Paragraph {
                index: out.len(),
                text,
                span,
            });
        }
        Document {
            meta,
            paragraphs: out,
            marks: Vec::new(),
        }
    }

    /// Like [`Document::from_paragraphs`], but `==text==` highlights are
    /// taken out of the text and kept in [`Document::marks`].
    pub fn with_marks<I, S>(meta: Metadata, paragraphs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut local = Vec::new();
        let texts: Vec<String> = paragraphs
            .into_iter()
            .map(|p| {
                let p: String = p.into();
                let p = p.trim().to_string();
                let mut out = String::with_capacity(p.len());
                let mut ranges = Vec::new();
                let mut rest = p.as_str();
                while let Some(open) = rest.find("==") {
                    let after = &rest[open + 2..];
                    let Some(close) = after.find("==") else { break };
                    if close == 0 {
                        break;
                    }
                    out.push_str(&rest[..open]);
                    let start = out.len();
                    out.push_str(&after[..close]);
                    ranges.push(start..out.len());
                    rest = &after[close + 2..];
                }
                out.push_str(rest);
                local.push(ranges);
                out
            })
            .collect();
        let mut doc = Self::from_paragraphs(meta, texts.iter().map(String::as_str));
        let kept = texts.iter().zip(local).filter(|(t, _)| !t.trim().is_empty());
        for (para, (_, ranges)) in doc.paragraphs.iter().zip(kept) {
            for r in ranges {
                doc.marks.push(para.span.start + r.start..para.span.start + r.end);
            }
        }
        doc
    }

    /// The clean text: paragraphs joined by a blank line. Every span in
    /// [`Paragraph`] and [`Sentence`] is a byte range of this string.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.paragraphs.iter().map(|p| p.text.as_str()).collect();
        texts.join(PARAGRAPH_SEPARATOR)
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }
}

/// What separates paragraphs in [`Document::text`].
pub const PARAGRAPH_SEPARATOR: &str = "\n\n";
