//! Flite's `cmu_us_slt` voice, compiled in by the `fliters` crate (feature
//! `flite`). hark calls the few Flite functions it needs directly, so that
//! the voice is registered once, rate and pitch can be set, and errors do
//! not panic.
//!
//! Flite keeps global state (its lexicon, voice registry), so calls into it
//! are serialized by one lock: exports with Flite do not run in parallel.

use super::voice::{Prosody, Voice};
use super::Synthesizer;
use crate::error::{Error, Result};
use std::ffi::{c_char, c_float, c_int, c_short, c_void, CString};
use std::sync::Mutex;

// Keep fliters linked: it builds and links the Flite C library.
use fliters as _;

#[repr(C)]
struct CstWave {
    type_: *const c_char,
    sample_rate: c_int,
    num_samples: c_int,
    num_channels: c_int,
    samples: *mut c_short,
}

#[repr(C)]
struct CstVoice {
    name: *const c_char,
    features: *mut c_void,
}

extern "C" {
    fn register_cmu_us_slt(voxdir: *const c_char) -> *mut CstVoice;
    fn flite_text_to_wave(text: *const c_char, voice: *mut CstVoice) -> *mut CstWave;
    fn delete_wave(w: *mut CstWave);
    fn flite_feat_set_float(f: *mut c_void, name: *const c_char, v: c_float);
    fn flite_get_param_float(f: *const c_void, name: *const c_char, def: c_float) -> c_float;
}

struct VoicePtr(*mut CstVoice);
// SAFETY: the voice is only touched while holding FLITE.
unsafe impl Send for VoicePtr {}

/// The one registered voice and the lock around all Flite calls.
static FLITE: Mutex<Option<VoicePtr>> = Mutex::new(None);

pub(crate) const SAMPLE_RATE: u32 = 16_000;
/// What hark can ask of Flite (rate, pitch, volume), as multiples of normal.
pub(crate) const LIMITS: [(f32, f32); 3] = [(0.25, 4.0), (0.5, 2.0), (0.0, 2.0)];
const MAX_CHUNK_BYTES: usize = 1000;

pub(crate) struct FliteSynth {
    voice: Voice,
    prosody: Prosody,
    f0_mean: f32,
}

fn cstr(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).expect("no NUL left")
}

impl FliteSynth {
    pub fn new(voice: &Voice, prosody: Prosody) -> Result<FliteSynth> {
        let mut guard = FLITE.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            // SAFETY: registers the compiled-in voice; a null voxdir is allowed.
            let v = unsafe { register_cmu_us_slt(std::ptr::null()) };
            if v.is_null() {
                return Err(Error::engine("flite", "could not register cmu_us_slt"));
            }
            *guard = Some(VoicePtr(v));
        }
        let v = guard.as_ref().expect("registered").0;
        // SAFETY: v is a live voice; its features pointer is valid.
        let f0_mean = unsafe { flite_get_param_float((*v).features, cstr("int_f0_target_mean").as_ptr(), 100.0) };
        Ok(FliteSynth {
            voice: voice.clone(),
            prosody,
            f0_mean,
        })
    }
}

impl Synthesizer for FliteSynth {
    fn voice(&self) -> &Voice {
        &self.voice
    }

    fn sample_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        for chunk in super::chunk_text(text, MAX_CHUNK_BYTES) {
            let pcm = {
                let guard = FLITE.lock().unwrap_or_else(|p| p.into_inner());
                let v = guard.as_ref().expect("registered in new").0;
                let c_text = cstr(chunk);
                // SAFETY: v is live and only used under the lock; the wave
                // returned is owned here and freed with delete_wave.
                unsafe {
                    let feats = (*v).features;
                    flite_feat_set_float(feats, cstr("duration_stretch").as_ptr(), 1.0 / self.prosody.rate);
                    flite_feat_set_float(
                        feats,
                        cstr("int_f0_target_mean").as_ptr(),
                        self.f0_mean * self.prosody.pitch,
                    );
                    let w = flite_text_to_wave(c_text.as_ptr(), v);
                    if w.is_null() {
                        return Err(Error::engine("flite", format!("could not synthesize: {chunk}")));
                    }
                    let wave = &*w;
                    if wave.num_channels != 1 || wave.sample_rate as u32 != SAMPLE_RATE {
                        delete_wave(w);
                        return Err(Error::engine(
                            "flite",
                            format!(
                                "produced {} Hz × {} channels, expected {SAMPLE_RATE} Hz mono",
                                wave.sample_rate, wave.num_channels
                            ),
                        ));
                    }
                    let pcm = if wave.samples.is_null() || wave.num_samples <= 0 {
                        Vec::new()
                    } else {
                        std::slice::from_raw_parts(wave.samples, wave.num_samples as usize).to_vec()
                    };
                    delete_wave(w);
                    pcm
                }
            };
            let gain = self.prosody.volume;
            if (gain - 1.0).abs() > 1e-3 {
                let scaled: Vec<i16> = pcm
                    .iter()
                    .map(|&s| (s as f32 * gain).round().clamp(-32768.0, 32767.0) as i16)
                    .collect();
                out(&scaled)?;
            } else {
                out(&pcm)?;
            }
        }
        Ok(())
    }
}
