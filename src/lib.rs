//! hark: read news articles aloud.
//!
//! The pipeline runs one way: [`input`] → [`clean`] → [`segment`] (and
//! selection) → [`frontend`] → [`speech`]. Each stage is a plain function
//! over the plain types in [`document`], [`frontend::Utterance`] and PCM
//! samples.

pub mod clean;
pub mod document;
pub mod error;
pub mod frontend;
pub mod input;
pub mod segment;
pub mod speech;

pub use document::{Document, Metadata, Paragraph, Sentence};
pub use error::{Error, Result};
