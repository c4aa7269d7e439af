//! The named, block-level boilerplate rules. Each one is a function that
//! looks at one block (and where it sits on the page) and either lets it
//! through, drops it with a reason, or edits it (captions lose their
//! credits).

use super::CleanOptions;
use regex::Regex;
use std::sync::OnceLock;

/// Where a block sits on the page, and the page's language.
#[derive(Debug, Clone, Copy)]
pub struct Position<'a> {
    pub index: usize,
    /// Blocks on the page.
    pub total: usize,
    pub lang: &'a str,
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
    for rule in [captcha, breadcrumb, date_line, byline, site_voice, source_credit] {
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

/// `widget`: a widget string of content-management systems
/// (data/widgets.txt, each entry with its source), an instruction about the
/// page's interface ("Click to listen", "Tap here to …"), or an ad label.
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
    // Widget strings are short: longer blocks are never one.
    if text.split_whitespace().nth(12).is_some() {
        return None;
    }
    let key = widget_key(text);
    let words = key.split_whitespace().count();
    let starts = |p: &str| key.starts_with(p) && key[p.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    if let Some((_, p)) = list
        .iter()
        .find(|(exact, p)| if *exact { key == *p } else { words <= 12 && starts(p) })
    {
        return Some(drop("widget", format!("site widget (\"{p}\")")));
    }
    let first = key.split_whitespace().next().unwrap_or("");
    let ui = ["click", "tap", "press", "swipe", "scroll", "hover"].contains(&first);
    let ad = words == 1
        && (first.starts_with("advert") || ["ad", "anzeige", "publicité", "publicidad", "pubblicità"].contains(&first));
    ((words <= 10 && ui) || ad).then(|| drop("widget", "interface instruction or ad label"))
}

/// `captcha`: "seven − one =".
pub fn captcha(text: &str, _: Position) -> Option<Outcome> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"^ *([0-9]+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) *[−+×x*÷/-] *([0-9]+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) *= *\?? *$",
    );
    (text.len() < 40 && re.is_match(&text.to_lowercase()))
        .then(|| drop("captcha", "arithmetic captcha of a comment form"))
}

/// `breadcrumb`, near the top of the page: navigation glued to the
/// headline ("HomeWorld NewsNorth Korea's…", "NewsEuropeKim Jong-Un…"), or
/// a path of short links in any language ("Home > World", "Startseite ›
/// Politik › Kommunales", "Accueil / Actualités").
pub fn breadcrumb(text: &str, pos: Position) -> Option<Outcome> {
    if pos.index > 5 {
        return None;
    }
    let nav = ["Home", "News", "Homepage", "Main"].iter().any(|w| {
        text.strip_prefix(w)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_uppercase)
    });
    let first = text.split_whitespace().next().unwrap_or("");
    let humps = first
        .chars()
        .zip(first.chars().skip(1))
        .filter(|(a, b)| a.is_lowercase() && b.is_uppercase())
        .count();
    // A path: 2 to 7 segments of 1 to 4 words between spaced separators,
    // and no sentence punctuation.
    let seps = [" > ", " › ", " » ", " / ", " | "];
    let parts: Vec<&str> = seps
        .iter()
        .find(|s| text.contains(*s))
        .map(|s| text.split(*s).collect())
        .unwrap_or_default();
    let path = (2..=7).contains(&parts.len())
        && !text.contains(['.', '!', '?'])
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.split_whitespace().count()) && p.len() <= 40);
    (nav || humps >= 2 || path).then(|| drop("breadcrumb", "navigation trail (near the page title)"))
}

/// The alternation of month (or weekday) names hark has for a language
/// (voices/lang/<lang>/months.tsv, weekdays.tsv), longest first.
fn names(lang: &str, table: &str) -> String {
    let mut v: Vec<&str> = crate::langdata::rows(lang, table)
        .filter_map(|r| r.first().copied())
        .collect();
    v.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    v.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|")
}

/// The date-line pattern for a language (English names are always known):
/// a whole line that is a date.
fn date_pattern(lang: &str) -> &'static Regex {
    date_regex(lang, true)
}

