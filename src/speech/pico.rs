//! The embedded engine: SVOX Pico through `ttspico`.
//!
//! Pico loads its language files from paths, so the embedded files are
//! written to the cache directory on first use. It hangs when fed a long
//! text in one piece, so hark feeds it one sentence at a time, NUL-terminated,
//! and drains the audio before the next. A Pico system is not `Send`: make
//! one engine per thread.

use super::voice::{materialize, EngineKind, Prosody, VoiceDef};
use super::Synthesizer;
use crate::error::{Error, Result};
use std::rc::Rc;
use ttspico as pico;

/// Memory Pico works in (Android gives it 2.5 MB).
const PICO_MEM: usize = 3 * 1024 * 1024;
/// Pico's output rate.
pub const SAMPLE_RATE: u32 = 16_000;
/// Longest piece of text fed in one go; longer sentences are cut at a
/// clause or word boundary first.
pub const MAX_CHUNK_BYTES: usize = 600;

/// Limits of Pico's markup, as multiples of normal.
pub const RATE_RANGE: (f32, f32) = (0.2, 5.0);
pub const PITCH_RANGE: (f32, f32) = (0.5, 2.0);
pub const VOLUME_RANGE: (f32, f32) = (0.0, 5.0);

pub struct PicoSynth {
    voice: VoiceDef,
    prosody: Prosody,
    // Field order = drop order: the engine before its voice and system.
    engine: pico::Engine,
    _sys: Rc<std::cell::RefCell<pico::System>>,
    buf: Vec<i16>,
}

fn engine_err(what: &str) -> impl Fn(pico::PicoError) -> Error + '_ {
    move |e| Error::Engine(format!("pico: {what}: {e}"))
}

impl PicoSynth {
    pub fn new(voice: &VoiceDef, prosody: Prosody) -> Result<PicoSynth> {
        debug_assert_eq!(voice.engine, EngineKind::Pico);
        check_range("rate", prosody.rate, RATE_RANGE)?;
        check_range("pitch", prosody.pitch, PITCH_RANGE)?;
        check_range("volume", prosody.volume, VOLUME_RANGE)?;
        let res = &voice.resources;
        let (Some(ta), Some(sg)) = (&res.text_analysis, &res.signal_generation) else {
            return Err(Error::Usage(format!(
                "voice {}: a pico voice needs resources.text_analysis and resources.signal_generation",
                voice.name
            )));
        };
        let ta_path = materialize(ta, &voice.resource_bytes(ta)?)?;
        let sg_path = materialize(sg, &voice.resource_bytes(sg)?)?;
        let path_str = |p: &std::path::Path| {
            p.to_str()
                .map(str::to_owned)
                .ok_or_else(|| Error::Usage(format!("pico needs a UTF-8 path, not {}", p.display())))
        };
        let sys = pico::System::new(PICO_MEM).map_err(engine_err("starting"))?;
        let ta_res = pico::System::load_resource(Rc::clone(&sys), path_str(&ta_path)?).map_err(engine_err(ta))?;
        let sg_res = pico::System::load_resource(Rc::clone(&sys), path_str(&sg_path)?).map_err(engine_err(sg))?;
        let pvoice = pico::System::create_voice(Rc::clone(&sys), "hark").map_err(engine_err("creating voice"))?;
        pvoice.borrow_mut().add_resource(ta_res).map_err(engine_err(ta))?;
        pvoice.borrow_mut().add_resource(sg_res).map_err(engine_err(sg))?;
        // SAFETY: both resources are attached above, as create_engine requires.
        let engine = unsafe { pico::Voice::create_engine(pvoice) }.map_err(engine_err("creating engine"))?;
        Ok(PicoSynth {
            voice: voice.clone(),
            prosody,
            engine,
            _sys: sys,
            buf: vec![0; 1024],
        })
    }

    /// The markup-wrapped, NUL-terminated bytes Pico is fed for one chunk.
    fn markup(&self, text: &str) -> Vec<u8> {
        let mut s = String::with_capacity(text.len() + 80);
        let p = self.prosody;
        let mut close = Vec::new();
        for (tag, v) in [("speed", p.rate), ("pitch", p.pitch), ("volume", p.volume)] {
            if (v - 1.0).abs() > 1e-3 {
                s.push_str(&format!("<{tag} level=\"{}\">", (v * 100.0).round() as i32));
                close.push(tag);
            }
        }
        // Pico reads `<…>` as markup; article text never means that.
        s.extend(text.chars().map(|c| match c {
            '<' | '>' | '\0' => ' ',
            c => c,
        }));
        for tag in close.iter().rev() {
            s.push_str(&format!("</{tag}>"));
        }
        let mut bytes = s.into_bytes();
        bytes.push(0);
        bytes
    }

    fn speak_chunk(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        let bytes = self.markup(text);
        let mut rest: &[u8] = &bytes;
        while !rest.is_empty() {
            let n = self.engine.put_text(rest).map_err(engine_err("put_text"))?;
            rest = &rest[n..];
            // Drain whatever the engine made of what it took, so its input
            // buffer frees up.
            self.drain(out)?;
        }
        self.drain(out)
    }

    fn drain(&mut self, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        loop {
            let (n, status) = match self.engine.get_data(&mut self.buf[..]) {
                Ok(r) => r,
                Err(e) => {
                    let _ = self.engine.reset(pico::EngineResetMode::Full);
                    return Err(engine_err("synthesis")(e));
                }
            };
            if n > 0 {
                out(&self.buf[..n])?;
            }
            if status == pico::EngineStatus::Idle {
                return Ok(());
            }
        }
    }
}

impl Synthesizer for PicoSynth {
    fn voice(&self) -> &VoiceDef {
        &self.voice
    }

    fn sample_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        for chunk in super::chunk_text(text, MAX_CHUNK_BYTES) {
            self.speak_chunk(chunk, out)?;
        }
        Ok(())
    }
}

pub(crate) fn check_range(what: &str, v: f32, (lo, hi): (f32, f32)) -> Result<()> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--{what} {v} is out of range for this engine ({lo}–{hi})"
        )))
    }
}
