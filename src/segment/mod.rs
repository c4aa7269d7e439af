//! Segmentation: paragraphs → sentences, and selections over them.

pub mod sentences;
pub mod tidy;

pub use sentences::{sentence_spans, split_sentences, SplitOptions};
pub use tidy::tidy;