/// A day and month (or a numeric date) at the start of a line, followed by
/// anything: "June 9 -- Coral Sky Amphitheatre", "9 juin : …", "12.03. …".
fn leading_date(lang: &str) -> &'static Regex {
    date_regex(lang, false)
}

fn date_regex(lang: &str, whole: bool) -> &'static Regex {
    type Cache = std::sync::Mutex<Vec<(String, bool, &'static Regex)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((.., r)) = c.iter().find(|(l, w, _)| l == lang && *w == whole) {
        return r;
    }
    let mut months = names("en", "months.tsv");
    let mut days = names("en", "weekdays.tsv");
    if lang != "en" && crate::langdata::file(lang, "months.tsv").is_some() {
        months = format!("{}|{months}", names(lang, "months.tsv"));
        days = format!("{}|{days}", names(lang, "weekdays.tsv"));
    }
    let m = format!(r"(?:{months})\.?");
    let d = r"[0-9]{1,2}(?:st|nd|rd|th|er|º|°)?\.?";
    let y = r"[0-9]{4}";
    // Matched against the lower-cased text (the tables are lower case).
    // Both begin alike: bullets, then an optional weekday.
    let head = format!(r"^[•·\-– ]*(?:(?:{days})\.?,? +)?");
    let pattern = if whole {
        format!(
            concat!(
                "{head}",
                r"(?:{m} +{d},? +{y}|{d} +(?:de +)?{m},? +(?:de +)?{y}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}|[0-9]{{1,2}}[./][0-9]{{1,2}}[./][0-9]{{4}})",
                r"(?:,? +(?:um +|à +|a +las +|alle +|at +)?[0-9]{{1,2}}[:.h][0-9]{{2}}(?: *(?:[ap]\.?m\.?|uhr))?)? *$"
            ),
            head = head,
            m = m,
            d = d,
            y = y
        )
    } else {
        format!(
            concat!(
                "{head}",
                r"(?:{m} +{d}|{d} +(?:de +)?{m}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}|[0-9]{{1,2}}[./][0-9]{{1,2}}\.?)",
                r"(?:[^\p{{L}}\p{{N}}]|$)"
            ),
            head = head,
            m = m,
            d = d,
        )
    };
    let r: &'static Regex = Box::leak(Box::new(Regex::new(&pattern).expect("date regex")));
    c.push((lang.to_string(), whole, r));
    r
}

/// `date-line`: a block that is only a date ("Sat. Nov 23rd, 2024",
/// "12. März 2024", "Publié le 14 mars 2024", "15 de marzo de 2024",
/// "12.03.2024"), with month names of the page's language.
pub fn date_line(text: &str, pos: Position) -> Option<Outcome> {
    if text.split_whitespace().count() > 10 || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let lower = text.to_lowercase();
    let pattern = date_pattern(pos.lang);
    // A short lead-in may come first: "Published", "Publié le", "Veröffentlicht am".
    let mut rest = lower.as_str();
    let mut found = pattern.is_match(rest);
    for _ in 0..3 {
        if found {
            break;
        }
        let Some((word, after)) = rest.trim_start().split_once(' ') else {
            break;
        };
        if !word.chars().all(char::is_alphabetic) {
            break;
        }
        rest = after;
        found = pattern.is_match(rest);
    }
    found.then(|| Outcome::Drop {
        rule: "date-line",
        reason: "publication date (kept as metadata)".into(),
        meta: Some(Found::Date(
            text.trim_matches(|c: char| !c.is_alphanumeric()).to_string(),
        )),
    })
}

/// `byline`: "ByRomeo Minalane", "By Jane Doe": "By" and one to four
/// capitalised names.
pub fn byline(text: &str, _: Position) -> Option<Outcome> {
    let rest = ["By", "BY", "by"].iter().find_map(|p| text.strip_prefix(p))?;
    let names = rest.trim();
    let words: Vec<&str> = names.split_whitespace().collect();
    let name_like = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '-'))
    };
    if !(1..=4).contains(&words.len()) || !words.iter().all(name_like) {
        return None;
    }
    // "By the way": a lower-case word after "By " is not a name.
    if !rest.starts_with(|c: char| c.is_uppercase() || c == ' ') {
        return None;
    }
    Some(Outcome::Drop {
        rule: "byline",
        reason: "author byline (kept as metadata)".into(),
        meta: Some(Found::Byline(words.join(" "))),
    })
}

