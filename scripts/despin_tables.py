#!/usr/bin/env python3
"""Derive hark's de-spinner tables (src/clean/data/despin/) from public sources.

Sources (install: apt-get install mythes-en-us wordnet-base; pip install wordfreq):
  * Debian mythes-en-us  /usr/share/mythes/th_en_US_v2.dat   (WordNet-derived thesaurus, BSD-style)
  * Debian wordnet-base  /usr/share/wordnet/{data,*.exc}     (WordNet 3.0 licence)
  * PyPI wordfreq (large_en word list; data CC BY-SA 4.0, Robyn Speer)
  * ../shared/eval/despin/tortured_phrases.json (Problematic Paper Screener, CC BY 4.0)
  * clean English news text: the *dev half* of ../shared/eval/extraction_trafilatura (the pages
    whose FNV-1a hash of the file name is even, as tests/common/extraction.rs::half splits them),
    English pages only, as `hark clean --despin off` extracts them (Apache-2.0 suite; page text
    belongs to its publishers). Never the seeds (the answer key for seed 000), never the 181-page
    extraction benchmark, never the held-out half, on which tests/despin.rs measures damage.

Outputs (all plain text, embedded in the binary by include_str!):
  vocab.tsv      word<TAB>zipf*100            general-English frequency (wordfreq)
  bigrams.tsv    w1 w2<TAB>count              bigram counts of clean English ("|" = boundary)
  skipgrams.tsv  w1 w3<TAB>count              words two apart in clean news (w1 w2 w3, no boundary)
  thesaurus.tsv  observed<TAB>cand:hop,...    reverse thesaurus, inflected (hop 1 = same synset line,
                                              hop 2 = through one shared term)
  spinner.tsv    observed<TAB>original        substitutions attested in tortured phrases
  speech.txt     verb forms with a WordNet verb.communication sense (say, add, warn, point out...)
  reporting.tsv  form<TAB>count               verbs of saying seen after a closing quote in clean news
                                              ("...," she added.), counted per lemma, with their other tense

`--holdout K` leaves every K-th tortured pair out of the spinner table and writes their
indices to heldout.json. The embedded tables are built with `--holdout 2` (then
`mv src/clean/data/despin/heldout.json tests/data/eval/despin/tortured_heldout.json`), and
tests/despin.rs measures recall on those held-out pairs only.
"""
import argparse, collections, gzip, json, os, re, sys

