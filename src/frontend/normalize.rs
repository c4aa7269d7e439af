//! Text normalization: written tokens → the words a newsreader says.
//!
//! The driver walks the text once. At each token start it asks every
//! classifier (one per class, in [`CLASSIFIERS`] order) whether a token of
//! its class starts there; the longest claim wins, ties go to the earlier
//! classifier. A classifier returns the token's length, class and spoken
//! form (its verbalizer). Text no classifier claims passes through as
//! written, so nothing is lost: a number that no rule reads still reaches
//! the engine as digits.
//!
//! Readings follow the conventions of NVIDIA NeMo's English text
//! normalization (the test suite in `tests/data/eval/normalization`),
//! except where a newsreader reads differently (documented where it
//! happens). Tables live in `voices/lang/en/` ([`super::tables`]).

use super::classes::CLASSIFIERS;
use super::tables::Tables;
pub use super::types::{Class, Normalized, Options, Token};
use super::types::{Cx, Hit};

fn is_word_char(c: char) -> bool {
    // Letters, apostrophes and combining marks.
    c.is_alphabetic() || c == '\'' || c == '’' || matches!(c as u32, 0x0300..=0x036F)
}

/// Normalize a text for speech.
pub fn normalize(text: &str, opts: &Options) -> Normalized {
    let cx = Cx {
        text,
        t: Tables::get(),
        opts,
    };
    let mut tokens: Vec<Token> = Vec::new();
    let mut spoken = String::with_capacity(text.len() + text.len() / 4);
    let mut i = 0;
    let mut after_space = true;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if let Some(end) = super::types::whitespace_run(text, i, &mut spoken) {
            i = end;
            after_space = true;
            continue;
        }
        let hit = if c.is_ascii_lowercase() && cx.at_boundary(i) && !could_be_special(text, i) && opts.lexicon.is_none()
        {
            // Fast path: an ordinary lower-case word needs no classifier.
            None
        } else {
            best_hit(&cx, i)
        };
        let (len, class, said) = match hit {
            Some(h) if h.len > 0 => (h.len, h.class, h.spoken),
            _ => {
                let end = if is_word_char(c) {
                    text[i..].find(|c: char| !is_word_char(c)).map_or(text.len(), |n| i + n)
                } else {
                    i + c.len_utf8()
                };
                let w = &text[i..end];
                let (class, said) = if is_word_char(c) {
                    (Class::Word, w.to_string())
                } else {
                    (
                        Class::Punct,
                        if w == "`" && text[end..].starts_with('`') {
                            String::new()
                        } else if w == "`" {
                            "\"".into()
                        } else {
                            w.to_string()
                        },
                    )
                };
                (end - i, class, said)
            }
        };
        let said = said.trim();
        // Two spoken words must not run together where the text had none
        // between them ("12text" → "twelve text").
        if !after_space
            && spoken.chars().next_back().is_some_and(|p| p.is_alphanumeric())
            && said.chars().next().is_some_and(|n| n.is_alphanumeric())
            && (class != Class::Word || tokens.last().is_some_and(|t| t.class != Class::Word))
        {
            spoken.push(' ');
        }
        spoken.push_str(said);
        tokens.push(Token {
            class,
            written: text[i..i + len].to_string(),
            spoken: said.to_string(),
            start: i,
            end: i + len,
        });
        i += len;
        after_space = false;
    }
    let spoken = spoken.trim_end().to_string();
    Normalized { spoken, tokens }
}

/// Whether a lower-case word might still be claimed by a classifier (a
/// month before a number, a domain, an e-mail, an abbreviation with a
/// period, a lower-case letter/digit code).
fn could_be_special(text: &str, i: usize) -> bool {
    let rest = &text[i..];
    let end = rest
        .find(|c: char| {
            !(c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_' | ':' | '/' | '+' | '&' | '\''))
        })
        .unwrap_or(rest.len());
    let tok = &rest[..end];
    if tok
        .bytes()
        .any(|b| matches!(b, b'.' | b'@' | b':' | b'/' | b'&' | b'+'))
        || tok.bytes().any(|b| b.is_ascii_digit())
    {
        return true;
    }
    let word_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let word = &rest[..word_end];
    let t = Tables::get();
    t.months.contains_key(word)
        || t.weekdays.contains_key(word)
        || t.streets.contains_key(word)
        || t.abbreviations.contains_key(word)
}

fn best_hit(cx: &Cx, i: usize) -> Option<Hit> {
    let mut best: Option<Hit> = None;
    for classify in CLASSIFIERS {
        if let Some(h) = classify(cx, i) {
            if h.len > 0 && best.as_ref().is_none_or(|b| h.len > b.len) {
                best = Some(h);
            }
        }
    }
    best
}

