//! Kokoro-82M voices through ONNX Runtime (feature `neural`).
//!
//! Text → espeak-ng IPA, adjusted as kokoro-js adjusts it for the model
//! (r → ɹ, x → k, …) → ids from Kokoro's phoneme vocabulary
//! (`voices/neural/kokoro-vocab.json`), padded with 0 at both ends → one
//! inference per sentence (at most 510 ids, longer ones in clause pieces)
//! with the voice-style vector for that length and the rate as `speed` →
//! 24 kHz samples.

use super::install::{kokoro_style_rows, KOKORO_STYLE_DIM};
use super::voice::{Prosody, Voice};
use super::{onnx, Synthesizer};
use crate::error::{Error, Result};
use crate::frontend::espeak;
use ort::session::Session;
use ort::value::Tensor;
use std::collections::HashMap;

/// What hark can ask of a Kokoro voice (rate, pitch, volume).
pub(crate) const LIMITS: [(f32, f32); 3] = [(0.5, 2.0), (1.0, 1.0), (0.0, 2.0)];

const SAMPLE_RATE: u32 = 24_000;
/// Ids per inference at most, besides the two pads (the model's context).
const MAX_TOKENS: usize = 510;

/// A sentence's leading clause goes in an inference of its own when it and
/// the rest each have at least this many ids (about half a second of
/// speech): its audio is ready after a fraction of the sentence's time, so
/// `listen` starts sooner and a skip is heard sooner (as for Piper).
const FIRST_CLAUSE_MIN: usize = 12;

/// ... and when it is at least this fraction of the sentence (1/3): while
/// the leading clause plays, the rest must be made, and Kokoro makes audio
/// only 2.3–3.9× faster than real time with two threads on two cores
/// (1.5–2.2× with one; README), so the clause must last at least the
/// rest's making: (1 − 1/3) / 2.3 < 1/3. At one thread a short gap after
/// it can remain, still less wait than for the whole sentence.
const FIRST_CLAUSE_SHARE: usize = 3;

static VOCAB_JSON: &str = include_str!("../../voices/neural/kokoro-vocab.json");

pub(crate) struct KokoroSynth {
    voice: Voice,
    session: Session,
    vocab: HashMap<char, i64>,
    styles: Vec<f32>,
    espeak_voice: String,
    speed: f32,
    volume: f32,
    tokens_input: String,
}

fn vocab() -> Result<HashMap<char, i64>> {
    #[derive(serde::Deserialize)]
    struct V {
        vocab: HashMap<String, i64>,
    }
    let v: V = serde_json::from_str(VOCAB_JSON).map_err(|e| Error::engine("kokoro", format!("vocabulary: {e}")))?;
    Ok(v.vocab
        .into_iter()
        .filter_map(|(k, id)| {
            let mut cs = k.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Some((c, id)),
                _ => None,
            }
        })
        .collect())
}

/// espeak-ng's IPA as Kokoro's English voices expect it (kokoro-js's
/// adjustments), and the same letter substitutions for other languages.
pub(crate) fn adjust(ipa: &str, american: bool) -> String {
    let mut s = ipa
        .replace("kəkˈoːɹoʊ", "kˈoʊkəɹoʊ")
        .replace("kəkˈɔːɹəʊ", "kˈəʊkəɹəʊ")
        .replace('ʲ', "j")
        .replace('r', "ɹ")
        .replace('x', "k")
        .replace('ɬ', "l");
    // "two hundred": a space before "hundred" glued to the number before it.
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("hˈʌndɹɪd") {
        out.push_str(&rest[..i]);
        if out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_lowercase() || c == 'ɹ' || c == 'ː')
        {
            out.push(' ');
        }
        out.push_str("hˈʌndɹɪd");
        rest = &rest[i + "hˈʌndɹɪd".len()..];
    }
    out.push_str(rest);
    s = out;
    // A plural "z" espeak set apart: " z," → "z,".
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 2).copied();
        if chars[i] == ' '
            && chars.get(i + 1) == Some(&'z')
            && next.is_none_or(|c| c == ' ' || ";:,.!?¡¿—…\"«»“”".contains(c))
        {
            i += 1;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    if american {
        out = out.replace("nˈaɪnti", "nˈaɪndi").replace("nˈaɪndiː", "nˈaɪntiː");
    }
    out.trim().to_string()
}

