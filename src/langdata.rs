//! Language data embedded from `voices/lang/<lang>/` at build time: the
//! tables of each language (months, weekdays, number words…), shared by
//! cleaning (date lines) and the speech front end (normalization).

mod generated {
    include!(concat!(env!("OUT_DIR"), "/lang_gen.rs"));
}

/// The contents of `voices/lang/<lang>/<file>`, if hark has it.
pub(crate) fn file(lang: &str, name: &str) -> Option<&'static str> {
    generated::LANG_FILES
        .iter()
        .find(|(l, f, _)| *l == lang && *f == name)
        .map(|(_, _, text)| *text)
}

/// The rows of a tab-separated table (comments and blank lines skipped).
pub(crate) fn rows(lang: &str, name: &str) -> impl Iterator<Item = Vec<&'static str>> {
    file(lang, name)
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}
