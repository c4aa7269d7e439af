//! Normalization in the other languages Pico speaks (German, French,
//! Spanish, Italian): numbers, ordinals, decimals, money, percentages,
//! measures, dates, times and abbreviations, read as a newsreader of the
//! language reads them.
//!
//! Everything a language says is data in `voices/lang/<lang>/`: number
//! words 0–99 (`numbers.tsv`), hundreds, scale nouns and how a number
//! attaches to them (`scales.tsv`: German and Italian write thousands as
//! one word, long-scale Spanish says "mil millones"), the forms a number
//! takes before a scale noun (`apocope.tsv`: "veintiún mil"), elisions
//! (`contractions.tsv`), ordinals, currencies, units, abbreviations,
//! months, weekdays and the words around numbers (`words.tsv`). The code
//! here composes them; what it composes differently by language (German
//! ordinals' case endings, French "premier", the gender of Spanish and
//! Italian ordinals) is keyed on the language's data, not on its name,
//! where the data can say it.

use super::lexicon::Lexicon;
use super::types::{Class, Normalized, Token};
use crate::langdata;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The languages with tables here.
pub(crate) const LANGUAGES: &[&str] = &["de", "fr", "es", "it"];

struct Scale {
    exp: u32,
    one: &'static str,
    many: &'static str,
    joined: bool,
}

struct Currency {
    written: &'static str,
    one: &'static str,
    many: &'static str,
    minor_one: &'static str,
    minor_many: &'static str,
    feminine: bool,
}

/// One language's tables.
pub(crate) struct Locale {
    code: &'static str,
    numbers: Vec<&'static str>,
    hundreds: Vec<(&'static str, &'static str)>,
    scales: Vec<Scale>,
    apocope: Vec<(&'static str, &'static str, Vec<u32>)>,
    contractions: Vec<(&'static str, &'static str)>,
    words: HashMap<&'static str, &'static str>,
    ordinals: HashMap<&'static str, (&'static str, &'static str)>,
    months: Vec<(String, &'static str)>,
    /// The twelve month names in calendar order (months.tsv lists them first).
    calendar: Vec<&'static str>,
    weekdays: Vec<(String, &'static str)>,
    fractions: HashMap<&'static str, (&'static str, &'static str)>,
    currencies: Vec<Currency>,
    units: Vec<(String, &'static str, &'static str, bool)>,
    abbreviations: Vec<(&'static str, &'static str)>,
}

/// The tables of a language, if hark has them.
pub(crate) fn locale(code: &str) -> Option<&'static Locale> {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static Locale>>> = OnceLock::new();
    if !LANGUAGES.contains(&code) {
        return None;
    }
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(l) = c.get(code) {
        return Some(l);
    }
    let l: &'static Locale = Box::leak(Box::new(Locale::load(code)?));
    c.insert(code.to_string(), l);
    Some(l)
}

impl Locale {
    fn load(code: &str) -> Option<Locale> {
        let rows = |f: &str| langdata::rows(code, f).collect::<Vec<_>>();
        let mut numbers = vec![""; 100];
        for r in rows("numbers.tsv") {
            let n: usize = r.first()?.parse().ok()?;
            *numbers.get_mut(n)? = r.get(1)?;
        }
        if numbers.iter().any(|w| w.is_empty()) {
            return None;
        }
        let mut hundreds = vec![("", ""); 10];
        for r in rows("hundreds.tsv") {
            let n: usize = r.first()?.parse().ok()?;
            *hundreds.get_mut(n / 100)? = (r.get(1)?, r.get(2).copied().unwrap_or(r.get(1)?));
        }
        let mut scales: Vec<Scale> = rows("scales.tsv")
            .into_iter()
            .filter_map(|r| {
                Some(Scale {
                    exp: r.first()?.parse().ok()?,
                    one: r.get(1)?,
                    many: r.get(2)?,
                    joined: r.get(3).is_some_and(|j| *j == "_"),
                })
            })
            .collect();
        scales.sort_by_key(|s| std::cmp::Reverse(s.exp));
        let apocope = rows("apocope.tsv")
            .into_iter()
            .filter_map(|r| {
                let exps = match r.get(2).copied().unwrap_or("*") {
                    "*" => Vec::new(),
                    list => list.split(',').filter_map(|e| e.trim().parse().ok()).collect(),
                };
                Some((*r.first()?, *r.get(1)?, exps))
            })
            .collect();
        let pairs = |f: &str| -> Vec<(&'static str, &'static str)> {
            rows(f)
                .into_iter()
                .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
                .collect()
        };
        let words = pairs("words.tsv").into_iter().collect();
        let ordinals = rows("ordinals.tsv")
            .into_iter()
            .filter_map(|r| Some((*r.first()?, (*r.get(1)?, r.get(2).copied().unwrap_or("")))))
            .collect();
        let calendar: Vec<&'static str> = pairs("months.tsv").into_iter().map(|(_, m)| m).take(12).collect();
        let mut weekdays: Vec<(String, &'static str)> = pairs("weekdays.tsv")
            .into_iter()
            .map(|(w, d)| (w.to_lowercase(), d))
            .collect();
        weekdays.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let fractions = rows("fractions.tsv")
            .into_iter()
            .filter_map(|r| Some((*r.first()?, (*r.get(1)?, *r.get(2)?))))
            .collect();
        let mut months: Vec<(String, &'static str)> = pairs("months.tsv")
            .into_iter()
            .map(|(w, m)| (w.to_lowercase(), m))
            .collect();
        months.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let currencies = rows("currencies.tsv")
            .into_iter()
            .filter_map(|r| {
                Some(Currency {
                    written: r.first()?,
                    one: r.get(1)?,
                    many: r.get(2)?,
                    minor_one: r.get(3)?,
                    minor_many: r.get(4)?,
                    feminine: r.get(5).is_some_and(|g| *g == "f"),
                })
            })
            .collect();
        let mut units: Vec<(String, &'static str, &'static str, bool)> = rows("units.tsv")
            .into_iter()
            .filter_map(|r| Some((r.first()?.to_string(), *r.get(1)?, *r.get(2)?, r.get(3) == Some(&"f"))))
            .collect();
        units.sort_by_key(|(w, _, _, _)| std::cmp::Reverse(w.len()));
        let mut abbreviations = pairs("abbreviations.tsv");
        abbreviations.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        Some(Locale {
            code: LANGUAGES.iter().find(|l| **l == code)?,
            numbers,
            hundreds,
            scales,
            apocope,
            contractions: pairs("contractions.tsv"),
            words,
            ordinals,
            months,
            calendar,
            weekdays,
            fractions,
            currencies,
            units,
            abbreviations,
        })
    }

    fn word(&self, key: &str) -> &'static str {
        self.words.get(key).copied().unwrap_or("")
    }

    fn join(&self, key: &str) -> &'static str {
        match self.word(key) {
            "_" => "",
            _ => " ",
        }
    }

