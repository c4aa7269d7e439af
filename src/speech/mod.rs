//! Speech: one [`Synthesizer`] trait over the engines that make PCM, the
//! [`render`] loop that streams sentence after sentence into an
//! [`AudioSink`] (a WAV file, the sound card, memory) and records where each
//! sentence starts and ends, WAV writing and subtitles.
//!
//! The platform's TTS service (feature `system-tts`) speaks by itself and
//! makes no samples, so it is the separate [`system`] speaker, used by
//! `hark listen --engine system` only.

pub mod export;
pub mod pico;
pub mod subtitles;
pub mod voice;
pub mod wav;

#[cfg(feature = "flite")]
pub mod flite;
#[cfg(feature = "playback")]
pub mod playback;
#[cfg(feature = "system-tts")]
pub mod system;

use crate::error::{Error, Result};
use crate::frontend::Utterance;
use serde::Serialize;
pub use voice::{EngineKind, Prosody, VoiceDef};

/// An engine that turns text into 16-bit mono PCM.
pub trait Synthesizer {
    /// The voice it speaks with.
    fn voice(&self) -> &VoiceDef;
    /// Samples per second of what it produces.
    fn sample_rate(&self) -> u32;
    /// Speak one sentence, handing over audio as the engine produces it
    /// (so playback can start before the sentence is done). An error from
    /// `out` stops synthesis and is returned.
    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()>;
}

/// Open the synthesizer for a voice. `prosody` multiplies the voice's own
/// defaults; values the engine cannot do are refused.
pub fn open(voice: &VoiceDef, prosody: Prosody) -> Result<Box<dyn Synthesizer>> {
    let p = check_prosody(voice, prosody)?;
    match voice.engine {
        EngineKind::Pico => Ok(Box::new(pico::PicoSynth::new(voice, p)?)),
        #[cfg(feature = "flite")]
        EngineKind::Flite => Ok(Box::new(flite::FliteSynth::new(voice, p)?)),
        EngineKind::System => Err(Error::Usage(format!(
            "voice {} belongs to the system speech service, which speaks by itself and cannot render audio; \
             use `hark listen --engine system`, or pick an embedded voice for export",
            voice.name
        ))),
        #[allow(unreachable_patterns)]
        other => Err(Error::Usage(format!(
            "voice {} needs the {} engine; rebuild hark with `--features {}`",
            voice.name,
            other.name(),
            other.feature().unwrap_or("?")
        ))),
    }
}

/// The prosody an engine is asked for: `prosody` times the voice's own
/// defaults. Values outside what the engine can do are refused, without
/// starting it (so a command can check its flags before any work).
pub fn check_prosody(voice: &VoiceDef, prosody: Prosody) -> Result<Prosody> {
    let p = Prosody {
        rate: voice.defaults.rate * prosody.rate,
        pitch: voice.defaults.pitch * prosody.pitch,
        volume: voice.defaults.volume * prosody.volume,
    };
    let limits = match voice.engine {
        EngineKind::Pico => Some(pico::LIMITS),
        #[cfg(feature = "flite")]
        EngineKind::Flite => Some(flite::LIMITS),
        _ => None,
    };
    if let Some(limits) = limits {
        for ((what, v), (lo, hi)) in [("rate", p.rate), ("pitch", p.pitch), ("volume", p.volume)]
            .into_iter()
            .zip(limits)
        {
            if !(v.is_finite() && v >= lo && v <= hi) {
                return Err(Error::Usage(format!(
                    "--{what} {v} is out of range for this engine ({lo}–{hi})"
                )));
            }
        }
    }
    Ok(p)
}

/// Where rendered audio goes.
pub trait AudioSink {
    fn write(&mut self, pcm: &[i16]) -> Result<()>;
}

impl AudioSink for Vec<i16> {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        self.extend_from_slice(pcm);
        Ok(())
    }
}

/// A sink that only counts (benchmarks, dry runs).
#[derive(Debug, Default)]
pub struct CountingSink {
    pub samples: u64,
}

impl AudioSink for CountingSink {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        self.samples += pcm.len() as u64;
        Ok(())
    }
}

/// Silence between sentences and between paragraphs, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pauses {
    pub sentence_ms: u32,
    pub paragraph_ms: u32,
}

impl Default for Pauses {
    fn default() -> Self {
        Pauses {
            sentence_ms: 250,
            paragraph_ms: 700,
        }
    }
}

/// Where one sentence lies in the rendered audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    pub sentence: usize,
    pub paragraph: usize,
    pub passage: usize,
    pub text: String,
    /// First sample of the sentence's audio.
    pub start: u64,
    /// One past its last sample.
    pub end: u64,
}

