//! Word-like classes: the user lexicon, markup passed through, addresses,
//! abbreviations ("Mr." → mister, "Dr." → doctor or drive by context),
//! roman numerals ("Charles III" → Charles the third, "Chapter IV" →
//! Chapter four), initialisms ("U.S.", "DPRK" → spelled) and acronyms said
//! as words ("NATO"), and symbols ("&" → and).

use super::{digit_run, ends_word, skip_spaces};
use crate::frontend::numbers::{self, And};
use crate::frontend::tables::AbbrContext;
use crate::frontend::types::{Class, Cx, Hit};
use regex::Regex;
use std::sync::OnceLock;

fn capitalized_word_at(s: &str) -> Option<usize> {
    let mut it = s.char_indices();
    let (_, c) = it.next()?;
    if !c.is_uppercase() {
        return None;
    }
    Some(
        s.find(|c: char| !(c.is_alphabetic() || c == '-' || c == '\''))
            .unwrap_or(s.len()),
    )
}

pub(crate) fn lexicon(cx: &Cx, i: usize) -> Option<Hit> {
    let lex = cx.opts.lexicon.as_ref()?;
    if !cx.at_boundary(i) {
        return None;
    }
    let (len, say) = lex.lookup(&cx.text[i..])?;
    Some(Hit::new(len, Class::Lexicon, say))
}

