//! Listening without the `playback` feature: 16-bit PCM streamed to the
//! platform's own player (PipeWire `pw-play`, PulseAudio `paplay`, ALSA
//! `aplay`), or to a command the user names (`$HARK_PLAYER`, `--player`).
//!
//! A worker synthesizes sentence after sentence into the player's standard
//! input, which the pipe and the player keep a second or two ahead of what
//! sounds; the calling thread reports each sentence as it starts, by the
//! clock since the first sample went out, and stops the player at once when
//! cancelled.

use super::voice::{Prosody, Voice};
use super::{AudioSink, RenderOptions};
use crate::error::{Error, Result};
use crate::frontend::Utterance;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A program that plays raw PCM from its standard input.
#[derive(Debug, Clone)]
pub struct Player {
    /// How it is named in messages (`aplay`, or the command given).
    pub name: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// A known player found on the PATH.
    Known(PathBuf),
    /// A shell command; `{rate}` stands for the sample rate.
    Shell(String),
}

/// The players hark knows, in the order it tries them.
const KNOWN: [&str; 3] = ["pw-play", "paplay", "aplay"];

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

impl Player {
    /// The player to use: `$HARK_PLAYER` (a shell command reading s16le
    /// mono PCM on standard input, `{rate}` replaced by the sample rate),
    /// else the first of pw-play, paplay, aplay on the PATH.
    pub fn find() -> Option<Player> {
        if let Some(cmd) = std::env::var("HARK_PLAYER").ok().filter(|c| !c.trim().is_empty()) {
            return Some(Player::command(&cmd));
        }
        KNOWN.iter().find_map(|name| {
            on_path(name).map(|p| Player {
                name: (*name).to_string(),
                kind: Kind::Known(p),
            })
        })
    }

    /// A shell command that plays s16le mono PCM from standard input;
    /// `{rate}` in it is replaced by the sample rate.
    pub fn command(cmd: &str) -> Player {
        Player {
            name: cmd.to_string(),
            kind: Kind::Shell(cmd.to_string()),
        }
    }

    fn spawn(&self, rate: u32) -> Result<Child> {
        let mut c = match &self.kind {
            Kind::Shell(cmd) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(cmd.replace("{rate}", &rate.to_string()));
                c
            }
            Kind::Known(path) => {
                let mut c = Command::new(path);
                let r = rate.to_string();
                match self.name.as_str() {
                    "pw-play" => c.args(["--rate", &r, "--channels", "1", "--format", "s16", "-"]),
                    "paplay" => c.args(["--raw", &format!("--rate={r}"), "--channels=1", "--format=s16le"]),
                    _ => c.args(["-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", &r, "-"]),
                };
                c
            }
        };
        c.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
        c.spawn()
            .map_err(|e| Error::AudioDevice(format!("cannot start the player {}: {e}", self.name)))
    }
}

/// What [`play_with`] reports once done.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExternalReport {
    /// The player used.
    pub player: String,
    /// When the first sample went to the player.
    pub first_audio: Option<Instant>,
    /// Samples sent.
    pub samples: u64,
}

struct Pipe {
    stdin: std::process::ChildStdin,
    sent: Arc<AtomicU64>,
    first: Arc<Mutex<Option<Instant>>>,
    stop: Arc<AtomicBool>,
    buf: Vec<u8>,
}

