//! Segmentation: paragraphs → sentences, and selections over them.

pub mod fragment;
pub mod quote;
pub mod select;
pub mod sentences;
pub mod tidy;

pub use select::{parse_ranges, select, IndexRange, Passage, Selection, Selector};
pub use sentences::{sentence_spans, split_sentences, SplitOptions};
pub use tidy::tidy;

use crate::document::{Document, Sentence};

/// The sentences of a clean document, paragraph by paragraph, with indices
/// over the whole document and byte spans into [`Document::text`].
pub fn sentences(doc: &Document) -> Vec<Sentence> {
    let mut out = Vec::new();
    for p in &doc.paragraphs {
        for r in sentence_spans(&p.text, &SplitOptions::default()) {
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
