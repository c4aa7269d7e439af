//! Main-content extraction from HTML pages by two extractors that fail in
//! different ways: `dom_smoothie` (a Rust port of Mozilla's Readability,
//! which picks one container) and `rs-trafilatura` (a Rust port of
//! trafilatura, which walks the page's text elements and drops furniture
//! element by element). What both choose is the article; a block only one
//! chooses is *judged* ([`MarkedBlock::judged`]): the cleaner keeps it only
//! if it is running prose on its own.

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
    /// Chosen by one extractor only: the cleaner keeps it only if it is
    /// running prose on its own.
    pub judged: bool,
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
            ..Default::default()
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
    MarkedBlock {
        text,
        marks,
        judged: false,
    }
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
    // Each builds its own tree of the page: on two cores, side by side.
    let (readability, trafilatura) = rayon::join(|| readability(&html), || trafilatura(&html));
    let (mut ex, other) = match (readability, trafilatura) {
        (Ok(r), t) => (r, t.unwrap_or_default()),
        (Err(e), t) => {
            // Readability found no article: trafilatura's blocks alone,
            // each judged as prose.
            let t = t.unwrap_or_default();
            if t.is_empty() {
                return Err(e);
            }
            (Extracted::default(), t)
        }
    };
    ex.blocks = merge(ex.blocks, other);
    if ex.blocks.is_empty() {
        return Err("the page has no text blocks".into());
    }
    Ok(ex)
}