    /// 0 to 999.
    fn below_thousand(&self, n: usize) -> String {
        let (h, r) = (n / 100, n % 100);
        if h == 0 {
            return self.numbers[r].to_string();
        }
        let (exact, followed) = self.hundreds[h];
        if r == 0 {
            exact.to_string()
        } else {
            format!("{followed}{}{}", self.join("hundred_join"), self.numbers[r])
        }
    }

    /// A whole number, from its digits (any length; past the largest scale
    /// the digits are read one by one).
    pub(crate) fn cardinal(&self, digits: &str) -> String {
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return self.numbers[0].to_string();
        }
        let top = self.scales.first().map_or(3, |s| s.exp);
        if digits.len() > (top as usize) * 2 + 3 {
            return digits
                .chars()
                .map(|c| self.numbers[c.to_digit(10).unwrap_or(0) as usize])
                .collect::<Vec<_>>()
                .join(" ");
        }
        let s = self.spell(digits);
        self.contract(&s)
    }

    fn contract(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (from, to) in &self.contractions {
            if out.contains(from) {
                out = out.replace(from, to);
            }
        }
        out
    }

    fn spell(&self, digits: &str) -> String {
        let digits = digits.trim_start_matches('0');
        if digits.len() <= 3 {
            return self.below_thousand(digits.parse().unwrap_or(0));
        }
        for s in &self.scales {
            let e = s.exp as usize;
            if digits.len() <= e {
                continue;
            }
            let (q, r) = digits.split_at(digits.len() - e);
            let head = if q.trim_start_matches('0') == "1" {
                s.one.to_string()
            } else {
                let mut m = self.spell(q);
                for (from, to, exps) in &self.apocope {
                    if (exps.is_empty() || exps.contains(&s.exp)) && m.ends_with(from) {
                        let cut = m.len() - from.len();
                        if cut == 0 || m[..cut].ends_with([' ', '-']) || self.join("thousand_join").is_empty() {
                            m = format!("{}{to}", &m[..cut]);
                            break;
                        }
                    }
                }
                format!("{m}{}{}", if s.joined { "" } else { " " }, s.many)
            };
            if r.trim_start_matches('0').is_empty() {
                return head;
            }
            let sep = if s.joined { "" } else { " " };
            return format!("{head}{sep}{}", self.spell(r));
        }
        self.below_thousand(digits.parse().unwrap_or(0))
    }

    /// An ordinal, masculine or feminine; `case` is German's ending
    /// (`r`: nominative "zweiter", `n`: dative "am zweiten", none: "die zweite").
    pub(crate) fn ordinal(&self, digits: &str, feminine: bool, case: &str) -> String {
        let n: u64 = digits.parse().unwrap_or(0);
        match self.code {
            "de" => {
                let card = self.cardinal(digits);
                let mut stem = None;
                for (last, irregular) in &self.ordinals {
                    if card.ends_with(last) && (n % 100) < 20 {
                        stem = Some(format!("{}{}", &card[..card.len() - last.len()], irregular.0));
                    }
                }
                let stem = stem.unwrap_or_else(|| {
                    // "eine Million" → "eine millionste": the last noun, lower case.
                    let card = match card.rsplit_once(' ') {
                        Some((head, last)) => format!(
                            "{head} {}",
                            last.to_lowercase().trim_end_matches("en").trim_end_matches('n')
                        ),
                        None => card.to_lowercase(),
                    };
                    let small = (n % 100) < 20 && (n % 100 != 0 || n == 0);
                    format!("{card}{}", if small { "te" } else { "ste" })
                });
                format!("{stem}{case}")
            }
            "fr" => {
                if let Some((m, f)) = self.ordinals.get(n.to_string().as_str()) {
                    return (if feminine { *f } else { *m }).to_string();
                }
                let card = self.cardinal(digits);
                let (head, last) = match card.rfind([' ', '-']) {
                    Some(i) => (&card[..=i], &card[i + 1..]),
                    None => ("", card.as_str()),
                };
                let last = match last {
                    "cinq" => "cinqu".to_string(),
                    "neuf" => "neuv".to_string(),
                    "cents" => "cent".to_string(),
                    "vingts" => "vingt".to_string(),
                    l => l.strip_suffix('e').unwrap_or(l).to_string(),
                };
                format!("{head}{last}ième")
            }
            _ => self.latin_ordinal(n, feminine),
        }
    }

    /// Spanish and Italian ordinals: the table's words, composed (Spanish
    /// "vigésimo primero"), or the Italian rule (cardinal less its last
    /// vowel, + "esimo").
    fn latin_ordinal(&self, n: u64, feminine: bool) -> String {
        let pick = |m: &str, f: &str| {
            if feminine && !f.is_empty() {
                f.to_string()
            } else {
                m.to_string()
            }
        };
        if let Some((m, f)) = self.ordinals.get(n.to_string().as_str()) {
            return pick(m, f);
        }
        if self.code == "es" && (13..30).contains(&n) && n != 20 {
            // decimotercero, vigesimoctavo: one word (RAE), o + o elided.
            let (head, unit) = if n < 20 {
                ("decimo", n - 10)
            } else {
                ("vigesimo", n - 20)
            };
            let u = self.latin_ordinal(unit, feminine);
            let u = u.strip_prefix('o').map(String::from).unwrap_or(u);
            return format!("{head}{u}").replace("séptim", "séptim");
        }
        if self.code == "es" {
            let mut parts = Vec::new();
            let mut rest = n;
            for unit in [1000u64, 100, 10, 1] {
                let q = rest / unit * unit;
                if q > 0 && (unit > 1 || rest < 10) {
                    let key = if unit == 1000 && q > 1000 { 1000 } else { q };
                    if unit == 1000 && q > 1000 {
                        parts.push(format!("{} ", self.cardinal(&(q / 1000).to_string())));
                    }
                    if let Some((m, f)) = self.ordinals.get(key.to_string().as_str()) {
                        parts.push(pick(m, f));
                    }
                    rest -= q;
                }
                if rest < 10 && rest > 0 {
                    if let Some((m, f)) = self.ordinals.get(rest.to_string().as_str()) {
                        parts.push(pick(m, f));
                    }
                    break;
                }
            }
            return parts.join(" ").replace("  ", " ");
        }
        let card = self.cardinal(&n.to_string());
        let stem = if card.ends_with("tré") || card.ends_with("sei") {
            card.replace('é', "e")
        } else {
            card[..card.len() - card.chars().last().map_or(0, char::len_utf8)].to_string()
        };
        format!("{stem}esim{}", if feminine { 'a' } else { 'o' })
    }

