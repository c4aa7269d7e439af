//! Telephone numbers, social-security-style numbers and IP addresses, said
//! digit by digit in their groups: "+1 (123)-123-5678" → "plus one, one two
//! three, one two three, five six seven eight"; "1-800-GO-U-HAUL";
//! "123.123.0.40" → "one two three dot one two three dot zero dot four zero".

use super::{digit_run, ends_word};
use crate::frontend::numbers::{self, And};
use crate::frontend::types::{Class, Cx, Hit};

fn group(s: &str, n: usize) -> Option<&str> {
    (digit_run(s) == n).then(|| &s[..n])
}

/// "(123) ", "(123)-", "123-", "123." : the area code and its length.
fn area(s: &str) -> Option<(usize, &str)> {
    if let Some(r) = s.strip_prefix('(') {
        let a = group(r, 3)?;
        if !r[3..].starts_with(')') {
            return None;
        }
        let mut len = 5;
        if s[len..].starts_with(' ') || s[len..].starts_with('-') {
            len += 1;
        }
        return Some((len, a));
    }
    let a = group(s, 3)?;
    let sep = s[3..].chars().next()?;
    matches!(sep, '-' | '.' | ' ').then_some((4, a))
}

fn phone(s: &str) -> Option<(usize, Vec<String>)> {
    let mut parts = Vec::new();
    let mut j = 0;
    if let Some(r) = s.strip_prefix('+') {
        let n = digit_run(r);
        if n == 0 || n > 3 {
            return None;
        }
        parts.push(format!("plus {}", numbers::digits(&r[..n])));
        j = 1 + n;
        if s[j..].starts_with(' ') || s[j..].starts_with('-') {
            j += 1;
        }
    }
    let (al, a) = area(&s[j..])?;
    let sep = s[j + al - 1..].chars().next().filter(|c| matches!(c, '-' | '.'));
    parts.push(numbers::digits(a));
    j += al;
    let b = group(&s[j..], 3)?;
    j += 3;
    let sep2 = s[j..].chars().next()?;
    if !matches!(sep2, '-' | '.') || sep.is_some_and(|x| x != sep2) {
        return None;
    }
    parts.push(numbers::digits(b));
    j += 1;
    let c = group(&s[j..], 4)?;
    parts.push(numbers::digits(c));
    j += 4;
    if s[j..].starts_with('-') {
        let n = digit_run(&s[j + 1..]);
        if (1..=4).contains(&n) {
            parts.push(numbers::digits(&s[j + 1..j + 1 + n]));
            j += 1 + n;
        }
    }
    ends_word(s, j).then_some((j, parts))
}

/// "1-800-GO-U-HAUL": digits and capital-letter groups.
fn vanity(s: &str) -> Option<(usize, String)> {
    if !s.starts_with("1-") || group(&s[2..], 3).is_none() || !s[5..].starts_with('-') {
        return None;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'))
        .unwrap_or(s.len());
    let body = s[..end].trim_end_matches('-');
    let groups: Vec<&str> = body.split('-').collect();
    if groups.len() < 3 || !groups[2..].iter().any(|g| g.bytes().any(|b| b.is_ascii_uppercase())) {
        return None;
    }
    let mut out = String::new();
    let mut prev_letters = false;
    for (k, g) in groups.iter().enumerate() {
        let letters = g.bytes().all(|b| b.is_ascii_uppercase());
        if k > 0 {
            out.push_str(if letters && prev_letters { " " } else { ", " });
        }
        if letters {
            out.push_str(g);
        } else if g.len() == 3 && g.ends_with("00") {
            out.push_str(&numbers::cardinal(g, And::No));
        } else {
            out.push_str(&numbers::digits(g));
        }
        prev_letters = letters;
    }
    Some((body.len(), out))
}

pub(crate) fn telephone(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let s = &cx.text[i..];
    if let Some((len, parts)) = phone(s) {
        return Some(Hit::new(len, Class::Telephone, parts.join(", ")));
    }
    if let Some((len, words)) = vanity(s) {
        return Some(Hit::new(len, Class::Telephone, words));
    }
    // 111-11-1111
    if let (Some(a), Some(b), Some(c)) = (
        group(s, 3),
        s.get(4..).and_then(|r| group(r, 2)),
        s.get(7..).and_then(|r| group(r, 4)),
    ) {
        if &s[3..4] == "-" && &s[6..7] == "-" && ends_word(s, 11) {
            let words = [a, b, c].map(numbers::digits).join(", ");
            return Some(Hit::new(11, Class::Telephone, words));
        }
    }
    // IPv4: four dotted groups of 1–3 digits.
    let mut j = 0;
    let mut groups = Vec::new();
    for k in 0..4 {
        let n = digit_run(&s[j..]);
        if n == 0 || n > 3 {
            return None;
        }
        groups.push(numbers::digits(&s[j..j + n]));
        j += n;
        if k < 3 {
            if !s[j..].starts_with('.') {
                return None;
            }
            j += 1;
        }
    }
    if !ends_word(s, j) || s[j..].starts_with('.') && s[j + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(Hit::new(j, Class::Telephone, groups.join(" dot ")))
}
