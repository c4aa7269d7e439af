//! The speech side through the real `hark` binary: export, speak, listen,
//! voices; WAVs read back with hound.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::SEEDS;

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hark"));
    c.args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn hark(args: &[&str]) -> Output {
    cmd(args).output().expect("run hark")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn seed(name: &str) -> String {
    format!("{}/examples/{name}.txt", root())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn read_wav(p: &Path) -> (hound::WavSpec, Vec<i16>) {
    let mut r = hound::WavReader::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let spec = r.spec();
    let s = r.samples::<i16>().collect::<Result<Vec<_>, _>>().unwrap();
    (spec, s)
}

fn rms(s: &[i16]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    (s.iter().map(|&x| (x as f64).powi(2)).sum::<f64>() / s.len() as f64).sqrt()
}

/// The longest run of samples at full scale.
fn longest_clipped_run(s: &[i16]) -> usize {
    let (mut best, mut cur) = (0, 0);
    for &x in s {
        if x == i16::MAX || x == i16::MIN {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Export every seed with `voice` and check the audio sentence by sentence.
fn check_voice_renders_seeds(voice: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let mut args = vec!["export", "--json", "-q", "--voice", voice, "-o", out];
    let seeds: Vec<String> = SEEDS.iter().map(|s| seed(s)).collect();
    args.extend(seeds.iter().map(String::as_str));
    let o = hark(&args);
    assert!(o.status.success(), "{voice}: {}", text(&o.stderr));
    let manifests: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(manifests.len(), SEEDS.len());
    for (m, name) in manifests.iter().zip(SEEDS) {
        let out = &m["outputs"][0];
        let path = PathBuf::from(out["path"].as_str().unwrap());
        assert_eq!(path, dir.path().join(format!("{name}.wav")));
        let (spec, pcm) = read_wav(&path);
        assert_eq!(
            (
                spec.channels,
                spec.bits_per_sample,
                spec.sample_rate,
                spec.sample_format
            ),
            (1, 16, 16000, hound::SampleFormat::Int),
            "{name}"
        );
        assert_eq!(pcm.len() as u64, out["samples"].as_u64().unwrap(), "{name}");
        assert!(longest_clipped_run(&pcm) < 3, "{voice} {name}: clipped run");
        let sentences = out["sentences"].as_array().unwrap();
        assert!(sentences.len() > 5, "{name}");
        let mut words = 0;
        for s in sentences {
            let (a, b) = (s["start"].as_f64().unwrap(), s["end"].as_f64().unwrap());
            let seg = &pcm[(a * 16000.0) as usize..((b * 16000.0) as usize).min(pcm.len())];
            // Real speech in every sentence: not silence, not a NaN turned to zeros.
            assert!(rms(seg) > 300.0, "{voice} {name}: silent sentence {s}");
            let zeros = seg.iter().filter(|&&x| x == 0).count();
            assert!(zeros * 2 < seg.len(), "{voice} {name}: mostly zeros in {s}");
            words += s["text"].as_str().unwrap().split_whitespace().count();
        }
        let wps = words as f64 / out["duration"].as_f64().unwrap();
        assert!((2.0..=6.0).contains(&wps), "{voice} {name}: {wps:.2} words/s");
        eprintln!("{voice} {name}: {} sentences, {wps:.2} words/s", sentences.len());
    }
}

#[test]
fn pico_en_us_renders_every_seed() {
    check_voice_renders_seeds("pico-en-us");
}

#[test]
fn pico_en_gb_renders_every_seed() {
    check_voice_renders_seeds("pico-en-gb");
}

#[cfg(feature = "flite")]
#[test]
fn flite_renders_every_seed() {
    check_voice_renders_seeds("flite-slt");
}

fn export_samples(extra: &[&str]) -> (Vec<u8>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.wav");
    let s = seed(SEEDS[1]);
    let mut args = vec!["export", "-q", &s, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = hark(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let bytes = std::fs::read(&out).unwrap();
    let n = read_wav(&out).1.len();
    (bytes, n)
}

#[test]
fn rate_changes_duration_the_right_way() {
    let (_, normal) = export_samples(&["--sentences", "1-4"]);
    let (_, fast) = export_samples(&["--sentences", "1-4", "--rate", "1.5"]);
    let (_, slow) = export_samples(&["--sentences", "1-4", "--rate", "0.7"]);
    eprintln!("samples: slow {slow}, normal {normal}, fast {fast}");
    assert!(fast < normal * 9 / 10, "fast {fast} vs {normal}");
    assert!(slow > normal * 11 / 10, "slow {slow} vs {normal}");
    let o = hark(&["export", &seed(SEEDS[1]), "--rate", "9", "-o", "/tmp/never.wav"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("--rate 9 is out of range"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn same_input_gives_byte_identical_output() {
    let (a, _) = export_samples(&[]);
    let (b, _) = export_samples(&[]);
    assert!(a == b, "two exports differ");
}

fn parse_srt_times(s: &str) -> Vec<(f64, f64, String)> {
    let t = |x: &str| {
        let (hms, ms) = x.split_once(',').unwrap();
        let p: Vec<f64> = hms.split(':').map(|v| v.parse().unwrap()).collect();
        p[0] * 3600.0 + p[1] * 60.0 + p[2] + ms.parse::<f64>().unwrap() / 1000.0
    };
    s.split("\n\n")
        .filter(|c| !c.trim().is_empty())
        .map(|cue| {
            let lines: Vec<&str> = cue.lines().collect();
            let (a, b) = lines[1].split_once(" --> ").unwrap();
            (t(a), t(b), lines[2..].join(" "))
        })
        .collect()
}

#[test]
fn subtitles_cover_every_sentence_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let s = seed(SEEDS[3]);
    let o = hark(&["export", "--json", "-q", &s, "-o", d, "--subtitles", "srt"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let sentences = m["outputs"][0]["sentences"].as_array().unwrap().clone();
    let srt = std::fs::read_to_string(dir.path().join(format!("{}.srt", SEEDS[3]))).unwrap();
    let cues = parse_srt_times(&srt);
    assert_eq!(cues.len(), sentences.len());
    let split = hark(&["select", "--json", &s]);
    let sel: serde_json::Value = serde_json::from_slice(&split.stdout).unwrap();
    let n_sentences: usize = sel["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sentences"].as_array().unwrap().len())
        .sum();
    assert_eq!(cues.len(), n_sentences, "one cue per sentence of the article");
    let mut last_end = 0.0;
    for (cue, s) in cues.iter().zip(&sentences) {
        assert!(cue.0 >= last_end, "overlap at {cue:?}");
        assert!(cue.1 > cue.0, "empty cue {cue:?}");
        assert!((cue.0 - s["start"].as_f64().unwrap()).abs() < 0.002);
        assert_eq!(
            cue.2,
            s["text"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        last_end = cue.1;
    }
    let vtt = hark(&["export", "-q", &s, "-o", d, "--subtitles", "vtt", "--force"]);
    assert!(vtt.status.success());
    let v = std::fs::read_to_string(dir.path().join(format!("{}.vtt", SEEDS[3]))).unwrap();
    assert!(v.starts_with("WEBVTT\n\n00:00:00.000 --> "), "{v}");
}

#[test]
fn per_passage_writes_one_file_per_passage() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let s = seed(SEEDS[1]);
    let o = hark(&["export", "-q", &s, "-o", d, "--paragraphs", "1,3", "--per-passage"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        files_in(dir.path()),
        vec![
            format!("{}.p01.wav", SEEDS[1]),
            format!("{}.p02.wav", SEEDS[1]),
            "hark-export.json".into()
        ]
    );
    for p in files_in(dir.path()).iter().filter(|p| p.ends_with(".wav")) {
        assert!(read_wav(&dir.path().join(p)).1.len() > 16000);
    }
    assert_eq!(
        text(&o.stdout).lines().count(),
        2,
        "stdout lists the written files: {}",
        text(&o.stdout)
    );
}

#[test]
fn existing_file_is_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.wav");
    std::fs::write(&out, b"precious").unwrap();
    let s = seed(SEEDS[2]);
    let o = hark(&["export", &s, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
    let o = hark(&["export", "-q", &s, "-o", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success());
    assert!(read_wav(&out).1.len() > 16000);
    assert_eq!(files_in(dir.path()), vec!["a.wav"]);
}

#[test]
fn unknown_voice_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.wav");
    let o = hark(&[
        "export",
        &seed(SEEDS[0]),
        "--voice",
        "hal9000",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("unknown voice 'hal9000'") && err.contains("pico-en-us"),
        "{err}"
    );
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn system_engine_cannot_export() {
    let o = hark(&["export", &seed(SEEDS[0]), "--engine", "system", "-o", "/tmp/x.wav"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("cannot render audio files"),
        "{}",
        text(&o.stderr)
    );
}

fn is_root() -> bool {
    // Root ignores directory permissions; probe instead of guessing.
    let d = tempfile::tempdir().unwrap();
    let ro = d.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    set_mode(&ro, 0o555);
    let writable = std::fs::write(ro.join("probe"), b"x").is_ok();
    set_mode(&ro, 0o755);
    writable
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A tmpfs mounted for the test (root only), unmounted on drop; the
/// second field keeps the mount point's parent alive until then.
struct Mount(PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl Mount {
    fn tmpfs(opts: &str) -> Option<Mount> {
        let d = tempfile::tempdir().ok()?;
        let p = d.path().join("m");
        std::fs::create_dir(&p).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", opts, "tmpfs", p.to_str()?])
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        ok.then_some(Mount(p, d))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn unwritable_output_directory_is_a_clear_error() {
    let keep = tempfile::tempdir().unwrap();
    let (dir, _mount): (PathBuf, Option<Mount>) = if !is_root() {
        let d = keep.path().join("ro");
        std::fs::create_dir(&d).unwrap();
        set_mode(&d, 0o555);
        (d, None)
    } else if let Some(m) = Mount::tmpfs("ro,size=1m") {
        (m.0.clone(), Some(m))
    } else {
        // Root without mount rights: a "directory" that is a file.
        let f = keep.path().join("file");
        std::fs::write(&f, b"").unwrap();
        (f, None)
    };
    let out = dir.join("a.wav");
    let o = hark(&["export", &seed(SEEDS[0]), "-o", out.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write in"), "{err}");
    assert!(!out.exists());
}

#[test]
fn full_disk_is_a_clear_error_and_leaves_no_partial_file() {
    let Some(m) = Mount::tmpfs("size=256k") else {
        eprintln!("cannot mount a tmpfs here; the full-disk case is covered by speech::wav's failing-writer test");
        return;
    };
    let o = hark(&["export", &seed(SEEDS[3]), "-o", m.0.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left"), "{err}");
    assert!(files_in(&m.0).is_empty(), "left behind: {:?}", files_in(&m.0));
}

#[test]
fn ctrl_c_stops_export_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A long article: the seeds many times over.
    let mut long = String::new();
    for _ in 0..40 {
        for s in SEEDS {
            long.push_str(&std::fs::read_to_string(seed(s)).unwrap());
            long.push_str("\n\n");
        }
    }
    let input = dir.path().join("long.txt");
    std::fs::write(&input, long).unwrap();
    let outdir = dir.path().join("out");
    let child = cmd(&["export", "-q", input.to_str().unwrap(), "-o", outdir.to_str().unwrap()])
        .spawn()
        .unwrap();
    // Wait until rendering has started (the temp file exists).
    let t0 = std::time::Instant::now();
    while t0.elapsed().as_secs() < 20 && (!outdir.exists() || files_in(&outdir).is_empty()) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(!files_in(&outdir).is_empty(), "export never started");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("interrupted"));
    assert!(files_in(&outdir).is_empty(), "left behind: {:?}", files_in(&outdir));
}

#[test]
fn speak_writes_literal_text_from_argument_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.wav");
    let o = hark(&[
        "speak",
        "Mr. Kim left. He met Putin.",
        "-o",
        a.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let texts: Vec<&str> = m["outputs"][0]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["Mr. Kim left.", "He met Putin."]);
    let b = dir.path().join("b.wav");
    let mut child = cmd(&["speak", "-", "-o", b.to_str().unwrap()])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"Mr. Kim left. He met Putin.").unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let o = hark(&["speak", "   ", "-o", b.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("nothing to speak"));
}

#[test]
fn voices_lists_embedded_voices() {
    let o = hark(&["voices", "--json"]);
    assert!(o.status.success());
    let v: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(v.iter().all(|e| e["schema"] == 1 && e["type"] == "voice"));
    for name in ["pico-en-us", "pico-en-gb"] {
        let e = v.iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(e["engine"], "pico");
        assert_eq!(e["origin"]["kind"], "embedded");
    }
    assert_eq!(v.iter().any(|e| e["name"] == "flite-slt"), cfg!(feature = "flite"));
    let table = text(&hark(&["voices", "--language", "en-GB"]).stdout);
    assert!(table.contains("pico-en-gb") && !table.contains("pico-en-us"), "{table}");
}

#[test]
fn user_voice_directory_adds_voices() {
    let dir = tempfile::tempdir().unwrap();
    let pico = dir.path().join("pico");
    std::fs::create_dir(&pico).unwrap();
    for f in ["en-GB_ta.bin", "en-GB_kh0_sg.bin"] {
        std::fs::copy(format!("{}/voices/pico/{f}", root()), pico.join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("my.toml"),
        "name = \"my-slow-gb\"\nlanguage = \"en-GB\"\nengine = \"pico\"\nsample_rate = 16000\n\
         [resources]\ntext_analysis = \"pico/en-GB_ta.bin\"\nsignal_generation = \"pico/en-GB_kh0_sg.bin\"\n\
         [defaults]\nrate = 0.8\n",
    )
    .unwrap();
    let out = dir.path().join("o.wav");
    let o = cmd(&[
        "speak",
        "Good evening.",
        "--voice",
        "my-slow-gb",
        "-o",
        out.to_str().unwrap(),
    ])
    .env("HARK_VOICES", dir.path())
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(read_wav(&out).1.len() > 8000);
}

/// The smallest ONNX header `voices add` accepts: IR version 8, opset 15.
const TINY_ONNX: &[u8] = &[0x08, 0x08, 0x3a, 0x00, 0x42, 0x02, 0x10, 0x0f];

#[test]
fn voices_add_and_remove_work_in_any_build() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let model = dir.path().join("xx_YY-tiny-low.onnx");
    std::fs::write(&model, TINY_ONNX).unwrap();
    std::fs::write(
        dir.path().join("xx_YY-tiny-low.onnx.json"),
        r#"{"audio":{"sample_rate":16000},"espeak":{"voice":"en-us"},"language":{"code":"en_US"},
           "phoneme_id_map":{"^":[1],"_":[0],"$":[2]}}"#,
    )
    .unwrap();
    let run = |args: &[&str]| cmd(args).env("HARK_DATA_DIR", &data).output().unwrap();
    let o = run(&["voices", "add", model.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).trim(), "piper-xx-yy-tiny-low");
    let installed = data.join("voices/piper-xx-yy-tiny-low");
    assert!(installed.join("xx_YY-tiny-low.onnx").is_file());
    assert!(installed.join("piper-xx-yy-tiny-low.toml").is_file());
    let all = text(&run(&["voices", "--all", "--json"]).stdout);
    let rec = all
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == "piper-xx-yy-tiny-low")
        .unwrap_or_else(|| panic!("{all}"));
    assert_eq!(
        (rec["engine"].as_str(), rec["language"].as_str()),
        (Some("piper"), Some("en-US"))
    );
    if cfg!(not(feature = "neural")) {
        assert_eq!(rec["available"], false);
        let o = run(&[
            "speak",
            "Hello.",
            "--voice",
            "piper-xx-yy-tiny-low",
            "-o",
            "/tmp/never.wav",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(text(&o.stderr).contains("--features neural"), "{}", text(&o.stderr));
    }
    // The name is taken now; an interrupted install left nothing behind.
    let o = run(&["voices", "add", model.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("exists already"), "{}", text(&o.stderr));
    let left: Vec<_> = std::fs::read_dir(data.join("voices"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let o = run(&["voices", "remove", "piper-xx-yy-tiny-low"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!installed.exists());
    assert!(model.is_file());
    let o = run(&["voices", "remove", "piper-xx-yy-tiny-low"]);
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(not(feature = "playback"))]
#[test]
fn listen_without_playback_says_so_and_suggests_export() {
    // No player program on the PATH either.
    let empty = tempfile::tempdir().unwrap();
    let o = cmd(&["listen", &seed(SEEDS[0])])
        .env("PATH", empty.path())
        .env_remove("HARK_PLAYER")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("hark export") && err.contains("aplay"), "{err}");
}

/// A HOME whose ALSA default device is the null sink (and whose
/// speech-dispatcher, if started, plays there).
#[cfg(any(feature = "playback", feature = "system-tts"))]
fn null_audio_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".asoundrc"), "pcm.!default { type null }\n").unwrap();
    let sd = home.path().join(".config/speech-dispatcher");
    std::fs::create_dir_all(&sd).unwrap();
    std::fs::write(
        sd.join("speechd.conf"),
        "AudioOutputMethod \"alsa\"\nDefaultModule espeak-ng\nAddModule \"espeak-ng\" \"sd_espeak-ng\" \"espeak-ng.conf\"\n",
    )
    .unwrap();
    home
}

#[cfg(feature = "playback")]
#[test]
fn listen_plays_on_the_null_device_and_prints_each_sentence() {
    let home = null_audio_home();
    let o = cmd(&["listen", "-v", &seed(SEEDS[1]), "--sentences", "1-3"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let lines: Vec<String> = text(&o.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("[1] "));
    assert!(text(&o.stderr).contains("first audio"), "{}", text(&o.stderr));
}

#[cfg(feature = "playback")]
#[test]
fn listen_without_a_device_is_an_error_not_a_panic() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".asoundrc"), "pcm.!default { type hw card 99 }\n").unwrap();
    let o = cmd(&["listen", &seed(SEEDS[1]), "--sentences", "1"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("hark export"), "{}", text(&o.stderr));
    // ALSA's default device on a machine without a sound card: ALSA's own
    // error lines ("ALSA lib confmisc.c:855:(parse_card) cannot find card")
    // are kept off standard error; hark's message says it all.
    let bare = tempfile::tempdir().unwrap();
    let o = cmd(&["listen", "--plain", &seed(SEEDS[1]), "--sentences", "1"])
        .env("HOME", bare.path())
        .env_remove("HARK_PLAYER")
        .output()
        .unwrap();
    let err = text(&o.stderr);
    assert!(!err.contains("ALSA lib"), "{err}");
    if !o.status.success() {
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("hark export"), "{err}");
    }
}

/// The system backend for real: speech-dispatcher started headless with
/// the null ALSA device. Needs the packages `.ci/run` installs.
#[cfg(feature = "system-tts")]
#[test]
fn system_tts_lists_voices_speaks_and_calls_back() {
    let home = null_audio_home();
    let runtime = home.path().join("run");
    std::fs::create_dir(&runtime).unwrap();
    set_mode(&runtime, 0o700);
    let run = |args: &[&str]| {
        cmd(args)
            .env("HOME", home.path())
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .output()
            .unwrap()
    };
    let o = run(&["voices", "--json", "--language", "en"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        v.iter().any(|e| e["engine"] == "system"),
        "no system voices: {}",
        text(&o.stderr)
    );
    let o = run(&[
        "listen",
        "--engine",
        "system",
        &seed(SEEDS[1]),
        "--sentences",
        "1-3",
        "--rate",
        "1.5",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Each line is printed from the service's begin callback, after the end
    // callback of the one before.
    let lines: Vec<String> = text(&o.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[2].starts_with("[3] "));
}

/// The engine gets the normalized text; subtitles keep the written one.
/// A lexicon entry that lengthens a word lengthens the audio, and the
/// subtitle still shows the word as written.
#[test]
fn engine_gets_normalized_text_and_subtitles_keep_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "Kirby met Mr. Kim on Sep 5, 2023 and paid $2.5 million.\n").unwrap();
    let lex = dir.path().join("lex.toml");
    std::fs::write(
        &lex,
        "Kirby = \"Kirby the spokesman of the national security council\"\n",
    )
    .unwrap();
    let wav = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec![
            "export",
            "-q",
            "--no-user-lexicon",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = hark(&args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        read_wav(&out).1.len()
    };
    let plain = wav("plain.wav", &["--subtitles", "srt"]);
    let with_lex = wav("lex.wav", &["--lexicon", lex.to_str().unwrap()]);
    let raw = wav("raw.wav", &["--no-normalize"]);
    assert!(
        with_lex as f64 > plain as f64 * 1.3,
        "lexicon entry not spoken: {with_lex} vs {plain} samples"
    );
    assert_ne!(raw, plain, "normalization did not change what the engine was given");
    let srt = std::fs::read_to_string(dir.path().join("plain.srt")).unwrap();
    assert!(
        srt.contains("Kirby met Mr. Kim on Sep 5, 2023 and paid $2.5 million."),
        "{srt}"
    );
    // A malformed lexicon is a usage error that writes nothing.
    std::fs::write(&lex, "Kirby = 3\n").unwrap();
    let out = dir.path().join("bad.wav");
    let o = hark(&[
        "export",
        "-q",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--lexicon",
        lex.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("lexicon"), "{}", text(&o.stderr));
    assert!(!out.exists());
}

/// Integrated loudness (LUFS) and true peak (dBTP) of a file as ffmpeg's
/// `ebur128` filter measures them; None when ffmpeg is not installed
/// (CI installs it, so there it must be).
fn ffmpeg_loudness(path: &Path) -> Option<(f64, f64)> {
    let o = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output();
    let o = match o {
        Ok(o) if o.status.success() => o,
        _ => {
            assert!(std::env::var_os("CI").is_none(), "CI installs ffmpeg");
            return None;
        }
    };
    let log = text(&o.stderr);
    // The summary comes last: "I: -16.0 LUFS" and "Peak: -1.9 dBFS".
    let last = |key: &str| {
        log.lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
    };
    Some((last("I:")?, last("Peak:")?))
}

#[test]
fn every_embedded_voice_comes_out_at_the_loudness_target() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(SEEDS[1]);
    let mut voices = vec![
        "pico-en-us",
        "pico-en-gb",
        "pico-de-de",
        "pico-fr-fr",
        "pico-es-es",
        "pico-it-it",
    ];
    if cfg!(feature = "flite") {
        voices.push("flite-slt");
    }
    for voice in voices {
        for (flags, target) in [
            (&[][..], Some(-16.0)),
            (&["--loudness", "-23"][..], Some(-23.0)),
            (&["--no-loudness"][..], None),
        ] {
            let out = dir.path().join(format!("{voice}{}.wav", flags.join("")));
            let mut args = vec![
                "export",
                "-q",
                "--voice",
                voice,
                "--sentences",
                "1-5",
                &s,
                "-o",
                out.to_str().unwrap(),
            ];
            args.extend_from_slice(flags);
            let o = hark(&args);
            assert!(o.status.success(), "{voice} {flags:?}: {}", text(&o.stderr));
            let (spec, pcm) = read_wav(&out);
            let (lufs, peak) = hark::speech::measure_loudness(&pcm, spec.sample_rate).unwrap();
            let ff = ffmpeg_loudness(&out);
            eprintln!("{voice} {flags:?}: {lufs:.1} LUFS, {peak:.1} dBTP; ffmpeg {ff:?}");
            let Some(target) = target else { continue };
            assert!((lufs - target).abs() <= 1.0, "{voice} {flags:?}: {lufs:.1} LUFS");
            assert!(peak <= -1.0, "{voice} {flags:?}: true peak {peak:.1} dBTP");
            if let Some((ff_lufs, ff_peak)) = ff {
                assert!(
                    (ff_lufs - target).abs() <= 1.0,
                    "{voice} {flags:?}: ffmpeg {ff_lufs} LUFS"
                );
                assert!(ff_peak <= -1.0, "{voice} {flags:?}: ffmpeg true peak {ff_peak} dBTP");
            }
        }
    }
    let o = hark(&["export", &s, "--loudness", "5", "-o", "/tmp/never.wav"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
}

/// Sentences as `listen` prints them: the numbers in "[N] …" lines.
fn listened(stdout: &[u8]) -> Vec<usize> {
    text(stdout)
        .lines()
        .filter_map(|l| l.strip_prefix('[')?.split(']').next()?.parse().ok())
        .collect()
}

#[test]
fn listen_streams_to_a_player_program_in_any_build() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("out.raw");
    let player = format!("cat > '{}'; echo {{rate}} > '{}.rate'", raw.display(), raw.display());
    let o = cmd(&[
        "listen",
        "-v",
        "--sentences",
        "1-3",
        "--player",
        &player,
        &seed(SEEDS[1]),
    ])
    .env("HARK_STATE_DIR", dir.path().join("state"))
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(listened(&o.stdout), vec![1, 2, 3]);
    assert!(text(&o.stderr).contains("played through"), "{}", text(&o.stderr));
    let bytes = std::fs::read(&raw).unwrap();
    let pcm: Vec<i16> = bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    assert!(pcm.len() > 16000 * 5, "{} samples", pcm.len());
    assert!(rms(&pcm) > 300.0);
    assert_eq!(
        std::fs::read_to_string(format!("{}.rate", raw.display()))
            .unwrap()
            .trim(),
        "16000"
    );
    // A player that fails is an audio error naming it, not a panic.
    let o = cmd(&["listen", "--player", "echo broken >&2; exit 3", &seed(SEEDS[1])])
        .env("HARK_STATE_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("broken"), "{}", text(&o.stderr));
}

#[cfg(unix)]
#[test]
fn listen_remembers_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let s = seed(SEEDS[1]);
    // A player that takes audio at the pace it would sound (16 kHz, 16-bit).
    let paced = "python3 -c 'import sys,time\nwhile sys.stdin.buffer.read(3200): time.sleep(0.1)'";
    let run = |args: &[&str]| {
        let mut a = vec!["listen", "--player", "cat > /dev/null"];
        a.extend_from_slice(args);
        cmd(&a).env("HARK_STATE_DIR", &state).output().unwrap()
    };
    // Interrupted part-way, the position is kept.
    let child = cmd(&["listen", "--player", paced, &s])
        .env("HARK_STATE_DIR", &state)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(9));
    unsafe_kill(child.id(), 2);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    let heard = listened(&o.stdout);
    let last = *heard.last().expect("some sentences were heard");
    assert!(last >= 2, "{heard:?}");
    assert!(
        text(&o.stderr).contains(&format!("stopped at sentence {last}")),
        "{}",
        text(&o.stderr)
    );
    // Not on a terminal: the next listen says where it stopped and starts
    // at the beginning; --from goes on from there.
    let o = run(&["--sentences", "1-2", &s]);
    assert!(
        text(&o.stderr).contains(&format!("--from {last}")),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(listened(&o.stdout), vec![1, 2]);
    let o = run(&[
        "--from",
        &last.to_string(),
        "--sentences",
        &format!("{last}-{}", last + 1),
        &s,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(listened(&o.stdout), vec![last, last + 1]);
    let o = run(&["--from", "999", &s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--from 999"), "{}", text(&o.stderr));
    // Heard to the end: the position is forgotten.
    let o = run(&["--from-start", &s]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = run(&["--sentences", "1", &s]);
    assert!(!text(&o.stderr).contains("--from"), "{}", text(&o.stderr));
}

#[cfg(unix)]
fn unsafe_kill(pid: u32, sig: i32) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status();
}
