//! The language model's own repairs (feature `lm`, issue 17 item 3), in
//! aggressive mode: the model reads every sentence that holds a place the
//! tables find out of place (words never seen next to a neighbour in clean
//! text), and says at each such word how likely it was and what it
//! expected there. A word is a candidate for repair where a word linked
//! to it by the thesaurus (same synonym line), in either direction, is
//! among the model's likeliest there and much likelier than the word
//! written:
//!
//! - *forward*: the reverse thesaurus's originals for the observed word or
//!   two-word phrase (words a spinner could have replaced by it);
//! - *backward*: the model's own likeliest words at that place whose
//!   reverse-thesaurus entry holds the observed word (the spinner's swap,
//!   seen from the original's side; the thesaurus keeps 16 originals per
//!   word, so this finds links the forward entry lost).
//!
//! The best two per place are then scored as whole sentences, all of a
//! document in one batch, and a candidate stands only when the sentence
//! gains [`PROPOSE_GAIN`] nats. Measured on seed 000 (`tests/despin.rs`):
//! one more gold phrase than the tables with the model's veto ("satisfy"
//! → "meet"), none made wrong, at 3.5 times the cost; so safe mode does
//! without it.

use super::{light, match_case, tokenize, Edit, Evidence, ModelVerdict, Tables, BOUNDARY};
use crate::clean::lm::LanguageModel;

/// The gain (nats) a sentence needs with the model's candidate: a
/// factor of 20 in likelihood, set a priori, above the references' 2 nats
/// (a reference is evidence of its own; a thesaurus neighbour is not).
pub(crate) const PROPOSE_GAIN: f32 = 3.0;

/// How much likelier (nats) a candidate's first token must be than the
/// written word's first token, at the word's place, to be scored at all.
const LEAD: f32 = 2.0;

/// How many of the model's likeliest words at a place are looked up
/// (backward direction).
const TOP: usize = 50;

/// The weakest thesaurus link proposed: 1, the same synonym line. Related
/// terms (2) and two steps (3) read well to the model in place of almost
/// any word ("trick" → "play", "settlements" → "organizations").
const MAX_LINK: u8 = 1;

/// Candidates scored as whole sentences, per place.
const PER_PLACE: usize = 2;

/// A candidate for one place of a sentence.
struct Variant {
    /// Byte range in the sentence.
    range: std::ops::Range<usize>,
    before: String,
    after: String,
    link: u8,
    source: &'static str,
}

/// A place of a sentence the model is asked about.
struct Place {
    range: std::ops::Range<usize>,
    phrase: String,
}

/// One paragraph for [`propose`]: its text as the tables left it, the
/// byte ranges they repaired, and those they find out of place.
pub(crate) struct Paragraph<'a> {
    pub text: &'a str,
    pub taken: Vec<std::ops::Range<usize>>,
    pub suspects: Vec<std::ops::Range<usize>>,
}

