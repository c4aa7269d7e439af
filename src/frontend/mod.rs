//! The speech front end: turns selected sentences into [`Utterance`]s, the
//! units an engine speaks. Each keeps its written text (for subtitles and
//! display) apart from the text the engine is given.

mod classes;
#[cfg(feature = "neural")]
pub(crate) mod espeak;
mod lexicon;
mod locale;
mod normalize;
mod numbers;
mod tables;
mod types;

pub use lexicon::Lexicon;
pub use normalize::normalize;
pub use types::{Class, LetterStyle, Normalized, Options as NormalizeOptions, Token, UrlStyle};

use crate::document::{Document, Sentence};
use crate::segment::{self, Selection, SplitOptions};
use serde::Serialize;

/// How selected text is read aloud.
///
/// ```
/// use hark::frontend::{Reading, normalizes};
/// let r = Reading::for_language("en-GB");
/// assert!(r.normalize && normalizes(&r.language));
/// ```
#[derive(Debug, Clone)]
pub struct Reading {
    /// The language it is read in (a BCP 47 tag such as `en-US`).
    pub language: String,
    /// Read numbers, dates and abbreviations as words (where hark has
    /// tables for the language, see [`normalizes`]).
    pub normalize: bool,
    /// How the normalizer reads letters, web addresses, and the user's
    /// lexicon.
    pub options: NormalizeOptions,
}

impl Default for Reading {
    fn default() -> Self {
        Reading::for_language("en")
    }
}

impl Reading {
    /// Normalized reading in `language` with default options.
    pub fn for_language(language: &str) -> Reading {
        Reading {
            language: language.to_string(),
            normalize: true,
            options: NormalizeOptions::default(),
        }
    }
}

fn primary(language: &str) -> String {
    language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Whether hark reads numbers, dates and abbreviations as words in this
/// language (English, German, French, Spanish, Italian); other languages
/// get the text as written.
pub fn normalizes(language: &str) -> bool {
    let p = primary(language);
    p == "en" || locale::LANGUAGES.contains(&p.as_str())
}

/// Normalize a text for speech in a language: English by
/// [`normalize`], German, French, Spanish and Italian by their tables in
/// `voices/lang/`; other languages come back as written.
///
/// ```
/// use hark::frontend::{normalize_in, NormalizeOptions};
/// let o = NormalizeOptions::default();
/// assert_eq!(normalize_in("Am 3. Oktober kamen 2.500 Menschen.", "de", &o).spoken,
///            "Am dritten Oktober kamen zweitausendfünfhundert Menschen.");
/// assert_eq!(normalize_in("Le 1er mai, 18 %", "fr-CA", &o).spoken, "Le premier mai, dix-huit pour cent");
/// ```
pub fn normalize_in(text: &str, language: &str, opts: &NormalizeOptions) -> Normalized {
    let p = primary(language);
    if p == "en" || p.is_empty() {
        return normalize::normalize(text, opts);
    }
    match locale::locale(&p) {
        Some(l) => locale::normalize(text, l, opts.lexicon.as_deref()),
        None => Normalized {
            spoken: text.to_string(),
            tokens: Vec::new(),
        },
    }
}

/// Turn each utterance's spoken text into what the engine says, as
/// `reading` asks; the written text (for subtitles) is kept.
pub(crate) fn read_utterances(utterances: &mut [Utterance], reading: &Reading) {
    if reading.normalize && normalizes(&reading.language) {
        for u in utterances {
            u.spoken = normalize_in(&u.spoken, &reading.language, &reading.options).spoken;
        }
    }
}

/// One sentence to speak.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Utterance {
    /// 0-based sentence index in the document (or in the literal text).
    pub sentence: usize,
    /// 0-based paragraph index.
    pub paragraph: usize,
    /// 0-based passage index within the selection.
    pub passage: usize,
    /// The text as written.
    pub text: String,
    /// The text given to the engine.
    pub spoken: String,
}

/// What the engine is given for a written sentence: one line, whitespace
/// collapsed.
fn speakable(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The utterances of a selection: each selected sentence, clipped to its
/// passage (an exact quote may start or end mid-sentence).
pub(crate) fn utterances(doc: &Document, sentences: &[Sentence], selection: &Selection) -> Vec<Utterance> {
    let text = doc.text();
    let mut out = Vec::new();
    for (pi, passage) in selection.passages.iter().enumerate() {
        for &si in &passage.sentences {
            let Some(s) = sentences.get(si) else { continue };
            let start = s.span.start.max(passage.span.start);
            let end = s.span.end.min(passage.span.end);
            if start >= end {
                continue;
            }
            let written = text[start..end].trim();
            if written.is_empty() {
                continue;
            }
            out.push(Utterance {
                sentence: si,
                paragraph: s.paragraph,
                passage: pi,
                text: written.to_string(),
                spoken: speakable(written),
            });
        }
    }
    out
}

/// The utterances of a literal text (`hark speak`): split into sentences,
/// not cleaned, and read as `reading` says. Blank lines separate
/// paragraphs.
///
/// ```
/// use hark::frontend::{literal_utterances, Reading};
/// let u = literal_utterances("Mr. Kim paid $5. He left.", &Reading::default());
/// assert_eq!(u[0].spoken, "mister Kim paid five dollars.");
/// assert_eq!(u[1].text, "He left.");
/// ```
pub fn literal_utterances(text: &str, reading: &Reading) -> Vec<Utterance> {
    let mut out = literal(text);
    read_utterances(&mut out, reading);
    out
}

fn literal(text: &str) -> Vec<Utterance> {
    let mut out = Vec::new();
    for (pi, para) in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        for s in segment::split_sentences(para, &SplitOptions::default()) {
            let spoken = speakable(s);
            if spoken.is_empty() {
                continue;
            }
            out.push(Utterance {
                sentence: out.len(),
                paragraph: pi,
                passage: 0,
                text: s.trim().to_string(),
                spoken,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Metadata;
    use crate::segment::{select, Selector};

    #[test]
    fn exact_quote_is_clipped() {
        let doc = Document::from_paragraphs(
            Metadata::default(),
            [
                "Kim met Putin in the east. They talked about arms.",
                "Later, both left.",
            ],
        );
        let sents = crate::segment::sentences(&doc);
        let sel = select(
            "t",
            &doc,
            &sents,
            &[Selector::Quote {
                text: "talked about arms".into(),
                exact: true,
            }],
        )
        .unwrap();
        let u = utterances(&doc, &sents, &sel);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].text, "talked about arms");
        assert_eq!(u[0].sentence, 1);
    }

    #[test]
    fn all_sentences_with_paragraphs() {
        let doc = Document::from_paragraphs(Metadata::default(), ["One. Two.", "Three \t  spaced."]);
        let sents = crate::segment::sentences(&doc);
        let sel = select("t", &doc, &sents, &[]).unwrap();
        let u = utterances(&doc, &sents, &sel);
        let got: Vec<_> = u.iter().map(|u| (u.paragraph, u.spoken.as_str())).collect();
        assert_eq!(got, vec![(0, "One."), (0, "Two."), (1, "Three spaced.")]);
    }

    #[test]
    fn literal_text() {
        let u = literal("Mr. Kim left. He met Putin.\n\nThe end.");
        let got: Vec<_> = u.iter().map(|u| (u.paragraph, u.text.as_str())).collect();
        assert_eq!(got, vec![(0, "Mr. Kim left."), (0, "He met Putin."), (1, "The end.")]);
    }
}