/// The spoken form alone.
#[cfg(test)]
pub fn spoken(text: &str, opts: &Options) -> String {
    normalize(text, opts).spoken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::UrlStyle;

    /// Random strings over the characters every classifier looks at, plus
    /// multi-byte ones next to them: no panic, and the tokens cover the
    /// whole input in order (nothing is dropped on the way to the engine).
    #[test]
    fn never_panics_and_tokens_cover_the_input() {
        let alphabet: Vec<char> = "0123456789.,-/:$£€¥°º²³'’()@&%#+=xsmtphkgAMPSTNDRQ é–—\n\"`<>[]"
            .chars()
            .collect();
        let mut rng: u64 = 0x2545F4914F6CDD1D;
        let opts = Options::default();
        for _ in 0..20_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let len = (rng % 24) as usize;
            let s: String = (0..len)
                .map(|k| alphabet[((rng >> (k % 40)) as usize + k * 7) % alphabet.len()])
                .collect();
            let n = normalize(&s, &opts);
            // Tokens tile the non-space input in order.
            let mut at = 0;
            for t in &n.tokens {
                assert!(s[at..t.start].trim().is_empty(), "{s:?}: gap before {t:?}");
                assert_eq!(&s[t.start..t.end], t.written);
                at = t.end;
            }
            assert!(s[at..].trim().is_empty(), "{s:?}: tail not covered");
        }
    }

    /// The forms the issue names, one by one.
    #[test]
    fn newsreader_readings() {
        let o = Options::default();
        let cases = [
            ("Sep 5, 2023", "September fifth, twenty twenty three"),
            ("7,000 containers", "seven thousand containers"),
            (
                "Sat. Nov 23rd, 2024",
                "Saturday, November twenty third, twenty twenty four",
            ),
            ("the U.S. said", "the U S said"),
            ("Mr. Kim", "mister Kim"),
            ("the DPRK", "the D P R K"),
            ("an ICBM", "an I C B M"),
            ("$2.5 million", "two point five million dollars"),
            ("12%", "twelve percent"),
            ("3:30 p.m.", "three thirty P M"),
            ("the 1990s", "the nineteen nineties"),
            ("No. 10", "number ten"),
            ("38°C", "thirty eight degrees Celsius"),
            ("in 1991", "in nineteen ninety one"),
            ("in 2023", "in twenty twenty three"),
            ("the '80s", "the eighties"),
            ("Charles III", "Charles the third"),
            ("World War II", "World War two"),
            ("NATO and UNESCO", "Nato and Unesco"),
            ("Dr. Evil", "doctor Evil"),
            ("at 123 Laguna Dr. today", "at one twenty three Laguna Drive today"),
            ("Mulholland Dr. is closed", "Mulholland drive is closed"),
            ("St. Petersburg", "saint Petersburg"),
            ("1:59 p.m. est", "one fifty nine P M E S T"),
            ("14:10", "fourteen ten"),
            (
                "call +1 (123)-123-5678",
                "call plus one, one two three, one two three, five six seven eight",
            ),
            ("Sept. 5-7", "September fifth to seventh"),
            ("1980-1986", "nineteen eighty to nineteen eighty six"),
            ("£1.20", "one pound twenty pence"),
            ("$.01", "one cent"),
            ("3 1/2 miles", "three and a half miles"),
            ("-0.5", "minus zero point five"),
            ("the 21st century", "the twenty first century"),
            ("Kim vs Putin", "Kim versus Putin"),
            ("open 24/7.", "open twenty four seven."),
            (
                "the 2022/23 season",
                "the twenty twenty two to twenty twenty three season",
            ),
            ("Group C and Type I", "Group C and Type one"),
            (
                "a 350MB file at 30fps",
                "a three hundred and fifty megabytes file at thirty frames per second",
            ),
        ];
        for (written, want) in cases {
            assert_eq!(spoken(written, &o), want, "{written}");
        }
        // Past the named groups every digit is still said.
        let long = "1234567890123456789012345678901234567890";
        assert_eq!(spoken(long, &o).split(' ').count(), long.len());
    }

    #[test]
    fn web_addresses_by_style() {
        let url = "See https://www.amzn.to/2A5qzvo now, or mail info@givewell.org.";
        let with = |urls| {
            spoken(
                url,
                &Options {
                    urls,
                    ..Default::default()
                },
            )
        };
        assert_eq!(
            with(UrlStyle::Host),
            "See amzn dot T O now, or mail info at givewell dot org."
        );
        assert_eq!(
            with(UrlStyle::Full),
            "See HTTPS colon slash slash WWW dot amzn dot T O slash two a five qzvo now, or mail info at givewell dot org."
        );
        assert_eq!(with(UrlStyle::Skip), "See now, or mail info at givewell dot org.");
    }

    #[test]
    fn periods_inside_a_sentence_are_not_full_stops() {
        let o = Options::default();
        assert_eq!(
            spoken("The U.S. Navy and Acme Corp. agreed.", &o),
            "The U S Navy and Acme corporation agreed."
        );
        assert_eq!(spoken("He lives in the U.S.", &o), "He lives in the U S.");
        assert_eq!(spoken("Talks with Acme Corp.", &o), "Talks with Acme corporation.");
    }

    #[test]
    fn every_prefix_of_tricky_inputs() {
        let opts = Options::default();
        for text in [
            "Sat. Nov 23rd, 2024 $2.5 million 3:30 p.m. est +1 (123)-123-5678 a.bc@gmail.com 1980s-90s 4 1/2 lbs",
            "No. 10 Downing St. 38°C 1,000th 2006-08-05 1-800-GO-U-HAUL 123.123.0.40 U.S.A.. Charles III <break/>",
        ] {
            for (i, _) in text.char_indices() {
                normalize(&text[..i], &opts);
                normalize(&text[i..], &opts);
            }
        }
    }
}
