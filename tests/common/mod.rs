//! Shared by the integration tests: the seed articles (examples/NAME.txt,
//! golden clean text in tests/golden/NAME.clean.txt).

#[allow(dead_code)]
pub const SEEDS: [&str; 5] = [
    "000_624dd58d807fbd70",
    "001_4b6f62f767aa35ac",
    "002_2f63a6bd757cd7b7",
    "003_b469bd4e41b0bdd9",
    "004_e907f36626033505",
];

pub mod extraction;
#[allow(dead_code)]
pub mod http;

/// Run the real `hark` binary in the crate's directory, with `stdin` fed,
/// and the user's config file kept out of it.
#[allow(dead_code)]
pub fn hark(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HARK_CONFIG", "/nonexistent/hark-test-config.toml")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hark");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}
