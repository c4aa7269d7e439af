//! Reading articles, measured on this machine: start-up per command,
//! cleaning throughput on plain text (the seeds, and 100 MB of mixed text)
//! and on HTML (pages per second, one call per page and a batch), and the
//! cost of deep nesting against depth.
//!
//! Run: `cargo build --release && cargo run --release --example clean_bench [../shared/eval/extraction]`
//! (the 181 benchmark pages are used for the HTML figures when present).

use std::io::Read;
use std::process::Command;
use std::time::Instant;

fn median_ms(mut f: impl FnMut(), n: usize) -> f64 {
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[n / 2]
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let bin = format!("{root}/target/release/hark");
    let tmp = tempfile::tempdir().unwrap();
    let seed = format!("{root}/examples/001_4b6f62f767aa35ac.txt");
    let page = tmp.path().join("small.html");
    let body = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(
        &page,
        format!(
            "<html><head><title>t</title></head><body><article><p>{}</p></article></body></html>",
            body.replace("\n\n", "</p><p>")
        ),
    )
    .unwrap();

    println!("1. start-up: wall time of one command, median of 30");
    if std::path::Path::new(&bin).exists() {
        for (label, args) in [
            ("hark --version", vec!["--version"]),
            ("hark split (a seed)", vec!["split", seed.as_str()]),
            ("hark clean (small page)", vec!["clean", "-q", page.to_str().unwrap()]),
            (
                "hark clean --despin off (small page)",
                vec!["clean", "-q", "--despin", "off", page.to_str().unwrap()],
            ),
            ("hark clean (a seed, plain text)", vec!["clean", "-q", seed.as_str()]),
        ] {
            let ms = median_ms(
                || {
                    Command::new(&bin).args(&args).output().unwrap();
                },
                30,
            );
            println!("   {label:40} {ms:6.1} ms");
        }
    } else {
        println!("   (build the binary with `cargo build --release` first)");
    }

    println!("2. HTML: the 181 benchmark pages");
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{root}/../shared/eval/extraction"));
    let pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(format!("{dir}/html"))
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let mut b = Vec::new();
                    flate2::read::GzDecoder::new(std::fs::File::open(e.path()).unwrap())
                        .read_to_end(&mut b)
                        .unwrap();
                    (e.file_name().to_string_lossy().trim_end_matches(".gz").to_string(), b)
                })
                .collect()
        })
        .unwrap_or_default();
    if pages.is_empty() {
        println!("   ({dir} is not here)");
    } else {
        let t0 = Instant::now();
        for (n, b) in &pages {
            let _ = hark::Article::from_bytes(n, b, &Default::default());
        }
        let secs = t0.elapsed().as_secs_f64();
        let mb: usize = pages.iter().map(|p| p.1.len()).sum();
        println!(
            "   library, one page at a time: {:.1} pages/s ({:.1} MB/s)",
            pages.len() as f64 / secs,
            mb as f64 / secs / 1e6
        );
        if std::path::Path::new(&bin).exists() {
            let files: Vec<std::path::PathBuf> = pages
                .iter()
                .map(|(n, b)| {
                    let p = tmp.path().join(n);
                    std::fs::write(&p, b).unwrap();
                    p
                })
                .collect();
            let t0 = Instant::now();
            for f in files.iter().take(30) {
                Command::new(&bin).args(["clean", "-q"]).arg(f).output().unwrap();
            }
            let single = t0.elapsed().as_secs_f64() / 30.0;
            let t0 = Instant::now();
            Command::new(&bin)
                .args(["clean", "-q", "--json"])
                .args(&files)
                .output()
                .unwrap();
            let batch = t0.elapsed().as_secs_f64();
            println!(
                "   hark clean, one page per call: {:.1} ms per page; all {} in one call: {:.1} ms per page",
                single * 1000.0,
                files.len(),
                batch * 1000.0 / files.len() as f64
            );
        }
    }

    println!("3. plain text: clean + sentences");
    let seeds: Vec<Vec<u8>> = (0..5)
        .map(|_| ())
        .zip(std::fs::read_dir(format!("{root}/examples")).unwrap().flatten())
        .filter_map(|(_, e)| {
            let p = e.path();
            (p.extension().is_some_and(|x| x == "txt")).then(|| std::fs::read(p).unwrap())
        })
        .collect();
    let bytes: usize = seeds.iter().map(Vec::len).sum();
    let rounds = 20;
    for s in &seeds {
        let _ = hark::Article::from_bytes("seed.txt", s, &Default::default());
    }
    let t0 = Instant::now();
    for _ in 0..rounds {
        for s in &seeds {
            let _ = hark::Article::from_bytes("seed.txt", s, &Default::default());
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "   seeds, de-spinning on: {:.2} MB/s",
        (bytes * rounds) as f64 / secs / 1e6
    );
    // 100 MB of the seeds' lines, each copy numbered so that no line
    // repeats (repeated blocks would be dropped as duplicates).
    let lines: Vec<String> = seeds
        .iter()
        .flat_map(|s| String::from_utf8_lossy(s).lines().map(String::from).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut text = String::with_capacity(101_000_000);
    let mut copy = 0;
    while text.len() < 100_000_000 {
        copy += 1;
        for l in &lines {
            text.push_str(l);
            text.push_str(&format!(" ({copy})\n\n"));
        }
    }
    for (label, despin) in [
        ("off", hark::clean::DespinMode::Off),
        ("safe", hark::clean::DespinMode::Safe),
    ] {
        let opts = hark::ReadOptions {
            despin,
            ..Default::default()
        };
        let t0 = Instant::now();
        let a = hark::Article::from_bytes("mixed.txt", text.as_bytes(), &opts).unwrap();
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "   {:.0} MB of mixed text, de-spinning {label}: {secs:.1} s ({:.1} MB/s), {} paragraphs",
            text.len() as f64 / 1e6,
            text.len() as f64 / secs / 1e6,
            a.document().paragraphs.len()
        );
    }
    drop(text);

    println!("4. deep nesting: clean time against depth (3 paragraphs inside N nested divs)");
    let para = "<p>Kim Jong Un is expected to meet Vladimir Putin this month, officials said on Monday.</p>".repeat(3);
    for depth in [100usize, 500, 1_000, 4_000, 16_000, 100_000] {
        let html = format!(
            "<html><body>{}{para}{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let opts = hark::ReadOptions {
            despin: hark::clean::DespinMode::Off,
            ..Default::default()
        };
        let ms = median_ms(
            || {
                hark::Article::from_bytes("nest.html", html.as_bytes(), &opts).unwrap();
            },
            3,
        );
        println!("   depth {depth:>7}: {ms:8.1} ms");
    }
}
