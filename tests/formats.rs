//! Audio formats, each written through the library and decoded back: FLAC
//! with claxon (bit-exact), Opus with opus-pure (duration exact, the sine
//! still there), MP3 and every format again with ffmpeg/ffprobe when they
//! are installed (CI installs them): duration, samples, tags, chapters.

use hark::speech::{AudioFile, AudioFormat, AudioSink, Chapter, Tags};
use std::path::Path;
use std::process::Command;

const RATE: u32 = 16_000;

fn sine(seconds: u32) -> Vec<i16> {
    (0..RATE * seconds)
        .map(|i| ((i as f64 * 440.0 * std::f64::consts::TAU / RATE as f64).sin() * 12_000.0) as i16)
        .collect()
}

fn tags() -> Tags {
    Tags {
        title: Some("Kim to meet Putin".into()),
        artist: Some("Jane Doe".into()),
        album: Some("hark".into()),
        date: Some("2023-09-05".into()),
        language: Some("en".into()),
        source: Some("https://example.com/kim.html".into()),
        voice: Some("pico-en-us".into()),
        sample_rate: RATE,
        chapters: vec![
            Chapter {
                start: 0,
                end: 2 * RATE as u64,
                title: "Kim Jong Un is expected".into(),
            },
            Chapter {
                start: 2 * RATE as u64,
                end: 5 * RATE as u64,
                title: "The talks are advancing".into(),
            },
        ],
    }
}

fn write(dir: &Path, format: AudioFormat, pcm: &[i16]) -> std::path::PathBuf {
    let path = dir.join(format!("a.{}", format.extension()));
    let mut f = AudioFile::create(&path, format, RATE, false).unwrap();
    for chunk in pcm.chunks(1000) {
        f.write(chunk).unwrap();
    }
    assert!(!path.exists(), "appears only when committed");
    f.commit(&tags(), false).unwrap();
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1, "no temp file beside it");
    path
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What ffprobe says of a file: duration (s), tags, chapters (start, title).
type Probe = (f64, serde_json::Value, Vec<(f64, String)>);

/// ffprobe's duration (s), tags and chapter titles of a file.
fn ffprobe(path: &Path) -> Option<Probe> {
    if !have("ffprobe") {
        return None;
    }
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-show_chapters",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dur: f64 = v["format"]["duration"].as_str().unwrap().parse().unwrap();
    let mut tags = v["format"]["tags"].clone();
    if tags.is_null() {
        tags = v["streams"][0]["tags"].clone();
    }
    let chapters = v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["start_time"].as_str().unwrap().parse().unwrap(),
                c["tags"]["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    Some((dur, tags, chapters))
}

/// ffmpeg's decoding of a file as 16 kHz mono samples.
fn ffmpeg_decode(path: &Path) -> Option<Vec<i16>> {
    if !have("ffmpeg") {
        return None;
    }
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-ac", "1", "-ar", "16000", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(
        out.stdout
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect(),
    )
}

fn tag<'a>(tags: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    tags.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// The correlation of two signals (1.0: the same shape).
fn correlation(a: &[i16], b: &[i16]) -> f64 {
    let n = a.len().min(b.len());
    let (mut ab, mut aa, mut bb) = (0f64, 0f64, 0f64);
    for i in 0..n {
        let (x, y) = (a[i] as f64, b[i] as f64);
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    ab / (aa.sqrt() * bb.sqrt()).max(1.0)
}

fn check_with_ffmpeg(path: &Path, pcm: &[i16], tolerance: usize) {
    let Some((dur, tags, chapters)) = ffprobe(path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs ffmpeg: it must check the files"
        );
        eprintln!("ffprobe not installed: {} not checked with ffmpeg", path.display());
        return;
    };
    assert!((dur - 5.0).abs() < 0.08, "{}: {dur} s", path.display());
    assert_eq!(tag(&tags, "title"), Some("Kim to meet Putin"), "{tags}");
    assert_eq!(tag(&tags, "artist"), Some("Jane Doe"), "{tags}");
    assert_eq!(chapters.len(), 2, "{}: {chapters:?}", path.display());
    assert_eq!(chapters[1].1, "The talks are advancing");
    assert!((chapters[1].0 - 2.0).abs() < 0.01, "{chapters:?}");
    let decoded = ffmpeg_decode(path).unwrap();
    let diff = decoded.len().abs_diff(pcm.len());
    assert!(
        diff <= tolerance,
        "{}: {} samples decoded of {}",
        path.display(),
        decoded.len(),
        pcm.len()
    );
    // Lossy codecs delay a little; find the best lag within 10 ms.
    let best = (0..160)
        .map(|lag| correlation(&pcm[..pcm.len() - 200], &decoded[lag.min(decoded.len())..]))
        .fold(f64::MIN, f64::max);
    assert!(best > 0.9, "{}: correlation {best}", path.display());
}

