//! Rule-based English sentence boundary detection.
//!
//! The rules follow the "Golden Rules" of pragmatic_segmenter: a terminator
//! run (`.`, `!`, `?`, `…`, with closing quotes and brackets) ends a
//! sentence unless the evidence says otherwise:
//!
//! * the next word starts in lower case (`Yahoo! in`, `'great.' she said`);
//! * the period belongs to an abbreviation (`Mr.`, `co.`, `U.S.`), a number
//!   (`$100.00`), a list marker (`2.`), or sits inside quotes or brackets;
//! * ellipses end a sentence only before a capital, and `. . .` (three spaced
//!   dots) never does.
//!
//! Newlines are boundaries, except a wrapped line (`cold \nnight`), and in
//! PDF mode every single newline before a lower-case word.
//!
//! Data (abbreviations, sentence starters) lives in `data/` beside this file.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// How to treat the input's line breaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SplitOptions {
    /// Text extracted from a PDF (or hard-wrapped): a single newline inside
    /// a sentence is a soft wrap.
    pub pdf: bool,
}

#[derive(Default)]
struct Lexicon {
    prepositive: HashSet<String>,
    general: HashSet<String>,
    never: HashSet<String>,
    starters: HashSet<String>,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut lex = Lexicon::default();
        let mut section = "";
        for line in include_str!("data/abbreviations.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                section = line;
                continue;
            }
            let set = match section {
                "[prepositive]" => &mut lex.prepositive,
                "[general]" => &mut lex.general,
                _ => &mut lex.never,
            };
            set.insert(line.to_lowercase());
        }
        for line in include_str!("data/sentence_starters.txt").lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                lex.starters.insert(line.to_string());
            }
        }
        lex
    })
}

/// Split `text` into sentences: byte ranges into `text`, trimmed of
/// surrounding whitespace, in order, never empty.
pub fn sentence_spans(text: &str, opts: &SplitOptions) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for block in hard_blocks(text, opts) {
        let mut cuts = list_cuts(text, block.clone());
        let suppressed: HashSet<usize> = cuts.iter().filter_map(|c| c.1).collect();
        let mut cut_points: Vec<usize> = cuts.drain(..).map(|c| c.0).collect();
        cut_points.extend(punctuation_cuts(text, block.clone(), &suppressed));
        cut_points.sort_unstable();
        cut_points.dedup();
        let mut start = block.start;
        for cut in cut_points.into_iter().chain(std::iter::once(block.end)) {
            if cut <= start || cut > block.end {
                continue;
            }
            push_trimmed(text, start..cut, &mut out);
            start = cut;
        }
    }
    out
}

/// Convenience: the sentences of `text` as string slices.
pub fn split_sentences<'a>(text: &'a str, opts: &SplitOptions) -> Vec<&'a str> {
    sentence_spans(text, opts).into_iter().map(|r| &text[r]).collect()
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// Cut the text at line breaks that are sentence boundaries.
fn hard_blocks(text: &str, opts: &SplitOptions) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'\n' && b != b'\r' {
            continue;
        }
        // \r\n counts once, at the \n.
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        let prev = text[..i].trim_end_matches('\r').chars().next_back();
        let next = text[i + 1..].chars().next();
        let prev_is_break = matches!(prev, Some('\n') | Some('\r'));
        let next_is_break = matches!(next, Some('\n') | Some('\r'));
        let soft = if prev_is_break || next_is_break || prev.is_none() {
            false
        } else {
            let prev_space = prev.is_some_and(|c| c.is_whitespace());
            let next_lower = next.is_some_and(|c| c.is_lowercase() || c == '(');
            (prev_space && next_lower)
                || (opts.pdf && next.is_some_and(|c| c.is_lowercase()))
                || (opts.pdf && prev_space && next.is_some_and(|c| !c.is_whitespace()))
        };
        if !soft {
            blocks.push(start..i);
            start = i + 1;
        }
    }
    blocks.push(start..text.len());
    blocks
}

