//! The engines as they come, without hark's text handling: the whole text
//! goes to the engine in one piece, at the engine's own default settings. A yardstick for
//! `../shared/tools/intelligibility.py` (hark must not do worse):
//!
//! ```text
//! cargo build --release --example bare_engine
//! python3 ../shared/tools/intelligibility.py \
//!   --cmd "target/release/examples/bare_engine pico-en-us {txt} {wav}"
//! ```
//! Voices: pico-en-us, pico-en-gb (resource files from voices/pico/), and
//! flite-slt when built with `--features flite`.
fn pico(lang: &str, sg: &str, text: &str) -> Vec<i16> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/voices/pico"));
    let mut engine = hark::eval::RawPico::new(
        &dir.join(format!("{lang}_ta.bin")),
        &dir.join(format!("{lang}_{sg}_sg.bin")),
    )
    .expect("pico");
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    let mut pcm = Vec::new();
    engine
        .speak(&bytes, &mut |chunk| {
            pcm.extend_from_slice(chunk);
            Ok(())
        })
        .expect("synthesis");
    pcm
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [voice, txt, wav] = &args[..] else {
        eprintln!("usage: bare_engine VOICE TEXT_FILE OUT.wav");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(txt).expect("read text");
    let pcm = match voice.as_str() {
        "pico-en-us" => pico("en-US", "lh0", &text),
        "pico-en-gb" => pico("en-GB", "kh0", &text),
        #[cfg(feature = "flite")]
        "flite-slt" => fliters::tts(&text).get_samples(),
        other => panic!("unknown voice {other}"),
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(wav, spec).expect("create wav");
    for s in pcm {
        w.write_sample(s).expect("write");
    }
    w.finalize().expect("finalize");
}
