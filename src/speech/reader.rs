//! Interactive reading: the sentences of an article played with pause,
//! skip, rate and voice changes, as a reader app does.
//!
//! [`read`] runs the loop that `hark listen` uses on a terminal. A worker
//! thread synthesizes the sentence being played and the next few ahead
//! ([`ReaderOptions::look_ahead`]), so a skip finds its audio ready; it
//! hands a sentence over in parts while still making it (levelled by
//! [`Leveler::feed`]), so a jump further away starts at once, and while
//! idle it opens the next voice ahead. The loop feeds an [`Output`] about
//! half a second ahead of what sounds, so a pause stops within that much
//! and a rate change reaches the next sentence not yet queued. Where
//! playback is comes from the output's own count of samples played, and a
//! pause resumes from that sample, not from the start of the sentence.
//!
//! The caller supplies the commands (keys, in the CLI) and the view: the
//! same loop runs in tests with [`NullOutput`] and a fake clock.

use super::voice::{Prosody, Voice};
use super::{Leveler, RenderOptions};
use crate::error::{Error, Result};
use crate::frontend::Utterance;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the reader is told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// Pause, or resume where the pause was.
    TogglePause,
    /// The next sentence.
    Next,
    /// The previous sentence.
    Previous,
    /// The first sentence of the next paragraph.
    NextParagraph,
    /// The start of this paragraph, or of the one before when already at its start.
    PreviousParagraph,
    /// Speak faster, from the next sentence on.
    Faster,
    /// Speak slower, from the next sentence on.
    Slower,
    /// The next of [`ReaderOptions::voices`], from this sentence on.
    NextVoice,
    /// The first sentence.
    First,
    /// The last sentence.
    Last,
    /// The sentence at this index into the utterances.
    Jump(usize),
    /// Stop reading.
    Quit,
}

/// Where live audio goes: a stream that can be started, fed, asked how far
/// it has played, and stopped at once.
pub trait Output {
    /// Begin a new stream of 16-bit mono samples at `rate` Hz; whatever an
    /// earlier stream held is gone.
    fn start(&mut self, rate: u32) -> Result<()>;
    /// Queue samples after those already queued. Must not block for long.
    fn push(&mut self, pcm: &[i16]) -> Result<()>;
    /// Samples of the current stream heard so far. An error when the
    /// device has gone away.
    fn played(&mut self) -> Result<u64>;
    /// Fall silent at once and drop what is queued.
    fn stop(&mut self);
    /// Let what is queued play out, then close the stream (the end of the
    /// article).
    fn drain(&mut self) -> Result<()> {
        Ok(())
    }
    /// How the output is named in messages.
    fn name(&self) -> String;
}

/// An output that plays nothing and keeps time by a clock: samples count as
/// heard as the clock passes, never ahead of what was pushed. For tests,
/// benchmarks and dry runs.
pub struct NullOutput {
    clock: Box<dyn Fn() -> Duration>,
    started: Duration,
    rate: u32,
    pushed: u64,
    /// Every stream started, with the samples pushed into it.
    pub streams: Vec<u64>,
}

impl NullOutput {
    /// Keep time by `clock` (e.g. a fake clock a test advances).
    pub fn new(clock: Box<dyn Fn() -> Duration>) -> NullOutput {
        NullOutput {
            clock,
            started: Duration::ZERO,
            rate: 1,
            pushed: 0,
            streams: Vec::new(),
        }
    }

    /// Keep time by the real clock.
    pub fn realtime() -> NullOutput {
        let t0 = Instant::now();
        NullOutput::new(Box::new(move || t0.elapsed()))
    }
}

impl Output for NullOutput {
    fn start(&mut self, rate: u32) -> Result<()> {
        self.rate = rate.max(1);
        self.started = (self.clock)();
        self.pushed = 0;
        self.streams.push(0);
        Ok(())
    }
    fn push(&mut self, pcm: &[i16]) -> Result<()> {
        // Run dry: the silence it played does not count as samples heard.
        let now = (self.clock)();
        let due = now.saturating_sub(self.started).as_secs_f64() * self.rate as f64;
        if due > self.pushed as f64 {
            self.started += Duration::from_secs_f64((due - self.pushed as f64) / self.rate as f64);
        }
        self.pushed += pcm.len() as u64;
        if let Some(n) = self.streams.last_mut() {
            *n += pcm.len() as u64;
        }
        Ok(())
    }
    fn played(&mut self) -> Result<u64> {
        let t = (self.clock)().saturating_sub(self.started);
        Ok(((t.as_secs_f64() * self.rate as f64) as u64).min(self.pushed))
    }
    fn stop(&mut self) {
        self.pushed = 0;
    }
    fn name(&self) -> String {
        "no audio".into()
    }
}

/// How [`read`] reads.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReaderOptions {
    /// The voices it can switch between; it starts with the first.
    pub voices: Vec<Voice>,
    /// Rate, pitch and volume to start with.
    pub prosody: Prosody,
    /// Silences and loudness.
    pub render: RenderOptions,
    /// The utterance to start at.
    pub start: usize,
    /// Sentences synthesized ahead of the one playing.
    pub look_ahead: usize,
    /// Step of [`Command::Faster`] and [`Command::Slower`].
    pub rate_step: f32,
}

