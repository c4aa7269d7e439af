//! The de-spinner's tables in a compact binary form, read in place.
//!
//! `build.rs` compiles the TSV tables of `src/clean/data/despin/` into one
//! blob (this file is included there with `#[path]`, so writer and reader
//! are the same code); hark then answers every lookup by binary search over
//! sorted arrays inside the blob, with nothing to parse at start-up. Held-out
//! tables for evaluation go through the same [`compile`] at run time.
//!
//! Layout (little-endian): the magic `HKD1`, then sections, each a `u32`
//! count followed by its arrays:
//! words (sorted; a word's id is its index) with their general-English
//! log10 probability and bigram totals; bigram and skip-gram counts keyed by
//! `id_a << 32 | id_b` (sorted); string tables (sorted keys, values) for
//! the thesaurus, the spinner substitutions, the fillers and the
//! attribution verbs; a sorted set of verbs of saying.

#![allow(dead_code)]

/// The source texts of a set of tables.
pub struct Sources<'a> {
    pub vocab: &'a str,
    pub bigrams: &'a str,
    pub skipgrams: &'a str,
    pub thesaurus: &'a str,
    pub spinner: &'a str,
    pub fillers: &'a str,
    pub speech: &'a str,
    pub reporting: &'a str,
}

/// FxHash-style multiplicative hash of bytes (8 at a time).
fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    for &x in chunks.remainder() {
        h = (h.rotate_left(5) ^ x as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    h ^ (h >> 29)
}

fn hash_u64(k: u64) -> u64 {
    let h = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 31)
}

/// An open-addressing index over `n` items: a power-of-two table of item
/// numbers + 1 (0 is empty), filled by linear probing from each item's hash.
fn put_index(out: &mut Vec<u8>, hashes: impl Iterator<Item = u64>, n: usize) {
    let size = (n * 2).next_power_of_two().max(2);
    let mut slots = vec![0u32; size];
    for (i, h) in hashes.enumerate() {
        let mut at = (h as usize) & (size - 1);
        while slots[at] != 0 {
            at = (at + 1) & (size - 1);
        }
        slots[at] = i as u32 + 1;
    }
    put_u32(out, size as u32);
    for v in slots {
        put_u32(out, v);
    }
}

/// The word that stands for a sentence boundary.
pub const BOUNDARY: &str = "|";
const MAGIC: &[u8; 4] = b"HKD1";

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Sorted `(key, value)` string pairs as a table: count, key offsets, key
/// bytes, value offsets, value bytes.
fn put_strings(out: &mut Vec<u8>, mut pairs: Vec<(&str, &str)>) {
    pairs.sort();
    put_u32(out, pairs.len() as u32);
    for col in 0..2 {
        let mut off = 0u32;
        put_u32(out, 0);
        for p in &pairs {
            off += if col == 0 { p.0.len() } else { p.1.len() } as u32;
            put_u32(out, off);
        }
        for p in &pairs {
            out.extend_from_slice(if col == 0 { p.0 } else { p.1 }.as_bytes());
        }
    }
    // Only the first of repeated keys is indexed (the rest follow it).
    let firsts: Vec<(usize, &str)> = pairs
        .iter()
        .enumerate()
        .filter(|(i, p)| *i == 0 || pairs[i - 1].0 != p.0)
        .map(|(i, p)| (i, p.0))
        .collect();
    put_firsts(out, &firsts);
}

/// An index of distinct keys (item numbers are the keys' positions).
fn put_firsts(out: &mut Vec<u8>, firsts: &[(usize, &str)]) {
    let size = (firsts.len() * 2).next_power_of_two().max(2);
    let mut slots = vec![0u32; size];
    for (i, k) in firsts {
        let mut at = (hash_bytes(k.as_bytes()) as usize) & (size - 1);
        while slots[at] != 0 {
            at = (at + 1) & (size - 1);
        }
        slots[at] = *i as u32 + 1;
    }
    put_u32(out, size as u32);
    for v in slots {
        put_u32(out, v);
    }
}

