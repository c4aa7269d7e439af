//! Phonemes for the neural voices: espeak-ng's IPA, clause by clause, with
//! the clause punctuation kept, as Piper and Kokoro were trained on
//! (piper-phonemize's conventions).
//!
//! espeak-ng keeps global state (the loaded language), so every call goes
//! through one lock. Linked from the system's libespeak-ng (feature
//! `neural`; espeak-ng is GPL-3.0-or-later).

use crate::error::{Error, Result};
use espeakng_sys as sys;
use std::ffi::{c_void, CStr, CString};
use std::sync::Mutex;

/// The espeak voice loaded now; None until initialized.
static ESPEAK: Mutex<Option<String>> = Mutex::new(None);

/// Clause punctuation that piper-phonemize keeps in the phoneme string.
const CLAUSE_ENDS: [char; 6] = [',', ';', ':', '.', '!', '?'];

fn init_and_select(state: &mut Option<String>, voice: &str) -> Result<()> {
    if state.is_none() {
        // SAFETY: retrieval mode synthesizes nothing; a null path reads the
        // installed espeak-ng-data; DONT_EXIT keeps a missing data
        // directory from ending the process.
        let rate = unsafe {
            sys::espeak_Initialize(
                sys::espeak_AUDIO_OUTPUT_AUDIO_OUTPUT_RETRIEVAL,
                0,
                std::ptr::null(),
                0x8000,
            )
        };
        if rate <= 0 {
            return Err(Error::engine(
                "espeak-ng",
                "could not initialize (is espeak-ng-data installed? Debian: apt install espeak-ng-data)",
            ));
        }
        *state = Some(String::new());
    }
    if state.as_deref() != Some(voice) {
        // By voice file name: "en-us" is gmw/en-US, but French is roa/fr
        // (language fr-fr), so a tag espeak does not know as a file is
        // tried by its language alone.
        let select = |v: &str| -> Result<bool> {
            let name = CString::new(v).map_err(|_| Error::engine("espeak-ng", "voice name holds a NUL"))?;
            // SAFETY: name is a valid C string for the call's duration.
            Ok(unsafe { sys::espeak_SetVoiceByName(name.as_ptr()) } == sys::espeak_ERROR_EE_OK)
        };
        let primary = voice.split('-').next().unwrap_or(voice);
        if !select(voice)? && (primary == voice || !select(primary)?) {
            return Err(Error::engine(
                "espeak-ng",
                format!("espeak-ng has no voice '{voice}' (espeak-ng --voices lists them)"),
            ));
        }
        *state = Some(voice.to_string());
    }
    Ok(())
}

/// The IPA of one clause without its punctuation.
fn clause_ipa(text: &str) -> String {
    let Ok(c) = CString::new(text) else {
        return String::new();
    };
    let mut ptr: *const c_void = c.as_ptr().cast();
    let mut parts = Vec::new();
    while !ptr.is_null() {
        // SAFETY: ptr points into `c` (or is set to null by espeak at the
        // end); the returned string is espeak's static buffer, copied at once.
        let out = unsafe { sys::espeak_TextToPhonemes(&mut ptr, sys::espeakCHARS_UTF8 as i32, 0x02) };
        if out.is_null() {
            break;
        }
        // SAFETY: espeak returns a NUL-terminated string.
        let s = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
        let s = s.trim();
        if !s.is_empty() {
            parts.push(strip_language_flags(s));
        }
    }
    parts.join(" ")
}

/// espeak marks words it reads in another language with `(en)` … `(fr)`;
/// the voices were not trained on those marks.
fn strip_language_flags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        match rest[open..].find(')') {
            Some(close)
                if rest[open + 1..open + close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push('(');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Split a sentence into clauses at clause punctuation followed by a space
/// or the end, each with its punctuation mark.
pub(crate) fn clauses(text: &str) -> Vec<(&str, Option<char>)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let at_break = it.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if CLAUSE_ENDS.contains(&c) && at_break {
            let body = text[start..i].trim();
            // In "?!" or "...", the first mark stands for the run.
            if !body.is_empty() {
                out.push((body, Some(c)));
            }
            start = i + c.len_utf8();
        }
    }
    let tail = text[start..].trim();
    if !tail.is_empty() {
        out.push((tail, None));
    }
    out
}

/// espeak-ng's IPA for `text` in espeak voice `voice` (`en-us`, `de`),
/// clause by clause with the punctuation kept: `", "` after a comma, colon
/// or semicolon, the mark alone at a sentence end — what piper-phonemize
/// gives the voices it trains.
pub(crate) fn phonemize(text: &str, voice: &str) -> Result<String> {
    let mut guard = ESPEAK.lock().unwrap_or_else(|p| p.into_inner());
    init_and_select(&mut guard, voice)?;
    let mut out = String::new();
    for (body, punct) in clauses(text) {
        let ipa = clause_ipa(body);
        if ipa.is_empty() {
            continue;
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(&ipa);
        match punct {
            Some(p @ (',' | ';' | ':')) => {
                out.push(p);
                out.push(' ');
            }
            Some(p) => out.push(p),
            None => {}
        }
    }
    Ok(out.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_keep_their_marks() {
        assert_eq!(
            clauses("Well, it rained; then: sun. Really?"),
            vec![
                ("Well", Some(',')),
                ("it rained", Some(';')),
                ("then", Some(':')),
                ("sun", Some('.')),
                ("Really", Some('?'))
            ]
        );
        assert_eq!(clauses("3,000 people came"), vec![("3,000 people came", None)]);
    }

    #[test]
    fn language_flags_are_removed() {
        assert_eq!(strip_language_flags("(fr)bɔ̃ʒˈuʁ(en) ðɛɹ"), "bɔ̃ʒˈuʁ ðɛɹ");
        assert_eq!(strip_language_flags("a (b c"), "a (b c");
    }

    #[test]
    fn english_ipa_with_punctuation() {
        let p = phonemize("Hello world, this is a test.", "en-us").unwrap();
        assert!(p.contains("həlˈoʊ"), "{p}");
        assert!(p.contains(", "), "{p}");
        assert!(p.ends_with('.'), "{p}");
        let de = phonemize("Guten Morgen.", "de").unwrap();
        assert!(de.contains("ɡˈuːtən"), "{de}");
        assert!(phonemize("x", "no-such-voice").is_err());
    }
}
