//! Main-content extraction from HTML pages, with `dom_smoothie`
//! (a Rust port of Mozilla's Readability).

use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;
use std::sync::OnceLock;

/// What a page yields: metadata and the article's text blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    /// Text blocks (paragraphs, headings, list items) in page order.
    pub blocks: Vec<String>,
}

/// Highlights in the page (`<mark>`, `<span class="highlight">`) are turned
/// into `==…==` marks before extraction, so they survive it as text.
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
    let s = open.replace_all(html, "<mark>==");
    let s = close.replace_all(&s, "==</mark>");
    span.replace_all(&s, "<span>==${1}==</span>").into_owned()
}

/// Extract the article from an HTML page. `Err` carries a human reason.
pub fn extract(html: &str) -> Result<Extracted, String> {
    let html = mark_highlights(html);
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = Readability::new(html.as_str(), None, Some(cfg)).map_err(|e| e.to_string())?;
    let article = reader.parse().map_err(|e| format!("no article text found ({e})"))?;
    let blocks: Vec<String> = article
        .text_content
        .split('\n')
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| !b.is_empty())
        .collect();
    if blocks.is_empty() {
        return Err("no article text found".into());
    }
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Extracted {
        title: nonempty(Some(article.title)),
        byline: nonempty(article.byline),
        date: nonempty(article.published_time),
        blocks,
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
        assert!(
            ex.blocks.iter().any(|b| b.contains("==actively advancing==")),
            "{:?}",
            ex.blocks
        );
        assert!(!ex.blocks.iter().any(|b| b == "Home"));
    }
}