    /// Digits after the decimal comma.
    fn fraction(&self, frac: &str) -> String {
        if self.word("decimal_digits") == "each" || frac.starts_with('0') {
            frac.chars()
                .map(|c| self.numbers[c.to_digit(10).unwrap_or(0) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            self.cardinal(frac)
        }
    }

    fn decimal(&self, int: &str, frac: Option<&str>) -> String {
        match frac {
            Some(f) => format!("{} {} {}", self.cardinal(int), self.word("point"), self.fraction(f)),
            None => self.cardinal(int),
        }
    }

    /// A number's words where a feminine noun follows ("una libra").
    fn feminine(&self, words: String) -> String {
        match self.code {
            "es" => {
                // Only what follows the last "millón/millones": "doscientos
                // millones una libras", but "doscientas mil libras".
                let cut = ["millón", "millones", "billón", "billones", "trillón", "trillones"]
                    .iter()
                    .filter_map(|w| words.rfind(w).map(|i| i + w.len()))
                    .max()
                    .unwrap_or(0);
                let (head, tail) = words.split_at(cut);
                let mut t = format!(" {tail} ")
                    .replace("ientos", "ientas")
                    .replace(" uno ", " una ")
                    .replace(" un ", " una ");
                if t.trim_end().ends_with("veintiuno") {
                    t = t.replace("veintiuno", "veintiuna");
                }
                format!("{head}{}", t.trim_end().strip_prefix(' ').unwrap_or(t.trim_end()))
                    .trim()
                    .to_string()
            }
            "fr" if words == "un" => "une".into(),
            "it" if words == "un" || words == "uno" => "una".into(),
            _ => words,
        }
    }

    /// A number before a written scale noun ("un millón", "eine Million").
    fn before_scale(&self, words: String) -> String {
        match (self.code, words.as_str()) {
            ("de", "eins") => "eine".into(),
            _ => self.before_noun(words),
        }
    }

    /// "three fifths": the numerator and the denominator's word.
    fn fraction_words(&self, num: &str, den: &str, one: bool) -> String {
        let numerator = if one {
            match self.code {
                "de" => "ein".to_string(),
                "fr" | "es" | "it" => "un".to_string(),
                _ => self.cardinal(num),
            }
        } else {
            self.cardinal(num)
        };
        let word = if let Some((sg, pl)) = self.fractions.get(den) {
            (if one { *sg } else { *pl }).to_string()
        } else {
            let d: u64 = den.parse().unwrap_or(0);
            match self.code {
                // Fünftel, Zwanzigstel: the ordinal stem + "tel".
                "de" => {
                    let card = self.cardinal(den);
                    let stem = if (d % 100) < 20 && d % 100 != 0 {
                        match card.as_str() {
                            "sieben" => "sieb".to_string(),
                            "acht" => "ach".to_string(),
                            c => c.to_string(),
                        }
                    } else {
                        format!("{card}s")
                    };
                    let mut c = stem.chars();
                    let cap: String = c
                        .next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default();
                    format!("{cap}tel")
                }
                // cinquième(s)
                "fr" => format!("{}{}", self.ordinal(den, false, ""), if one { "" } else { "s" }),
                // quinto … décimo, then onceavo, veintiunavo
                "es" if d <= 10 || self.ordinals.contains_key(den) => {
                    format!("{}{}", self.latin_ordinal(d, false), if one { "" } else { "s" })
                }
                "es" if d % 1000 == 0 && (d / 1000 < 1000 || d % 1_000_000 == 0) => {
                    let (k, noun) = if d % 1_000_000 == 0 {
                        (d / 1_000_000, "millonésimo")
                    } else {
                        (d / 1000, "milésimo")
                    };
                    let head = if k == 1 {
                        String::new()
                    } else {
                        self.cardinal(&k.to_string()).replace(' ', "")
                    };
                    format!("{head}{noun}{}", if one { "" } else { "s" })
                }
                "es" if d > 100 => return format!("{} sobre {}", self.cardinal(num), self.cardinal(den)),
                "es" => {
                    let card = self.cardinal(den).replace(" y ", "i").replace(' ', "");
                    let stem = card.strip_suffix("uno").map(|h| format!("{h}un")).unwrap_or(card);
                    let stem = stem.strip_suffix('a').map(String::from).unwrap_or(stem);
                    format!("{stem}avo{}", if one { "" } else { "s" })
                }
                // quinto/quinti, ventesimo/ventesimi
                _ => {
                    let o = self.latin_ordinal(d, false);
                    if one {
                        o
                    } else {
                        format!("{}i", o.strip_suffix('o').unwrap_or(&o))
                    }
                }
            }
        };
        format!("{numerator} {word}")
    }

    /// "one" before a masculine noun ("un euro", "ein Dollar").
    fn before_noun(&self, words: String) -> String {
        match (self.code, words.as_str()) {
            ("es", "uno") | ("it", "uno") => "un".into(),
            ("es", w) if w.ends_with("veintiuno") => format!("{}veintiún", &w[..w.len() - "veintiuno".len()]),
            ("de", "eins") => "ein".into(),
            _ => words,
        }
    }
}

// --- scanning -------------------------------------------------------------

/// A number as written in the language: integer digits (thousands
/// separators removed) and digits after the decimal comma.
struct Num {
    int: String,
    frac: Option<String>,
    len: usize,
    negative: bool,
}

fn digit_run(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// The number at the start of `s`: "1.000.000", "1 000", "2,5", "-60".
fn scan_num(s: &str) -> Option<Num> {
    let (neg, body) = match s.strip_prefix(['-', '−']) {
        Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => (s.len() - r.len(), r),
        _ => (0, s),
    };
    let n = digit_run(body);
    if n == 0 {
        return None;
    }
    let b = body.as_bytes();
    let mut int = body[..n].to_string();
    let mut i = n;
    // Thousands: groups of exactly three digits after '.', a space or a
    // no-break space, when the first group has one to three digits.
    if n <= 3 {
        loop {
            let rest = &body[i..];
            let sep = [".", " ", "\u{a0}", "\u{202f}"].iter().find(|p| rest.starts_with(**p));
            let Some(sep) = sep else { break };
            let after = &rest[sep.len()..];
            if digit_run(after) == 3 && !after[3..].starts_with(|c: char| c.is_ascii_digit()) {
                // "2.3.2003" is a date, not a number: a separator '.' needs
                // every group to have three digits.
                int.push_str(&after[..3]);
                i += sep.len() + 3;
            } else {
                break;
            }
        }
    }
    let mut frac = None;
    if b.get(i) == Some(&b',') {
        let f = digit_run(&body[i + 1..]);
        if f > 0 {
            frac = Some(body[i + 1..i + 1 + f].to_string());
            i += 1 + f;
        }
    }
    Some(Num {
        int,
        frac,
        len: neg + i,
        negative: neg > 0,
    })
}

fn ends_word(s: &str) -> bool {
    !s.chars().next().is_some_and(|c| c.is_alphanumeric())
}

fn skip_spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\u{a0}', '\u{202f}']).len()
}

/// A claim on the text at a position: its length, class and spoken form.
struct Hit {
    len: usize,
    class: Class,
    spoken: String,
}

struct Cx<'a> {
    text: &'a str,
    l: &'static Locale,
    lexicon: Option<&'a Lexicon>,
}

impl Cx<'_> {
    fn prev_word(&self, i: usize) -> String {
        self.text[..i]
            .trim_end()
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase()
    }

