//! URL text fragments (WICG "URL Fragment Text Directives"):
//! `#:~:text=[prefix-,]start[,end][,-suffix]`, several joined by `&`.
//!
//! [`parse`] follows the spec's parser; [`find`] runs "find a range from a
//! text directive" on plain text: case-insensitive, whitespace-collapsed,
//! word-bounded (a word does not end inside `he's` or `3.5`).

use serde::Serialize;
use std::ops::Range;

/// One parsed `text=` directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextDirective {
    /// Text that must come just before the match.
    pub prefix: Option<String>,
    /// The match's start (or the whole match).
    pub start: String,
    /// The match's end, when it is a range.
    pub end: Option<String>,
    /// Text that must come just after the match.
    pub suffix: Option<String>,
}

/// Parse every valid `text=` directive in a URL or fragment. Invalid
/// directives are skipped, as browsers do.
pub fn parse(fragment: &str) -> Vec<TextDirective> {
    let Some(at) = fragment.find(":~:") else {
        return Vec::new();
    };
    fragment[at + 3..]
        .split('&')
        .filter_map(|d| d.strip_prefix("text="))
        .filter_map(parse_one)
        .collect()
}

fn parse_one(value: &str) -> Option<TextDirective> {
    let mut items: Vec<&str> = value.split(',').collect();
    if items.iter().any(|i| i.is_empty()) {
        return None;
    }
    let prefix = match items.first() {
        Some(first) if first.ends_with('-') && items.len() > 1 => {
            let p = first[..first.len() - 1].to_string();
            items.remove(0);
            Some(p)
        }
        _ => None,
    };
    let suffix = match items.last() {
        Some(last) if last.starts_with('-') && items.len() > 1 => {
            let s = last[1..].to_string();
            items.pop();
            Some(s)
        }
        _ => None,
    };
    if items.is_empty() || items.len() > 2 || items.iter().any(|i| i.starts_with('-') || i.ends_with('-')) {
        return None;
    }
    let decoded: Vec<String> = items.iter().map(|i| percent_decode(i)).collect();
    let nonempty = |s: String| if s.is_empty() { None } else { Some(s) };
    Some(TextDirective {
        prefix: prefix.map(|p| percent_decode(&p)).and_then(nonempty),
        start: decoded[0].clone(),
        end: decoded.get(1).cloned(),
        suffix: suffix.map(|s| percent_decode(&s)).and_then(nonempty),
    })
}

/// Percent-decoding where a `%` not followed by two hex digits stays as is.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (b.get(i + 1).and_then(|&c| hex(c)), b.get(i + 2).and_then(|&c| hex(c))) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Text prepared for matching: lower-cased chars with whitespace runs made
/// one space, and each char's byte offset in the original.
struct Haystack {
    chars: Vec<char>,
    offsets: Vec<usize>,
    len_bytes: usize,
}

pub(crate) fn fold_char(c: char) -> char {
    match c {
        '’' | '‘' | '`' => '\'',
        '“' | '”' | '«' | '»' => '"',
        '–' | '—' | '‐' | '−' => '-',
        '\u{a0}' => ' ',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

pub(crate) fn normalize_for_match(text: &str) -> (Vec<char>, Vec<usize>) {
    let h = normalize(text);
    (h.chars, h.offsets)
}

fn normalize(text: &str) -> Haystack {
    let mut chars = Vec::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    let mut last_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !last_space {
                chars.push(' ');
                offsets.push(i);
            }
            last_space = true;
        } else {
            chars.push(fold_char(c));
            offsets.push(i);
            last_space = false;
        }
    }
    Haystack {
        chars,
        offsets,
        len_bytes: text.len(),
    }
}

fn query_chars(q: &str) -> Vec<char> {
    normalize(q.trim()).chars
}

impl Haystack {
    fn byte(&self, i: usize) -> usize {
        self.offsets.get(i).copied().unwrap_or(self.len_bytes)
    }

    fn is_word(c: char) -> bool {
        c.is_alphanumeric()
    }

