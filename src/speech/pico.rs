//! The embedded engine: SVOX Pico, through `ttspico-sys` (C, built by `cc`).
//!
//! Pico loads its language files from paths, so the embedded files are
//! written to the cache directory on first use. It hangs when fed a long
//! text in one piece, so hark feeds it one sentence at a time, NUL-terminated,
//! and drains the audio before the next. A Pico system is not `Send`: make
//! one engine per thread.

use super::voice::{materialize, EngineKind, Prosody, Voice};
use super::Synthesizer;
use crate::error::{Error, Result};
use std::ffi::{c_char, c_void, CString};
use ttspico_sys as sys;

/// Memory Pico works in (Android gives it 2.5 MB).
const PICO_MEM: usize = 3 * 1024 * 1024;
/// Pico's output rate.
pub(crate) const SAMPLE_RATE: u32 = 16_000;
/// Longest piece of text fed in one go; longer sentences are cut at a
/// clause or word boundary first.
pub(crate) const MAX_CHUNK_BYTES: usize = 600;

/// Limits of Pico's markup (rate, pitch, volume), as multiples of normal.
pub(crate) const LIMITS: [(f32, f32); 3] = [(0.2, 5.0), (0.5, 2.0), (0.0, 5.0)];

/// One Pico system with one engine, on memory hark owns.
///
/// Pico reads parts of its working memory before writing them, so the
/// memory is zeroed: on reused heap memory the same text gave different
/// audio from run to run. (The `ttspico` wrapper allocates it uninitialized,
/// which is why hark talks to `ttspico-sys` directly.)
pub struct RawPico {
    mem: Box<[u64]>,
    system: sys::pico_System,
    engine: sys::pico_Engine,
    resources: Vec<sys::pico_Resource>,
    buf: Vec<i16>,
}

const VOICE_NAME: &[u8] = b"hark\0";

fn status_err(what: &str, code: sys::pico_Status, msg: &[c_char]) -> Error {
    let bytes: Vec<u8> = msg.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    Error::engine(
        "pico",
        format!("{what}: {} (error {code})", String::from_utf8_lossy(&bytes)),
    )
}

impl RawPico {
    /// Start Pico with a text-analysis and a signal-generation file.
    pub fn new(ta_path: &std::path::Path, sg_path: &std::path::Path) -> Result<RawPico> {
        let mut mem = vec![0u64; PICO_MEM / 8].into_boxed_slice();
        let mut system: sys::pico_System = std::ptr::null_mut();
        // SAFETY: mem lives as long as the system (dropped after terminate).
        let code = unsafe { sys::pico_initialize(mem.as_mut_ptr() as *mut c_void, PICO_MEM as u32, &mut system) };
        if code != sys::PICO_OK {
            return Err(Error::engine("pico", format!("cannot start (error {code})")));
        }
        let mut p = RawPico {
            mem,
            system,
            engine: std::ptr::null_mut(),
            resources: Vec::new(),
            buf: vec![0; 1024],
        };
        let mut names = Vec::new();
        for path in [ta_path, sg_path] {
            let c_path = path
                .to_str()
                .and_then(|s| CString::new(s).ok())
                .ok_or_else(|| Error::engine("pico", format!("needs a plain UTF-8 path, not {}", path.display())))?;
            let mut res: sys::pico_Resource = std::ptr::null_mut();
            // SAFETY: valid system and NUL-terminated path.
            let code = unsafe { sys::pico_loadResource(p.system, c_path.as_ptr() as *const u8, &mut res) };
            p.check_sys(&format!("loading {}", path.display()), code)?;
            p.resources.push(res);
            let mut name = [0 as c_char; sys::PICO_MAX_RESOURCE_NAME_SIZE];
            // SAFETY: name has the size Pico writes at most.
            let code = unsafe { sys::pico_getResourceName(p.system, res, name.as_mut_ptr()) };
            p.check_sys("reading a resource name", code)?;
            names.push(name);
        }
        // SAFETY: valid system, NUL-terminated names.
        unsafe {
            let code = sys::pico_createVoiceDefinition(p.system, VOICE_NAME.as_ptr());
            p.check_sys("creating the voice", code)?;
            for name in &names {
                let code =
                    sys::pico_addResourceToVoiceDefinition(p.system, VOICE_NAME.as_ptr(), name.as_ptr() as *const u8);
                p.check_sys("adding a resource", code)?;
            }
            let code = sys::pico_newEngine(p.system, VOICE_NAME.as_ptr(), &mut p.engine);
            p.check_sys("creating the engine", code)?;
        }
        Ok(p)
    }