    fn number_words(&self, n: &Num) -> String {
        let w = self.l.decimal(&n.int, n.frac.as_deref());
        if n.negative {
            format!("{} {w}", self.l.word("minus"))
        } else {
            w
        }
    }
}

/// The user's lexicon, before every table (as in English).
fn lexicon(cx: &Cx, i: usize) -> Option<Hit> {
    let (len, said) = cx.lexicon?.lookup(&cx.text[i..])?;
    Some(Hit {
        len,
        class: Class::Lexicon,
        spoken: said.to_string(),
    })
}

fn abbreviation(cx: &Cx, i: usize) -> Option<Hit> {
    let rest = &cx.text[i..];
    cx.l.abbreviations.iter().find_map(|(w, spoken)| {
        // Entries with a period match in any case ("sr." as "Sr.").
        let head = rest.get(..w.len())?;
        let same = head == *w || (w.contains('.') && head.to_lowercase() == w.to_lowercase());
        let ok = same && (w.ends_with('.') || ends_word(&rest[w.len()..]));
        ok.then(|| Hit {
            len: w.len(),
            class: Class::Abbreviation,
            spoken: spoken.to_string(),
        })
    })
}

/// A currency written at `s`'s start: symbol or code (then a word end).
fn currency_at<'l>(l: &'l Locale, s: &str) -> Option<(usize, &'l Currency)> {
    let lower = s.get(..s.len().min(4)).map(str::to_lowercase).unwrap_or_default();
    l.currencies.iter().find_map(|c| {
        let code = c.written.chars().all(|ch| ch.is_ascii_alphabetic());
        let hit = if code {
            lower.starts_with(c.written) && ends_word(&s[c.written.len().min(s.len())..])
        } else {
            s.starts_with(c.written)
        };
        hit.then_some((c.written.len(), c))
    })
}

/// A scale word written after a number ("2,5 Millionen", "3 milliards").
fn scale_word<'a>(l: &Locale, s: &'a str) -> Option<(usize, &'a str)> {
    let w = s.split(|c: char| !c.is_alphabetic()).next()?;
    let lw = w.to_lowercase();
    l.scales
        .iter()
        .any(|sc| sc.exp >= 6 && (lw == sc.many.to_lowercase() || sc.one.to_lowercase().ends_with(&format!(" {lw}"))))
        .then_some((w.len(), w))
}

fn money(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let l = cx.l;
    // Currency first ("€2,20", "$ 2", "eur 5") or after ("2,20 €", "5 EUR").
    let (pre, cur, after_cur) = match currency_at(l, s) {
        Some((n, c)) => {
            let sp = skip_spaces(&s[n..]);
            (true, Some(c), n + sp)
        }
        None => (false, None, 0),
    };
    let num = scan_num(&s[after_cur..])?;
    if num.negative {
        return None;
    }
    let mut end = after_cur + num.len;
    // An optional scale word after the number.
    let mut scale = None;
    let sp = skip_spaces(&s[end..]);
    if let Some((n, w)) = scale_word(l, &s[end + sp..]) {
        scale = Some(w.to_string());
        end += sp + n;
    }
    let cur = match cur {
        Some(c) => c,
        None => {
            let sp = skip_spaces(&s[end..]);
            let (n, c) = currency_at(l, &s[end + sp..])?;
            end += sp + n;
            c
        }
    };
    let _ = pre;
    let spoken = if let Some(w) = scale {
        let of = match l.word("scale_of") {
            "" => String::new(),
            "d'" if cur.many.starts_with(['a', 'e', 'i', 'o', 'u', 'é']) => "d'".into(),
            "d'" => "de ".into(),
            of => format!("{of} "),
        };
        let n = l.before_noun(cx.number_words(&num));
        format!("{n} {w} {of}{}", cur.many)
    } else {
        let major = num.int.trim_start_matches('0');
        let minor = num.frac.as_deref().map(|f| {
            let two: String = f.chars().chain(std::iter::repeat('0')).take(2).collect();
            (two, f.len() <= 2 || f[2..].chars().all(|c| c == '0'))
        });
        match minor {
            // More digits than cents: a decimal amount.
            Some((_, false)) => format!("{} {}", cx.number_words(&num), cur.many),
            _ => {
                let cents = minor.map(|(m, _)| m).filter(|m| m != "00");
                let count = |digits: &str, fem: bool| {
                    let w = l.cardinal(digits);
                    if fem {
                        l.feminine(w)
                    } else {
                        l.before_noun(w)
                    }
                };
                let mut parts = Vec::new();
                if !major.is_empty() || cents.is_none() {
                    let d = if major.is_empty() { "0" } else { major };
                    let noun = if d == "1" { cur.one } else { cur.many };
                    parts.push(format!("{} {noun}", count(d, cur.feminine)));
                }
                if let Some(c) = cents {
                    let c = c.trim_start_matches('0');
                    let noun = if c == "1" { cur.minor_one } else { cur.minor_many };
                    parts.push(format!("{} {noun}", count(c, false)));
                }
                parts.join(" ")
            }
        }
    };
    Some(Hit {
        len: end,
        class: Class::Money,
        spoken,
    })
}

fn percent(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let num = scan_num(s)?;
    let sp = skip_spaces(&s[num.len..]);
    s[num.len + sp..].starts_with('%').then(|| Hit {
        len: num.len + sp + 1,
        class: Class::Percent,
        spoken: format!("{} {}", cx.number_words(&num), cx.l.word("percent")),
    })
}

