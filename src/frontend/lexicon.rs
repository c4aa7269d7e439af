//! The user lexicon: a TOML file of written → spoken entries that
//! overrides every table ("Kirby" = "Kurby", "DPRK" = "North Korea").
//!
//! ```toml
//! # ~/.config/hark/lexicon.toml
//! [words]
//! Kirby = "Kurby"
//! "Thomas-Greenfield" = "Thomas Greenfield"
//! "ICBM" = "intercontinental ballistic missile"
//! ```
//! Entries may also sit at the top level. A key matches whole words: with
//! its exact case first, then in any case.

use crate::config::Dirs;
use std::collections::HashMap;
use std::path::Path;

/// Written forms and how to say them; consulted before every table.
///
/// ```
/// let lex = hark::frontend::Lexicon::parse("Kirby = \"Kurby\"").unwrap();
/// let opts = hark::frontend::NormalizeOptions { lexicon: Some(lex.into()), ..Default::default() };
/// assert_eq!(hark::frontend::normalize("Kirby said", &opts).spoken, "Kurby said");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    /// Entries by lower-cased first character, longest key first.
    by_first: HashMap<char, Vec<(String, String)>>,
    len: usize,
}

impl Lexicon {
    /// Parse a lexicon file's text.
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let value: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut lex = Lexicon::default();
        for (k, v) in &value {
            match v {
                toml::Value::String(s) => lex.insert(k, s),
                toml::Value::Table(t) if k == "words" => {
                    for (k2, v2) in t {
                        let s = v2
                            .as_str()
                            .ok_or_else(|| format!("words.{k2}: the spoken form must be a string"))?;
                        lex.insert(k2, s);
                    }
                }
                _ => return Err(format!("{k}: expected a string (or a [words] table of strings)")),
            }
        }
        Ok(lex)
    }

    /// Read and parse a lexicon file.
    pub fn load(path: &Path) -> crate::Result<Lexicon> {
        let err = |reason: String| crate::Error::Config {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read the lexicon: {e}")))?;
        Lexicon::parse(&text).map_err(|e| err(format!("lexicon: {e}")))
    }

    /// The lexicon a command uses: the user's file ([`Dirs::lexicon_file`],
    /// when `use_default` and it exists), then `explicit` on top (it must
    /// exist). None when neither gives an entry.
    pub fn load_user(dirs: &Dirs, explicit: Option<&Path>, use_default: bool) -> crate::Result<Option<Lexicon>> {
        let mut lex = Lexicon::default();
        if use_default {
            let p = dirs.lexicon_file();
            if p.is_file() {
                lex.merge(&Lexicon::load(&p)?);
            }
        }
        if let Some(p) = explicit {
            lex.merge(&Lexicon::load(p)?);
        }
        Ok((!lex.is_empty()).then_some(lex))
    }

    /// Add (or replace) an entry.
    pub fn insert(&mut self, written: &str, spoken: &str) {
        let Some(first) = written.chars().next() else { return };
        let key = first.to_lowercase().next().unwrap_or(first);
        let list = self.by_first.entry(key).or_default();
        if let Some(e) = list.iter_mut().find(|(w, _)| w == written) {
            e.1 = spoken.to_string();
        } else {
            list.push((written.to_string(), spoken.to_string()));
            self.len += 1;
        }
        list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }

    /// Entries of `other` override this lexicon's.
    pub fn merge(&mut self, other: &Lexicon) {
        for list in other.by_first.values() {
            for (w, s) in list {
                self.insert(w, s);
            }
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True without entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entry written at the start of `s`: exact case first, then any
    /// case. The match must end at a word boundary.
    pub fn lookup(&self, s: &str) -> Option<(usize, &str)> {
        let first = s.chars().next()?;
        let list = self.by_first.get(&first.to_lowercase().next().unwrap_or(first))?;
        let fits = |w: &str| {
            let n = w.len();
            let ends_alnum = w.chars().next_back().is_some_and(char::is_alphanumeric);
            !(ends_alnum && s[n..].chars().next().is_some_and(char::is_alphanumeric))
        };
        for (w, say) in list {
            if s.starts_with(w.as_str()) && fits(w) {
                return Some((w.len(), say));
            }
        }
        for (w, say) in list {
            if s.get(..w.len()).is_some_and(|h| h.to_lowercase() == w.to_lowercase()) && fits(w) {
                return Some((w.len(), say));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_lookup() {
        let lex =
            Lexicon::parse("Kirby = \"Kurby\"\n[words]\n\"Thomas-Greenfield\" = \"Thomas Greenfield\"\nus = \"us\"\n")
                .unwrap();
        assert_eq!(lex.len(), 3);
        assert_eq!(lex.lookup("Kirby said"), Some((5, "Kurby")));
        assert_eq!(lex.lookup("KIRBY"), Some((5, "Kurby")));
        assert_eq!(lex.lookup("Kirbys"), None);
        assert_eq!(lex.lookup("Thomas-Greenfield,"), Some((17, "Thomas Greenfield")));
        assert!(Lexicon::parse("x = 3").is_err());
        assert!(Lexicon::parse("[words]\nx = 3").is_err());
        assert!(Lexicon::parse("not toml [").is_err());
    }
}
