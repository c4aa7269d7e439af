//! Bytes → text, as browsers decide the encoding, and a little more
//! forgiving where that loses nothing:
//!
//! 1. an encoding the caller forces (`--encoding`), UTF-16 included (no BOM
//!    needed);
//! 2. a byte-order mark;
//! 3. the HTTP `Content-Type` charset, then (HTML) a `<meta charset>` or
//!    `<meta http-equiv="Content-Type">` found by the HTML5 prescan
//!    algorithm (WHATWG HTML §13.2.3.2: tags and attributes are read as
//!    tags, so a `charset=` inside a script or a comment is not a
//!    declaration), continued through `<head>` as the parser's "change the
//!    encoding" step would;
//! 4. undeclared: UTF-8 when the bytes are UTF-8, else `chardetng` (the
//!    detector Firefox uses), with the URL's top-level domain as a hint;
//! 5. UTF-16 without a BOM is recognised by its zero bytes.
//!
//! A declaration that the bytes contradict is overridden and said so: bytes
//! that are valid UTF-8 (with non-ASCII in them) are UTF-8 whatever a
//! legacy label claims, and a declared encoding that fails on many
//! sequences is re-detected. A few stray invalid bytes in otherwise valid
//! text become U+FFFD, with a note of how many and where the first is;
//! `strict` refuses them instead.

use crate::error::{Error, NotText, Result};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How the encoding was decided, and what was replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub encoding: &'static Encoding,
    /// Where the encoding came from.
    pub how: How,
    /// Invalid sequences replaced by U+FFFD.
    pub replaced: usize,
    /// Byte offset of the first of them.
    pub first_bad: Option<usize>,
}

/// Where an encoding came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum How {
    Forced,
    Bom,
    /// Declared (HTTP or `<meta>`) and used.
    Declared,
    /// Declared as the first, but the bytes are the second.
    Overridden(&'static Encoding),
    /// Not declared: the bytes are valid UTF-8 (or ASCII).
    Utf8,
    /// Not declared: guessed by the detector.
    Detected,
    /// UTF-16 recognised by its zero bytes.
    Utf16Pattern,
}

/// Counts of a UTF-8 reading of the bytes.
struct Utf8Stats {
    multibyte: usize,
    invalid: usize,
}

fn utf8_stats(bytes: &[u8]) -> Utf8Stats {
    let mut s = Utf8Stats {
        multibyte: 0,
        invalid: 0,
    };
    for chunk in bytes.utf8_chunks() {
        s.multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            s.invalid += 1;
        }
    }
    s
}

/// Decode with replacement: the text, the sequences replaced, the first's offset.
fn decode_with(enc: &'static Encoding, body: &[u8]) -> (String, usize, Option<usize>) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(decoder.max_utf8_buffer_length(body.len()).unwrap_or(body.len() * 3));
    let mut replaced = 0;
    let mut first = None;
    let mut read_total = 0;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(&body[read_total..], &mut out, true);
        read_total += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => out.reserve(body.len() - read_total + 16),
            encoding_rs::DecoderResult::Malformed(bad, _) => {
                replaced += 1;
                first.get_or_insert(read_total.saturating_sub(bad as usize));
                out.push('\u{FFFD}');
            }
        }
    }
    (out, replaced, first)
}

/// "Mostly UTF-8": real multi-byte characters and only a few strays among
/// them (a page saved with a byte cut off, a stray Latin-1 byte).
fn mostly_utf8(s: &Utf8Stats) -> bool {
    s.multibyte >= 2 && s.invalid * 4 <= s.multibyte
}

/// UTF-16 by its zero bytes: in text of mostly ASCII, every other byte is 0.
fn utf16_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 16 {
        return None;
    }
    let pairs = head.len() / 2;
    let (mut even0, mut odd0) = (0, 0);
    for p in head.chunks_exact(2) {
        even0 += usize::from(p[0] == 0);
        odd0 += usize::from(p[1] == 0);
    }
    if odd0 * 10 >= pairs * 8 && even0 * 10 <= pairs {
        Some(UTF_16LE)
    } else if even0 * 10 >= pairs * 8 && odd0 * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
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
    (b"fLaC", "a FLAC file"),
];

/// What the decoder is given besides the bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints<'a> {
    /// A label the user forces.
    pub forced: Option<&'a str>,
    /// The HTTP Content-Type charset.
    pub http: Option<&'a str>,
    /// The bytes are HTML (look for `<meta>`).
    pub html: bool,
    /// The top-level domain of the URL, for the detector.
    pub tld: Option<String>,
    /// Refuse replaced bytes.
    pub strict: bool,
}