struct Voice {
    pronouns: Words,
    site: Words,
    greetings: Words,
}

/// A word list: exact words, and stems (entries ending in `*`). The lists
/// are a few dozen short words: a scan beats hashing each word.
struct Words {
    exact: Vec<String>,
    stems: Vec<String>,
}

impl Words {
    fn new(list: &str) -> Words {
        let mut w = Words {
            exact: Default::default(),
            stems: Vec::new(),
        };
        for e in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            match e.strip_suffix('*') {
                Some(stem) => w.stems.push(stem.to_string()),
                None => w.exact.push(e.to_string()),
            }
        }
        w
    }

    fn has(&self, word: &str) -> bool {
        self.exact.iter().any(|e| e == word) || self.stems.iter().any(|s| word.starts_with(s.as_str()))
    }
}

/// The pronoun and site-word lists of data/site_voice.tsv, by language.
fn voice_lists(lang: &str) -> Option<&'static Voice> {
    static LISTS: OnceLock<Vec<(String, Voice)>> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        include_str!("data/site_voice.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (code, pro, site, greet) = (f.next()?, f.next()?, f.next()?, f.next().unwrap_or(""));
                Some((
                    code.to_string(),
                    Voice {
                        pronouns: Words::new(pro),
                        site: Words::new(site),
                        greetings: Words::new(greet),
                    },
                ))
            })
            .collect()
    });
    lists.iter().find(|(c, _)| c == lang).map(|(_, v)| v)
}

/// Whether one sentence speaks in the site's own voice: a first- or
/// second-person pronoun with a website word (outside quotes), an e-mail
/// address, "posted by … staff", or "X is a … website".
pub(crate) fn voiced(sentence: &str, lang: &str) -> bool {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    static SELF: OnceLock<Regex> = OnceLock::new();
    if sentence.contains('@') || sentence.contains("[email") {
        let email = re(
            &EMAIL,
            r"(?-u:[\w.+-])+@(?-u:[\w-])+\.(?-u:[\w.])+|\[email\s*protected\]",
        );
        if email.is_match(sentence) {
            return true;
        }
    }
    let Some(v) = voice_lists(lang) else { return false };
    // Words outside quotation marks, lower-cased into one buffer.
    let mut lower = String::with_capacity(sentence.len());
    let mut quoted = false;
    for c in sentence.chars() {
        match c {
            '“' | '«' | '„' => quoted = true,
            '”' | '»' => quoted = false,
            '"' => quoted = !quoted,
            c if quoted => {
                let _ = c;
            }
            c if c.is_ascii_alphanumeric() || c == '-' => lower.push(c.to_ascii_lowercase()),
            c if c.is_alphanumeric() => lower.extend(c.to_lowercase()),
            _ => lower.push(' '),
        }
    }
    let (mut pronoun, mut site) = (false, false);
    for w in lower.split(' ').filter(|w| !w.is_empty()) {
        pronoun = pronoun || v.pronouns.has(w);
        site = site || v.site.has(w);
        if pronoun && site {
            return true;
        }
    }
    lang == "en"
        && site
        && re(
            &SELF,
            r"(?i)(?-u:\b)(?:(?:posted|written|published|compiled) +by(?-u:\b).*(?-u:\b)(?:staff|team|admin|editors?)(?-u:\b)|(?-u:\b)is +an? +(?:[a-z-]+ +){0,4}(?:website|blog|site|portal|platform|magazine)(?-u:\b))",
        )
        .is_match(sentence)
}

