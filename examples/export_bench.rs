//! Export at scale, measured on this machine: articles per minute with one
//! and two threads (the five seeds, and pages of the 181-page extraction
//! benchmark when `../shared` is present), the cost of encoding each audio
//! format, and the peak memory of exporting from a 100 MB input.
//!
//! Run: `cargo build --release && cargo run --release --example export_bench [PAGES]`
//! (PAGES: how many benchmark pages, default 40).

use hark::export::{Batch, ExportOptions, OutputSpec};
use hark::speech::{AudioFile, AudioFormat, AudioSink, Tags};
use std::io::Read;
use std::time::Instant;

fn batch(inputs: &[std::path::PathBuf], jobs: usize, out: &std::path::Path) -> (f64, usize, f64) {
    let dirs = hark::config::Dirs::from_env();
    let voice = hark::speech::find_voice(&dirs, "pico-en-us").expect("pico-en-us");
    let mut b = Batch::new(
        inputs.iter().map(|p| p.as_path().into()).collect(),
        ExportOptions::new(voice),
    );
    b.output = OutputSpec::Dir(out.to_path_buf());
    b.jobs = jobs;
    b.resume = false;
    b.options.force = true;
    let t0 = Instant::now();
    let report = b.run(&Default::default()).expect("batch");
    let secs = t0.elapsed().as_secs_f64();
    let ok: Vec<_> = report.manifests().collect();
    let audio: f64 = ok.iter().map(|m| m.duration()).sum();
    (secs, ok.len(), audio)
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let pages: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(40);
    let tmp = tempfile::tempdir().unwrap();
    let seeds: Vec<_> = std::fs::read_dir(format!("{root}/examples"))
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then_some(p)
        })
        .collect();

    println!("== articles per minute (pico-en-us, WAV, whole articles)");
    for jobs in [1, 2] {
        let (secs, n, audio) = batch(&seeds, jobs, &tmp.path().join(format!("seeds{jobs}")));
        println!(
            "seeds, {jobs} thread(s): {n} articles in {secs:.2} s = {:.1} articles/min ({audio:.0} s of audio, {:.0}x real time)",
            n as f64 / secs * 60.0,
            audio / secs
        );
    }
    let bench = std::path::Path::new(root).join("../shared/eval/extraction/html");
    if bench.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&bench).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        let dir = tmp.path().join("pages");
        std::fs::create_dir(&dir).unwrap();
        let mut inputs = Vec::new();
        for f in files.iter().take(pages) {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(f).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            let name = f
                .file_name()
                .unwrap()
                .to_string_lossy()
                .trim_end_matches(".gz")
                .to_string();
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            inputs.push(p);
        }
        for jobs in [1, 2] {
            let (secs, n, audio) = batch(&inputs, jobs, &tmp.path().join(format!("pages{jobs}")));
            println!(
                "{} benchmark pages, {jobs} thread(s): {n} exported in {secs:.2} s = {:.1} articles/min ({audio:.0} s of audio)",
                inputs.len(),
                n as f64 / secs * 60.0
            );
        }
    } else {
        println!("(../shared/eval/extraction not here: benchmark pages skipped)");
    }

    println!("== encoding cost per format (the five seeds' audio, 16 kHz mono)");
    let dirs = hark::config::Dirs::from_env();
    let voice = hark::speech::find_voice(&dirs, "pico-en-us").unwrap();
    let mut pcm: Vec<i16> = Vec::new();
    for s in &seeds {
        let a = hark::Article::read(s.as_path(), &Default::default()).unwrap();
        let u = a.utterances(&a.select(&[]).unwrap(), &Default::default());
        let mut synth = hark::speech::open(&voice, Default::default()).unwrap();
        hark::speech::render_all(synth.as_mut(), &u, Default::default(), &mut pcm).unwrap();
    }
    let audio_secs = pcm.len() as f64 / 16000.0;
    for f in [AudioFormat::Wav, AudioFormat::Flac, AudioFormat::Opus, AudioFormat::Mp3] {
        if !f.compiled_in() {
            println!("{f}: not built (feature {})", f.feature().unwrap_or("?"));
            continue;
        }
        let path = tmp.path().join(format!("enc.{}", f.extension()));
        let t0 = Instant::now();
        let mut file = AudioFile::create(&path, f, 16000, true).unwrap();
        for c in pcm.chunks(4096) {
            file.write(c).unwrap();
        }
        file.commit(&Tags::default(), true).unwrap();
        let secs = t0.elapsed().as_secs_f64();
        let size = std::fs::metadata(&path).unwrap().len();
        println!(
            "{f}: {audio_secs:.0} s of audio in {:.3} s ({:.0}x real time), {:.2} MB ({:.1} kbit/s)",
            secs,
            audio_secs / secs,
            size as f64 / 1e6,
            size as f64 * 8.0 / audio_secs / 1000.0
        );
    }

    println!("== peak memory exporting from a 100 MB input (first 20 sentences, --despin off)");
    let bin = format!("{root}/target/release/hark");
    if std::path::Path::new(&bin).exists() {
        let big = tmp.path().join("big.txt");
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 100 << 20 {
            for s in &seeds {
                let t = std::fs::read_to_string(s).unwrap();
                text.push_str(&format!("Part {i}.\n\n{t}\n\n"));
                i += 1;
            }
        }
        std::fs::write(&big, &text).unwrap();
        let t0 = Instant::now();
        let o = std::process::Command::new(&bin)
            .args([
                "export",
                "-v",
                "--despin",
                "off",
                "--sentences",
                "1-20",
                "--force",
                "-o",
            ])
            .arg(tmp.path().join("big.wav"))
            .arg(&big)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        let peak = err.lines().find(|l| l.contains("peak memory")).unwrap_or("(no figure)");
        println!(
            "{} MB input: {:.1} s, {peak}",
            text.len() >> 20,
            t0.elapsed().as_secs_f64()
        );
    } else {
        println!("(build target/release/hark first for the memory figure)");
    }
}
