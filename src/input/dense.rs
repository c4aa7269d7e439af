//! A streaming text-density extractor for pages whose DOM is pathological
//! (nested thousands deep, or too large to build a tree of): one pass over
//! the tags, no tree, time and memory linear in the page.
//!
//! Text between block-level tags becomes a block; the contents of
//! `script`, `style`, `template`, `svg`, `noscript` and of the page's
//! furniture containers (`nav`, `header`, `footer`, `aside`, `form`,
//! `button`, `select`) are skipped; each block remembers how much of its
//! text sat inside links. Blocks mostly made of link text go (menus, tag
//! clouds); the rest is judged by hark's plain-text cleaner (prose
//! classification and context), as scraped text is.

use super::html::{Extracted, MarkedBlock};

/// Tags whose content is never text of the article.
const SKIP: &[&str] = &[
    "script", "style", "template", "svg", "noscript", "iframe", "object", "canvas", "math",
];
/// Containers of page furniture.
const FURNITURE: &[&str] = &[
    "nav", "header", "footer", "aside", "form", "button", "select", "menu", "dialog",
];
/// Tags that end a block of text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "main",
    "td",
    "th",
    "tr",
    "table",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "figcaption",
    "figure",
    "hr",
    "body",
    "address",
    "caption",
];
/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
];

/// One tag: its lower-cased name, whether it closes, and its attributes' text.
struct Tag<'a> {
    name: String,
    closing: bool,
    attrs: &'a str,
}

/// The tags and text of a page, in order.
enum Token<'a> {
    Tag(Tag<'a>),
    Text(&'a str),
}

/// Split a page into tags and text, skipping comments, doctypes and
/// processing instructions. Linear; never fails.
fn tokens(html: &str) -> impl Iterator<Item = Token<'_>> {
    let b = html.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || loop {
        if i >= b.len() {
            return None;
        }
        if b[i] != b'<' {
            let end = html[i..].find('<').map_or(html.len(), |p| i + p);
            let t = &html[i..end];
            i = end;
            return Some(Token::Text(t));
        }
        if html[i..].starts_with("<!--") {
            i = html[i + 4..].find("-->").map_or(html.len(), |p| i + 4 + p + 3);
            continue;
        }
        if html[i..].starts_with("<!") || html[i..].starts_with("<?") {
            i = html[i..].find('>').map_or(html.len(), |p| i + p + 1);
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let name_end = html[start..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |p| start + p);
        let name = &html[start..name_end];
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // A lone '<' is text.
            let t = &html[i..i + 1];
            i += 1;
            return Some(Token::Text(t));
        }
        // The tag ends at the first '>' outside a quoted attribute value.
        let mut j = name_end;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'>') => break,
                (None, b'"') | (None, b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            j += 1;
        }
        let attrs = &html[name_end..j.min(html.len())];
        i = (j + 1).min(html.len());
        return Some(Token::Tag(Tag {
            name: name.to_ascii_lowercase(),
            closing,
            attrs,
        }));
    })
}