    fn check_sys(&self, what: &str, code: sys::pico_Status) -> Result<()> {
        if code == sys::PICO_OK {
            return Ok(());
        }
        let mut msg = [0 as c_char; sys::PICO_RETSTRINGSIZE];
        // SAFETY: msg has the size Pico writes at most.
        unsafe { sys::pico_getSystemStatusMessage(self.system, code, msg.as_mut_ptr()) };
        Err(status_err(what, code, &msg))
    }

    fn engine_err(&self, what: &str, code: sys::pico_Status) -> Error {
        let mut msg = [0 as c_char; sys::PICO_RETSTRINGSIZE];
        // SAFETY: as above, on a live engine.
        unsafe { sys::pico_getEngineStatusMessage(self.engine, code, msg.as_mut_ptr()) };
        // SAFETY: reset after an error, as Pico asks.
        unsafe { sys::pico_resetEngine(self.engine, sys::PICO_RESET_FULL as i32) };
        status_err(what, code, &msg)
    }

    /// Feed `bytes` (which should end in NUL to force synthesis) and hand
    /// every piece of audio to `out` as it comes.
    pub fn speak(&mut self, bytes: &[u8], out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = rest.len().min(i16::MAX as usize) as i16;
            let mut put: i16 = 0;
            // SAFETY: rest is valid for n bytes.
            let code = unsafe { sys::pico_putTextUtf8(self.engine, rest.as_ptr(), n, &mut put) };
            if code != sys::PICO_OK {
                return Err(self.engine_err("taking text", code));
            }
            rest = &rest[put.max(0) as usize..];
            // Drain what the engine made of what it took, so its input
            // buffer frees up.
            self.drain(out)?;
        }
        self.drain(out)
    }

    fn drain(&mut self, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        loop {
            let (mut got, mut kind): (i16, i16) = (0, 0);
            let size = (self.buf.len() * 2) as i16;
            // SAFETY: buf holds `size` bytes.
            let code = unsafe {
                sys::pico_getData(
                    self.engine,
                    self.buf.as_mut_ptr() as *mut c_void,
                    size,
                    &mut got,
                    &mut kind,
                )
            };
            if code != sys::PICO_STEP_BUSY && code != sys::PICO_STEP_IDLE {
                return Err(self.engine_err("synthesis", code));
            }
            let n = (got.max(0) as usize / 2).min(self.buf.len());
            if n > 0 {
                if let Err(e) = out(&self.buf[..n]) {
                    // Drop what is queued so the engine is ready for new text.
                    // SAFETY: live engine.
                    unsafe { sys::pico_resetEngine(self.engine, sys::PICO_RESET_SOFT as i32) };
                    return Err(e);
                }
            }
            if code == sys::PICO_STEP_IDLE {
                return Ok(());
            }
        }
    }
}

impl Drop for RawPico {
    fn drop(&mut self) {
        // SAFETY: tear down in reverse order of creation; every handle is
        // either valid or null.
        unsafe {
            if !self.engine.is_null() {
                sys::pico_disposeEngine(self.system, &mut self.engine);
                sys::pico_releaseVoiceDefinition(self.system, VOICE_NAME.as_ptr());
            }
            for res in self.resources.iter_mut().rev() {
                sys::pico_unloadResource(self.system, res);
            }
            sys::pico_terminate(&mut self.system);
        }
        // Pico is done with its memory only now.
        self.mem.fill(0);
    }
}

/// The embedded engine behind [`Synthesizer`].
pub(crate) struct PicoSynth {
    voice: Voice,
    prosody: Prosody,
    pico: RawPico,
}

impl PicoSynth {
    /// Start Pico for `voice`; `prosody` is already checked (see [`super::open`]).
    pub fn new(voice: &Voice, prosody: Prosody) -> Result<PicoSynth> {
        debug_assert_eq!(voice.engine, EngineKind::Pico);
        let res = &voice.resources;
        let (Some(ta), Some(sg)) = (&res.text_analysis, &res.signal_generation) else {
            return Err(Error::BadVoice {
                origin: format!("voice {}", voice.name),
                reason: "a pico voice needs resources.text_analysis and resources.signal_generation".into(),
            });
        };
        let ta_path = materialize(ta, &voice.resource_bytes(ta)?)?;
        let sg_path = materialize(sg, &voice.resource_bytes(sg)?)?;
        Ok(PicoSynth {
            voice: voice.clone(),
            prosody,
            pico: RawPico::new(&ta_path, &sg_path)?,
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
}

impl Synthesizer for PicoSynth {
    fn voice(&self) -> &Voice {
        &self.voice
    }

    fn sample_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    fn synthesize(&mut self, text: &str, out: &mut dyn FnMut(&[i16]) -> Result<()>) -> Result<()> {
        for chunk in super::chunk_text(text, MAX_CHUNK_BYTES) {
            let bytes = self.markup(chunk);
            self.pico.speak(&bytes, out)?;
        }
        Ok(())
    }
}
