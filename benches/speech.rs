//! Speech speed: render the seed articles (clean → segment → Pico → PCM
//! counted, not stored) per voice. Throughput is in samples per second:
//! divide by 16 000 for the real-time factor (audio seconds per second).
//! The `normalization` group measures what text normalization adds.
//! Run: `cargo bench --bench speech`. Whole-command figures (parallel
//! export, peak memory, time to first audio): `cargo run --release
//! --example speech_bench`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hark::frontend::Reading;
use hark::speech::{self, CountingSink, Prosody, RenderOptions};

fn voice(name: &str) -> hark::speech::Voice {
    hark::speech::find_voice(&hark::config::Dirs::from_env(), name).unwrap()
}

fn utterances() -> Vec<hark::frontend::Utterance> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for p in names {
        let article = hark::Article::read(p.as_path(), &Default::default()).unwrap();
        let sel = article.select(&[]).unwrap();
        let as_written = Reading {
            normalize: false,
            ..Reading::default()
        };
        out.extend(article.utterances(&sel, &as_written));
    }
    out
}

fn bench(c: &mut Criterion) {
    let utts = utterances();
    let mut g = c.benchmark_group("render_seeds");
    g.sample_size(10);
    let mut names = vec!["pico-en-us", "pico-en-gb"];
    if cfg!(feature = "flite") {
        names.push("flite-slt");
    }
    for name in names {
        let v = voice(name);
        let mut synth = speech::open(&v, Prosody::default()).unwrap();
        let mut sink = CountingSink::default();
        let samples = speech::render_all(synth.as_mut(), &utts, RenderOptions::default(), &mut sink)
            .unwrap()
            .samples;
        g.throughput(Throughput::Elements(samples));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = CountingSink::default();
                speech::render_all(synth.as_mut(), &utts, RenderOptions::default(), &mut sink).unwrap()
            })
        });
    }
    g.finish();
}

/// What text normalization adds to an export: the seeds rendered as
/// written vs normalized first (normalization inside the timed loop), and
/// normalization alone. The share is normalize_only / render_as_written.
fn normalization_share(c: &mut Criterion) {
    use hark::frontend::{normalize, NormalizeOptions};
    let normalize_utterances = |u: &mut [hark::frontend::Utterance], opts: &NormalizeOptions| {
        for u in u {
            u.spoken = normalize(&u.spoken, opts).spoken;
        }
    };
    let utts = utterances();
    let opts = NormalizeOptions::default();
    let v = voice("pico-en-us");
    let mut synth = speech::open(&v, Prosody::default()).unwrap();
    let bytes: usize = utts.iter().map(|u| u.spoken.len()).sum();
    let mut g = c.benchmark_group("normalization");
    g.sample_size(10);
    g.bench_function("render_as_written", |b| {
        b.iter(|| {
            let mut sink = CountingSink::default();
            speech::render_all(synth.as_mut(), &utts, RenderOptions::default(), &mut sink).unwrap()
        })
    });
    g.bench_function("normalize_and_render", |b| {
        b.iter(|| {
            let mut u = utts.clone();
            normalize_utterances(&mut u, &opts);
            let mut sink = CountingSink::default();
            speech::render_all(synth.as_mut(), &u, RenderOptions::default(), &mut sink).unwrap()
        })
    });
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("normalize_only", |b| {
        b.iter(|| {
            let mut u = utts.clone();
            normalize_utterances(&mut u, &opts);
            u
        })
    });
    g.finish();
}

criterion_group!(benches, bench, normalization_share);
criterion_main!(benches);
