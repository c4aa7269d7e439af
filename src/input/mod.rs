//! Reading input: files, standard input or bytes in memory → text, plain
//! text or HTML.
//!
//! Encoding problems and binary files become typed errors
//! ([`crate::Error::NotText`], [`crate::Error::Undecodable`]…), never a panic
//! and never silently mangled text.

mod decode;
mod dense;
mod fetch;
pub(crate) mod html;
mod names;

pub use fetch::{is_url, FetchOptions};
pub use names::{gather, GatherOptions, DEFAULT_GLOBS};

use crate::error::{Error, NotText, Result};
pub(crate) use decode::{Decision, How};
use std::io::Read;
use std::path::PathBuf;

/// Where an article comes from.
///
/// ```
/// use hark::Source;
/// assert_eq!(Source::from("-"), Source::Stdin);
/// assert_eq!(Source::from("a.txt"), Source::Path("a.txt".into()));
/// assert_eq!(Source::from("a.txt").name(), "a.txt");
/// assert_eq!(Source::from("https://example.com/a"), Source::Url("https://example.com/a".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// A file.
    Path(PathBuf),
    /// Standard input.
    Stdin,
    /// An `http(s)://` page, fetched when read (feature `net`).
    Url(String),
    /// Bytes already in memory, with a name for messages.
    Bytes {
        /// The name used in messages and as the document's source.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Source {
    /// How the source is named in messages: the path, `-`, or the name given.
    pub fn name(&self) -> String {
        match self {
            Source::Path(p) => p.display().to_string(),
            Source::Stdin => "-".into(),
            Source::Url(u) => u.clone(),
            Source::Bytes { name, .. } => name.clone(),
        }
    }
}

impl From<&str> for Source {
    /// `-` is standard input, `http://` and `https://` a URL; anything
    /// else is a path.
    fn from(s: &str) -> Source {
        if s == "-" {
            Source::Stdin
        } else if is_url(s) {
            Source::Url(s.to_string())
        } else {
            Source::Path(PathBuf::from(s))
        }
    }
}

impl From<&String> for Source {
    fn from(s: &String) -> Source {
        Source::from(s.as_str())
    }
}

impl From<PathBuf> for Source {
    fn from(p: PathBuf) -> Source {
        Source::Path(p)
    }
}

impl From<&std::path::Path> for Source {
    fn from(p: &std::path::Path) -> Source {
        Source::Path(p.to_path_buf())
    }
}

/// The bytes of one input and where they came from.
#[derive(Debug, Clone)]
pub(crate) struct RawInput {
    /// A path, a URL, or `-` for standard input.
    pub name: String,
    pub bytes: Vec<u8>,
    /// The HTTP Content-Type, for a fetched page.
    pub content_type: Option<String>,
    /// The top-level domain of its URL (a hint for encoding detection).
    pub tld: Option<String>,
}

/// What kind of text an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Plain (scraped or pasted) text.
    Text,
    /// An HTML page.
    Html,
}

/// Decoded input text.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    pub name: String,
    pub text: String,
    pub format: Format,
    /// The encoding it was read with (e.g. `UTF-8`, `windows-1252`).
    pub encoding: &'static str,
    /// How that encoding was decided, and what was replaced.
    pub decision: Decision,
}

/// The decoded text of a source, not cleaned as an article (for text
/// given as is).
///
/// ```
/// let t = hark::read_text(hark::Source::Bytes { name: "x".into(), bytes: b"\xef\xbb\xbfHi.".to_vec() }, None)?;
/// assert_eq!(t, "Hi.");
/// # Ok::<(), hark::Error>(())
/// ```
pub fn read_text(source: Source, encoding: Option<&str>) -> Result<String> {
    let opts = DecodeOptions {
        forced: encoding,
        strict: false,
    };
    Ok(decode(&read(&source, MAX_INPUT_BYTES, &FetchOptions::default())?, &opts)?.text)
}

/// The largest input read by default: 256 MiB. Cleaning holds about six
/// times the text in memory (100 MB of text: 0.6 GB).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Read a source into memory, refusing more than `limit` bytes.
pub(crate) fn read(source: &Source, limit: u64, fetching: &FetchOptions) -> Result<RawInput> {
    let name = source.name();
    let too_large = |size| Error::TooLarge {
        input: name.clone(),
        size,
        limit,
    };
    let bytes = match source {
        Source::Url(url) => return fetch::fetch(url, fetching, limit),
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io("reading standard input", e))?;
            if bytes.len() as u64 > limit {
                return Err(too_large(bytes.len() as u64));
            }
            bytes
        }
        Source::Path(path) => {
            let unreadable = |source| Error::Unreadable {
                input: name.clone(),
                source,
            };
            let meta = std::fs::metadata(path).map_err(unreadable)?;
            if meta.is_dir() {
                return Err(Error::IsDirectory { input: name });
            }
            if meta.len() > limit {
                return Err(too_large(meta.len()));
            }
            let mut bytes = Vec::with_capacity(meta.len() as usize);
            std::fs::File::open(path)
                .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
                .map_err(unreadable)?;
            if bytes.len() as u64 > limit {
                return Err(too_large(bytes.len() as u64));
            }
            bytes
        }
        Source::Bytes { bytes, .. } => {
            if bytes.len() as u64 > limit {
                return Err(too_large(bytes.len() as u64));
            }
            bytes.clone()
        }
    };
    Ok(RawInput {
        name,
        bytes,
        content_type: None,
        tld: None,
    })
}

