//! The interactive reader, measured: time from start to first audio, and
//! from a key (skip, paragraph, rate, pause-resume, voice) to the first
//! sample of the new audio handed to the output, with the engine's
//! look-ahead as `hark listen` runs it. The output is a clock that plays
//! nothing (`NullOutput`), or a player program (`--player CMD`, e.g.
//! `'cat > /dev/null'` or `aplay …`), whose start-up then counts too.
//!
//! Run: `cargo run --release --example reader_bench [VOICE] [--player CMD]`
//! (VOICE default pico-en-us; a second voice of the language is used for `v`).

use hark::speech::reader::{read, Command, NullOutput, Output, ReaderOptions};
use hark::{Article, ReadOptions};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let player = args
        .iter()
        .position(|a| a == "--player")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let voice_name = args
        .iter()
        .find(|a| !a.starts_with("--") && Some(*a) != player.as_ref())
        .cloned()
        .unwrap_or_else(|| "pico-en-us".into());
    let dirs = hark::config::Dirs::from_env();
    let voice = hark::speech::find_voice(&dirs, &voice_name).expect("voice");
    let mut voices = vec![voice.clone()];
    if let Ok(all) = hark::speech::catalog(&dirs) {
        voices.extend(
            all.into_iter()
                .filter(|v| v.name != voice.name && v.language.get(..2) == voice.language.get(..2))
                .filter(|v| hark::speech::open(v, Default::default()).is_ok())
                .take(1),
        );
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let article = Article::read(
        format!("{root}/examples/001_4b6f62f767aa35ac.txt").as_str(),
        &ReadOptions::default(),
    )
    .expect("seed");
    let utts = article.utterances(&article.select(&[]).unwrap(), &Default::default());
    let mut options = ReaderOptions::new(voice);
    options.voices = voices;
    // What a listener does, one key every 0.7 s once audio plays.
    let keys = [
        Command::Next,
        Command::Next,
        Command::Faster,
        Command::Next,
        Command::Previous,
        Command::NextParagraph,
        Command::TogglePause,
        Command::TogglePause,
        Command::Slower,
        Command::PreviousParagraph,
        Command::NextVoice,
        Command::Next,
        Command::Jump(10),
        Command::Next,
        Command::First,
        Command::Last,
    ];
    let mut rounds = Vec::new();
    for round in 0..3 {
        let mut output: Box<dyn Output> = match &player {
            Some(cmd) => Box::new(hark::speech::external::PlayerOutput::new(
                hark::speech::external::Player::command(cmd),
            )),
            None => Box::new(NullOutput::realtime()),
        };
        let mut k = 0;
        let mut last = Instant::now();
        let mut paused_since: Option<Instant> = None;
        let outcome = read(&utts, &options, output.as_mut(), &mut |state, wait| {
            std::thread::sleep(wait);
            if state.waiting || k >= keys.len() {
                return Ok((k >= keys.len()).then_some(Command::Quit));
            }
            let gap = if paused_since.is_some() { 0.3 } else { 0.7 };
            if last.elapsed() < Duration::from_secs_f64(gap) {
                return Ok(None);
            }
            last = Instant::now();
            let c = keys[k];
            k += 1;
            paused_since = match (c, paused_since) {
                (Command::TogglePause, None) => Some(Instant::now()),
                _ => None,
            };
            Ok(Some(c))
        })
        .expect("read");
        println!(
            "round {round}: first audio {:.1} ms; {} commands",
            outcome.first_audio.unwrap_or_default().as_secs_f64() * 1000.0,
            outcome.latencies.len()
        );
        rounds.push(outcome);
    }
    let mut by_kind: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for o in &rounds {
        for (c, d) in &o.latencies {
            let name = match c {
                Command::Jump(_) => "Jump".to_string(),
                other => format!("{other:?}"),
            };
            by_kind.entry(name).or_default().push(d.as_secs_f64() * 1000.0);
        }
    }
    let mut all: Vec<f64> = by_kind.values().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    println!(
        "key to new audio, ms (output: {}):",
        player.as_deref().unwrap_or("clock only")
    );
    for (kind, mut v) in by_kind {
        v.sort_by(f64::total_cmp);
        println!(
            "  {kind:<18} n={:<3} median {:>6.1}  max {:>6.1}",
            v.len(),
            v[v.len() / 2],
            v[v.len() - 1]
        );
    }
    if !all.is_empty() {
        println!(
            "  all                n={:<3} median {:>6.1}  max {:>6.1}",
            all.len(),
            all[all.len() / 2],
            all[all.len() - 1]
        );
    }
}
