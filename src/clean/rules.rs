//! The named, block-level boilerplate rules. Each one is a function that
//! looks at one block (and where it sits on the page) and either lets it
//! through, drops it with a reason, or edits it (captions lose their
//! credits).

use super::CleanOptions;
use regex::Regex;
use std::sync::OnceLock;

/// Where a block sits on the page.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    pub index: usize,
}

/// Metadata a rule found while dropping a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Byline(String),
    Date(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not boilerplate by any rule (prose classification decides next).
    Keep(String),
    /// Part of the block is kept (a caption without its credit).
    Edit {
        kept: String,
        removed: Vec<(&'static str, String, String)>,
    },
    Drop {
        rule: &'static str,
        reason: String,
        meta: Option<Found>,
    },
}

fn drop(rule: &'static str, reason: impl Into<String>) -> Outcome {
    Outcome::Drop {
        rule,
        reason: reason.into(),
        meta: None,
    }
}

/// Run the rules in order; the first that fires decides.
pub fn apply(text: &str, pos: Position, opts: &CleanOptions) -> Outcome {
    if let Some(o) = widget(text) {
        return o;
    }
    if !text.chars().any(char::is_alphanumeric) {
        return drop("no-words", "punctuation only");
    }
    for rule in [captcha, breadcrumb, date_line, byline, site_blurb, source_credit] {
        if let Some(o) = rule(text, pos) {
            return o;
        }
    }
    if let Some(o) = caption(text, opts) {
        return o;
    }
    if let Some(o) = related_headline(text, pos) {
        return o;
    }
    Outcome::Keep(strip_inline_teaser(text))
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in regex"))
}

/// Lower-case, trimmed of punctuation at both ends.
fn widget_key(text: &str) -> String {
    text.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `widget`: a known widget phrase (data/widgets.txt).
pub fn widget(text: &str) -> Option<Outcome> {
    static LIST: OnceLock<Vec<(bool, String)>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("data/widgets.txt")
            .lines()
            .filter_map(|l| {
                let (kind, phrase) = l.split_once(' ')?;
                match kind {
                    "=" => Some((true, phrase.trim().to_string())),
                    "^" => Some((false, phrase.trim().to_string())),
                    _ => None,
                }
            })
            .collect()
    });
    let key = widget_key(text);
    list.iter()
        .find(|(exact, p)| if *exact { key == *p } else { key.starts_with(p.as_str()) })
        .map(|(_, p)| drop("widget", format!("site widget (\"{p}\")")))
}

/// `captcha`: "seven − one =".
pub fn captcha(text: &str, _: Position) -> Option<Outcome> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?i)^\s*(\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*[−+×x*÷/-]\s*(\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*=\s*\??\s*$",
    );
    re.is_match(text)
        .then(|| drop("captcha", "arithmetic captcha of a comment form"))
}

/// `breadcrumb`: navigation glued to the headline ("HomeWorld NewsNorth
/// Korea's…", "NewsEuropeKim Jong-Un…") or a `Home > World` path, near the top.
pub fn breadcrumb(text: &str, pos: Position) -> Option<Outcome> {
    if pos.index > 5 {
        return None;
    }
    static NAV: OnceLock<Regex> = OnceLock::new();
    static PATH: OnceLock<Regex> = OnceLock::new();
    let nav = re(&NAV, r"^(Home|News|Homepage|Main)\p{Lu}");
    let path = re(&PATH, r"^(Home|News)\s*[›>»/|]\s*\S");
    let first = text.split_whitespace().next().unwrap_or("");
    let humps = first
        .chars()
        .zip(first.chars().skip(1))
        .filter(|(a, b)| a.is_lowercase() && b.is_uppercase())
        .count();
    (nav.is_match(text) || path.is_match(text) || humps >= 2)
        .then(|| drop("breadcrumb", "navigation trail glued to the page title"))
}

const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// `date-line`: a block that is only a date ("Sat. Nov 23rd, 2024").
pub fn date_line(text: &str, _: Position) -> Option<Outcome> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let pattern = format!(
        r"(?i)^[•·\-–\s]*(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?(?:{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})(?:\s+\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)?\s*$"
    );
    let re = RE.get_or_init(|| Regex::new(&pattern).expect("date regex"));
    re.is_match(text).then(|| Outcome::Drop {
        rule: "date-line",
        reason: "publication date (kept as metadata)".into(),
        meta: Some(Found::Date(
            text.trim_matches(|c: char| !c.is_alphanumeric()).to_string(),
        )),
    })
}

