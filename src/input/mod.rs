//! Reading input: files or stdin, bytes → text, plain text or HTML.
//!
//! Encoding problems and binary files become [`Error::BadInput`] (exit 2),
//! never a panic and never silently mangled text.

pub mod html;

use crate::error::{Error, Result};
use encoding_rs::Encoding;
use std::io::Read;

/// The bytes of one input and where they came from.
#[derive(Debug, Clone)]
pub struct RawInput {
    /// A path, or `-` for standard input.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What kind of text an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
}

/// Decoded input text.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub name: String,
    pub text: String,
    pub format: Format,
    /// The encoding it was read with (e.g. `UTF-8`, `windows-1252`).
    pub encoding: &'static str,
}

/// Read a path, or standard input for `-`.
pub fn read_source(path: &str) -> Result<RawInput> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("reading standard input", e))?;
    } else {
        let meta = std::fs::metadata(path).map_err(|e| Error::bad_input(path, describe_io(&e)))?;
        if meta.is_dir() {
            return Err(Error::bad_input(path, "is a directory, not a file"));
        }
        bytes = std::fs::read(path).map_err(|e| Error::bad_input(path, describe_io(&e)))?;
    }
    Ok(RawInput {
        name: path.to_string(),
        bytes,
    })
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
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
pub fn decode(raw: &RawInput, forced: Option<&str>) -> Result<Decoded> {
    let name = raw.name.clone();
    let bytes = raw.bytes.as_slice();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::bad_input(&name, "input is empty"));
    }
    let bom = Encoding::for_bom(bytes);
    if bom.is_none() {
        if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
            return Err(Error::bad_input(&name, format!("this is {what}, not text")));
        }
        if let Some(pos) = bytes.iter().position(|&b| b == 0) {
            return Err(Error::bad_input(
                &name,
                format!("looks like a binary file (NUL byte at offset {pos}); hark reads text and HTML"),
            ));
        }
    }
    let looks_html = sniff_html(bytes, &name);
    let (encoding, body): (&'static Encoding, &[u8]) = if let Some(label) = forced {
        let enc = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| Error::Usage(format!("unknown encoding '{label}' (try utf-8 or windows-1252)")))?;
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
            let detail = if encoding == encoding_rs::UTF_8 {
                let err = std::str::from_utf8(body).err();
                let at = err.map(|e| e.valid_up_to()).unwrap_or(0);
                format!(
                    "not valid UTF-8 (bad byte 0x{:02x} at offset {at}); if it is a legacy page, pass --encoding windows-1252",
                    body.get(at).copied().unwrap_or(0)
                )
            } else {
                format!("not valid {}", encoding.name())
            };
            return Err(Error::bad_input(&name, detail));
        }
    };
    let text = text.replace("\r\n", "\n");
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 100 > text.chars().count().max(1) {
        return Err(Error::bad_input(
            &name,
            "looks like a binary file (many control characters)",
        ));
    }
    if text.trim().is_empty() {
        return Err(Error::bad_input(&name, "input is empty"));
    }
    Ok(Decoded {
        name,
        text,
        format: if looks_html { Format::Html } else { Format::Text },
        encoding: encoding.name(),
    })
}

/// HTML by content (a doctype or typical tags near the start), or by name.
pub fn sniff_html(bytes: &[u8], name: &str) -> bool {
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
            assert_eq!(e.exit_code(), 2);
        }
    }
}