/// The model's repairs of a document's paragraphs, as edits of each
/// paragraph's text: at places that overlap its suspects and not what is
/// taken. Two batched passes for the whole document: one reads the
/// sentences that hold a suspect, one scores the candidates.
pub(crate) fn propose(
    paragraphs: &[Paragraph<'_>],
    tables: &Tables,
    model: &LanguageModel,
    proven: bool,
) -> crate::Result<Vec<Vec<Edit>>> {
    let stop = crate::clean::language::stopwords("en");
    // Sentences with places to look at: (paragraph, base offset, context, sentence, places).
    let mut read: Vec<(usize, usize, &str, &str, Vec<Place>)> = Vec::new();
    for (pi, para) in paragraphs.iter().enumerate() {
        let text = para.text;
        let spans = crate::segment::sentence_spans(text);
        for (k, span) in spans.iter().enumerate() {
            let raw = &text[span.clone()];
            let base = span.start + (raw.len() - raw.trim_start().len());
            let sentence = raw.trim();
            if sentence.split_whitespace().count() < 4 {
                continue;
            }
            let toks = tokenize(sentence, tables);
            let mut places = Vec::new();
            for i in 1..toks.len() {
                for len in 1..=2 {
                    if i + len > toks.len() || toks[i..i + len].iter().any(|t| t.text == BOUNDARY) {
                        continue;
                    }
                    let range = toks[i].range.start..toks[i + len - 1].range.end;
                    let abs = base + range.start..base + range.end;
                    let meets =
                        |rs: &[std::ops::Range<usize>]| rs.iter().any(|r| r.start < abs.end && abs.start < r.end);
                    if !meets(&para.suspects) || meets(&para.taken) || !plain(&sentence[range.clone()]) {
                        continue;
                    }
                    let phrase: String = toks[i..i + len]
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    if len == 1 && light(&phrase, stop) {
                        continue;
                    }
                    places.push(Place { range, phrase });
                }
            }
            if !places.is_empty() {
                let context = if k > 0 { text[spans[k - 1].clone()].trim() } else { "" };
                read.push((pi, base, context, sentence, places));
            }
        }
    }
    let mut out: Vec<Vec<Edit>> = vec![Vec::new(); paragraphs.len()];
    if read.is_empty() {
        return Ok(out);
    }
    let items: Vec<(&str, &str)> = read.iter().map(|(_, _, c, s, _)| (*c, *s)).collect();
    let all_preds = model.predictions(&items)?;
    // Candidates of every sentence: (sentence index, variant).
    let mut variants: Vec<(usize, Variant)> = Vec::new();
    for (si, ((_, _, _, sentence, places), p)) in read.iter().zip(&all_preds).enumerate() {
        for place in places {
            let Some(t) = p.token_at(place.range.start) else {
                continue;
            };
            let written = &sentence[place.range.clone()];
            let written_lp = p.rows[t][p.ids[t] as usize];
            let top = p.top(t, TOP);
            // The model must itself expect the candidate here: among its
            // TOP likeliest words at the place, and LEAD nats likelier than
            // the word written.
            let floor = top.last().map_or(f32::INFINITY, |x| x.1).max(written_lp + LEAD);
            let mut seen = std::collections::HashSet::new();
            let mut cands: Vec<(f32, String, u8, &'static str)> = Vec::new();
            for (c, link) in tables.thesaurus_entry(&place.phrase) {
                if link <= MAX_LINK && usable(c, &place.phrase, stop) && seen.insert(c.to_string()) {
                    if let Some(id) = model.first_token(c)? {
                        cands.push((p.rows[t][id as usize], c.to_string(), link, "thesaurus"));
                    }
                }
            }
            if !place.phrase.contains(' ') {
                for &(id, lp) in top.iter().take_while(|(_, lp)| *lp >= floor) {
                    let Some(word) = model.word_piece(id).map(|w| w.to_lowercase()) else {
                        continue;
                    };
                    if !word.bytes().all(|b| b.is_ascii_lowercase()) || seen.contains(&word) {
                        continue;
                    }
                    let back = tables.thesaurus_entry(&word);
                    if let Some(&(_, link)) = back.iter().find(|(o, l)| *o == place.phrase && *l <= MAX_LINK) {
                        if usable(&word, &place.phrase, stop) {
                            seen.insert(word.clone());
                            cands.push((lp, word, link, "model"));
                        }
                    }
                }
            }
            cands.retain(|(lp, ..)| *lp >= floor);
            cands.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (_, c, link, source) in cands.into_iter().take(PER_PLACE) {
                variants.push((
                    si,
                    Variant {
                        range: place.range.clone(),
                        before: written.to_string(),
                        after: match_case(written, &c),
                        link,
                        source,
                    },
                ));
            }
        }
    }
    if variants.is_empty() {
        return Ok(out);
    }
    // The sentences as written were scored by the first pass, with the
    // same context and tokens; the variants now, all in one batch.
    let texts: Vec<String> = variants
        .iter()
        .map(|(si, v)| {
            let s = read[*si].3;
            format!("{}{}{}", &s[..v.range.start], v.after, &s[v.range.end..])
        })
        .collect();
    let items: Vec<(&str, &str)> = variants
        .iter()
        .zip(&texts)
        .map(|((si, _), t)| (read[*si].2, t.as_str()))
        .collect();
    let repaired = model.score_many(&items)?;
    let mut asked: Vec<usize> = variants.iter().map(|(si, _)| *si).collect();
    asked.dedup();
    for &si in &asked {
        let p = &all_preds[si];
        let observed: f32 = p.rows.iter().zip(&p.ids).map(|(row, &id)| row[id as usize]).sum();
        let mut kept: Vec<(f32, &Variant)> = variants
            .iter()
            .zip(&repaired)
            .filter(|((s, _), _)| *s == si)
            .map(|((_, v), r)| (r - observed, v))
            .collect();
        kept.retain(|(g, _)| *g >= PROPOSE_GAIN);
        kept.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut chosen: Vec<(f32, &Variant)> = Vec::new();
        for (g, v) in kept {
            if chosen
                .iter()
                .all(|(_, c)| v.range.end <= c.range.start || c.range.end <= v.range.start)
            {
                chosen.push((g, v));
            }
        }
        let (pi, base) = (read[si].0, read[si].1);
        for (gain, v) in chosen {
            out[pi].push(Edit {
                evidence: Evidence {
                    rule: "language-model",
                    source: Some(v.source),
                    link: Some(v.link),
                    gain: Some(gain),
                    needed: Some(PROPOSE_GAIN),
                    observed: None,
                    candidate: None,
                    proven_spun: proven,
                    model: Some(ModelVerdict {
                        name: model.name().to_string(),
                        observed,
                        repaired: observed + gain,
                        needed: PROPOSE_GAIN,
                    }),
                    reference: None,
                    note: format!(
                        "{}the language model finds \"{}\" unlikely here and \"{}\" ({}, link {}) likelier: the sentence gains {gain:+.1} nats (needs {PROPOSE_GAIN})",
                        if proven { "document proven spun; " } else { "" },
                        v.before,
                        v.after,
                        if v.source == "model" {
                            "its own prediction, a thesaurus neighbour"
                        } else {
                            "thesaurus"
                        },
                        v.link
                    ),
                },
                confidence: (1.0 - (-(gain - PROPOSE_GAIN + 1.0)).exp() * 0.5).clamp(0.5, 0.99),
                range: base + v.range.start..base + v.range.end,
                before: v.before.clone(),
                after: v.after.clone(),
                gain,
                need: PROPOSE_GAIN,
            });
        }
    }
    for edits in &mut out {
        edits.sort_by_key(|e| e.range.start);
    }
    Ok(out)
}

/// A word or phrase that may be repaired: lower-case letters only. Names
/// and numbers stay, and so does a sentence's capitalised first word,
/// which is too often a name to tell without more than the model.
fn plain(written: &str) -> bool {
    written
        .chars()
        .all(|c| c.is_lowercase() || c == ' ' || c == '\'' || c == '\u{2019}' || c == '-')
}

/// A candidate the model may propose for `phrase`: a different word or
/// words, not only function words or light verbs.
fn usable(c: &str, phrase: &str, stop: &std::collections::HashSet<&str>) -> bool {
    c != phrase
        && !c.is_empty()
        && !light(c, stop)
        && c.bytes().all(|b| b.is_ascii_lowercase() || b == b' ' || b == b'-')
}
