//! hark's error type.
//!
//! Every failure is described in the library's own terms: what input, what
//! went wrong, and the facts a caller needs to decide what to do (the byte
//! offset of an invalid sequence, the voices that exist, the closest
//! sentences to a selection that matched nothing). The library never names
//! a command-line flag and never decides an exit code: the `hark` binary
//! maps each variant to a message with a hint and to its exit status.
//!
//! The enums are `#[non_exhaustive]`: new failures can be added without
//! breaking a `match` in a caller, which must keep a catch-all arm.

use std::path::PathBuf;
use thiserror::Error;

/// Why an input is not text hark can read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotText {
    /// A known binary format, by its signature ("a PNG image").
    Format(&'static str),
    /// A NUL byte, which no text file holds, at this byte offset.
    NulByte(usize),
    /// More than one character in a hundred is a control character.
    ControlCharacters,
}

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotText::Format(what) => write!(f, "this is {what}, not text"),
            NotText::NulByte(at) => write!(f, "looks like a binary file (NUL byte at offset {at})"),
            NotText::ControlCharacters => write!(f, "looks like a binary file (many control characters)"),
        }
    }
}

/// One sentence offered in place of a selection that matched nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// 1-based sentence number.
    pub number: usize,
    /// Share of the query's words the sentence holds, in 0..=1.
    pub overlap: f32,
    /// The sentence (its first 90 characters).
    pub text: String,
}

