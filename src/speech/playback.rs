//! Live playback through `cpal` (feature `playback`).
//!
//! A worker thread synthesizes sentence after sentence into a bounded
//! buffer (a few seconds ahead, never the whole article); the device
//! callback drains it, converting the rate if the device cannot play the
//! voice's own. The calling thread watches how far playback has got, reports
//! each sentence as it starts sounding, and stops at once when cancelled.

use super::voice::{Prosody, Voice};
use super::{AudioSink, RenderOptions};
use crate::error::{Error, Result};
use crate::frontend::Utterance;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Seconds of audio synthesized ahead of playback.
const AHEAD_SECS: u32 = 3;

struct Shared {
    buf: Mutex<VecDeque<i16>>,
    space: Condvar,
    capacity: usize,
    /// Source samples handed to the device so far.
    played: AtomicU64,
    first_audio: Mutex<Option<Instant>>,
    stop: AtomicBool,
    error: Mutex<Option<String>>,
}

/// What [`play`] reports once done.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PlayReport {
    /// When the first synthesized sample went to the device.
    pub first_audio: Option<Instant>,
    /// The output device's name.
    pub device: String,
    /// The rate the device plays at.
    pub device_rate: u32,
    /// Samples played.
    pub samples: u64,
}

struct Feeder {
    shared: Arc<Shared>,
}

impl AudioSink for Feeder {
    fn write(&mut self, mut pcm: &[i16]) -> Result<()> {
        while !pcm.is_empty() {
            let mut buf = self.shared.buf.lock().unwrap_or_else(|p| p.into_inner());
            while buf.len() >= self.shared.capacity && !self.shared.stop.load(Ordering::Relaxed) {
                buf = self
                    .shared
                    .space
                    .wait_timeout(buf, Duration::from_millis(50))
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            if self.shared.stop.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            let n = pcm.len().min(self.shared.capacity - buf.len()).max(1);
            buf.extend(&pcm[..n]);
            pcm = &pcm[n..];
        }
        Ok(())
    }
}

/// Linear interpolation from the voice's rate to the device's, pulling
/// source samples from the shared buffer.
struct Resampler {
    step: f64,
    frac: f64,
    a: f32,
    b: f32,
    primed: bool,
}

impl Resampler {
    fn next(&mut self, shared: &Shared, buf: &mut VecDeque<i16>) -> f32 {
        let mut pop = |shared: &Shared| -> f32 {
            match buf.pop_front() {
                Some(s) => {
                    if shared.played.fetch_add(1, Ordering::Relaxed) == 0 {
                        *shared.first_audio.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
                    }
                    s as f32 / 32768.0
                }
                None => 0.0,
            }
        };
        if !self.primed {
            self.a = pop(shared);
            self.b = pop(shared);
            self.primed = true;
        }
        let v = self.a + (self.b - self.a) * self.frac as f32;
        self.frac += self.step;
        while self.frac >= 1.0 {
            self.frac -= 1.0;
            self.a = self.b;
            self.b = pop(shared);
        }
        v
    }
}

#[cfg(target_os = "linux")]
extern "C" {
    fn hark_alsa_quiet();
}

/// Keep ALSA from printing its own errors on standard error (hark reports
/// the failure itself, and on the reader's screen they would be garbage).
fn quiet_alsa() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: sets a process-wide handler that does nothing; ALSA calls it
        // with its own arguments, which it ignores.
        ONCE.call_once(|| unsafe { hark_alsa_quiet() });
    }
}

/// An audio-device failure, with the way out.
fn dev_err(e: &dyn std::fmt::Display) -> Error {
    Error::AudioDevice(e.to_string())
}

fn pick_config(device: &cpal::Device, rate: u32) -> Result<cpal::SupportedStreamConfig> {
    let usable = |f: cpal::SampleFormat| matches!(f, cpal::SampleFormat::F32 | cpal::SampleFormat::I16);
    if let Ok(ranges) = device.supported_output_configs() {
        let mut ranges: Vec<_> = ranges.filter(|r| usable(r.sample_format())).collect();
        // Prefer the voice's own rate, then fewer channels, then f32.
        ranges.sort_by_key(|r| (r.channels(), r.sample_format() != cpal::SampleFormat::F32));
        if let Some(r) = ranges
            .iter()
            .find(|r| r.min_sample_rate().0 <= rate && rate <= r.max_sample_rate().0)
        {
            return Ok((*r).with_sample_rate(cpal::SampleRate(rate)));
        }
    }
    let def = device.default_output_config().map_err(|e| dev_err(&e))?;
    if usable(def.sample_format()) {
        Ok(def)
    } else {
        Err(Error::AudioDevice(format!(
            "it wants {:?} samples, which hark cannot feed",
            def.sample_format()
        )))
    }
}

