//! The platform's TTS service through the `tts` crate (feature
//! `system-tts`): speech-dispatcher on Linux, SAPI/WinRT on Windows,
//! AVFoundation on macOS. It speaks by itself and makes no samples, so it
//! serves `hark listen --engine system` and cannot render files.

use super::Voice;
use crate::error::{Error, Result};
use crate::frontend::Utterance;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn tts_err(what: &str) -> impl Fn(tts::Error) -> Error + '_ {
    move |e| Error::engine("system", format!("{what}: {e}"))
}

/// The `tts` crate panics on a few unexpected replies; keep that from
/// taking hark down.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::engine("system", format!("{what} failed inside the tts crate"))))
}

fn connect() -> Result<tts::Tts> {
    guarded("connecting", || {
        tts::Tts::default().map_err(|e| {
            Error::engine(
                "system",
                format!("the speech service is not available ({e}); on Linux speech-dispatcher must be installed and running"),
            )
        })
    })
}

fn to_voice(v: &tts::Voice) -> Voice {
    let gender = match v.gender() {
        Some(tts::Gender::Male) => "male",
        Some(tts::Gender::Female) => "female",
        None => "",
    };
    Voice {
        name: v.name(),
        aliases: if v.id() != v.name() { vec![v.id()] } else { Vec::new() },
        language: v.language().to_string(),
        engine: super::EngineKind::System,
        description: format!("system voice {gender}").trim_end().to_string(),
        sample_rate: 0,
        resources: Default::default(),
        defaults: Default::default(),
        inference: Default::default(),
        script: "Zyyy".into(),
        origin: super::Origin::System,
    }
}

/// The voices the service offers.
pub fn list_voices() -> Result<Vec<Voice>> {
    let tts = connect()?;
    guarded("listing voices", || {
        Ok(tts
            .voices()
            .map_err(tts_err("listing voices"))?
            .iter()
            .map(to_voice)
            .collect())
    })
}

/// A connection to the service.
pub struct SystemSpeaker {
    tts: tts::Tts,
    voice: Option<String>,
}

enum Event {
    Begin(tts::UtteranceId),
    End(tts::UtteranceId),
}

impl SystemSpeaker {
    /// Connect to the service.
    pub fn new() -> Result<SystemSpeaker> {
        Ok(SystemSpeaker {
            tts: connect()?,
            voice: None,
        })
    }

    /// The voice in use, for `-v`.
    pub fn describe(&self) -> String {
        format!("voice {}", self.voice.as_deref().unwrap_or("(service default)"))
    }

    /// Pick a voice by name or id (case-insensitive).
    pub fn set_voice(&mut self, name: &str) -> Result<()> {
        if !self.tts.supported_features().voice {
            return Err(Error::Invalid("the system speech service cannot change voices".into()));
        }
        let voices = guarded("listing voices", || {
            self.tts.voices().map_err(tts_err("listing voices"))
        })?;
        let Some(v) = voices
            .iter()
            .find(|v| v.name().eq_ignore_ascii_case(name) || v.id().eq_ignore_ascii_case(name))
        else {
            let names: Vec<String> = voices.iter().take(20).map(|v| v.name()).collect();
            return Err(Error::UnknownVoice {
                name: name.to_string(),
                available: names,
            });
        };
        guarded("setting voice", || {
            self.tts.set_voice(v).map_err(tts_err("setting voice"))
        })?;
        self.voice = Some(v.name());
        Ok(())
    }

    /// Rate, pitch and volume as multiples of the service's normal values;
    /// refused where the service cannot change them or the value is out of
    /// its range.
    pub fn set_prosody(&mut self, rate: Option<f32>, pitch: Option<f32>, volume: Option<f32>) -> Result<()> {
        let f = self.tts.supported_features();
        let t = &mut self.tts;
        if let Some(m) = rate {
            let v = scaled("rate", m, f.rate, t.normal_rate(), t.min_rate(), t.max_rate())?;
            t.set_rate(v).map_err(tts_err("setting rate"))?;
        }
        if let Some(m) = pitch {
            let v = scaled("pitch", m, f.pitch, t.normal_pitch(), t.min_pitch(), t.max_pitch())?;
            t.set_pitch(v).map_err(tts_err("setting pitch"))?;
        }
        if let Some(m) = volume {
            let v = scaled("volume", m, f.volume, t.normal_volume(), t.min_volume(), t.max_volume())?;
            t.set_volume(v).map_err(tts_err("setting volume"))?;
        }
        Ok(())
    }

    /// The service's features, and its begin/end callbacks (where it has
    /// them) as a channel.
    fn callbacks(&mut self) -> Result<(mpsc::Receiver<Event>, tts::Features)> {
        let f = self.tts.supported_features();
        let (tx, rx) = mpsc::channel();
        if f.utterance_callbacks {
            let (b, e) = (tx.clone(), tx);
            guarded("setting callbacks", || {
                self.tts
                    .on_utterance_begin(Some(Box::new(move |id| {
                        let _ = b.send(Event::Begin(id));
                    })))
                    .map_err(tts_err("callbacks"))?;
                self.tts
                    .on_utterance_end(Some(Box::new(move |id| {
                        let _ = e.send(Event::End(id));
                    })))
                    .map_err(tts_err("callbacks"))
            })?;
        }
        Ok((rx, f))
    }

