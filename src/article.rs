//! The facade: an [`Article`] read from a [`Source`], cleaned, split into
//! sentences, and asked for selections and utterances.

use crate::clean::{self, CleanOptions, Cleaned, DespinMode, Removal, Repair, SpinReport};
use crate::document::{Document, Sentence};
use crate::error::Result;
use crate::frontend::{self, Reading, Utterance};
use crate::input::{self, Format, Source};
use crate::segment::{self, Selection, Selector};

/// How an input is read and cleaned.
///
/// ```
/// let opts = hark::ReadOptions {
///     despin: hark::clean::DespinMode::Off,
///     keep_captions: true,
///     ..Default::default()
/// };
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read the bytes in this encoding (a WHATWG label such as
    /// `windows-1252`) instead of detecting it.
    pub encoding: Option<String>,
    /// Keep photo captions (without their credits).
    pub keep_captions: bool,
    /// How boldly to repair machine-paraphrased wording.
    pub despin: DespinMode,
    /// In plain text, `==text==` marks a highlight. Off, `==` is text.
    pub mark_syntax: bool,
    /// Refuse bytes that are invalid in the input's encoding instead of
    /// replacing them with U+FFFD (and warning).
    pub strict: bool,
    /// The document's language (a BCP 47 tag such as `de` or `pt-BR`),
    /// instead of the page's `lang` attribute or detection.
    pub language: Option<String>,
    /// Refuse inputs larger than this many bytes ([`crate::Error::TooLarge`]);
    /// None: [`MAX_INPUT_BYTES`](crate::MAX_INPUT_BYTES).
    pub max_bytes: Option<u64>,
    /// How URLs are fetched (timeout, redirects).
    pub fetch: crate::FetchOptions,
    /// A language model that judges the de-spinner's repairs (feature
    /// `lm`; [`crate::clean::lm::Model::load`] or [`crate::clean::lm::Model::lazy`]):
    /// in a document proven spun, in aggressive mode and for references'
    /// wording, a repair stands only where the model finds the sentence at
    /// least as likely with it (by a margin for references).
    #[cfg(feature = "lm")]
    pub model: Option<crate::clean::lm::Model>,
    /// Other versions of the same story, as (name, clean text with a
    /// paragraph a line): the de-spinner proposes their wording where it
    /// differs from this text's by a spinner's swap, and keeps it where the
    /// tables (or the model) confirm it.
    pub references: Vec<(String, String)>,
}

/// Something worth telling the reader about an input that was still read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// The text looks machine-paraphrased (an article spinner's output).
    Spun {
        /// Sentence shapes that only spun text fills this way.
        shapes: usize,
        /// Suspicious places per 100 words.
        score: f32,
        /// Repairs made.
        repairs: usize,
    },
    /// Bytes invalid in the input's encoding were replaced by U+FFFD.
    Replaced {
        /// The encoding.
        encoding: &'static str,
        /// How many invalid sequences.
        count: usize,
        /// Byte offset of the first.
        offset: usize,
    },
    /// The encoding the input declares is not what its bytes are.
    Mislabelled {
        /// What it declares.
        declared: &'static str,
        /// What it was read as.
        read_as: &'static str,
    },
    /// No encoding was declared and the bytes are not UTF-8: the encoding
    /// was detected.
    Detected {
        /// What it was read as.
        read_as: &'static str,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::Spun { shapes, score, repairs } => write!(
                f,
                "looks machine-paraphrased ({shapes} sentences shaped as only spun text is; spin score {score:.1} per 100 words; {repairs} repaired)"
            ),
            Warning::Replaced {
                encoding,
                count,
                offset,
            } => write!(
                f,
                "{count} invalid {encoding} sequence{} replaced by U+FFFD (the first at byte {offset})",
                if *count == 1 { "" } else { "s" }
            ),
            Warning::Mislabelled { declared, read_as } => {
                write!(f, "declares {declared} but its bytes are {read_as}; read as {read_as}")
            }
            Warning::Detected { read_as } => write!(f, "no encoding declared and not UTF-8; read as {read_as} (detected)"),
        }
    }
}

/// A clean article, ready for selection and speech.
///
/// ```
/// use hark::{Article, ReadOptions};
/// use hark::segment::Selector;
///
/// let article = Article::read("examples/001_4b6f62f767aa35ac.txt", &ReadOptions::default())?;
/// assert!(article.document().meta.title.as_deref().unwrap().starts_with("Vladimir Putin, Kim Jong Un"));
/// let selection = article.select(&[Selector::Quote {
///     text: "we have information that Kim Jong Un expects".into(),
///     exact: false,
/// }])?;
/// assert_eq!(selection.passages.len(), 1);
/// let utterances = article.utterances(&selection, &hark::frontend::Reading::default());
/// assert!(utterances[0].text.contains("We have information"));
/// # Ok::<(), hark::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Article {
    source: String,
    format: Format,
    encoding: &'static str,
    bytes: usize,
    digest: String,
    cleaned: Cleaned,
    sentences: Vec<Sentence>,
    warnings: Vec<Warning>,
}