const BULLETS: &[char] = &['•', '⁃', '◦', '▪', '‣', '●'];

/// List items: cut before each bullet and before numbered, lettered or
/// roman markers (`1.` `2.)` `(a)` `iii)`) that start the block or form a
/// sequence and open a capitalised item. Returns the cut positions and, for
/// markers, the byte of the marker's period, which must not be taken as a
/// sentence end.
fn list_cuts(text: &str, block: Range<usize>) -> Vec<(usize, Option<usize>)> {
    let s = &text[block.clone()];
    let mut cuts = Vec::new();
    for (i, c) in s.char_indices() {
        if BULLETS.contains(&c) && (i == 0 || s[..i].ends_with(char::is_whitespace)) {
            cuts.push((block.start + i, None));
        }
    }
    let markers = list_markers(s);
    let block_start = s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || BULLETS.contains(&c))
            .len();
    for m in &markers {
        let at_start = m.start == block_start;
        let in_sequence = |values: &dyn Fn(&ListMarker) -> Option<u32>| {
            let Some(v) = values(m) else { return false };
            markers
                .iter()
                .any(|o| o.style == m.style && values(o).is_some_and(|ov| ov + 1 == v || v + 1 == ov))
        };
        let seq = in_sequence(&|x: &ListMarker| x.number) || in_sequence(&|x: &ListMarker| x.roman);
        // Three or more lettered items in a row need no capital ("a. here it is b. another c. …").
        let long_run = m.number.is_some_and(|v| {
            let has = |w: u32| markers.iter().any(|o| o.style == m.style && o.number == Some(w));
            (has(v + 1) && has(v + 2)) || (v > 1 && has(v - 1) && has(v + 1)) || (v > 2 && has(v - 1) && has(v - 2))
        }) && !m.style.0;
        if !(at_start || (seq && m.item_capitalised) || long_run) {
            continue;
        }
        let prev_char = s[..m.start].trim_end().chars().next_back();
        let cut = if prev_char.is_some_and(|c| BULLETS.contains(&c)) || m.start == 0 {
            block.start
        } else {
            block.start + m.start
        };
        cuts.push((cut, m.period.map(|p| block.start + p)));
    }
    cuts
}

struct ListMarker {
    /// Digits, or a letter's place in the alphabet.
    number: Option<u32>,
    /// The value of a lower-case roman numeral.
    roman: Option<u32>,
    style: (bool, &'static str),
    start: usize,
    period: Option<usize>,
    item_capitalised: bool,
}

fn roman_value(s: &str) -> Option<u32> {
    const ROMANS: [&str; 12] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];
    ROMANS.iter().position(|r| *r == s).map(|p| p as u32 + 1)
}

fn list_markers(s: &str) -> Vec<ListMarker> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !s.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let prev = s[..i].chars().next_back();
        let at_word_start = prev.is_none_or(|p| p.is_whitespace() || BULLETS.contains(&p));
        if !at_word_start {
            i += 1;
            continue;
        }
        let paren = b[i] == b'(';
        let body_start = i + paren as usize;
        let mut j = body_start;
        while j < b.len() && (b[j].is_ascii_digit() || b[j].is_ascii_lowercase()) && j - body_start < 4 {
            j += 1;
        }
        let body = &s[body_start..j];
        let (number, roman) = if !body.is_empty() && body.len() <= 2 && body.bytes().all(|c| c.is_ascii_digit()) {
            (body.parse().ok(), None)
        } else if body.len() == 1 || roman_value(body).is_some() {
            let letter = (body.len() == 1).then(|| (b[body_start] - b'a') as u32 + 1);
            (letter, roman_value(body))
        } else {
            i += 1;
            continue;
        };
        let rest = &s[j..];
        let (style, len, period) = if paren {
            if rest.starts_with(')') {
                ("()", 1, None)
            } else {
                i += 1;
                continue;
            }
        } else if rest.starts_with(".)") {
            (".)", 2, Some(j))
        } else if rest.starts_with(')') {
            (")", 1, None)
        } else if rest.starts_with('.') {
            (".", 1, Some(j))
        } else {
            i += 1;
            continue;
        };
        let after = &s[j + len..];
        if after.starts_with(char::is_whitespace) {
            let first = after.trim_start().chars().next();
            out.push(ListMarker {
                number,
                roman,
                style: (body.as_bytes()[0].is_ascii_digit(), style),
                start: i,
                period,
                item_capitalised: first.is_some_and(|c| c.is_uppercase()),
            });
        }
        i = j.max(i + 1);
    }
    out
}