/// Markup kept as it is: tags ("<break/>", "<pitch=-.3>") and phonemes in
/// square brackets ("[HH AH0 L OW1]", IPA).
pub(crate) fn verbatim(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    if s.starts_with('<') {
        // A tag: "<break/>", "</pitch>", "<pitch=-.3>", "<say-as x='y'>";
        // not "<The Palace: Tale of Jang Noksu>", a title in brackets.
        static TAG: OnceLock<Regex> = OnceLock::new();
        let re = TAG.get_or_init(|| {
            Regex::new(r#"^</?[A-Za-z][\w:-]*(=[^\s<>]*)?(\s+[\w:-]+(=("[^"]*"|'[^']*'|[^\s<>"']+))?)*\s*/?>"#)
                .expect("tag pattern")
        });
        let cut = (0..=s.len().min(200))
            .rev()
            .find(|&k| s.is_char_boundary(k))
            .unwrap_or(0);
        let m = re.find(&s[..cut])?;
        return Some(Hit::new(m.end(), Class::Verbatim, m.as_str()));
    }
    if s.starts_with('[') {
        let end = s.find(']')?;
        let inner = &s[1..end];
        let arpabet = !inner.is_empty()
            && inner
                .split_whitespace()
                .all(|p| p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
            && inner.bytes().any(|b| b.is_ascii_digit());
        let ipa = inner
            .chars()
            .any(|c| matches!(c as u32, 0x0250..=0x02AF) || c == 'ˈ' || c == 'ˌ');
        if arpabet || ipa {
            return Some(Hit::new(end + 1, Class::Verbatim, &s[..=end]));
        }
    }
    None
}

/// A house number as it is said in an address: "2788" → "twenty seven
/// eighty eight", "123" → "one twenty three", "708" → "seven zero eight".
fn house_number(s: &str) -> String {
    match s.len() {
        1 | 2 => numbers::cardinal(s, And::No),
        3 if s.as_bytes()[1] == b'0' => numbers::digits(s),
        3 => format!(
            "{} {}",
            numbers::digits(&s[..1]),
            numbers::below_hundred(s[1..].parse().unwrap_or(0))
        ),
        4 => numbers::year(s),
        _ => numbers::digits(s),
    }
}

/// "1428 Elm St.", "708 N 1st St, San City", "2788 San Tomas Expy, Santa
/// Clara, CA 95051": a house number, an optional direction, one to three
/// name words, a street type, then optionally a city, a state and a ZIP.
pub(crate) fn address(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    let s = &text[i..];
    let n = digit_run(s);
    if n == 0 || n > 5 || !s[n..].starts_with(' ') {
        return None;
    }
    let mut words = vec![house_number(&s[..n])];
    let mut j = i + n + 1;
    let word_at = |j: usize| {
        let w = &text[j..];
        let len = w.find(|c: char| !c.is_alphanumeric()).unwrap_or(w.len());
        (len > 0).then(|| &w[..len])
    };
    if let Some(w) = word_at(j) {
        if let Some(d) = cx.t.directions.get(w) {
            if text[j + w.len()..].starts_with(' ') {
                words.push(d.clone());
                j += w.len() + 1;
            }
        }
    }
    let mut names = 0;
    let street = loop {
        let w = word_at(j)?;
        let after = j + w.len();
        if names > 0 {
            if let Some(st) = cx.t.streets.get(&w.to_ascii_lowercase()) {
                let dot = usize::from(text[after..].starts_with('.'));
                break (st.clone(), after + dot);
            }
        }
        if names == 3 {
            return None;
        }
        let ord = digit_run(w);
        if ord > 0 && ord < w.len() && matches!(w[ord..].to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th") {
            words.push(numbers::ordinal(&w[..ord]));
        } else if capitalized_word_at(w).is_some() {
            words.push(w.to_string());
        } else {
            return None;
        }
        names += 1;
        if !text[after..].starts_with(' ') {
            return None;
        }
        j = after + 1;
    };
    words.push(street.0);
    let mut end = street.1;
    // ", City, ST 95051" / ", ST, 95051": optional.
    let mut k = end;
    let mut tail: Vec<String> = Vec::new();
    while text[k..].starts_with(", ") {
        let p = k + 2;
        let Some(w) = word_at(p) else { break };
        if let Some(state) = cx.t.states.get(w).filter(|_| w.len() == 2) {
            tail.push(format!(", {state}"));
            k = p + 2;
            let z = if text[k..].starts_with(", ") {
                k + 2
            } else if text[k..].starts_with(' ') {
                k + 1
            } else {
                k
            };
            if digit_run(&text[z..]) == 5 && ends_word(text, z + 5) {
                tail.push(format!(", {}", numbers::digits(&text[z..z + 5])));
                k = z + 5;
            }
            end = k;
            break;
        }
        // A city: capitalised words.
        let mut q = p;
        let mut city = Vec::new();
        while let Some(w) = word_at(q) {
            if capitalized_word_at(w).is_none() || (w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase())) {
                break;
            }
            city.push(w);
            q += w.len();
            if text[q..].starts_with(' ')
                && word_at(q + 1).is_some_and(|x| capitalized_word_at(x).is_some())
                && !text[q + 1..].starts_with(|c: char| {
                    c.is_ascii_uppercase() && text[q + 2..].starts_with(|d: char| d.is_ascii_uppercase())
                })
            {
                q += 1;
            } else {
                break;
            }
        }
        if city.is_empty() {
            break;
        }
        tail.push(format!(", {}", city.join(" ")));
        k = q;
        end = k;
    }
    let mut spoken = words.join(" ");
    for t in tail {
        spoken.push_str(&t);
    }
    // "Elm St. It was …": the abbreviation's period also ends the sentence.
    if text[..end].ends_with('.') && sentence_follows(text, end) {
        spoken.push('.');
    }
    Some(Hit::new(end - i, Class::Address, spoken))
}

/// The abbreviation's period is also the full stop of the text: nothing
/// but spaces follows. (hark normalizes one sentence at a time, so a period
/// inside a sentence, as in "U.S. Navy", is never a full stop.)
fn sentence_follows(text: &str, end: usize) -> bool {
    text[end..].trim().is_empty()
}

pub(crate) fn abbreviation(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    let s = &text[i..];
    // The candidate: a word with an optional final period, or a short
    // dotted form ("e.g.", "i.e."), or "and/or", "9/11", "401(k)".
    let ws = s.find(char::is_whitespace).unwrap_or(s.len());
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')' | '"' | '”' | '!' | '?'))
        .unwrap_or(s.len());
    let trimmed = s[..ws].trim_end_matches([',', ';', ':', '!', '?', '"', '”', ')']);
    let mut cands: Vec<&str> = vec![&s[..ws], trimmed, trimmed.trim_end_matches('.'), &s[..end]];
    if let Some(p) = s[..end].find('.') {
        cands.push(&s[..=p]);
    }
    let w = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
    cands.push(&s[..w]);
    for cand in cands {
        let Some(entries) = cx.t.abbreviations.get(cand) else {
            continue;
        };
        let after = i + cand.len();
        if !ends_word(text, after) && cand.chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let k = skip_spaces(text, after);
        let next_cap = k > after && capitalized_word_at(&text[k..]).is_some();
        let next_digit = k > after && text[k..].starts_with(|c: char| c.is_ascii_digit());
        let prev = cx.prev_word(i);
        let prev_cap = prev
            .is_some_and(|p| p.starts_with(|c: char| c.is_uppercase()) || p.starts_with(|c: char| c.is_ascii_digit()));
        let pick = |ctx: AbbrContext| entries.iter().find(|e| e.context == ctx);
        let chosen = if let (Some(st), true) = (pick(AbbrContext::Street), prev_cap) {
            Some(st)
        } else if let (Some(t), true) = (pick(AbbrContext::Title), next_cap) {
            Some(t)
        } else if let (Some(n), true) = (pick(AbbrContext::Number), next_digit) {
            Some(n)
        } else {
            pick(AbbrContext::Any).or_else(|| pick(AbbrContext::End))
        };
        let Some(e) = chosen else { continue };
        let mut spoken = e.expansion.clone();
        let keeps_stop = matches!(e.context, AbbrContext::End | AbbrContext::Street | AbbrContext::Any);
        if cand.ends_with('.') && keeps_stop && sentence_follows(text, after) {
            spoken.push('.');
        }
        return Some(Hit::new(cand.len(), Class::Abbreviation, spoken));
    }
    None
}

