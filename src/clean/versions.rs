//! Versions of the same story among many documents: MinHash signatures
//! over each document's content words, so that the articles of a batch
//! that tell the same story can serve the de-spinner as each other's
//! references (`--cross-reference`).
//!
//! Outlets that report one event share its names, places, figures and
//! some of its wording, not its sentences: their content-word sets
//! overlap by 10–25% (Jaccard), where two unrelated news texts overlap by
//! a few percent. A signature keeps, for each of [`HASHES`] hash functions,
//! the smallest hash of any of the document's content words; the share of
//! equal entries in two signatures estimates their sets' Jaccard
//! similarity (Broder 1997) whatever the documents' lengths, in
//! `HASHES` comparisons. A pair that is wrongly taken for versions costs
//! alignment time only: the de-spinner proposes a reference's wording only
//! where a sentence of it is a near-duplicate of the document's, and keeps
//! it only where the tables or the model confirm it.

use super::language;

/// Hash functions per signature: the estimate's standard error is
/// √(J(1−J)/256), 0.02 at J = 0.1.
pub const HASHES: usize = 256;

/// The estimated Jaccard similarity of content words from which two
/// documents are taken for versions of one story. Set on the seed
/// articles (five versions of one story: 0.11–0.23 pairwise, measured
/// exactly); see README for how it sorts the 181 benchmark bodies.
pub const SAME_STORY: f32 = 0.08;

/// The most references one document is given (the most similar), to bound
/// the cost of aligning it.
pub const MAX_VERSIONS: usize = 4;

/// English words at least this frequent in general English (Zipf scale,
/// wordfreq: 4.5 is about 30 per million words) are left out of a
/// signature.
const COMMON_ZIPF: f32 = 4.5;

/// Fewest content words for a signature: below this a document is too
/// short to say what story it tells.
const MIN_WORDS: usize = 10;

/// A document's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    mins: Vec<u64>,
}

/// SplitMix64's finalizer: a fast, well-mixed 64-bit permutation.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a over a word's bytes: stable across runs and platforms.
fn word_hash(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Signature {
    /// The signature of `text` in language `lang` (a primary subtag; its
    /// stop words are left out, with words of fewer than three letters
    /// that are not numbers). None when the text has fewer than 10
    /// distinct content words.
    pub fn of(text: &str, lang: &str) -> Option<Signature> {
        let stop = language::stopwords(lang);
        // In English, words as common as "market" or "officials" say
        // little of which story a text tells: only rarer ones count.
        let tables = (lang == "en").then(super::despin::Tables::embedded);
        let common = |w: &str| tables.is_some_and(|t| t.zipf(w).is_some_and(|z| z >= COMMON_ZIPF));
        let mut words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .filter(|w| {
                let number = w.chars().all(|c| c.is_numeric());
                (number || w.chars().count() >= 3) && !stop.contains(w.as_str()) && !common(w)
            })
            .map(|w| word_hash(&w))
            .collect();
        words.sort_unstable();
        words.dedup();
        if words.len() < MIN_WORDS {
            return None;
        }
        let mins = (0..HASHES as u64)
            .map(|i| {
                let seed = mix(i.wrapping_add(0x9e37_79b9_7f4a_7c15));
                words.iter().map(|&h| mix(h ^ seed)).min().unwrap_or(u64::MAX)
            })
            .collect();
        Some(Signature { mins })
    }

    /// The estimated Jaccard similarity of the two documents' content
    /// words, 0 to 1.
    pub fn similarity(&self, other: &Signature) -> f32 {
        let same = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        same as f32 / HASHES as f32
    }
}

/// For each document (clean text, language), the indices of the others
/// that tell the same story, most similar first, at most
/// [`MAX_VERSIONS`]. Two documents whose similarity reaches
/// [`SAME_STORY`] tell the same story, and so do two that each tell the
/// story of a third (single linkage: outlet A may share little with outlet
/// C when both share much with B). Documents compare in pairs: n² / 2
/// comparisons of two signatures.
pub fn versions(docs: &[(&str, &str)]) -> Vec<Vec<usize>> {
    let sigs: Vec<Option<Signature>> = docs.iter().map(|(t, l)| Signature::of(t, l)).collect();
    let n = docs.len();
    let mut sim = vec![0f32; n * n];
    let mut story: Vec<usize> = (0..n).collect();
    fn root(story: &mut [usize], mut i: usize) -> usize {
        while story[i] != i {
            story[i] = story[story[i]];
            i = story[i];
        }
        i
    }
    for i in 0..n {
        let Some(a) = &sigs[i] else { continue };
        for j in i + 1..n {
            let Some(b) = &sigs[j] else { continue };
            let s = a.similarity(b);
            sim[i * n + j] = s;
            sim[j * n + i] = s;
            if s >= SAME_STORY {
                let (ri, rj) = (root(&mut story, i), root(&mut story, j));
                story[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let roots: Vec<usize> = (0..n).map(|i| root(&mut story, i)).collect();
    (0..n)
        .map(|i| {
            let mut near: Vec<usize> = (0..n).filter(|&j| j != i && roots[j] == roots[i]).collect();
            near.sort_by(|&x, &y| sim[i * n + y].total_cmp(&sim[i * n + x]).then(x.cmp(&y)));
            near.truncate(MAX_VERSIONS);
            near
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(prefix: &str, n: usize) -> String {
        (0..n).map(|i| format!("{prefix}{i}word")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_estimate_follows_the_overlap() {
        // 60 shared words of 100 in each: Jaccard 60 / 140 = 0.43.
        let a = format!("{} {}", words("shared", 60), words("left", 40));
        let b = format!("{} {}", words("shared", 60), words("right", 40));
        let (sa, sb) = (Signature::of(&a, "en").unwrap(), Signature::of(&b, "en").unwrap());
        let s = sa.similarity(&sb);
        assert!((s - 0.43).abs() < 0.12, "{s}");
        assert_eq!(sa.similarity(&sa), 1.0);
        let c = words("other", 100);
        assert!(sa.similarity(&Signature::of(&c, "en").unwrap()) < 0.05);
    }

    #[test]
    fn stop_words_and_short_texts_do_not_count() {
        assert!(Signature::of("the and of to in a is it that was", "en").is_none());
        let a = format!("{} the of and to in with for", words("x", 30));
        let b = format!("{} the of and to in with for", words("y", 30));
        let s = Signature::of(&a, "en")
            .unwrap()
            .similarity(&Signature::of(&b, "en").unwrap());
        assert!(s < 0.05, "{s}");
    }

    #[test]
    fn versions_pair_the_story_and_leave_the_rest() {
        let story = words("story", 50);
        let a = format!("{story} {}", words("a", 30));
        let b = format!("{story} {}", words("b", 40));
        let c = words("c", 80);
        let v = versions(&[(&a, "en"), (&b, "en"), (&c, "en"), ("too short", "en")]);
        assert_eq!(v, vec![vec![1], vec![0], vec![], vec![]]);
        // d shares the story with b only, yet tells a's story too.
        let d = format!("{} {}", words("b", 40), words("d", 30));
        let v = versions(&[(&a, "en"), (&b, "en"), (&d, "en")]);
        assert_eq!(v, vec![vec![1, 2], vec![0, 2], vec![1, 0]]);
    }
}
