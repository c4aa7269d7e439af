//! Main-content extraction from HTML pages, with `dom_smoothie`
//! (a Rust port of Mozilla's Readability).

use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// What a page yields: metadata and the article's text blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    /// The page's `lang` attribute.
    pub lang: Option<String>,
    /// Text blocks (paragraphs, headings, list items) in page order.
    pub blocks: Vec<MarkedBlock>,
    /// Extracted by the streaming fallback (no DOM): the blocks still need
    /// hark's prose classification, as scraped text does.
    pub dense: bool,
}

/// Deeper than this, a page is read without a DOM. Chrome's HTML parser
/// stops nesting at 512 too; the extractor's cost grows with depth times
/// size (16,000 nested elements took 98 s).
pub(crate) const MAX_DEPTH: usize = 512;
/// Pages larger than this (or with more elements than [`MAX_ELEMENTS`]) are
/// read without a DOM: a tree of a 50 MB page takes ten times its size.
pub(crate) const MAX_TREE_BYTES: usize = 8 << 20;
/// See [`MAX_TREE_BYTES`].
pub(crate) const MAX_ELEMENTS: usize = 200_000;

/// A block of text and the byte ranges of it the page highlights.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MarkedBlock {
    pub text: String,
    pub marks: Vec<Range<usize>>,
}

/// Private-use characters that stand for the start and end of a highlight
/// while the page goes through extraction, which keeps text but not
/// positions. Any already in the page are removed first.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Highlights in the page (`<mark>`, `<span class="highlight">`) get
/// sentinel characters around their text before extraction.
fn mark_highlights(html: &str) -> String {
    static RES: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    let (open, close, span) = RES.get_or_init(|| {
        (
            Regex::new(r"(?i)<mark\b[^>]*>").expect("regex"),
            Regex::new(r"(?i)</mark\s*>").expect("regex"),
            Regex::new(r#"(?is)<span\b[^>]*\bclass\s*=\s*["'][^"']*\b(?:highlight|highlighted|hl)\b[^"']*["'][^>]*>(.*?)</span\s*>"#)
                .expect("regex"),
        )
    });
    let clean: String;
    let html = if html.contains([OPEN, CLOSE]) {
        clean = html.replace([OPEN, CLOSE], "");
        clean.as_str()
    } else {
        html
    };
    if !html.contains("<mark") && !html.contains("<MARK") && !html.contains("highl") && !html.contains("hl") {
        return html.to_string();
    }
    let s = open.replace_all(html, format!("<mark>{OPEN}"));
    let s = close.replace_all(&s, format!("{CLOSE}</mark>"));
    span.replace_all(&s, format!("<span>{OPEN}${{1}}{CLOSE}</span>"))
        .into_owned()
}

/// Take the sentinels out of a block: its text and highlighted ranges. An
/// unclosed highlight runs to the end of the block.
pub(crate) fn take_marks(block: &str) -> MarkedBlock {
    if !block.contains([OPEN, CLOSE]) {
        return MarkedBlock {
            text: block.to_string(),
            marks: Vec::new(),
        };
    }
    let mut text = String::with_capacity(block.len());
    let mut marks = Vec::new();
    let mut open_at = None;
    for c in block.chars() {
        match c {
            OPEN => {
                open_at.get_or_insert(text.len());
            }
            CLOSE => {
                if let Some(start) = open_at.take() {
                    marks.push(start..text.len());
                }
            }
            c => text.push(c),
        }
    }
    if let Some(start) = open_at {
        marks.push(start..text.len());
    }
    // Whitespace at the edges of a highlight is not part of it.
    let marks = marks
        .into_iter()
        .filter_map(|r: Range<usize>| {
            let s = &text[r.clone()];
            let a = r.start + (s.len() - s.trim_start().len());
            let b = r.end - (s.len() - s.trim_end().len());
            (a < b).then_some(a..b)
        })
        .collect();
    MarkedBlock { text, marks }
}

/// Extract the article from an HTML page. `Err` carries the extractor's reason.
pub(crate) fn extract(html: &str) -> Result<Extracted, String> {
    let html = mark_highlights(html);
    let (depth, elements) = super::dense::shape(&html);
    if depth > MAX_DEPTH || elements > MAX_ELEMENTS || html.len() > MAX_TREE_BYTES {
        let ex = super::dense::extract(&html);
        if ex.blocks.is_empty() {
            return Err("the page has no text blocks".into());
        }
        return Ok(ex);
    }
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = Readability::new(html.as_str(), None, Some(cfg)).map_err(|e| e.to_string())?;
    let article = reader.parse().map_err(|e| e.to_string())?;
    let blocks: Vec<MarkedBlock> = article
        .text_content
        .split('\n')
        .map(|b| take_marks(&b.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|b| !b.text.is_empty())
        .collect();
    if blocks.is_empty() {
        return Err("the page has no text blocks".into());
    }
    let nonempty = |s: Option<String>| {
        s.map(|s| s.replace([OPEN, CLOSE], "").trim().to_string())
            .filter(|s| !s.is_empty())
    };
    Ok(Extracted {
        title: nonempty(Some(article.title.to_string())),
        byline: nonempty(article.byline.map(|b| b.to_string())),
        date: nonempty(article.published_time.map(|d| d.to_string())),
        lang: nonempty(article.lang.map(|l| l.to_string())),
        blocks,
        dense: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_article_and_marks() {
        let body = "<p>Kim Jong Un is expected to meet Vladimir Putin in Russia this month, officials in Washington said on Monday, adding that arms talks were advancing.</p>".repeat(3);
        let html = format!(
            "<html><head><title>Kim to meet Putin</title></head><body><nav><a href='/'>Home</a></nav><article>{body}<p>The talks are <mark>actively advancing</mark>, Watson said in a statement to reporters.</p></article></body></html>"
        );
        let ex = extract(&html).unwrap();
        assert_eq!(ex.title.as_deref(), Some("Kim to meet Putin"));
        let marked: Vec<&str> = ex
            .blocks
            .iter()
            .flat_map(|b| b.marks.iter().map(|r| &b.text[r.clone()]))
            .collect();
        assert_eq!(marked, ["actively advancing"], "{:?}", ex.blocks);
        assert!(ex.blocks.iter().all(|b| !b.text.contains('\u{E000}')));
        assert!(!ex.blocks.iter().any(|b| b.text == "Home"));
    }

    #[test]
    fn sentinels_in_the_page_are_not_marks() {
        let (o, c) = (OPEN, CLOSE);
        let body = format!("<p>Kim Jong Un is expected to meet Vladimir Putin in Russia{o} this month{c}, officials in Washington said on Monday.</p>").repeat(3);
        let ex = extract(&format!("<html><body><article>{body}</article></body></html>")).unwrap();
        assert!(ex.blocks.iter().all(|b| b.marks.is_empty() && !b.text.contains(o)));
    }
}
