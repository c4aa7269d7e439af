//! The English normalization tables from `voices/lang/en/`, embedded at
//! build time and parsed once. See that folder's README for each table.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

macro_rules! data {
    ($f:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/voices/lang/en/", $f))
    };
}

/// A unit of measure.
#[derive(Debug, Clone)]
pub struct Unit {
    pub singular: String,
    pub plural: String,
    pub any_case: bool,
    pub spaced: bool,
}

/// A currency written as a symbol before the amount.
#[derive(Debug, Clone)]
pub struct Currency {
    pub symbol: String,
    pub singular: String,
    pub plural: String,
    pub minor_singular: String,
    pub minor_plural: String,
}

/// Where an abbreviation expands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrContext {
    /// Before a capitalised name ("Mr. Kim", "St. Petersburg").
    Title,
    /// After a house number or a capitalised name ("Elm St.").
    Street,
    /// Before a digit ("No. 10").
    Number,
    /// Anywhere.
    Any,
    /// Anywhere; may also end a sentence ("Jr.", "Inc.").
    End,
}

#[derive(Debug, Clone)]
pub struct Abbreviation {
    pub expansion: String,
    pub context: AbbrContext,
}

/// Every table, parsed.
#[derive(Debug)]
pub struct Tables {
    /// Units by written form (exact), longest first for scanning.
    pub units: Vec<(String, Unit)>,
    pub currencies: Vec<Currency>,
    pub scales: HashMap<String, String>,
    pub months: HashMap<String, String>,
    pub weekdays: HashMap<String, String>,
    pub abbreviations: HashMap<String, Vec<Abbreviation>>,
    pub letters: HashSet<String>,
    pub acronyms: HashMap<String, String>,
    pub states: HashMap<String, String>,
    pub streets: HashMap<String, String>,
    pub directions: HashMap<String, String>,
    pub zones: HashMap<String, String>,
    pub symbols: HashMap<char, String>,
    pub tlds: HashSet<String>,
    pub electronic: HashMap<String, String>,
    pub roman_context: HashSet<String>,
    pub digit_context: Vec<String>,
    pub common_words: HashSet<String>,
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .map(|l| l.split('\t').collect())
}

fn pairs(text: &str) -> HashMap<String, String> {
    rows(text)
        .filter(|r| r.len() >= 2)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect()
}

fn set(text: &str) -> HashSet<String> {
    rows(text).map(|r| r[0].trim().to_string()).collect()
}

impl Tables {
    fn parse() -> Tables {
        let mut units: Vec<(String, Unit)> = rows(data!("units.tsv"))
            .filter(|r| r.len() >= 3)
            .map(|r| {
                let flags = r.get(3).copied().unwrap_or("");
                (
                    r[0].to_string(),
                    Unit {
                        singular: r[1].into(),
                        plural: r[2].into(),
                        any_case: flags.contains('i'),
                        spaced: flags.contains('s'),
                    },
                )
            })
            .collect();
        units.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let mut currencies: Vec<Currency> = rows(data!("currencies.tsv"))
            .filter(|r| r.len() >= 3)
            .map(|r| Currency {
                symbol: r[0].into(),
                singular: r[1].into(),
                plural: r[2].into(),
                minor_singular: r.get(3).unwrap_or(&"").to_string(),
                minor_plural: r.get(4).unwrap_or(&"").to_string(),
            })
            .collect();
        currencies.sort_by_key(|c| std::cmp::Reverse(c.symbol.len()));
        let mut abbreviations: HashMap<String, Vec<Abbreviation>> = HashMap::new();
        for r in rows(data!("abbreviations.tsv")).filter(|r| r.len() >= 3) {
            let context = match r[2] {
                "title" => AbbrContext::Title,
                "street" => AbbrContext::Street,
                "number" => AbbrContext::Number,
                "end" => AbbrContext::End,
                _ => AbbrContext::Any,
            };
            abbreviations.entry(r[0].to_string()).or_default().push(Abbreviation {
                expansion: r[1].into(),
                context,
            });
        }
        Tables {
            units,
            currencies,
            scales: pairs(data!("scales.tsv")),
            months: pairs(data!("months.tsv")),
            weekdays: pairs(data!("weekdays.tsv")),
            abbreviations,
            letters: set(data!("letters.tsv")),
            acronyms: pairs(data!("acronyms.tsv")),
            states: pairs(data!("states.tsv")),
            streets: pairs(data!("streets.tsv")),
            directions: pairs(data!("directions.tsv")),
            zones: pairs(data!("zones.tsv")),
            symbols: rows(data!("symbols.tsv"))
                .filter(|r| r.len() >= 2)
                .filter_map(|r| Some((r[0].chars().next()?, r[1].to_string())))
                .collect(),
            tlds: set(data!("tlds.txt")),
            electronic: pairs(data!("electronic.tsv")),
            roman_context: set(data!("roman_context.txt")),
            digit_context: rows(data!("digit_context.txt")).map(|r| r[0].to_string()).collect(),
            common_words: set(data!("common_words.txt")),
        }
    }

    /// The tables, parsed on first use.
    pub fn get() -> &'static Tables {
        static T: OnceLock<Tables> = OnceLock::new();
        T.get_or_init(Tables::parse)
    }

    /// The unit written at the start of `s` (longest first), with its length.
    pub fn unit_at(&self, s: &str) -> Option<(usize, &Unit)> {
        for (w, u) in &self.units {
            let n = w.len();
            let Some(head) = s.get(..n) else { continue };
            // Units with "any case" differ from the text only in ASCII letters
            // (their other characters, "°", "²", have no case).
            let hit = if u.any_case {
                head.eq_ignore_ascii_case(w)
            } else {
                head == w
            };
            if !hit {
                continue;
            }
            // A unit ends at a word boundary ("m" is not the start of "million").
            let next = s[n..].chars().next();
            if next.is_some_and(|c| c.is_alphanumeric()) && w.chars().last().is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            return Some((n, u));
        }
        None
    }
}
