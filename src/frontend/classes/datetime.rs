//! Dates and times.
//!
//! Dates: "Sep 5, 2023" → "September fifth, twenty twenty three"; "25 july
//! 2012" → "the twenty fifth of july twenty twelve"; "Sat. Nov 23rd, 2024";
//! "April 2019"; numeric "2006-08-05", "10/06/2005" (month first unless the
//! first number cannot be a month: "15.01.2020" is day first); "2Q22".
//! Times: "3:30 p.m." → "three thirty PM", "23:00" → "twenty three
//! o'clock", "1:01:01" → "one hour one minute and one second", zones
//! ("est" → EST), ranges ("2pm-5pm" → "two PM to five PM").

use super::{digit_run, ends_word, skip_spaces};
use crate::frontend::numbers::{self, And};
use crate::frontend::types::{Class, Cx, Hit};

/// Month words that are also common English words; lower case, they are a
/// month only when a year or a preceding day makes it clear.
const RISKY: &[&str] = &[
    "may", "march", "mar", "jan", "sat", "sun", "dec", "jun", "sep", "oct", "aug",
];

fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// The month name at `i` ("Sep", "sept.", "JANUARY"): (bytes, month, risky).
fn month_at(cx: &Cx, i: usize) -> Option<(usize, String, bool)> {
    let s = &cx.text[i..];
    let n = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if n < 3 || !ends_word(s, n) {
        return None;
    }
    let w = &s[..n];
    let lower = w.to_ascii_lowercase();
    let month = cx.t.months.get(&lower)?;
    let dot = usize::from(s[n..].starts_with('.') && lower != *month);
    let risky = !capitalized(w) && RISKY.contains(&lower.as_str()) && dot == 0;
    Some((n + dot, capitalize(month), risky))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A day of the month at the start of `s`: (bytes incl. ordinal suffix, day).
fn day_at(s: &str) -> Option<(usize, u32)> {
    let n = digit_run(s);
    if n == 0 || n > 2 {
        return None;
    }
    let d: u32 = s[..n].parse().ok()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let suf = s.get(n..n + 2).map(str::to_ascii_lowercase);
    let len = if matches!(suf.as_deref(), Some("st" | "nd" | "rd" | "th")) && ends_word(s, n + 2) {
        n + 2
    } else if ends_word(s, n) {
        n
    } else {
        return None;
    };
    Some((len, d))
}

/// The end of a day range after `end` ("-7", "–14"): (bytes, last day),
/// when the last day is after the first.
fn day_range_end(text: &str, end: usize, first: u32) -> Option<(usize, u32)> {
    let dash = text[end..].chars().next().filter(|&c| c == '-' || c == '–')?;
    let (l, d2) = day_at(&text[end + dash.len_utf8()..])?;
    (d2 > first).then_some((dash.len_utf8() + l, d2))
}

/// A four-digit year at the start of `s`.
fn year_at(s: &str) -> Option<(usize, String)> {
    let n = digit_run(s);
    (n == 4
        && ends_word(s, 4)
        && !s[4..].starts_with(|c: char| c == ',' && s[5..].starts_with(|d: char| d.is_ascii_digit())))
    .then(|| (4, numbers::year(&s[..4])))
}

fn ordinal(d: u32) -> String {
    numbers::ordinal(&d.to_string())
}

pub(crate) fn date(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    // "Sat. Nov 23rd, 2024": a weekday (abbreviated with a period, or in
    // full) before a date.
    let s = &cx.text[i..];
    let n = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if n >= 3 && capitalized(s) {
        if let Some(day) = cx.t.weekdays.get(&s[..n].to_ascii_lowercase()) {
            let mut j = i + n;
            let abbreviated = s[..n].len() < day.len();
            if abbreviated {
                if !cx.text[j..].starts_with('.') {
                    return None;
                }
                j += 1;
            }
            let comma = cx.text[j..].starts_with(',');
            j = skip_spaces(cx.text, j + usize::from(comma));
            if let Some(h) = month_first(cx, j).or_else(|| day_first(cx, j)) {
                return Some(Hit::new(j + h.len - i, Class::Date, format!("{day}, {}", h.spoken)));
            }
            return None;
        }
    }
    month_first(cx, i)
        .or_else(|| day_first(cx, i))
        .or_else(|| numeric_date(cx, i))
        .or_else(|| quarter(cx, i))
}

/// "July 25 2012", "Sep 5, 2023", "Jan-15-2020", "June 30", "April 2019".
fn month_first(cx: &Cx, i: usize) -> Option<Hit> {
    let text = cx.text;
    let (ml, month, risky) = month_at(cx, i)?;
    let mut j = i + ml;
    let sep = text[j..].chars().next()?;
    if sep != ' ' && sep != '-' {
        return None;
    }
    j += 1;
    if let Some((dl, d)) = day_at(&text[j..]) {
        let mut end = j + dl;
        let mut spoken = format!("{month} {}", ordinal(d));
        // A range of days: "Sept. 5-7", "June 12–14".
        if let Some((rl, d2)) = day_range_end(text, end, d) {
            spoken = format!("{spoken} to {}", ordinal(d2));
            end += rl;
        }
        // Optional year: " 2012", ", 2023", "-2020".
        let (comma, k) = if text[end..].starts_with(", ") {
            (true, end + 2)
        } else if text[end..].starts_with(' ') || (sep == '-' && text[end..].starts_with('-')) {
            (false, end + 1)
        } else {
            (false, end)
        };
        let mut has_year = false;
        if k > end {
            if let Some((yl, y)) = year_at(&text[k..]) {
                spoken = format!("{spoken}{} {y}", if comma { "," } else { "" });
                end = k + yl;
                has_year = true;
            }
        }
        if risky && !has_year {
            return None;
        }
        return Some(Hit::new(end - i, Class::Date, spoken));
    }
    if sep == ' ' && !risky {
        if let Some((yl, y)) = year_at(&text[j..]) {
            return Some(Hit::new(j + yl - i, Class::Date, format!("{month} {y}")));
        }
    }
    None
}

/// "25 july 2012", "15 January", "the 26th May", "22nd of July".
fn day_first(cx: &Cx, i: usize) -> Option<Hit> {
    let text = cx.text;
    let (dl, d) = day_at(&text[i..])?;
    let mut j = i + dl;
    let range = day_range_end(text, j, d);
    if let Some((rl, _)) = range {
        j += rl;
    }
    if !text[j..].starts_with(' ') {
        return None;
    }
    j += 1;
    if text[j..].starts_with("of ") {
        j += 3;
    }
    let (ml, month, risky) = month_at(cx, j)?;
    let mut end = j + ml;
    let suffixed = dl > digit_run(&text[i..]);
    let the = if cx.before_lower(i, 4).ends_with("the ") {
        ""
    } else {
        "the "
    };
    let mut spoken = match range {
        Some((_, d2)) => format!("{the}{} to the {} of {month}", ordinal(d), ordinal(d2)),
        None => format!("{the}{} of {month}", ordinal(d)),
    };
    let (comma, k) = if text[end..].starts_with(", ") {
        (true, end + 2)
    } else {
        (false, end + 1)
    };
    let mut has_year = false;
    if text[end..].starts_with(' ') || comma {
        if let Some((yl, y)) = year_at(&text[k..]) {
            spoken = format!("{spoken}{} {y}", if comma { "," } else { "" });
            end = k + yl;
            has_year = true;
        }
    }
    if risky && !has_year && !suffixed {
        return None;
    }
    Some(Hit::new(end - i, Class::Date, spoken))
}

/// "2006-08-05", "2016/07/03", "10/06/2005", "11/17/05", "15.01.2020".
fn numeric_date(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let a = digit_run(s);
    let sep = s[a..].chars().next().filter(|c| matches!(c, '-' | '/' | '.'))?;
    let b = digit_run(&s[a + 1..]);
    if b == 0 || b > 2 || !s[a + 1 + b..].starts_with(sep) {
        return None;
    }
    let c = digit_run(&s[a + 2 + b..]);
    let end = a + 2 + b + c;
    // Not followed by another part (an IP address, a version).
    if !ends_word(s, end) || s[end..].starts_with(sep) && s[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let x: u32 = s[..a].parse().ok()?;
    let y: u32 = s[a + 1..a + 1 + b].parse().ok()?;
    let z = &s[a + 2 + b..end];
    let month_name = |m: u32| {
        const M: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        M.get((m as usize).wrapping_sub(1)).copied()
    };
    let spoken = if a == 4 && (c == 1 || c == 2) {
        let d: u32 = z.parse().ok()?;
        if !(1..=31).contains(&d) {
            return None;
        }
        format!("{} {} {}", month_name(y)?, ordinal(d), numbers::year(&s[..4]))
    } else if (a == 1 || a == 2) && (c == 4 || c == 2) {
        let year = if c == 4 {
            numbers::year(z)
        } else if z.starts_with('0') {
            numbers::digits(z)
        } else {
            numbers::cardinal(z, And::No)
        };
        if (1..=12).contains(&x) && (1..=31).contains(&y) {
            format!("{} {} {year}", month_name(x)?, ordinal(y))
        } else if (1..=12).contains(&y) && (13..=31).contains(&x) {
            format!("the {} of {} {year}", ordinal(x), month_name(y)?)
        } else {
            return None;
        }
    } else {
        return None;
    };
    Some(Hit::new(end, Class::Date, spoken))
}

/// Quarters: "2Q22" → "the second quarter of twenty two".
fn quarter(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let b = s.as_bytes();
    if b.len() < 4 || !(b'1'..=b'4').contains(&b[0]) || b[1] != b'Q' {
        return None;
    }
    let n = digit_run(&s[2..]);
    if (n != 2 && n != 4) || !ends_word(s, 2 + n) {
        return None;
    }
    let y = if n == 4 {
        numbers::year(&s[2..6])
    } else {
        numbers::cardinal(&s[2..4], And::No)
    };
    Some(Hit::new(
        2 + n,
        Class::Date,
        format!("the {} quarter of {y}", ordinal(u32::from(b[0] - b'0'))),
    ))
}

/// An am/pm marker at the start of `s`: (bytes, "AM"/"PM").
fn meridiem(s: &str) -> Option<(usize, &'static str)> {
    let b = s.as_bytes();
    let which = match b.first().map(u8::to_ascii_lowercase) {
        Some(b'a') => "AM",
        Some(b'p') => "PM",
        _ => return None,
    };
    let (len, dotted) = match (b.get(1), b.get(2), b.get(3)) {
        (Some(b'.'), Some(m), Some(b'.')) if m.eq_ignore_ascii_case(&b'm') => (4, true),
        (Some(b'.'), Some(m), _) if m.eq_ignore_ascii_case(&b'm') => (3, true),
        (Some(m), _, _) if m.eq_ignore_ascii_case(&b'm') => (2, false),
        _ => return None,
    };
    // "am" without dots must end the word; "p.m.est" may run on into a zone.
    if !dotted && !ends_word(s, len) {
        return None;
    }
    Some((len, which))
}

/// A time zone at the start of `s` ("est", "E.S.T", "GMT").
fn zone<'t>(cx: &Cx<'t>, s: &str) -> Option<(usize, &'static str)> {
    let n = s.bytes().take_while(|b| b.is_ascii_alphabetic() || *b == b'.').count();
    if n == 0 {
        return None;
    }
    let mut n = n;
    while n > 0 && s.as_bytes()[n - 1] == b'.' && !s[..n - 1].contains('.') {
        n -= 1;
    }
    let key: String = s[..n]
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    if !ends_word(s, n) {
        return None;
    }
    let z = cx.t.zones.get(&key)?;
    Some((n, z.as_str()))
}

/// One time at `i`: (bytes, words).
fn time_at(cx: &Cx, i: usize) -> Option<(usize, String)> {
    let s = &cx.text[i..];
    let h = digit_run(s);
    if h == 0 || h > 2 {
        return None;
    }
    let hours: u32 = s[..h].parse().ok()?;
    let mut j = h;
    let mut minutes: Option<u32> = None;
    let mut seconds: Option<u32> = None;
    let sep = s[j..].chars().next();
    if matches!(sep, Some(':') | Some('.')) && digit_run(&s[j + 1..]) == 2 {
        minutes = Some(s[j + 1..j + 3].parse().ok()?);
        let after = j + 3;
        if sep == Some(':') && s[after..].starts_with(':') && digit_run(&s[after + 1..]) == 2 {
            seconds = Some(s[after + 1..after + 3].parse().ok()?);
            j = after + 3;
        } else {
            j = after;
        }
    }
    let k = skip_spaces(s, j);
    let mer = meridiem(&s[k..]);
    if sep == Some('.') && mer.is_none() {
        return None;
    }
    if minutes.is_none() && mer.is_none() {
        return None;
    }
    if minutes.is_some_and(|m| m > 59) || seconds.is_some_and(|x| x > 59) || hours > 24 {
        return None;
    }
    if mer.is_some() && !(1..=12).contains(&hours) {
        return None;
    }
    if mer.is_none() && !ends_word(s, j) {
        return None;
    }
    let hw = numbers::cardinal(&hours.to_string(), And::No);
    let mut words = match (minutes, seconds) {
        (Some(m), Some(sec)) => {
            let unit = |n: u32, w: &str| {
                format!(
                    "{} {w}{}",
                    numbers::cardinal(&n.to_string(), And::No),
                    if n == 1 { "" } else { "s" }
                )
            };
            format!(
                "{} {} and {}",
                unit(hours, "hour"),
                unit(m, "minute"),
                unit(sec, "second")
            )
        }
        (Some(0), None) if mer.is_none() => format!("{hw} o'clock"),
        (Some(0), None) | (None, _) => hw,
        (Some(m), None) if m < 10 => format!("{hw} oh {}", numbers::below_hundred(m as usize)),
        (Some(m), None) => format!("{hw} {}", numbers::below_hundred(m as usize)),
    };
    let mut end = j;
    if let Some((ml, which)) = mer {
        words = format!("{words} {}", cx.letters(which));
        end = k + ml;
    }
    let z0 = skip_spaces(s, end);
    if let Some((zl, z)) = zone(cx, &s[z0..]) {
        words = format!("{words} {}", cx.letters(z));
        end = z0 + zl;
    }
    Some((end, words))
}

pub(crate) fn time(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) {
        return None;
    }
    let (mut len, mut words) = time_at(cx, i)?;
    // A range: "2pm-5pm", "4:00 am - 8:12 pm".
    let text = cx.text;
    let k = skip_spaces(text, i + len);
    if let Some(d) = text[k..].chars().next().filter(|&c| c == '-' || c == '–') {
        let m = skip_spaces(text, k + d.len_utf8());
        if let Some((len2, words2)) = time_at(cx, m) {
            len = m + len2 - i;
            words = format!("{words} to {words2}");
        }
    }
    Some(Hit::new(len, Class::Time, words))
}