/// Compile the tables.
pub fn compile(s: &Sources) -> Vec<u8> {
    let mut logp: std::collections::BTreeMap<&str, f32> = std::collections::BTreeMap::new();
    for line in s.vocab.lines() {
        if let Some((w, z)) = line.split_once('\t') {
            let z: f32 = z.parse::<f32>().unwrap_or(0.0) / 100.0;
            logp.entry(w).or_insert(z - 9.0);
        }
    }
    logp.insert(BOUNDARY, -1.3);
    let mut pairs: Vec<(bool, &str, &str, u32)> = Vec::new();
    for (table, skip) in [(s.bigrams, false), (s.skipgrams, true)] {
        for line in table.lines() {
            let Some((pair, n)) = line.split_once('\t') else {
                continue;
            };
            let Some((a, b)) = pair.split_once(' ') else { continue };
            logp.entry(a).or_insert(-8.0);
            logp.entry(b).or_insert(-8.0);
            pairs.push((skip, a, b, n.parse().unwrap_or(0)));
        }
    }
    let words: Vec<&str> = logp.keys().copied().collect();
    let id = |w: &str| words.binary_search(&w).map(|i| i as u32).unwrap_or(u32::MAX);
    let mut out = MAGIC.to_vec();
    // words
    put_u32(&mut out, words.len() as u32);
    let mut off = 0u32;
    put_u32(&mut out, 0);
    for w in &words {
        off += w.len() as u32;
        put_u32(&mut out, off);
    }
    for w in &words {
        out.extend_from_slice(w.as_bytes());
    }
    put_index(&mut out, words.iter().map(|w| hash_bytes(w.as_bytes())), words.len());
    for w in &words {
        out.extend_from_slice(&logp[w].to_le_bytes());
    }
    // bigrams and skip-grams, and the bigram totals after each word
    let mut left_total = vec![0u32; words.len()];
    let mut left_types = vec![0u32; words.len()];
    for skip in [false, true] {
        let mut keyed: Vec<(u64, u32)> = pairs
            .iter()
            .filter(|p| p.0 == skip)
            .map(|p| (((id(p.1) as u64) << 32) | id(p.2) as u64, p.3))
            .collect();
        keyed.sort_unstable();
        keyed.dedup_by_key(|k| k.0);
        if !skip {
            for (k, n) in &keyed {
                let a = (k >> 32) as usize;
                left_total[a] += n;
                left_types[a] += 1;
            }
            for v in left_total.iter().chain(&left_types) {
                put_u32(&mut out, *v);
            }
        }
        put_u32(&mut out, keyed.len() as u32);
        for (k, _) in &keyed {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, n) in &keyed {
            put_u32(&mut out, *n);
        }
        put_index(&mut out, keyed.iter().map(|(k, _)| hash_u64(*k)), keyed.len());
    }
    fn two(text: &str) -> Vec<(&str, &str)> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?, f.next()?))
            })
            .collect()
    }
    put_strings(&mut out, two(s.thesaurus));
    put_strings(&mut out, two(s.spinner));
    put_strings(&mut out, two(s.fillers));
    put_strings(&mut out, two(s.reporting));
    put_strings(
        &mut out,
        s.speech.lines().filter(|l| !l.is_empty()).map(|l| (l, "")).collect(),
    );
    out
}

/// The files of a set of tables, by name.
pub const FILES: [&str; 8] = [
    "vocab.tsv",
    "bigrams.tsv",
    "skipgrams.tsv",
    "thesaurus.tsv",
    "spinner.tsv",
    "fillers.tsv",
    "speech.txt",
    "reporting.tsv",
];

/// Compile the tables in `dir` (the files of [`FILES`]); `fillers`, when
/// given, stands in for the directory's own filler list.
pub fn compile_dir(dir: &std::path::Path, fillers: Option<&str>) -> std::io::Result<Vec<u8>> {
    let mut t: Vec<String> = Vec::with_capacity(FILES.len());
    for f in FILES {
        t.push(match (f, fillers) {
            ("fillers.tsv", Some(text)) => text.to_string(),
            _ => std::fs::read_to_string(dir.join(f))?,
        });
    }
    Ok(compile(&Sources {
        vocab: &t[0],
        bigrams: &t[1],
        skipgrams: &t[2],
        thesaurus: &t[3],
        spinner: &t[4],
        fillers: &t[5],
        speech: &t[6],
        reporting: &t[7],
    }))
}

