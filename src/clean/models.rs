//! Language models the user installs (`hark models add`), kept under the
//! data directory (`~/.local/share/hark/models/NAME.gguf`, copied or
//! linked); the one added last is the default (its name is in `default`).
//! Nothing is ever downloaded.

use crate::config::Dirs;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Where installed models are kept.
pub fn models_dir(dirs: &Dirs) -> PathBuf {
    dirs.data_dir().join("models")
}

/// One installed model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Installed {
    /// Its name.
    pub name: String,
    /// The file (a link, for a model added with `--link`).
    pub path: PathBuf,
    /// The file's size in bytes (of the target, for a link).
    pub bytes: u64,
    /// Used when none is named.
    pub default: bool,
}

fn default_name(dirs: &Dirs) -> Option<String> {
    std::fs::read_to_string(models_dir(dirs).join("default"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The installed models, by name.
pub fn installed(dirs: &Dirs) -> Vec<Installed> {
    let default = default_name(dirs);
    let Ok(entries) = std::fs::read_dir(models_dir(dirs)) else {
        return Vec::new();
    };
    let mut out: Vec<Installed> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let name = path.file_name()?.to_str()?.strip_suffix(".gguf")?.to_string();
            let bytes = std::fs::metadata(&path).ok()?.len();
            Some(Installed {
                default: default.as_deref() == Some(name.as_str()),
                name,
                path,
                bytes,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
}

/// Install the GGUF model at `path` as `name` (default: its file name in
/// lower case), copied (atomically) or, with `link`, linked; it becomes
/// the default. The file is loaded first, so a broken or unsupported one
/// is refused ([`Error::BadModel`]) and nothing is installed.
pub fn install(dirs: &Dirs, path: &Path, name: Option<&str>, link: bool) -> Result<Installed> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Unreadable {
        input: path.display().to_string(),
        source,
    })?;
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            input: path.display().to_string(),
        });
    }
    let name = match name {
        Some(n) => n.to_string(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default(),
    };
    if !valid_name(&name) {
        return Err(Error::Invalid(format!(
            "'{name}' cannot name a model: use letters, digits, '-', '_' and '.'"
        )));
    }
    // Refuse what hark cannot run, before anything is written.
    super::lm::LanguageModel::load(path)?;
    let dir = models_dir(dirs);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let dest = dir.join(format!("{name}.gguf"));
    if dest.symlink_metadata().is_ok() {
        return Err(Error::OutputExists { path: dest.clone() });
    }
    let io = |e: std::io::Error| Error::io(dest.display().to_string(), e);
    if link {
        let target = std::fs::canonicalize(path).map_err(|e| Error::io(path.display().to_string(), e))?;
        crate::config::link(&target, &dest)?;
    } else {
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
        let mut src = std::fs::File::open(path).map_err(|e| Error::io(path.display().to_string(), e))?;
        std::io::copy(&mut src, tmp.as_file_mut()).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist_noclobber(&dest).map_err(|e| io(e.error))?;
    }
    write_default(dirs, &name)?;
    Ok(Installed {
        name,
        bytes: std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(meta.len()),
        path: dest,
        default: true,
    })
}

fn write_default(dirs: &Dirs, name: &str) -> Result<()> {
    let file = models_dir(dirs).join("default");
    let io = |e: std::io::Error| Error::io(file.display().to_string(), e);
    let mut tmp = tempfile::NamedTempFile::new_in(models_dir(dirs)).map_err(io)?;
    std::io::Write::write_all(tmp.as_file_mut(), format!("{name}\n").as_bytes()).map_err(io)?;
    tmp.persist(&file).map_err(|e| io(e.error))?;
    Ok(())
}

/// Remove the installed model `name` (a link goes, not what it points to);
/// the path removed.
pub fn remove(dirs: &Dirs, name: &str) -> Result<PathBuf> {
    let Some(m) = installed(dirs).into_iter().find(|m| m.name == name) else {
        return Err(unknown(dirs, name));
    };
    std::fs::remove_file(&m.path).map_err(|e| Error::io(m.path.display().to_string(), e))?;
    if m.default {
        let _ = std::fs::remove_file(models_dir(dirs).join("default"));
    }
    Ok(m.path)
}

fn unknown(dirs: &Dirs, name: &str) -> Error {
    Error::UnknownModel {
        name: name.to_string(),
        available: installed(dirs).into_iter().map(|m| m.name).collect(),
    }
}

/// The model file a choice stands for: `none`/`off` for none, a path to a
/// file, an installed model's name; no choice: the default, if one is
/// installed.
pub fn resolve(dirs: &Dirs, choice: Option<&str>) -> Result<Option<PathBuf>> {
    match choice.map(str::trim) {
        Some("none" | "off") => Ok(None),
        Some(c) if c.contains(std::path::MAIN_SEPARATOR) || c.ends_with(".gguf") => {
            let p = PathBuf::from(c);
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => Err(Error::IsDirectory { input: c.to_string() }),
                Ok(_) => Ok(Some(p)),
                Err(source) => Err(Error::Unreadable {
                    input: c.to_string(),
                    source,
                }),
            }
        }
        Some(name) => installed(dirs)
            .into_iter()
            .find(|m| m.name == name)
            .map(|m| Some(m.path))
            .ok_or_else(|| unknown(dirs, name)),
        None => Ok(default_name(dirs)
            .and_then(|d| installed(dirs).into_iter().find(|m| m.name == d))
            .map(|m| m.path)),
    }
}
