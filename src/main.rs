//! The `hark` binary: parse the command line, run it, map errors to exit
//! codes (`cli/exit.rs`). A closed pipe (`hark clean a.txt | head`) ends
//! quietly.

mod cli;

use clap::FromArgMatches;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_error(e),
    };
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    let verbose = cli.verbose;
    let result = run(cli);
    if verbose >= 1 {
        if let Some(mb) = peak_memory_mb() {
            eprintln!("hark: peak memory {mb:.1} MB");
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hark: error: {}", cli::exit::message(&err));
            ExitCode::from(cli::exit::code(&err))
        }
    }
}

/// Help and version go to stdout with status 0; usage errors get hark's
/// own prefix and status 2.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            eprint!("hark: error: {text}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: cli::Cli) -> hark::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    cli::run(cli, &mut out)?;
    out.flush().map_err(|e| hark::Error::io("writing output", e))
}

/// Peak resident memory of this process (Linux: VmHWM), for `-v`.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
