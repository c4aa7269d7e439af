//! Fetching `http(s)://` pages with `ureq` (rustls): redirects followed (at
//! most 10), a timeout for the whole request, a size cap, gzip, and the
//! HTTP `Content-Type` kept so its charset and media type reach decoding.
//! hark never fetches anything the user did not name.

use super::RawInput;
use crate::error::{Error, Result};
use std::time::Duration;

/// How pages are fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// The whole request (connect, redirects, body) must finish in this time.
    pub timeout: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_redirects: 10,
        }
    }
}

/// Is this input name a URL hark fetches?
pub fn is_url(name: &str) -> bool {
    let lower = name.get(..8).unwrap_or(name).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Fetch a page; refuse more than `limit` bytes.
#[cfg(feature = "net")]
pub(crate) fn fetch(url: &str, opts: &FetchOptions, limit: u64) -> Result<RawInput> {
    use ureq::ResponseExt;
    let fail = |reason: String| Error::Fetch {
        url: url.to_string(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .max_redirects(opts.max_redirects)
        .max_redirects_will_error(true)
        .http_status_as_error(false)
        .user_agent(concat!("hark/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut resp = agent
        .get(url)
        .header("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5")
        .call()
        .map_err(|e| fail(describe(&e, opts)))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(fail(format!(
            "HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )));
    }
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let host = resp.get_uri().host().map(str::to_string);
    if let Some(len) = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
    {
        if len > limit {
            return Err(Error::TooLarge {
                input: url.to_string(),
                size: len,
                limit,
            });
        }
    }
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => Error::TooLarge {
                input: url.to_string(),
                size: limit + 1,
                limit,
            },
            e => fail(describe(&e, opts)),
        })?;
    Ok(RawInput {
        name: url.to_string(),
        bytes,
        content_type,
        tld: host.and_then(|h| h.rsplit('.').next().map(str::to_ascii_lowercase)),
    })
}

#[cfg(feature = "net")]
fn describe(e: &ureq::Error, opts: &FetchOptions) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", opts.timeout.as_secs_f64()),
        ureq::Error::TooManyRedirects => format!("more than {} redirects", opts.max_redirects),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// Without the `net` feature a URL is refused with the reason.
#[cfg(not(feature = "net"))]
pub(crate) fn fetch(url: &str, _: &FetchOptions, _: u64) -> Result<RawInput> {
    Err(Error::Fetch {
        url: url.to_string(),
        reason: "this build cannot fetch URLs (cargo feature `net`)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_url("https://example.com/a"));
        assert!(is_url("HTTP://example.com"));
        assert!(!is_url("example.com/a"));
        assert!(!is_url("http"));
        assert!(!is_url("./https:/x"));
    }
}