/// A failure anywhere in hark's pipeline.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// An input could not be opened or read.
    #[error("{input}: {}", describe_io(source))]
    Unreadable {
        /// The path, URL or `-`.
        input: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// An input is a directory where a file was expected.
    #[error("{input}: is a directory, not a file")]
    IsDirectory {
        /// The path.
        input: String,
    },
    /// An input is binary data, not text.
    #[error("{input}: {what}")]
    NotText {
        /// The path, URL or `-`.
        input: String,
        /// What it looks like instead.
        what: NotText,
    },
    /// An input holds bytes that are invalid in its encoding (only refused
    /// when decoding is strict; otherwise they become U+FFFD and are
    /// reported as a warning).
    #[error("{input}: not valid {encoding} (bad byte 0x{byte:02x} at offset {offset})")]
    Undecodable {
        /// The path, URL or `-`.
        input: String,
        /// The encoding the bytes were read as.
        encoding: &'static str,
        /// Byte offset of the first invalid sequence.
        offset: usize,
        /// Its first byte.
        byte: u8,
    },
    /// No encoding has this label (WHATWG Encoding Standard labels).
    #[error("unknown encoding '{label}'")]
    UnknownEncoding {
        /// The label given.
        label: String,
    },
    /// An input holds nothing but whitespace.
    #[error("{input}: input is empty")]
    Empty {
        /// The path, URL or `-`.
        input: String,
    },
    /// An input is larger than the limit set for it.
    #[error("{input}: {size} bytes is more than the limit of {limit} bytes")]
    TooLarge {
        /// The path, URL or `-`.
        input: String,
        /// Its size (or the bytes read before stopping).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Cleaning left no article text.
    #[error("{input}: no article text left after cleaning ({removed} blocks removed as boilerplate)")]
    NoArticle {
        /// The path, URL or `-`.
        input: String,
        /// How many blocks were removed.
        removed: usize,
    },
    /// An HTML page has no main content to extract.
    #[error("{input}: no article text found in the page ({reason})")]
    NoContent {
        /// The path, URL or `-`.
        input: String,
        /// What the extractor said.
        reason: String,
    },
    /// A URL could not be fetched.
    #[error("{url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// What failed (status, timeout, connection).
        reason: String,
    },
    /// A list of ranges ("3-5,9,12-") is malformed.
    #[error("bad range list '{spec}': use 1-based numbers like 3-5,9,12-")]
    BadRange {
        /// The list as given.
        spec: String,
    },
    /// A URL text fragment holds no valid directive.
    #[error("'{fragment}' holds no valid text fragment (expected ':~:text=[prefix-,]start[,end][,-suffix]')")]
    BadFragment {
        /// The fragment as given.
        fragment: String,
    },
    /// A regular expression does not compile.
    #[error("bad pattern '{pattern}': {reason}")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// The regex engine's message.
        reason: String,
    },
    /// A selector matched nothing in an input.
    #[error("{}", no_match_message(input, selector, closest))]
    NoMatch {
        /// The input searched.
        input: String,
        /// What was asked for, in words.
        selector: String,
        /// The sentences most like what was asked for.
        closest: Vec<Closest>,
    },
    /// No voice has this name or alias.
    #[error("unknown voice '{name}'; available: {}", available.join(", "))]
    UnknownVoice {
        /// The name asked for.
        name: String,
        /// The voices this build can use.
        available: Vec<String>,
    },
    /// No installed voice speaks the document's language.
    #[error("no voice speaks {language}{}; voices: {}", input.as_deref().map(|i| format!(" (the language of {i})")).unwrap_or_default(), available.join(", "))]
    NoVoiceForLanguage {
        /// The language (BCP 47 tag).
        language: String,
        /// The input whose language it is, if any.
        input: Option<String>,
        /// The voices that exist, with their languages.
        available: Vec<String>,
    },
    /// The voice can say nothing of the selected text (another script, or
    /// emoji and symbols only).
    #[error(
        "{input}: voice '{voice}' can pronounce none of the selected text (it is in another script, or only symbols)"
    )]
    Unpronounceable {
        /// The input.
        input: String,
        /// The voice.
        voice: String,
    },
    /// A voice's engine is not part of this build.
    #[error("voice '{voice}' needs the {engine} engine, which this build lacks (cargo feature `{feature}`)")]
    EngineNotBuilt {
        /// The voice.
        voice: String,
        /// The engine's name.
        engine: &'static str,
        /// The cargo feature that brings it in.
        feature: &'static str,
    },
    /// A runtime library a voice needs (ONNX Runtime for the neural voices)
    /// is not installed or cannot be loaded.
    #[error("{runtime} is not available: {hint}")]
    RuntimeMissing {
        /// The runtime's name.
        runtime: &'static str,
        /// Where hark looked and what to install.
        hint: String,
    },
    /// A voice speaks by itself (the system service) and cannot render audio.
    #[error(
        "voice '{voice}' belongs to the system speech service, which speaks by itself and cannot render audio files"
    )]
    CannotRender {
        /// The voice.
        voice: String,
    },
    /// A rate, pitch or volume outside what the engine can do.
    #[error("{what} {value} is out of range for this engine ({min}–{max})")]
    Prosody {
        /// `rate`, `pitch` or `volume`.
        what: &'static str,
        /// The value asked for (a multiple of the voice's normal).
        value: f32,
        /// Lowest allowed.
        min: f32,
        /// Highest allowed.
        max: f32,
    },
    /// A voice definition (or model) is malformed.
    #[error("{origin}: bad voice definition: {reason}")]
    BadVoice {
        /// Where it came from (a path, or "embedded voice").
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// A language model file hark cannot use (feature `lm`).
    #[error("{origin}: not a language model hark can use: {reason}")]
    BadModel {
        /// The file.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// No installed language model has this name.
    #[error("unknown language model '{name}'; installed: {}", if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    UnknownModel {
        /// The name asked for.
        name: String,
        /// The models installed.
        available: Vec<String>,
    },
    /// A configuration or lexicon file is malformed or unreadable.
    #[error("{}: {reason}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// An option's value is not usable (a pause too long, an output name
    /// of the wrong kind…).
    #[error("{0}")]
    Invalid(String),
    /// An audio format this build was compiled without.
    #[error("this build cannot write {format} files (cargo feature `{feature}`)")]
    FormatNotBuilt {
        /// The format.
        format: &'static str,
        /// The feature that adds it.
        feature: &'static str,
    },
    /// A directory given as input holds no file hark reads.
    #[error("{input}: no article files in this directory (give --glob for other names)")]
    NothingToRead {
        /// The directory.
        input: String,
    },
    /// An output directory's `hark-export.json` is not a manifest hark reads.
    #[error("{}: not an export manifest hark can read ({reason})", path.display())]
    BadManifest {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// An output file exists and overwriting was not allowed.
    #[error("{} already exists", path.display())]
    OutputExists {
        /// The file.
        path: PathBuf,
    },
    /// A directory stands where an output file should be written.
    #[error("{} is a directory", path.display())]
    OutputIsDirectory {
        /// The path.
        path: PathBuf,
    },
    /// Two inputs of a batch would write the same file.
    #[error("{first} and {second} would both write {}", path.display())]
    OutputClash {
        /// The file.
        path: PathBuf,
        /// One input.
        first: String,
        /// The other.
        second: String,
    },
    /// Some inputs of a batch failed; each was reported on its own.
    #[error("{failed} of {total} inputs failed")]
    Batch {
        /// Inputs that failed.
        failed: usize,
        /// Inputs in the batch.
        total: usize,
    },
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done ("writing out.wav").
        context: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A speech engine failed.
    #[error("{engine}: {message}")]
    Engine {
        /// The engine (`pico`, `flite`, `system`…).
        engine: &'static str,
        /// What it said.
        message: String,
    },
    /// The audio device is missing or failed.
    #[error("audio device: {0}")]
    AudioDevice(String),
    /// The work was interrupted (a signal); nothing partial was left.
    #[error("interrupted")]
    Interrupted,
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn no_match_message(input: &str, selector: &str, closest: &[Closest]) -> String {
    let mut s = format!("{input}: selection matched nothing: {selector}");
    if !closest.is_empty() {
        s.push_str("; closest sentences:");
        for c in closest {
            s.push_str(&format!(
                "\n  [{}] ({:.0}% of words) {}",
                c.number,
                c.overlap * 100.0,
                c.text
            ));
        }
    }
    s
}

impl Error {
    /// An I/O failure while doing `context`.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// An engine failure.
    pub(crate) fn engine(engine: &'static str, message: impl Into<String>) -> Self {
        Error::Engine {
            engine,
            message: message.into(),
        }
    }

    /// The input this error is about, where it is about one.
    pub fn input(&self) -> Option<&str> {
        match self {
            Error::Unreadable { input, .. }
            | Error::IsDirectory { input }
            | Error::NotText { input, .. }
            | Error::Undecodable { input, .. }
            | Error::Empty { input }
            | Error::TooLarge { input, .. }
            | Error::NoArticle { input, .. }
            | Error::NoContent { input, .. }
            | Error::NoMatch { input, .. }
            | Error::NothingToRead { input } => Some(input),
            Error::Fetch { url, .. } => Some(url),
            Error::NoVoiceForLanguage { input, .. } => input.as_deref(),
            Error::Unpronounceable { input, .. } => Some(input),
            _ => None,
        }
    }

    /// A short, stable name of the variant (`no_match`, `not_text`…), as
    /// the JSON reports write it.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Unreadable { .. } => "unreadable",
            Error::IsDirectory { .. } => "is_directory",
            Error::NotText { .. } => "not_text",
            Error::Undecodable { .. } => "undecodable",
            Error::UnknownEncoding { .. } => "unknown_encoding",
            Error::Empty { .. } => "empty",
            Error::TooLarge { .. } => "too_large",
            Error::NoArticle { .. } => "no_article",
            Error::NoContent { .. } => "no_content",
            Error::Fetch { .. } => "fetch",
            Error::BadRange { .. } => "bad_range",
            Error::BadFragment { .. } => "bad_fragment",
            Error::BadPattern { .. } => "bad_pattern",
            Error::NoMatch { .. } => "no_match",
            Error::UnknownVoice { .. } => "unknown_voice",
            Error::NoVoiceForLanguage { .. } => "no_voice_for_language",
            Error::EngineNotBuilt { .. } => "engine_not_built",
            Error::Unpronounceable { .. } => "unpronounceable",
            Error::CannotRender { .. } => "cannot_render",
            Error::RuntimeMissing { .. } => "runtime_missing",
            Error::Prosody { .. } => "prosody",
            Error::BadVoice { .. } => "bad_voice",
            Error::BadModel { .. } => "bad_model",
            Error::UnknownModel { .. } => "unknown_model",
            Error::Config { .. } => "config",
            Error::Invalid(_) => "invalid",
            Error::FormatNotBuilt { .. } => "format_not_built",
            Error::NothingToRead { .. } => "nothing_to_read",
            Error::BadManifest { .. } => "bad_manifest",
            Error::OutputExists { .. } => "output_exists",
            Error::OutputIsDirectory { .. } => "output_is_directory",
            Error::OutputClash { .. } => "output_clash",
            Error::Batch { .. } => "batch",
            Error::Io { .. } => "io",
            Error::Engine { .. } => "engine",
            Error::AudioDevice(_) => "audio_device",
            Error::Interrupted => "interrupted",
        }
    }

    /// True for a closed pipe on output (`hark clean a.txt | head`), which
    /// a command-line tool ends on quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// `Result` with hark's [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
