//! Piper (VITS) voices through ONNX Runtime (feature `neural`).
//!
//! Text → espeak-ng IPA (clause punctuation kept) → the voice's phoneme ids
//! (`^`, then each phoneme followed by the pad `_`, then `$`) → one
//! inference per sentence (long sentences in clause-sized pieces) → float
//! samples at the voice's rate. Rate is the model's `length_scale`; the
//! variation (`noise_scale`, `noise_w`) comes from the voice's JSON unless
//! its definition overrides it.

use super::install::{piper_config, PiperConfig};
use super::voice::{Prosody, Voice};
use super::{onnx, Synthesizer};
use crate::error::{Error, Result};
use crate::frontend::espeak;
use ort::session::Session;
use ort::value::Tensor;
use unicode_normalization::UnicodeNormalization;

/// What hark can ask of a Piper voice (rate, pitch, volume), as multiples
/// of normal. Pitch is the voice's own.
pub(crate) const LIMITS: [(f32, f32); 3] = [(0.25, 4.0), (1.0, 1.0), (0.0, 2.0)];

/// Phonemes per inference at most: longer sentences go in clause-sized
/// pieces, which bounds memory and time to first audio.
const MAX_PHONEMES: usize = 400;

/// A sentence's leading clause goes in an inference of its own when it and
/// the rest each have at least this many phonemes (about half a second of
/// speech): its audio is ready after a fraction of the sentence's time, so
/// `listen` starts sooner and a skip is heard sooner. Piper's audio ends
/// each clause with its own pause, so the cut is where a comma already is.
const FIRST_CLAUSE_MIN: usize = 12;

/// ... and when it is at least this fraction of the sentence (1/6): while
/// the leading clause plays, the rest must be made, and Piper makes audio
/// 8–25× faster than real time on two cores, so a clause a sixth of the
/// sentence long covers the rest's making with room to spare; a shorter one
/// could leave a gap after it on a slow machine.
const FIRST_CLAUSE_SHARE: usize = 6;

pub(crate) struct PiperSynth {
    voice: Voice,
    config: PiperConfig,
    session: Session,
    espeak_voice: String,
    scales: [f32; 3],
    speaker: Option<i64>,
    volume: f32,
}

impl PiperSynth {
    pub fn new(voice: &Voice, prosody: Prosody) -> Result<PiperSynth> {
        let res = &voice.resources;
        let model = voice.required_resource(res.model.as_deref(), "model")?;
        let config_path = voice.required_resource(res.config.as_deref(), "config")?;
        let config = piper_config(&config_path)?;
        let inf = &voice.inference;
        let session = onnx::session(&model, inf)?;
        let espeak_voice = inf
            .espeak_voice
            .clone()
            .or_else(|| config.espeak.as_ref().map(|e| e.voice.clone()))
            .unwrap_or_else(|| "en-us".into());
        let length = inf.length_scale.unwrap_or(config.inference.length_scale) / prosody.rate.max(0.01);
        let scales = [
            inf.noise_scale.unwrap_or(config.inference.noise_scale),
            length,
            inf.noise_w.unwrap_or(config.inference.noise_w),
        ];
        let speaker = (config.num_speakers > 1).then(|| inf.speaker.unwrap_or(0));
        Ok(PiperSynth {
            voice: voice.clone(),
            config,
            session,
            espeak_voice,
            scales,
            speaker,
            volume: prosody.volume,
        })
    }

    /// The phoneme ids of a phoneme string; phonemes the voice lacks are
    /// left out.
    fn ids(&self, phonemes: &str) -> Vec<i64> {
        let map = &self.config.phoneme_id_map;
        let mut ids = Vec::with_capacity(phonemes.len() * 2 + 2);
        ids.extend_from_slice(&map["^"]);
        ids.extend_from_slice(&map["_"]);
        let mut buf = [0u8; 4];
        for c in phonemes.nfd() {
            if let Some(id) = map.get(c.encode_utf8(&mut buf) as &str) {
                ids.extend_from_slice(id);
                ids.extend_from_slice(&map["_"]);
            }
        }
        ids.extend_from_slice(&map["$"]);
        ids
    }

