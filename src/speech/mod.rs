//! Speech: one [`Synthesizer`] trait over the engines that make PCM, the
//! [`render`] loop that streams sentence after sentence into an
//! [`AudioSink`] (a WAV file, the sound card, memory) and records where each
//! sentence starts and ends, WAV writing and subtitles.
//!
//! The platform's TTS service (feature `system-tts`) speaks by itself and
//! makes no samples, so it is the separate `system` speaker (module `hark::speech::system`), used by
//! `hark listen --engine system` only.

pub mod export;
pub mod external;
mod feed;
mod formats;
mod install;
#[cfg(feature = "neural")]
mod kokoro;
mod loudness;
pub(crate) mod manifest;
#[cfg(feature = "neural")]
mod onnx;
pub(crate) mod pico;
#[cfg(feature = "neural")]
mod piper;
mod subtitles;
mod voice;
mod wav;

#[cfg(feature = "flite")]
mod flite;
#[cfg(feature = "playback")]
pub mod playback;
pub mod reader;
pub mod resume;
#[cfg(feature = "system-tts")]
pub mod system;

use crate::error::{Error, Result};
use crate::frontend::Utterance;
pub use formats::{AudioFile, AudioFormat, Chapter, StreamedAudio, Tags};
pub use install::{install_voice, remove_voice, InstallOptions};
pub use loudness::{measure as measure_loudness, Leveler, Loudness};
use serde::Serialize;
pub use subtitles::{format as subtitles, Format as SubtitleFormat};
pub use voice::{
    catalog, find as find_voice, voice_for, EngineKind, Inference, Optimize, Origin, Prosody, Resources, Voice,
    DEFAULT_VOICE,
};
pub use wav::WavFile;

/// Who speaks when an article is read aloud live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Speaker {
    /// hark's own voices, synthesized here and played through the sound card.
    #[default]
    Embedded,
    /// The platform's speech service, which speaks by itself.
    System,
}

named_enum!(Speaker, "engine" {
    Embedded => "embedded", "hark's own voices (Pico, Flite), played through the sound card";
    System => "system", "the platform's speech service (speech-dispatcher, SAPI, AVFoundation)";
});

/// An engine that turns text into 16-bit mono PCM.
///
/// ```
/// use hark::speech::{self, Synthesizer};
/// let dirs = hark::config::Dirs::from_env();
/// let voice = speech::find_voice(&dirs, "pico-en-us")?;
/// let mut synth = speech::open(&voice, Default::default())?;
/// let mut pcm = Vec::new();
/// synth.synthesize("Hello.", &mut |chunk| { pcm.extend_from_slice(chunk); Ok(()) })?;
/// assert!(pcm.len() > synth.sample_rate() as usize / 4);
/// # Ok::<(), hark::Error>(())
/// ```
pub trait Synthesizer {
    /// The voice it speaks with.
    fn voice(&self) -> &Voice;
    /// Samples per second of what it produces.
    fn sample_rate(&self) -> u32;
    /// Speak one sentence, handing over audio as the engine produces it
    /// (so playback can start before the sentence is done). An error from
    /// `out` stops synthesis and is returned.
    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()>;
}

/// Open the synthesizer for a voice. `prosody` multiplies the voice's own
/// defaults; values the engine cannot do are refused.
pub fn open(voice: &Voice, prosody: Prosody) -> Result<Box<dyn Synthesizer>> {
    let p = check_prosody(voice, prosody)?;
    match voice.engine {
        EngineKind::Pico => Ok(Box::new(pico::PicoSynth::new(voice, p)?)),
        #[cfg(feature = "flite")]
        EngineKind::Flite => Ok(Box::new(flite::FliteSynth::new(voice, p)?)),
        #[cfg(feature = "neural")]
        EngineKind::Piper => Ok(Box::new(piper::PiperSynth::new(voice, p)?)),
        #[cfg(feature = "neural")]
        EngineKind::Kokoro => Ok(Box::new(kokoro::KokoroSynth::new(voice, p)?)),
        EngineKind::System => Err(Error::CannotRender {
            voice: voice.name.clone(),
        }),
        #[allow(unreachable_patterns)]
        other => Err(Error::EngineNotBuilt {
            voice: voice.name.clone(),
            engine: other.name(),
            feature: other.feature().unwrap_or("?"),
        }),
    }
}

