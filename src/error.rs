//! hark's error type and its exit-code policy.
//!
//! * 0 — success
//! * 1 — an operational failure (I/O on output, audio device…)
//! * 2 — bad input or usage (unreadable, binary, undecodable, empty input; bad flags)
//! * 3 — a selection matched nothing
//! * 130 — interrupted (Ctrl-C); nothing partial is left behind

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// The input cannot be used as text (binary, bad encoding, empty…).
    #[error("{source_name}: {message}")]
    BadInput { source_name: String, message: String },
    /// A selector or option is malformed.
    #[error("{0}")]
    Usage(String),
    /// A selector matched nothing. `detail` says what was searched and the
    /// closest candidates.
    #[error("selection matched nothing: {detail}")]
    NoMatch { detail: String },
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// A speech engine or audio device failed.
    #[error("{0}")]
    Engine(String),
    /// The user interrupted the work (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub fn bad_input(source_name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::BadInput {
            source_name: source_name.into(),
            message: message.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BadInput { .. } | Error::Usage(_) => 2,
            Error::NoMatch { .. } => 3,
            Error::Io { .. } | Error::Engine(_) => 1,
            Error::Interrupted => 130,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
