//! The command line's error policy: which exit status each library error
//! gets, and the hint (naming a flag or a command) that goes with it.
//!
//! * 0 — success
//! * 1 — an operational failure (writing output, engine, audio device)
//! * 2 — bad input or usage (unreadable, binary, undecodable, empty input;
//!   bad flags, voices or ranges)
//! * 3 — a selection matched nothing
//! * 130 — interrupted by a signal (Ctrl-C, SIGTERM, SIGHUP); nothing
//!   partial is left behind

use hark::Error;

/// The exit status for an error.
pub fn code(e: &Error) -> u8 {
    match e {
        Error::NoMatch { .. } => 3,
        Error::Interrupted => 130,
        Error::Io { .. } | Error::Engine { .. } | Error::AudioDevice(_) | Error::Batch { .. } => 1,
        _ => 2,
    }
}

/// What the user can do about it, in the command line's terms.
pub fn hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::Undecodable { encoding, .. } if *encoding == "UTF-8" => {
            "if it is a legacy page, pass --encoding windows-1252 (or the page's own encoding)".into()
        }
        Error::Undecodable { .. } => "pass --encoding with the input's real encoding".into(),
        Error::UnknownEncoding { .. } => "try --encoding utf-8 or --encoding windows-1252".into(),
        Error::NotText { .. } => "hark reads plain text and HTML".into(),
        Error::UnknownVoice { .. } => "see `hark voices`".into(),
        Error::UnknownModel { .. } => "see `hark models`".into(),
        Error::NoVoiceForLanguage { .. } => "pick one with --voice, or see `hark voices --all`".into(),
        Error::EngineNotBuilt { feature, .. } => {
            format!("rebuild hark with `cargo build --release --features {feature}`")
        }
        Error::FormatNotBuilt { feature, .. } => {
            format!("rebuild hark with `cargo build --release --features {feature}`, or export WAV")
        }
        Error::CannotRender { .. } => {
            "use `hark listen --engine system`, or an embedded voice for export (see `hark voices`)".into()
        }
        Error::Prosody { what, .. } => format!("give --{what} a value in that range"),
        Error::OutputExists { .. } => "pass --force to overwrite it".into(),
        Error::OutputClash { .. } => "export them to different directories".into(),
        Error::BadManifest { .. } => "move it away, or pass --no-resume".into(),
        Error::AudioDevice(_) => {
            "if this machine has no usable sound output, write a file instead: `hark export FILE -o out.wav`".into()
        }
        Error::Batch { .. } => "each failure is reported above".into(),
        _ => return None,
    })
}

/// The error with its hint, as printed after `hark: error: `. A few
/// errors are worded in the command line's terms (the flag that was given).
pub fn message(e: &Error) -> String {
    if let Error::Prosody { what, value, min, max } = e {
        return format!("--{what} {value} is out of range for this engine ({min}–{max})");
    }
    match hint(e) {
        Some(h) => format!("{e}; {h}"),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(code(&Error::Interrupted), 130);
        assert_eq!(code(&Error::Empty { input: "-".into() }), 2);
        assert_eq!(
            code(&Error::NoMatch {
                input: "a".into(),
                selector: "x".into(),
                closest: vec![]
            }),
            3
        );
        assert_eq!(code(&Error::io("writing", std::io::Error::other("x"))), 1);
        let m = message(&Error::OutputExists { path: "a.wav".into() });
        assert_eq!(m, "a.wav already exists; pass --force to overwrite it");
    }
}