/// Whether a sentence greets the reader: it opens with a greeting word and
/// addresses "you" ("Hi, welcome! You can …", "Willkommen! Hier finden Sie …").
fn greets(sentence: &str, lang: &str) -> bool {
    let Some(v) = voice_lists(lang) else { return false };
    let words: Vec<String> = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let opens = words.iter().take(2).any(|w| v.greetings.has(w));
    opens && words.iter().any(|w| v.pronouns.has(w))
}

/// `site-voice`: the site talking about itself ("Welcome to …, where we
/// strive…", "Our email: …", "This post is posted by our staff"): most of
/// the block's sentences, and at least two, are in the site's voice
/// ([`voiced`]); or a short block of one sentence gives an e-mail address,
/// or greets the reader at the head of the page.
pub fn site_voice(text: &str, pos: Position) -> Option<Outcome> {
    // A long block's voiced runs are judged sentence by sentence by the
    // cleaner (clean::by_sentence); here, short blocks.
    if text.split_whitespace().nth(60).is_some() {
        return None;
    }
    let spans = crate::segment::sentence_spans(text);
    let n = spans.len().max(1);
    let v = spans.iter().filter(|r| voiced(&text[(*r).clone()], pos.lang)).count();
    let short = n == 1 && text.split_whitespace().count() <= 25;
    let short_contact = short && v == 1 && text.contains('@');
    let greeting = short && pos.index <= 2 && greets(text, pos.lang);
    // A newsletter or contact prompt in the page's last blocks.
    let tail = short && v == 1 && pos.index + 3 >= pos.total;
    ((v >= 2 && v * 2 >= n) || short_contact || greeting || tail)
        .then(|| drop("site-voice", "the site describing itself (about us, contact, staff)"))
}

/// `source-credit`: "Source: France 24", "With Reuters, AP and local media".
pub fn source_credit(text: &str, _: Position) -> Option<Outcome> {
    static RE: OnceLock<Regex> = OnceLock::new();
    if text.split_whitespace().count() > 10 {
        return None;
    }
    let re = re(
        &RE,
        r"^(?:sources? *:|with +(?:reporting +(?:by|from) +)?(?:reuters|ap|afp|agencies|the associated press)(?-u:\b)|(?:additional +)?reporting +by(?-u:\b))",
    );
    re.is_match(&text.to_lowercase())
        .then(|| drop("source-credit", "news-agency or source credit"))
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
                r"(?i)[ ]*\[[ ]*(?:file|submit|photo|image|picture)[ ]*:[^\]\)]*[\]\)]?[ ]*$",
            ),
            (&["redit", "REDIT"], r"(?i)[ ]*\|?[ ]*photo[ ]*credit[ ]*:.*$"),
            (&["©"], r"[ ]*©.*$"),
            (
                &[" Photo"],
                r"(?i)[ ]*\((?:AP|AFP|Reuters|EPA|Getty Images)[ ]+Photo[^)]*\)[ ]*$",
            ),
            (
                &["—", "–", "-"],
                r"[ ]+[—–-][ ]*(?:Reuters|AFP|AP|Getty Images|EPA|Xinhua|KCNA|Yonhap|Bloomberg|Anadolu)\.?[ ]*$",
            ),
            (&["File"], r"(?:^|\.)[ ]*File\.?[ ]*$"),
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
/// A line that starts with a day and month is an entry of a schedule or a
/// timeline ("June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL"), not
/// a headline.
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
    // The date test last: its pattern is built only where a line gets this far.
    (long.len() >= 4 && capitalised * 10 >= long.len() * 9 && !leading_date(pos.lang).is_match(&text.to_lowercase()))
        .then(|| drop("related-headline", "headline of another article (Title Case teaser)"))
}

