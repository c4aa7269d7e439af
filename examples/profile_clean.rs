//! Runs clean + segment on the seed articles many times, for profilers
//! (`perf record cargo run --release --example profile_clean`).

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let started = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for t in &texts {
            let a = hark::Article::from_bytes("seed", t.as_bytes(), &Default::default()).unwrap();
            n += a.sentences().len();
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum::<usize>() * rounds;
    let secs = started.elapsed().as_secs_f64();
    println!("{n} sentences, {:.1} MB/s", bytes as f64 / secs / 1e6);
}