/// `byline`: "ByRomeo Minalane", "By Jane Doe".
pub fn byline(text: &str, _: Position) -> Option<Outcome> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"^(?:By|BY|by)\s*(\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3})\s*$",
    );
    let caps = re.captures(text)?;
    Some(Outcome::Drop {
        rule: "byline",
        reason: "author byline (kept as metadata)".into(),
        meta: Some(Found::Byline(caps[1].to_string())),
    })
}

/// `site-blurb`: the site describing itself ("Welcome to …, where we strive…").
pub fn site_blurb(text: &str, _: Position) -> Option<Outcome> {
    static MARKERS: OnceLock<Vec<&'static str>> = OnceLock::new();
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    let markers = MARKERS.get_or_init(|| {
        include_str!("data/blurb_markers.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    let lower = text.to_lowercase();
    let mut hits = markers.iter().filter(|m| lower.contains(*m)).count();
    if re(&EMAIL, r"[\w.+-]+@[\w-]+\.[\w.]+").is_match(text) {
        hits += 1;
    }
    (hits >= 2).then(|| drop("site-blurb", "the site describing itself (about us, contact)"))
}

/// `source-credit`: "Source: France 24", "With Reuters, AP and local media".
pub fn source_credit(text: &str, _: Position) -> Option<Outcome> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?i)^(?:sources?\s*:|with\s+(?:reporting\s+(?:by|from)\s+)?(?:reuters|ap|afp|agencies|the associated press)\b|(?:additional\s+)?reporting\s+by\b)",
    );
    let words = text.split_whitespace().count();
    (words <= 10 && re.is_match(text)).then(|| drop("source-credit", "news-agency or source credit"))
}

/// Photo credits inside a block: `[File: …]`, `© …`, `Photo Credit: …`,
/// `— Reuters` at the end, `. File`.
fn credit_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    // Each pattern with a literal that must occur first: the regexes are
    // anchored at the end and cost a reverse scan, so most blocks skip them.
    static RES: OnceLock<Vec<(&'static [&'static str], Regex)>> = OnceLock::new();
    let res = RES.get_or_init(|| {
        let patterns: [(&'static [&'static str], &str); 6] = [
            (
                &["["],
                r"(?i)\s*\[\s*(?:file|submit|photo|image|picture)\s*:[^\]\)]*[\]\)]?\s*$",
            ),
            (&["redit", "REDIT"], r"(?i)\s*\|?\s*photo\s*credit\s*:.*$"),
            (&["©"], r"\s*©.*$"),
            (
                &[" Photo"],
                r"(?i)\s*\((?:AP|AFP|Reuters|EPA|Getty Images)\s+Photo[^)]*\)\s*$",
            ),
            (
                &["—", "–", "-"],
                r"\s+[—–-]\s*(?:Reuters|AFP|AP|Getty Images|EPA|Xinhua|KCNA|Yonhap|Bloomberg|Anadolu)\.?\s*$",
            ),
            (&["File"], r"(?:^|\.)\s*File\.?\s*$"),
        ];
        patterns
            .iter()
            .map(|(lit, p)| (*lit, Regex::new(p).expect("credit regex")))
            .collect()
    });
    res.iter()
        .filter(|(lits, _)| lits.iter().any(|l| text.contains(l)))
        .filter_map(|(_, r)| r.find(text).map(|m| m.range()))
        .collect()
}

/// `caption` / `photo-credit`: a photo caption carries a credit. Captions are
/// dropped, or kept without the credit under `--keep-captions`.
pub fn caption(text: &str, opts: &CleanOptions) -> Option<Outcome> {
    let mut start = credit_spans(text).iter().map(|r| r.start).min()?;
    if text.split_whitespace().count() > 80 {
        return None; // a long paragraph that merely ends in a credit
    }
    // Credits can stack ("… Kim Jong Un. File | Photo Credit: AP").
    while let Some(s) = credit_spans(&text[..start]).iter().map(|r| r.start).min() {
        start = s;
    }
    let credit = text[start..].trim().to_string();
    let mut body = text[..start].trim().to_string();
    if text[start..].trim_start().starts_with('.') && !body.ends_with('.') {
        body.push('.'); // "…Kim Jong Un. File": keep the caption's own period
    }
    if !opts.keep_captions || body.split_whitespace().count() < 3 {
        return Some(drop("caption", format!("photo caption (credit: {credit})")));
    }
    Some(Outcome::Edit {
        kept: body,
        removed: vec![("photo-credit", "photo credit".into(), credit)],
    })
}

