//! The export manifest: `hark-export.json` beside the outputs records, for
//! each input, the SHA-256 of its bytes, a fingerprint of every setting
//! that shapes the audio, and each file written (size, modification time,
//! SHA-256). A re-run skips an input whose record still matches its input,
//! settings and files; redoes one that changed (overwriting only files the
//! record says hark wrote); and removes the files a shorter `--per-passage`
//! run no longer makes. It is rewritten atomically after each input, so an
//! interrupted batch leaves it describing exactly the files that exist.

use super::wav::AtomicFile;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The manifest's file name in an output directory.
pub const MANIFEST_FILE: &str = "hark-export.json";

/// One file written for an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Its name, relative to the manifest's directory.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its modification time (nanoseconds since the epoch) when written.
    #[serde(default)]
    pub modified: u128,
    /// SHA-256 of its content, hex.
    pub sha256: String,
}

/// What was exported for one input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The input's name (path, URL, `-`).
    pub input: String,
    /// SHA-256 of the input's bytes.
    pub input_sha256: String,
    /// Fingerprint of the settings the audio was made with.
    pub settings: String,
    /// The voice.
    pub voice: String,
    /// The audio format.
    pub format: String,
    /// The article's title, byline, date and language.
    #[serde(default)]
    pub title: Option<String>,
    /// The byline.
    #[serde(default)]
    pub byline: Option<String>,
    /// The publication date as the page gives it.
    #[serde(default)]
    pub date: Option<String>,
    /// The language.
    #[serde(default)]
    pub language: Option<String>,
    /// The first words of the article (for feeds).
    #[serde(default)]
    pub summary: String,
    /// When this input was first exported here (seconds since the epoch):
    /// kept across re-runs, so a feed's dates and order stay put.
    pub exported: u64,
    /// Audio files, in order, with their durations (seconds).
    pub audio: Vec<(FileRecord, f64)>,
    /// Subtitle files.
    #[serde(default)]
    pub subtitles: Vec<FileRecord>,
}

impl Entry {
    /// Every file of the entry.
    pub fn files(&self) -> impl Iterator<Item = &FileRecord> {
        self.audio.iter().map(|(f, _)| f).chain(&self.subtitles)
    }
}

/// The manifest of one output directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirManifest {
    /// Always 1.
    pub schema: u32,
    /// One entry per input, in the order they were first exported.
    pub entries: Vec<Entry>,
}

/// Parse a manifest's text.
pub fn parse(text: &str) -> std::result::Result<DirManifest, String> {
    let m: DirManifest = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if m.schema != 1 {
        return Err(format!("schema {} is not one this hark reads", m.schema));
    }
    Ok(m)
}

impl DirManifest {
    /// Read `dir/hark-export.json`; none yet is an empty manifest. A file
    /// that is not a manifest is an error (hark will not guess which files
    /// it wrote).
    pub fn load(dir: &Path) -> Result<DirManifest> {
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(DirManifest {
                    schema: 1,
                    entries: Vec::new(),
                })
            }
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        };
        parse(&text).map_err(|reason| Error::BadManifest { path, reason })
    }

    /// Write it atomically into `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(MANIFEST_FILE);
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::io("encoding the manifest", std::io::Error::other(e)))?;
        let f = AtomicFile::create(&path, true)?;
        {
            use std::io::Write;
            let mut w = f.writer()?;
            w.write_all(text.as_bytes())
                .and_then(|_| w.write_all(b"\n"))
                .and_then(|_| w.flush())
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        }
        f.commit(true)
    }

    /// The entry of an input.
    pub fn get(&self, input: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.input == input)
    }

    /// Put an entry in place of the input's old one (or at the end).
    pub fn put(&mut self, entry: Entry) {
        match self.entries.iter_mut().find(|e| e.input == entry.input) {
            Some(old) => *old = entry,
            None => self.entries.push(entry),
        }
    }

    /// The record of a file (by name relative to the directory), in any entry.
    pub fn file(&self, name: &str) -> Option<&FileRecord> {
        self.entries.iter().flat_map(Entry::files).find(|f| f.file == name)
    }
}

/// The SHA-256 of a file, hex.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn mtime(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// A record of a file as it is now on disk.
pub fn record(dir: &Path, path: &Path) -> std::io::Result<FileRecord> {
    let meta = std::fs::metadata(path)?;
    Ok(FileRecord {
        file: relative(dir, path),
        bytes: meta.len(),
        modified: mtime(&meta),
        sha256: file_sha256(path)?,
    })
}

/// Is the file on disk still the one recorded? Size and time decide when
/// they agree; otherwise the content's hash does.
pub fn unchanged(dir: &Path, rec: &FileRecord) -> bool {
    let path = dir.join(&rec.file);
    let Ok(meta) = std::fs::metadata(&path) else {
        return false;
    };
    if meta.len() != rec.bytes {
        return false;
    }
    if rec.modified != 0 && mtime(&meta) == rec.modified {
        return true;
    }
    file_sha256(&path).is_ok_and(|h| h == rec.sha256)
}

/// A path's name relative to `dir` when it lies in it, else as given.
pub fn relative(dir: &Path, path: &Path) -> String {
    let strip = |p: &Path| p.strip_prefix(".").unwrap_or(p).to_path_buf();
    let (d, p): (PathBuf, PathBuf) = (strip(dir), strip(path));
    match p.strip_prefix(&d) {
        Ok(r) if !d.as_os_str().is_empty() => r.to_string_lossy().into_owned(),
        _ => p.to_string_lossy().into_owned(),
    }
}

/// Seconds since the epoch, now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(DirManifest::load(d).unwrap().entries.is_empty());
        std::fs::write(d.join("a.wav"), b"audio").unwrap();
        let rec = record(d, &d.join("a.wav")).unwrap();
        assert_eq!(rec.file, "a.wav");
        assert_eq!(rec.sha256.len(), 64);
        let mut m = DirManifest {
            schema: 1,
            entries: Vec::new(),
        };
        m.put(Entry {
            input: "a.txt".into(),
            input_sha256: "x".into(),
            settings: "y".into(),
            voice: "pico-en-us".into(),
            format: "wav".into(),
            title: None,
            byline: None,
            date: None,
            language: None,
            summary: String::new(),
            exported: 1,
            audio: vec![(rec.clone(), 1.5)],
            subtitles: vec![],
        });
        m.save(d).unwrap();
        let back = DirManifest::load(d).unwrap();
        assert_eq!(back, m);
        assert!(unchanged(d, &rec));
        std::fs::write(d.join("a.wav"), b"AUDIO").unwrap();
        assert!(!unchanged(d, &rec), "same size, other content");
        std::fs::write(d.join(MANIFEST_FILE), b"{not json").unwrap();
        assert!(matches!(DirManifest::load(d), Err(Error::BadManifest { .. })));
        assert!(parse(r#"{"schema": 2, "entries": []}"#).is_err());
        assert_eq!(std::fs::read_dir(d).unwrap().count(), 2, "no temp files");
    }

    #[test]
    fn relative_names() {
        assert_eq!(relative(Path::new("out"), Path::new("out/a.wav")), "a.wav");
        assert_eq!(relative(Path::new("."), Path::new("a.wav")), "a.wav");
        assert_eq!(relative(Path::new("./out"), Path::new("out/x/a.wav")), "x/a.wav");
    }
}
