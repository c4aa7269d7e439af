//! Voice definitions: data in `voices/*.toml`, embedded at build time (see
//! `build.rs`), plus any the user keeps in `~/.config/hark/voices/`.
//!
//! A voice names its engine, language, resource files and default prosody.
//! Engines that load resources from a path (Pico) get the embedded files
//! written once to a cache directory.

use crate::config::Dirs;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/voices_gen.rs"));
}

/// Which synthesis engine a voice runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum EngineKind {
    /// SVOX Pico, compiled in (always available).
    Pico,
    /// Flite, compiled in with the `flite` feature.
    Flite,
    /// The platform's TTS service (feature `system-tts`); speaks, cannot render.
    System,
    /// A Piper (VITS) neural voice the user installed (feature `neural`).
    Piper,
    /// A Kokoro neural voice the user installed (feature `neural`).
    Kokoro,
}

impl EngineKind {
    /// The engine's name (`pico`, `flite`, `system`).
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Pico => "pico",
            EngineKind::Flite => "flite",
            EngineKind::System => "system",
            EngineKind::Piper => "piper",
            EngineKind::Kokoro => "kokoro",
        }
    }

    /// Whether this build can run the engine.
    pub fn compiled_in(self) -> bool {
        match self {
            EngineKind::Pico => true,
            EngineKind::Flite => cfg!(feature = "flite"),
            EngineKind::System => cfg!(feature = "system-tts"),
            EngineKind::Piper | EngineKind::Kokoro => cfg!(feature = "neural"),
        }
    }

    /// The cargo feature that brings the engine in.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            EngineKind::Pico => None,
            EngineKind::Flite => Some("flite"),
            EngineKind::System => Some("system-tts"),
            EngineKind::Piper | EngineKind::Kokoro => Some("neural"),
        }
    }
}

/// Speaking rate, pitch and volume as multiples of the engine's normal
/// setting (1.0 = normal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prosody {
    /// Speaking rate.
    pub rate: f32,
    /// Pitch.
    pub pitch: f32,
    /// Volume.
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
    /// A neural voice's ONNX model.
    pub model: Option<String>,
    /// A Piper voice's `.onnx.json` (phoneme ids, sample rate, inference
    /// settings).
    pub config: Option<String>,
    /// A Kokoro voice's style file (float32 vectors, one per input length).
    pub style: Option<String>,
}

/// Settings of a neural voice's inference; unset ones come from the
/// model's own configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inference {
    /// Intra-op threads for ONNX Runtime (default: the cores, at most 4;
    /// `$HARK_ENGINE_THREADS`).
    pub threads: Option<usize>,
    /// Piper's `noise_scale` (variation of the voice); 0 with one thread
    /// gives identical output on every run.
    pub noise_scale: Option<f32>,
    /// Piper's `noise_w` (variation of phoneme lengths).
    pub noise_w: Option<f32>,
    /// Piper's `length_scale` at rate 1 (larger is slower).
    pub length_scale: Option<f32>,
    /// The speaker of a multi-speaker model.
    pub speaker: Option<i64>,
    /// The espeak-ng voice for phonemes, when the model's files do not say
    /// (Kokoro: `en-us`, `en-gb`, `fr-fr`…).
    pub espeak_voice: Option<String>,
    /// How much ONNX Runtime rewrites the model's graph when it opens it
    /// (default [`Optimize::None`]).
    pub optimize: Option<Optimize>,
}

/// ONNX Runtime's graph optimization levels, as a voice definition names
/// them (`optimize = "all"`). Measured on the Piper and Kokoro voices
/// (`examples/neural_bench.rs`): the levels above `none` triple the time to
/// open a voice (Piper: ~0.2 s → ~0.6 s) and synthesize no faster, so
/// `none` is the default; a model that runs faster optimized can ask for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Optimize {
    /// The graph as the file has it.
    #[default]
    None,
    /// Constant folding, redundant nodes removed, simple fusions.
    Basic,
    /// Also the complex fusions.
    Extended,
    /// Also layout changes for this CPU.
    All,
}

/// Where a voice definition came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "path")]
#[non_exhaustive]
pub enum Origin {
    /// Compiled into the binary from `voices/`.
    Embedded,
    /// A file in the user's voice directory.
    User(PathBuf),
    /// Reported by the platform's TTS service.
    System,
}