    fn no_callbacks(&mut self, f: tts::Features) {
        if f.utterance_callbacks {
            let _ = self.tts.on_utterance_begin(None);
            let _ = self.tts.on_utterance_end(None);
        }
    }

    /// Speak each utterance in turn, calling `on_sentence(i)` as the service
    /// starts it; `cancelled()` stops speech at once.
    pub fn speak_all(
        &mut self,
        utterances: &[Utterance],
        cancelled: &(dyn Fn() -> bool + Sync),
        on_sentence: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<()> {
        let (rx, f) = self.callbacks()?;
        let result = self.speak_each(utterances, &rx, f, cancelled, on_sentence);
        if result.is_err() {
            let _ = self.tts.stop();
        }
        self.no_callbacks(f);
        result
    }

    fn speak_each(
        &mut self,
        utterances: &[Utterance],
        rx: &mpsc::Receiver<Event>,
        f: tts::Features,
        cancelled: &(dyn Fn() -> bool + Sync),
        on_sentence: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<()> {
        for (i, u) in utterances.iter().enumerate() {
            if cancelled() {
                return Err(Error::Interrupted);
            }
            let id = guarded("speaking", || {
                self.tts.speak(u.spoken.clone(), false).map_err(tts_err("speaking"))
            })?;
            // Generous: a slow voice says two words a second.
            let words = u.spoken.split_whitespace().count() as u64;
            let deadline = Instant::now() + Duration::from_secs(10 + words);
            let mut begun = false;
            loop {
                if cancelled() {
                    return Err(Error::Interrupted);
                }
                match rx.recv_timeout(Duration::from_millis(20)) {
                    Ok(Event::Begin(b)) if Some(&b) == id.as_ref() || id.is_none() => {
                        begun = true;
                        on_sentence(i)?;
                    }
                    Ok(Event::End(e)) if Some(&e) == id.as_ref() || id.is_none() => {
                        if !begun {
                            on_sentence(i)?;
                        }
                        break;
                    }
                    Ok(_) => {}
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if !f.utterance_callbacks && !self.tts.is_speaking().unwrap_or(false) {
                            on_sentence(i)?;
                            break;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(Error::engine("system", "callbacks went away"));
                    }
                }
                if Instant::now() > deadline {
                    return Err(Error::engine(
                        "system",
                        format!(
                            "did not finish sentence {} in time; is its audio output working?",
                            u.sentence + 1
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl SystemSpeaker {
    /// Read `utterances` interactively, as [`reader::read`](super::reader::read)
    /// does with an engine that makes samples, here with the service
    /// speaking: the position follows its begin and end callbacks (or, where
    /// it has none, whether it is speaking). Sentence by sentence: a pause
    /// stops the service and resume says the sentence again from its start
    /// (the service cannot go on mid-sentence); a rate change reaches the
    /// next sentence; `rate` is the starting multiple of the normal rate.
    pub fn read(
        &mut self,
        utterances: &[Utterance],
        start: usize,
        rate: f32,
        next: &mut dyn FnMut(&super::reader::State, Duration) -> Result<Option<super::reader::Command>>,
    ) -> Result<super::reader::Outcome> {
        let (rx, f) = self.callbacks()?;
        let result = self.read_loop(utterances, start, rate, &rx, f, next);
        let _ = self.tts.stop();
        self.no_callbacks(f);
        result
    }

    fn read_loop(
        &mut self,
        utterances: &[Utterance],
        start: usize,
        mut rate: f32,
        rx: &mpsc::Receiver<Event>,
        f: tts::Features,
        next: &mut dyn FnMut(&super::reader::State, Duration) -> Result<Option<super::reader::Command>>,
    ) -> Result<super::reader::Outcome> {
        use super::reader::{Command, Outcome, State};
        let n = utterances.len();
        let mut outcome = Outcome::default();
        if n == 0 {
            outcome.finished = true;
            return Ok(outcome);
        }
        let began = Instant::now();
        let mut current = start.min(n - 1);
        let mut paused = false;
        // The utterance being spoken: its id and when it was handed over.
        let mut speaking: Option<(Option<tts::UtteranceId>, Instant)> = None;
        let mut asked: Option<(Command, Instant)> = None;
        let mut message: Option<String> = None;
        let secs = |u: &Utterance, rate: f32| u.spoken.len().max(1) as f64 * 0.065 / rate.max(0.1) as f64;
        loop {
            // What the service said since the last turn.
            let mut ended = false;
            while let Ok(ev) = rx.try_recv() {
                let ours = |id: &tts::UtteranceId| {
                    speaking
                        .as_ref()
                        .is_some_and(|(s, _)| s.is_none() || s.as_ref() == Some(id))
                };
                match ev {
                    Event::Begin(id) if ours(&id) => {
                        let now = Instant::now();
                        outcome.first_audio.get_or_insert(now - began);
                        if let Some((c, t)) = asked.take() {
                            outcome.latencies.push((c, now - t));
                        }
                    }
                    Event::End(id) if ours(&id) => ended = true,
                    _ => {}
                }
            }
            if !f.utterance_callbacks {
                if let Some((_, t)) = &speaking {
                    ended = t.elapsed() > Duration::from_millis(300) && !self.tts.is_speaking().unwrap_or(false);
                }
            }
            if ended {
                speaking = None;
                if current + 1 >= n {
                    outcome.finished = true;
                    outcome.position = current;
                    return Ok(outcome);
                }
                current += 1;
            }
            if !paused && speaking.is_none() {
                let text = utterances[current].spoken.clone();
                let id = guarded("speaking", || self.tts.speak(text, true).map_err(tts_err("speaking")))?;
                speaking = Some((id, Instant::now()));
            }
            let state = State {
                current,
                total: n,
                paused,
                waiting: false,
                rate,
                voice: self.voice.clone().unwrap_or_else(|| "system".into()),
                elapsed_secs: utterances[..current].iter().map(|u| secs(u, rate)).sum(),
                total_secs: utterances.iter().map(|u| secs(u, rate)).sum(),
                message: message.clone(),
            };
            let Some(command) = next(&state, Duration::from_millis(15))? else {
                continue;
            };
            message = None;
            let mut go = |to: usize, speaking: &mut Option<_>, current: &mut usize| {
                let _ = self.tts.stop();
                *speaking = None;
                *current = to.min(n - 1);
            };
            match command {
                Command::Quit => {
                    outcome.position = current;
                    return Ok(outcome);
                }
                Command::TogglePause if paused => {
                    paused = false;
                    asked = Some((command, Instant::now()));
                }
                Command::TogglePause => {
                    go(current, &mut speaking, &mut current);
                    paused = true;
                }
                Command::Next => go(current + 1, &mut speaking, &mut current),
                Command::Previous => go(current.saturating_sub(1), &mut speaking, &mut current),
                Command::NextParagraph => go(
                    super::reader::next_paragraph(utterances, current),
                    &mut speaking,
                    &mut current,
                ),
                Command::PreviousParagraph => go(
                    super::reader::previous_paragraph(utterances, current),
                    &mut speaking,
                    &mut current,
                ),
                Command::First => go(0, &mut speaking, &mut current),
                Command::Last => go(n - 1, &mut speaking, &mut current),
                Command::Jump(i) => go(i, &mut speaking, &mut current),
                Command::Faster | Command::Slower => {
                    let step = if command == Command::Faster { 0.1 } else { -0.1 };
                    let wanted = ((rate + step) * 100.0).round() / 100.0;
                    match self.set_prosody(Some(wanted), None, None) {
                        Ok(()) => rate = wanted,
                        Err(e) => message = Some(e.to_string()),
                    }
                    continue;
                }
                Command::NextVoice => {
                    message = Some("the system service speaks with the voice --voice names".into());
                    continue;
                }
            }
            if !paused {
                asked = Some((command, Instant::now()));
            }
        }
    }
}

/// Map a multiple of normal onto the service's own scale: 0.5 → its
/// minimum, 1 → its normal value, 2 → its maximum, linearly in between.
/// (Services differ: speech-dispatcher's rate runs -100…100 with 0 normal.)
pub(crate) fn scaled(what: &str, m: f32, supported: bool, normal: f32, min: f32, max: f32) -> Result<f32> {
    if !supported {
        return Err(Error::Invalid(format!(
            "the system speech service cannot change the {what}"
        )));
    }
    if !m.is_finite() || !(0.5..=2.0).contains(&m) {
        return Err(Error::Prosody {
            what: match what {
                "rate" => "rate",
                "pitch" => "pitch",
                _ => "volume",
            },
            value: m,
            min: 0.5,
            max: 2.0,
        });
    }
    Ok(if m >= 1.0 {
        normal + (m - 1.0) * (max - normal)
    } else {
        normal - (1.0 - m) * 2.0 * (normal - min)
    })
}

#[cfg(test)]
mod tests {
    use super::scaled;

    #[test]
    fn scale_mapping() {
        assert_eq!(scaled("rate", 1.0, true, 0.0, -100.0, 100.0).unwrap(), 0.0);
        assert_eq!(scaled("rate", 2.0, true, 0.0, -100.0, 100.0).unwrap(), 100.0);
        assert_eq!(scaled("rate", 0.5, true, 0.0, -100.0, 100.0).unwrap(), -100.0);
        assert_eq!(scaled("rate", 1.5, true, 0.5, 0.1, 2.0).unwrap(), 1.25);
        assert!(scaled("rate", 3.0, true, 0.0, -100.0, 100.0).is_err());
        assert!(scaled("pitch", 1.0, false, 0.0, -100.0, 100.0).is_err());
    }
}
