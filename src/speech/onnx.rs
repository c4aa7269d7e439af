//! Finding and loading ONNX Runtime for the neural voices.
//!
//! hark is not linked against ONNX Runtime and never downloads it: the
//! `ort` crate loads the `libonnxruntime` the user installed, found in this
//! order: `$HARK_ONNXRUNTIME`, `$ORT_DYLIB_PATH` (ort's own variable), then
//! the `onnxruntime` Python package (`pip install onnxruntime`) in an active
//! virtual environment, the user's site-packages or the system's, then the
//! system library directories. One runtime is loaded per process.

use super::voice::{Inference, Optimize};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why the runtime could not be had, kept for every later call.
enum LoadFailure {
    /// Not found: what to install, where hark looked.
    Missing(String),
    /// Found but it would not load.
    Failed(String),
}

static ENV: OnceLock<std::result::Result<ort::environment::Environment, LoadFailure>> = OnceLock::new();

/// Library file names ONNX Runtime ships under.
fn is_runtime_name(name: &str) -> bool {
    name == "libonnxruntime.so"
        || name.starts_with("libonnxruntime.so.")
        || name == "libonnxruntime.dylib"
        || (name.starts_with("libonnxruntime.") && name.ends_with(".dylib"))
        || name == "onnxruntime.dll"
}

/// The runtime library in a directory, if there is one (the highest version
/// when there are several).
fn in_dir(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| is_runtime_name(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found.pop()
}

/// `lib/python3.*/site-packages` (and `dist-packages`) under a prefix.
fn site_packages(prefix: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for lib in ["lib", "lib64", "local/lib"] {
        let Ok(entries) = std::fs::read_dir(prefix.join(lib)) else {
            continue;
        };
        let mut pythons: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
            .map(|e| e.path())
            .collect();
        pythons.sort();
        pythons.reverse();
        for p in pythons {
            out.push(p.join("site-packages"));
            out.push(p.join("dist-packages"));
        }
    }
    out
}

/// Every place looked in, in order, for messages and for the search.
pub(crate) fn candidates() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut prefixes = Vec::new();
    if let Some(v) = std::env::var_os("VIRTUAL_ENV") {
        prefixes.push(PathBuf::from(v));
    }
    if let Some(home) = std::env::var_os("HOME") {
        prefixes.push(PathBuf::from(home).join(".local"));
    }
    prefixes.push(PathBuf::from("/usr"));
    prefixes.push(PathBuf::from("/usr/local"));
    for p in prefixes {
        for sp in site_packages(&p) {
            dirs.push(sp.join("onnxruntime/capi"));
        }
    }
    for d in [
        "/usr/local/lib",
        "/usr/lib",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/opt/homebrew/lib",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// The runtime library hark would load, and the places it looked.
pub(crate) fn locate() -> std::result::Result<PathBuf, Vec<PathBuf>> {
    for var in ["HARK_ONNXRUNTIME", "ORT_DYLIB_PATH"] {
        if let Some(p) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            let p = PathBuf::from(p);
            if p.is_dir() {
                if let Some(f) = in_dir(&p) {
                    return Ok(f);
                }
            }
            return if p.is_file() { Ok(p) } else { Err(vec![p]) };
        }
    }
    let dirs = candidates();
    for d in &dirs {
        if let Some(f) = in_dir(d) {
            return Ok(f);
        }
    }
    Err(dirs)
}

fn missing(tried: &[PathBuf]) -> String {
    format!(
        "install it with `pip install onnxruntime` (into the active virtual environment or with --user), \
         or set HARK_ONNXRUNTIME to the path of libonnxruntime.so; looked in {}",
        tried
            .iter()
            .take(4)
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
            + if tried.len() > 4 { ", …" } else { "" }
    )
}

/// The process's ONNX Runtime environment, loading the library on first use.
pub(crate) fn environment() -> Result<&'static ort::environment::Environment> {
    let env = ENV.get_or_init(|| {
        let path = locate().map_err(|tried| LoadFailure::Missing(missing(&tried)))?;
        let loaded = std::panic::catch_unwind(|| ort::init_from(&path).map(|b| b.with_name("hark").build()));
        match loaded {
            Ok(Ok(Ok(env))) => Ok(env),
            Ok(Ok(Err(e))) => Err(LoadFailure::Failed(format!("{}: {e}", path.display()))),
            Ok(Err(e)) => Err(LoadFailure::Failed(format!(
                "{}: cannot load it as ONNX Runtime ({e})",
                path.display()
            ))),
            Err(_) => Err(LoadFailure::Failed(format!("{}: loading it failed", path.display()))),
        }
    });
    env.as_ref().map_err(|f| match f {
        LoadFailure::Missing(hint) => Error::RuntimeMissing {
            runtime: "ONNX Runtime",
            hint: hint.clone(),
        },
        LoadFailure::Failed(m) => Error::engine("onnxruntime", m.clone()),
    })
}

/// Open a model as a voice's inference settings say: its intra-op threads
/// ([`default_threads`] when unset) and how far its graph is optimized
/// ([`Optimize::None`] when unset).
pub(crate) fn session(model: &Path, inference: &Inference) -> Result<ort::session::Session> {
    use ort::session::builder::GraphOptimizationLevel as Level;
    let env = environment()?;
    let threads = inference.threads.unwrap_or_else(default_threads);
    let level = match inference.optimize.unwrap_or_default() {
        Optimize::None => Level::Disable,
        Optimize::Basic => Level::Level1,
        Optimize::Extended => Level::Level2,
        Optimize::All => Level::Level3,
    };
    let fail = |e: String| Error::engine("onnxruntime", format!("{}: {e}", model.display()));
    ort::session::Session::builder(env)
        .map_err(|e| fail(e.to_string()))?
        .with_intra_threads(threads.max(1))
        .map_err(|e| fail(e.to_string()))?
        .with_inter_threads(1)
        .map_err(|e| fail(e.to_string()))?
        .with_optimization_level(level)
        .map_err(|e| fail(e.to_string()))?
        .commit_from_file(model)
        .map_err(|e| fail(e.to_string()))
}

/// Threads for one engine when the voice does not say: the machine's cores
/// (at most 4, past which these small models gain nothing), or
/// `$HARK_ENGINE_THREADS`.
pub(crate) fn default_threads() -> usize {
    std::env::var("HARK_ENGINE_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(4))
}

/// A model's float samples (full scale ±1) as 16-bit PCM times `volume`;
/// a NaN or infinity becomes silence rather than a click.
pub(crate) fn to_pcm(audio: &[f32], volume: f32) -> Vec<i16> {
    let gain = 32767.0 * volume;
    audio
        .iter()
        .map(|&x| {
            if x.is_finite() {
                (x * gain).clamp(-32768.0, 32767.0) as i16
            } else {
                0
            }
        })
        .collect()
}
