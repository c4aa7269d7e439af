//! Turning what a user names into inputs: files, `-` (standard input),
//! `http(s)://` URLs, directories (walked recursively for article files),
//! and `@list` files of paths and URLs, one per line (`@-`: the list comes
//! on standard input). Each name yields its inputs or its own error, so one
//! bad name never stops the others.

use super::{fetch::is_url, Source};
use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// File name patterns read inside a directory when none are given.
pub const DEFAULT_GLOBS: &[&str] = &["*.txt", "*.text", "*.md", "*.html", "*.htm", "*.xhtml"];

/// How names become inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatherOptions {
    /// Glob patterns for files inside directories (matched against the path
    /// below the directory, e.g. `*.html` or `2024/**/*.txt`); empty:
    /// [`DEFAULT_GLOBS`].
    pub globs: Vec<String>,
}

/// The inputs a list of names stands for, in order: each name's inputs, or
/// the error that names it. Directories are walked in name order; hidden
/// files and directories are skipped.
///
/// ```
/// use hark::{gather, GatherOptions};
/// let inputs = gather(&["examples".into(), "no/such/dir/".into()], &GatherOptions::default());
/// assert!(inputs.iter().filter(|i| i.is_ok()).count() >= 5);
/// ```
pub fn gather(names: &[String], opts: &GatherOptions) -> Vec<Result<Source>> {
    let globs = match build_globs(opts) {
        Ok(g) => g,
        Err(e) => return vec![Err(e)],
    };
    let mut out = Vec::new();
    for name in names {
        one(name, &globs, &mut out, 0);
    }
    out
}

fn build_globs(opts: &GatherOptions) -> Result<globset::GlobSet> {
    let mut b = globset::GlobSetBuilder::new();
    let given: Vec<&str> = if opts.globs.is_empty() {
        DEFAULT_GLOBS.to_vec()
    } else {
        opts.globs.iter().map(String::as_str).collect()
    };
    for g in given {
        let glob = globset::GlobBuilder::new(g)
            .case_insensitive(true)
            .literal_separator(false)
            .build()
            .map_err(|e| Error::BadPattern {
                pattern: g.to_string(),
                reason: e.kind().to_string(),
            })?;
        b.add(glob);
    }
    b.build().map_err(|e| Error::BadPattern {
        pattern: opts.globs.join(","),
        reason: e.to_string(),
    })
}

fn one(name: &str, globs: &globset::GlobSet, out: &mut Vec<Result<Source>>, depth: usize) {
    if name == "-" {
        out.push(Ok(Source::Stdin));
    } else if is_url(name) {
        out.push(Ok(Source::Url(name.to_string())));
    } else if let Some(list) = name.strip_prefix('@') {
        if depth > 4 {
            out.push(Err(Error::Invalid(format!("{name}: lists nested more than 4 deep"))));
            return;
        }
        match read_list(list) {
            Ok(lines) => {
                for l in lines {
                    one(&l, globs, out, depth + 1);
                }
            }
            Err(e) => out.push(Err(e)),
        }
    } else if Path::new(name).is_dir() {
        walk(name, globs, out);
    } else {
        out.push(Ok(Source::Path(name.into())));
    }
}

/// The entries of a list: one path or URL per line; blank lines and lines
/// starting with `#` are skipped.
fn read_list(list: &str) -> Result<Vec<String>> {
    let name = format!("@{list}");
    let text = if list == "-" {
        let mut s = String::new();
        std::io::stdin()
            .lock()
            .take(super::MAX_INPUT_BYTES)
            .read_to_string(&mut s)
            .map_err(|e| Error::Unreadable { input: name, source: e })?;
        s
    } else {
        std::fs::read_to_string(list).map_err(|e| Error::Unreadable { input: name, source: e })?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

fn walk(dir: &str, globs: &globset::GlobSet, out: &mut Vec<Result<Source>>) {
    let before = out.len();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                if globs.is_match(rel) || e.path().file_name().is_some_and(|n| globs.is_match(n)) {
                    out.push(Ok(Source::Path(e.path().to_path_buf())));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.to_string());
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("a directory loop"));
                out.push(Err(Error::Unreadable {
                    input: path,
                    source: io,
                }));
            }
        }
    }
    if out.len() == before {
        out.push(Err(Error::NothingToRead { input: dir.to_string() }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lists_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub/.hidden")).unwrap();
        for f in [
            "b.txt",
            "a.html",
            "notes.pdf",
            "sub/c.TXT",
            "sub/.hidden/x.txt",
            ".y.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let list = d.join("list.txt");
        std::fs::write(&list, "# reading list\nhttps://example.com/a\n\n  sub/c.TXT  \n").unwrap();
        let names = |v: &[Result<Source>]| -> Vec<String> {
            v.iter()
                .map(|r| match r {
                    Ok(s) => s.name().replace(&d.display().to_string(), "D"),
                    Err(e) => format!("error: {e}"),
                })
                .collect()
        };
        let got = gather(&[d.display().to_string()], &GatherOptions::default());
        assert_eq!(names(&got), ["D/a.html", "D/b.txt", "D/list.txt", "D/sub/c.TXT"]);
        let got = gather(
            &[d.display().to_string()],
            &GatherOptions {
                globs: vec!["*.html".into()],
            },
        );
        assert_eq!(names(&got), ["D/a.html"]);
        let got = gather(&[format!("@{}", list.display()), "-".into()], &GatherOptions::default());
        assert_eq!(names(&got), ["https://example.com/a", "sub/c.TXT", "-"]);
        let got = gather(&["@/no/such/list".into()], &GatherOptions::default());
        assert!(names(&got)[0].contains("@/no/such/list"), "{:?}", names(&got));
        let empty = tempfile::tempdir().unwrap();
        let got = gather(&[empty.path().display().to_string()], &GatherOptions::default());
        assert!(matches!(got[0], Err(Error::NothingToRead { .. })));
        let bad = gather(
            &["x".into()],
            &GatherOptions {
                globs: vec!["a[".into()],
            },
        );
        assert!(matches!(bad[0], Err(Error::BadPattern { .. })));
    }
}
