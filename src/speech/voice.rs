//! Voice definitions: data in `voices/*.toml`, embedded at build time (see
//! `build.rs`), plus any the user keeps in `~/.config/hark/voices/`.
//!
//! A voice names its engine, language, resource files and default prosody.
//! Engines that load resources from a path (Pico) get the embedded files
//! written once to a cache directory.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/voices_gen.rs"));
}

/// Which synthesis engine a voice runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// SVOX Pico, compiled in (always available).
    Pico,
    /// Flite, compiled in with the `flite` feature.
    Flite,
    /// The platform's TTS service (feature `system-tts`); speaks, cannot render.
    System,
}

impl EngineKind {
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Pico => "pico",
            EngineKind::Flite => "flite",
            EngineKind::System => "system",
        }
    }

    /// Whether this build can run the engine.
    pub fn compiled_in(self) -> bool {
        match self {
            EngineKind::Pico => true,
            EngineKind::Flite => cfg!(feature = "flite"),
            EngineKind::System => cfg!(feature = "system-tts"),
        }
    }

    /// The cargo feature that brings the engine in.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            EngineKind::Pico => None,
            EngineKind::Flite => Some("flite"),
            EngineKind::System => Some("system-tts"),
        }
    }
}

/// Speaking rate, pitch and volume as multiples of the engine's normal
/// setting (1.0 = normal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prosody {
    pub rate: f32,
    pub pitch: f32,
    pub volume: f32,
}

impl Default for Prosody {
    fn default() -> Self {
        Prosody {
            rate: 1.0,
            pitch: 1.0,
            volume: 1.0,
        }
    }
}

/// Resource files of a voice, relative to the voice file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Pico text-analysis file (`*_ta.bin`).
    pub text_analysis: Option<String>,
    /// Pico signal-generation file (`*_sg.bin`).
    pub signal_generation: Option<String>,
}

/// Where a voice definition came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "path")]
pub enum Origin {
    /// Compiled into the binary from `voices/`.
    Embedded,
    /// A file in the user's voice directory.
    User(PathBuf),
    /// Reported by the platform's TTS service.
    System,
}

/// One voice definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceDef {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// BCP 47 tag, e.g. `en-US`.
    pub language: String,
    pub engine: EngineKind,
    #[serde(default)]
    pub description: String,
    /// Output sample rate in Hz; when left out, the engine's own (Pico and
    /// Flite: 16 kHz; 0 for the system service, which plays by itself).
    #[serde(default)]
    pub sample_rate: u32,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default)]
    pub defaults: Prosody,
    #[serde(skip_deserializing, default = "embedded_origin")]
    pub origin: Origin,
}

fn embedded_origin() -> Origin {
    Origin::Embedded
}

impl VoiceDef {
    /// Parse a voice definition; `origin` says where it came from.
    pub fn parse(toml_text: &str, origin: Origin) -> Result<VoiceDef> {
        let mut def: VoiceDef = toml::from_str(toml_text).map_err(|e| {
            let where_ = match &origin {
                Origin::User(p) => p.display().to_string(),
                _ => "embedded voice".to_string(),
            };
            Error::Usage(format!("{where_}: bad voice definition: {e}"))
        })?;
        def.origin = origin;
        if def.sample_rate == 0 {
            def.sample_rate = match def.engine {
                EngineKind::Pico | EngineKind::Flite => 16_000,
                EngineKind::System => 0,
            };
        }
        Ok(def)
    }

    fn matches(&self, query: &str) -> bool {
        self.name.eq_ignore_ascii_case(query) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(query))
    }

    /// The bytes of a resource file, from the binary or the user's disk.
    pub fn resource_bytes(&self, rel: &str) -> Result<std::borrow::Cow<'static, [u8]>> {
        match &self.origin {
            Origin::User(toml_path) => {
                let path = toml_path.parent().unwrap_or(Path::new(".")).join(rel);
                std::fs::read(&path)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|e| Error::io(format!("voice {}: reading {}", self.name, path.display()), e))
            }
            _ => embedded::RESOURCES
                .iter()
                .find(|(name, _)| *name == rel)
                .map(|(_, bytes)| std::borrow::Cow::Borrowed(*bytes))
                .ok_or_else(|| Error::Usage(format!("voice {}: resource {rel} is not embedded", self.name))),
        }
    }
}

/// The voice used when none is asked for.
pub const DEFAULT_VOICE: &str = "pico-en-us";

/// The embedded voice definitions, in name order.
pub fn embedded() -> Vec<VoiceDef> {
    embedded::VOICE_DEFS
        .iter()
        .map(|(file, text)| VoiceDef::parse(text, Origin::Embedded).unwrap_or_else(|e| panic!("voices/{file}: {e}")))
        .collect()
}