/// `related-headline`: another article's headline in the body — Title Case
/// throughout, long, without sentence punctuation, below the page's own title.
pub fn related_headline(text: &str, pos: Position) -> Option<Outcome> {
    if pos.index < 3 || text.ends_with(['.', '!', '?', '"', '”', ':']) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 7 || words.len() > 25 {
        return None;
    }
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let capitalised = long
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    (long.len() >= 4 && capitalised * 10 >= long.len() * 9)
        .then(|| drop("related-headline", "headline of another article (Title Case teaser)"))
}

/// "… Read Also: <headline>" at the end of a paragraph.
fn strip_inline_teaser(text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(&RE, r"(?i)\s*\b(?:read also|also read|read more)\s*:\s+[^.!?]*$");
    re.replace(text, "").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Position = Position { index: 4 };
    const TOP: Position = Position { index: 0 };

    fn rule_of(o: Option<Outcome>) -> Option<&'static str> {
        match o {
            Some(Outcome::Drop { rule, .. }) => Some(rule),
            _ => None,
        }
    }

    #[test]
    fn each_rule() {
        assert_eq!(rule_of(widget("- Advertisment -")), Some("widget"));
        assert_eq!(rule_of(widget("Source link -75")), Some("widget"));
        assert_eq!(
            rule_of(widget("Read Also:   A wave of mud washes over")),
            Some("widget")
        );
        assert_eq!(rule_of(widget("The source said more.")), None);
        assert_eq!(rule_of(captcha("seven − one =", P)), Some("captcha"));
        assert_eq!(rule_of(captcha("two plus one", P)), None);
        assert_eq!(
            rule_of(breadcrumb("NewsEuropeKim Jong-Un to meet Putin", TOP)),
            Some("breadcrumb")
        );
        assert_eq!(
            rule_of(breadcrumb("HomeWorld NewsNorth Korea's Kim", TOP)),
            Some("breadcrumb")
        );
        assert_eq!(rule_of(breadcrumb("McDonald's opens in Moscow", TOP)), None);
        assert_eq!(rule_of(date_line("• Sat. Nov 23rd, 2024", P)), Some("date-line"));
        assert_eq!(rule_of(date_line("Monday, July 22, 2024", P)), Some("date-line"));
        assert_eq!(rule_of(date_line("Sep 5, 2023 was a Tuesday", P)), None);
        assert_eq!(rule_of(byline("ByRomeo Minalane", P)), Some("byline"));
        assert_eq!(rule_of(byline("By the way, Kim said", P)), None);
        assert_eq!(rule_of(source_credit("Source: France 24", P)), Some("source-credit"));
        assert_eq!(
            rule_of(source_credit("With Reuters, AP and local media", P)),
            Some("source-credit")
        );
        assert_eq!(
            rule_of(site_blurb(
                "This post is posted by Awutar staff members. Our Email: [email protected]",
                P
            )),
            Some("site-blurb")
        );
        assert_eq!(
            rule_of(related_headline(
                "North Korea Says Leader Kim Jong-un Supervised Drills Simulating Preemptive Attacks",
                P
            )),
            Some("related-headline")
        );
        assert_eq!(
            rule_of(related_headline(
                "Russia and North Korea vow to boost defense cooperation",
                P
            )),
            None
        );
    }

    #[test]
    fn captions_lose_credits() {
        let opts = CleanOptions {
            keep_captions: true,
            ..Default::default()
        };
        let c =
            "Russian President Vladimir Putin (right) with North Korean leader Kim Jong Un. File | Photo Credit: AP";
        match caption(c, &opts) {
            Some(Outcome::Edit { kept, .. }) => {
                assert_eq!(
                    kept,
                    "Russian President Vladimir Putin (right) with North Korean leader Kim Jong Un."
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(rule_of(caption(c, &CleanOptions::default())), Some("caption"));
        assert!(caption("Kim met Putin in 2019 and they talked at length.", &opts).is_none());
    }

    #[test]
    fn inline_teaser() {
        assert_eq!(strip_inline_teaser("Kim went. Read Also: A wave of mud"), "Kim went.");
    }
}
