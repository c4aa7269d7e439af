//! The `hark` binary: parse the command line, run it, map errors to exit
//! codes (0 ok, 1 failure, 2 bad input or usage, 3 selection matched
//! nothing). A closed pipe (`hark clean a.txt | head`) ends quietly.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let verbose = cli.verbose;
    let result = try_main(cli);
    if verbose >= 1 {
        if let Some(mb) = peak_memory_mb() {
            eprintln!("hark: peak memory {mb:.1} MB");
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let hark::Error::Io { source, .. } = &err {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("hark: error: {err}");
            ExitCode::from(err.exit_code() as u8)
        }
    }
}

fn try_main(cli: cli::Cli) -> hark::Result<()> {
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