    fn infer(&mut self, ids: Vec<i64>) -> Result<Vec<i16>> {
        let fail = |e: ort::Error| Error::engine("piper", e.to_string());
        let n = ids.len();
        let input = Tensor::from_array(([1usize, n], ids)).map_err(fail)?;
        let lengths = Tensor::from_array(([1usize], vec![n as i64])).map_err(fail)?;
        let scales = Tensor::from_array(([3usize], self.scales.to_vec())).map_err(fail)?;
        let outputs = match self.speaker {
            Some(sid) => {
                let sid = Tensor::from_array(([1usize], vec![sid])).map_err(fail)?;
                self.session.run(ort::inputs![
                    "input" => input, "input_lengths" => lengths, "scales" => scales, "sid" => sid
                ])
            }
            None => self
                .session
                .run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales]),
        }
        .map_err(fail)?;
        let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
        Ok(onnx::to_pcm(audio, self.volume))
    }
}

/// Cut a phoneme string into pieces of at most `max` characters at clause
/// marks, else at spaces; the leading clause is a piece of its own when it
/// and what follows have `first_min` characters or more and it is a sixth
/// of the string ([`first_clause`]).
fn pieces(phonemes: &str, max: usize, first_min: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = phonemes.trim();
    if let Some(cut) = first_clause(rest, first_min) {
        out.push(rest[..cut].trim());
        rest = rest[cut..].trim_start();
    }
    while rest.chars().count() > max {
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let head = &rest[..limit];
        let cut = head
            .rfind([',', ';', ':', '.', '!', '?'])
            .map(|i| i + 1)
            .or_else(|| head.rfind(' '))
            .filter(|&i| i > 0)
            .unwrap_or(limit);
        out.push(rest[..cut].trim());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Where the leading clause of a phoneme string ends (after the first
/// clause mark with at least `min` characters and a sixth of the string
/// before it, and `min` after it).
fn first_clause(phonemes: &str, min: usize) -> Option<usize> {
    let len = |s: &str| s.trim().chars().count();
    let need = min.max(len(phonemes) / FIRST_CLAUSE_SHARE);
    phonemes
        .char_indices()
        .filter(|&(_, c)| matches!(c, ',' | ';' | ':'))
        .map(|(i, c)| (i, i + c.len_utf8()))
        .find(|&(i, _)| len(&phonemes[..i]) >= need)
        .filter(|&(_, cut)| len(&phonemes[cut..]) >= min)
        .map(|(_, cut)| cut)
}

impl Synthesizer for PiperSynth {
    fn voice(&self) -> &Voice {
        &self.voice
    }

    fn sample_rate(&self) -> u32 {
        self.config.audio.sample_rate
    }

    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        let phonemes = espeak::phonemize(text, &self.espeak_voice)?;
        for piece in pieces(&phonemes, MAX_PHONEMES, FIRST_CLAUSE_MIN) {
            let ids = self.ids(piece);
            if ids.len() <= 3 {
                continue;
            }
            let pcm = self.infer(ids)?;
            out(&pcm)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_phoneme_strings_are_cut_at_clauses() {
        let p = "aaaa bbbb, cccc dddd. eeee";
        assert_eq!(pieces(p, 100, 100), vec![p]);
        assert_eq!(pieces(p, 12, 100), vec!["aaaa bbbb,", "cccc dddd.", "eeee"]);
        assert_eq!(pieces("abcdefghij", 4, 100), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn the_first_clause_is_its_own_piece_when_both_parts_are_long_enough() {
        let p = "aaaa bbbb, cccc dddd. eeee";
        assert_eq!(pieces(p, 100, 8), vec!["aaaa bbbb,", "cccc dddd. eeee"]);
        // Too short a first clause, or too short a rest: one piece.
        assert_eq!(pieces(p, 100, 10), vec![p]);
        assert_eq!(pieces("aaaa bbbb cccc, dd", 100, 8), vec!["aaaa bbbb cccc, dd"]);
        // Only the first clause is cut off; the rest stays whole.
        assert_eq!(
            pieces("aaaa bbbb, cccc dddd, eeee ffff", 100, 8),
            vec!["aaaa bbbb,", "cccc dddd, eeee ffff"]
        );
        // A leading clause shorter than a sixth of the sentence is joined
        // to the next, so its audio lasts while the rest is made.
        let long = format!("aaaa, bbbb cccc dddd, {}", "e".repeat(100));
        let want_rest = "e".repeat(100);
        assert_eq!(pieces(&long, 400, 4), vec!["aaaa, bbbb cccc dddd,", want_rest.as_str()]);
    }
}
