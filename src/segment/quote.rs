//! Finding a user's highlight (`--quote`) in the clean text even when it
//! differs a little: case, whitespace, quote and dash style are folded
//! away, then a bounded edit-distance search (Sellers' algorithm, as
//! web-annotation anchoring does) finds the closest passage.

use super::fragment::normalize_for_match;
use std::ops::Range;

/// A passage found for a quote: byte range, and similarity in 0..=1.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QuoteMatch {
    pub span: Range<usize>,
    pub similarity: f32,
    pub edits: usize,
}

/// The most edits allowed for a quote of `len` characters.
pub(crate) fn max_edits(len: usize) -> usize {
    (len / 8).clamp(1, 40)
}

/// Find `quote` in `text`: exact (after folding) first, else the passage
/// with the fewest edits, if within [`max_edits`].
pub(crate) fn find_quote(text: &str, quote: &str) -> Option<QuoteMatch> {
    let (hay, offsets) = normalize_for_match(text);
    let (q, _) = normalize_for_match(quote.trim());
    if q.is_empty() || hay.is_empty() {
        return None;
    }
    let byte = |i: usize| offsets.get(i).copied().unwrap_or(text.len());
    if let Some(i) = hay.windows(q.len()).position(|w| w == q.as_slice()) {
        return Some(QuoteMatch {
            span: whole_words(text, byte(i)..byte(i + q.len())),
            similarity: 1.0,
            edits: 0,
        });
    }
    let k = max_edits(q.len());
    // Sellers: D[i][j] = edits to match q[..i] ending at hay[j]; row 0 is 0.
    let m = q.len();
    let mut col: Vec<usize> = (0..=m).collect();
    let mut best: Option<(usize, usize)> = None; // (edits, end index)
    for (j, &h) in hay.iter().enumerate() {
        let mut prev_diag = col[0];
        col[0] = 0;
        for i in 1..=m {
            let old = col[i];
            let cost = usize::from(q[i - 1] != h);
            col[i] = (prev_diag + cost).min(col[i] + 1).min(col[i - 1] + 1);
            prev_diag = old;
        }
        if col[m] <= k && best.is_none_or(|(e, _)| col[m] < e) {
            best = Some((col[m], j + 1));
        }
    }
    let (edits, end) = best?;
    // Walk back to the start: the start whose alignment gives `edits`.
    let start = (end.saturating_sub(m + k)..end)
        .min_by_key(|&s| (edit_distance(&q, &hay[s..end]), s))
        .unwrap_or(end);
    Some(QuoteMatch {
        span: whole_words(text, byte(start)..byte(end)),
        similarity: 1.0 - edits as f32 / m as f32,
        edits,
    })
}

/// Move the edges of a tolerant match to word boundaries: an edge inside a
/// word goes to that word's start (or end) when the match covers at least
/// half of the word, else past the word; spaces at the edges are dropped.
pub(crate) fn whole_words(text: &str, span: Range<usize>) -> Range<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’';
    let word_start = |i: usize| {
        text[..i]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word(c))
            .last()
            .map_or(i, |(j, _)| j)
    };
    let word_end = |i: usize| {
        text[i..]
            .char_indices()
            .find(|&(_, c)| !is_word(c))
            .map_or(text.len(), |(j, _)| i + j)
    };
    let inside =
        |i: usize| text[..i].chars().next_back().is_some_and(is_word) && text[i..].chars().next().is_some_and(is_word);
    let (mut a, mut b) = (span.start, span.end);
    if inside(a) {
        let (ws, we) = (word_start(a), word_end(a));
        a = if we - a >= a - ws { ws } else { we };
    }
    if b > a && inside(b) {
        let (ws, we) = (word_start(b), word_end(b));
        b = if b - ws >= we - b { we } else { ws };
    }
    let b = b.max(a);
    let inner = &text[a..b];
    let lead = inner.len() - inner.trim_start().len();
    let trail = inner.len() - inner.trim_end().len();
    if lead + trail >= inner.len() {
        return span;
    }
    a + lead..b - trail
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_match() {
        let text = "Watson said: “As we have warned publicly, arms negotiations are actively advancing.” Then more.";
        let m = find_quote(
            text,
            "\"as we have warned  publicly, arms negotations are actively advancing\"",
        )
        .unwrap();
        assert!(
            text[m.span.clone()].contains("warned publicly"),
            "{:?}",
            &text[m.span.clone()]
        );
        assert!(m.edits <= 3);
        assert!(find_quote(text, "something entirely different and unrelated here").is_none());
    }

    #[test]
    fn edges_are_whole_words() {
        let text = "Watson said: “We have warned publicly, arms negotiations are advancing.”";
        let m = find_quote(text, "e have warned publicly, arms negotiations").unwrap();
        assert_eq!(&text[m.span.clone()], "We have warned publicly, arms negotiations");
        let m = find_quote(text, "have warned publicly, arms negotiatio").unwrap();
        assert_eq!(&text[m.span.clone()], "have warned publicly, arms negotiations");
        let t = "alpha beta gamma";
        assert_eq!(&t[whole_words(t, 7..12)], "beta");
        assert_eq!(&t[whole_words(t, 7..14)], "beta gamma");
        assert_eq!(&t[whole_words(t, 9..16)], "gamma");
        assert_eq!(&t[whole_words(t, 0..3)], "alpha");
    }
}
