//! Where hark keeps things, and the user's configuration file.
//!
//! [`Dirs`] is the one place that knows the platform's directories (XDG on
//! Linux, through the `directories` crate): the configuration directory
//! (voices, lexicon, `config.toml`), the data directory (installed voice
//! models), the state directory (listening positions) and the cache
//! (embedded engine files written out for engines that load by path).
//! `HARK_CONFIG_DIR`, `HARK_DATA_DIR`, `HARK_STATE_DIR`, `HARK_CACHE_DIR`
//! and `HARK_VOICES` override them one by one.
//!
//! [`Config`] is `config.toml`: defaults a user sets once (a voice per
//! language, rate, pauses, de-spinning mode, loudness). Whoever runs hark
//! (the CLI) lets its own options win over these.
//!
//! ```
//! let cfg = hark::config::Config::parse(r#"
//!     despin = "aggressive"
//!     rate = 1.2
//!     [voices]
//!     de = "pico-de-de"
//! "#).unwrap();
//! assert_eq!(cfg.voice_for("de-AT"), Some("pico-de-de"));
//! assert_eq!(cfg.rate, Some(1.2));
//! ```

use crate::clean::DespinMode;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The directories hark reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    config: PathBuf,
    data: PathBuf,
    state: PathBuf,
    cache: PathBuf,
    voices: PathBuf,
}

/// Put a link to `src` at `dest`, for what the user installs with
/// `--link` (voices, models): a symbolic link, or a hard link where there
/// are none.
#[cfg(unix)]
pub(crate) fn link(src: &Path, dest: &Path) -> Result<()> {
    std::os::unix::fs::symlink(src, dest).map_err(|e| Error::io(format!("linking {}", dest.display()), e))
}

/// See the Unix version.
#[cfg(not(unix))]
pub(crate) fn link(src: &Path, dest: &Path) -> Result<()> {
    std::fs::hard_link(src, dest).map_err(|e| Error::io(format!("linking {}", dest.display()), e))
}

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}

impl Dirs {
    /// The directories for this user, from the environment. Without a home
    /// directory they fall back to `hark-*` folders in the temp directory.
    pub fn from_env() -> Dirs {
        let project = directories::ProjectDirs::from("", "", "hark");
        let tmp = std::env::temp_dir();
        let pick = |var: &str, f: fn(&directories::ProjectDirs) -> Option<&Path>, fallback: &str| {
            env_dir(var)
                .or_else(|| project.as_ref().and_then(f).map(Path::to_path_buf))
                .unwrap_or_else(|| tmp.join(fallback))
        };
        let config = pick("HARK_CONFIG_DIR", |p| Some(p.config_dir()), "hark-config");
        let data = pick("HARK_DATA_DIR", |p| Some(p.data_dir()), "hark-data");
        let state = pick(
            "HARK_STATE_DIR",
            |p| p.state_dir().or(Some(p.data_local_dir())),
            "hark-state",
        );
        let cache = pick("HARK_CACHE_DIR", |p| Some(p.cache_dir()), "hark-cache");
        let voices = env_dir("HARK_VOICES").unwrap_or_else(|| config.join("voices"));
        Dirs {
            config,
            data,
            state,
            cache,
            voices,
        }
    }

    /// The configuration directory (`~/.config/hark`).
    pub fn config_dir(&self) -> &Path {
        &self.config
    }

    /// The data directory (`~/.local/share/hark`): installed voice models.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The state directory (`~/.local/state/hark`): listening positions.
    pub fn state_dir(&self) -> &Path {
        &self.state
    }

    /// The cache (`~/.cache/hark`): files hark can always write again.
    pub fn cache_dir(&self) -> &Path {
        &self.cache
    }

    /// User voice definitions (`~/.config/hark/voices`, or `$HARK_VOICES`).
    pub fn voices_dir(&self) -> &Path {
        &self.voices
    }

    /// The user lexicon (`~/.config/hark/lexicon.toml`).
    pub fn lexicon_file(&self) -> PathBuf {
        self.config.join("lexicon.toml")
    }

    /// The configuration file (`~/.config/hark/config.toml`, or `$HARK_CONFIG`).
    pub fn config_file(&self) -> PathBuf {
        env_dir("HARK_CONFIG").unwrap_or_else(|| self.config.join("config.toml"))
    }
}

