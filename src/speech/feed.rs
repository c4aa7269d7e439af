//! Listening elsewhere: an M3U playlist of a batch in reading order, and a
//! podcast feed (RSS 2.0 with the iTunes tags podcast apps read) of every
//! export recorded in an output directory's manifest. GUIDs come from the
//! input's name and the file's, and dates from when the input was first
//! exported, so both stay the same across runs and a podcast app keeps its
//! listening position.

use super::manifest::{DirManifest, Entry};
use super::wav::AtomicFile;
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// How a feed describes itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedOptions {
    /// The feed file to write (`feed.xml`).
    pub path: std::path::PathBuf,
    /// The URL the output directory is served at; enclosures are this plus
    /// the file name. None: `file://` URLs of the files.
    pub base_url: Option<String>,
    /// The podcast's title (default: the directory's name).
    pub title: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// XML text with `& < > " '` escaped.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// A path as a URL path: each segment percent-encoded.
fn url_path(rel: &str) -> String {
    rel.split('/')
        .map(|seg| {
            seg.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                    b => format!("%{b:02X}"),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `H:MM:SS`, as itunes:duration takes it.
fn duration(secs: f64) -> String {
    let s = secs.round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A stable identifier for one file of one input.
fn guid(entry: &Entry, file: &str) -> String {
    let h = crate::article::sha256_hex(format!("{}\n{}", entry.input, file).as_bytes());
    format!("hark-{}", &h[..32])
}

fn rfc2822(secs: u64) -> String {
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

/// The RSS 2.0 feed of every export in `dir`'s manifest, newest first
/// (one item per audio file; per-passage files are items of their own).
pub fn feed_xml(manifest: &DirManifest, dir: &Path, opts: &FeedOptions) -> Result<String> {
    let base = match &opts.base_url {
        Some(b) => b.trim_end_matches('/').to_string(),
        None => {
            let abs = std::fs::canonicalize(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
            format!("file://{}", url_path(&abs.to_string_lossy()))
        }
    };
    let dir_name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "hark".into());
    let title = opts.title.clone().unwrap_or(dir_name);
    let description = opts
        .description
        .clone()
        .unwrap_or_else(|| format!("Articles read aloud by hark: {title}"));
    let mut entries: Vec<&Entry> = manifest.entries.iter().collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.exported));
    let language = {
        let mut langs: Vec<&str> = entries.iter().filter_map(|e| e.language.as_deref()).collect();
        langs.sort_unstable();
        let mut best: Option<(&str, usize)> = None;
        for l in langs.chunk_by(|a, b| a == b) {
            if best.is_none_or(|b| l.len() > b.1) {
                best = Some((l[0], l.len()));
            }
        }
        best.map(|b| b.0)
    };
    let latest = entries.first().map_or(0, |e| e.exported);
    let feed_name = opts
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "feed.xml".into());

    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">"#
    );
    let _ = writeln!(x, "  <channel>");
    let _ = writeln!(x, "    <title>{}</title>", xml(&title));
    let _ = writeln!(x, "    <link>{}/</link>", xml(&base));
    let _ = writeln!(
        x,
        r#"    <atom:link href="{}/{}" rel="self" type="application/rss+xml"/>"#,
        xml(&base),
        xml(&url_path(&feed_name))
    );
    let _ = writeln!(x, "    <description>{}</description>", xml(&description));
    if let Some(l) = language {
        let _ = writeln!(x, "    <language>{}</language>", xml(l));
    }
    let _ = writeln!(x, "    <generator>hark {}</generator>", env!("CARGO_PKG_VERSION"));
    if latest > 0 {
        let _ = writeln!(x, "    <lastBuildDate>{}</lastBuildDate>", rfc2822(latest));
    }
    let _ = writeln!(x, "    <itunes:author>hark</itunes:author>");
    let _ = writeln!(x, "    <itunes:summary>{}</itunes:summary>", xml(&description));
    let _ = writeln!(x, r#"    <itunes:category text="News"/>"#);
    let _ = writeln!(x, "    <itunes:explicit>false</itunes:explicit>");
    for e in entries {
        let n = e.audio.len();
        for (i, (file, secs)) in e.audio.iter().enumerate() {
            if !dir.join(&file.file).exists() {
                continue;
            }
            let mut t = e.title.clone().unwrap_or_else(|| e.input.clone());
            if n > 1 {
                t = format!("{t} ({}/{n})", i + 1);
            }
            let mime = e
                .format
                .parse::<super::AudioFormat>()
                .map_or("audio/wav", super::AudioFormat::mime);
            let _ = writeln!(x, "    <item>");
            let _ = writeln!(x, "      <title>{}</title>", xml(&t));
            if !e.summary.is_empty() {
                let _ = writeln!(x, "      <description>{}</description>", xml(&e.summary));
            }
            if let Some(b) = &e.byline {
                let _ = writeln!(x, "      <itunes:author>{}</itunes:author>", xml(b));
            }
            if crate::input::is_url(&e.input) {
                let _ = writeln!(x, "      <link>{}</link>", xml(&e.input));
            }
            let _ = writeln!(
                x,
                r#"      <enclosure url="{}/{}" length="{}" type="{mime}"/>"#,
                xml(&base),
                xml(&url_path(&file.file)),
                file.bytes
            );
            let _ = writeln!(x, r#"      <guid isPermaLink="false">{}</guid>"#, guid(e, &file.file));
            let _ = writeln!(x, "      <pubDate>{}</pubDate>", rfc2822(e.exported));
            let _ = writeln!(x, "      <itunes:duration>{}</itunes:duration>", duration(*secs));
            let _ = writeln!(x, "      <itunes:explicit>false</itunes:explicit>");
            let _ = writeln!(x, "    </item>");
        }
    }
    let _ = writeln!(x, "  </channel>");
    let _ = writeln!(x, "</rss>");
    Ok(x)
}

/// An extended M3U playlist of `files` (path, seconds, title), with paths
/// relative to the playlist's directory where they lie in it.
pub fn m3u(playlist: &Path, files: &[(std::path::PathBuf, f64, String)]) -> String {
    let dir = playlist.parent().unwrap_or(Path::new(""));
    let mut out = String::from("#EXTM3U\n");
    for (path, secs, title) in files {
        let rel = super::manifest::relative(dir, path);
        let line_title: String = title.chars().filter(|c| !c.is_control()).collect();
        let _ = writeln!(out, "#EXTINF:{},{}", secs.round() as u64, line_title);
        let _ = writeln!(out, "{rel}");
    }
    out
}

/// Write a small text file atomically (replacing what was there).
pub(crate) fn write_text(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let f = AtomicFile::create(path, true)?;
    {
        let mut w = f.writer()?;
        w.write_all(text.as_bytes())
            .and_then(|_| w.flush())
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    f.commit(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(url_path("a b/é.mp3"), "a%20b/%C3%A9.mp3");
        assert_eq!(duration(3725.4), "1:02:05");
        assert_eq!(rfc2822(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        let m = m3u(
            Path::new("out/list.m3u"),
            &[("out/a.wav".into(), 12.6, "Kim\nmeets".into())],
        );
        assert_eq!(m, "#EXTM3U\n#EXTINF:13,Kimmeets\na.wav\n");
    }
}