fn measure(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let l = cx.l;
    // A fraction or a number, then the unit.
    let (qlen, quantity, fraction) = match fraction(cx, i) {
        Some(f) => (f.len, f.spoken, true),
        None => {
            let num = scan_num(s)?;
            (num.len, String::new(), false)
        }
    };
    let num = if fraction { None } else { scan_num(s) };
    let sp = skip_spaces(&s[qlen..]);
    let rest = &s[qlen + sp..];
    let per = rest.starts_with('/');
    let rest_u = if per { &rest[1..] } else { rest };
    let lower = rest_u.chars().take(8).collect::<String>().to_lowercase();
    let (u, one, many, fem) = l.units.iter().find(|(u, _, _, _)| {
        lower.starts_with(u.as_str()) && {
            let n: usize = rest_u.chars().take(u.chars().count()).map(char::len_utf8).sum();
            rest_u.get(n..).is_some_and(ends_word)
        }
    })?;
    let ulen: usize = rest_u.chars().take(u.chars().count()).map(char::len_utf8).sum();
    let len = qlen + sp + usize::from(per) + ulen;
    let spoken = if let Some(num) = num {
        let words = cx.number_words(&num);
        let words = if *fem { l.feminine(words) } else { l.before_noun(words) };
        let single = num.frac.is_none() && num.int.trim_start_matches('0') == "1" && !num.negative;
        let unit = if per {
            format!("{} {one}", l.word("per"))
        } else if single {
            one.to_string()
        } else {
            many.to_string()
        };
        format!("{words} {unit}")
    } else {
        // "tres quintos de milla": a fraction of one unit.
        let of = match l.code {
            "es" | "fr" => "de ",
            "it" => "di ",
            _ => "",
        };
        format!("{quantity} {of}{one}")
    };
    Some(Hit {
        len,
        class: Class::Measure,
        spoken,
    })
}

/// Ordinal markers after digits, by language: (marker, feminine).
fn ordinal_marker(code: &str, s: &str) -> Option<(usize, bool)> {
    let markers: &[(&str, bool)] = match code {
        "fr" => &[
            ("ère", true),
            ("ʳᵉ", true),
            ("re", true),
            ("ème", false),
            ("eme", false),
            ("ᵉʳ", false),
            ("er", false),
            ("ᵉ", false),
            ("e", false),
            ("°", false),
        ],
        "es" => &[
            (".º", false),
            (".ª", true),
            (".ᵉʳ", false),
            ("º", false),
            ("ª", true),
            ("ᵉʳ", false),
            (".°", false),
            ("°", false),
            (".er", false),
            ("er", false),
            ("ro", false),
            ("ra", true),
            ("do", false),
            ("da", true),
            ("to", false),
            ("ta", true),
            ("vo", false),
            ("va", true),
            ("mo", false),
            ("ma", true),
            ("no", false),
            ("na", true),
            ("o", false),
            ("a", true),
        ],
        "it" => &[("°", false), ("º", false), ("ª", true)],
        _ => &[],
    };
    markers
        .iter()
        .find(|(m, _)| s.starts_with(m) && ends_word(&s[m.len()..]))
        .map(|(m, f)| (m.len(), *f))
}

/// German's case ending after an article or preposition.
fn german_case(prev: &str) -> &'static str {
    match prev {
        "am" | "vom" | "zum" | "im" | "beim" | "dem" | "den" | "des" | "seit" | "ab" | "bis" => "n",
        "der" | "die" | "das" => "",
        _ => "r",
    }
}

fn ordinal(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let n = digit_run(s);
    if n == 0 || n > 6 {
        return None;
    }
    let digits = &s[..n];
    if cx.l.code == "de" {
        // Written endings: "121ten", "3tes", "2te".
        let after = &s[n..];
        for (end, case) in [
            ("ste", ""),
            ("sten", "n"),
            ("ster", "r"),
            ("stem", "m"),
            ("stes", "s"),
            ("te", ""),
            ("ten", "n"),
            ("ter", "r"),
            ("tem", "m"),
            ("tes", "s"),
        ] {
            if after.starts_with(end) && ends_word(&after[end.len()..]) {
                return Some(Hit {
                    len: n + end.len(),
                    class: Class::Ordinal,
                    spoken: cx.l.ordinal(digits, false, case),
                });
            }
        }
    }
    if cx.l.code != "de" {
        // Thousands separators may come before the marker ("1.000.º").
        let num = scan_num(s)?;
        if num.negative || num.frac.is_some() {
            return None;
        }
        let (m, fem) = ordinal_marker(cx.l.code, &s[num.len..])?;
        let marker = &s[num.len..num.len + m];
        let mut spoken = cx.l.ordinal(&num.int, fem, "");
        if cx.l.code == "es" && (marker.contains("er") || marker.contains('ᵉ')) {
            spoken = apocope_ordinal(&spoken);
        }
        return Some(Hit {
            len: num.len + m,
            class: Class::Ordinal,
            spoken,
        });
    }
    if cx.l.code == "de" {
        // "3." before a word, or at the end: an ordinal (years, four
        // digits, only before a lower-case word).
        let after = &s[n..];
        if !after.starts_with('.') || after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let next = after[1..].trim_start();
        let fits = next.is_empty()
            || (n <= 3 && next.starts_with(char::is_alphabetic))
            || next.starts_with(char::is_lowercase);
        if !fits {
            return None;
        }
        let case = german_case(&cx.prev_word(i));
        return Some(Hit {
            len: n + 1,
            class: Class::Ordinal,
            spoken: cx.l.ordinal(digits, false, case),
        });
    }
    None
}

/// Spanish "primer", "tercer" before a noun (written "1.ᵉʳ", "3er").
fn apocope_ordinal(s: &str) -> String {
    for (full, short) in [("primero", "primer"), ("tercero", "tercer")] {
        if let Some(head) = s.strip_suffix(full) {
            return format!("{head}{short}");
        }
    }
    s.to_string()
}

fn month_at(l: &Locale, s: &str) -> Option<(usize, &'static str)> {
    let lower: String = s.chars().take(12).collect::<String>().to_lowercase();
    l.months.iter().find_map(|(w, m)| {
        if !lower.starts_with(w.as_str()) {
            return None;
        }
        // The written form's length in the original (same characters).
        let len: usize = s.chars().take(w.chars().count()).map(char::len_utf8).sum();
        let mut end = len;
        if s[end..].starts_with('.') {
            end += 1;
        }
        ends_word(&s[len..]).then_some((end, *m))
    })
}

fn cap_month(l: &Locale, m: &str) -> String {
    if l.code == "de" {
        let mut c = m.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        m.to_string()
    }
}

/// The day of a date, as the language says it.
fn day(cx: &Cx, d: &str, i: usize) -> String {
    match cx.l.code {
        "de" => cx.l.ordinal(d, false, german_case(&cx.prev_word(i))),
        "fr" if d.trim_start_matches('0') == "1" => "premier".into(),
        "es" if d.trim_start_matches('0') == "1" => "primero".into(),
        "it" if d.trim_start_matches('0') == "1" => "primo".into(),
        _ => cx.l.cardinal(d),
    }
}

/// A year: German reads 1100–1999 as hundreds ("neunzehnhundertneunzig").
fn year(l: &Locale, y: &str) -> String {
    let n: u32 = y.parse().unwrap_or(0);
    if l.code == "de" && (1100..2000).contains(&n) && n % 100 != 0 || l.code == "de" && (1100..2000).contains(&n) {
        let (c, r) = (n / 100, n % 100);
        let hundred = l.hundreds[1].0.trim_start_matches("ein");
        let head = format!("{}{hundred}", l.numbers[c as usize]);
        return if r == 0 {
            head
        } else {
            format!("{head}{}", l.numbers[r as usize])
        };
    }
    l.cardinal(y)
}