#[test]
fn wav_is_read_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let pcm = sine(5);
    let path = write(dir.path(), AudioFormat::Wav, &pcm);
    let mut r = hound::WavReader::open(&path).unwrap();
    let got: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    assert_eq!(got, pcm);
    if let Some(decoded) = ffmpeg_decode(&path) {
        assert_eq!(decoded, pcm);
    }
}

#[cfg(feature = "flac")]
#[test]
fn flac_is_lossless_with_tags_and_chapters() {
    let dir = tempfile::tempdir().unwrap();
    let pcm = sine(5);
    let path = write(dir.path(), AudioFormat::Flac, &pcm);
    let mut r = claxon::FlacReader::open(&path).unwrap();
    assert_eq!(r.streaminfo().samples, Some(pcm.len() as u64));
    assert_eq!(r.streaminfo().sample_rate, RATE);
    let got: Vec<i16> = r.samples().map(|s| s.unwrap() as i16).collect();
    assert_eq!(got, pcm, "bit-exact");
    let r = claxon::FlacReader::open(&path).unwrap();
    let comments: Vec<(String, String)> = r.tags().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let get = |k: &str| comments.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("TITLE"), Some("Kim to meet Putin"));
    assert_eq!(get("LANGUAGE"), Some("en"));
    assert_eq!(get("SOURCE"), Some("https://example.com/kim.html"));
    assert_eq!(get("CHAPTER002"), Some("00:00:02.000"));
    assert_eq!(get("CHAPTER002NAME"), Some("The talks are advancing"));
    if have("flac") {
        let out = Command::new("flac").args(["-t", "-s"]).arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "flac -t: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    check_with_ffmpeg(&path, &pcm, 0);
}

#[cfg(feature = "opus")]
#[test]
fn opus_has_the_exact_length_tags_and_chapters() {
    let dir = tempfile::tempdir().unwrap();
    let pcm = sine(5);
    let path = write(dir.path(), AudioFormat::Opus, &pcm);
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let mut reader = opus_pure::OggOpusReader::new(file).unwrap();
    assert_eq!(reader.tags().get("TITLE"), Some("Kim to meet Putin"));
    assert_eq!(reader.tags().get("CHAPTER001NAME"), Some("Kim Jong Un is expected"));
    let mut decoder = reader.head().decoder(RATE as i32).unwrap();
    let mut trim = opus_pure::Trim::new(reader.head(), RATE as i32, 1).unwrap();
    let mut block = vec![0f32; opus_pure::MAX_PACKET_SAMPLES];
    let mut got: Vec<i16> = Vec::new();
    for packet in reader.packets() {
        let packet = packet.unwrap();
        let n = decoder
            .decode(&packet.data, opus_pure::MAX_PACKET_SAMPLES, &mut block)
            .unwrap();
        got.extend(trim.keep(&packet, &block[..n]).iter().map(|s| (s * 32767.0) as i16));
    }
    assert_eq!(got.len(), pcm.len(), "exact length");
    assert!(correlation(&pcm, &got) > 0.9, "{}", correlation(&pcm, &got));
    if have("opusinfo") {
        let out = Command::new("opusinfo").arg(&path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    check_with_ffmpeg(&path, &pcm, 0);
}

#[cfg(feature = "mp3")]
#[test]
fn mp3_has_an_id3_tag_with_chapters() {
    let dir = tempfile::tempdir().unwrap();
    let pcm = sine(5);
    let path = write(dir.path(), AudioFormat::Mp3, &pcm);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"ID3\x04"), "an ID3v2.4 tag first");
    let tag = id3::Tag::read_from_path(&path).unwrap();
    use id3::TagLike;
    assert_eq!(tag.title(), Some("Kim to meet Putin"));
    assert_eq!(tag.chapters().count(), 2);
    assert_eq!(tag.chapters().nth(1).unwrap().start_time, 2000);
    assert_eq!(tag.tables_of_contents().count(), 1);
    // LAME's info frame lets decoders trim the encoder delay and padding.
    check_with_ffmpeg(&path, &pcm, 0);
}

#[test]
fn a_format_this_build_lacks_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for f in [AudioFormat::Flac, AudioFormat::Mp3, AudioFormat::Opus] {
        if f.compiled_in() {
            continue;
        }
        let e = AudioFile::create(&dir.path().join("a"), f, RATE, false).err().unwrap();
        assert!(e.to_string().contains("cargo feature"), "{e}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[cfg(feature = "opus")]
#[test]
fn opus_refuses_a_rate_it_cannot_code_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.opus");
    let mut f = AudioFile::create(&path, AudioFormat::Opus, 22_050, false).unwrap();
    f.write(&[0; 2205]).unwrap();
    let e = f.commit(&Tags::default(), false).unwrap_err();
    assert!(e.to_string().contains("22050 Hz"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