/// Decode `bytes` (named `name` in errors).
pub(crate) fn decode(name: &str, bytes: &[u8], hints: &Hints) -> Result<(String, Decision)> {
    let forced = match hints.forced {
        Some(label) => Some(
            Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| Error::UnknownEncoding {
                label: label.to_string(),
            })?,
        ),
        None => None,
    };
    let bom = Encoding::for_bom(bytes);
    let pattern = if forced.is_none() && bom.is_none() {
        utf16_pattern(bytes)
    } else {
        None
    };
    let wide = |e: Option<&'static Encoding>| e.is_some_and(|e| e == UTF_16LE || e == UTF_16BE);
    if !wide(forced) && bom.is_none() && pattern.is_none() {
        if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
            return Err(Error::NotText {
                input: name.to_string(),
                what: NotText::Format(what),
            });
        }
        if let Some(pos) = bytes.iter().position(|&b| b == 0) {
            return Err(Error::NotText {
                input: name.to_string(),
                what: NotText::NulByte(pos),
            });
        }
    }
    let decision = |encoding, how| Decision {
        encoding,
        how,
        replaced: 0,
        first_bad: None,
    };
    let (encoding, body, mut how) = if let Some(enc) = forced {
        // A BOM of the forced encoding is not text.
        let skip = bom.filter(|(b, _)| *b == enc).map_or(0, |(_, n)| n);
        (enc, &bytes[skip..], How::Forced)
    } else if let Some((enc, n)) = bom {
        (enc, &bytes[n..], How::Bom)
    } else if let Some(enc) = pattern {
        (enc, bytes, How::Utf16Pattern)
    } else {
        let declared = hints
            .http
            .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
            .or_else(|| hints.html.then(|| prescan(bytes)).flatten())
            .map(|e| if e == UTF_16LE || e == UTF_16BE { UTF_8 } else { e });
        let stats = utf8_stats(bytes);
        match declared {
            Some(d) if d != UTF_8 && stats.invalid == 0 && stats.multibyte > 0 => (UTF_8, bytes, How::Overridden(d)),
            Some(d) => (d, bytes, How::Declared),
            None if stats.invalid == 0 || mostly_utf8(&stats) => (UTF_8, bytes, How::Utf8),
            None => (guess(bytes, hints.tld.as_deref()), bytes, How::Detected),
        }
    };
    let (mut text, mut replaced, mut first) = decode_with(encoding, body);
    let mut used = encoding;
    // A declaration that fails on many sequences is re-detected.
    if how == How::Declared && replaced > 0 {
        let stats = utf8_stats(bytes);
        let many = replaced > 3 && replaced * 1000 > body.len();
        if encoding == UTF_8 && !mostly_utf8(&stats) || encoding != UTF_8 && many {
            let g = guess(bytes, hints.tld.as_deref());
            let (t2, r2, f2) = decode_with(g, bytes);
            if g != encoding && r2 < replaced {
                how = How::Overridden(encoding);
                (text, replaced, first, used) = (t2, r2, f2, g);
            }
        }
    }
    if replaced > 0 && hints.strict {
        return Err(Error::Undecodable {
            input: name.to_string(),
            encoding: used.name(),
            offset: first.unwrap_or(0),
            byte: first.and_then(|f| body.get(f)).copied().unwrap_or(0),
        });
    }
    let mut d = decision(used, how);
    d.replaced = replaced;
    d.first_bad = first;
    Ok((text, d))
}