fn date(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let l = cx.l;
    let of = |w: &str| {
        if l.code == "es" {
            format!(" de {w}")
        } else {
            format!(" {w}")
        }
    };
    // Numeric: dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy, and dd.mm (de, fr).
    let d = digit_run(s);
    if (1..=2).contains(&d) {
        let sep = s[d..].chars().next();
        if let Some(sep @ ('.' | '/' | '-')) = sep {
            let m = digit_run(&s[d + 1..]);
            if (1..=2).contains(&m) {
                let (dd, mm): (u32, u32) = (s[..d].parse().ok()?, s[d + 1..d + 1 + m].parse().ok()?);
                let after = &s[d + 1 + m..];
                let (ylen, y) = match after.strip_prefix(sep) {
                    Some(r) if matches!(digit_run(r), 2 | 4) && ends_word(&r[digit_run(r)..]) => {
                        (1 + digit_run(r), Some(&r[..digit_run(r)]))
                    }
                    _ => (0, None),
                };
                let plain = y.is_none() && sep == '.' && ends_word(after) && !after.starts_with('.');
                if (1..=31).contains(&dd) && (1..=12).contains(&mm) && (y.is_some() || plain && l.code != "es") {
                    let name = l.calendar.get(mm as usize - 1)?;
                    let mut spoken = format!("{}{}", day(cx, &s[..d], i), of(&cap_month(l, name)));
                    if let Some(y) = y {
                        let y = if y.len() == 2 { format!("20{y}") } else { y.to_string() };
                        spoken.push_str(&of(&year(l, &y)));
                    }
                    return Some(Hit {
                        len: d + 1 + m + ylen,
                        class: Class::Date,
                        spoken,
                    });
                }
            }
        }
    }
    // ISO: yyyy-mm-dd, yyyy-mm.
    if d == 4 && s[4..].starts_with('-') {
        let m = digit_run(&s[5..]);
        if (1..=2).contains(&m) {
            let mm: u32 = s[5..5 + m].parse().ok()?;
            let rest = &s[5 + m..];
            let day_part = rest.strip_prefix('-').filter(|r| (1..=2).contains(&digit_run(r)));
            let (len, dd) = match day_part {
                Some(r) => (5 + m + 1 + digit_run(r), Some(&r[..digit_run(r)])),
                None => (5 + m, None),
            };
            if (1..=12).contains(&mm) && ends_word(&s[len..]) {
                let name = cap_month(l, l.calendar.get(mm as usize - 1)?);
                let y = year(l, &s[..4]);
                let spoken = match dd {
                    Some(dd) => format!("{}{}{}", day(cx, dd, i), of(&name), of(&y)),
                    None => format!("{name}{}", of(&y)),
                };
                return Some(Hit {
                    len,
                    class: Class::Date,
                    spoken: spoken.trim().to_string(),
                });
            }
        }
    }
    // Day and month name: "24. Juli 2013", "14 mars", "20 de marzo de 2024", "1° maggio".
    if (1..=2).contains(&d) {
        let mut j = d;
        if s[j..].starts_with('.') {
            j += 1;
        }
        if let Some((m, _)) = ordinal_marker(l.code, &s[j..]) {
            j += m;
        }
        j += skip_spaces(&s[j..]);
        if l.code == "es" && s[j..].starts_with("de ") {
            j += 3;
        }
        if let Some((mlen, month)) = month_at(l, &s[j..]) {
            let dd: u32 = s[..d].parse().ok()?;
            if (1..=31).contains(&dd) {
                let mut end = j + mlen;
                let mut spoken = format!("{}{}", day(cx, &s[..d], i), of(&cap_month(l, month)));
                let mut k = end + skip_spaces(&s[end..]);
                if s[k..].starts_with(',') {
                    k += 1 + skip_spaces(&s[k + 1..]);
                }
                if l.code == "es" && s[k..].starts_with("de ") {
                    k += 3;
                }
                let y = digit_run(&s[k..]);
                if y == 4 && ends_word(&s[k + 4..]) {
                    spoken.push_str(&of(&year(l, &s[k..k + 4])));
                    end = k + 4;
                }
                return Some(Hit {
                    len: end,
                    class: Class::Date,
                    spoken,
                });
            }
        }
    }
    // Month name then day (Spanish "abril 30", "junio 11 2000").
    if let Some((mlen, month)) = month_at(l, s) {
        let k = mlen + skip_spaces(&s[mlen..]);
        let dd = digit_run(&s[k..]);
        if (1..=2).contains(&dd) && ends_word(&s[k + dd..]) && l.code == "es" {
            let mut len = k + dd;
            let mut spoken = format!("{}{}", day(cx, &s[k..k + dd], i), of(month));
            let mut y = len + skip_spaces(&s[len..]);
            if s[y..].starts_with(',') {
                y += 1 + skip_spaces(&s[y + 1..]);
            }
            if digit_run(&s[y..]) == 4 && ends_word(&s[y + 4..]) {
                spoken.push_str(&of(&year(l, &s[y..y + 4])));
                len = y + 4;
            }
            return Some(Hit {
                len,
                class: Class::Date,
                spoken,
            });
        }
    }
    None
}

