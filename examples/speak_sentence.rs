//! Speak a sentence with the default embedded voice into a WAV file, using
//! the library only: `cargo run --example speak_sentence -- "Hello there." out.wav`.
//! Numbers, dates and abbreviations are normalized for the engine.
use hark::frontend::{literal_utterances, Reading};
use hark::speech::{self, Prosody, RenderOptions, WavFile};

fn main() -> hark::Result<()> {
    let mut args = std::env::args().skip(1);
    let text = args
        .next()
        .unwrap_or_else(|| "Kim Jong Un is expected to meet Vladimir Putin on Sep 5, 2023.".into());
    let out = args.next().unwrap_or_else(|| "speak_sentence.wav".into());
    let voice = speech::find_voice(&hark::config::Dirs::from_env(), speech::DEFAULT_VOICE)?;
    let mut synth = speech::open(&voice, Prosody::default())?;
    let mut file = WavFile::create(out.as_ref(), synth.sample_rate(), true)?;
    let utterances = literal_utterances(&text, &Reading::for_language(&voice.language));
    let rendered = speech::render_all(synth.as_mut(), &utterances, RenderOptions::default(), &mut file)?;
    file.commit(true)?;
    for t in &rendered.timings {
        println!("{:>8} {:>8}  {}", t.start, t.end, t.text);
    }
    println!("{out}: {:.2} s", rendered.duration_secs());
    Ok(())
}
