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
        let threads = inf.threads.unwrap_or_else(onnx::default_threads);
        let session = onnx::session(&model, threads)?;
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
/// marks, else at spaces.
fn pieces(phonemes: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = phonemes.trim();
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

impl Synthesizer for PiperSynth {
    fn voice(&self) -> &Voice {
        &self.voice
    }

    fn sample_rate(&self) -> u32 {
        self.config.audio.sample_rate
    }

    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        let phonemes = espeak::phonemize(text, &self.espeak_voice)?;
        for piece in pieces(&phonemes, MAX_PHONEMES) {
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
        assert_eq!(pieces(p, 100), vec![p]);
        assert_eq!(pieces(p, 12), vec!["aaaa bbbb,", "cccc dddd.", "eeee"]);
        assert_eq!(pieces("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