/// Roman numerals: after a capitalised name, a regnal ordinal ("Charles
/// III" → "Charles the third", values up to 39); after a word such as
/// "Chapter" or "World War", a cardinal ("Chapter IV" → "Chapter four").
pub(crate) fn roman(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let s = &cx.text[i..];
    let n = s.bytes().take_while(|b| b"IVXLCDM".contains(b)).count();
    if n == 0 || !ends_word(s, n) {
        return None;
    }
    // A single C, D, L or M is a letter ("Group C"), never a numeral.
    if n == 1 && !b"IVX".contains(&s.as_bytes()[0]) {
        return None;
    }
    let v = numbers::roman(&s[..n])?;
    let prev = cx.prev_word(i)?;
    if cx.text[..i].trim_end().ends_with(['.', ',', ';', ':']) {
        return None;
    }
    if cx.t.roman_context.contains(prev) {
        return Some(Hit::new(n, Class::Roman, numbers::cardinal(&v.to_string(), And::No)));
    }
    let name = prev.chars().next().is_some_and(char::is_uppercase) && prev.chars().skip(1).all(|c| c.is_lowercase());
    if name && n >= 2 && v <= 39 && s[..n].bytes().all(|b| b"IVX".contains(&b)) {
        return Some(Hit::new(
            n,
            Class::Roman,
            format!("the {}", numbers::ordinal(&v.to_string())),
        ));
    }
    None
}