from wordfreq import zipf_frequency, iter_wordlist

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokens(text):
    """Words with '|' wherever anything but white space separates two words.
    Must match src/clean/despin.rs::tokenize."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    out, last = [], 0
    for m in TOKEN.finditer(text):
        gap = text[last:m.start()]
        if (not out or gap.strip()) and (not out or out[-1] != "|"):
            out.append("|")
        out.append(m.group())
        last = m.end()
    if out and out[-1] != "|":
        out.append("|")
    return out


def zipf(w):
    return zipf_frequency(w, "en", wordlist="large")


# ---------- inflection -------------------------------------------------------
def load_exc(path):
    m = collections.defaultdict(list)
    for line in open(path):
        parts = line.split()
        if len(parts) >= 2:
            for base in parts[1:]:
                m[base].append(parts[0])
    return m


VERB_EXC = load_exc("/usr/share/wordnet/verb.exc")
NOUN_EXC = load_exc("/usr/share/wordnet/noun.exc")


def best(options):
    scored = [(zipf(o), o) for o in options]
    scored.sort(reverse=True)
    return scored[0][1] if scored and scored[0][0] >= 1.0 else None


def regular_s(w):
    if re.search(r"(s|x|z|ch|sh)$", w):
        return [w + "es"]
    if re.search(r"[^aeiou]y$", w):
        return [w[:-1] + "ies"]
    return [w + "s"]


def verb_forms(v):
    forms = {"base": v, "s": best(regular_s(v))}
    irregular = VERB_EXC.get(v, [])
    ed = [f for f in irregular if not f.endswith("ing") and f not in regular_s(v)]
    if re.search(r"e$", v):
        reg_ed, reg_ing = [v + "d"], [v[:-1] + "ing", v + "ing"]
    elif re.search(r"[^aeiou]y$", v):
        reg_ed, reg_ing = [v[:-1] + "ied"], [v + "ing"]
    else:
        reg_ed, reg_ing = [v + "ed", v + v[-1] + "ed"], [v + "ing", v + v[-1] + "ing"]
    forms["ed"] = ed or [best(reg_ed)]
    forms["ing"] = best([f for f in irregular if f.endswith("ing")] or reg_ing)
    return forms


def noun_forms(n):
    return {"base": n, "pl": best(NOUN_EXC.get(n) or regular_s(n))}


def inflect(term, pos):
    """slot -> list of surface forms; a multiword verb inflects its first word."""
    words = term.split()
    if pos == "verb":
        f = verb_forms(words[0])
    elif pos == "noun" and len(words) == 1:
        f = noun_forms(words[0])
    else:
        return {"base": [term]}
    out = {}
    for slot, v in f.items():
        vs = v if isinstance(v, list) else [v]
        vs = [x for x in vs if x]
        if pos == "verb":
            out[slot] = [" ".join([x] + words[1:]) for x in vs]
        else:
            out[slot] = vs
    return out


# ---------- thesaurus --------------------------------------------------------
def thesaurus_groups():
    head, groups = None, []
    for line in open("/usr/share/mythes/th_en_US_v2.dat", encoding="latin-1").read().split("\n")[1:]:
        if not line:
            continue
        if not line.startswith("("):
            head = line.split("|")[0].lower()
            continue
        parts = line.split("|")
        pos = parts[0].strip("()")
        terms = {head: 1}
        for t in parts[1:]:
            if "(antonym)" in t:
                continue
            plain = re.sub(r" \((generic|similar|related) term\)", "", t).lower()
            terms.setdefault(plain, 1 if plain == t.lower() else 2)
        terms = {t: s for t, s in terms.items() if re.fullmatch(r"[a-z]+(?:[ -][a-z]+){0,2}", t)}
        groups.append((pos, terms))
    return groups


def build_thesaurus(max_cands=16):
    """Relation strength: 1 = plain synonyms on one line, 2 = one of them is a
    generic/similar term there, 3 = two plain links through a shared term."""
    groups = thesaurus_groups()
    rel = collections.defaultdict(lambda: collections.defaultdict(dict))  # pos -> term -> term -> strength
    for pos, terms in groups:
        for a, sa in terms.items():
            for b, sb in terms.items():
                if a != b:
                    s = max(sa, sb)
                    rel[pos][a][b] = min(s, rel[pos][a].get(b, 9))
    zcache = {}

    def z(t):
        if t not in zcache:
            zcache[t] = zipf(t)
        return zcache[t]

    pairs = collections.defaultdict(dict)  # observed surface -> cand surface -> hop
    for pos, table in rel.items():
        for a, direct in table.items():
            if z(a) < 2.0:
                continue
            cands = {b: s for b, s in direct.items() if z(b) >= 3.0}
            if " " not in a:
                for b, s in direct.items():
                    for c, s2 in table.get(b, {}).items():
                        if s + s2 <= 3 and c != a and c not in cands and " " not in c and z(c) >= 4.0:
                            cands[c] = 3
            if not cands:
                continue
            fa = inflect(a, pos)
            for b, hop in cands.items():
                fb = inflect(b, pos)
                for slot, obs_forms in fa.items():
                    for o in obs_forms:
                        for cf in fb.get(slot, []):
                            if o != cf:
                                old = pairs[o].get(cf)
                                pairs[o][cf] = min(hop, old) if old else hop
    out = {}
    for o, cands in pairs.items():
        if z(o) < 2.0:
            continue
        # strongest links first; among equals, the commonest words (a spinner's
        # original is usually the plainer word)
        ranked = sorted(cands.items(), key=lambda kv: (kv[1], -z(kv[0])))
        # keep all hop-1 candidates up to the cap, then the commonest hop-2 ones
        out[o] = ranked[:max_cands]
    return out


# ---------- verbs of saying --------------------------------------------------
# After a closing quote, the subject and verb of the attribution (",” she added.").
# Must match `attribution_slots` in src/clean/despin/slots.rs.
SLOT = re.compile(
    r"[,?!][\"\u201d]\s+(?:he|she|they|we|I|it|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\s+([a-z]+)"
    r"(?=[.,;]|\s+(?:on|in|at|last|this|to|during|after|before|yesterday|today)\b|$)"
)


def speech_lemmas():
    """Verbs with a sense in WordNet's verb.communication file (lexfile 32)."""
    out = set()
    for line in open("/usr/share/wordnet/data.verb", encoding="latin-1"):
        p = line.split()
        if line.startswith(" ") or len(p) < 5 or p[1] != "32":
            continue
        for k in range(int(p[3], 16)):
            w = p[4 + 2 * k].lower().replace("_", " ")
            if re.fullmatch(r"[a-z]+(?: [a-z]+){0,2}", w):
                out.add(w)
    return out