impl KokoroSynth {
    pub fn new(voice: &Voice, prosody: Prosody) -> Result<KokoroSynth> {
        let res = &voice.resources;
        let model = voice.required_resource(res.model.as_deref(), "model")?;
        let style_path = voice.required_resource(res.style.as_deref(), "style")?;
        kokoro_style_rows(&style_path)?;
        let bytes =
            std::fs::read(&style_path).map_err(|e| Error::io(format!("reading {}", style_path.display()), e))?;
        let styles: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let session = onnx::session(&model, &voice.inference)?;
        let tokens_input = session
            .inputs()
            .iter()
            .map(|i| i.name().to_string())
            .find(|n| n == "input_ids" || n == "tokens")
            .unwrap_or_else(|| "tokens".into());
        let espeak_voice = voice.inference.espeak_voice.clone().unwrap_or_else(|| "en-us".into());
        Ok(KokoroSynth {
            voice: voice.clone(),
            session,
            vocab: vocab()?,
            styles,
            espeak_voice,
            speed: prosody.rate,
            volume: prosody.volume,
            tokens_input,
        })
    }

    fn infer(&mut self, tokens: &[i64]) -> Result<Vec<i16>> {
        let fail = |e: ort::Error| Error::engine("kokoro", e.to_string());
        let rows = self.styles.len() / KOKORO_STYLE_DIM;
        let row = tokens.len().min(rows - 1);
        let style = self.styles[row * KOKORO_STYLE_DIM..(row + 1) * KOKORO_STYLE_DIM].to_vec();
        let mut ids = Vec::with_capacity(tokens.len() + 2);
        ids.push(0);
        ids.extend_from_slice(tokens);
        ids.push(0);
        let n = ids.len();
        let ids = Tensor::from_array(([1usize, n], ids)).map_err(fail)?;
        let style = Tensor::from_array(([1usize, KOKORO_STYLE_DIM], style)).map_err(fail)?;
        let speed = Tensor::from_array(([1usize], vec![self.speed])).map_err(fail)?;
        let name = self.tokens_input.clone();
        let outputs = self
            .session
            .run(ort::inputs![name => ids, "style" => style, "speed" => speed])
            .map_err(fail)?;
        let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
        Ok(onnx::to_pcm(audio, self.volume))
    }
}

impl Synthesizer for KokoroSynth {
    fn voice(&self) -> &Voice {
        &self.voice
    }

    fn sample_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        let ipa = espeak::phonemize(text, &self.espeak_voice)?;
        let ipa = adjust(&ipa, self.espeak_voice == "en-us");
        let tokens: Vec<i64> = ipa.chars().filter_map(|c| self.vocab.get(&c).copied()).collect();
        let clause: Vec<i64> = [',', ';', ':']
            .iter()
            .filter_map(|c| self.vocab.get(c).copied())
            .collect();
        let space = self.vocab.get(&' ').copied();
        for piece in pieces(&tokens, &clause, space) {
            let pcm = self.infer(&tokens[piece])?;
            out(&pcm)?;
        }
        Ok(())
    }
}

