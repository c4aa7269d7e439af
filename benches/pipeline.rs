//! Throughput of clean + segment: on the five seed articles (plain text) and,
//! when `../shared/eval/extraction` is present, on 30 pages of the extraction
//! benchmark (HTML: dom_smoothie extraction + hark's cleaner + segmentation).
//! Run: `cargo bench --bench pipeline`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::Read;

fn pipeline(name: &str, bytes: &[u8]) -> usize {
    hark::Article::from_bytes(name, bytes, &Default::default()).map_or(0, |a| a.sentences().len())
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn html_pages() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/extraction/html");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    paths
        .into_iter()
        .take(30)
        .map(|p| {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            (format!("{}.html", p.display()), bytes)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let text = seeds();
    let bytes: usize = text.iter().map(|t| t.1.len()).sum();
    let mut g = c.benchmark_group("clean+segment");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("seeds (plain text)", |b| {
        b.iter(|| text.iter().map(|(n, t)| pipeline(n, black_box(t))).sum::<usize>())
    });
    let pages = html_pages();
    if !pages.is_empty() {
        let bytes: usize = pages.iter().map(|t| t.1.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.bench_function("30 benchmark pages (HTML)", |b| {
            b.iter(|| pages.iter().map(|(n, t)| pipeline(n, black_box(t))).sum::<usize>())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