impl AudioSink for Pipe {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        self.buf.clear();
        self.buf.extend(pcm.iter().flat_map(|s| s.to_le_bytes()));
        // Small writes, so that a stop is noticed within a fraction of a second.
        for chunk in self.buf.chunks(4096) {
            if self.stop.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            self.stdin
                .write_all(chunk)
                .map_err(|e| Error::AudioDevice(format!("the player stopped taking audio ({e})")))?;
            let mut first = self.first.lock().unwrap_or_else(|p| p.into_inner());
            if first.is_none() {
                *first = Some(Instant::now());
            }
        }
        self.sent.fetch_add(pcm.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

enum Event {
    Sentence(usize, u64),
    Done(Result<u64>),
}

/// Speak `utterances` with `voice` through `player`. `on_sentence(i)` is
/// called as utterance `i` starts to sound (by the clock: the player gives
/// no position); `cancelled()` is polled every few milliseconds and stops
/// the player at once. A player that cannot start or fails is
/// [`Error::AudioDevice`], with what it printed.
pub fn play_with(
    player: &Player,
    voice: &Voice,
    prosody: Prosody,
    utterances: &[Utterance],
    options: RenderOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
    on_sentence: &mut dyn FnMut(usize) -> Result<()>,
) -> Result<ExternalReport> {
    super::check_prosody(voice, prosody)?;
    let rate = voice.sample_rate.max(1);
    let mut child = player.spawn(rate)?;
    let stdin = child.stdin.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let sent = Arc::new(AtomicU64::new(0));
    let first = Arc::new(Mutex::new(None));
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let outcome = std::thread::scope(|scope| {
        let mut pipe = Pipe {
            stdin,
            sent: Arc::clone(&sent),
            first: Arc::clone(&first),
            stop: Arc::clone(&stop),
            buf: Vec::new(),
        };
        let worker_stop = Arc::clone(&stop);
        let worker = scope.spawn(move || {
            let stopped = || worker_stop.load(Ordering::Relaxed);
            let tx2 = tx.clone();
            let result = super::render_live(
                voice,
                prosody,
                utterances,
                options,
                &mut pipe,
                &stopped,
                &mut |i, start| {
                    let _ = tx2.send(Event::Sentence(i, start));
                },
            );
            drop(pipe); // end of input: the player plays out and exits
            let _ = tx.send(Event::Done(result));
        });
        let mut pending = std::collections::VecDeque::new();
        let mut done: Option<u64> = None;
        let result = loop {
            if cancelled() {
                break Err(Error::Interrupted);
            }
            while let Ok(ev) = rx.try_recv() {
                match ev {
                    Event::Sentence(i, start) => pending.push_back((i, start)),
                    Event::Done(Ok(n)) => done = Some(n),
                    Event::Done(Err(e)) => {
                        stop.store(true, Ordering::Relaxed);
                        let _ = child.kill();
                        return Err(e);
                    }
                }
            }
            let exited = matches!(child.try_wait(), Ok(Some(_)));
            // Where playback is, by the clock since the first sample (the
            // whole input once the player has finished).
            let heard = if exited {
                u64::MAX
            } else {
                let since = first
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .map_or(0.0, |t| t.elapsed().as_secs_f64());
                ((since * rate as f64) as u64).min(sent.load(Ordering::Relaxed))
            };
            if let Err(e) = super::report_heard(&mut pending, heard, on_sentence) {
                break Err(e);
            }
            if exited && done.is_none() {
                // The worker may not have said it is done yet: wait for it
                // (its next write to the closed pipe fails at once).
                match rx.recv_timeout(Duration::from_secs(5)) {
                    Ok(Event::Done(Ok(n))) => done = Some(n),
                    Ok(Event::Sentence(i, start)) => {
                        pending.push_back((i, start));
                        continue;
                    }
                    Ok(Event::Done(Err(e))) => break Err(e),
                    Err(_) => {}
                }
                if done.is_some() {
                    continue;
                }
            }
            if exited {
                break match done {
                    Some(_) if pending.is_empty() => Ok(()),
                    // The player quit before the end of the input.
                    _ => Err(Error::AudioDevice(format!("the player {} stopped early", player.name))),
                };
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        stop.store(true, Ordering::Relaxed);
        if result.is_err() {
            let _ = child.kill();
        }
        let _ = worker.join();
        result
    });
    let status = child.wait();
    let printed = errors.join().unwrap_or_default();
    match outcome {
        Err(Error::AudioDevice(msg)) => return Err(Error::AudioDevice(with_tail(msg, &printed))),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    if let Ok(s) = status {
        if !s.success() {
            return Err(Error::AudioDevice(with_tail(
                format!("the player {} failed ({s})", player.name),
                &printed,
            )));
        }
    }
    let first_audio = *first.lock().unwrap_or_else(|p| p.into_inner());
    Ok(ExternalReport {
        player: player.name.clone(),
        first_audio,
        samples: sent.load(Ordering::Relaxed),
    })
}

/// Where a player stream's clock stands: when its first sample went out
/// (moved on when the player was starved) and how many went out.
#[derive(Default)]
struct Clock {
    origin: Option<Instant>,
    sent: u64,
}

struct PlayerStream {
    child: Child,
    rate: u32,
    tx: Option<mpsc::Sender<Vec<i16>>>,
    writer: Option<std::thread::JoinHandle<()>>,
    errors: Option<std::thread::JoinHandle<String>>,
    clock: Arc<Mutex<Clock>>,
    failed: Arc<Mutex<Option<String>>>,
    stopping: Arc<AtomicBool>,
}

/// A player program as a [`reader::Output`](super::reader::Output): each
/// stream is one run of the player, fed through its standard input by a
/// writer thread; a stop kills it at once. Where playback is comes from the
/// clock since the first sample went out (the player tells nothing), moved
/// on whenever the player was left waiting for audio.
pub struct PlayerOutput {
    player: Player,
    stream: Option<PlayerStream>,
}

impl PlayerOutput {
    /// Play through `player`.
    pub fn new(player: Player) -> PlayerOutput {
        PlayerOutput { player, stream: None }
    }
}

impl PlayerStream {
    fn close(mut self, kill: bool) -> Result<()> {
        self.stopping.store(kill, Ordering::Relaxed);
        drop(self.tx.take());
        if kill {
            let _ = self.child.kill();
        }
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        let status = self.child.wait();
        let printed = self.errors.take().and_then(|e| e.join().ok()).unwrap_or_default();
        if kill {
            return Ok(());
        }
        if let Some(msg) = self.failed.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(Error::AudioDevice(with_tail(msg, &printed)));
        }
        match status {
            Ok(s) if !s.success() => Err(Error::AudioDevice(with_tail(
                format!("the player failed ({s})"),
                &printed,
            ))),
            _ => Ok(()),
        }
    }
}

/// `msg`, with the last line the player printed, if any.
fn with_tail(msg: String, printed: &str) -> String {
    match printed.trim().lines().last() {
        Some(l) => format!("{msg}: {l}"),
        None => msg,
    }
}

impl super::reader::Output for PlayerOutput {
    fn start(&mut self, rate: u32) -> Result<()> {
        self.stop();
        let rate = rate.max(1);
        let mut child = self.player.spawn(rate)?;
        let mut stdin = child.stdin.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let errors = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let clock = Arc::new(Mutex::new(Clock::default()));
        let failed = Arc::new(Mutex::new(None));
        let stopping = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel::<Vec<i16>>();
        let (c, f, s) = (Arc::clone(&clock), Arc::clone(&failed), Arc::clone(&stopping));
        let writer = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            for pcm in rx {
                for piece in pcm.chunks(2048) {
                    {
                        // Starved: the sound stopped while nothing came,
                        // so the clock's origin moves on by the gap.
                        let mut clock = c.lock().unwrap_or_else(|p| p.into_inner());
                        if let Some(origin) = clock.origin {
                            let due = origin.elapsed().as_secs_f64() * rate as f64;
                            let gap = due - clock.sent as f64;
                            if gap > 0.0 {
                                clock.origin = Some(origin + Duration::from_secs_f64(gap / rate as f64));
                            }
                        }
                    }
                    bytes.clear();
                    bytes.extend(piece.iter().flat_map(|s| s.to_le_bytes()));
                    if let Err(e) = stdin.write_all(&bytes) {
                        if !s.load(Ordering::Relaxed) {
                            *f.lock().unwrap_or_else(|p| p.into_inner()) =
                                Some(format!("the player stopped taking audio ({e})"));
                        }
                        return;
                    }
                    let mut clock = c.lock().unwrap_or_else(|p| p.into_inner());
                    clock.origin.get_or_insert_with(Instant::now);
                    clock.sent += piece.len() as u64;
                }
            }
        });
        self.stream = Some(PlayerStream {
            child,
            rate,
            tx: Some(tx),
            writer: Some(writer),
            errors: Some(errors),
            clock,
            failed,
            stopping,
        });
        Ok(())
    }

    fn push(&mut self, pcm: &[i16]) -> Result<()> {
        let Some(s) = &mut self.stream else {
            return Err(Error::AudioDevice("no player stream is open".into()));
        };
        if s.tx.as_ref().is_some_and(|tx| tx.send(pcm.to_vec()).is_ok()) {
            Ok(())
        } else {
            Err(self.fail())
        }
    }

    fn played(&mut self) -> Result<u64> {
        let Some(s) = &mut self.stream else { return Ok(0) };
        let failed = s.failed.lock().unwrap_or_else(|p| p.into_inner()).is_some();
        if failed || matches!(s.child.try_wait(), Ok(Some(_))) {
            return Err(self.fail());
        }
        let clock = s.clock.lock().unwrap_or_else(|p| p.into_inner());
        let due = clock
            .origin
            .map_or(0, |o| (o.elapsed().as_secs_f64() * s.rate as f64) as u64);
        Ok(due.min(clock.sent))
    }

    fn stop(&mut self) {
        if let Some(s) = self.stream.take() {
            let _ = s.close(true);
        }
    }

    fn drain(&mut self) -> Result<()> {
        match self.stream.take() {
            Some(s) => s.close(false),
            None => Ok(()),
        }
    }

    fn name(&self) -> String {
        self.player.name.clone()
    }
}

impl PlayerOutput {
    /// The player quit or refused audio: close the stream and say why.
    fn fail(&mut self) -> Error {
        let name = self.player.name.clone();
        match self.stream.take().map(|s| s.close(false)) {
            Some(Err(Error::AudioDevice(m))) => Error::AudioDevice(format!("{name}: {m}")),
            _ => Error::AudioDevice(format!("the player {name} stopped early")),
        }
    }
}

impl Drop for PlayerOutput {
    fn drop(&mut self) {
        super::reader::Output::stop(self);
    }
}
