//! hark: read news articles aloud.
//!
//! The pipeline runs one way: input → clean → select → read → speak. An
//! [`Article`] is read from a [`Source`] (a file, standard input, bytes),
//! decoded, cleaned of page furniture and de-spun; its sentences are
//! numbered; [`Article::select`] chooses passages and
//! [`Article::utterances`] turns them into what an engine says;
//! [`speech::render`] speaks them into an [`speech::AudioSink`] (a
//! [`speech::WavFile`], memory, the sound card), and [`export::Batch`]
//! renders many inputs to files at once.
//!
//! ```
//! use hark::{Article, ReadOptions};
//! use hark::segment::Selector;
//!
//! let article = Article::read("examples/003_b469bd4e41b0bdd9.txt", &ReadOptions::default())?;
//! let selection = article.select(&[Selector::fragment(":~:text=Peskov,responded")?])?;
//! let utterances = article.utterances(&selection, &hark::frontend::Reading::for_language("en-US"));
//!
//! let dirs = hark::config::Dirs::from_env();
//! let voice = hark::speech::find_voice(&dirs, "pico-en-us")?;
//! let mut synth = hark::speech::open(&voice, Default::default())?;
//! let mut pcm: Vec<i16> = Vec::new();
//! let rendered = hark::speech::render_all(synth.as_mut(), &utterances, Default::default(), &mut pcm)?;
//! assert_eq!(rendered.samples as usize, pcm.len());
//! # Ok::<(), hark::Error>(())
//! ```
//!
//! Every failure is an [`Error`] that says what went wrong in hark's terms;
//! nothing panics on bad input.

#![warn(missing_docs)]

/// Names, help lines and parsing for an enum whose values users type
/// (options, config keys): defined once here, shown by any front end.
macro_rules! named_enum {
    ($t:ident, $what:literal { $($v:ident => $name:literal, $help:literal;)* }) => {
        impl $t {
            /// Every value, in the order help shows them.
            pub const ALL: &'static [$t] = &[$($t::$v),*];
            /// The value's name, as written in options and files.
            pub fn name(self) -> &'static str {
                match self { $($t::$v => $name),* }
            }
            /// One line of help.
            pub fn describe(self) -> &'static str {
                match self { $($t::$v => $help),* }
            }
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> std::result::Result<Self, String> {
                $t::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name().eq_ignore_ascii_case(s))
                    .ok_or_else(|| {
                        let names: Vec<&str> = $t::ALL.iter().map(|v| v.name()).collect();
                        format!(concat!("unknown ", $what, " '{}' ({})"), s, names.join(", "))
                    })
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

mod article;
pub mod clean;
pub mod config;
mod document;
mod error;
pub mod frontend;
mod input;
pub mod json;
mod langdata;
pub mod segment;
pub mod speech;

pub use article::{Article, ReadOptions, Warning};
pub use document::{Document, Metadata, Paragraph, Sentence};
pub use error::{Closest, Error, NotText, Result};
pub use input::{
    gather, is_url, read_text, FetchOptions, Format, GatherOptions, Source, DEFAULT_GLOBS, MAX_INPUT_BYTES,
};
pub use speech::export;

/// Which optional parts this build has (cargo features), for `--version`.
pub const FEATURES: &[(&str, bool)] = &[
    ("playback", cfg!(feature = "playback")),
    ("system-tts", cfg!(feature = "system-tts")),
    ("flite", cfg!(feature = "flite")),
    ("flac", cfg!(feature = "flac")),
    ("opus", cfg!(feature = "opus")),
    ("mp3", cfg!(feature = "mp3")),
    ("net", cfg!(feature = "net")),
    ("neural", cfg!(feature = "neural")),
    ("lm", cfg!(feature = "lm")),
];

/// Internals that hark's own evaluation harnesses (`tests/`, `examples/`,
/// `benches/`) measure one by one. Not part of the API: no stability
/// promise, no documentation beyond this line.
#[doc(hidden)]
pub mod eval {
    #[cfg(feature = "lm")]
    pub use crate::clean::despin::despin_document_judged;
    pub use crate::clean::despin::{
        despin_document, despin_text, despin_text_proven, Edit, Scan, Tables, PROVEN_ATTESTED,
    };
    pub use crate::clean::despin::{despin_document_with, Helpers};
    pub use crate::segment::fragment::{find as find_fragment, parse as parse_fragment, TextDirective};
    pub use crate::speech::manifest::parse as parse_manifest;
    pub use crate::speech::pico::RawPico;

    /// Case and punctuation folding, as the normalization bar compares
    /// strings: lower case, every character that is not a letter or digit
    /// becomes a space, spaces collapse.
    pub fn fold(s: &str) -> String {
        let lower = s.to_lowercase();
        let mapped: String = lower
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        mapped.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The texts of de-spun paragraphs with given tables.
    pub fn despin_paragraphs(
        paragraphs: &[String],
        mode: crate::clean::DespinMode,
        tables: &Tables,
    ) -> (Vec<String>, crate::clean::SpinReport) {
        let d = crate::clean::despin::despin_with(paragraphs, mode, tables);
        (d.paragraphs.into_iter().map(|p| p.text).collect(), d.report)
    }

    /// The extractor's title and text blocks for an HTML page, before
    /// hark's rules.
    pub fn extract_blocks(html: &str) -> Result<(Option<String>, Vec<String>), String> {
        let ex = crate::input::html::extract(html)?;
        Ok((ex.title, ex.blocks.into_iter().map(|b| b.text).collect()))
    }

    /// Clean an HTML page with the extractor and the rules.
    pub fn clean_html(html: &str, source: &str) -> Result<crate::Document, String> {
        let ex = crate::input::html::extract(html)?;
        crate::clean::clean_extracted(ex, source, &Default::default())
            .map(|c| c.document)
            .map_err(|e| e.to_string())
    }
}

/// The README's Rust examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