/// The outcome of [`render`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub sample_rate: u32,
    pub samples: u64,
    pub timings: Vec<Timing>,
}

impl Rendered {
    pub fn duration_secs(&self) -> f64 {
        self.samples as f64 / self.sample_rate.max(1) as f64
    }
}

/// Hooks the caller gives [`render`], polled between pieces of audio.
pub struct Control<'a> {
    /// Returns true to stop (Ctrl-C): render then fails with [`Error::Interrupted`].
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
    /// Called as each sentence starts, with its index into the utterances
    /// and its first sample.
    pub on_sentence: &'a mut dyn FnMut(usize, u64),
}

fn never() -> bool {
    false
}

/// Render with no cancel check and no progress.
pub fn render_all(
    synth: &mut dyn Synthesizer,
    utterances: &[Utterance],
    pauses: Pauses,
    sink: &mut dyn AudioSink,
) -> Result<Rendered> {
    render(
        synth,
        utterances,
        pauses,
        sink,
        &mut Control {
            cancelled: &never,
            on_sentence: &mut |_, _| {},
        },
    )
}

/// Speak `utterances` in order into `sink`: a sentence pause between
/// sentences, a paragraph pause where the paragraph or passage changes. The
/// audio streams; nothing but one engine buffer is held in memory.
pub fn render(
    synth: &mut dyn Synthesizer,
    utterances: &[Utterance],
    pauses: Pauses,
    sink: &mut dyn AudioSink,
    control: &mut Control<'_>,
) -> Result<Rendered> {
    let rate = synth.sample_rate();
    let mut pos: u64 = 0;
    let mut timings = Vec::with_capacity(utterances.len());
    let silence = |ms: u32| (rate as u64 * ms as u64 / 1000) as usize;
    let zeros = vec![0i16; 4096];
    let write_silence = |sink: &mut dyn AudioSink, mut n: usize, pos: &mut u64| -> Result<()> {
        while n > 0 {
            let k = n.min(zeros.len());
            sink.write(&zeros[..k])?;
            *pos += k as u64;
            n -= k;
        }
        Ok(())
    };
    for (i, u) in utterances.iter().enumerate() {
        if (control.cancelled)() {
            return Err(Error::Interrupted);
        }
        if i > 0 {
            let prev = &utterances[i - 1];
            let ms = if prev.paragraph != u.paragraph || prev.passage != u.passage {
                pauses.paragraph_ms
            } else {
                pauses.sentence_ms
            };
            write_silence(sink, silence(ms), &mut pos)?;
        }
        let start = pos;
        (control.on_sentence)(i, start);
        let cancelled = control.cancelled;
        synth.synthesize(&u.spoken, &mut |pcm: &[i16]| {
            if cancelled() {
                return Err(Error::Interrupted);
            }
            sink.write(pcm)?;
            pos += pcm.len() as u64;
            Ok(())
        })?;
        timings.push(Timing {
            sentence: u.sentence,
            paragraph: u.paragraph,
            passage: u.passage,
            text: u.text.clone(),
            start,
            end: pos,
        });
    }
    Ok(Rendered {
        sample_rate: rate,
        samples: pos,
        timings,
    })
}

/// Cut a long sentence into pieces of at most `max` bytes, preferring a
/// clause boundary (`;`, `:`, `,`, dashes), then a space. Engines that
/// choke on long input get it in pieces; short text comes back whole.
pub fn chunk_text(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while rest.len() > max {
        let mut limit = max;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let head = &rest[..limit];
        let cut = [
            head.rfind([';', ':']),
            head.rfind(", "),
            head.rfind(" – "),
            head.rfind(" — "),
        ]
        .into_iter()
        .flatten()
        .filter(|&c| c > max / 3)
        .max()
        .map(|c| c + 1)
        .or_else(|| head.rfind(' ').filter(|&c| c > 0))
        .unwrap_or(limit);
        let (a, b) = rest.split_at(cut);
        if !a.trim().is_empty() {
            out.push(a.trim());
        }
        rest = b.trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_prefer_clauses_and_respect_the_limit() {
        let s = "alpha beta gamma, delta epsilon; zeta eta theta iota kappa lambda";
        let c = chunk_text(s, 30);
        assert!(c.iter().all(|p| p.len() <= 30), "{c:?}");
        assert_eq!(c.join(" "), s);
        assert_eq!(c[0], "alpha beta gamma,");
        assert_eq!(chunk_text("short", 30), vec!["short"]);
        let long = "x".repeat(70);
        let c = chunk_text(&long, 30);
        assert_eq!(c.concat(), long);
        let multi = "é".repeat(40);
        assert_eq!(chunk_text(&multi, 31).concat(), multi);
    }
}
