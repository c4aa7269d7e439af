//! Measures and percentages: "12kg", "38°C", "4 1/2 lbs", "2-5lb",
//! "100 million kg", "12%", "kg/kg", "7.2-millimeter bullet".

use super::numeric::fraction_at;
use super::{ends_word, minus_at, scale_at, scan_num, skip_spaces, Num};
use crate::frontend::numbers::And;
use crate::frontend::tables::Unit;
use crate::frontend::types::{Class, Cx, Hit};

/// A quantity: a mixed fraction or a number. (bytes, words, is exactly one)
fn quantity(cx: &Cx, i: usize) -> Option<(usize, String, bool)> {
    if let Some((len, words)) = fraction_at(cx.text, i) {
        return Some((len, words, false));
    }
    let n: Num = scan_num(&cx.text[i..])?;
    Some((n.len, n.quantity(And::Yes), n.is_one()))
}

pub(crate) fn measure(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let text = cx.text;
    let sign = minus_at(cx, i);
    let (qlen, mut words, mut one) = quantity(cx, i + sign)?;
    if sign > 0 {
        words = format!("minus {words}");
    }
    let mut j = i + sign + qlen;
    // A range: "2-5lb", "1980-1970 kg" (the unit is needed to call it one).
    if let Some(d) = text[j..].chars().next().filter(|&c| c == '-' || c == '–') {
        if let Some((len2, words2, _)) = quantity(cx, j + d.len_utf8()) {
            let k = j + d.len_utf8() + len2;
            if unit_after(cx, k).is_some() {
                words = format!("{words} to {words2}");
                one = false;
                j = k;
            }
        }
    }
    // A scale word: "100 million kg".
    let sp = skip_spaces(text, j);
    if sp > j {
        if let Some((len, w)) = scale_at(cx.t, &text[sp..], false) {
            if unit_after(cx, sp + len).is_some() {
                words = format!("{} {w}", words.replace(" and ", " "));
                j = sp + len;
                one = false;
            }
        }
    }
    // "12/kg": per unit without a first unit.
    if text[j..].starts_with('/') {
        let (ulen, unit) = unit_at(cx, j + 1, false)?;
        let end = j + 1 + ulen;
        return ends_word(text, end)
            .then(|| Hit::new(end - i, Class::Measure, format!("{words} per {}", unit.singular)));
    }
    // Hyphenated adjectives keep the unit as written: "7.2-millimeter bullet".
    if text[j..].starts_with('-') {
        let w = &text[j + 1..];
        let n = w.bytes().take_while(u8::is_ascii_alphabetic).count();
        if n > 3 && ends_word(w, n) && cx.t.unit_at(&w[..n]).is_some_and(|(l, _)| l == n) {
            return Some(Hit::new(j + 1 + n - i, Class::Measure, format!("{words} {}", &w[..n])));
        }
        return None;
    }
    let (ulen, unit, upos) = unit_after(cx, j)?;
    let mut end = upos + ulen;
    let mut spoken = format!("{words} {}", if one { &unit.singular } else { &unit.plural });
    // Per: "kg/kg" → "kilograms per kilogram".
    if text[end..].starts_with('/') {
        if let Some((l2, u2)) = unit_at(cx, end + 1, false) {
            spoken = format!("{spoken} per {}", u2.singular);
            end += 1 + l2;
        }
    }
    let class = if unit.singular == "percent" {
        Class::Percent
    } else {
        Class::Measure
    };
    Some(Hit::new(end - i, class, spoken))
}

/// The unit at `j`, directly or after one space when the unit allows it.
fn unit_after(cx: &Cx, j: usize) -> Option<(usize, &'static Unit, usize)> {
    if let Some((l, u)) = unit_at(cx, j, false) {
        return Some((l, u, j));
    }
    let sp = skip_spaces(cx.text, j);
    if sp == j + 1 {
        if let Some((l, u)) = unit_at(cx, sp, true) {
            return Some((l, u, sp));
        }
    }
    None
}

fn unit_at(cx: &Cx, j: usize, spaced: bool) -> Option<(usize, &'static Unit)> {
    let (l, u) = cx.t.unit_at(&cx.text[j..])?;
    if spaced && !u.spaced {
        return None;
    }
    Some((l, u))
}
