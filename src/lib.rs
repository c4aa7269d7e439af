//! hark: read news articles aloud.
//!
//! The pipeline runs one way: [`input`] → [`clean`] → [`segment`] (and
//! selection) → speech. Each stage is a plain function over the plain types
//! in [`document`].

pub mod document;
pub mod error;
pub mod segment;

pub use document::{Document, Metadata, Paragraph, Sentence};
pub use error::{Error, Result};
pub mod clean;
pub mod input;
