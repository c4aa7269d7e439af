//! The types the normalizer's driver ([`super::normalize`]) and its
//! classifiers ([`super::classes`]) share: what a classifier sees ([`Cx`]),
//! what it claims ([`Hit`]), the token classes and the options. Both sides
//! import from here; neither imports the other's internals.

use super::lexicon::Lexicon;
use super::tables::Tables;
use serde::Serialize;
use std::sync::Arc;

/// What kind of token a piece of text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Class {
    /// An ordinary word, passed through.
    Word,
    /// Punctuation or whitespace, passed through.
    Punct,
    /// A whole number ("7,000").
    Cardinal,
    /// An ordinal ("23rd").
    Ordinal,
    /// A decimal number ("2.5").
    Decimal,
    /// A fraction ("3 1/2").
    Fraction,
    /// An amount of money ("$2.5 million").
    Money,
    /// A percentage ("12%").
    Percent,
    /// A quantity with a unit ("38°C").
    Measure,
    /// A date ("Sep 5, 2023").
    Date,
    /// A time of day ("3:30 p.m.").
    Time,
    /// A range of numbers, years or times ("1980-1986" → "… to …").
    Range,
    /// Arithmetic ("2 + 2 = 4").
    Math,
    /// A telephone number.
    Telephone,
    /// Serial numbers and letter/digit codes ("C24", "B2A23C").
    Serial,
    /// A Roman numeral ("Charles III").
    Roman,
    /// A street address.
    Address,
    /// A web or e-mail address, an IP address.
    Electronic,
    /// A known abbreviation expanded ("Mr." → mister).
    Abbreviation,
    /// An initialism spelled letter by letter ("DPRK").
    Letters,
    /// An acronym said as a word ("NATO").
    Acronym,
    /// A symbol said as a word ("&" → and).
    Symbol,
    /// Markup passed through untouched (`<break/>`, phonemes in brackets).
    Verbatim,
    /// An entry of the user's lexicon.
    Lexicon,
}

/// How spelled letters are written in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LetterStyle {
    /// "D P R K": each letter a word, so every engine spells it (for speech).
    #[default]
    Spaced,
    /// "DPRK": the written convention of normalization test suites.
    Joined,
}

/// How web addresses (with a scheme or "www.") are read. E-mail
/// addresses are always read in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlStyle {
    /// Only the site: "`https://amzn.to/2A5qzvo`" → "amzn dot T O" (the
    /// path of a link in an article is noise when heard).
    #[default]
    Host,
    /// Every character: "HTTPS colon slash slash amzn dot T O slash …".
    Full,
    /// Left out.
    Skip,
}

named_enum!(UrlStyle, "way of reading web addresses" {
    Host => "host", "only the site (\"nvidia dot com\")";
    Full => "full", "every character";
    Skip => "skip", "leave them out";
});

/// Normalization settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How spelled letters are written.
    pub letters: LetterStyle,
    /// How web addresses are read.
    pub urls: UrlStyle,
    /// The user's lexicon, consulted before every table.
    pub lexicon: Option<Arc<Lexicon>>,
}

/// One token of the input and how it is said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Token {
    /// What it was read as.
    pub class: Class,
    /// The text as written.
    pub written: String,
    /// How it is said.
    pub spoken: String,
    /// Byte offset of `written` in the input.
    pub start: usize,
    /// Byte offset of its end (exclusive).
    pub end: usize,
}

/// A normalized text: the spoken string and the tokens it was built from
/// (whitespace is not listed).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Normalized {
    /// What the engine is given.
    pub spoken: String,
    /// Each token and how it is said.
    pub tokens: Vec<Token>,
}

/// A classifier's claim on the text at a position.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub len: usize,
    pub class: Class,
    pub spoken: String,
}

impl Hit {
    pub fn new(len: usize, class: Class, spoken: impl Into<String>) -> Hit {
        Hit {
            len,
            class,
            spoken: spoken.into(),
        }
    }
}

/// What classifiers see: the whole text (they may look behind and ahead),
/// the tables and the options.
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub t: &'static Tables,
    pub opts: &'a Options,
}

impl Cx<'_> {
    /// Letters to spell, in the configured style.
    pub fn letters(&self, s: &str) -> String {
        let s: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
        match self.opts.letters {
            LetterStyle::Joined => s.to_uppercase(),
            LetterStyle::Spaced => s.to_uppercase().chars().map(String::from).collect::<Vec<_>>().join(" "),
        }
    }

    /// The character just before byte `i`.
    pub fn prev_char(&self, i: usize) -> Option<char> {
        self.text[..i].chars().next_back()
    }

    /// True where a token may start: at the beginning or after a character
    /// that is not a letter or digit.
    pub fn at_boundary(&self, i: usize) -> bool {
        !self.prev_char(i).is_some_and(|c| c.is_alphanumeric())
    }

    /// The word before byte `i` (skipping spaces and a comma), if any.
    pub fn prev_word(&self, i: usize) -> Option<&str> {
        let head = self.text[..i].trim_end_matches([' ', '\t', ',']);
        let start = head
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’'))
            .map(|(j, c)| j + c.len_utf8())
            .unwrap_or(0);
        let w = &head[start..];
        (!w.is_empty()).then_some(w)
    }

    /// The text before byte `i`, lower-cased, for phrase context ("the").
    pub fn before_lower(&self, i: usize, max: usize) -> String {
        let mut start = i.saturating_sub(max);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        self.text[start..i].to_lowercase()
    }
}

/// A classifier: given the text and a token start, the claim (if any).
pub(crate) type Classifier = fn(&Cx, usize) -> Option<Hit>;

/// At a run of whitespace in `text` at byte `i`: say one space (or a line
/// break, where the run holds one) unless one was just said, and return
/// where the run ends. None when no whitespace starts at `i`.
pub(crate) fn whitespace_run(text: &str, i: usize, spoken: &mut String) -> Option<usize> {
    if !text[i..].starts_with(char::is_whitespace) {
        return None;
    }
    let end = text[i..]
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |n| i + n);
    if !spoken.is_empty() && !spoken.ends_with([' ', '\n']) {
        spoken.push(if text[i..end].contains('\n') { '\n' } else { ' ' });
    }
    Some(end)
}
