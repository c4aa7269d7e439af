//! The classifiers and verbalizers, one file per family of classes. Each
//! public function is a [`crate::frontend::normalize`] classifier: given the
//! text and a token start, it claims a token (length, class, spoken form)
//! or declines.

mod datetime;
mod electronic;
mod measure;
mod money;
mod numeric;
mod telephone;
mod words;

use super::numbers::{self, And};
use super::types::Classifier;

/// Every classifier, in priority order (ties in length go to the earlier).
pub(crate) const CLASSIFIERS: &[Classifier] = &[
    words::lexicon,
    words::verbatim,
    // Whole written forms from the table ("24/7", "401(k)") before the
    // number classes would read them piece by piece.
    words::abbreviation,
    electronic::electronic,
    telephone::telephone,
    datetime::time,
    datetime::date,
    words::address,
    money::money,
    measure::measure,
    numeric::math,
    numeric::fraction,
    numeric::range,
    numeric::number,
    words::roman,
    words::initialism,
    numeric::serial,
    words::symbol,
];

/// A number as written: integer digits (commas removed), optional
/// fractional digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Num {
    /// Integer digits without group commas ("" for ".5").
    pub int: String,
    /// Fractional digits, when there is a decimal point.
    pub frac: Option<String>,
    /// Written with thousands commas ("13,000").
    pub grouped: bool,
    /// Bytes consumed.
    pub len: usize,
}

fn digit_run(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// The number at the start of `s`: "13,000", "2.050", ".1665", "123".
/// Commas group only when every group has three digits and no digit
/// follows ("123,000012" is 123 then ",000012").
pub(crate) fn scan_num(s: &str) -> Option<Num> {
    let b = s.as_bytes();
    let n = digit_run(s);
    let mut int = s[..n].to_string();
    let mut i = n;
    let mut grouped = false;
    if (1..=3).contains(&n) {
        let mut j = n;
        let mut groups = String::new();
        while b.get(j) == Some(&b',') && digit_run(&s[j + 1..]) == 3 {
            groups.push_str(&s[j + 1..j + 4]);
            j += 4;
        }
        if j > n {
            int.push_str(&groups);
            i = j;
            grouped = true;
        }
    }
    let mut frac = None;
    if b.get(i) == Some(&b'.') {
        let f = digit_run(&s[i + 1..]);
        if f > 0 {
            frac = Some(s[i + 1..i + 1 + f].to_string());
            i += 1 + f;
        }
    }
    if int.is_empty() && frac.is_none() {
        return None;
    }
    Some(Num {
        int,
        frac,
        grouped,
        len: i,
    })
}

impl Num {
    /// Exactly one (for singular units): "1", not "1.0".
    pub fn is_one(&self) -> bool {
        self.frac.is_none() && self.int.trim_start_matches('0') == "1"
    }

    /// Read as a quantity: a cardinal, or a decimal.
    pub fn quantity(&self, and: And) -> String {
        match &self.frac {
            Some(f) => numbers::decimal(&self.int, f, and),
            None => numbers::cardinal(&self.int, and),
        }
    }
}

/// A minus sign at `i` that belongs to the number after it: "-5", "−0.4",
/// but not the hyphen of "978-0" or "covid-19".
pub(crate) fn minus_at(cx: &super::types::Cx, i: usize) -> usize {
    let rest = &cx.text[i..];
    let sign = if rest.starts_with('-') {
        1
    } else if rest.starts_with('−') {
        '−'.len_utf8()
    } else {
        return 0;
    };
    let after = &rest[sign..];
    let starts_number = after.starts_with(|c: char| c.is_ascii_digit())
        || (after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()));
    // After a space, an opening bracket or quote, or an operator; not after
    // a word, a number or a unit ("2%-10%" is a range, not minus ten).
    let before_ok = cx
        .prev_char(i)
        .is_none_or(|c| c.is_whitespace() || "([{\"'“‘=:,;/?!".contains(c));
    if starts_number && before_ok {
        sign
    } else {
        0
    }
}

/// The character at byte `i` of `s` is not a letter or digit (or is the end).
pub(crate) fn ends_word(s: &str, i: usize) -> bool {
    !s[i..].chars().next().is_some_and(|c| c.is_alphanumeric())
}

/// Skip spaces (not newlines) from `i`.
pub(crate) fn skip_spaces(s: &str, i: usize) -> usize {
    i + s[i..].bytes().take_while(|&b| b == b' ' || b == b'\t').count()
}

/// The scale word ("million", "bn") at the start of `s` if `short` allows
/// abbreviations; returns (bytes, word).
pub(crate) fn scale_at<'t>(t: &'t super::tables::Tables, s: &str, short: bool) -> Option<(usize, &'t str)> {
    let n = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if n == 0 || !ends_word(s, n) {
        return None;
    }
    let w = s[..n].to_ascii_lowercase();
    let word = t.scales.get(&w)?;
    if !short && w != *word {
        return None;
    }
    Some((n, word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanning() {
        let n = scan_num("13,000 people").unwrap();
        assert_eq!((n.int.as_str(), n.grouped, n.len), ("13000", true, 6));
        let n = scan_num("123,000012").unwrap();
        assert_eq!((n.int.as_str(), n.len), ("123", 3));
        let n = scan_num(".1665").unwrap();
        assert_eq!((n.int.as_str(), n.frac.as_deref()), ("", Some("1665")));
        let n = scan_num("1,925.21").unwrap();
        assert_eq!((n.int.as_str(), n.frac.as_deref(), n.len), ("1925", Some("21"), 8));
        assert!(scan_num("abc").is_none());
        assert_eq!(scan_num("5.").unwrap().len, 1);
    }
}