impl ReaderOptions {
    /// Read with `voice`, from the first sentence.
    pub fn new(voice: Voice) -> ReaderOptions {
        ReaderOptions {
            voices: vec![voice],
            prosody: Prosody::default(),
            render: RenderOptions::default(),
            start: 0,
            look_ahead: 3,
            rate_step: 0.1,
        }
    }
}

/// What the view shows, handed to the caller on every turn of the loop.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct State {
    /// The utterance sounding (or about to, or paused at).
    pub current: usize,
    /// How many utterances there are.
    pub total: usize,
    /// Paused by the user.
    pub paused: bool,
    /// Waiting for audio (the sentence is being synthesized).
    pub waiting: bool,
    /// The speaking rate asked for (1.0 = the voice's own).
    pub rate: f32,
    /// The voice speaking.
    pub voice: String,
    /// Seconds of the article before the current position.
    pub elapsed_secs: f64,
    /// Seconds of the whole, estimated from what is synthesized so far.
    pub total_secs: f64,
    /// Something to tell the user (a refused rate, a voice that failed).
    pub message: Option<String>,
}

/// How a reading ended.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Outcome {
    /// The utterance sounding when it ended.
    pub position: usize,
    /// Read to the end (not quit).
    pub finished: bool,
    /// From the start of [`read`] to the first sample given to the output.
    pub first_audio: Option<Duration>,
    /// For each skip, pause-resume and voice change: from the command to
    /// the first sample of the new audio given to the output.
    pub latencies: Vec<(Command, Duration)>,
}

/// The paragraph (and passage) an utterance belongs to.
fn block(utterances: &[Utterance], i: usize) -> (usize, usize) {
    let u = &utterances[i.min(utterances.len().saturating_sub(1))];
    (u.passage, u.paragraph)
}

/// Where [`Command::NextParagraph`] goes from utterance `i`: the first
/// utterance of the next paragraph (or passage), else the last one.
///
/// ```
/// use hark::{Article, ReadOptions};
/// use hark::speech::reader::{next_paragraph, previous_paragraph};
/// let a = Article::from_bytes("t", b"One. Two.\n\nThree. Four.", &ReadOptions::default())?;
/// let u = a.utterances(&a.select(&[])?, &Default::default());
/// assert_eq!(next_paragraph(&u, 0), 2);
/// assert_eq!(previous_paragraph(&u, 3), 2);
/// assert_eq!(previous_paragraph(&u, 2), 0);
/// # Ok::<(), hark::Error>(())
/// ```
pub fn next_paragraph(utterances: &[Utterance], i: usize) -> usize {
    let n = utterances.len();
    let here = block(utterances, i);
    (i..n)
        .find(|&j| block(utterances, j) != here)
        .unwrap_or(n.saturating_sub(1))
}

/// Where [`Command::PreviousParagraph`] goes from utterance `i`: the start
/// of its paragraph, or of the one before when `i` is that start.
pub fn previous_paragraph(utterances: &[Utterance], i: usize) -> usize {
    let start_of = |i: usize| {
        let here = block(utterances, i);
        (0..=i)
            .rev()
            .take_while(|&j| block(utterances, j) == here)
            .last()
            .unwrap_or(i)
    };
    let start = start_of(i);
    if start < i || start == 0 {
        start
    } else {
        start_of(start - 1)
    }
}

/// Synthesized sentences, shared between the loop and the worker.
struct Work {
    /// Bumped when rate or voice change: audio made for an older one is not kept.
    generation: u64,
    voice: usize,
    prosody: Prosody,
    /// What to make, most urgent first.
    want: Vec<usize>,
    /// Made for the current generation: samples and their rate.
    made: HashMap<usize, (Arc<[i16]>, u32)>,
    /// The sentence being made, as far as it is levelled: it can start
    /// playing before its end is made.
    partial: Option<Partial>,
    /// Seconds per byte of text, measured (for the total estimate).
    secs: HashMap<usize, f64>,
    /// Bumped on each measurement added to `secs`.
    measured: u64,
    error: Option<Error>,
    quit: bool,
}

/// The start of a sentence still being made, for the current generation
/// (a new one clears it, and the worker hands over no older audio).
struct Partial {
    index: usize,
    pcm: Vec<i16>,
    rate: u32,
}

