//! Score wordings with a language model (feature `lm`): load time, and the
//! log-probability of each line of a file after the line before it.
//!
//! Run: `cargo run --release --features lm --example lm_score -- MODEL.gguf [FILE]`

fn main() {
    #[cfg(feature = "lm")]
    {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let Some(model) = args.first() else {
            eprintln!("usage: lm_score MODEL.gguf [FILE]");
            std::process::exit(2);
        };
        let t = std::time::Instant::now();
        let lm = hark::clean::lm::LanguageModel::load(std::path::Path::new(model)).expect("model");
        println!("load {:.2} s", t.elapsed().as_secs_f64());
        let text = match args.get(1) {
            Some(f) => std::fs::read_to_string(f).expect("file"),
            None => "Kim is expected to meet Putin.\nKim is anticipated to satisfy Putin.\n".into(),
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let t = std::time::Instant::now();
            let n = lm.tokenize(line).map(|t| t.len()).unwrap_or(0);
            let s = lm.score("", line).expect("score");
            println!(
                "{s:8.2}  {n:3} tokens {:6.1} ms  {line}",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    #[cfg(not(feature = "lm"))]
    eprintln!("build with --features lm");
}
