//! The JSON that hark writes for scripts, schema 1.
//!
//! Every `--json` output is NDJSON: one JSON object per line, one line per
//! input (or per voice, per text), each with `"schema": 1` and a `"type"`
//! (`article`, `selection`, `sentences`, `normalized`, `export`, `voice`,
//! `error`). Numbers that users see (sentences, paragraphs, passages,
//! blocks) are 1-based; byte offsets (`start`, `end`) are 0-based offsets
//! into the clean text, end exclusive. The README documents each record.
//!
//! ```
//! let a = hark::Article::from_bytes("t", b"First sentence here. Second one.", &Default::default())?;
//! let v = hark::json::article(&a);
//! assert_eq!(v["schema"], 1);
//! assert_eq!(v["paragraphs"][0]["number"], 1);
//! let sel = a.select(&[hark::segment::Selector::Sentences(hark::segment::parse_ranges("2")?)])?;
//! assert_eq!(hark::json::selection(&a, &sel)["passages"][0]["sentences"][0], 2);
//! # Ok::<(), hark::Error>(())
//! ```

use crate::article::Article;
use crate::error::Error;
use crate::export::Manifest;
use crate::frontend::Normalized;
use crate::segment::Selection;
use crate::speech::Voice;
use serde_json::{json, Value};

/// The schema version every record carries.
pub const SCHEMA: u32 = 1;

fn record(kind: &str, mut fields: Value) -> Value {
    let mut out = json!({ "schema": SCHEMA, "type": kind });
    if let (Some(o), Some(f)) = (out.as_object_mut(), fields.as_object_mut()) {
        o.append(f);
    }
    out
}

/// `hark clean --json`: the clean article and what was changed to get it.
pub fn article(a: &Article) -> Value {
    let doc = a.document();
    let text = doc.text();
    record(
        "article",
        json!({
            "source": a.source(),
            "format": a.format(),
            "encoding": a.encoding(),
            "language": a.language(),
            "title": doc.meta.title,
            "byline": doc.meta.byline,
            "date": doc.meta.date,
            "paragraphs": doc.paragraphs.iter().map(|p| json!({
                "number": p.index + 1,
                "text": p.text,
                "start": p.span.start,
                "end": p.span.end,
            })).collect::<Vec<_>>(),
            "sentences": a.sentences().len(),
            "marks": doc.marks.iter().map(|r| json!({
                "start": r.start,
                "end": r.end,
                "text": text[r.clone()],
            })).collect::<Vec<_>>(),
            "removed": a.removed(),
            "repairs": a.repairs().iter().map(|r| json!({
                "before": r.before,
                "after": r.after,
                "start": r.span.start,
                "end": r.span.end,
                "confidence": r.confidence,
                "evidence": r.evidence,
            })).collect::<Vec<_>>(),
            "spin": a.spin(),
            "warnings": a.warnings().iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        }),
    )
}

/// `hark select --json`: the passages chosen.
pub fn selection(a: &Article, s: &Selection) -> Value {
    record(
        "selection",
        json!({
            "source": a.source(),
            "passages": s.passages.iter().enumerate().map(|(i, p)| json!({
                "number": i + 1,
                "sentences": p.sentences.iter().map(|s| s + 1).collect::<Vec<_>>(),
                "start": p.span.start,
                "end": p.span.end,
                "text": p.text,
            })).collect::<Vec<_>>(),
        }),
    )
}

/// `hark split --json`: the sentences of a text as given.
pub fn sentences(source: &str, sentences: &[String]) -> Value {
    record(
        "sentences",
        json!({
            "source": source,
            "sentences": sentences.iter().enumerate().map(|(i, s)| json!({"number": i + 1, "text": s})).collect::<Vec<_>>(),
        }),
    )
}

/// `hark normalize --json`: the spoken text and each token's class.
pub fn normalized(n: &Normalized) -> Value {
    record("normalized", json!({ "spoken": n.spoken, "tokens": n.tokens }))
}

/// `hark export --json` (and `speak -o --json`): the files written.
pub fn manifest(m: &Manifest) -> Value {
    record(
        "export",
        json!({
            "source": m.input,
            "language": m.language,
            "voice": m.voice,
            "engine": m.engine,
            "sample_rate": m.sample_rate,
            "format": m.format,
            "duration": m.duration(),
            "up_to_date": m.up_to_date,
            "removed": m.removed,
            "skipped": m.skipped.iter().map(|s| s + 1).collect::<Vec<_>>(),
            "outputs": m.outputs.iter().map(|o| json!({
                "path": o.path,
                "subtitles": o.subtitles,
                "duration": o.duration,
                "samples": o.samples,
                "sentences": o.sentences.iter().map(|s| json!({
                    "number": s.sentence + 1,
                    "paragraph": s.paragraph + 1,
                    "passage": s.passage + 1,
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    )
}

/// `hark voices --json`: one voice, whether this build can use it, and why
/// not.
pub fn voice(v: &Voice, available: bool, note: Option<&str>) -> Value {
    record(
        "voice",
        json!({
            "name": v.name,
            "aliases": v.aliases,
            "language": v.language,
            "engine": v.engine.name(),
            "description": v.description,
            "sample_rate": v.sample_rate,
            "origin": v.origin,
            "available": available,
            "note": note,
        }),
    )
}

/// A failure, for the input it concerns.
pub fn error(e: &Error) -> Value {
    record(
        "error",
        json!({
            "source": e.input(),
            "error": { "kind": e.kind(), "message": e.to_string() },
        }),
    )
}