const CLOSERS: &[char] = &['"', '”', '’', '\'', ')', ']', '»', '}'];
const OPENERS: &[char] = &['"', '“', '‘', '\'', '`', '(', '[', '«', '{'];

/// Byte ranges inside matched quotes or brackets, where a terminator does not
/// end the sentence.
fn protected_ranges(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut straight_open: Option<usize> = None;
    let mut stack: Vec<(char, usize)> = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let next = chars.get(k + 1).map(|x| x.1);
        match c {
            '"' => match straight_open.take() {
                Some(o) => out.push(unprotect_final(s, o + 1..i)),
                None => straight_open = Some(i),
            },
            '(' | '[' | '“' | '«' => stack.push((c, i)),
            '‘' if prev.is_none_or(|p| p.is_whitespace() || OPENERS.contains(&p)) => stack.push((c, i)),
            ')' | ']' | '”' | '»' | '’' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    '”' => '“',
                    '»' => '«',
                    _ => '‘',
                };
                if c == '’' && next.is_some_and(|n| n.is_alphanumeric()) {
                    continue; // an apostrophe: don’t, Kim’s
                }
                if let Some(pos) = stack.iter().rposition(|&(o, _)| o == want) {
                    let (_, o) = stack[pos];
                    stack.truncate(pos);
                    out.push(unprotect_final(s, o + c.len_utf8()..i));
                }
            }
            '`' => stack.push(('\'', i)),
            '\'' => {
                let opening = prev.is_none_or(|p| p.is_whitespace());
                let closing = next.is_none_or(|n| !n.is_alphanumeric());
                if opening {
                    stack.push(('\'', i));
                } else if closing {
                    if let Some(pos) = stack.iter().rposition(|&(o, _)| o == '\'') {
                        let (_, o) = stack[pos];
                        stack.truncate(pos);
                        out.push(unprotect_final(s, o + 1..i));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A terminator just before the closing quote may end the sentence
/// (`"This is great." She held…`): leave it out of the protected range.
fn unprotect_final(s: &str, r: Range<usize>) -> Range<usize> {
    let inner = s[r.clone()].trim_end_matches(is_terminator);
    r.start..r.start + inner.len()
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‽' | '．' | '。' | '！' | '？')
}

/// Positions after terminator runs that end a sentence.
fn punctuation_cuts(text: &str, block: Range<usize>, suppressed: &HashSet<usize>) -> Vec<usize> {
    let s = &text[block.clone()];
    let protected = protected_ranges(s);
    let inside = |i: usize| protected.iter().any(|r| r.contains(&i));
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        // A speech broken off by a dash: `to--" At this moment`.
        if (c == '"' || c == '”') && (s[..i].ends_with("--") || s[..i].ends_with('—')) {
            let after = &s[i + c.len_utf8()..];
            let next = after.trim_start();
            if next.len() < after.len() && next.starts_with(char::is_uppercase) {
                cuts.push(block.start + i + c.len_utf8());
            }
        }
        if !is_terminator(c) || suppressed.contains(&(block.start + i)) || inside(i) {
            i += c.len_utf8();
            continue;
        }
        // The terminator run, allowing spaced dots (". . .").
        let run_start = i;
        let mut j = i;
        let mut dots = 0;
        let mut other = 0;
        let mut spaced = false;
        let mut first_dot_end = None;
        while let Some(ch) = s[j..].chars().next() {
            if ch == '.' || ch == '．' {
                dots += 1;
                j += ch.len_utf8();
                if first_dot_end.is_none() {
                    first_dot_end = Some(j);
                }
            } else if ch == '…' {
                dots += 3;
                j += ch.len_utf8();
            } else if is_terminator(ch) {
                other += 1;
                j += ch.len_utf8();
            } else if ch == ' ' && s[j + 1..].starts_with('.') && dots > 0 {
                spaced = true;
                j += 1;
            } else {
                break;
            }
        }
        let run_end_punct = j;
        // Closing quotes and brackets belong to the sentence they close.
        loop {
            match s[j..].chars().next() {
                Some(ch) if CLOSERS.contains(&ch) => {
                    if ch == '\'' || ch == '’' {
                        let after = s[j + ch.len_utf8()..].chars().next();
                        if after.is_some_and(|a| a.is_alphanumeric()) {
                            break;
                        }
                    }
                    j += ch.len_utf8();
                }
                _ => break,
            }
        }
        let end = j;
        i = end.max(i + 1);

        // Numbered references after the period: "martyr.[1] The", "2).10 This".
        if dots == 1 && other == 0 && end == run_end_punct {
            if let Some(len) = reference_after(s, run_start, end) {
                cuts.push(block.start + end + len);
                continue;
            }
        }
        let rest = &s[end..];
        let ws = rest.len() - rest.trim_start().len();
        if rest.trim_start().is_empty() {
            cuts.push(block.start + end);
            continue;
        }
        let after_ws = &rest[ws..];
        // "… said!' (Which was true.)": a closing quote then a parenthesis.
        if end > run_end_punct && s[..end].ends_with(['\'', '’']) && after_ws.starts_with('(') {
            continue;
        }
        // "-- voila! -- you have cake": look past a dash to the next word.
        let after_dash = after_ws.trim_start_matches(['-', '—', '–']);
        if after_dash.len() < after_ws.len() && after_dash.trim_start().starts_with(char::is_lowercase) {
            continue;
        }
        let next_word = next_word(after_ws);
        let next_first = next_word.chars().next();
        let next_lower = next_first.is_some_and(|c| c.is_lowercase());
        let next_upper = next_first.is_some_and(|c| c.is_uppercase());
        let next_digit = next_first.is_some_and(|c| c.is_ascii_digit());
        let before_space = run_start > 0 && s[..run_start].ends_with(char::is_whitespace);

        if ws == 0 {
            // "world.Today" — only a single period glued to a capitalised word.
            if dots == 1 && other == 0 && end == run_end_punct && no_space_boundary(s, run_start, rest) {
                cuts.push(block.start + end);
            }
            continue;
        }
        if next_lower {
            continue;
        }
        if dots >= 3 || (dots >= 2 && spaced) {
            // Ellipses.
            let first_len = s[run_start..].chars().next().map_or(1, char::len_utf8);
            let attached_then_spaced = !before_space && spaced && s[run_start + first_len..].starts_with(' ');
            if attached_then_spaced && next_upper {
                // "compounds. . . . The" — the first period ends the sentence,
                // the spaced dots open the next one.
                if let Some(fd) = first_dot_end {
                    cuts.push(block.start + fd);
                }
                continue;
            }
            if spaced && before_space && dots == 3 {
                continue; // ". . ." inside a sentence
            }
            if next_upper && !(before_space && next_word == "I") {
                cuts.push(block.start + end);
            }
            continue;
        }
        if dots == 0 || other > 0 {
            // ! and ? runs.
            cuts.push(block.start + end);
            continue;
        }
        // A single period.
        let word = word_before(s, run_start);
        let sentence_start = cuts.last().map_or(0, |&c| c - block.start);
        if s[sentence_start..run_start].trim().chars().count() == 1 {
            continue; // "Q. What is his name?" — a lone letter is no sentence
        }
        if period_ends_sentence(s, run_start, word, next_word, next_upper, next_digit) {
            cuts.push(block.start + end);
        }
    }
    cuts
}

/// A footnote reference glued to a sentence end (`.[7][8]`, `.11 12`) that is
/// followed by a capitalised word: its byte length after `end`.
fn reference_after(s: &str, period: usize, end: usize) -> Option<usize> {
    let before = s[..period].chars().next_back()?;
    if before.is_ascii_digit() || before.is_whitespace() {
        return None;
    }
    let rest = &s[end..];
    let b = rest.as_bytes();
    let mut k = 0;
    if b.first() == Some(&b'[') {
        while b.get(k) == Some(&b'[') {
            let close = rest[k..].find(']')?;
            let inner = &rest[k + 1..k + close];
            if inner.is_empty() || inner.len() > 3 || !inner.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            k += close + 1;
        }
    } else {
        let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let d = digits(0);
        if d == 0 || d > 3 {
            return None;
        }
        k = d;
        if b.get(k) == Some(&b' ') {
            let d2 = digits(k + 1);
            if (1..=3).contains(&d2) && b.get(k + 1 + d2) == Some(&b' ') {
                k += 1 + d2;
            }
        }
    }
    let after = &rest[k..];
    let next = after.trim_start();
    (after.len() > next.len() && next.starts_with(char::is_uppercase)).then_some(k)
}

/// The next word, skipping opening quotes and brackets.
fn next_word(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| OPENERS.contains(&c));
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '\''))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// The token before a period: back to whitespace, without opening punctuation.
fn word_before(s: &str, period: usize) -> &str {
    let head = &s[..period];
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    head[start..].trim_start_matches(|c: char| OPENERS.contains(&c) || BULLETS.contains(&c))
}