/// Cut a sentence's ids into pieces of at most [`MAX_TOKENS`], after a
/// clause mark (`clause`, or sentence punctuation, ids 1–6) or else a
/// space; the leading clause is a piece of its own when it and the rest
/// have [`FIRST_CLAUSE_MIN`] ids or more and it is a third of the whole.
fn pieces(tokens: &[i64], clause: &[i64], space: Option<i64>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    let need = FIRST_CLAUSE_MIN.max(tokens.len() / FIRST_CLAUSE_SHARE);
    if let Some(i) = tokens
        .iter()
        .enumerate()
        .position(|(i, t)| clause.contains(t) && i + 1 >= need)
        .filter(|&i| tokens.len() - (i + 1) >= FIRST_CLAUSE_MIN && i < MAX_TOKENS)
    {
        out.push(0..i + 1);
        at = i + 1;
    }
    while at < tokens.len() {
        let rest = &tokens[at..];
        let take = if rest.len() <= MAX_TOKENS {
            rest.len()
        } else {
            let head = &rest[..MAX_TOKENS];
            head.iter()
                .rposition(|t| clause.contains(t) || (1..=6).contains(t))
                .or_else(|| head.iter().rposition(|&t| Some(t) == space))
                .map_or(MAX_TOKENS, |i| i + 1)
        };
        out.push(at..at + take);
        at += take;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_clause_is_its_own_piece_when_both_parts_are_long_enough() {
        let (comma, space) = (3i64, Some(16i64));
        let sentence = |head: usize, tail: usize| -> Vec<i64> {
            let mut t = vec![50; head];
            t.push(comma);
            t.extend(vec![50; tail]);
            t
        };
        // 20 ids, a comma, 40 ids: the clause (21) is over a third of 61.
        assert_eq!(pieces(&sentence(20, 40), &[comma], space), vec![0..21, 21..61]);
        // Too short a clause, too short a rest, or under a third: one piece.
        assert_eq!(pieces(&sentence(8, 40), &[comma], space), vec![0..49]);
        assert_eq!(pieces(&sentence(20, 6), &[comma], space), vec![0..27]);
        assert_eq!(pieces(&sentence(14, 80), &[comma], space), vec![0..95]);
        // No clause mark: one piece; a long sentence is cut at spaces.
        assert_eq!(pieces(&[50; 30], &[comma], space), vec![0..30]);
        let mut long = vec![50i64; 600];
        long[300] = 16;
        assert_eq!(pieces(&long, &[comma], space), vec![0..301, 301..600]);
        assert!(pieces(&[], &[comma], space).is_empty());
    }

    #[test]
    fn vocabulary_loads() {
        let v = vocab().unwrap();
        assert!(v.len() > 100);
        assert_eq!(v.get(&' '), Some(&16));
        assert_eq!(v.get(&'.'), Some(&4));
    }

    #[test]
    fn ipa_is_adjusted_as_kokoro_js_does() {
        assert_eq!(adjust("tˈuː hˈʌndrɪd", true), "tˈuː hˈʌndɹɪd");
        assert_eq!(adjust("dˈɒɡ z.", false), "dˈɒɡz.");
        assert_eq!(adjust("nˈaɪnti", true), "nˈaɪndi");
    }

    /// espeak-ng's IPA for the other languages Kokoro has voices for maps
    /// onto the model's vocabulary: nothing but espeak's word-joining "-"
    /// is dropped (a phoneme the vocabulary lacked would be silently lost).
    #[test]
    fn other_languages_phonemes_are_in_the_vocabulary() {
        let v = vocab().unwrap();
        for (voice, text) in [
            (
                "fr-fr",
                "Longue de douze kilomètres, la ligne compte dix-huit stations et a coûté deux cents millions d'euros.",
            ),
            (
                "es",
                "El equipo de investigadores descubrió una nueva especie de rana en la selva, según publicó ayer.",
            ),
            (
                "it",
                "Il lago torna a riempirsi dopo mesi di siccità, e i pescatori sperano in una stagione migliore.",
            ),
            (
                "pt-br",
                "A prefeitura anunciou a abertura de uma nova biblioteca, com espaço para trinta mil livros.",
            ),
            ("hi", "भारत की राजधानी नई दिल्ली है और यहाँ बहुत लोग रहते हैं।"),
        ] {
            let ipa = adjust(&espeak::phonemize(text, voice).unwrap(), false);
            let lost: String = ipa.chars().filter(|c| *c != '-' && !v.contains_key(c)).collect();
            assert!(ipa.chars().count() > 40, "{voice}: {ipa}");
            assert!(lost.is_empty(), "{voice}: {lost:?} not in Kokoro's vocabulary ({ipa})");
        }
    }
}