/// The deepest nesting of elements and the number of elements, by a quick
/// pass over the tags (implied end tags are not inferred, so it is an upper
/// bound on depth).
pub(crate) fn shape(html: &str) -> (usize, usize) {
    let (mut depth, mut max, mut count) = (0usize, 0usize, 0usize);
    for t in tokens(html) {
        if let Token::Tag(t) = t {
            if VOID.contains(&t.name.as_str()) || t.attrs.trim_end().ends_with('/') {
                count += 1;
                continue;
            }
            if t.closing {
                depth = depth.saturating_sub(1);
            } else {
                count += 1;
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    (max, count)
}

/// Decode the character references of a text run.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c.is_whitespace() || c == '&')
            .map(|p| p + 1);
        let (name, len) = match end {
            Some(e) if rest.as_bytes().get(e) == Some(&b';') && e <= 12 => (&rest[1..e], e + 1),
            _ => {
                out.push('&');
                rest = &rest[1..];
                continue;
            }
        };
        let c = if let Some(num) = name.strip_prefix('#') {
            let v = match num.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => num.parse().ok(),
            };
            v.and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "hellip" => Some('…'),
                "copy" => Some('©'),
                "eacute" => Some('é'),
                "egrave" => Some('è'),
                "agrave" => Some('à'),
                "auml" => Some('ä'),
                "ouml" => Some('ö'),
                "uuml" => Some('ü'),
                "szlig" => Some('ß'),
                "ccedil" => Some('ç'),
                _ => None,
            }
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let lower = attrs.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    let v = &attrs[at + name.len() + 1..];
    let v = v.trim_start();
    match v.chars().next() {
        Some(q @ ('"' | '\'')) => v[1..].split(q).next(),
        _ => v.split(|c: char| c.is_whitespace() || c == '>').next(),
    }
}

/// Extract blocks from a page in one pass. `mark` says where highlights
/// start and end (the sentinels of `html::mark_highlights` are already in
/// the text).
pub(crate) fn extract(html: &str) -> Extracted {
    let mut blocks: Vec<(String, usize)> = Vec::new();
    let (mut text, mut linked) = (String::new(), 0usize);
    let mut skip: Option<String> = None;
    let mut furniture = 0usize;
    let mut in_link = 0usize;
    let (mut title, mut in_title, mut h1, mut in_h1) = (String::new(), false, String::new(), false);
    let mut lang = None;
    let flush = |text: &mut String, linked: &mut usize, blocks: &mut Vec<(String, usize)>| {
        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            blocks.push((t, *linked));
        }
        text.clear();
        *linked = 0;
    };
    for tok in tokens(html) {
        match tok {
            Token::Tag(t) => {
                if let Some(s) = &skip {
                    if t.closing && &t.name == s {
                        skip = None;
                    }
                    continue;
                }
                let name = t.name.as_str();
                if name == "html" && !t.closing && lang.is_none() {
                    lang = attr(t.attrs, "lang").map(String::from);
                }
                if SKIP.contains(&name) && !t.closing {
                    skip = Some(t.name.clone());
                    continue;
                }
                if name == "title" {
                    in_title = !t.closing;
                    continue;
                }
                if name == "h1" {
                    in_h1 = !t.closing;
                }
                if FURNITURE.contains(&name) {
                    if t.closing {
                        furniture = furniture.saturating_sub(1);
                    } else {
                        furniture += 1;
                    }
                    flush(&mut text, &mut linked, &mut blocks);
                    continue;
                }
                if name == "a" {
                    in_link = if t.closing {
                        in_link.saturating_sub(1)
                    } else {
                        in_link + 1
                    };
                }
                if BLOCK.contains(&name) {
                    flush(&mut text, &mut linked, &mut blocks);
                }
            }
            Token::Text(raw) => {
                if skip.is_some() {
                    continue;
                }
                let s = decode_entities(raw);
                if in_title {
                    title.push_str(&s);
                    continue;
                }
                if in_h1 && h1.len() < 300 {
                    h1.push_str(&s);
                }
                if furniture > 0 {
                    continue;
                }
                if in_link > 0 {
                    linked += s.trim().len();
                }
                text.push_str(&s);
            }
        }
    }
    flush(&mut text, &mut linked, &mut blocks);
    let clean = |s: &str| {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    Extracted {
        title: clean(&h1).or_else(|| clean(&title)),
        byline: None,
        date: None,
        lang,
        // Menus and tag clouds: blocks mostly of link text.
        blocks: blocks
            .into_iter()
            .filter(|(t, linked)| linked * 2 < t.len())
            .map(|(t, _)| super::html::take_marks(&t))
            .collect::<Vec<MarkedBlock>>(),
        dense: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_without_menus_scripts_or_furniture() {
        let page = "<html lang=de><head><title>T</title><script>var x = '<p>no</p>';</script></head><body>\
            <nav><a href=/>Home</a> <a href=/a>A</a></nav><div><div><h1>Der Titel</h1>\
            <p>Erster Absatz &amp; mehr, mit einem <a href=x>Link</a> darin.</p><p>Zweiter&nbsp;Absatz.</p>\
            <ul><li><a href=1>Eins</a></li><li><a href=2>Zwei</a></li></ul></div></div>\
            <footer>Impressum</footer></body></html>";
        let ex = extract(page);
        let texts: Vec<&str> = ex.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Der Titel",
                "Erster Absatz & mehr, mit einem Link darin.",
                "Zweiter Absatz."
            ]
        );
        assert_eq!(ex.title.as_deref(), Some("Der Titel"));
        assert_eq!(ex.lang.as_deref(), Some("de"));
        assert_eq!(shape(page).0, 6);
    }

    #[test]
    fn hostile_markup_is_text_or_skipped_never_a_panic() {
        for s in [
            "<",
            "<<>>",
            "<a href='x>y",
            "&#xFFFFFFFF; &#0; &",
            "<p>é<!-- x",
            "<script>",
            "</>",
            "<1>",
        ] {
            let _ = extract(s);
            let _ = shape(s);
        }
    }
}