/// One voice: its engine, language, resource files and default prosody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voice {
    /// The name it is chosen by (`pico-en-us`).
    pub name: String,
    /// Other names it answers to.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// BCP 47 tag, e.g. `en-US`.
    pub language: String,
    /// The engine that speaks it.
    pub engine: EngineKind,
    /// A line for `hark voices`.
    #[serde(default)]
    pub description: String,
    /// Output sample rate in Hz; when left out, the engine's own (Pico and
    /// Flite: 16 kHz; 0 for the system service, which plays by itself).
    #[serde(default)]
    pub sample_rate: u32,
    /// Its resource files.
    #[serde(default)]
    pub resources: Resources,
    /// Its normal rate, pitch and volume (what a [`Prosody`] of 1.0 means).
    #[serde(default)]
    pub defaults: Prosody,
    /// Inference settings of a neural voice.
    #[serde(default, skip_serializing_if = "is_default")]
    pub inference: Inference,
    /// The writing system it reads (ISO 15924: `Latn`, `Cyrl`…; `Zyyy`
    /// for any). Text with no letter of it is not given to the engine.
    #[serde(default = "latin")]
    pub script: String,
    /// Where the definition came from.
    #[serde(skip_deserializing, default = "embedded_origin")]
    pub origin: Origin,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

fn embedded_origin() -> Origin {
    Origin::Embedded
}

fn latin() -> String {
    "Latn".into()
}

/// Whether a character belongs to a script (the scripts voices declare).
fn in_script(c: char, script: &str) -> bool {
    let u = c as u32;
    match script {
        "Latn" => {
            c.is_ascii_alphabetic()
                || (c.is_alphabetic() && ((0xC0..=0x24F).contains(&u) || (0x1E00..=0x1EFF).contains(&u)))
        }
        "Cyrl" => (0x400..=0x52F).contains(&u),
        "Grek" => (0x370..=0x3FF).contains(&u) || (0x1F00..=0x1FFF).contains(&u),
        "Arab" => (0x600..=0x6FF).contains(&u),
        "Hebr" => (0x590..=0x5FF).contains(&u),
        "Jpan" => (0x3040..=0x30FF).contains(&u) || (0x4E00..=0x9FFF).contains(&u),
        "Hani" => (0x4E00..=0x9FFF).contains(&u) || (0x3400..=0x4DBF).contains(&u),
        _ => c.is_alphabetic(),
    }
}

impl Voice {
    /// Why this build cannot speak with the voice now, or None: its engine
    /// is not compiled in (the feature to build with), or, for a neural
    /// voice, ONNX Runtime is not installed (what to install). Only what is
    /// cheap to check: opening the voice can still fail.
    pub fn unavailable(&self) -> Option<String> {
        if !self.engine.compiled_in() {
            return Some(format!("needs feature `{}`", self.engine.feature().unwrap_or("?")));
        }
        #[cfg(feature = "neural")]
        if matches!(self.engine, EngineKind::Piper | EngineKind::Kokoro) && super::onnx::locate().is_err() {
            return Some("needs ONNX Runtime: pip install onnxruntime, or set HARK_ONNXRUNTIME".into());
        }
        None
    }

    /// Parse a voice definition; `origin` says where it came from.
    pub fn parse(toml_text: &str, origin: Origin) -> Result<Voice> {
        let mut def: Voice = toml::from_str(toml_text).map_err(|e| {
            let origin = match &origin {
                Origin::User(p) => p.display().to_string(),
                _ => "embedded voice".to_string(),
            };
            // The line, so a user can find the key the message is about.
            let line = e
                .span()
                .map(|r| toml_text[..r.start.min(toml_text.len())].matches('\n').count() + 1);
            Error::BadVoice {
                origin,
                reason: match line {
                    Some(n) => format!("line {n}: {}", e.message()),
                    None => e.message().to_string(),
                },
            }
        })?;
        def.origin = origin;
        if def.sample_rate == 0 {
            def.sample_rate = match def.engine {
                EngineKind::Pico | EngineKind::Flite => 16_000,
                EngineKind::System => 0,
                EngineKind::Piper => 22_050,
                EngineKind::Kokoro => 24_000,
            };
        }
        Ok(def)
    }

    /// Whether the voice can say anything of `text`: it holds a digit or a
    /// letter of the voice's script (not only CJK, emoji or symbols for a
    /// Latin-script voice).
    ///
    /// ```
    /// let dirs = hark::config::Dirs::from_env();
    /// let v = hark::speech::find_voice(&dirs, "pico-de-de")?;
    /// assert!(v.can_say("Grüße aus Köln."));
    /// assert!(!v.can_say("北京欢迎你 🎉"));
    /// # Ok::<(), hark::Error>(())
    /// ```
    pub fn can_say(&self, text: &str) -> bool {
        text.chars().any(|c| c.is_ascii_digit() || in_script(c, &self.script))
    }