/// How to decode.
#[derive(Debug, Clone, Default)]
pub(crate) struct DecodeOptions<'a> {
    /// An encoding label the user forces.
    pub forced: Option<&'a str>,
    /// Refuse invalid bytes instead of replacing them.
    pub strict: bool,
}

/// Decode bytes to text (see [`decode`](self::decode) for the order of
/// evidence), and tell plain text from HTML.
pub(crate) fn decode(raw: &RawInput, opts: &DecodeOptions) -> Result<Decoded> {
    let name = raw.name.clone();
    let bytes = raw.bytes.as_slice();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { input: name });
    }
    let looks_html = sniff_html(bytes, &name) || raw.content_type.as_deref().is_some_and(|c| c.contains("html"));
    let hints = decode::Hints {
        forced: opts.forced,
        http: raw.content_type.as_deref().and_then(http_charset),
        html: looks_html,
        tld: raw.tld.clone(),
        strict: opts.strict,
    };
    let (text, decision) = decode::decode(&name, bytes, &hints)?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 100 > text.chars().count().max(1) {
        return Err(Error::NotText {
            input: name,
            what: NotText::ControlCharacters,
        });
    }
    if text.trim().is_empty() {
        return Err(Error::Empty { input: name });
    }
    Ok(Decoded {
        name,
        text,
        format: if looks_html { Format::Html } else { Format::Text },
        encoding: decision.encoding.name(),
        decision,
    })
}

/// The charset parameter of a Content-Type header value.
fn http_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// HTML by content (a doctype or typical tags near the start), or by name.
pub(crate) fn sniff_html(bytes: &[u8], name: &str) -> bool {
    let lower_name = name.to_ascii_lowercase();
    if lower_name.ends_with(".html") || lower_name.ends_with(".htm") || lower_name.ends_with(".xhtml") {
        return true;
    }
    let head: Vec<u8> = bytes
        .iter()
        .take(2048)
        .filter(|b| **b != 0)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let head = String::from_utf8_lossy(&head);
    let start = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    start.starts_with('<')
        && [
            "<!doctype html",
            "<html",
            "<head",
            "<body",
            "<meta",
            "<p>",
            "<p ",
            "<div",
            "<article",
        ]
        .iter()
        .any(|t| head.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(name: &str, bytes: &[u8]) -> RawInput {
        RawInput {
            name: name.into(),
            bytes: bytes.to_vec(),
            content_type: None,
            tld: None,
        }
    }

    fn dec(r: &RawInput, forced: Option<&str>) -> Result<Decoded> {
        decode(r, &DecodeOptions { forced, strict: false })
    }

    #[test]
    fn encodings() {
        assert_eq!(dec(&raw("a", b"\xef\xbb\xbfhi"), None).unwrap().text, "hi");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("héllo".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(dec(&raw("a", &utf16), None).unwrap().text, "héllo");
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9 \x93quoted\x94</p></body></html>";
        let d = dec(&raw("p", page), None).unwrap();
        assert!(d.text.contains("café “quoted”"));
        assert_eq!(d.format, Format::Html);
        assert_eq!(dec(&raw("a", b"caf\xe9"), Some("windows-1252")).unwrap().text, "café");
        let mut http = raw("p", b"<p>caf\xe9 au lait</p>");
        http.content_type = Some("text/html; charset=\"ISO-8859-1\"".into());
        assert_eq!(dec(&http, None).unwrap().text, "<p>café au lait</p>");
    }

    #[test]
    fn refusals() {
        for (bytes, needle) in [
            (&b"\x89PNG\r\n\x1a\n\0\0"[..], "PNG"),
            (b"abc\0def", "binary"),
            (b"  \n ", "empty"),
        ] {
            let e = dec(&raw("x", bytes), None).unwrap_err();
            assert!(e.to_string().contains(needle), "{e}");
        }
        assert!(matches!(
            dec(&raw("x", b"a"), Some("klingon")),
            Err(Error::UnknownEncoding { .. })
        ));
    }
}
