//! Whole-command speech figures, measured on this machine:
//!
//! 1. real-time factor of export per voice on the five seeds, one thread
//!    (audio seconds / CPU seconds of this process), library path incl. WAV writing;
//! 2. end-to-end `hark export` of two seeds, one job vs two in parallel;
//! 3. peak memory of `hark export` on a 1 MB article;
//! 4. time to first audio: text in memory → clean → select → engine start
//!    → first PCM chunk (what `listen` hands the device), median of 20.
//!
//! Run: `cargo build --release && cargo run --release --example speech_bench`
//! (add `--features flite` to both for the Flite voice).
use hark::export;
use hark::speech::{self, Prosody};

fn find(name: &str) -> hark::speech::Voice {
    speech::find_voice(&hark::config::Dirs::from_env(), name).unwrap()
}
use std::process::Command;
use std::time::Instant;

fn seed_paths() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

fn utterances(text: &str) -> Vec<hark::frontend::Utterance> {
    let article = hark::Article::from_bytes("bench", text.as_bytes(), &Default::default()).unwrap();
    let sel = article.select(&[]).unwrap();
    article.utterances(&sel, &Default::default())
}

/// CPU seconds used by this process so far (Linux /proc; falls back to 0).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let hark_bin = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/hark");
    let tmp = tempfile::tempdir().unwrap();
    let seeds = seed_paths();

    println!("1. export real-time factor, 5 seeds, one thread");
    let mut voices = vec!["pico-en-us", "pico-en-gb"];
    if cfg!(feature = "flite") {
        voices.push("flite-slt");
    }
    for name in voices {
        let voice = find(name);
        let mut opts = export::ExportOptions::new(voice.clone());
        opts.force = true;
        let (mut audio, c0, t0) = (0.0, cpu_secs(), Instant::now());
        for _ in 0..3 {
            for p in &seeds {
                let utts = utterances(&std::fs::read_to_string(p).unwrap());
                let target = tmp.path().join("rtf.wav");
                let m = export::export_utterances("seed", &utts, &target, &voice, &opts, &|| false).unwrap();
                audio += m.duration();
            }
        }
        let (cpu, wall) = (cpu_secs() - c0, t0.elapsed().as_secs_f64());
        println!(
            "   {name:11} {audio:7.1} s audio in {cpu:5.2} s CPU ({wall:5.2} s wall): {:5.0}x real time (CPU), {:5.0}x (wall)",
            audio / cpu.max(1e-9),
            audio / wall
        );
    }

    if !std::path::Path::new(hark_bin).exists() {
        println!("(build the binary with `cargo build --release` for figures 2 and 3)");
    } else {
        println!("2. hark export of two equal articles (seed 003 twice), -j 1 vs -j 2");
        let pair: Vec<_> = ["a.txt", "b.txt"].iter().map(|n| tmp.path().join(n)).collect();
        for p in &pair {
            std::fs::copy(&seeds[3], p).unwrap();
        }
        for jobs in ["1", "2"] {
            let out = tmp.path().join(format!("par{jobs}"));
            let t0 = Instant::now();
            let o = Command::new(hark_bin)
                .args(["export", "-q", "--json", "-f", "-j", jobs, "-o"])
                .arg(&out)
                .args(&pair)
                .output()
                .unwrap();
            let wall = t0.elapsed().as_secs_f64();
            let m: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
            let audio: f64 = m.iter().map(|m| m["outputs"][0]["duration"].as_f64().unwrap()).sum();
            println!(
                "   -j {jobs}: {audio:.1} s audio in {wall:.2} s wall = {:.0}x real time",
                audio / wall
            );
        }

        println!("3. peak memory, hark export of a 1 MB article");
        // Distinct paragraphs (the cleaner drops repeated ones): sentences
        // of the seeds recombined, four to a paragraph.
        let pool: Vec<String> = seeds
            .iter()
            .flat_map(|p| {
                let u = utterances(&std::fs::read_to_string(p).unwrap());
                u.into_iter()
                    .map(|u| u.text)
                    .filter(|s| s.split_whitespace().count() > 8)
            })
            .collect();
        let mut pool = pool;
        pool.sort();
        pool.dedup();
        let mut big = String::new();
        let mut rng: u64 = 0x9E3779B97F4A7C15;
        while big.len() < 1 << 20 {
            for _ in 0..4 {
                rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                big.push_str(&pool[(rng >> 33) as usize % pool.len()]);
                big.push(' ');
            }
            big.push_str("\n\n");
        }
        let input = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-1mb.txt"));
        std::fs::write(&input, &big).unwrap();
        let t0 = Instant::now();
        let o = Command::new(hark_bin)
            .args(["export", "-v", "-f", "-o"])
            .arg(tmp.path().join("big.wav"))
            .arg(&input)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        let peak = err.lines().find(|l| l.contains("peak memory")).unwrap_or("(no figure)");
        let wav = std::fs::metadata(tmp.path().join("big.wav"))
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "   {:.2} MB text → {:.0} MB WAV in {:.1} s; {peak}",
            big.len() as f64 / 1048576.0,
            wav as f64 / 1048576.0,
            t0.elapsed().as_secs_f64()
        );
    }

    println!("4. time to first audio (text in memory → first PCM chunk), median of 20");
    let text = std::fs::read_to_string(&seeds[1]).unwrap();
    let v = find(speech::DEFAULT_VOICE);
    let mut times = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        let utts = utterances(&text);
        let mut synth = speech::open(&v, Prosody::default()).unwrap();
        let mut first = None;
        let _ = synth.synthesize(&utts[0].spoken, &mut |pcm| {
            if !pcm.is_empty() && first.is_none() {
                first = Some(t0.elapsed());
                return Err(hark::Error::Interrupted);
            }
            Ok(())
        });
        times.push(first.unwrap().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("   median {:.1} ms, max {:.1} ms", times[10], times[19]);
}