fn guess(bytes: &[u8], tld: Option<&str>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(&bytes[..bytes.len().min(1 << 20)], true);
    let tld = tld.map(|t| t.to_ascii_lowercase()).filter(|t| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let g = det.guess(tld.as_deref().map(str::as_bytes), chardetng::Utf8Detection::Allow);
    if g == UTF_8 {
        // Only when the bytes were not UTF-8 does the detector get asked.
        WINDOWS_1252
    } else {
        g
    }
}

// --- the HTML5 prescan --------------------------------------------------

fn is_space(b: u8) -> bool {
    matches!(b, 0x09 | 0x0A | 0x0C | 0x0D | 0x20)
}

/// Read one attribute at `*i` ("get an attribute"): (lower-cased name,
/// value), or None at the end of the tag.
fn get_attribute(b: &[u8], i: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    while *i < b.len() && (is_space(b[*i]) || b[*i] == b'/') {
        *i += 1;
    }
    if *i >= b.len() || b[*i] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    loop {
        if *i >= b.len() {
            return Some((name, Vec::new()));
        }
        let c = b[*i];
        if c == b'=' && !name.is_empty() {
            *i += 1;
            break;
        }
        if is_space(c) {
            while *i < b.len() && is_space(b[*i]) {
                *i += 1;
            }
            if *i < b.len() && b[*i] == b'=' {
                *i += 1;
                break;
            }
            return Some((name, Vec::new()));
        }
        if c == b'/' || c == b'>' {
            return Some((name, Vec::new()));
        }
        name.push(c.to_ascii_lowercase());
        *i += 1;
    }
    while *i < b.len() && is_space(b[*i]) {
        *i += 1;
    }
    let mut value = Vec::new();
    if *i < b.len() && (b[*i] == b'"' || b[*i] == b'\'') {
        let q = b[*i];
        *i += 1;
        while *i < b.len() && b[*i] != q {
            value.push(b[*i].to_ascii_lowercase());
            *i += 1;
        }
        *i += 1;
        return Some((name, value));
    }
    while *i < b.len() && !is_space(b[*i]) && b[*i] != b'>' {
        value.push(b[*i].to_ascii_lowercase());
        *i += 1;
    }
    Some((name, value))
}

/// "Extract a character encoding from a meta element" (the `content` value).
fn charset_in_content(v: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while let Some(pos) = find(&v[i..], b"charset") {
        let mut j = i + pos + 7;
        while j < v.len() && is_space(v[j]) {
            j += 1;
        }
        if j >= v.len() || v[j] != b'=' {
            i = j;
            continue;
        }
        j += 1;
        while j < v.len() && is_space(v[j]) {
            j += 1;
        }
        if j >= v.len() {
            return None;
        }
        if v[j] == b'"' || v[j] == b'\'' {
            let q = v[j];
            let end = v[j + 1..].iter().position(|&c| c == q)?;
            return Encoding::for_label(&v[j + 1..j + 1 + end]);
        }
        let end = v[j..]
            .iter()
            .position(|&c| is_space(c) || c == b';')
            .map_or(v.len(), |p| j + p);
        return Encoding::for_label(&v[j..end]);
    }
    None
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn starts_ci(b: &[u8], i: usize, s: &[u8]) -> bool {
    b.len() >= i + s.len() && b[i..i + s.len()].eq_ignore_ascii_case(s)
}

/// The encoding a `<meta>` declares, read as the prescan does over the
/// first 1,024 bytes and then on through the `<head>` (up to 64 KiB),
/// skipping comments and the text of `<script>`, `<style>`, `<title>` and
/// `<textarea>`.
pub(crate) fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(64 * 1024)];
    let mut i = 0;
    while i < b.len() {
        if starts_ci(b, i, b"<!--") {
            i = find(&b[i + 2..], b"-->").map_or(b.len(), |p| i + 2 + p + 3);
            continue;
        }
        if starts_ci(b, i, b"<meta") && b.get(i + 5).is_some_and(|&c| is_space(c) || c == b'/') {
            i += 5;
            let (mut got_pragma, mut need_pragma, mut charset) = (false, None, None);
            let mut seen: Vec<Vec<u8>> = Vec::new();
            while let Some((name, value)) = get_attribute(b, &mut i) {
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name.clone());
                match name.as_slice() {
                    b"http-equiv" if value == b"content-type" => got_pragma = true,
                    b"content" if charset.is_none() => {
                        if let Some(c) = charset_in_content(&value) {
                            charset = Some(c);
                            need_pragma = Some(true);
                        }
                    }
                    b"charset" => {
                        charset = Encoding::for_label(&value);
                        need_pragma = Some(false);
                    }
                    _ => {}
                }
            }
            let ok = match need_pragma {
                None => false,
                Some(true) => got_pragma,
                Some(false) => true,
            };
            if let (true, Some(c)) = (ok, charset) {
                return Some(if c == UTF_16LE || c == UTF_16BE {
                    UTF_8
                } else if c.name() == "x-user-defined" {
                    WINDOWS_1252
                } else {
                    c
                });
            }
            continue;
        }
        if b[i] == b'<'
            && (b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                || (b.get(i + 1) == Some(&b'/') && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic)))
        {
            let start = i + 1 + usize::from(b[i + 1] == b'/');
            let mut j = start;
            while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                j += 1;
            }
            let tag = b[start..j].to_ascii_lowercase();
            let closing = b[i + 1] == b'/';
            i = j;
            while get_attribute(b, &mut i).is_some() {}
            i += 1;
            if !closing {
                if tag == b"body" {
                    return None;
                }
                // Raw text: skip to its end tag.
                for raw in [&b"script"[..], b"style", b"title", b"textarea"] {
                    if tag == raw {
                        let mut close = b"</".to_vec();
                        close.extend_from_slice(raw);
                        let mut k = i;
                        while k < b.len() && !starts_ci(b, k, &close) {
                            k += 1;
                        }
                        i = k;
                    }
                }
            }
            continue;
        }
        if starts_ci(b, i, b"<!") || starts_ci(b, i, b"</") || starts_ci(b, i, b"<?") {
            i = b[i..].iter().position(|&c| c == b'>').map_or(b.len(), |p| i + p + 1);
            continue;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(bytes: &[u8]) -> (String, Decision) {
        decode(
            "p.html",
            bytes,
            &Hints {
                html: true,
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn prescan_reads_tags_not_text() {
        assert_eq!(prescan(b"<meta charset=\"windows-1252\">"), Some(WINDOWS_1252));
        assert_eq!(
            prescan(b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'>").map(|e| e.name()),
            Some("windows-1252")
        );
        // content= without the pragma is no declaration
        assert_eq!(prescan(b"<meta content='text/html; charset=koi8-r'>"), None);
        // in a comment, a script or a title: not a declaration
        assert_eq!(prescan(b"<!-- <meta charset=koi8-r> --><p>x"), None);
        assert_eq!(
            prescan(b"<head><script>var s = '<meta charset=utf-8>';</script><meta charset=iso-8859-2></head>")
                .map(|e| e.name()),
            Some("ISO-8859-2")
        );
        assert_eq!(
            prescan(b"<title>charset=utf-8 <meta charset=koi8-r></title><body>"),
            None
        );
        // utf-16 in a meta read as ASCII is UTF-8
        assert_eq!(prescan(b"<meta charset=utf-16le>"), Some(UTF_8));
        // beyond the first 1,024 bytes, still in the head
        let mut late = b"<head>".to_vec();
        late.extend(std::iter::repeat_n(b' ', 3000));
        late.extend_from_slice(b"<meta charset=\"windows-1251\">");
        assert_eq!(prescan(&late).map(|e| e.name()), Some("windows-1251"));
    }

    #[test]
    fn declared_legacy_but_utf8_is_utf8() {
        let page = "<html><head><meta charset=gb2312></head><body><p>Grüße aus Köln, 北京</p></body></html>";
        let (text, d) = html(page.as_bytes());
        assert!(text.contains("Grüße aus Köln, 北京"));
        assert_eq!(d.how, How::Overridden(encoding_rs::GBK));
    }

    #[test]
    fn script_charset_does_not_override_real_latin1() {
        let mut page = b"<html><head><title>Caf\xe9</title><script>var enc='charset=utf-8';</script></head><body><p>Caf\xe9 cr\xe8me br\xfbl\xe9e</p></body></html>".to_vec();
        page.extend_from_slice(b"");
        let (text, d) = html(&page);
        assert!(text.contains("Café crème brûlée"), "{text}");
        assert_eq!(d.encoding, WINDOWS_1252);
    }

    #[test]
    fn stray_bytes_are_replaced_and_counted_unless_strict() {
        let mut t = "Grüße aus Köln. Schöne Grüße, Jürgen. ".repeat(3).into_bytes();
        t.insert(10, 0xff);
        let (text, d) = decode("t", &t, &Hints::default()).unwrap();
        assert_eq!((d.encoding, d.replaced, d.first_bad), (UTF_8, 1, Some(10)));
        assert_eq!(text.matches('\u{FFFD}').count(), 1);
        let e = decode(
            "t",
            &t,
            &Hints {
                strict: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Undecodable {
                    offset: 10,
                    byte: 0xff,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn undeclared_legacy_is_detected() {
        let (text, d) = decode("t", b"caf\xe9 au lait, cr\xe8me, na\xefve", &Hints::default()).unwrap();
        assert_eq!(text, "café au lait, crème, naïve");
        assert_eq!(d.how, How::Detected);
        let koi8 = encoding_rs::KOI8_R
            .encode("Привет, мир! Это обычный русский текст о погоде.")
            .0;
        let (text, _) = decode(
            "t",
            &koi8,
            &Hints {
                tld: Some("ru".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(text.starts_with("Привет, мир!"), "{text}");
    }

    #[test]
    fn utf16_without_bom() {
        let le: Vec<u8> = "Hello there, plain text."
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = "Hello there, plain text."
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        for (bytes, forced) in [(&le, "utf-16le"), (&be, "utf-16be")] {
            let (t, _) = decode(
                "t",
                bytes,
                &Hints {
                    forced: Some(forced),
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(t, "Hello there, plain text.");
            let (t, d) = decode("t", bytes, &Hints::default()).unwrap();
            assert_eq!((t.as_str(), d.how), ("Hello there, plain text.", How::Utf16Pattern));
        }
        // Binary is still refused.
        assert!(decode("t", b"\x00\x01\x02\x03abc\x00\x00\x10", &Hints::default()).is_err());
    }
}