def lemma_of(form, lemmas):
    """The verb lemma of an inflected form, if it is one of `lemmas`."""
    for lemma in lemmas:
        f = verb_forms(lemma)
        if form in [f["base"], f["s"], f["ing"]] + f["ed"]:
            return lemma
    return None


def speech_tables(bodies):
    lemmas = speech_lemmas()
    forms = set()
    for lemma in lemmas:
        for slot, v in inflect(lemma, "verb").items():
            forms.update(v)
    counts = collections.Counter()
    for text in bodies:
        for m in SLOT.finditer(text):
            counts[m.group(1)] += 1
    by_lemma = collections.Counter()
    for form, n in counts.items():
        cands = {lem for lem in lemmas if lem.split()[0][:2] == form[:2] and " " not in lem}
        lemma = lemma_of(form, cands)
        if lemma:
            by_lemma[lemma] += n
    reporting = {}
    for lemma, n in by_lemma.items():
        f = verb_forms(lemma)
        for form in f["ed"] + [f["s"]]:
            if form:
                reporting[form] = n
    return sorted(forms), reporting


# ---------- corpora ----------------------------------------------------------
def wordnet_text():
    for name in ("noun", "verb", "adj", "adv"):
        for line in open(f"/usr/share/wordnet/data.{name}", encoding="latin-1"):
            if line.startswith(" ") or "|" not in line:
                continue
            yield line.split("|", 1)[1]


def half(name):
    """tests/common/extraction.rs::half: FNV-1a 64 of the file name, even = dev."""
    h = 0xCBF29CE484222325
    for b in name.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "dev" if h % 2 == 0 else "held-out"


