//! Reading input: files, standard input or bytes in memory → text, plain
//! text or HTML.
//!
//! Encoding problems and binary files become typed errors
//! ([`crate::Error::NotText`], [`crate::Error::Undecodable`]…), never a panic
//! and never silently mangled text.

pub(crate) mod html;

use crate::error::{Error, NotText, Result};
use encoding_rs::Encoding;
use std::io::Read;
use std::path::PathBuf;

/// Where an article comes from.
///
/// ```
/// use hark::Source;
/// assert_eq!(Source::from("-"), Source::Stdin);
/// assert_eq!(Source::from("a.txt"), Source::Path("a.txt".into()));
/// assert_eq!(Source::from("a.txt").name(), "a.txt");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// A file.
    Path(PathBuf),
    /// Standard input.
    Stdin,
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
            Source::Bytes { name, .. } => name.clone(),
        }
    }
}

impl From<&str> for Source {
    /// `-` is standard input; anything else is a path.
    fn from(s: &str) -> Source {
        if s == "-" {
            Source::Stdin
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
    /// A path, or `-` for standard input.
    pub name: String,
    pub bytes: Vec<u8>,
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
    Ok(decode(&read(&source)?, encoding)?.text)
}

/// Read a source into memory.
pub(crate) fn read(source: &Source) -> Result<RawInput> {
    let name = source.name();
    let bytes = match source {
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io("reading standard input", e))?;
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
            std::fs::read(path).map_err(unreadable)?
        }
        Source::Bytes { bytes, .. } => bytes.clone(),
    };
    Ok(RawInput { name, bytes })
}

/// Known binary signatures, so the error can say what the file is.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF (WAV/AVI) file"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
];

/// Decode bytes to text. `forced` is an encoding label given by the user
/// (`--encoding windows-1252`); otherwise: a BOM, then an HTML
/// `<meta charset>`, then strict UTF-8.
pub(crate) fn decode(raw: &RawInput, forced: Option<&str>) -> Result<Decoded> {
    let name = raw.name.clone();
    let bytes = raw.bytes.as_slice();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { input: name });
    }
    let bom = Encoding::for_bom(bytes);
    if bom.is_none() {
        if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
            return Err(Error::NotText {
                input: name,
                what: NotText::Format(what),
            });
        }
        if let Some(pos) = bytes.iter().position(|&b| b == 0) {
            return Err(Error::NotText {
                input: name,
                what: NotText::NulByte(pos),
            });
        }
    }
    let looks_html = sniff_html(bytes, &name);
    let (encoding, body): (&'static Encoding, &[u8]) = if let Some(label) = forced {
        let enc = Encoding::for_label(label.as_bytes()).ok_or_else(|| Error::UnknownEncoding {
            label: label.to_string(),
        })?;
        (enc, bytes)
    } else if let Some((enc, len)) = bom {
        (enc, &bytes[len..])
    } else if let Some(enc) = looks_html.then(|| meta_charset(bytes)).flatten() {
        (enc, bytes)
    } else {
        (encoding_rs::UTF_8, bytes)
    };
    let text = match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(t) => t.into_owned(),
        None => {
            let at = first_invalid(encoding, body);
            return Err(Error::Undecodable {
                input: name,
                encoding: encoding.name(),
                offset: at,
                byte: body.get(at).copied().unwrap_or(0),
            });
        }
    };
    let text = text.replace("\r\n", "\n");
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
        encoding: encoding.name(),
    })
}

/// The byte offset of the first sequence `encoding` cannot decode.
fn first_invalid(encoding: &'static Encoding, body: &[u8]) -> usize {
    if encoding == encoding_rs::UTF_8 {
        return std::str::from_utf8(body).err().map_or(0, |e| e.valid_up_to());
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() * 3 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(bad as usize),
        _ => 0,
    }
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

/// The encoding declared by `<meta charset=…>` or `<meta http-equiv … charset=…>`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::bytes::Regex::new(r#"(?i)<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)"#).expect("regex")
    });
    let head = &bytes[..bytes.len().min(8192)];
    let label = re.captures(head)?.get(1)?.as_bytes();
    let enc = Encoding::for_label(label)?;
    // A page can't really be UTF-16 if we are reading its meta tag as ASCII.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    Some(enc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(name: &str, bytes: &[u8]) -> RawInput {
        RawInput {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(decode(&raw("a", b"\xef\xbb\xbfhi"), None).unwrap().text, "hi");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("héllo".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&raw("a", &utf16), None).unwrap().text, "héllo");
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9 \x93quoted\x94</p></body></html>";
        let d = decode(&raw("p", page), None).unwrap();
        assert!(d.text.contains("café “quoted”"));
        assert_eq!(d.format, Format::Html);
        assert_eq!(
            decode(&raw("a", b"caf\xe9"), Some("windows-1252")).unwrap().text,
            "café"
        );
    }

    #[test]
    fn refusals() {
        for (bytes, needle) in [
            (&b"caf\xe9 au lait"[..], "not valid UTF-8"),
            (b"\x89PNG\r\n\x1a\n\0\0", "PNG"),
            (b"abc\0def", "binary"),
            (b"  \n ", "empty"),
        ] {
            let e = decode(&raw("x", bytes), None).unwrap_err();
            assert!(e.to_string().contains(needle), "{e}");
        }
    }
}