fn time(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let l = cx.l;
    let h = digit_run(s);
    if !(1..=2).contains(&h) {
        return None;
    }
    let hh: u32 = s[..h].parse().ok()?;
    if hh > 24 {
        return None;
    }
    let rest = &s[h..];
    // hh:mm(:ss), hh.mm (Spanish, Italian; elsewhere before "Uhr"/"h"),
    // 14h30 (French), or hh alone before the word for hours.
    let sep = rest.chars().next().filter(|c| matches!(c, ':' | '.' | 'h'));
    let (mut end, mm, ss) = match sep {
        Some(c) if c != 'h' || l.code != "de" => {
            let r = &rest[1..];
            let r2 = r.trim_start_matches(' ');
            let sp = r.len() - r2.len();
            if digit_run(r2) == 2 && !r2[2..].starts_with(|c: char| c.is_ascii_digit()) {
                let mm: u32 = r2[..2].parse().ok()?;
                let after = &r2[2..];
                let (slen, ss) = match after.strip_prefix([':', '.']) {
                    Some(r3) if digit_run(r3) == 2 && ends_word(&r3[2..]) => (3, Some(r3[..2].to_string())),
                    _ => (0, None),
                };
                (h + 1 + sp + 2 + slen, Some(mm), ss)
            } else if c == 'h' && ends_word(r) {
                (h + 1, None, None)
            } else {
                return None;
            }
        }
        _ => (h, None, None),
    };
    if mm.is_some_and(|m| m > 59) {
        return None;
    }
    // The word for hours after the number, when written; a.m./p.m.
    let after = &s[end..];
    let sp = skip_spaces(after);
    let markers: &[&str] = match l.code {
        "de" => &["Uhr", "uhr"],
        _ => &["h", "hs", "hrs"],
    };
    let marker = markers
        .iter()
        .find(|w| after[sp..].starts_with(**w) && ends_word(&after[sp + w.len()..]));
    if let Some(w) = marker {
        end += sp + w.len();
    }
    let dotted = sep == Some('.');
    if (mm.is_none() && marker.is_none() && sep != Some('h'))
        || (dotted && marker.is_none() && !matches!(l.code, "es" | "it"))
    {
        return None;
    }
    let after = &s[end..];
    let sp = skip_spaces(after);
    let meridiem = ["a.m.", "a.m", "am", "p.m.", "p.m", "pm"]
        .iter()
        .find(|w| after[sp..].to_lowercase().starts_with(**w) && ends_word(&after[sp + w.len()..]))
        .filter(|_| l.code == "es");
    if let Some(w) = meridiem {
        end += sp + w.len();
    }
    let hours = l.cardinal(&hh.to_string());
    let min = |m: u32| l.cardinal(&m.to_string());
    let sec = ss.filter(|s| s != "00").map(|s| s.trim_start_matches('0').to_string());
    let spoken = match l.code {
        "de" => {
            let mut out = format!("{} {}", l.before_noun(hours), l.word("hour"));
            match (mm, &sec) {
                (Some(m), Some(sc)) => {
                    let unit = |n: &str, one: &str, many: &str| {
                        if n == "1" {
                            format!("eine {one}")
                        } else {
                            format!("{} {many}", l.cardinal(n))
                        }
                    };
                    out.push_str(&format!(
                        " {} {}",
                        unit(&m.to_string(), l.word("minute"), l.word("minutes")),
                        unit(sc, l.word("second"), l.word("seconds"))
                    ));
                }
                (Some(m), None) if m > 0 => out.push_str(&format!(" {}", min(m))),
                _ => {}
            }
            out
        }
        "fr" => {
            let hours = if hh == 1 { "une".to_string() } else { hours };
            let mut out = format!("{hours} {}", if hh == 1 { l.word("hour") } else { l.word("hours") });
            if let Some(m) = mm.filter(|m| *m > 0) {
                out.push_str(&format!(" {}", min(m)));
            }
            out
        }
        "es" => {
            let mut out = if hh % 12 == 1 && hh != 11 {
                l.feminine(hours)
            } else {
                hours
            };
            match mm {
                Some(15) => out.push_str(" y cuarto"),
                Some(30) => out.push_str(" y media"),
                Some(m) if m > 0 => out.push_str(&format!(" y {}", min(m))),
                None if marker.is_some() && sep != Some('h') => {
                    out.push_str(&format!(" {}", if hh == 1 { l.word("hour") } else { l.word("hours") }))
                }
                _ => {}
            }
            if let Some(sc) = &sec {
                out.push_str(&format!(" y {} {}", l.cardinal(sc), l.word("seconds")));
            }
            if let Some(w) = meridiem {
                let pm = w.starts_with('p');
                out.push_str(match (pm, hh % 12) {
                    (false, 0) => " de la noche",
                    (false, _) => " de la mañana",
                    (true, 0) => " del mediodía",
                    (true, h) if h >= 8 => " de la noche",
                    _ => " de la tarde",
                });
            }
            out
        }
        _ => {
            let mut out = if hh == 1 { "una".to_string() } else { hours };
            match mm {
                Some(15) => out.push_str(" e un quarto"),
                Some(30) => out.push_str(" e mezza"),
                Some(m) if m > 0 => out.push_str(&format!(" e {} {}", min(m), l.word("minutes"))),
                _ => {}
            }
            if let Some(sc) = &sec {
                out.push_str(&format!(" e {} {}", l.cardinal(sc), l.word("seconds")));
            }
            out
        }
    };
    Some(Hit {
        len: end,
        class: Class::Time,
        spoken,
    })
}

