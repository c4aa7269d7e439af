//! Selectors that choose again what was picked by hand: `--sentences`
//! ranges, and a URL text fragment (`#:~:text=`) that finds the same text
//! in a browser or in `hark --fragment`.

use super::fragment::{self, TextDirective};
use crate::document::Sentence;
use std::ops::Range;

/// The same choice of sentences, written as selectors.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Replay {
    /// For `--sentences`: 1-based ranges, `3,5-7`.
    pub sentences: String,
    /// A text fragment, `#:~:text=start,end&text=…`: one directive per run
    /// of consecutive sentences, each as short as it can be while still
    /// finding exactly that run first.
    pub fragment: String,
}

/// `3,5-7` for the 0-based indices {2, 4, 5, 6}.
fn ranges(chosen: &[usize]) -> Vec<Range<usize>> {
    let mut sorted = chosen.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<Range<usize>> = Vec::new();
    for i in sorted {
        match out.last_mut() {
            Some(r) if r.end == i => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Percent-encode all but ASCII letters, digits and `._~`: commas,
/// ampersands and dashes mean something in a directive.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The shortest `text=` directive whose first match in `text` is exactly
/// `span`: its first and last words (more of them until no earlier text
/// matches), else the whole passage, and where even that is found earlier
/// (a repeated sentence), words before it as a `prefix-`.
fn directive(text: &str, span: Range<usize>) -> String {
    let words: Vec<&str> = text[span.clone()].split_whitespace().collect();
    let before: Vec<&str> = text[..span.start].split_whitespace().rev().take(12).collect();
    for p in 0..=before.len() {
        let prefix = (p > 0).then(|| before[..p].iter().rev().copied().collect::<Vec<_>>().join(" "));
        let mut candidates: Vec<(String, Option<String>)> = (2..=words.len() / 2)
            .map(|k| (words[..k].join(" "), Some(words[words.len() - k..].join(" "))))
            .collect();
        candidates.push((words.join(" "), None));
        for (start, end) in candidates {
            let d = TextDirective {
                prefix: prefix.clone(),
                start,
                end,
                suffix: None,
            };
            if fragment::find(text, &d) == Some(span.clone()) {
                let mut out = String::from("text=");
                if let Some(p) = &d.prefix {
                    out.push_str(&format!("{}-,", encode(p)));
                }
                out.push_str(&encode(&d.start));
                if let Some(e) = &d.end {
                    out.push_str(&format!(",{}", encode(e)));
                }
                return out;
            }
        }
    }
    format!("text={}", encode(&words.join(" ")))
}

/// Selectors for the sentences `chosen` (0-based indices into `sentences`)
/// of the clean `text`.
pub fn replay(text: &str, sentences: &[Sentence], chosen: &[usize]) -> Replay {
    let runs: Vec<Range<usize>> = ranges(chosen)
        .into_iter()
        .filter(|r| r.end <= sentences.len())
        .collect();
    let spec: Vec<String> = runs
        .iter()
        .map(|r| {
            if r.len() == 1 {
                format!("{}", r.start + 1)
            } else {
                format!("{}-{}", r.start + 1, r.end)
            }
        })
        .collect();
    let directives: Vec<String> = runs
        .iter()
        .map(|r| directive(text, sentences[r.start].span.start..sentences[r.end - 1].span.end))
        .collect();
    Replay {
        sentences: spec.join(","),
        fragment: if directives.is_empty() {
            String::new()
        } else {
            format!("#:~:{}", directives.join("&"))
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::segment::Selector;
    use crate::{Article, ReadOptions};

    #[test]
    fn the_selectors_choose_the_same_sentences_again() {
        let text = "The vote was close. The vote was close, said one member. Others disagreed, loudly.\n\n\
                    A new paragraph, with a comma & an ampersand. It goes on - with a dash. The vote was close.";
        let a = Article::from_bytes("t", text.as_bytes(), &ReadOptions::default()).unwrap();
        for chosen in [
            vec![0],
            vec![1, 2],
            vec![0, 2, 3, 4],
            vec![5],
            vec![2, 3, 4, 5],
            vec![4, 1],
        ] {
            let r = a.replay(&chosen);
            let mut want = chosen.clone();
            want.sort_unstable();
            let by_range = a
                .select(&[Selector::Sentences(crate::segment::parse_ranges(&r.sentences).unwrap())])
                .unwrap();
            assert_eq!(by_range.sentence_indices(), want, "{}", r.sentences);
            let by_fragment = a.select(&[Selector::fragment(&r.fragment).unwrap()]).unwrap();
            assert_eq!(by_fragment.sentence_indices(), want, "{}", r.fragment);
        }
        assert_eq!(a.replay(&[0, 2, 3, 4]).sentences, "1,3-5");
        assert_eq!(a.replay(&[0]).fragment, "#:~:text=The%20vote,was%20close.");
        // The last sentence repeats the first: words before it tell them apart.
        assert_eq!(a.replay(&[5]).fragment, "#:~:text=dash.-,The%20vote,was%20close.");
    }
}