/// "… Read Also: <headline>" at the end of a paragraph.
fn strip_inline_teaser(text: &str) -> String {
    if !text.contains(':') {
        return text.to_string();
    }
    let lower = text.to_ascii_lowercase();
    for label in ["read also", "also read", "read more"] {
        let Some(at) = lower.rfind(label) else { continue };
        let after = lower[at + label.len()..].trim_start();
        let word_start = at == 0 || !lower[..at].ends_with(|c: char| c.is_alphanumeric());
        if word_start && after.starts_with(':') && !after.contains(['.', '!', '?']) {
            return text[..at].trim_end().to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Position = Position {
        index: 4,
        total: 20,
        lang: "en",
    };
    const TOP: Position = Position {
        index: 0,
        total: 20,
        lang: "en",
    };

    fn rule_of(o: Option<Outcome>) -> Option<&'static str> {
        match o {
            Some(Outcome::Drop { rule, .. }) => Some(rule),
            _ => None,
        }
    }

    #[test]
    fn a_dated_line_is_no_headline() {
        let teaser = "Ten Things Every Traveller Should Know Before Visiting Northern Lapland";
        assert_eq!(rule_of(related_headline(teaser, P)), Some("related-headline"));
        for entry in [
            "June 9 -- Coral Sky Amphitheatre, West Palm Beach, Florida State",
            "Aug. 14 – Hollywood Casino Amphitheatre, Saint Louis, Missouri State",
            "12.03. Eröffnung Der Neuen Ausstellung Im Museum Für Moderne Kunst",
        ] {
            assert_eq!(rule_of(related_headline(entry, P)), None, "{entry}");
        }
        // A year is not a day: "May 2023 …" is no date at the line's start.
        assert_eq!(
            rule_of(related_headline(
                "May 2023 Brought Record Crowds To Every Northern Festival",
                P
            )),
            Some("related-headline")
        );
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
        let de = Position { lang: "de", ..P };
        for d in [
            "12.03.2024",
            "12. März 2024",
            "Dienstag, 12. März 2024, 14:30 Uhr",
            "Veröffentlicht am 12.03.2024",
        ] {
            assert_eq!(rule_of(date_line(d, de)), Some("date-line"), "{d}");
        }
        let fr = Position { lang: "fr", ..P };
        assert_eq!(
            rule_of(date_line("Publié le 14 mars 2024 à 10h30", fr)),
            Some("date-line")
        );
        let es = Position { lang: "es", ..P };
        assert_eq!(rule_of(date_line("15 de marzo de 2024", es)), Some("date-line"));
        assert_eq!(
            rule_of(date_line("El 15 de marzo de 2024 llegó la lluvia al norte", es)),
            None
        );
        for b in [
            "Startseite > Politik > Kommunales",
            "Accueil / Actualités / Société",
            "Home › World",
        ] {
            assert_eq!(rule_of(breadcrumb(b, TOP)), Some("breadcrumb"), "{b}");
        }
        assert_eq!(
            rule_of(breadcrumb(
                "Prices rose 5% > inflation, the bank said in its report.",
                TOP
            )),
            None
        );
        assert_eq!(rule_of(byline("ByRomeo Minalane", P)), Some("byline"));
        assert_eq!(rule_of(byline("By the way, Kim said", P)), None);
        assert_eq!(rule_of(source_credit("Source: France 24", P)), Some("source-credit"));
        assert_eq!(
            rule_of(source_credit("With Reuters, AP and local media", P)),
            Some("source-credit")
        );
        assert_eq!(
            rule_of(site_voice(
                "This post is posted by the staff members. Our Email: [email protected]",
                P
            )),
            Some("site-voice")
        );
        assert_eq!(
            rule_of(site_voice(
                "Willkommen auf unserer Webseite! Bei Fragen nutzen Sie bitte unser Kontaktformular.",
                Position {
                    index: 4,
                    total: 20,
                    lang: "de"
                }
            )),
            Some("site-voice")
        );
        // Quoted speech is the speaker's voice, not the site's.
        assert_eq!(
            rule_of(site_voice(
                "“We will keep our website open to every reader,” the minister said. “You can contact us,” she added.",
                P
            )),
            None
        );
        assert_eq!(rule_of(widget("Click to listen highlighted text!")), Some("widget"));
        assert_eq!(rule_of(widget("- Advertisment -")), Some("widget"));
        assert_eq!(
            rule_of(widget(
                "Subscribers to the service said on Monday that prices had risen again."
            )),
            None
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