    /// Is there a word boundary before char index `p`?
    fn boundary(&self, p: usize) -> bool {
        let at = |i: isize| -> Option<char> {
            if i < 0 {
                None
            } else {
                self.chars.get(i as usize).copied()
            }
        };
        let p = p as isize;
        let (a, b) = match (at(p - 1), at(p)) {
            (Some(a), Some(b)) => (a, b),
            _ => return true,
        };
        if Self::is_word(a) && Self::is_word(b) {
            return false;
        }
        let joins = |before: Option<char>, mid: char, after: Option<char>| {
            let (Some(x), Some(y)) = (before, after) else {
                return false;
            };
            (mid == '\'' && x.is_alphabetic() && y.is_alphabetic())
                || ((mid == '.' || mid == ',') && x.is_ascii_digit() && y.is_ascii_digit())
        };
        !(joins(at(p - 2), a, Some(b)) || joins(Some(a), b, at(p + 1)))
    }

    fn matches_at(&self, q: &[char], i: usize) -> bool {
        i + q.len() <= self.chars.len() && self.chars[i..i + q.len()] == *q
    }

    /// First match of `q` at or after `from`, with the boundary rules.
    fn find(&self, q: &[char], from: usize, start_bounded: bool, end_bounded: bool) -> Option<Range<usize>> {
        if q.is_empty() {
            return None;
        }
        (from..=self.chars.len().saturating_sub(q.len())).find_map(|i| {
            let ok = self.matches_at(q, i)
                && (!start_bounded || self.boundary(i))
                && (!end_bounded || self.boundary(i + q.len()));
            ok.then(|| i..i + q.len())
        })
    }

    fn skip_space(&self, mut i: usize) -> usize {
        while self.chars.get(i) == Some(&' ') {
            i += 1;
        }
        i
    }
}

/// Find the first range of `text` that `directive` selects: a byte range.
pub fn find(text: &str, directive: &TextDirective) -> Option<Range<usize>> {
    let hay = normalize(text);
    let start = query_chars(&directive.start);
    let end = directive.end.as_deref().map(query_chars);
    let prefix = directive.prefix.as_deref().map(query_chars);
    let suffix = directive.suffix.as_deref().map(query_chars);
    let start_end_bounded = end.is_some() || suffix.is_none();
    let mut search_start = 0;
    while search_start <= hay.chars.len() {
        let mut potential = if let Some(prefix) = &prefix {
            let pm = hay.find(prefix, search_start, true, false)?;
            search_start = pm.start + 1;
            let ms = hay.skip_space(pm.end);
            if ms >= hay.chars.len() {
                return None;
            }
            if !hay.matches_at(&start, ms) || (start_end_bounded && !hay.boundary(ms + start.len())) {
                continue;
            }
            ms..ms + start.len()
        } else {
            let m = hay.find(&start, search_start, true, start_end_bounded)?;
            search_start = m.start + 1;
            m
        };
        let mut range_end_search = potential.end;
        loop {
            let mut end_match_start = None;
            if let Some(end) = &end {
                let em = hay.find(end, range_end_search, true, suffix.is_none())?;
                end_match_start = Some(em.start);
                potential.end = em.end;
            }
            let Some(suffix) = &suffix else {
                return Some(hay.byte(potential.start)..hay.byte(potential.end));
            };
            let ss = hay.skip_space(potential.end);
            if hay.matches_at(suffix, ss) && hay.boundary(ss + suffix.len()) {
                return Some(hay.byte(potential.start)..hay.byte(potential.end));
            }
            match end_match_start {
                Some(s) => range_end_search = s + 1,
                None => break,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_find() {
        let d = parse("https://x.test/a#:~:text=quick%20brown-,fox,-jumped");
        assert_eq!(d.len(), 1);
        let text = "The quick brown fox jumped.";
        let r = find(text, &d[0]).unwrap();
        assert_eq!(&text[r], "fox");
        assert!(find("he's", &parse(":~:text=he")[0]).is_none());
    }
}