    fn matches(&self, query: &str) -> bool {
        self.name.eq_ignore_ascii_case(query) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(query))
    }

    /// The path of a resource file of a voice kept on disk (relative paths
    /// are relative to the voice's definition).
    pub fn resource_path(&self, rel: &str) -> Result<PathBuf> {
        match &self.origin {
            Origin::User(toml_path) => Ok(toml_path.parent().unwrap_or(Path::new(".")).join(rel)),
            _ => Err(Error::BadVoice {
                origin: format!("voice {}", self.name),
                reason: format!("resource {rel} is not a file on disk"),
            }),
        }
    }

    /// The path of a resource the engine cannot do without (`what` names the
    /// field, e.g. `model`); its absence is a [`Error::BadVoice`].
    #[cfg(feature = "neural")]
    pub(crate) fn required_resource(&self, rel: Option<&str>, what: &str) -> Result<PathBuf> {
        let rel = rel.ok_or_else(|| {
            let engine = self.engine.name();
            Error::BadVoice {
                origin: format!("voice {}", self.name),
                reason: format!(
                    "a {}{} voice needs resources.{what}",
                    engine[..1].to_uppercase(),
                    &engine[1..]
                ),
            }
        })?;
        self.resource_path(rel)
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
                .ok_or_else(|| Error::BadVoice {
                    origin: format!("voice {}", self.name),
                    reason: format!("resource {rel} is not embedded"),
                }),
        }
    }
}

/// The voice used when none is asked for.
pub const DEFAULT_VOICE: &str = "pico-en-us";

/// The embedded voice definitions, in name order.
pub(crate) fn embedded() -> Vec<Voice> {
    embedded::VOICE_DEFS
        .iter()
        .map(|(file, text)| Voice::parse(text, Origin::Embedded).unwrap_or_else(|e| panic!("voices/{file}: {e}")))
        .collect()
}

/// The `*.toml` files in a directory, in name order.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    paths.sort();
    paths
}

/// Where `hark voices add` installs voices: one directory per voice under
/// the data directory (`~/.local/share/hark/voices/NAME/`).
pub(crate) fn installed_dir(dirs: &Dirs) -> PathBuf {
    dirs.data_dir().join("voices")
}

/// Voice definitions in the user's voice directory and the voices `voices
/// add` installed. A malformed file is an error (the user wants to know), a
/// missing directory is not.
fn user_voices(dirs: &Dirs) -> Result<Vec<Voice>> {
    let mut paths = toml_files(dirs.voices_dir());
    if let Ok(entries) = std::fs::read_dir(installed_dir(dirs)) {
        let mut subdirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        subdirs.sort();
        for d in subdirs {
            paths.extend(toml_files(&d));
        }
    }
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io(format!("reading {}", p.display()), e))?;
            Voice::parse(&text, Origin::User(p))
        })
        .collect()
}

/// Every voice definition hark knows (user voices first, so they can
/// shadow an embedded name), whether or not this build can run it.
///
/// ```
/// let dirs = hark::config::Dirs::from_env();
/// let voices = hark::speech::catalog(&dirs)?;
/// assert!(voices.iter().any(|v| v.name == "pico-en-us"));
/// # Ok::<(), hark::Error>(())
/// ```
pub fn catalog(dirs: &Dirs) -> Result<Vec<Voice>> {
    let mut all = user_voices(dirs)?;
    for v in embedded() {
        if !all.iter().any(|u| u.name.eq_ignore_ascii_case(&v.name)) {
            all.push(v);
        }
    }
    Ok(all)
}

/// Find a voice by name or alias (case-insensitive). An unknown name
/// ([`Error::UnknownVoice`], listing what is available) or a voice whose
/// engine is not compiled in ([`Error::EngineNotBuilt`]) is an error.
///
/// ```
/// let dirs = hark::config::Dirs::from_env();
/// assert_eq!(hark::speech::find_voice(&dirs, "PICO-EN-GB")?.language, "en-GB");
/// assert!(hark::speech::find_voice(&dirs, "nobody").is_err());
/// # Ok::<(), hark::Error>(())
/// ```
pub fn find(dirs: &Dirs, query: &str) -> Result<Voice> {
    let all = catalog(dirs)?;
    let found = all
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(query))
        .or_else(|| all.iter().find(|v| v.matches(query)));
    match found {
        Some(v) if v.engine.compiled_in() => Ok(v.clone()),
        Some(v) => Err(Error::EngineNotBuilt {
            voice: v.name.clone(),
            engine: v.engine.name(),
            feature: v.engine.feature().unwrap_or("?"),
        }),
        None => Err(Error::UnknownVoice {
            name: query.to_string(),
            available: all
                .iter()
                .filter(|v| v.engine.compiled_in())
                .map(|v| v.name.clone())
                .collect(),
        }),
    }
}