/// The user's voice directory: `$HARK_VOICES`, else `$XDG_CONFIG_HOME/hark/voices`
/// or `~/.config/hark/voices`.
pub fn user_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("HARK_VOICES") {
        return Some(PathBuf::from(d));
    }
    config_home().map(|c| c.join("hark").join("voices"))
}

fn config_home() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
}

/// Voice definitions in the user's voice directory. A malformed file is an
/// error (the user wants to know), a missing directory is not.
pub fn user_voices() -> Result<Vec<VoiceDef>> {
    let Some(dir) = user_dir() else { return Ok(Vec::new()) };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io(format!("reading {}", p.display()), e))?;
            VoiceDef::parse(&text, Origin::User(p))
        })
        .collect()
}

/// Every voice definition hark knows (user voices first, so they can
/// shadow an embedded name), whether or not this build can run it.
pub fn catalog() -> Result<Vec<VoiceDef>> {
    let mut all = user_voices()?;
    for v in embedded() {
        if !all.iter().any(|u| u.name.eq_ignore_ascii_case(&v.name)) {
            all.push(v);
        }
    }
    Ok(all)
}

/// Find a voice by name or alias (case-insensitive). An unknown name, or a
/// voice whose engine is not compiled in, is a usage error that lists what
/// is available.
pub fn find(query: &str) -> Result<VoiceDef> {
    let all = catalog()?;
    let found = all
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(query))
        .or_else(|| all.iter().find(|v| v.matches(query)));
    match found {
        Some(v) if v.engine.compiled_in() => Ok(v.clone()),
        Some(v) => Err(Error::Usage(format!(
            "voice '{}' needs the {} engine, which this build lacks; rebuild with `--features {}`",
            v.name,
            v.engine.name(),
            v.engine.feature().unwrap_or("?")
        ))),
        None => {
            let names: Vec<&str> = all
                .iter()
                .filter(|v| v.engine.compiled_in())
                .map(|v| v.name.as_str())
                .collect();
            Err(Error::Usage(format!(
                "unknown voice '{query}'; available: {} (see `hark voices`)",
                names.join(", ")
            )))
        }
    }
}

/// The directory where embedded resources are written for engines that
/// load from a path: `$XDG_CACHE_HOME/hark` or `~/.cache/hark`, else the
/// system temp directory.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("HARK_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|c| c.join("hark"))
        })
        .unwrap_or_else(|| std::env::temp_dir().join("hark-cache"))
}

/// A path on disk holding exactly `bytes`, written atomically into
/// `dir/name` on first use (and rewritten if it differs, e.g. after an
/// upgrade or a corrupted cache). Falls back to the temp directory when the
/// cache directory is not writable.
pub fn materialize(name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let primary = cache_dir();
    match materialize_in(&primary, name, bytes) {
        Ok(p) => Ok(p),
        Err(first) => {
            let fallback = std::env::temp_dir().join("hark-cache");
            if fallback == primary {
                return Err(first);
            }
            materialize_in(&fallback, name, bytes).map_err(|_| first)
        }
    }
}

fn materialize_in(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = dir.join(name);
    if let Ok(existing) = std::fs::read(&path) {
        if existing == bytes {
            return Ok(path);
        }
    }
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("creating cache {}", parent.display()), e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)
        .map_err(|e| Error::io(format!("writing cache {}", parent.display()), e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    tmp.persist(&path)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e.error))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_voices_parse_and_have_their_resources() {
        let all = embedded();
        assert!(all.iter().any(|v| v.name == "pico-en-us"));
        assert!(all.iter().any(|v| v.name == "pico-en-gb"));
        for v in all.iter().filter(|v| v.engine == EngineKind::Pico) {
            for r in [&v.resources.text_analysis, &v.resources.signal_generation] {
                let r = r.as_ref().expect("pico voices name both resource files");
                assert!(v.resource_bytes(r).unwrap().len() > 100_000, "{r}");
            }
            assert_eq!(v.sample_rate, 16000);
        }
    }

    #[test]
    fn find_by_name_and_alias() {
        assert_eq!(find("PICO-EN-GB").unwrap().name, "pico-en-gb");
        assert_eq!(find("default").unwrap().name, DEFAULT_VOICE);
        let err = find("nope").unwrap_err().to_string();
        assert!(
            err.contains("unknown voice 'nope'") && err.contains("pico-en-us"),
            "{err}"
        );
    }

    #[test]
    fn bad_definition_is_an_error() {
        let err = VoiceDef::parse("name = 3", Origin::Embedded).unwrap_err();
        assert!(err.to_string().contains("bad voice definition"));
    }

    #[test]
    fn materialize_writes_once_and_repairs() {
        let dir = tempfile::tempdir().unwrap();
        let p = materialize_in(dir.path(), "x/a.bin", b"abc").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
        std::fs::write(&p, b"corrupt").unwrap();
        let p2 = materialize_in(dir.path(), "x/a.bin", b"abc").unwrap();
        assert_eq!(p, p2);
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
    }
}