fn build_stream<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    shared: Arc<Shared>,
    src_rate: u32,
) -> Result<cpal::Stream>
where
    T: cpal::SizedSample + cpal::FromSample<f32>,
{
    let channels = config.channels as usize;
    let mut rs = Resampler {
        step: src_rate as f64 / config.sample_rate.0 as f64,
        frac: 0.0,
        a: 0.0,
        b: 0.0,
        primed: false,
    };
    let err_shared = Arc::clone(&shared);
    device
        .build_output_stream(
            config,
            move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
                let mut buf = shared.buf.lock().unwrap_or_else(|p| p.into_inner());
                for frame in data.chunks_mut(channels) {
                    let v = if shared.stop.load(Ordering::Relaxed) {
                        0.0
                    } else {
                        rs.next(&shared, &mut buf)
                    };
                    frame.fill(T::from_sample(v));
                }
                drop(buf);
                shared.space.notify_all();
            },
            move |e| {
                *err_shared.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
            },
            None,
        )
        .map_err(|e| dev_err(&e))
}

/// A playing stream on `device` for audio at `rate`, fed through a queue
/// of at most `capacity` samples.
fn open_stream(
    device: &cpal::Device,
    rate: u32,
    capacity: usize,
) -> Result<(cpal::Stream, cpal::StreamConfig, Arc<Shared>)> {
    let supported = pick_config(device, rate)?;
    let config: cpal::StreamConfig = supported.config();
    let shared = Arc::new(Shared {
        buf: Mutex::new(VecDeque::with_capacity(
            capacity.min(rate as usize * AHEAD_SECS as usize),
        )),
        space: Condvar::new(),
        capacity,
        played: AtomicU64::new(0),
        first_audio: Mutex::new(None),
        stop: AtomicBool::new(false),
        error: Mutex::new(None),
    });
    let stream = match supported.sample_format() {
        cpal::SampleFormat::I16 => build_stream::<i16>(device, &config, Arc::clone(&shared), rate)?,
        _ => build_stream::<f32>(device, &config, Arc::clone(&shared), rate)?,
    };
    stream.play().map_err(|e| dev_err(&e))?;
    Ok((stream, config, shared))
}

enum Event {
    Sentence(usize, u64),
    Done(Result<u64>),
}

