//! What an audio file says about itself: the article's title, source, date
//! and language, and a chapter per paragraph — as Vorbis comments (FLAC,
//! Opus) or an ID3v2.4 tag (MP3).

use serde::Serialize;

/// A chapter: a named span of the audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    /// Its first sample.
    pub start: u64,
    /// One past its last sample.
    pub end: u64,
    /// Its name (the paragraph's first words).
    pub title: String,
}

/// Tags for one audio file. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tags {
    /// The article's title.
    pub title: Option<String>,
    /// Its author (the byline).
    pub artist: Option<String>,
    /// A collection name (the feed's title, or the site).
    pub album: Option<String>,
    /// Its date, as the page gives it.
    pub date: Option<String>,
    /// Its language (BCP 47).
    pub language: Option<String>,
    /// Where it was read from: a URL or a file name.
    pub source: Option<String>,
    /// The voice that reads it.
    pub voice: Option<String>,
    /// Samples per second of the audio (to time chapters).
    pub sample_rate: u32,
    /// Chapters, in order.
    pub chapters: Vec<Chapter>,
}

/// `HH:MM:SS.mmm`, as chapter comments write times.
pub(crate) fn clock(samples: u64, rate: u32) -> String {
    let ms = samples * 1000 / rate.max(1) as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

impl Tags {
    /// `NAME=value` Vorbis comments, chapters as `CHAPTER001=` and
    /// `CHAPTER001NAME=` (the convention players and ffprobe read).
    pub(crate) fn vorbis_comments(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut push = |k: &str, v: &Option<String>| {
            if let Some(v) = v.as_deref().map(clean).filter(|v| !v.is_empty()) {
                out.push(format!("{k}={v}"));
            }
        };
        push("TITLE", &self.title);
        push("ARTIST", &self.artist);
        push("ALBUM", &self.album);
        push("DATE", &self.date);
        push("LANGUAGE", &self.language);
        push("SOURCE", &self.source);
        push("PERFORMER", &self.voice);
        out.push(format!("ENCODER=hark {}", env!("CARGO_PKG_VERSION")));
        for (i, c) in self.chapters.iter().enumerate() {
            out.push(format!("CHAPTER{:03}={}", i + 1, clock(c.start, self.sample_rate)));
            out.push(format!("CHAPTER{:03}NAME={}", i + 1, clean(&c.title)));
        }
        out
    }

    /// A Vorbis comment block body (FLAC's VORBIS_COMMENT, Opus's
    /// OpusTags without its magic).
    #[cfg_attr(not(feature = "flac"), allow(dead_code))]
    pub(crate) fn vorbis_block(&self, vendor: &str) -> Vec<u8> {
        let comments = self.vorbis_comments();
        let mut b = Vec::new();
        b.extend((vendor.len() as u32).to_le_bytes());
        b.extend(vendor.as_bytes());
        b.extend((comments.len() as u32).to_le_bytes());
        for c in &comments {
            b.extend((c.len() as u32).to_le_bytes());
            b.extend(c.as_bytes());
        }
        b
    }

    /// The ID3v2.4 tag of an MP3: TIT2, TPE1, TALB, TDRC, TLAN, WOAS or
    /// TXXX:SOURCE, and CHAP frames under a CTOC.
    #[cfg(feature = "mp3")]
    pub(crate) fn id3(&self) -> id3::Tag {
        use id3::frame::{Chapter as Chap, Content, ExtendedText, Frame, TableOfContents};
        use id3::TagLike;
        let mut tag = id3::Tag::new();
        if let Some(t) = &self.title {
            tag.set_title(clean(t));
        }
        if let Some(a) = &self.artist {
            tag.set_artist(clean(a));
        }
        if let Some(a) = &self.album {
            tag.set_album(clean(a));
        }
        if let Some(ts) = self
            .date
            .as_deref()
            .and_then(|d| d.get(..10)?.parse::<id3::Timestamp>().ok())
        {
            tag.set_date_recorded(ts);
        }
        if let Some(l) = self.language.as_deref().and_then(iso639_2) {
            tag.add_frame(Frame::text("TLAN", l));
        }
        match &self.source {
            Some(s) if s.starts_with("http://") || s.starts_with("https://") => {
                tag.add_frame(Frame::link("WOAS", s.clone()));
            }
            Some(s) => {
                tag.add_frame(ExtendedText {
                    description: "SOURCE".into(),
                    value: s.clone(),
                });
            }
            None => {}
        }
        tag.add_frame(Frame::text("TSSE", format!("hark {}", env!("CARGO_PKG_VERSION"))));
        let ms = |s: u64| (s * 1000 / self.sample_rate.max(1) as u64).min(u32::MAX as u64) as u32;
        let ids: Vec<String> = (1..=self.chapters.len()).map(|i| format!("chp{i}")).collect();
        for (c, id) in self.chapters.iter().zip(&ids) {
            tag.add_frame(Chap {
                element_id: id.clone(),
                start_time: ms(c.start),
                end_time: ms(c.end),
                start_offset: u32::MAX,
                end_offset: u32::MAX,
                frames: vec![Frame::text("TIT2", clean(&c.title))],
            });
        }
        if !ids.is_empty() {
            tag.add_frame(Frame::with_content(
                "CTOC",
                Content::TableOfContents(TableOfContents {
                    element_id: "toc".into(),
                    top_level: true,
                    ordered: true,
                    elements: ids,
                    frames: Vec::new(),
                }),
            ));
        }
        tag
    }
}

/// One line, no control characters.
fn clean(s: &str) -> String {
    s.split(|c: char| c.is_control())
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// ISO 639-2 code of a BCP 47 tag's language, for ID3's TLAN.
#[cfg(feature = "mp3")]
fn iso639_2(tag: &str) -> Option<&'static str> {
    let lang = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match lang.as_str() {
        "en" => "eng",
        "de" => "deu",
        "fr" => "fra",
        "es" => "spa",
        "it" => "ita",
        "pt" => "por",
        "nl" => "nld",
        "pl" => "pol",
        "ru" => "rus",
        "uk" => "ukr",
        "cs" => "ces",
        "sv" => "swe",
        "da" => "dan",
        "no" | "nb" => "nor",
        "fi" => "fin",
        "el" => "ell",
        "tr" => "tur",
        "ja" => "jpn",
        "zh" => "zho",
        "ko" => "kor",
        "ar" => "ara",
        "he" => "heb",
        "hi" => "hin",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_chapters() {
        let t = Tags {
            title: Some("Kim to meet\nPutin".into()),
            language: Some("en".into()),
            sample_rate: 16000,
            chapters: vec![
                Chapter {
                    start: 0,
                    end: 16000,
                    title: "One".into(),
                },
                Chapter {
                    start: 16000 * 3725 + 8,
                    end: 16000 * 3726,
                    title: "Two".into(),
                },
            ],
            ..Default::default()
        };
        let c = t.vorbis_comments();
        assert!(c.contains(&"TITLE=Kim to meet Putin".to_string()), "{c:?}");
        assert!(c.contains(&"CHAPTER001=00:00:00.000".to_string()));
        assert!(c.contains(&"CHAPTER002=01:02:05.000".to_string()));
        assert!(c.contains(&"CHAPTER002NAME=Two".to_string()));
        assert!(!c.iter().any(|l| l.starts_with("ARTIST")));
    }
}
