//! Segmentation: paragraphs → sentences, and selections over them.
//!
//! ```
//! use hark::segment::{split_sentences, SplitOptions};
//! let s = split_sentences("Mr. Kim left at 5 p.m. on Friday. He met Putin.", &SplitOptions::default());
//! assert_eq!(s, ["Mr. Kim left at 5 p.m. on Friday.", "He met Putin."]);
//! ```

pub(crate) mod fragment;
mod quote;
pub(crate) mod replay;
mod select;
mod sentences;
mod tidy;

pub use replay::Replay;
pub(crate) use select::select;
pub use select::{parse_ranges, IndexRange, Passage, Selection, Selector};
pub use sentences::{split_sentences, SplitOptions};
pub use tidy::tidy;

use crate::document::{Document, Sentence};

/// Sentence spans of one text with the default options.
pub(crate) fn sentence_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    sentences::sentence_spans(text, &SplitOptions::default())
}

/// The sentences of a clean document, paragraph by paragraph, with indices
/// over the whole document and byte spans into [`Document::text`].
pub(crate) fn sentences(doc: &Document) -> Vec<Sentence> {
    let mut out = Vec::new();
    for p in &doc.paragraphs {
        for r in sentences::sentence_spans(&p.text, &SplitOptions::default()) {
            out.push(Sentence {
                index: out.len(),
                paragraph: p.index,
                text: p.text[r.clone()].to_string(),
                span: p.span.start + r.start..p.span.start + r.end,
            });
        }
    }
    out
}
