//! Where listening stopped, per article, so the next `listen` can go on
//! from there: one small JSON file per article in the state directory
//! (`~/.local/state/hark/listen/KEY.json`), keyed by a hash of the clean
//! text, so the same article read from a file, a page or a URL is one.

use crate::config::Dirs;
use crate::error::{Error, Result};
use crate::Article;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// A stored position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Position {
    /// The 1-based sentence to go on from.
    pub sentence: usize,
    /// The article's sentence count, as a check.
    pub sentences: usize,
    /// Its title, for messages.
    #[serde(default)]
    pub title: Option<String>,
}

/// The key of an article: the SHA-256 of its clean paragraphs, in hex.
pub fn key(article: &Article) -> String {
    let mut h = Sha256::new();
    for p in &article.document().paragraphs {
        h.update(p.text.as_bytes());
        h.update(b"\n\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn path(dirs: &Dirs, key: &str) -> PathBuf {
    dirs.state_dir()
        .join("listen")
        .join(format!("{}.json", &key[..key.len().min(32)]))
}

/// The position stored for an article, if any (a file that cannot be read
/// or names a sentence past the end counts as none).
pub fn load(dirs: &Dirs, article: &Article) -> Option<Position> {
    let text = std::fs::read_to_string(path(dirs, &key(article))).ok()?;
    let p: Position = serde_json::from_str(&text).ok()?;
    let n = article.sentences().len();
    (p.sentence >= 1 && p.sentence <= n && p.sentences == n).then_some(p)
}

/// Store where listening stopped (written atomically).
pub fn save(dirs: &Dirs, article: &Article, sentence: usize) -> Result<()> {
    let p = path(dirs, &key(article));
    let dir = p.parent().expect("has a parent").to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let pos = Position {
        sentence,
        sentences: article.sentences().len(),
        title: article.document().meta.title.clone(),
    };
    let mut tmp =
        tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(format!("writing in {}", dir.display()), e))?;
    serde_json::to_writer(&mut tmp, &pos).map_err(|e| Error::Invalid(e.to_string()))?;
    tmp.persist(&p)
        .map_err(|e| Error::io(format!("writing {}", p.display()), e.error))?;
    Ok(())
}

/// Forget an article's position (it was heard to the end).
pub fn forget(dirs: &Dirs, article: &Article) {
    let _ = std::fs::remove_file(path(dirs, &key(article)));
}