/// The prosody an engine is asked for: `prosody` times the voice's own
/// defaults. Values outside what the engine can do are refused
/// ([`Error::Prosody`]) without starting it, so a caller can check its
/// settings before any work.
pub(crate) fn check_prosody(voice: &Voice, prosody: Prosody) -> Result<Prosody> {
    let p = Prosody {
        rate: voice.defaults.rate * prosody.rate,
        pitch: voice.defaults.pitch * prosody.pitch,
        volume: voice.defaults.volume * prosody.volume,
    };
    let limits = match voice.engine {
        EngineKind::Pico => Some(pico::LIMITS),
        #[cfg(feature = "flite")]
        EngineKind::Flite => Some(flite::LIMITS),
        #[cfg(feature = "neural")]
        EngineKind::Piper => Some(piper::LIMITS),
        #[cfg(feature = "neural")]
        EngineKind::Kokoro => Some(kokoro::LIMITS),
        _ => None,
    };
    if let Some(limits) = limits {
        for ((what, v), (lo, hi)) in [("rate", p.rate), ("pitch", p.pitch), ("volume", p.volume)]
            .into_iter()
            .zip(limits)
        {
            if !(v.is_finite() && v >= lo && v <= hi) {
                return Err(Error::Prosody {
                    what,
                    value: v,
                    min: lo,
                    max: hi,
                });
            }
        }
    }
    Ok(p)
}

/// Where rendered audio goes.
pub trait AudioSink {
    /// Take the next samples (16-bit mono at the engine's rate).
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
    /// Samples written so far.
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
    /// Between sentences of a paragraph.
    pub sentence_ms: u32,
    /// Between paragraphs, and between passages.
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

/// How audio is delivered: the silences, and the level it is brought to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RenderOptions {
    /// Silences between sentences and paragraphs.
    pub pauses: Pauses,
    /// Bring the speech to this loudness ([`Loudness`]); None leaves the
    /// engine's own levels.
    pub loudness: Option<Loudness>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            pauses: Pauses::default(),
            loudness: Some(Loudness::default()),
        }
    }
}

impl From<Pauses> for RenderOptions {
    fn from(pauses: Pauses) -> Self {
        RenderOptions {
            pauses,
            ..Default::default()
        }
    }
}

/// Where one sentence lies in the rendered audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Timing {
    /// 0-based sentence index in the document.
    pub sentence: usize,
    /// 0-based paragraph index.
    pub paragraph: usize,
    /// 0-based passage index in the selection.
    pub passage: usize,
    /// The written text.
    pub text: String,
    /// First sample of the sentence's audio.
    pub start: u64,
    /// One past its last sample.
    pub end: u64,
}

/// The outcome of [`render`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Rendered {
    /// Samples per second.
    pub sample_rate: u32,
    /// Samples written.
    pub samples: u64,
    /// Each sentence's first and last sample.
    pub timings: Vec<Timing>,
}