/// Readability's article (dom_smoothie): metadata and text blocks.
fn readability(html: &str) -> Result<Extracted, String> {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = Readability::new(html, None, Some(cfg)).map_err(|e| e.to_string())?;
    let article = reader.parse().map_err(|e| e.to_string())?;
    let blocks: Vec<MarkedBlock> = split_blocks(&article.text_content);
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

/// trafilatura's text blocks (rs-trafilatura, comments left out), read as
/// an article: its page-type classifier (forum, product, listing …) costs
/// 4 ms to load in each process and changed no figure of the extraction
/// suites. A panic inside the extractor is its failure, not hark's:
/// Readability's blocks then stand alone.
fn trafilatura(html: &str) -> Result<Vec<MarkedBlock>, String> {
    let opts = rs_trafilatura::Options {
        page_type: Some(rs_trafilatura::page_type::PageType::Article),
        // Its default cut at a million characters would leave the rest of a
        // long article to Readability alone; pages are bounded before this
        // (MAX_TREE_BYTES).
        max_extracted_len: usize::MAX,
        ..Default::default()
    };
    let run = std::panic::catch_unwind(|| rs_trafilatura::extract_with_options(html, &opts));
    match run {
        Ok(Ok(r)) => Ok(split_blocks(&r.content_text)),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("trafilatura's extractor failed".into()),
    }
}

/// An extractor's text as blocks, a line each, whitespace collapsed.
fn split_blocks(text: &str) -> Vec<MarkedBlock> {
    text.split('\n')
        .map(|b| take_marks(&b.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|b| !b.text.is_empty())
        .collect()
}

/// Letters and digits only, lower-cased: blocks are compared on these (here
/// across extractors, and by the cleaner for duplicates and the title), so
/// that spacing, punctuation and case rendered differently do not matter.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Readability's blocks (`first`, in page order) and trafilatura's
/// (`second`), as one list in page order:
/// - *agreement*: a block of one whose text lies inside the other's text is
///   chosen by both and kept as it is (Readability's version of it);
/// - *readability-only*: a Readability block trafilatura left out is judged;
/// - *trafilatura-only*: a trafilatura block whose text Readability has
///   nowhere is judged too, and goes after the Readability block that holds
///   the nearest agreed block before it;
/// - *before the article*: a trafilatura-only block before the first agreed
///   block is left out, unless Readability found nothing.
fn merge(first: Vec<MarkedBlock>, second: Vec<MarkedBlock>) -> Vec<MarkedBlock> {
    if second.is_empty() {
        return first;
    }
    let first_folded: Vec<String> = first.iter().map(|b| fold(&b.text)).collect();
    let second_folded: Vec<String> = second.iter().map(|b| fold(&b.text)).collect();
    let in_first = Side::new(&first_folded).find_all(&second_folded);
    let in_second = Side::new(&second_folded).find_all(&first_folded);
    // Where each trafilatura-only block goes: after Readability block i
    // (None: before the first).
    let mut inserts: Vec<(Option<usize>, MarkedBlock)> = Vec::new();
    let mut anchor: Option<usize> = None;
    for ((b, f), found) in second.into_iter().zip(&second_folded).zip(in_first) {
        if f.is_empty() {
            continue;
        }
        match found {
            Some(i) => anchor = Some(i),
            None => inserts.push((anchor, MarkedBlock { judged: true, ..b })),
        }
    }
    // Before the first agreed block is outside the article Readability
    // found (a live blog's other entries, teasers above the headline).
    if !first.is_empty() {
        inserts.retain(|(a, _)| a.is_some());
    }
    let mut out = Vec::with_capacity(first.len() + inserts.len());
    let mut inserts = inserts.into_iter().peekable();
    while let Some((_, b)) = inserts.next_if(|(a, _)| a.is_none()) {
        out.push(b);
    }
    for (i, ((mut b, f), found)) in first.into_iter().zip(&first_folded).zip(in_second).enumerate() {
        b.judged = b.judged || f.is_empty() || found.is_none();
        out.push(b);
        while let Some((_, b)) = inserts.next_if(|(a, _)| *a == Some(i)) {
            out.push(b);
        }
    }
    out.extend(inserts.map(|(_, b)| b));
    out
}

/// Below this many bytes of letters and digits, a block agrees with the
/// other extractor's only if it is one of its blocks whole ("Share",
/// "News" lie inside any long text); above, it may lie anywhere in the
/// other's text, across its blocks (one extractor splits at a `<br>` the
/// other keeps inside a paragraph).
const MIN_INSIDE: usize = 24;

/// One extractor's blocks, folded, for finding another's blocks in them.
struct Side<'a> {
    /// All blocks' folded text, one after another.
    all: String,
    /// Where each block starts in `all`.
    starts: Vec<usize>,
    /// Each folded block, and the first block that has it.
    whole: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Side<'a> {
    fn new(folded: &'a [String]) -> Side<'a> {
        let mut side = Side {
            all: String::with_capacity(folded.iter().map(String::len).sum()),
            starts: Vec::with_capacity(folded.len()),
            whole: std::collections::HashMap::with_capacity(folded.len()),
        };
        for (i, f) in folded.iter().enumerate() {
            side.starts.push(side.all.len());
            side.all.push_str(f);
            side.whole.entry(f.as_str()).or_insert(i);
        }
        side
    }

    /// For each folded text, the block where it first starts, if it is
    /// here: short texts as whole blocks, long ones anywhere, all found in
    /// one pass (Aho-Corasick), so that a page of thousands of blocks costs
    /// time linear in its size, not blocks times text.
    fn find_all(&self, texts: &[String]) -> Vec<Option<usize>> {
        let mut out: Vec<Option<usize>> = texts
            .iter()
            .map(|f| {
                if f.len() < MIN_INSIDE {
                    self.whole.get(f.as_str()).copied()
                } else {
                    None
                }
            })
            .collect();
        // Each distinct long text once, with the places that ask for it.
        let mut wanted: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for (i, f) in texts.iter().enumerate() {
            if f.len() >= MIN_INSIDE {
                wanted.entry(f.as_str()).or_default().push(i);
            }
        }
        let (patterns, askers): (Vec<&str>, Vec<Vec<usize>>) = wanted.into_iter().unzip();
        let Ok(ac) = aho_corasick::AhoCorasick::new(&patterns) else {
            return out;
        };
        let mut left = patterns.len();
        let mut seen = vec![false; patterns.len()];
        for m in ac.find_overlapping_iter(&self.all) {
            let p = m.pattern().as_usize();
            if std::mem::replace(&mut seen[p], true) {
                continue;
            }
            let block = self.starts.partition_point(|&s| s <= m.start()) - 1;
            for &i in &askers[p] {
                out[i] = Some(block);
            }
            left -= 1;
            if left == 0 {
                break;
            }
        }
        out
    }
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

    fn block(text: &str) -> MarkedBlock {
        MarkedBlock {
            text: text.into(),
            ..Default::default()
        }
    }

    fn texts(blocks: &[MarkedBlock]) -> Vec<(&str, bool)> {
        blocks.iter().map(|b| (b.text.as_str(), b.judged)).collect()
    }

    #[test]
    fn merge_keeps_agreement_judges_the_rest_and_leaves_out_what_precedes_the_article() {
        let readability = vec![
            block("Headline"),
            block("First paragraph."),
            block("Second paragraph."),
            block("Share this"),
        ];
        let trafilatura = vec![
            block("Menu Home News"),
            // Spacing and punctuation differ: still the same block.
            block("First  paragraph"),
            block("A paragraph Readability dropped."),
            block("Second paragraph."),
            block("Related: other stories"),
        ];
        assert_eq!(
            texts(&merge(readability, trafilatura)),
            [
                ("Headline", true),
                ("First paragraph.", false),
                ("A paragraph Readability dropped.", true),
                ("Second paragraph.", false),
                ("Related: other stories", true),
                ("Share this", true),
            ]
        );
    }

    #[test]
    fn merge_of_a_block_split_by_one_extractor() {
        // trafilatura splits at a <br> that Readability kept in one block.
        let one = "The first line of the paragraph.";
        let two = "And the second line of it, after a break.";
        let whole = format!("{one} {two}");
        let (r, t) = (vec![block(&whole)], vec![block(one), block(two)]);
        assert_eq!(texts(&merge(r, t)), [(whole.as_str(), false)]);
        // The other way round: each half lies inside the other's text.
        let (r, t) = (vec![block(one), block(two)], vec![block(&whole)]);
        assert_eq!(texts(&merge(r, t)), [(one, false), (two, false)]);
        // A short block agrees only with a whole block of the other.
        let (r, t) = (
            vec![block(&whole), block("Share")],
            vec![block(&whole), block("Share it")],
        );
        assert_eq!(
            texts(&merge(r, t)),
            [(whole.as_str(), false), ("Share it", true), ("Share", true)]
        );
    }

    #[test]
    fn merge_with_one_extractor_empty() {
        let blocks = vec![block("One."), block("Two.")];
        assert_eq!(
            texts(&merge(blocks.clone(), Vec::new())),
            [("One.", false), ("Two.", false)]
        );
        assert_eq!(texts(&merge(Vec::new(), blocks)), [("One.", true), ("Two.", true)]);
    }

    #[test]
    fn sentinels_in_the_page_are_not_marks() {
        let (o, c) = (OPEN, CLOSE);
        let body = format!("<p>Kim Jong Un is expected to meet Vladimir Putin in Russia{o} this month{c}, officials in Washington said on Monday.</p>").repeat(3);
        let ex = extract(&format!("<html><body><article>{body}</article></body></html>")).unwrap();
        assert!(ex.blocks.iter().all(|b| b.marks.is_empty() && !b.text.contains(o)));
    }
}