fn number(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    if s.starts_with(['-', '−'])
        && !cx.text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([{\"'“".contains(c))
    {
        return None;
    }
    let num = scan_num(s)?;
    let mut spoken = cx.number_words(&num);
    // Before a written scale noun, one is "un", "eine" ("1 millón", "3.001 millones").
    let sp = skip_spaces(&s[num.len..]);
    if scale_word(cx.l, &s[num.len + sp..]).is_some() {
        spoken = cx.l.before_scale(spoken);
    }
    Some(Hit {
        len: num.len,
        class: if num.frac.is_some() {
            Class::Decimal
        } else {
            Class::Cardinal
        },
        spoken,
    })
}

fn fraction(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let l = cx.l;
    let first = scan_num(s)?;
    if first.frac.is_some() {
        return None;
    }
    // A whole part: "1 1/2", "-4 1/3".
    let negative = first.negative;
    let (whole, rest_at) = match s[first.len..].strip_prefix(' ') {
        Some(r) if digit_run(r) > 0 && r[digit_run(r)..].starts_with('/') => {
            let at = first.len + 1;
            (Some(first), at)
        }
        _ => (None, 0),
    };
    let t = &s[rest_at..];
    let n = digit_run(t);
    let (num, after) = match &whole {
        Some(_) => (t[..n].to_string(), &t[n..]),
        None => {
            let f = scan_num(s)?;
            (f.int, &s[f.len..])
        }
    };
    let num = num.as_str();
    let den_s = after.strip_prefix('/')?;
    let d = digit_run(den_s);
    if d == 0 || !ends_word(&den_s[d..]) || den_s[d..].starts_with('/') {
        return None;
    }
    let den = &den_s[..d];
    let len = s.len() - den_s.len() + d;
    let one = num.trim_start_matches('0') == "1";
    let words = l.fraction_words(num, den, one);
    let spoken = match whole {
        Some(w) => {
            let and = if l.code == "de" { "" } else { l.word("and") };
            let wn = l.before_noun(cx.number_words(&w));
            let words = if l.code != "de" && one && matches!(den, "2") {
                l.fractions.get(den).map_or(words.clone(), |f| f.0.to_string())
            } else {
                words
            };
            format!("{wn} {and} {words}").replace("  ", " ")
        }
        None => {
            if negative {
                format!("{} {words}", l.word("minus"))
            } else {
                words
            }
        }
    };
    Some(Hit {
        len,
        class: Class::Fraction,
        spoken,
    })
}

type Classifier = fn(&Cx, usize) -> Option<Hit>;

const CLASSIFIERS: &[Classifier] = &[
    abbreviation,
    weekday,
    money,
    date,
    time,
    percent,
    fraction,
    measure,
    ordinal,
    number,
];

/// An abbreviated weekday with its period ("Di.", "vier.", "lun.").
fn weekday(cx: &Cx, i: usize) -> Option<Hit> {
    let s = &cx.text[i..];
    let lower: String = s.chars().take(12).collect::<String>().to_lowercase();
    cx.l.weekdays.iter().find_map(|(w, day)| {
        let n: usize = s.chars().take(w.chars().count()).map(char::len_utf8).sum();
        (lower.starts_with(w.as_str()) && s[n..].starts_with('.') && w != day && w.chars().count() >= 2).then(|| Hit {
            len: n + 1,
            class: Class::Date,
            spoken: cap_month(cx.l, day),
        })
    })
}

fn best(cx: &Cx, i: usize) -> Option<Hit> {
    if let Some(h) = lexicon(cx, i) {
        return Some(h);
    }
    let mut best: Option<Hit> = None;
    for c in CLASSIFIERS {
        if let Some(h) = c(cx, i) {
            if h.len > 0 && best.as_ref().is_none_or(|b| h.len > b.len) {
                best = Some(h);
            }
        }
    }
    best
}

/// Normalize a text in a language with tables here. Text no classifier
/// claims passes through as written.
pub(crate) fn normalize(text: &str, l: &'static Locale, lexicon: Option<&Lexicon>) -> Normalized {
    let cx = Cx { text, l, lexicon };
    let mut tokens = Vec::new();
    let mut spoken = String::with_capacity(text.len() + text.len() / 4);
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if let Some(end) = super::types::whitespace_run(text, i, &mut spoken) {
            i = end;
            continue;
        }
        let at_start = !text[..i].chars().next_back().is_some_and(char::is_alphanumeric);
        let interesting = c.is_ascii_digit()
            || !c.is_alphanumeric()
            || c.is_uppercase()
            || text[i..].starts_with(|c: char| c.is_alphabetic());
        let hit = if at_start && interesting { best(&cx, i) } else { None };
        let (len, class, said) = match hit {
            Some(h) => (h.len, h.class, h.spoken),
            None => {
                let end = if c.is_alphanumeric() {
                    text[i..]
                        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
                        .map_or(text.len(), |n| i + n)
                } else {
                    i + c.len_utf8()
                };
                let class = if c.is_alphanumeric() { Class::Word } else { Class::Punct };
                (end - i, class, text[i..end].to_string())
            }
        };
        if spoken.chars().next_back().is_some_and(char::is_alphanumeric)
            && said.starts_with(char::is_alphanumeric)
            && class != Class::Word
        {
            spoken.push(' ');
        }
        spoken.push_str(said.trim());
        tokens.push(Token {
            class,
            written: text[i..i + len].to_string(),
            spoken: said.trim().to_string(),
            start: i,
            end: i + len,
        });
        i += len;
    }
    Normalized {
        spoken: spoken.trim_end().to_string(),
        tokens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(lang: &str, text: &str) -> String {
        normalize(text, locale(lang).unwrap(), None).spoken
    }

    #[test]
    fn cardinals() {
        let de = locale("de").unwrap();
        assert_eq!(de.cardinal("21"), "einundzwanzig");
        assert_eq!(de.cardinal("101"), "einhunderteins");
        assert_eq!(de.cardinal("1000"), "eintausend");
        assert_eq!(de.cardinal("2345"), "zweitausenddreihundertfünfundvierzig");
        assert_eq!(de.cardinal("1000000"), "eine Million");
        assert_eq!(de.cardinal("2000003"), "zwei Millionen drei");
        let fr = locale("fr").unwrap();
        assert_eq!(fr.cardinal("71"), "soixante et onze");
        assert_eq!(fr.cardinal("200"), "deux cents");
        assert_eq!(fr.cardinal("200000"), "deux cent mille");
        assert_eq!(fr.cardinal("80000"), "quatre-vingt mille");
        assert_eq!(
            fr.cardinal("1593072962"),
            "un milliard cinq cent quatre-vingt-treize millions soixante-douze mille neuf cent soixante-deux"
        );
        let es = locale("es").unwrap();
        assert_eq!(es.cardinal("100"), "cien");
        assert_eq!(es.cardinal("1111"), "mil ciento once");
        assert_eq!(es.cardinal("21000"), "veintiún mil");
        assert_eq!(es.cardinal("1000000000"), "mil millones");
        assert_eq!(es.cardinal("2000000"), "dos millones");
        let it = locale("it").unwrap();
        assert_eq!(it.cardinal("3544"), "tremilacinquecentoquarantaquattro");
        assert_eq!(it.cardinal("108"), "centotto");
        assert_eq!(it.cardinal("23000"), "ventitremila");
        assert_eq!(it.cardinal("1034500"), "un milione trentaquattromilacinquecento");
    }

    #[test]
    fn in_running_text() {
        assert_eq!(
            say("de", "Am 3. Oktober 1990 kamen 2.500 Menschen."),
            "Am dritten Oktober neunzehnhundertneunzig kamen zweitausendfünfhundert Menschen."
        );
        assert_eq!(
            say("de", "Der Preis stieg um 12,5 % auf 3,20 €."),
            "Der Preis stieg um zwölf Komma fünf Prozent auf drei Euro zwanzig Cent."
        );
        assert_eq!(
            say("de", "um 14:30 Uhr, z. B. Dr. Müller"),
            "um vierzehn Uhr dreißig, zum Beispiel Doktor Müller"
        );
        assert_eq!(
            say("fr", "Le 1er mai, 18 % des 71 élèves"),
            "Le premier mai, dix-huit pour cent des soixante et onze élèves"
        );
        assert_eq!(
            say("fr", "à 14h30 pour 5,50 €"),
            "à quatorze heures trente pour cinq euros cinquante centimes"
        );
        assert_eq!(
            say("es", "El 15 de marzo de 2024 costaba 21 €."),
            "El quince de marzo de dos mil veinticuatro costaba veintiún euros."
        );
        assert_eq!(
            say("it", "Il 1° maggio alle 12:30 c'erano 200 km"),
            "Il primo maggio alle dodici e mezza c'erano duecento chilometri"
        );
    }

    #[test]
    fn never_panics_and_covers_the_input() {
        let alphabet: Vec<char> = "0123456789.,:-/%€$£ºª°hUhrer émdez \n".chars().collect();
        let mut rng: u64 = 0x9E3779B97F4A7C15;
        for lang in LANGUAGES {
            let l = locale(lang).unwrap();
            for _ in 0..5000 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let len = (rng % 20) as usize;
                let s: String = (0..len)
                    .map(|k| alphabet[((rng >> (k % 40)) as usize + k * 11) % alphabet.len()])
                    .collect();
                let n = normalize(&s, l, None);
                let mut at = 0;
                for t in &n.tokens {
                    assert!(s[at..t.start].trim().is_empty(), "{lang} {s:?}");
                    at = t.end;
                }
            }
        }
    }
}