impl Rendered {
    /// Length in seconds.
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

/// Open `voice` and render `utterances` into `sink` for a live player:
/// `on_start(i, sample)` as each sentence starts, stopping when `stopped()`.
/// Returns the samples written. The engine must make the rate the voice
/// declares, since the player was set up for it.
pub(crate) fn render_live(
    voice: &Voice,
    prosody: Prosody,
    utterances: &[Utterance],
    options: RenderOptions,
    sink: &mut dyn AudioSink,
    stopped: &(dyn Fn() -> bool + Sync),
    on_start: &mut dyn FnMut(usize, u64),
) -> Result<u64> {
    let mut synth = open(voice, prosody)?;
    if synth.sample_rate() != voice.sample_rate {
        return Err(Error::engine(
            voice.engine.name(),
            format!(
                "voice {} says {} Hz but its engine makes {} Hz; fix its sample_rate",
                voice.name,
                voice.sample_rate,
                synth.sample_rate()
            ),
        ));
    }
    let r = render(
        synth.as_mut(),
        utterances,
        options,
        sink,
        &mut Control {
            cancelled: stopped,
            on_sentence: on_start,
        },
    )?;
    Ok(r.samples)
}

/// Call `on_sentence` for each pending sentence (index, first sample)
/// whose first sample has been heard, in order: how the live players tell
/// the caller what is sounding.
pub(crate) fn report_heard(
    pending: &mut std::collections::VecDeque<(usize, u64)>,
    heard: u64,
    on_sentence: &mut dyn FnMut(usize) -> Result<()>,
) -> Result<()> {
    while let Some(&(i, start)) = pending.front() {
        if start > heard {
            break;
        }
        pending.pop_front();
        on_sentence(i)?;
    }
    Ok(())
}

fn never() -> bool {
    false
}

/// Render with no cancel check and no progress.
///
/// ```
/// use hark::{Article, ReadOptions};
/// let article = Article::from_bytes("t", b"One sentence here. And another one.", &ReadOptions::default())?;
/// let utts = article.utterances(&article.select(&[])?, &Default::default());
/// let dirs = hark::config::Dirs::from_env();
/// let mut synth = hark::speech::open(&hark::speech::find_voice(&dirs, "pico-en-us")?, Default::default())?;
/// let mut sink = hark::speech::CountingSink::default();
/// let r = hark::speech::render_all(synth.as_mut(), &utts, Default::default(), &mut sink)?;
/// assert_eq!(r.timings.len(), 2);
/// assert_eq!(r.samples, sink.samples);
/// # Ok::<(), hark::Error>(())
/// ```
pub fn render_all(
    synth: &mut dyn Synthesizer,
    utterances: &[Utterance],
    options: RenderOptions,
    sink: &mut dyn AudioSink,
) -> Result<Rendered> {
    render(
        synth,
        utterances,
        options,
        sink,
        &mut Control {
            cancelled: &never,
            on_sentence: &mut |_, _| {},
        },
    )
}

/// Speak `utterances` in order into `sink`: a sentence pause between
/// sentences, a paragraph pause where the paragraph or passage changes,
/// each sentence brought to the loudness target. The audio streams: nothing
/// but one sentence is held in memory (and with no loudness target, one
/// engine buffer).
pub fn render(
    synth: &mut dyn Synthesizer,
    utterances: &[Utterance],
    options: RenderOptions,
    sink: &mut dyn AudioSink,
    control: &mut Control<'_>,
) -> Result<Rendered> {
    let rate = synth.sample_rate();
    let pauses = options.pauses;
    let mut leveler = options.loudness.map(|l| Leveler::new(l, rate));
    let mut sentence: Vec<i16> = Vec::new();
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
        match &mut leveler {
            None => synth.synthesize(&u.spoken, &mut |pcm: &[i16]| {
                if cancelled() {
                    return Err(Error::Interrupted);
                }
                sink.write(pcm)?;
                pos += pcm.len() as u64;
                Ok(())
            })?,
            Some(lev) => {
                sentence.clear();
                synth.synthesize(&u.spoken, &mut |pcm: &[i16]| {
                    if cancelled() {
                        return Err(Error::Interrupted);
                    }
                    sentence.extend_from_slice(pcm);
                    Ok(())
                })?;
                let out = lev.process(&sentence);
                for piece in out.chunks(4096) {
                    sink.write(piece)?;
                }
                pos += out.len() as u64;
            }
        }
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
pub(crate) fn chunk_text(text: &str, max: usize) -> Vec<&str> {
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
