//! Money: "$2.5 million" → "two point five million dollars", "$20.50" →
//! "twenty dollars fifty cents", "£2.01" → "two pounds one penny",
//! "$20/mo" → "twenty dollars per month", "$250-$300" → "… to …".

use super::{ends_word, scale_at, scan_num, skip_spaces};
use crate::frontend::numbers::{self, And};
use crate::frontend::tables::Currency;
use crate::frontend::types::{Class, Cx, Hit};

const PER: &[(&str, &str)] = &[
    ("month", "month"),
    ("mo", "month"),
    ("year", "year"),
    ("yr", "year"),
    ("week", "week"),
    ("wk", "week"),
    ("day", "day"),
    ("d", "day"),
    ("hour", "hour"),
    ("hr", "hour"),
    ("h", "hour"),
    ("night", "night"),
    ("person", "person"),
    ("share", "share"),
];

fn amount(cx: &Cx, i: usize) -> Option<(usize, String)> {
    let text = cx.text;
    let s = &text[i..];
    let cur: &Currency = cx.t.currencies.iter().find(|c| s.starts_with(c.symbol.as_str()))?;
    let p = cur.symbol.len();
    let n = scan_num(&s[p..])?;
    let mut end = p + n.len;
    // Scale: "$2.5 million", "¥30 b", "¥30B".
    let sp = skip_spaces(s, end);
    if let Some((len, word)) = scale_at(cx.t, &s[sp..], true) {
        let spoken = format!("{} {word} {}", n.quantity(And::No), cur.plural);
        return Some((sp + len, spoken));
    }
    let int = n.int.trim_start_matches('0');
    let frac = n.frac.as_deref().unwrap_or("");
    let cents = frac.trim_end_matches('0');
    let spoken = if cents.is_empty() {
        let unit = if int == "1" { &cur.singular } else { &cur.plural };
        format!("{} {unit}", numbers::cardinal(&n.int, And::Yes))
    } else if cents.len() <= 2 && !cur.minor_plural.is_empty() {
        let c: usize = format!("{cents:0<2}").parse().ok()?;
        let minor = format!(
            "{} {}",
            numbers::below_hundred(c),
            if c == 1 { &cur.minor_singular } else { &cur.minor_plural }
        );
        if int.is_empty() {
            minor
        } else {
            let unit = if int == "1" { &cur.singular } else { &cur.plural };
            format!("{} {unit} {minor}", numbers::cardinal(&n.int, And::Yes))
        }
    } else {
        format!("{} {}", numbers::decimal(&n.int, frac, And::Yes), cur.plural)
    };
    end = end.min(s.len());
    Some((end, spoken))
}

pub(crate) fn money(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    let (mut len, mut spoken) = amount(cx, i)?;
    // Rates: "$20/mo".
    if text[i + len..].starts_with('/') {
        let rest = &text[i + len + 1..];
        if let Some((w, say)) = PER
            .iter()
            .find(|(w, _)| rest.starts_with(w) && ends_word(rest, w.len()))
        {
            len += 1 + w.len();
            spoken = format!("{spoken} per {say}");
        }
    }
    // Ranges: "$50.00-$100.00".
    let j = i + len;
    if let Some(d) = text[j..].chars().next().filter(|&c| c == '-' || c == '–') {
        let k = skip_spaces(text, j + d.len_utf8());
        if let Some((len2, spoken2)) = amount(cx, k) {
            len = k + len2 - i;
            spoken = format!("{spoken} to {spoken2}");
        }
    }
    if !ends_word(text, i + len) {
        return None;
    }
    Some(Hit::new(len, Class::Money, spoken))
}