fn no_space_boundary(s: &str, period: usize, rest: &str) -> bool {
    let word = word_before(s, period);
    let mut next = rest.chars();
    let (a, b) = (next.next(), next.next());
    if !(a.is_some_and(|c| c.is_uppercase()) && b.is_some_and(|c| c.is_lowercase())) {
        return false;
    }
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let token = format!("{}{}", word, &rest[..token_end]);
    if token.contains('@') || token.contains("://") || token.contains("www.") {
        return false;
    }
    let lex = lexicon();
    let lw = word.to_lowercase();
    word.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        && !word.contains('.')
        && !lex.prepositive.contains(&lw)
        && !lex.general.contains(&lw)
        && !word.chars().all(|c| c.is_uppercase())
}

/// `U.S`, `E.U`, `Ph.D`: short letter groups joined by periods.
fn is_dotted_abbreviation(w: &str) -> bool {
    w.contains('.')
        && w.split('.')
            .all(|part| !part.is_empty() && part.len() <= 2 && part.chars().all(char::is_alphabetic))
}

fn period_ends_sentence(
    s: &str,
    period: usize,
    word: &str,
    next_word: &str,
    next_upper: bool,
    next_digit: bool,
) -> bool {
    let lex = lexicon();
    let core = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lw = core.to_lowercase();
    let starter = lex.starters.contains(next_word);
    if lex.never.contains(&lw) {
        return false;
    }
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    if next_digit {
        // "p. 55", "No. 10", "N°. 1026": a number after a short or odd token.
        return core.chars().all(|c| c.is_alphabetic())
            && letters >= 3
            && !lex.prepositive.contains(&lw)
            && !lex.general.contains(&lw);
    }
    if lw == "a.m" || lw == "p.m" {
        // A time ends the sentence before a capital, unless what precedes it
        // is too short to be a sentence ("At 5 a.m. Mr. Smith went…").
        let words_before = s[..period].split_whitespace().count();
        return next_upper
            && words_before >= 4
            && (!lex.prepositive.contains(&next_word.to_lowercase()) || core.chars().any(|c| c.is_uppercase()));
    }
    if lex.prepositive.contains(&lw) {
        // Titles and "St. Michael's": not before a name. Lower-case "st."
        // after a number is a street and may end a sentence.
        return core.chars().next().is_some_and(|c| c.is_lowercase()) && next_upper && starter;
    }
    if core.chars().count() == 1 && core.chars().all(|c| c.is_alphabetic()) {
        // Initials ("Jonas E. Smith") vs. the pronoun ("you and I.").
        if core == "I" {
            let before = s[..period].trim_end_matches('I').trim_end();
            let prev_word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            if prev_word.chars().next().is_some_and(|c| c.is_lowercase()) {
                return true;
            }
        }
        return starter;
    }
    if is_dotted_abbreviation(core) {
        // Multi-period abbreviations: "U.S. Government" vs "U.S. How".
        return starter;
    }
    if lex.general.contains(&lw) {
        // "Sat. Nov 23rd": a weekday abbreviation before a month is a date.
        const WEEKDAYS: [&str; 10] = ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"];
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let nw = next_word.to_lowercase();
        if WEEKDAYS.contains(&lw.as_str()) && nw.len() >= 3 && MONTHS.iter().any(|m| nw.starts_with(m)) {
            return false;
        }
        // "Co. They…" ends; "GmbH & Co. KG" does not.
        let all_caps = next_word.chars().count() > 1 && next_word.chars().all(|c| c.is_uppercase());
        return next_upper && !all_caps;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        split_sentences(t, &SplitOptions::default())
    }

    #[test]
    fn weekday_abbreviation_before_a_month_is_a_date() {
        assert_eq!(
            split("It is planned for Sat. Nov 23rd, 2024. It ended."),
            ["It is planned for Sat. Nov 23rd, 2024.", "It ended."]
        );
        assert_eq!(
            split("He left on Sat. Then he came back."),
            ["He left on Sat.", "Then he came back."]
        );
    }

    #[test]
    fn abbreviations_titles_and_initials() {
        assert_eq!(
            split("Mr. Kim met Dr. Smith. They talked."),
            ["Mr. Kim met Dr. Smith.", "They talked."]
        );
        assert_eq!(split("My name is Jonas E. Smith."), ["My name is Jonas E. Smith."]);
        assert_eq!(
            split("I live in the U.S. How about you?"),
            ["I live in the U.S.", "How about you?"]
        );
    }

    #[test]
    fn quotes_and_brackets() {
        assert_eq!(
            split("“As we have warned publicly, arms talks are advancing.” She added more."),
            [
                "“As we have warned publicly, arms talks are advancing.”",
                "She added more."
            ]
        );
        assert_eq!(
            split("He said (It was late.) and left."),
            ["He said (It was late.) and left."]
        );
    }

    #[test]
    fn lists_and_ellipses() {
        assert_eq!(
            split("1. The first item 2. The second item"),
            ["1. The first item", "2. The second item"]
        );
        assert_eq!(
            split("I never meant that.... She left the store."),
            ["I never meant that....", "She left the store."]
        );
        assert_eq!(split("It was 5. 6 people came."), ["It was 5. 6 people came."]);
    }

    #[test]
    fn newlines() {
        assert_eq!(split("features\ncontact manager\n"), ["features", "contact manager"]);
        assert_eq!(split("It was a cold \nnight."), ["It was a cold \nnight."]);
        let pdf = SplitOptions { pdf: true };
        assert_eq!(split_sentences("a sentence\ncut off.", &pdf), ["a sentence\ncut off."]);
    }

    #[test]
    fn spans_are_byte_ranges() {
        let t = "Kim’s trip. Putin’s reply.";
        for r in sentence_spans(t, &SplitOptions::default()) {
            assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
        }
    }
}