struct Shared {
    work: Mutex<Work>,
    /// Mirrors of `Work::generation` and `Work::quit`, read by the engine's
    /// callback so that a sentence no longer wanted stops being made.
    generation: AtomicU64,
    quit: AtomicBool,
    /// Bumped whenever `Work::want` changes, so the engine's callback looks
    /// at the list (under the lock) only when it may have changed.
    wanted: AtomicU64,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Work> {
        self.work.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Levelled audio is handed to the loop in parts of at least this many
/// seconds (the last part of a sentence may be shorter).
const PART_SECS: f64 = 0.05;

/// An engine opened for a voice and prosody, with its stream's leveller.
struct Engine {
    voice: usize,
    prosody: Prosody,
    synth: Box<dyn super::Synthesizer>,
    leveler: Option<Leveler>,
}

fn open_engine(voices: &[Voice], voice: usize, prosody: Prosody, render: RenderOptions) -> Result<Engine> {
    let synth = super::open(&voices[voice], prosody)?;
    let leveler = render.loudness.map(|l| Leveler::new(l, synth.sample_rate()));
    Ok(Engine {
        voice,
        prosody,
        synth,
        leveler,
    })
}

/// Engines cheap to keep open: the next voice is opened ahead for them, so
/// `v` does not wait for it (a neural voice's model is not loaded unasked).
fn cheap(voice: &Voice) -> bool {
    matches!(voice.engine, super::EngineKind::Pico | super::EngineKind::Flite)
}

/// The worker: makes the wanted sentences, one engine at a time, and
/// while idle opens the next voice ahead.
fn synthesize(shared: &Shared, utterances: &[Utterance], voices: &[Voice], render: RenderOptions) {
    let mut engines: Vec<Engine> = Vec::new();
    let mut pcm = Vec::new();
    loop {
        let (generation, index, voice, prosody) = {
            let mut w = shared.lock();
            loop {
                if w.quit {
                    return;
                }
                if let Some(&i) = w.want.iter().find(|i| !w.made.contains_key(i)) {
                    break (w.generation, i, w.voice, w.prosody);
                }
                // Idle: open the next voice ahead, if it is cheap to keep.
                let next = (w.voice + 1) % voices.len();
                let prosody = w.prosody;
                let ahead = next != w.voice
                    && cheap(&voices[next])
                    && !engines.iter().any(|e| e.voice == next && e.prosody == prosody);
                if ahead {
                    drop(w);
                    if let Ok(e) = open_engine(voices, next, prosody, render) {
                        engines.push(e);
                    }
                    w = shared.lock();
                    continue;
                }
                w = shared.wake.wait(w).unwrap_or_else(|p| p.into_inner());
            }
        };
        // Keep the engines of this prosody: this voice's and the next's.
        engines.retain(|e| e.prosody == prosody);
        let at = match engines.iter().position(|e| e.voice == voice) {
            Some(at) => at,
            None => match open_engine(voices, voice, prosody, render) {
                Ok(e) => {
                    engines.push(e);
                    engines.len() - 1
                }
                Err(e) => {
                    shared.lock().error = Some(e);
                    return;
                }
            },
        };
        let Engine { synth, leveler, .. } = &mut engines[at];
        let rate = synth.sample_rate();
        let part = (PART_SECS * rate as f64) as usize;
        pcm.clear();
        let mut published = 0;
        let mut wanted = shared.wanted.load(Ordering::Relaxed);
        // Hand what is levelled to the loop, in parts.
        let publish = |pcm: &[i16], published: &mut usize| {
            let mut w = shared.lock();
            if w.generation != generation {
                return;
            }
            match &mut w.partial {
                Some(p) if p.index == index => p.pcm.extend_from_slice(&pcm[*published..]),
                _ => {
                    w.partial = Some(Partial {
                        index,
                        pcm: pcm.to_vec(),
                        rate,
                    })
                }
            }
            *published = pcm.len();
        };
        let said = synth.synthesize(&utterances[index].spoken, &mut |p: &[i16]| {
            if shared.quit.load(Ordering::Relaxed) || shared.generation.load(Ordering::Relaxed) != generation {
                return Err(Error::Interrupted);
            }
            // A skip elsewhere: this sentence may no longer be wanted.
            let now = shared.wanted.load(Ordering::Relaxed);
            if now != wanted {
                wanted = now;
                if !shared.lock().want.contains(&index) {
                    return Err(Error::Interrupted);
                }
            }
            match leveler {
                Some(l) => pcm.extend(l.feed(p)),
                None => pcm.extend_from_slice(p),
            }
            if pcm.len() >= published + part.max(1) {
                publish(&pcm, &mut published);
            }
            Ok(())
        });
        if said.is_ok() {
            if let Some(l) = leveler.as_mut() {
                pcm.extend(l.finish());
            }
        } else if let Some(l) = leveler.as_mut() {
            l.abandon();
        }
        let mut w = shared.lock();
        w.partial = None;
        match said {
            Err(_) if w.quit || w.generation != generation || !w.want.contains(&index) => {} // given up on
            Err(e) => {
                w.error = Some(e);
                return;
            }
            Ok(()) if w.generation == generation => {
                let bytes = utterances[index].spoken.len().max(1) as f64;
                w.secs.insert(index, pcm.len() as f64 / rate.max(1) as f64 / bytes);
                w.measured += 1;
                w.made.insert(index, (pcm.as_slice().into(), rate));
            }
            Ok(()) => {} // made for a rate or voice no longer wanted
        }
    }
}

/// A piece of the current stream: a sentence from some sample on, or a pause.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// First sample in the stream.
    at: u64,
    /// The utterance, or None for a silence.
    index: Option<usize>,
    /// Where in the sentence's audio the piece begins.
    offset: usize,
}

/// How far ahead of what sounds the output is fed, in seconds.
const AHEAD_SECS: f64 = 0.5;
/// A resume backs up this much, covering what the player held.
const RESUME_BACKUP_SECS: f64 = 0.15;
/// How long the loop waits for a command between looks at playback.
const TICK: Duration = Duration::from_millis(15);

/// Read `utterances` aloud into `output`, under the caller's commands.
///
/// `next` is called on every turn with the [`State`] to show and how long
/// it may wait; it returns the command given in that time, if any. The loop
/// ends at the end of the article or at [`Command::Quit`].
///
/// ```
/// use hark::speech::reader::{read, Command, NullOutput, ReaderOptions};
/// use hark::{Article, ReadOptions};
/// let article = Article::from_bytes("t", b"One. Two. Three.", &ReadOptions::default())?;
/// let utts = article.utterances(&article.select(&[])?, &Default::default());
/// let voice = hark::speech::find_voice(&hark::config::Dirs::from_env(), "pico-en-us")?;
/// let mut turns = 0;
/// let outcome = read(&utts, &ReaderOptions::new(voice), &mut NullOutput::realtime(), &mut |state, _| {
///     turns += 1;
///     // Skip to the last sentence at once, then quit when it sounds.
///     Ok(Some(match (turns, state.current) { (1, _) => Command::Last, (_, 2) => Command::Quit, _ => return Ok(None) }))
/// })?;
/// assert_eq!(outcome.position, 2);
/// # Ok::<(), hark::Error>(())
/// ```
pub fn read(
    utterances: &[Utterance],
    options: &ReaderOptions,
    output: &mut dyn Output,
    next: &mut dyn FnMut(&State, Duration) -> Result<Option<Command>>,
) -> Result<Outcome> {
    if options.voices.is_empty() {
        return Err(Error::Invalid("the reader was given no voice".into()));
    }
    if utterances.is_empty() {
        return Ok(Outcome {
            finished: true,
            ..Outcome::default()
        });
    }
    let mut prosody = options.prosody;
    super::check_prosody(&options.voices[0], prosody)?;
    let n = utterances.len();
    let shared = Shared {
        work: Mutex::new(Work {
            generation: 0,
            voice: 0,
            prosody,
            want: Vec::new(),
            made: HashMap::new(),
            partial: None,
            secs: HashMap::new(),
            measured: 0,
            error: None,
            quit: false,
        }),
        generation: AtomicU64::new(0),
        quit: AtomicBool::new(false),
        wanted: AtomicU64::new(0),
        wake: Condvar::new(),
    };
    let began = Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(|| synthesize(&shared, utterances, &options.voices, options.render));
        let mut run = Run {
            utterances,
            options,
            shared: &shared,
            output,
            voice: 0,
            paused: false,
            current: options.start.min(n.saturating_sub(1)),
            feed: (options.start.min(n), 0),
            silence_first: false,
            timeline: Vec::new(),
            pushed: 0,
            played: 0,
            stream_rate: None,
            asked_at: None,
            outcome: Outcome::default(),
            message: None,
            began,
            estimate: (None, Vec::new()),
            new_rate: None,
        };
        let mut result = {
            // The worker is told to stop also when `next` panics: else the
            // scope would wait for it for ever instead of unwinding.
            let _stop = StopWorker(&shared);
            run.go(&mut prosody, next)
        };
        match &result {
            Ok(()) if run.outcome.finished => {
                if let Err(e) = run.output.drain() {
                    result = Err(e);
                }
            }
            _ => run.output.stop(),
        }
        result.map(|()| run.outcome)
    })
}

