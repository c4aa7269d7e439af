//! Cardinals, ordinals, decimals, decades, fractions, ranges, math and
//! letter/digit serials.

use super::{ends_word, minus_at, scale_at, scan_num, skip_spaces, Num};
use crate::frontend::numbers::{self, all_digits, And};
use crate::frontend::types::{Class, Cx, Hit};

/// Is the number right after a phrase that asks for digits ("ending in")?
fn digit_context(cx: &Cx, i: usize) -> bool {
    let before = cx.before_lower(i, 24);
    let before = before.trim_end();
    cx.t.digit_context.iter().any(|p| {
        before.ends_with(&p.to_lowercase())
            && before[..before.len() - p.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// How a bare integer is read: grouped → cardinal; leading zero, five or
/// more digits (NeMo: unformatted long numbers are codes) or a digit
/// context → digits; four digits from 1000 to 2099 → a year; else cardinal.
pub(crate) fn integer(cx: &Cx, i: usize, n: &Num) -> (Class, String) {
    let s = n.int.as_str();
    if n.grouped {
        return (Class::Cardinal, numbers::cardinal(s, And::Yes));
    }
    if digit_context(cx, i) || (s.len() > 1 && s.starts_with('0')) || s.len() >= 5 {
        return (Class::Serial, numbers::digits(s));
    }
    if numbers::is_year_like(s) {
        return (Class::Date, numbers::year(s));
    }
    (Class::Cardinal, numbers::cardinal(s, And::Yes))
}

/// A number with what may follow it: ordinal suffix, decade "s", scale
/// word, era ("AD"). Signed with a leading minus.
pub(crate) fn number(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    // "'80s": the apostrophe stands for the century.
    for apostrophe in ['\'', '’'] {
        if let Some(r) = text[i..].strip_prefix(apostrophe) {
            let b = r.as_bytes();
            if b.len() >= 3 && (b'1'..=b'9').contains(&b[0]) && b[1] == b'0' && b[2] == b's' && ends_word(r, 3) {
                let words = numbers::pluralize(&numbers::below_hundred(usize::from(b[0] - b'0') * 10));
                return Some(Hit::new(apostrophe.len_utf8() + 3, Class::Date, words));
            }
        }
    }
    let sign = minus_at(cx, i);
    let start = i + sign;
    // ".5" only after a space or a sign: in "114...48" the dots are a pause.
    if text[start..].starts_with('.') && sign == 0 && cx.prev_char(i).is_some_and(|c| !c.is_whitespace() && c != '(') {
        return None;
    }
    let n = scan_num(&text[start..])?;
    let mut end = start + n.len;
    let minus = if sign > 0 { "minus " } else { "" };
    let rest = &text[end..];
    // Ordinal: "23rd", "1,000th"; a suffix that does not fit is said as letters.
    if n.frac.is_none() && sign == 0 {
        let suf: String = rest.chars().take(2).collect::<String>().to_ascii_lowercase();
        if matches!(suf.as_str(), "st" | "nd" | "rd" | "th") && ends_word(text, end + 2) {
            let s = n.int.as_str();
            let last2 = s.len().checked_sub(2).map_or(s, |k| &s[k..]);
            let want = match (
                last2.parse::<u32>().unwrap_or(0) % 100,
                s.bytes().last().unwrap_or(b'0'),
            ) {
                (11..=13, _) => "th",
                (_, b'1') => "st",
                (_, b'2') => "nd",
                (_, b'3') => "rd",
                _ => "th",
            };
            let spoken = if suf == want && !(s.len() > 1 && s.starts_with('0')) {
                numbers::ordinal(s)
            } else {
                format!("{} {}", integer(cx, start, &n).1, &rest[..2])
            };
            return Some(Hit::new(end + 2 - i, Class::Ordinal, spoken));
        }
        // Decades: "1980s", "80s", "1980 s".
        let s = n.int.as_str();
        if !n.grouped && s.ends_with('0') && (s.len() == 4 || s.len() == 2) {
            let gap = if s.len() == 4 && rest.starts_with(" s") { 1 } else { 0 };
            if rest[gap..].starts_with('s') && ends_word(text, end + gap + 1) {
                let words = if s.len() == 4 {
                    numbers::year(s)
                } else {
                    numbers::below_hundred(s.parse().unwrap_or(0))
                };
                return Some(Hit::new(end + gap + 1 - i, Class::Date, numbers::pluralize(&words)));
            }
        }
    }
    // A scale word: "100 million" (no "and": the digits are not the last group).
    let sp = skip_spaces(text, end);
    if sp > end {
        if let Some((len, word)) = scale_at(cx.t, &text[sp..], false) {
            let spoken = format!("{minus}{} {word}", n.quantity(And::No));
            return Some(Hit::new(sp + len - i, Class::Decimal, spoken));
        }
        // Eras: "340 A.D", "44 BC".
        let era = &text[sp..];
        for (w, say) in [
            ("A.D.", "AD"),
            ("A.D", "AD"),
            ("AD", "AD"),
            ("B.C.", "BC"),
            ("B.C", "BC"),
            ("BC", "BC"),
            ("BCE", "BCE"),
            ("CE", "CE"),
        ] {
            if era.starts_with(w) && ends_word(era, w.len()) && n.frac.is_none() && sign == 0 {
                let spoken = format!("{} {}", numbers::year(&n.int), cx.letters(say));
                return Some(Hit::new(sp + w.len() - i, Class::Date, spoken));
            }
        }
    }
    let (class, words) = match &n.frac {
        Some(f) => (Class::Decimal, numbers::decimal(&n.int, f, And::Yes)),
        None if sign > 0 => (Class::Cardinal, numbers::cardinal(&n.int, And::Yes)),
        None => integer(cx, start, &n),
    };
    // A trailing period after an integer is punctuation, never part of it.
    end = end.min(text.len());
    Some(Hit::new(end - i, class, format!("{minus}{words}")))
}

/// Fractions: "1/4", "3 2/4", "1795 / 1805", "1/4th".
pub(crate) fn fraction(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) || cx.prev_char(i) == Some('/') {
        return None;
    }
    let (len, spoken) = fraction_at(cx.text, i)?;
    Some(Hit::new(len, Class::Fraction, spoken))
}

/// A fraction at byte `i`: (length, words).
pub(crate) fn fraction_at(text: &str, i: usize) -> Option<(usize, String)> {
    let s = &text[i..];
    let a = super::digit_run(s);
    if a == 0 {
        return None;
    }
    // Optional whole part: "3 2/4".
    let (whole, p) = match (s.as_bytes().get(a), super::digit_run(s.get(a + 1..).unwrap_or(""))) {
        (Some(b' '), k) if k > 0 && a <= 3 && s[a + 1 + k..].starts_with('/') => (Some(&s[..a]), a + 1),
        _ => (None, 0),
    };
    let nlen = super::digit_run(&s[p..]);
    let num = &s[p..p + nlen];
    let mut q = p + nlen;
    let slash = if s[q..].starts_with(" / ") {
        3
    } else if s[q..].starts_with('/') {
        1
    } else {
        return None;
    };
    q += slash;
    let dlen = super::digit_run(&s[q..]);
    if dlen == 0 {
        return None;
    }
    let den = &s[q..q + dlen];
    q += dlen;
    let suf = s[q..].get(..2).map(str::to_ascii_lowercase);
    if matches!(suf.as_deref(), Some("st" | "nd" | "rd" | "th")) && ends_word(s, q + 2) {
        q += 2;
    }
    // Not a date ("10/06/2005") or a path, and not glued to a word.
    if s[q..].starts_with('/') || !ends_word(s, q) {
        return None;
    }
    if whole.is_none() && num.starts_with('0') || den.trim_start_matches('0').is_empty() {
        return None;
    }
    // "2022/23" is a season, not twenty-thirds.
    if whole.is_none() && numbers::is_year_like(num) && den.len() == 2 {
        return None;
    }
    let plural = num.trim_start_matches('0') != "1";
    let body = if den.trim_start_matches('0') == "1" {
        format!("{} over one", numbers::cardinal(num, And::No))
    } else if whole.is_some() && !plural && (den == "2" || den == "4") {
        format!("a {}", numbers::denominator(den, false))
    } else {
        format!(
            "{} {}",
            numbers::cardinal(num, And::No),
            numbers::denominator(den, plural)
        )
    };
    let spoken = match whole {
        Some(w) => format!("{} and {body}", numbers::cardinal(w, And::No)),
        None => body,
    };
    Some((q, spoken))
}

/// Ranges of years ("1980-1986", "1960s-80s", "1960-80"), en-dash ranges
/// of numbers ("5–10") and ascending hyphenated ranges of small numbers
/// ("5-10"): said with "to". A hyphen between other numbers stays a pause
/// ("978-0", a score "3-2"), as NeMo reads it.
pub(crate) fn range(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    let first = number(cx, i)?;
    if !matches!(first.class, Class::Date | Class::Cardinal | Class::Decimal) || first.spoken.starts_with("minus") {
        return None;
    }
    let mut j = i + first.len;
    let dash = text[j..].chars().next()?;
    if dash != '-' && dash != '–' && dash != '/' {
        return None;
    }
    j += dash.len_utf8();
    let k = super::digit_run(&text[j..]);
    if k == 0 {
        return None;
    }
    let a_int = text[i..].bytes().take_while(u8::is_ascii_digit).count();
    let year_like = numbers::is_year_like;
    let a = &text[i..i + a_int];
    let b = &text[j..j + k];
    let mut end = j + k;
    // Seasons: "2022/23" (the next year only).
    if dash == '/' {
        let next = a.parse::<u32>().ok()? + 1;
        if !(year_like(a) && k == 2 && b.parse::<u32>().ok()? == next % 100 && ends_word(text, end)) {
            return None;
        }
        let words = numbers::year(&next.to_string());
        return Some(Hit::new(end - i, Class::Range, format!("{} to {words}", first.spoken)));
    }
    let second =
        if year_like(a) && (year_like(b) || k == 2) && text[end..].starts_with('s') == first.spoken.ends_with('s') {
            // "1980-86" / "1960s-80s": the second year in the first one's form.
            let decade = text[end..].starts_with('s') && ends_word(text, end + 1);
            let words = if k == 2 {
                numbers::below_hundred(b.parse().ok()?)
            } else {
                numbers::year(b)
            };
            if decade {
                end += 1;
                numbers::pluralize(&words)
            } else {
                words
            }
        } else if dash == '-'
            && first.class == Class::Cardinal
            && a_int <= 3
            && k <= 3
            && !text[i..].starts_with('0')
            && !b.starts_with('0')
            && b.parse::<u32>().ok()? > a.parse::<u32>().ok()?
            && !text[j + k..].starts_with(['-', '.', '/'])
        {
            // An ascending range of small numbers, "ages 5-10", is said with
            // "to"; a score or code ("3-2", "978-0") keeps its pause.
            numbers::cardinal(b, And::Yes)
        } else if dash == '–' && first.class != Class::Date {
            let n = scan_num(&text[j..])?;
            end = j + n.len;
            n.quantity(And::Yes)
        } else if dash == '–' && year_like(b) {
            numbers::year(b)
        } else {
            return None;
        };
    if !ends_word(text, end) {
        return None;
    }
    Some(Hit::new(end - i, Class::Range, format!("{} to {second}", first.spoken)))
}

/// Equations: "1-2=5", "y=x +1". Only with an "=", so hyphens elsewhere
/// are left alone.
pub(crate) fn math(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let s = &cx.text[i..];
    let mut words: Vec<String> = Vec::new();
    let mut j = 0;
    let mut ops = 0;
    let mut eq = false;
    loop {
        // operand
        let n = super::digit_run(&s[j..]);
        if n > 0 {
            words.push(numbers::cardinal(&s[j..j + n], And::Yes));
            j += n;
        } else if s[j..].starts_with(|c: char| c.is_ascii_alphabetic()) && ends_word(s, j + 1) {
            words.push(s[j..j + 1].to_string());
            j += 1;
        } else {
            return None;
        }
        let k = skip_spaces(s, j);
        let Some(c) = s[k..].chars().next() else { break };
        let op = match c {
            '+' => "plus",
            '-' => "minus",
            '=' => "equals",
            '×' | '*' => "times",
            _ => break,
        };
        let after = skip_spaces(s, k + c.len_utf8());
        if !s[after..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            break;
        }
        eq |= op == "equals";
        ops += 1;
        words.push(op.into());
        j = after;
    }
    (eq && ops >= 1).then(|| Hit::new(j, Class::Math, words.join(" ")))
}

/// Letter/digit codes: "C24", "B2A23C", "t2000", "es3", "2x".
pub(crate) fn serial(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let s = &cx.text[i..];
    let end = s.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(s.len());
    let tok = &s[..end];
    if end == 0 || !tok.bytes().any(|b| b.is_ascii_digit()) || !tok.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if !ends_word(s, end) {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let b = tok.as_bytes();
    let mut k = 0;
    while k < b.len() {
        let digit = b[k].is_ascii_digit();
        let run = b[k..].iter().take_while(|c| c.is_ascii_digit() == digit).count();
        let piece = &tok[k..k + run];
        parts.push(if digit {
            code_digits(piece)
        } else if piece.len() > 1 && piece.bytes().all(|c| c.is_ascii_uppercase()) {
            cx.letters(piece)
        } else {
            piece.to_string()
        });
        k += run;
    }
    Some(Hit::new(end, Class::Serial, parts.join(" ")))
}

/// Digits inside a code: short runs as numbers, round thousands as
/// numbers, anything else digit by digit.
pub(crate) fn code_digits(s: &str) -> String {
    if all_digits(s) && !s.starts_with('0') && (s.len() <= 3 || numbers::is_round(s)) || s == "0" {
        numbers::cardinal(s, And::No)
    } else {
        numbers::digits(s)
    }
}
