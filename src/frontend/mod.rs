//! The speech front end: turns selected sentences into [`Utterance`]s, the
//! units an engine speaks. Each keeps its written text (for subtitles and
//! display) apart from the text the engine is given.

mod classes;
pub mod lexicon;
pub mod normalize;
pub mod numbers;
pub mod tables;

pub use lexicon::Lexicon;
pub use normalize::{fold, normalize, Class, LetterStyle, Normalized, Options as NormalizeOptions, Token, UrlStyle};

use crate::document::{Document, Sentence};
use crate::segment::{self, Selection, SplitOptions};
use serde::Serialize;

/// One sentence to speak.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
pub fn speakable(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalize what the engine is given (numbers, dates, abbreviations…
/// become words); the written text, shown in subtitles, is kept.
pub fn normalize_utterances(utterances: &mut [Utterance], opts: &NormalizeOptions) {
    for u in utterances {
        u.spoken = normalize::spoken(&u.spoken, opts);
    }
}

/// The utterances of a selection: each selected sentence, clipped to its
/// passage (an exact quote may start or end mid-sentence).
pub fn utterances(doc: &Document, sentences: &[Sentence], selection: &Selection) -> Vec<Utterance> {
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
/// not cleaned. Blank lines separate paragraphs.
pub fn literal_utterances(text: &str) -> Vec<Utterance> {
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
        let sel = select(&doc, &sents, &[]).unwrap();
        let u = utterances(&doc, &sents, &sel);
        let got: Vec<_> = u.iter().map(|u| (u.paragraph, u.spoken.as_str())).collect();
        assert_eq!(got, vec![(0, "One."), (0, "Two."), (1, "Three spaced.")]);
    }

    #[test]
    fn literal_text() {
        let u = literal_utterances("Mr. Kim left. He met Putin.\n\nThe end.");
        let got: Vec<_> = u.iter().map(|u| (u.paragraph, u.text.as_str())).collect();
        assert_eq!(got, vec![(0, "Mr. Kim left."), (0, "He met Putin."), (1, "The end.")]);
    }
}