impl Article {
    /// Read, decode and clean an input: a path, `-` for standard input, or
    /// anything else a [`Source`] can be.
    pub fn read(source: impl Into<Source>, opts: &ReadOptions) -> Result<Article> {
        let source = source.into();
        let raw = input::read(&source, opts.max_bytes.unwrap_or(input::MAX_INPUT_BYTES), &opts.fetch)?;
        Self::from_raw(raw, opts)
    }

    /// Read many inputs, each once, letting those that tell the same story
    /// serve as each other's references (`--cross-reference`): every input
    /// is cleaned without de-spinning, the versions of one story are found
    /// by their content words ([`crate::clean::versions`]), and each is then
    /// de-spun with its versions' clean text (the most similar four) added
    /// to `opts.references`. Each result is in its input's place; an input
    /// that fails does not stop the others. With de-spinning off this is
    /// [`Article::read`] of each.
    pub fn read_versions(sources: &[Source], opts: &ReadOptions) -> Vec<Result<Article>> {
        use rayon::prelude::*;
        let limit = opts.max_bytes.unwrap_or(input::MAX_INPUT_BYTES);
        let plain = ReadOptions {
            despin: crate::clean::DespinMode::Off,
            references: Vec::new(),
            #[cfg(feature = "lm")]
            model: None,
            ..opts.clone()
        };
        let first: Vec<Result<(input::RawInput, Article)>> = sources
            .par_iter()
            .map(|s| {
                let raw = input::read(s, limit, &opts.fetch)?;
                let article = Self::from_raw(raw.clone(), &plain)?;
                Ok((raw, article))
            })
            .collect();
        if opts.despin == crate::clean::DespinMode::Off {
            return first.into_iter().map(|r| r.map(|(_, a)| a)).collect();
        }
        // The clean text of each input read, and its language. A text
        // proven spun by its sentence shapes is no one's reference: its
        // wording is the suspect one (run against the clean versions, it
        // would "repair" their words into its own).
        let texts: Vec<(usize, String, String, bool)> = first
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let (_, a) = r.as_ref().ok()?;
                let lang = a.language().unwrap_or("en").to_string();
                let spun = lang.starts_with("en") && {
                    let paragraphs: Vec<String> = a.document().paragraphs.iter().map(|p| p.text.clone()).collect();
                    let tables = crate::clean::despin::Tables::embedded();
                    crate::clean::despin::despin_document(&paragraphs, tables, opts.despin)
                        .1
                        .likely_spun
                };
                Some((i, a.text(), lang, spun))
            })
            .collect();
        let docs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(_, t, l, _)| (t.as_str(), l.split('-').next().unwrap_or("en")))
            .collect();
        let mut refs: Vec<Vec<(String, String)>> = vec![Vec::new(); first.len()];
        for (k, others) in crate::clean::versions::versions(&docs).into_iter().enumerate() {
            for o in others {
                let (j, text, _, spun) = &texts[o];
                if *spun {
                    continue;
                }
                if let Ok((_, a)) = &first[*j] {
                    refs[texts[k].0].push((a.source().to_string(), text.clone()));
                }
            }
        }
        first
            .into_par_iter()
            .zip(refs)
            .map(|(r, versions)| {
                let (raw, _) = r?;
                let mut with = opts.clone();
                with.references.extend(versions);
                Self::from_raw(raw, &with)
            })
            .collect()
    }

    /// An article from bytes already in memory (`name` is used in messages
    /// and as the document's source).
    ///
    /// ```
    /// let a = hark::Article::from_bytes(
    ///     "note.txt",
    ///     "The council voted on Tuesday to approve a new budget for the city's schools.".as_bytes(),
    ///     &Default::default(),
    /// )?;
    /// assert_eq!(a.sentences().len(), 1);
    /// # Ok::<(), hark::Error>(())
    /// ```
    pub fn from_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Article> {
        let limit = opts.max_bytes.unwrap_or(input::MAX_INPUT_BYTES);
        if bytes.len() as u64 > limit {
            return Err(crate::Error::TooLarge {
                input: name.to_string(),
                size: bytes.len() as u64,
                limit,
            });
        }
        Self::from_raw(
            input::RawInput {
                name: name.to_string(),
                bytes: bytes.to_vec(),
                content_type: None,
                tld: None,
            },
            opts,
        )
    }

    fn from_raw(raw: input::RawInput, opts: &ReadOptions) -> Result<Article> {
        let decoded = input::decode(
            &raw,
            &input::DecodeOptions {
                forced: opts.encoding.as_deref(),
                strict: opts.strict,
            },
        )?;
        let (source, bytes) = (raw.name, raw.bytes.len());
        let digest = sha256_hex(&raw.bytes);
        drop(raw.bytes);
        let clean_opts = CleanOptions {
            keep_captions: opts.keep_captions,
            despin: opts.despin,
            mark_syntax: opts.mark_syntax,
            language: opts.language.clone(),
            #[cfg(feature = "lm")]
            model: opts.model.clone(),
            references: opts.references.clone(),
        };
        let cleaned = clean::clean(&decoded, &clean_opts)?;
        let sentences = segment::sentences(&cleaned.document);
        let mut warnings = Vec::new();
        let d = &decoded.decision;
        match d.how {
            input::How::Overridden(declared) => warnings.push(Warning::Mislabelled {
                declared: declared.name(),
                read_as: d.encoding.name(),
            }),
            input::How::Detected => warnings.push(Warning::Detected {
                read_as: d.encoding.name(),
            }),
            _ => {}
        }
        if d.replaced > 0 {
            warnings.push(Warning::Replaced {
                encoding: d.encoding.name(),
                count: d.replaced,
                offset: d.first_bad.unwrap_or(0),
            });
        }
        if cleaned.spin.likely_spun {
            warnings.push(Warning::Spun {
                shapes: cleaned.spin.shapes,
                score: cleaned.spin.score,
                repairs: cleaned.repairs.len(),
            });
        }
        Ok(Article {
            source,
            format: decoded.format,
            encoding: decoded.encoding,
            bytes,
            digest,
            cleaned,
            sentences,
            warnings,
        })
    }

    /// The SHA-256 of the input's bytes, in hex: what export's manifest
    /// compares to tell a changed input from an unchanged one.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// Where it came from (a path, a URL, or `-`).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Plain text or HTML.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The encoding it was read with (`UTF-8`, `windows-1252`…).
    pub fn encoding(&self) -> &'static str {
        self.encoding
    }

    /// Size of the input in bytes.
    pub fn input_bytes(&self) -> usize {
        self.bytes
    }

    /// The language the text is written in (a BCP 47 primary tag), when
    /// known or detected.
    pub fn language(&self) -> Option<&str> {
        self.cleaned.document.meta.language.as_deref()
    }

    /// The clean document.
    pub fn document(&self) -> &Document {
        &self.cleaned.document
    }

    /// The clean text: paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        self.cleaned.document.text()
    }

    /// Its sentences, numbered over the whole document.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// What was removed as page furniture, and why.
    pub fn removed(&self) -> &[Removal] {
        &self.cleaned.removed
    }

    /// De-spinning repairs, with spans in [`Article::text`].
    pub fn repairs(&self) -> &[Repair] {
        &self.cleaned.repairs
    }

    /// How machine-paraphrased the text looks.
    pub fn spin(&self) -> &SpinReport {
        &self.cleaned.spin
    }

    /// What the reader should know (the text looks spun…).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Choose passages. No selector selects everything; several combine as
    /// a union in text order. A selector that matches nothing is
    /// [`crate::Error::NoMatch`], with the closest sentences.
    pub fn select(&self, selectors: &[Selector]) -> Result<Selection> {
        segment::select(&self.source, &self.cleaned.document, &self.sentences, selectors)
    }

    /// Selectors that choose `sentences` (0-based indices) again: the
    /// `--sentences` ranges and a `#:~:text=` fragment.
    ///
    /// ```
    /// use hark::{Article, ReadOptions};
    /// let a = Article::from_bytes("t", b"One here. Two there. Three again.", &ReadOptions::default())?;
    /// let r = a.replay(&[1, 2]);
    /// assert_eq!(r.sentences, "2-3");
    /// assert_eq!(r.fragment, "#:~:text=Two%20there.,Three%20again.");
    /// # Ok::<(), hark::Error>(())
    /// ```
    pub fn replay(&self, sentences: &[usize]) -> segment::Replay {
        segment::replay::replay(&self.text(), &self.sentences, sentences)
    }

    /// The utterances of a selection, read as `reading` says (numbers,
    /// dates and abbreviations in words where hark can read the language).
    pub fn utterances(&self, selection: &Selection, reading: &Reading) -> Vec<Utterance> {
        let mut u = frontend::utterances(&self.cleaned.document, &self.sentences, selection);
        frontend::read_utterances(&mut u, reading);
        u
    }
}

/// SHA-256 of bytes, in lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}
