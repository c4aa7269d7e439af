//! `hark split --tidy`: repair text pasted from web pages and PDFs before
//! splitting it (the cleaning step of pragmatic_segmenter's default mode).
//! Each rule is named; [`tidy`] applies them in order.

use regex::Regex;
use std::sync::OnceLock;

struct Rule {
    /// What the rule repairs.
    name: &'static str,
    re: Regex,
    with: &'static str,
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let r = |name, re: &str, with| Rule {
            name,
            re: Regex::new(re).expect("tidy rule"),
            with,
        };
        vec![
            r("escaped line breaks", r"\\ ?r ?\\ ?n|\\ ?[rn]", "\n"),
            r(
                "block-level html tags",
                r"(?i)</?(p|div|h[1-6]|br|li|ul|ol|tr|table|section|article)\b[^>]*>",
                "\n",
            ),
            r("inline html tags", r"<[^<>]*>", ""),
            r(
                "table-of-contents leaders",
                r"(?m)[ \t]*\.{4,}[ \t]*\d+(?:-\d+)?[ \t]*$",
                "",
            ),
            r("long runs of dots", r"\.{5,}", " "),
            r("line broken before its period", r"\n+\.", "."),
            r("backtick quotes", r"`", "'"),
            r("page-number lines", r"(?m)^[ \t]*\d+[ \t]*$", ""),
            r("lines of symbols", r"(?m)^[ \t]*[^\p{L}\p{N}\n]*[ \t]*$", ""),
            r(
                "runs of slashes",
                r"/{10,}|\*{10,}|={10,}|_{10,}|~{10,}|#{10,}|-{10,}",
                "",
            ),
        ]
    })
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Lines broken after every letter or two (`W\nA\nRN\nI\nNG`) are one word.
fn join_letter_lines(s: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if run.len() >= 3 {
            out.push(run.concat());
        } else {
            out.extend(run.iter().map(|l| l.to_string()));
        }
        run.clear();
    };
    for line in s.lines() {
        let t = line.trim();
        if !t.is_empty() && t.chars().count() <= 2 && t.chars().all(char::is_alphabetic) {
            run.push(t);
        } else {
            flush(&mut run, &mut out);
            out.push(line.to_string());
        }
    }
    flush(&mut run, &mut out);
    out.join("\n")
}

/// Apply every tidy rule; returns the repaired text.
pub fn tidy(text: &str) -> String {
    let mut s = text.to_string();
    for rule in rules() {
        let _ = rule.name;
        s = rule.re.replace_all(&s, rule.with).into_owned();
        if rule.name == "inline html tags" {
            // Entities may hide tags (`&lt;b&gt;`): decode, then strip again.
            s = rule.re.replace_all(&decode_entities(&s), rule.with).into_owned();
        }
    }
    join_letter_lines(&s)
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn strips_markup_and_leaders() {
        assert_eq!(tidy("<p>Yes.</p>").trim(), "Yes.");
        assert_eq!(tidy("About Me........5").trim(), "About Me");
        assert_eq!(tidy("Hello. \\r\\n Hi.").lines().count(), 2);
        assert_eq!(tidy("\nW\nA\nRN\n").trim(), "WARN");
    }
}