/// Speak `utterances` with `voice` through the default output device.
/// `on_sentence(i)` is called as utterance `i` starts to sound;
/// `cancelled()` is polled every few milliseconds and stops playback at
/// once. No device, or one that fails, is an error, never a panic.
pub fn play(
    voice: &Voice,
    prosody: Prosody,
    utterances: &[Utterance],
    options: RenderOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
    on_sentence: &mut dyn FnMut(usize) -> Result<()>,
) -> Result<PlayReport> {
    // Check the voice before touching the device; the engine itself starts
    // on the worker (Pico is not `Send`).
    super::check_prosody(voice, prosody)?;
    let src_rate = voice.sample_rate;
    quiet_alsa();
    let host = cpal::default_host();
    let device = host
        .default_output_device()
        .ok_or_else(|| Error::AudioDevice("no audio output device found".into()))?;
    let device_name = device.name().unwrap_or_else(|_| "default".into());
    let (stream, config, shared) = open_stream(&device, src_rate, (src_rate * AHEAD_SECS) as usize)?;

    let (tx, rx) = mpsc::channel();
    let result = std::thread::scope(|scope| {
        let worker_shared = Arc::clone(&shared);
        let worker = scope.spawn(move || {
            let run = || -> Result<u64> {
                let mut feeder = Feeder {
                    shared: Arc::clone(&worker_shared),
                };
                let tx2 = tx.clone();
                let stop = || worker_shared.stop.load(Ordering::Relaxed);
                super::render_live(
                    voice,
                    prosody,
                    utterances,
                    options,
                    &mut feeder,
                    &stop,
                    &mut |i, start| {
                        let _ = tx2.send(Event::Sentence(i, start));
                    },
                )
            };
            let _ = tx.send(Event::Done(run()));
        });

        let mut pending: VecDeque<(usize, u64)> = VecDeque::new();
        let mut total: Option<u64> = None;
        let outcome = loop {
            if cancelled() {
                break Err(Error::Interrupted);
            }
            if let Some(e) = shared.error.lock().unwrap_or_else(|p| p.into_inner()).take() {
                break Err(dev_err(&e));
            }
            while let Ok(ev) = rx.try_recv() {
                match ev {
                    Event::Sentence(i, start) => pending.push_back((i, start)),
                    Event::Done(Ok(n)) => total = Some(n),
                    Event::Done(Err(e)) => {
                        shared.stop.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                }
            }
            let played = shared.played.load(Ordering::Relaxed);
            if let Err(e) = super::report_heard(&mut pending, played, on_sentence) {
                break Err(e);
            }
            if total.is_some_and(|t| played >= t) && pending.is_empty() {
                break Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        shared.stop.store(true, Ordering::Relaxed);
        shared.space.notify_all();
        let _ = worker.join();
        outcome
    });
    if result.is_ok() {
        // Let the device play out what it already holds.
        std::thread::sleep(Duration::from_millis(150));
    }
    drop(stream);
    result?;
    let first_audio = *shared.first_audio.lock().unwrap_or_else(|p| p.into_inner());
    Ok(PlayReport {
        first_audio,
        device: device_name,
        device_rate: config.sample_rate.0,
        samples: shared.played.load(Ordering::Relaxed),
    })
}

/// The default output device as a [`reader::Output`](super::reader::Output):
/// one cpal stream kept open (rebuilt only when the rate changes), fed
/// through a queue the device drains; a stop empties the queue, so new
/// audio follows within one device period. Where playback is comes from
/// the samples the device has taken.
pub struct DeviceOutput {
    device: cpal::Device,
    stream: Option<(cpal::Stream, u32, Arc<Shared>)>,
}

impl DeviceOutput {
    /// The default output device; an error when there is none.
    pub fn open() -> Result<DeviceOutput> {
        quiet_alsa();
        let device = cpal::default_host()
            .default_output_device()
            .ok_or_else(|| Error::AudioDevice("no audio output device found".into()))?;
        Ok(DeviceOutput { device, stream: None })
    }
}

impl super::reader::Output for DeviceOutput {
    fn start(&mut self, rate: u32) -> Result<()> {
        if let Some((_, r, shared)) = &self.stream {
            if *r == rate {
                let mut buf = shared.buf.lock().unwrap_or_else(|p| p.into_inner());
                buf.clear();
                shared.played.store(0, Ordering::Relaxed);
                shared.stop.store(false, Ordering::Relaxed);
                return Ok(());
            }
        }
        self.stream = None;
        let (stream, _, shared) = open_stream(&self.device, rate, usize::MAX)?;
        self.stream = Some((stream, rate, shared));
        Ok(())
    }

    fn push(&mut self, pcm: &[i16]) -> Result<()> {
        let Some((_, _, shared)) = &self.stream else {
            return Err(Error::AudioDevice("no stream is open".into()));
        };
        shared.buf.lock().unwrap_or_else(|p| p.into_inner()).extend(pcm);
        Ok(())
    }

    fn played(&mut self) -> Result<u64> {
        let Some((_, _, shared)) = &self.stream else {
            return Ok(0);
        };
        let failed = shared.error.lock().unwrap_or_else(|p| p.into_inner()).take();
        let played = shared.played.load(Ordering::Relaxed);
        if let Some(e) = failed {
            // The device went away mid-way: a clean stop, with why.
            self.stream = None;
            return Err(dev_err(&e));
        }
        Ok(played)
    }

    fn stop(&mut self) {
        if let Some((_, _, shared)) = &self.stream {
            shared.buf.lock().unwrap_or_else(|p| p.into_inner()).clear();
        }
    }

    fn drain(&mut self) -> Result<()> {
        // The queue is empty once everything pushed is played; give the
        // device its last period.
        std::thread::sleep(Duration::from_millis(150));
        self.stream = None;
        Ok(())
    }

    fn name(&self) -> String {
        self.device.name().unwrap_or_else(|_| "default".into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::reader::{read, Output, ReaderOptions};
    use super::*;

    /// The default device, or None (with a message) where there is none;
    /// CI points ALSA's default at its null device, and there it must open.
    fn device() -> Option<DeviceOutput> {
        match DeviceOutput::open().and_then(|mut d| d.start(16_000).map(|()| d)) {
            Ok(d) => Some(d),
            Err(e) => {
                assert!(std::env::var_os("CI").is_none(), "CI has ALSA's null device: {e}");
                eprintln!("skipping: no audio device here ({e})");
                None
            }
        }
    }

    /// A device that fails mid-way (unplugged: cpal's error callback fills
    /// the stream's error slot, which is what this test does, as no device
    /// can be unplugged here) stops the reader with a clear error, not a
    /// hang or a panic, and a new stream can be started after it.
    #[test]
    fn a_device_that_fails_mid_way_stops_the_reader_cleanly() {
        let Some(mut out) = device() else { return };
        // Long enough not to be over (the null device plays at once) when
        // the device fails.
        let text: String = (1..=60)
            .map(|i| format!("This is sentence number {i} of the article. "))
            .collect();
        let a = crate::Article::from_bytes("t", text.as_bytes(), &Default::default()).unwrap();
        let utts = a.utterances(&a.select(&[]).unwrap(), &Default::default());
        let voice = super::super::find_voice(&crate::config::Dirs::from_env(), "pico-en-us").unwrap();
        // The stream the reader will use (Pico's rate: it is kept open).
        let shared = out.stream.as_ref().map(|(_, _, s)| Arc::clone(s)).unwrap();
        let mut turns = 0;
        let result = read(&utts, &ReaderOptions::new(voice), &mut out, &mut |_, _| {
            turns += 1;
            assert!(turns < 100_000, "the reader did not stop");
            if turns == 5 {
                *shared.error.lock().unwrap() = Some("the device was unplugged".into());
            }
            std::thread::sleep(Duration::from_millis(1));
            Ok(None)
        });
        let err = result.expect_err("a failed device is an error");
        assert!(matches!(err, Error::AudioDevice(_)), "{err:?}");
        assert!(err.to_string().contains("the device was unplugged"), "{err}");
        // The failed stream is dropped; a new one opens.
        assert!(out.stream.is_none());
        out.start(16_000).unwrap();
        out.push(&[0; 160]).unwrap();
        assert!(out.played().is_ok());
    }
}