/// Whether an all-capitals word can be said as a word: it has vowels and
/// no cluster English cannot start or hold ("NATO" yes, "DPRK", "KCNA" no).
fn pronounceable(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    let b = lower.as_bytes();
    let vowel = |c: u8| b"aeiouy".contains(&c);
    if b.len() < 4 || !b.iter().any(|&c| vowel(c)) {
        return false;
    }
    let (mut cons, mut vows) = (0, 0);
    for &c in b {
        if vowel(c) {
            vows += 1;
            cons = 0;
        } else {
            cons += 1;
            vows = 0;
        }
        if cons > 2 || vows > 2 {
            return false;
        }
    }
    const ONSETS: &[&str] = &[
        "bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "sc", "sh", "sk", "sl", "sm", "sn",
        "sp", "st", "sw", "th", "tr", "tw", "wh", "wr",
    ];
    let onset_ok = vowel(b[0]) || vowel(b[1]) || ONSETS.contains(&&lower[..2]);
    const CODAS: &[&str] = &[
        "ng", "nd", "nt", "rt", "st", "sk", "ck", "ft", "ld", "lt", "mp", "nk", "ns", "rd", "rk", "rm", "rn", "rs",
        "ss",
    ];
    let last2 = &lower[b.len() - 2..];
    let end_ok = vowel(b[b.len() - 1]) || vowel(b[b.len() - 2]) || ONSETS.contains(&last2) || CODAS.contains(&last2);
    onset_ok && end_ok
}

/// Initialisms and acronyms: "U.S." and "DPRK" are spelled, "NATO" is
/// said as a word, a shouted common word ("PART") stays a word.
pub(crate) fn initialism(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    let s = &text[i..];
    let b = s.as_bytes();
    // Dotted: "U.S.", "U.S.A.", "e.s.t", "C. S. Lewis".
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b'.' {
        let mut j = 0;
        let mut letters = String::new();
        while j + 1 < b.len()
            && b[j].is_ascii_alphabetic()
            && b[j + 1] == b'.'
            && (j == 0 || !b[j - 1].is_ascii_alphabetic())
        {
            letters.push(b[j] as char);
            j += 2;
            if b.get(j) == Some(&b' ')
                && b.get(j + 1).is_some_and(u8::is_ascii_uppercase)
                && b.get(j + 2) == Some(&b'.')
            {
                j += 1;
            }
        }
        // A last letter without its period: "e.s.t", "A.D".
        if j < b.len() && b[j].is_ascii_alphabetic() && ends_word(s, j + 1) && !letters.is_empty() {
            letters.push(b[j] as char);
            j += 1;
        }
        if letters.len() >= 2 && ends_word(s, j) {
            let mut spoken = cx.letters(&letters);
            if s[..j].ends_with('.') && sentence_follows(text, i + j) {
                spoken.push('.');
            }
            return Some(Hit::new(j, Class::Letters, spoken));
        }
    }
    // All capitals (an optional plural "s"): "DPRK", "ICBMs".
    let n = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if n < 2 {
        return None;
    }
    let plural = b.get(n) == Some(&b's') && ends_word(s, n + 1);
    let len = n + usize::from(plural);
    if !ends_word(s, len) {
        return None;
    }
    let w = &s[..n];
    let t = cx.t;
    let (class, spoken) = if t.letters.contains(w) {
        (Class::Letters, cx.letters(w))
    } else if let Some(say) = t.acronyms.get(w) {
        (Class::Acronym, say.clone())
    } else if t.common_words.contains(&w.to_ascii_lowercase()) {
        (Class::Word, w.to_ascii_lowercase())
    } else if pronounceable(w) {
        (Class::Acronym, format!("{}{}", &w[..1], w[1..].to_ascii_lowercase()))
    } else {
        (Class::Letters, cx.letters(w))
    };
    let spoken = match (plural, class) {
        (false, _) => spoken,
        (true, Class::Letters) if spoken.contains(' ') => format!("{spoken}'s"),
        (true, _) => format!("{spoken}s"),
    };
    Some(Hit::new(len, class, spoken))
}

/// Symbols said as words between words: "&" → and, "%" → percent, "/"
/// → slash, "§" → section.
pub(crate) fn symbol(cx: &Cx, i: usize) -> Option<Hit> {
    let c = cx.text[i..].chars().next()?;
    let say = cx.t.symbols.get(&c)?;
    Some(Hit::new(c.len_utf8(), Class::Symbol, say.clone()))
}
