//! The `hark` binary: parse the command line, run it, map errors to exit
//! codes (0 ok, 1 failure, 2 bad input or usage, 3 selection matched
//! nothing). A closed pipe (`hark clean a.txt | head`) ends quietly.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match try_main(cli) {
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