/// The user's configuration (`config.toml`). Every key is optional; what
/// is left out keeps hark's default.
///
/// ```toml
/// despin = "safe"            # safe | aggressive | off
/// rate = 1.1                 # multiples of the voice's normal
/// pitch = 1.0
/// volume = 1.0
/// sentence_pause = 250       # milliseconds
/// paragraph_pause = 700
/// loudness = -16.0           # LUFS target for audio; "off" to leave levels alone
/// normalize = true           # read numbers, dates and abbreviations as words
/// urls = "host"              # host | full | skip
///
/// [voices]                   # the voice for each language
/// en = "pico-en-gb"
/// de = "pico-de-de"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// De-spinning mode.
    #[serde(default, deserialize_with = "despin_mode")]
    pub despin: Option<DespinMode>,
    /// Speaking rate.
    pub rate: Option<f32>,
    /// Pitch.
    pub pitch: Option<f32>,
    /// Volume.
    pub volume: Option<f32>,
    /// Silence between sentences, in milliseconds.
    pub sentence_pause: Option<u32>,
    /// Silence between paragraphs, in milliseconds.
    pub paragraph_pause: Option<u32>,
    /// Loudness target in LUFS; `Some(None)` is "off".
    #[serde(default, deserialize_with = "loudness")]
    pub loudness: Option<Option<f32>>,
    /// Normalize numbers, dates and abbreviations.
    pub normalize: Option<bool>,
    /// How web addresses are read: `host`, `full` or `skip`.
    pub urls: Option<String>,
    /// The voice for each language tag (`en`, `en-GB`, `de`).
    #[serde(default)]
    pub voices: BTreeMap<String, String>,
    /// The language model that judges de-spinning repairs: an installed
    /// model's name, a path, or `none` (feature `lm`).
    pub model: Option<String>,
}

fn despin_mode<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<DespinMode>, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map(Some).map_err(serde::de::Error::custom)
}

fn loudness<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Option<f32>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum L {
        Lufs(f32),
        Word(String),
    }
    match L::deserialize(d)? {
        L::Lufs(v) if v.is_finite() && (-70.0..=-5.0).contains(&v) => Ok(Some(Some(v))),
        L::Lufs(v) => Err(serde::de::Error::custom(format!(
            "loudness {v} LUFS is outside -70..-5"
        ))),
        L::Word(w) if w == "off" => Ok(Some(None)),
        L::Word(w) => Err(serde::de::Error::custom(format!(
            "loudness must be a number of LUFS or \"off\", not \"{w}\""
        ))),
    }
}

impl Config {
    /// Parse the text of a configuration file.
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// Read a configuration file; a missing file is an error.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            reason: format!("cannot read it: {e}"),
        })?;
        Config::parse(&text).map_err(|reason| Error::Config {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// The user's configuration file, or the defaults when there is none.
    pub fn load_user(dirs: &Dirs) -> Result<Config> {
        let path = dirs.config_file();
        if path.is_file() {
            Config::load(&path)
        } else {
            Ok(Config::default())
        }
    }

    /// The configured voice for a language: the most specific tag that
    /// matches (`en-GB` before `en`), case-insensitively.
    pub fn voice_for(&self, language: &str) -> Option<&str> {
        let lang = language.to_ascii_lowercase();
        self.voices
            .iter()
            .filter(|(tag, _)| {
                let tag = tag.to_ascii_lowercase();
                lang == tag || lang.starts_with(&format!("{tag}-"))
            })
            .max_by_key(|(tag, _)| tag.len())
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key() {
        let c = Config::parse(
            "despin = \"off\"\nrate = 1.5\nsentence_pause = 100\nloudness = \"off\"\nurls = \"skip\"\n[voices]\nen = \"pico-en-us\"\nen-GB = \"pico-en-gb\"\n",
        )
        .unwrap();
        assert_eq!(c.despin, Some(DespinMode::Off));
        assert_eq!(c.loudness, Some(None));
        assert_eq!(c.voice_for("en-GB"), Some("pico-en-gb"));
        assert_eq!(c.voice_for("en"), Some("pico-en-us"));
        assert_eq!(c.voice_for("en-US"), Some("pico-en-us"));
        assert_eq!(c.voice_for("fr"), None);
        assert_eq!(Config::parse("loudness = -14").unwrap().loudness, Some(Some(-14.0)));
    }

    #[test]
    fn mistakes_are_errors() {
        assert!(Config::parse("despin = \"wild\"").unwrap_err().contains("wild"));
        assert!(Config::parse("colour = 1").is_err());
        assert!(Config::parse("loudness = 5").is_err());
    }

    #[test]
    fn env_overrides() {
        let d = Dirs::from_env();
        assert!(d.voices_dir().ends_with("voices") || std::env::var_os("HARK_VOICES").is_some());
        assert!(d.lexicon_file().ends_with("lexicon.toml"));
    }
}
