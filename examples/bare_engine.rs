//! The engines as they come, without hark: the whole text goes to the
//! engine in one piece at its own default settings. A yardstick for
//! `../shared/tools/intelligibility.py` (hark must not do worse):
//!
//! ```text
//! cargo build --release --example bare_engine
//! python3 ../shared/tools/intelligibility.py \
//!   --cmd "target/release/examples/bare_engine pico-en-us {txt} {wav}"
//! ```
//! Voices: pico-en-us, pico-en-gb (resource files from voices/pico/), and
//! flite-slt when built with `--features flite`.
use std::rc::Rc;

fn pico(lang: &str, sg: &str, text: &str) -> Vec<i16> {
    use ttspico as pico;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/voices/pico");
    let sys = pico::System::new(3 * 1024 * 1024).expect("pico system");
    let ta = pico::System::load_resource(Rc::clone(&sys), format!("{dir}/{lang}_ta.bin")).expect("ta");
    let sg = pico::System::load_resource(Rc::clone(&sys), format!("{dir}/{lang}_{sg}_sg.bin")).expect("sg");
    let voice = pico::System::create_voice(sys, "bare").expect("voice");
    voice.borrow_mut().add_resource(ta).expect("ta");
    voice.borrow_mut().add_resource(sg).expect("sg");
    let mut engine = unsafe { pico::Voice::create_engine(voice) }.expect("engine");
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    let mut rest: &[u8] = &bytes;
    let (mut pcm, mut buf) = (Vec::new(), [0i16; 1024]);
    while !rest.is_empty() {
        let n = engine.put_text(rest).expect("put_text");
        rest = &rest[n..];
        loop {
            let (k, status) = engine.get_data(&mut buf[..]).expect("get_data");
            pcm.extend_from_slice(&buf[..k]);
            if status == pico::EngineStatus::Idle {
                break;
            }
        }
    }
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
