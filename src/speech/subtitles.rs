//! Subtitles: one cue per sentence, timed by the samples the engine really
//! produced for it, showing the written text.

use super::Rendered;
use std::fmt::Write;

/// A subtitle format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// SubRip (`.srt`).
    Srt,
    /// WebVTT (`.vtt`).
    Vtt,
}

named_enum!(Format, "subtitle format" {
    Srt => "srt", "SubRip";
    Vtt => "vtt", "WebVTT";
});

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Srt => "srt",
            Format::Vtt => "vtt",
        }
    }
}

fn stamp(ms: u64, sep: char) -> String {
    let (h, m, s, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}{sep}{ms:03}")
}

/// The subtitle file for a rendering: one cue per sentence, timed by the
/// samples the engine produced for it.
pub fn format(r: &Rendered, fmt: Format) -> String {
    let rate = r.sample_rate.max(1) as u64;
    let to_ms = |s: u64| s * 1000 / rate;
    let sep = match fmt {
        Format::Srt => ',',
        Format::Vtt => '.',
    };
    let mut out = String::new();
    if fmt == Format::Vtt {
        out.push_str("WEBVTT\n\n");
    }
    for (i, t) in r.timings.iter().enumerate() {
        let text = t.text.split_whitespace().collect::<Vec<_>>().join(" ");
        // A blank line ends a cue and "-->" starts timing, in both formats.
        let text = text.replace("-->", "->");
        if fmt == Format::Srt {
            let _ = writeln!(out, "{}", i + 1);
        }
        let _ = writeln!(
            out,
            "{} --> {}\n{}\n",
            stamp(to_ms(t.start), sep),
            stamp(to_ms(t.end), sep),
            text
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::Timing;

    fn rendered() -> Rendered {
        let t = |i, start, end, text: &str| Timing {
            sentence: i,
            paragraph: 0,
            passage: 0,
            text: text.into(),
            start,
            end,
        };
        Rendered {
            sample_rate: 16000,
            samples: 16000 * 3700,
            timings: vec![
                t(0, 0, 24000, "One."),
                t(1, 28000, 16000 * 3661 + 16, "Two\n-->  three."),
            ],
        }
    }

    #[test]
    fn srt() {
        assert_eq!(
            format(&rendered(), Format::Srt),
            "1\n00:00:00,000 --> 00:00:01,500\nOne.\n\n2\n00:00:01,750 --> 01:01:01,001\nTwo -> three.\n\n"
        );
    }

    #[test]
    fn vtt() {
        let v = format(&rendered(), Format::Vtt);
        assert!(
            v.starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nOne.\n\n"),
            "{v}"
        );
    }
}