/// A reader over a blob's bytes.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let s = &self.b[self.at.min(self.b.len())..(self.at + n).min(self.b.len())];
        self.at += n;
        s
    }
    fn u32(&mut self) -> u32 {
        let s = self.take(4);
        u32::from_le_bytes(s.try_into().unwrap_or([0; 4]))
    }
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    b.get(i * 4..i * 4 + 4)
        .map_or(0, |s| u32::from_le_bytes(s.try_into().unwrap_or([0; 4])))
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    b.get(i * 8..i * 8 + 8)
        .map_or(0, |s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
}

/// A hash index read from a blob: slots of item number + 1.
#[derive(Clone, Copy)]
struct Index<'a> {
    size: usize,
    slots: &'a [u8],
}

impl<'a> Index<'a> {
    fn read(c: &mut Cursor<'a>) -> Index<'a> {
        let size = c.u32() as usize;
        Index {
            size,
            slots: c.take(4 * size),
        }
    }
    /// The item whose key `is` says yes, probing from `hash`.
    fn find(&self, hash: u64, is: impl Fn(usize) -> bool) -> Option<usize> {
        if self.size == 0 {
            return None;
        }
        let mut at = (hash as usize) & (self.size - 1);
        for _ in 0..self.size {
            let v = u32_at(self.slots, at) as usize;
            if v == 0 {
                return None;
            }
            if is(v - 1) {
                return Some(v - 1);
            }
            at = (at + 1) & (self.size - 1);
        }
        None
    }
}

/// A sorted column of strings in a blob.
#[derive(Clone, Copy)]
struct Column<'a> {
    n: usize,
    offsets: &'a [u8],
    bytes: &'a [u8],
}

impl<'a> Column<'a> {
    fn read(c: &mut Cursor<'a>, n: usize) -> Column<'a> {
        let offsets = c.take(4 * (n + 1));
        let len = u32_at(offsets, n) as usize;
        Column {
            n,
            offsets,
            bytes: c.take(len),
        }
    }
    fn bytes(&self, i: usize) -> &'a [u8] {
        let (a, b) = (u32_at(self.offsets, i) as usize, u32_at(self.offsets, i + 1) as usize);
        self.bytes.get(a..b).unwrap_or(&[])
    }
    fn str(&self, i: usize) -> &'a str {
        std::str::from_utf8(self.bytes(i)).unwrap_or("")
    }
    /// The first index whose string is not less than `key`.
    fn lower_bound(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.bytes(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
    fn find(&self, key: &str) -> Option<usize> {
        let i = self.lower_bound(key.as_bytes());
        (i < self.n && self.bytes(i) == key.as_bytes()).then_some(i)
    }
}

/// A string table: sorted keys and their values (a key may repeat).
#[derive(Clone, Copy)]
pub struct StrMap<'a> {
    keys: Column<'a>,
    values: Column<'a>,
    index: Index<'a>,
}

impl<'a> StrMap<'a> {
    fn read(c: &mut Cursor<'a>) -> StrMap<'a> {
        let n = c.u32() as usize;
        let keys = Column::read(c, n);
        let values = Column::read(c, n);
        let index = Index::read(c);
        StrMap { keys, values, index }
    }
    fn first(&self, key: &str) -> Option<usize> {
        let k = key.as_bytes();
        self.index.find(hash_bytes(k), |i| self.keys.bytes(i) == k)
    }
    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.first(key).map(|i| self.values.str(i))
    }
    /// Every value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<&'a str> {
        let Some(mut i) = self.first(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while i < self.keys.n && self.keys.bytes(i) == key.as_bytes() {
            out.push(self.values.str(i));
            i += 1;
        }
        out
    }
    /// Whether `key` is in the table.
    pub fn contains(&self, key: &str) -> bool {
        self.first(key).is_some()
    }
}