def dev_half_bodies(shared, hark):
    """The dev half's English pages as hark extracts them, de-spinning off."""
    import subprocess, tempfile
    suite = os.path.join(shared, "eval", "extraction_trafilatura")
    pages = json.load(open(os.path.join(suite, "evaldata.json")))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for p in pages:
            if half(p["html"]) != "dev":
                continue
            path = os.path.join(tmp, p["html"][:-3])
            with open(path, "wb") as f:
                f.write(gzip.open(os.path.join(suite, "html", p["html"])).read())
            r = subprocess.run([hark, "clean", "--despin", "off", "-q", "--no-config", "--json", path],
                               capture_output=True)
            os.remove(path)
            if r.returncode != 0:
                continue
            doc = json.loads(r.stdout.decode().splitlines()[0])
            if not (doc.get("language") or "").startswith("en"):
                continue
            out.append("\n\n".join(p["text"] for p in doc["paragraphs"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "src", "clean", "data", "despin"))
    ap.add_argument("--holdout", type=int, default=0, help="leave every K-th tortured pair out")
    ap.add_argument("--hark", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "hark"),
                    help="the hark binary that extracts the pages (build it first)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    K = args.holdout

    bodies = dev_half_bodies(args.shared, args.hark)
    print(f"{len(bodies)} clean English pages, {sum(len(b.split()) for b in bodies)} words", file=sys.stderr)
    held = []

    big = collections.Counter()
    skip = collections.Counter()
    for text in bodies:
        t = tokens(text)
        big.update(zip(t, t[1:]))
        skip.update((a, c) for a, b, c in zip(t, t[1:], t[2:]) if "|" not in (a, b, c))
    with open(os.path.join(args.out, "skipgrams.tsv"), "w") as f:
        for (a, c), n in sorted(skip.items()):
            f.write(f"{a} {c}\t{n}\n")
    wn = collections.Counter()
    for text in wordnet_text():
        t = tokens(text.replace(";", " | ").replace('"', " | "))
        wn.update(zip(t, t[1:]))
    for k, v in wn.items():
        if v >= 2:  # glosses are many and short: keep what recurs
            big[k] += v
    with open(os.path.join(args.out, "bigrams.tsv"), "w") as f:
        for (a, b), n in sorted(big.items()):
            if a == "|" and b == "|":
                continue
            f.write(f"{a} {b}\t{n}\n")

    phrases = json.load(open(os.path.join(args.shared, "eval/despin/tortured_phrases.json")))["phrases"]
    held_pairs = [n for n in range(len(phrases)) if K and n % K == 0]
    spin = collections.Counter()
    for n, p in enumerate(phrases):
        if n in held_pairs:
            continue
        t = p["tortured"].lower().split()
        c = re.sub(r"\(.*?\)", "", p["correct"].lower()).split()
        if len(t) == len(c):
            diff = [(a, b) for a, b in zip(t, c) if a != b]
            if len(diff) == 1 and TOKEN.fullmatch(diff[0][0]) and TOKEN.fullmatch(diff[0][1]):
                spin[diff[0]] += 1
    with open(os.path.join(args.out, "spinner.tsv"), "w") as f:
        for (a, b), n in sorted(spin.items()):
            f.write(f"{a}\t{b}\n")

    speech, reporting = speech_tables(bodies)
    with open(os.path.join(args.out, "speech.txt"), "w") as f:
        f.write("".join(w + "\n" for w in speech))
    with open(os.path.join(args.out, "reporting.tsv"), "w") as f:
        for w, n in sorted(reporting.items()):
            f.write(f"{w}\t{n}\n")

    thes = build_thesaurus()
    with open(os.path.join(args.out, "thesaurus.tsv"), "w") as f:
        for o in sorted(thes):
            f.write(o + "\t" + ",".join(f"{c}:{h}" for c, h in thes[o]) + "\n")

    vocab = set()
    for w in iter_wordlist("en", wordlist="large"):
        if re.fullmatch(r"[a-z]+(?:'[a-z]+)?", w):
            vocab.add(w)
        if len(vocab) >= 120000:
            break
    words = set(vocab)
    for o, cands in thes.items():
        for part in [o] + [c for c, _ in cands]:
            words.update(part.split())
    with open(os.path.join(args.out, "vocab.tsv"), "w") as f:
        for w in sorted(words):
            zz = zipf(w)
            if zz > 0:
                f.write(f"{w}\t{round(zz * 100)}\n")
    if K:
        json.dump({"bodies": held, "tortured": held_pairs}, open(os.path.join(args.out, "heldout.json"), "w"))
    for name in sorted(os.listdir(args.out)):
        print(name, os.path.getsize(os.path.join(args.out, name)), file=sys.stderr)


if __name__ == "__main__":
    main()
