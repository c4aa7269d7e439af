//! Which language a document is written in, and what cleaning needs to
//! know of it: its stop words (jusText's measure of running prose) and
//! whether it writes spaces between words.
//!
//! The language comes from, in order: the caller (`--language`), the
//! page's own `lang` attribute, and otherwise `whatlang`'s detector on the
//! text. Stop words come from the `stop-words` crate: the NLTK list where
//! NLTK has one (close in size to jusText's lists, for which the density
//! thresholds were set), else the Stopwords-ISO list. English keeps hark's
//! own list (`data/stopwords_en.txt`), on which the thresholds were set.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// ISO 639-3 (whatlang) → the BCP 47 primary tag (ISO 639-1 where there is one).
const CODES: &[(whatlang::Lang, &str)] = {
    use whatlang::Lang::*;
    &[
        (Epo, "eo"),
        (Eng, "en"),
        (Rus, "ru"),
        (Cmn, "zh"),
        (Spa, "es"),
        (Por, "pt"),
        (Ita, "it"),
        (Ben, "bn"),
        (Fra, "fr"),
        (Deu, "de"),
        (Ukr, "uk"),
        (Kat, "ka"),
        (Ara, "ar"),
        (Hin, "hi"),
        (Jpn, "ja"),
        (Heb, "he"),
        (Yid, "yi"),
        (Pol, "pl"),
        (Amh, "am"),
        (Jav, "jv"),
        (Kor, "ko"),
        (Nob, "nb"),
        (Dan, "da"),
        (Swe, "sv"),
        (Fin, "fi"),
        (Tur, "tr"),
        (Nld, "nl"),
        (Hun, "hu"),
        (Ces, "cs"),
        (Ell, "el"),
        (Bul, "bg"),
        (Bel, "be"),
        (Mar, "mr"),
        (Kan, "kn"),
        (Ron, "ro"),
        (Slv, "sl"),
        (Hrv, "hr"),
        (Srp, "sr"),
        (Mkd, "mk"),
        (Lit, "lt"),
        (Lav, "lv"),
        (Est, "et"),
        (Tam, "ta"),
        (Vie, "vi"),
        (Urd, "ur"),
        (Tha, "th"),
        (Guj, "gu"),
        (Uzb, "uz"),
        (Pan, "pa"),
        (Aze, "az"),
        (Ind, "id"),
        (Tel, "te"),
        (Pes, "fa"),
        (Mal, "ml"),
        (Ori, "or"),
        (Mya, "my"),
        (Nep, "ne"),
        (Sin, "si"),
        (Khm, "km"),
        (Tuk, "tk"),
        (Aka, "ak"),
        (Zul, "zu"),
        (Sna, "sn"),
        (Afr, "af"),
        (Lat, "la"),
        (Slk, "sk"),
        (Cat, "ca"),
        (Tgl, "tl"),
        (Hye, "hy"),
        (Cym, "cy"),
    ]
};

/// Languages written without spaces between words: prose is measured in
/// characters there, not in words.
const UNSPACED: &[&str] = &["zh", "ja", "th", "km", "my", "lo"];

/// The primary subtag of a language tag, lower-cased: `de-AT` → `de`,
/// `en_US` → `en`, `zh-Hant` → `zh`. None for an empty or odd tag.
pub(crate) fn primary(tag: &str) -> Option<String> {
    let p = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())).then_some(p)
}

/// The language of `text` by the detector, when it is sure enough. Up to
/// 1 KiB of the text is read (from its middle, where the article is).
pub(crate) fn detect(text: &str) -> Option<&'static str> {
    let mut start = (text.len() / 2).saturating_sub(512);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let text = &text[start..];
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    // Short texts are often unreliable by whatlang's own test; the script
    // still narrows it, and a confident guess is kept.
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    CODES.iter().find(|(l, _)| *l == info.lang()).map(|(_, c)| *c)
}

/// Whether the language writes spaces between words.
pub(crate) fn spaced(code: &str) -> bool {
    !UNSPACED.contains(&code)
}

/// The stop words of a language (lower case); English when hark has none
/// for it.
pub(crate) fn stopwords(code: &str) -> &'static HashSet<&'static str> {
    static EN: OnceLock<HashSet<&'static str>> = OnceLock::new();
    static OTHERS: OnceLock<Mutex<HashMap<String, &'static HashSet<&'static str>>>> = OnceLock::new();
    let en = || {
        EN.get_or_init(|| {
            include_str!("data/stopwords_en.txt")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .collect()
        })
    };
    if code == "en" {
        return en();
    }
    let others = OTHERS.get_or_init(Default::default);
    let mut map = others.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(set) = map.get(code) {
        return set;
    }
    let Some(words) = stop_words::lookup(code) else {
        return en();
    };
    // Leaked once per language: the sets live as long as the process.
    let set: &'static HashSet<&'static str> = Box::leak(Box::new(words.iter().copied().collect()));
    map.insert(code.to_string(), set);
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_news_languages() {
        let cases = [
            ("en", "The council voted on Tuesday to approve a new budget for the schools of the city, officials said."),
            ("de", "Der Stadtrat hat am Dienstag einen neuen Haushalt für die Schulen der Stadt beschlossen, teilte die Verwaltung mit."),
            ("fr", "Le conseil municipal a voté mardi un nouveau budget pour les écoles de la ville, ont indiqué les responsables."),
            ("es", "El ayuntamiento aprobó el martes un nuevo presupuesto para las escuelas de la ciudad, informaron los responsables."),
            ("it", "Il consiglio comunale ha approvato martedì un nuovo bilancio per le scuole della città, hanno detto i funzionari."),
            ("pt", "A câmara municipal aprovou na terça-feira um novo orçamento para as escolas da cidade, disseram as autoridades."),
            ("ru", "Городской совет во вторник утвердил новый бюджет для школ города, сообщили чиновники."),
        ];
        for (code, text) in cases {
            assert_eq!(detect(text), Some(code), "{text}");
        }
        assert_eq!(detect("ok"), None);
    }

    #[test]
    fn stop_words_for_every_detected_language() {
        for (_, code) in CODES {
            assert!(!stopwords(code).is_empty(), "{code}");
        }
        assert!(stopwords("de").contains("und") && stopwords("fr").contains("les"));
        assert!(stopwords("en").contains("the"));
        assert_eq!(primary("de-AT").as_deref(), Some("de"));
        assert_eq!(primary("en_US").as_deref(), Some("en"));
        assert_eq!(primary("x"), None);
    }
}