/// Tells the worker to stop when dropped, on return or unwinding.
struct StopWorker<'a>(&'a Shared);

impl Drop for StopWorker<'_> {
    fn drop(&mut self) {
        let mut w = self.0.lock();
        w.quit = true;
        self.0.quit.store(true, Ordering::Relaxed);
        drop(w);
        self.0.wake.notify_all();
    }
}

struct Run<'a> {
    utterances: &'a [Utterance],
    options: &'a ReaderOptions,
    shared: &'a Shared,
    output: &'a mut dyn Output,
    voice: usize,
    paused: bool,
    /// The utterance sounding.
    current: usize,
    /// What is fed next: utterance and sample offset into it.
    feed: (usize, usize),
    /// The pause before `feed` is still to be fed.
    silence_first: bool,
    /// The pieces of the current stream, in order.
    timeline: Vec<Piece>,
    pushed: u64,
    /// Samples of the stream heard, at the last look.
    played: u64,
    stream_rate: Option<u32>,
    /// A command waiting for its new audio: (command, when).
    asked_at: Option<(Command, Instant)>,
    outcome: Outcome,
    message: Option<String>,
    began: Instant,
    /// Seconds before each utterance (and the whole, last), and what they
    /// were estimated from.
    estimate: (Option<(u64, u32)>, Vec<f64>),
    /// A rate asked for, made from the next sentence boundary on.
    new_rate: Option<Prosody>,
}

