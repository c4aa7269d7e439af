//! Neural voices measured on this machine (feature `neural`): model load,
//! time to first audio (load + the engine's first samples of the first
//! sentence, which `listen` plays as they come; the whole first sentence
//! too),
//! real-time factor with one and two ONNX Runtime threads on the seeds'
//! sentences, against Pico; and the peak memory of exporting 20 sentences of
//! a 1 MB article through the real binary.
//!
//! Run: `cargo build --release --features neural && cargo run --release
//! --features neural --example neural_bench -- VOICE...` with the voices
//! installed by `hark voices add` (e.g. piper-en-us-joe-medium
//! kokoro-af-heart) and ONNX Runtime findable (see the README).

use hark::frontend::{literal_utterances, Reading};
use hark::speech::{self, CountingSink, Prosody, RenderOptions};
use std::time::Instant;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dirs = hark::config::Dirs::from_env();
    let mut names: Vec<String> = std::env::args().skip(1).collect();
    names.insert(0, "pico-en-us".into());
    let seed = std::fs::read_to_string(format!("{root}/examples/001_4b6f62f767aa35ac.txt")).unwrap();
    let article = hark::Article::read(
        hark::Source::Bytes {
            name: "001".into(),
            bytes: seed.clone().into_bytes(),
        },
        &Default::default(),
    )
    .unwrap();
    let sentences: Vec<String> = article.sentences().iter().take(12).map(|s| s.text.clone()).collect();
    let text = sentences.join(" ");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "== {} sentences of seed 001 ({} words), {cores} cores",
        sentences.len(),
        text.split_whitespace().count()
    );
    for name in &names {
        let Ok(mut voice) = speech::find_voice(&dirs, name) else {
            println!("{name}: not installed");
            continue;
        };
        let utts = literal_utterances(&text, &Reading::for_language(&voice.language));
        for threads in [1, 2] {
            voice.inference.threads = Some(threads);
            let t0 = Instant::now();
            let mut synth = match speech::open(&voice, Prosody::default()) {
                Ok(s) => s,
                Err(e) => {
                    println!("{name}: {e}");
                    break;
                }
            };
            let load = t0.elapsed().as_secs_f64();
            let mut first_audio = None;
            synth
                .synthesize(&utts[0].spoken, &mut |pcm| {
                    if !pcm.is_empty() && first_audio.is_none() {
                        first_audio = Some(t0.elapsed().as_secs_f64());
                    }
                    Ok(())
                })
                .unwrap();
            let first_sentence = t0.elapsed().as_secs_f64();
            let first_audio = first_audio.unwrap_or(first_sentence);
            let t1 = Instant::now();
            let mut sink = CountingSink::default();
            speech::render_all(synth.as_mut(), &utts, RenderOptions::default(), &mut sink).unwrap();
            let secs = t1.elapsed().as_secs_f64();
            let audio = sink.samples as f64 / synth.sample_rate() as f64;
            println!(
                "{name}, {threads} thread(s): load {:.0} ms, first audio {:.0} ms (first sentence {:.0} ms), {audio:.1} s of audio in {secs:.2} s = {:.1}x real time",
                load * 1000.0,
                first_audio * 1000.0,
                first_sentence * 1000.0,
                audio / secs
            );
            if voice.engine == speech::EngineKind::Pico {
                break;
            }
        }
    }
    let bin = format!("{root}/target/release/hark");
    if !std::path::Path::new(&bin).exists() {
        println!("(build target/release/hark with --features neural for the memory figure)");
        return;
    }
    println!("== peak memory exporting 20 sentences of a 1 MB article");
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.txt");
    let mut body = String::new();
    let mut i = 0;
    while body.len() < 1 << 20 {
        body.push_str(&format!("Part {i}.\n\n{seed}\n\n"));
        i += 1;
    }
    std::fs::write(&big, &body).unwrap();
    for name in &names {
        let t0 = Instant::now();
        let o = std::process::Command::new(&bin)
            .args(["export", "-v", "--voice", name, "--sentences", "1-20", "--force", "-o"])
            .arg(tmp.path().join("big.wav"))
            .arg(&big)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        let peak = err.lines().find(|l| l.contains("peak memory")).unwrap_or("(no figure)");
        println!("{name}: {:.1} s, {peak}", t0.elapsed().as_secs_f64());
    }
}