/// Counts keyed by a pair of word ids.
#[derive(Clone, Copy)]
pub struct PairCounts<'a> {
    keys: &'a [u8],
    counts: &'a [u8],
    index: Index<'a>,
}

impl<'a> PairCounts<'a> {
    fn read(c: &mut Cursor<'a>) -> PairCounts<'a> {
        let n = c.u32() as usize;
        let keys = c.take(8 * n);
        let counts = c.take(4 * n);
        PairCounts {
            keys,
            counts,
            index: Index::read(c),
        }
    }
    /// The count of `(a, b)`, 0 if unseen.
    pub fn get(&self, a: u32, b: u32) -> u32 {
        let key = ((a as u64) << 32) | b as u64;
        self.index
            .find(hash_u64(key), |i| u64_at(self.keys, i) == key)
            .map_or(0, |i| u32_at(self.counts, i))
    }
}

/// The tables, read in place from a blob.
#[derive(Clone, Copy)]
pub struct View<'a> {
    words: Column<'a>,
    word_index: Index<'a>,
    logp: &'a [u8],
    left_total: &'a [u8],
    left_types: &'a [u8],
    pub bigrams: PairCounts<'a>,
    pub skipgrams: PairCounts<'a>,
    pub thesaurus: StrMap<'a>,
    pub spinner: StrMap<'a>,
    pub fillers: StrMap<'a>,
    pub reporting: StrMap<'a>,
    pub speech: StrMap<'a>,
    pub boundary: u32,
}

impl<'a> View<'a> {
    /// Read a blob made by [`compile`]; None if it is not one.
    pub fn new(blob: &'a [u8]) -> Option<View<'a>> {
        if blob.get(..4) != Some(MAGIC.as_slice()) {
            return None;
        }
        let mut c = Cursor { b: blob, at: 4 };
        let n = c.u32() as usize;
        let words = Column::read(&mut c, n);
        let word_index = Index::read(&mut c);
        let logp = c.take(4 * n);
        let left_total = c.take(4 * n);
        let left_types = c.take(4 * n);
        let bigrams = PairCounts::read(&mut c);
        let skipgrams = PairCounts::read(&mut c);
        let thesaurus = StrMap::read(&mut c);
        let spinner = StrMap::read(&mut c);
        let fillers = StrMap::read(&mut c);
        let reporting = StrMap::read(&mut c);
        let speech = StrMap::read(&mut c);
        if c.at > blob.len() {
            return None;
        }
        let mut v = View {
            words,
            word_index,
            logp,
            left_total,
            left_types,
            bigrams,
            skipgrams,
            thesaurus,
            spinner,
            fillers,
            reporting,
            speech,
            boundary: u32::MAX,
        };
        v.boundary = v.id(BOUNDARY);
        Some(v)
    }

    /// The id of a word, `u32::MAX` if unknown.
    pub fn id(&self, w: &str) -> u32 {
        let k = w.as_bytes();
        self.word_index
            .find(hash_bytes(k), |i| self.words.bytes(i) == k)
            .map_or(u32::MAX, |i| i as u32)
    }

    /// The word with an id.
    pub fn word(&self, id: u32) -> &'a str {
        self.words.str(id as usize)
    }

    /// log10 probability of a word in general English.
    pub fn logp(&self, id: u32) -> f32 {
        f32::from_le_bytes(
            self.logp
                .get(id as usize * 4..id as usize * 4 + 4)
                .and_then(|s| s.try_into().ok())
                .unwrap_or([0; 4]),
        )
    }

    /// Bigram tokens seen after a word.
    pub fn left_total(&self, id: u32) -> u32 {
        u32_at(self.left_total, id as usize)
    }

    /// Distinct words seen after a word.
    pub fn left_types(&self, id: u32) -> u32 {
        u32_at(self.left_types, id as usize)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.n
    }
}