impl Run<'_> {
    fn go(
        &mut self,
        prosody: &mut Prosody,
        next: &mut dyn FnMut(&State, Duration) -> Result<Option<Command>>,
    ) -> Result<()> {
        let n = self.utterances.len();
        loop {
            if let Some(e) = self.shared.lock().error.take() {
                return Err(e);
            }
            if self.feed.1 == 0 {
                if let Some(p) = self.new_rate.take() {
                    self.regenerate(p);
                }
            }
            self.want();
            if !self.paused {
                self.fill()?;
            }
            let played = self.locate()?;
            let drained = self.stream_rate.is_none() || played >= self.pushed;
            if self.feed.0 >= n && drained && !self.paused {
                self.outcome.finished = true;
                self.outcome.position = self.current;
                return Ok(());
            }
            let state = self.state(*prosody);
            let Some(command) = next(&state, TICK)? else { continue };
            self.message = None;
            match command {
                Command::Quit => {
                    self.outcome.position = self.current;
                    return Ok(());
                }
                Command::TogglePause if self.paused => {
                    self.paused = false;
                    self.asked_at = Some((command, Instant::now()));
                }
                Command::TogglePause => self.pause()?,
                Command::Next => self.jump(self.current + 1, command),
                Command::Previous => self.jump(self.current.saturating_sub(1), command),
                Command::NextParagraph => self.jump(next_paragraph(self.utterances, self.current), command),
                Command::PreviousParagraph => self.jump(previous_paragraph(self.utterances, self.current), command),
                Command::First => self.jump(0, command),
                Command::Last => self.jump(n.saturating_sub(1), command),
                Command::Jump(i) => self.jump(i, command),
                Command::Faster | Command::Slower => {
                    let step = if command == Command::Faster {
                        self.options.rate_step
                    } else {
                        -self.options.rate_step
                    };
                    let wanted = Prosody {
                        rate: ((prosody.rate + step) * 100.0).round() / 100.0,
                        ..*prosody
                    };
                    match super::check_prosody(&self.options.voices[self.voice], wanted) {
                        Ok(_) if (0.3..=3.0).contains(&wanted.rate) => {
                            *prosody = wanted;
                            // What is queued plays at the old rate; what is
                            // not yet queued is made again. A sentence partly
                            // queued (playing while made, or paused inside)
                            // ends at the old rate first: its rest is not in
                            // the new audio at the same sample.
                            self.new_rate = Some(*prosody);
                        }
                        _ => self.message = Some(format!("rate {:.2} is as far as this voice goes", prosody.rate)),
                    }
                }
                Command::NextVoice => {
                    if self.options.voices.len() < 2 {
                        self.message = Some("no other voice for this language".into());
                        continue;
                    }
                    let next_voice = (self.voice + 1) % self.options.voices.len();
                    match super::check_prosody(&self.options.voices[next_voice], *prosody) {
                        Ok(_) => {
                            self.voice = next_voice;
                            self.new_rate = None;
                            self.regenerate(*prosody);
                            self.jump(self.current, command);
                        }
                        Err(e) => self.message = Some(e.to_string()),
                    }
                }
            }
        }
    }

    /// Paragraph (and passage) of an utterance.
    fn block(&self, i: usize) -> (usize, usize) {
        block(self.utterances, i)
    }

    /// Drop what was made for the old rate or voice and start a new generation.
    fn regenerate(&mut self, prosody: Prosody) {
        let mut w = self.shared.lock();
        w.generation += 1;
        self.shared.generation.store(w.generation, Ordering::Relaxed);
        w.voice = self.voice;
        w.prosody = prosody;
        w.made.clear();
        w.partial = None;
        self.shared.wake.notify_all();
    }

    /// Tell the worker what is needed, most urgent first, and forget audio
    /// far behind.
    fn want(&mut self) {
        let n = self.utterances.len();
        let from = self.feed.0;
        let mut want: Vec<usize> = (from..(from + 1 + self.options.look_ahead).min(n)).collect();
        if self.current > 0 {
            want.push(self.current - 1);
        }
        let keep_from = self.current.saturating_sub(2);
        let mut w = self.shared.lock();
        let old = from.min(self.current);
        w.made
            .retain(|&i, _| i >= keep_from.min(old) && i <= from + self.options.look_ahead + 1);
        if w.want != want {
            w.want = want;
            self.shared.wanted.fetch_add(1, Ordering::Relaxed);
            self.shared.wake.notify_all();
        }
    }

    /// Keep the output fed about [`AHEAD_SECS`] ahead of what sounds.
    fn fill(&mut self) -> Result<()> {
        let n = self.utterances.len();
        let played = match self.stream_rate {
            Some(_) => self.output.played()?,
            None => 0,
        };
        loop {
            if self.feed.0 >= n {
                return Ok(());
            }
            let rate = self.stream_rate.unwrap_or(0) as f64;
            if self.stream_rate.is_some() && (self.pushed.saturating_sub(played)) as f64 > AHEAD_SECS * rate {
                return Ok(());
            }
            // The sentence's samples from `from` on: all of it made (shared,
            // not copied), or a copy of what is levelled so far while it is
            // being made. `pcm[skip..]` is what is fed.
            let (pcm, skip, from, pcm_rate, whole) = {
                let w = self.shared.lock();
                match w.made.get(&self.feed.0) {
                    Some((pcm, rate)) => {
                        let from = self.feed.1.min(pcm.len());
                        (Arc::clone(pcm), from, from, *rate, true)
                    }
                    None => match &w.partial {
                        Some(p) if p.index == self.feed.0 && p.pcm.len() > self.feed.1 => {
                            (Arc::from(&p.pcm[self.feed.1..]), 0, self.feed.1, p.rate, false)
                        }
                        _ => return Ok(()),
                    },
                }
            };
            let pcm = &pcm[skip..];
            if self.stream_rate != Some(pcm_rate) {
                if self.stream_rate.is_some() && played < self.pushed {
                    return Ok(()); // let the old stream play out first
                }
                self.restart(pcm_rate)?;
            }
            if self.silence_first && self.feed.0 > 0 {
                let prev = self.block(self.feed.0 - 1);
                let ms = if prev != self.block(self.feed.0) {
                    self.options.render.pauses.paragraph_ms
                } else {
                    self.options.render.pauses.sentence_ms
                };
                let zeros = vec![0i16; (pcm_rate as u64 * ms as u64 / 1000) as usize];
                self.timeline.push(Piece {
                    at: self.pushed,
                    index: None,
                    offset: 0,
                });
                self.output.push(&zeros)?;
                self.pushed += zeros.len() as u64;
            }
            self.silence_first = false;
            self.timeline.push(Piece {
                at: self.pushed,
                index: Some(self.feed.0),
                offset: from,
            });
            self.output.push(pcm)?;
            self.pushed += pcm.len() as u64;
            let now = Instant::now();
            if self.outcome.first_audio.is_none() {
                self.outcome.first_audio = Some(now - self.began);
            }
            if let Some((c, t)) = self.asked_at.take() {
                self.outcome.latencies.push((c, now - t));
            }
            if !whole {
                // The rest when it is made.
                self.feed.1 = from + pcm.len();
                return Ok(());
            }
            self.feed = (self.feed.0 + 1, 0);
            self.silence_first = true;
        }
    }

    fn restart(&mut self, rate: u32) -> Result<()> {
        if self.stream_rate.is_some() {
            self.output.stop();
        }
        self.timeline.clear();
        self.pushed = 0;
        self.played = 0;
        self.output.start(rate)?;
        self.stream_rate = Some(rate);
        Ok(())
    }

    /// Where playback is: updates `current`, returns the samples played.
    fn locate(&mut self) -> Result<u64> {
        if self.stream_rate.is_none() || self.paused {
            return Ok(0);
        }
        let played = self.output.played()?;
        self.played = played;
        if let Some(p) = self.timeline.iter().rev().find(|p| p.at <= played && p.index.is_some()) {
            self.current = p.index.unwrap_or(self.current);
        }
        Ok(played)
    }

    /// Stop the stream where it is; resuming goes on from that sample.
    fn pause(&mut self) -> Result<()> {
        let played = self.locate()?;
        let rate = self.stream_rate.unwrap_or(1) as f64;
        let piece = self.timeline.iter().rev().find(|p| p.at <= played).copied();
        self.feed = match piece {
            Some(Piece {
                index: Some(i),
                at,
                offset,
            }) => {
                let into = offset as u64 + (played - at);
                let backed = into.saturating_sub((RESUME_BACKUP_SECS * rate) as u64);
                (
                    i,
                    if backed < (RESUME_BACKUP_SECS * rate) as u64 {
                        0
                    } else {
                        backed as usize
                    },
                )
            }
            // In a pause between sentences: resume at the next one.
            Some(Piece { index: None, .. }) => {
                let next = self.timeline.iter().find(|p| p.at > played && p.index.is_some());
                (next.and_then(|p| p.index).unwrap_or(self.feed.0), 0)
            }
            None => (self.current, 0),
        };
        self.silence_first = false;
        self.stop_stream();
        self.paused = true;
        Ok(())
    }

    fn stop_stream(&mut self) {
        if self.stream_rate.take().is_some() {
            self.output.stop();
        }
        self.timeline.clear();
        self.pushed = 0;
        self.played = 0;
    }

    /// Go to utterance `to` (clamped), from its first sample. Paused stays paused.
    fn jump(&mut self, to: usize, command: Command) {
        let to = to.min(self.utterances.len().saturating_sub(1));
        self.stop_stream();
        self.current = to;
        self.feed = (to, 0);
        self.silence_first = false;
        if !self.paused {
            self.asked_at = Some((command, Instant::now()));
        }
    }

    fn state(&mut self, prosody: Prosody) -> State {
        let w = self.shared.lock();
        let n = self.utterances.len();
        let waiting = !self.paused
            && self.feed.0 < n
            && !w.made.contains_key(&self.feed.0)
            && (self.stream_rate.is_none() || self.played >= self.pushed);
        // The estimate changes only when a sentence is measured (or the
        // rate before any is): summed again then, not on every turn.
        let key = (w.measured, prosody.rate.to_bits());
        if self.estimate.0 != Some(key) {
            let per_byte = if w.secs.is_empty() {
                0.06 / prosody.rate.max(0.1) as f64
            } else {
                w.secs.values().sum::<f64>() / w.secs.len() as f64
            };
            let mut sum = 0.0;
            let mut before = Vec::with_capacity(n + 1);
            before.push(0.0);
            for (i, u) in self.utterances.iter().enumerate() {
                sum += u.spoken.len().max(1) as f64 * w.secs.get(&i).copied().unwrap_or(per_byte);
                before.push(sum);
            }
            self.estimate = (Some(key), before);
        }
        let before = &self.estimate.1;
        State {
            current: self.current,
            total: n,
            paused: self.paused,
            waiting,
            rate: prosody.rate,
            voice: self.options.voices[self.voice].name.clone(),
            elapsed_secs: before[self.current.min(n)],
            total_secs: before[n],
            message: self.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Article, ReadOptions};
    use std::sync::atomic::AtomicU64;

    /// Records every stream and keeps time by a fake clock in microseconds.
    struct Recorder {
        clock: Arc<AtomicU64>,
        started: u64,
        rate: u32,
        streams: Vec<Vec<i16>>,
        stopped: usize,
    }

    impl Output for Recorder {
        fn start(&mut self, rate: u32) -> Result<()> {
            self.rate = rate;
            self.started = self.clock.load(Ordering::SeqCst);
            self.streams.push(Vec::new());
            Ok(())
        }
        fn push(&mut self, pcm: &[i16]) -> Result<()> {
            let now = self.clock.load(Ordering::SeqCst);
            let len = self.streams.last().map_or(0, |s| s.len() as u64);
            let due = (now - self.started) * self.rate as u64 / 1_000_000;
            if due > len {
                self.started += (due - len) * 1_000_000 / self.rate as u64;
            }
            self.streams.last_mut().expect("started").extend_from_slice(pcm);
            Ok(())
        }
        fn played(&mut self) -> Result<u64> {
            let us = self.clock.load(Ordering::SeqCst) - self.started;
            let len = self.streams.last().map_or(0, |s| s.len() as u64);
            Ok((us * self.rate as u64 / 1_000_000).min(len))
        }
        fn stop(&mut self) {
            self.stopped += 1;
        }
        fn name(&self) -> String {
            "recorder".into()
        }
    }

    fn article() -> (Vec<Utterance>, Voice) {
        let text = "The first sentence of the test article is long enough to be paused in the middle of it. \
                    A second one follows.\n\nA new paragraph starts here. It ends the article.";
        let a = Article::from_bytes("t", text.as_bytes(), &ReadOptions::default()).unwrap();
        let utts = a.utterances(&a.select(&[]).unwrap(), &Default::default());
        let voice = super::super::find_voice(&crate::config::Dirs::from_env(), "pico-en-us").unwrap();
        (utts, voice)
    }

    /// Drive the reader with `script(turn, state) -> command`, the fake
    /// clock moving 15 ms a turn.
    fn drive(
        utts: &[Utterance],
        options: &ReaderOptions,
        script: &mut dyn FnMut(usize, &State) -> Option<Command>,
    ) -> (Outcome, Recorder, Vec<State>) {
        let clock = Arc::new(AtomicU64::new(0));
        let mut rec = Recorder {
            clock: Arc::clone(&clock),
            started: 0,
            rate: 1,
            streams: Vec::new(),
            stopped: 0,
        };
        let mut seen = Vec::new();
        let mut turn = 0;
        let outcome = read(utts, options, &mut rec, &mut |state, wait| {
            turn += 1;
            assert!(turn < 200_000, "the reader never finished");
            seen.push(state.clone());
            // Fake time passes only once the sentence is there, so that a
            // slow engine in a debug build does not change what is heard.
            if !state.waiting {
                clock.fetch_add(wait.as_micros() as u64, Ordering::SeqCst);
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(script(turn, state))
        })
        .unwrap();
        (outcome, rec, seen)
    }

    #[test]
    fn reads_to_the_end_with_pauses_between_sentences() {
        let (utts, voice) = article();
        let (outcome, rec, seen) = drive(&utts, &ReaderOptions::new(voice), &mut |_, _| None);
        assert!(outcome.finished);
        assert_eq!(outcome.position, utts.len() - 1);
        // Every sentence was current in turn, in order.
        let mut order: Vec<usize> = seen.iter().map(|s| s.current).collect();
        order.dedup();
        assert_eq!(order, (0..utts.len()).collect::<Vec<_>>());
        // One stream, holding sentence audio and the silences between.
        assert_eq!(rec.streams.len(), 1);
        assert!(rec.streams[0].len() > 16_000 * 3);
        // It begins with the first sentence whole, however it was handed
        // over while being made: no part lost, none twice.
        let first = levelled(&article().1, &utts[0].spoken);
        assert_eq!(&rec.streams[0][..first.len()], &first[..]);
        assert!(
            rec.streams[0][first.len()..first.len() + 1600].iter().all(|&s| s == 0),
            "then a pause"
        );
    }

    /// A sentence as the reader makes it: synthesized and levelled in parts.
    fn levelled(voice: &Voice, text: &str) -> Vec<i16> {
        levelled_at(voice, Prosody::default(), text)
    }

    fn levelled_at(voice: &Voice, prosody: Prosody, text: &str) -> Vec<i16> {
        let mut synth = super::super::open(voice, prosody).unwrap();
        let mut leveler = Leveler::new(Default::default(), synth.sample_rate());
        let mut out = Vec::new();
        synth
            .synthesize(text, &mut |p: &[i16]| {
                out.extend(leveler.feed(p));
                Ok(())
            })
            .unwrap();
        out.extend(leveler.finish());
        out
    }

    #[test]
    fn a_pause_resumes_where_it_stopped_not_at_the_sentence_start() {
        let (utts, voice) = article();
        let options = ReaderOptions::new(voice.clone());
        let mut paused_at = None;
        let mut resumed = false;
        let mut heard_turns = 0;
        let (outcome, rec, seen) = drive(&utts, &options, &mut |_, state| {
            if !state.waiting {
                heard_turns += 1;
            }
            let turn = heard_turns;
            // Pause 1.5 s into the first sentence, wait 3 s, resume, quit at sentence 2.
            match (paused_at, resumed) {
                (None, _) if !state.waiting && turn > 100 => {
                    paused_at = Some(turn);
                    Some(Command::TogglePause)
                }
                (Some(t), false) if turn > t + 200 => {
                    resumed = true;
                    Some(Command::TogglePause)
                }
                (Some(_), true) if state.current == 1 => Some(Command::Quit),
                _ => None,
            }
        });
        assert!(!outcome.finished);
        assert_eq!(outcome.position, 1);
        assert!(seen.iter().any(|s| s.paused && s.current == 0));
        // The first sentence alone, as the reader makes it.
        let first = levelled(&voice, &utts[0].spoken);
        let rate = super::super::open(&voice, Prosody::default()).unwrap().sample_rate();
        assert_eq!(rec.streams.len(), 2, "one stream before the pause, one after");
        // The second stream starts inside the first sentence, 0.15 s before
        // where it was paused: not at its start.
        let second = &rec.streams[1];
        let k = (1..first.len() - 800)
            .find(|&k| first[k..k + 800] == second[..800])
            .expect("the resumed audio is the rest of the first sentence");
        let secs = k as f64 / rate as f64;
        assert!((1.0..1.6).contains(&secs), "resumed {secs:.2} s into the sentence");
    }

    #[test]
    fn skips_paragraphs_and_rate_changes_reach_the_next_sentence() {
        let (utts, voice) = article();
        let options = ReaderOptions::new(voice);
        let mut step = 0;
        let (outcome, _, seen) = drive(&utts, &options, &mut |_, state| {
            if state.waiting {
                return None;
            }
            let c = match step {
                0 => Some(Command::NextParagraph),
                1 if state.current == 2 => Some(Command::Faster),
                2 if state.rate > 1.05 => Some(Command::PreviousParagraph),
                3 if state.current == 2 => Some(Command::PreviousParagraph),
                4 if state.current == 0 => Some(Command::Last),
                _ => None,
            };
            if c.is_some() {
                step += 1;
            }
            c
        });
        assert_eq!(step, 5, "every command was taken");
        assert!(outcome.finished);
        assert_eq!(outcome.position, 3);
        assert!(seen.iter().any(|s| s.current == 2 && (s.rate - 1.1).abs() < 1e-6));
        assert_eq!(outcome.latencies.len(), 4);
    }

    #[test]
    fn a_rate_change_while_paused_inside_a_sentence_finishes_it_at_the_old_rate() {
        let (utts, voice) = article();
        let options = ReaderOptions::new(voice.clone());
        let mut step = 0;
        let mut heard = 0;
        let (_, rec, _) = drive(&utts, &options, &mut |_, state| {
            if !state.waiting {
                heard += 1;
            }
            let c = match step {
                0 if !state.waiting && heard > 100 => Some(Command::TogglePause),
                1 => Some(Command::Faster),
                2 => Some(Command::TogglePause),
                3 if state.current == 2 => Some(Command::Quit),
                _ => None,
            };
            if c.is_some() {
                step += 1;
            }
            c
        });
        assert_eq!(step, 4, "every command was taken");
        let first = levelled(&voice, &utts[0].spoken);
        let second = &rec.streams[1];
        // The resumed stream: the rest of sentence 0 as it was made (at
        // rate 1.0), a pause, then sentence 1 made at the new rate.
        let k = (1..first.len() - 800)
            .find(|&k| first[k..k + 800] == second[..800])
            .expect("the resumed audio is the rest of the first sentence");
        let rest = first.len() - k;
        assert!(second[..rest] == first[k..], "the first sentence ends at its own rate");
        let faster = levelled_at(
            &voice,
            Prosody {
                rate: 1.1,
                ..Prosody::default()
            },
            &utts[1].spoken,
        );
        // After the pause between them (its length is the reader's).
        assert!(
            (rest..rest + 16_000).any(|at| second.get(at..at + faster.len()) == Some(&faster[..])),
            "sentence 1 is not the one made at the new rate"
        );
    }
}