/// Find a voice by name or alias whether or not this build can run it.
pub(crate) fn find_any(dirs: &Dirs, query: &str) -> Result<Voice> {
    let all = catalog(dirs)?;
    let found = all
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(query))
        .or_else(|| all.iter().find(|v| v.matches(query)));
    found.cloned().ok_or_else(|| Error::UnknownVoice {
        name: query.to_string(),
        available: all.iter().map(|v| v.name.clone()).collect(),
    })
}

/// The voice to read a document in `language` with: `preferred` (a name,
/// from the user's configuration) if given; else a voice of exactly that tag
/// (`en-GB`), then the language's default (the voice whose alias is the
/// bare language, `de` → pico-de-de), then any voice of the language. None
/// of the language is [`Error::NoVoiceForLanguage`], naming the voices
/// that exist; voices that cannot render (the system service) and engines
/// not in this build are not chosen.
///
/// ```
/// let dirs = hark::config::Dirs::from_env();
/// assert_eq!(hark::speech::voice_for(&dirs, "de-AT", None)?.name, "pico-de-de");
/// assert_eq!(hark::speech::voice_for(&dirs, "en", None)?.name, "pico-en-us");
/// assert_eq!(hark::speech::voice_for(&dirs, "en-GB", None)?.name, "pico-en-gb");
/// assert!(matches!(hark::speech::voice_for(&dirs, "ja", None), Err(hark::Error::NoVoiceForLanguage { .. })));
/// # Ok::<(), hark::Error>(())
/// ```
pub fn voice_for(dirs: &Dirs, language: &str, preferred: Option<&str>) -> Result<Voice> {
    if let Some(name) = preferred {
        return find(dirs, name);
    }
    let all = catalog(dirs)?;
    let usable: Vec<&Voice> = all
        .iter()
        .filter(|v| v.engine.compiled_in() && v.engine != EngineKind::System)
        .collect();
    let primary = |t: &str| t.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    let lang = primary(language);
    let of_lang: Vec<&&Voice> = usable.iter().filter(|v| primary(&v.language) == lang).collect();
    let pick = of_lang
        .iter()
        .find(|v| v.language.eq_ignore_ascii_case(language) && language.contains(['-', '_']))
        .or_else(|| {
            of_lang
                .iter()
                .find(|v| v.aliases.iter().any(|a| a.eq_ignore_ascii_case(&lang)))
        })
        .or_else(|| of_lang.first());
    match pick {
        Some(v) => Ok((**v).clone()),
        None => Err(Error::NoVoiceForLanguage {
            language: language.to_string(),
            input: None,
            available: usable.iter().map(|v| format!("{} ({})", v.name, v.language)).collect(),
        }),
    }
}

/// A path on disk holding exactly `bytes`, written atomically into
/// `dir/name` on first use (and rewritten if it differs, e.g. after an
/// upgrade or a corrupted cache). Falls back to the temp directory when the
/// cache directory is not writable.
pub(crate) fn materialize(name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let primary = Dirs::from_env().cache_dir().to_path_buf();
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
        let d = Dirs::from_env();
        assert_eq!(find(&d, "PICO-EN-GB").unwrap().name, "pico-en-gb");
        assert_eq!(find(&d, "default").unwrap().name, DEFAULT_VOICE);
        let err = find(&d, "nope").unwrap_err().to_string();
        assert!(
            err.contains("unknown voice 'nope'") && err.contains("pico-en-us"),
            "{err}"
        );
    }

    #[test]
    fn the_graph_optimization_is_read_from_the_definition() {
        let def =
            |extra: &str| format!("name = \"n\"\nlanguage = \"en-US\"\nengine = \"piper\"\n[inference]\n{extra}\n");
        let v = Voice::parse(&def(""), Origin::Embedded).unwrap();
        assert_eq!(v.inference.optimize, None);
        assert_eq!(v.inference.optimize.unwrap_or_default(), Optimize::None);
        let v = Voice::parse(&def("optimize = \"all\""), Origin::Embedded).unwrap();
        assert_eq!(v.inference.optimize, Some(Optimize::All));
        let err = Voice::parse(&def("optimize = \"fast\""), Origin::Embedded).unwrap_err();
        let err = err.to_string();
        assert!(
            err.contains("line 5: unknown variant `fast`") && err.contains("`all`"),
            "{err}"
        );
    }

    #[test]
    fn bad_definition_is_an_error() {
        let err = Voice::parse("name = 3", Origin::Embedded).unwrap_err();
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
