//! The speech commands: export, listen, speak, voices. Wiring only: the
//! work is `hark::export::Batch`, `hark::speech` and `hark::frontend`.

use super::choice::choice;
use super::{
    json_line, load, report_article, write_err, Ctx, InputArgs, ReadArgs, ReadingArgs, Reporter, SelectorArgs,
};
use clap::Args;
use hark::export::{Batch, ExportOptions, Hooks, OutputSpec, Progress};
use hark::frontend::Utterance;
use hark::speech::{self, EngineKind, Pauses, Prosody, Speaker, SubtitleFormat, Voice};
use hark::{Error, Result, Source};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

pub const EXPORT_HELP: &str = "\
Output names follow the input: -o DIR writes DIR/STEM.wav (DIR/STEM.pNN.wav with
--per-passage); -o FILE.wav names the file (one input only). Without -o, files go
to the current directory. Existing files are kept unless --force. Files appear
only when complete: an error, Ctrl-C, SIGTERM or SIGHUP leaves nothing behind.
An input that fails is reported and the others are still written (exit 1).

Examples:
  hark export examples/001_4b6f62f767aa35ac.txt -o out.wav
  hark export a.txt b.html -o audio/ --voice pico-en-gb --rate 1.2
  hark export a.txt --quote \"warned publicly\" --per-passage --subtitles vtt
  hark export --json a.txt -o a.wav | jq '.outputs[0].sentences[0]'";

pub const LISTEN_HELP: &str = "\
Plays through the default audio device (build feature `playback`), printing each
sentence as it is read; Ctrl-C stops at once. --engine system speaks through the
platform's TTS service instead (build feature `system-tts`).

Examples:
  hark listen examples/003_b469bd4e41b0bdd9.txt --paragraphs 1-3
  hark listen page.html --marks --voice pico-en-gb
  hark listen article.txt --engine system --rate 1.3";

pub const SPEAK_HELP: &str = "\
The text is taken as given (not cleaned as an article) but split into sentences.

Examples:
  hark speak \"Kim Jong Un is expected to meet Putin.\" -o kim.wav
  echo 'Hello. Goodbye.' | hark speak - -o hello.wav
  hark speak --voice pico-en-gb \"Good evening.\"";

/// The voice and how it speaks.
#[derive(Args, Debug, Clone)]
pub struct VoiceArgs {
    /// Voice name or alias (see `hark voices`) [default: the config file's voice for the language, or pico-en-us].
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    /// Speaking rate as a multiple of normal (Pico: 0.2-5).
    #[arg(long, value_name = "X")]
    pub rate: Option<f32>,
    /// Pitch as a multiple of normal (Pico: 0.5-2).
    #[arg(long, value_name = "X")]
    pub pitch: Option<f32>,
    /// Volume as a multiple of normal (Pico: 0-5).
    #[arg(long, value_name = "X")]
    pub volume: Option<f32>,
}

impl VoiceArgs {
    fn prosody(&self, ctx: &Ctx) -> Prosody {
        let c = &ctx.config;
        Prosody {
            rate: self.rate.or(c.rate).unwrap_or(1.0),
            pitch: self.pitch.or(c.pitch).unwrap_or(1.0),
            volume: self.volume.or(c.volume).unwrap_or(1.0),
        }
    }

    /// The voice for a text in `language` (None: not known): `--voice`, else
    /// the config file's voice for the language, else the language's
    /// default voice.
    fn voice(&self, ctx: &Ctx, language: Option<&str>) -> Result<Voice> {
        if let Some(name) = &self.voice {
            return speech::find_voice(&ctx.dirs, name);
        }
        let lang = language.unwrap_or("en");
        speech::voice_for(&ctx.dirs, lang, ctx.config.voice_for(lang))
    }
}

/// Silences.
#[derive(Args, Debug, Clone)]
pub struct PauseArgs {
    /// Silence between sentences, in milliseconds [default: 250].
    #[arg(long, value_name = "MS")]
    pub sentence_pause: Option<u32>,
    /// Silence between paragraphs (and passages), in milliseconds [default: 700].
    #[arg(long, value_name = "MS")]
    pub paragraph_pause: Option<u32>,
}

impl PauseArgs {
    fn pauses(&self, ctx: &Ctx) -> Result<Pauses> {
        let d = Pauses::default();
        let p = Pauses {
            sentence_ms: self
                .sentence_pause
                .or(ctx.config.sentence_pause)
                .unwrap_or(d.sentence_ms),
            paragraph_ms: self
                .paragraph_pause
                .or(ctx.config.paragraph_pause)
                .unwrap_or(d.paragraph_ms),
        };
        if p.sentence_ms > 60_000 || p.paragraph_ms > 60_000 {
            return Err(Error::Invalid("pauses are limited to 60000 ms".into()));
        }
        Ok(p)
    }
}

/// Arguments of `hark export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub select: SelectorArgs,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub pauses: PauseArgs,
    /// A .wav file (one input) or a directory.
    #[arg(short, long, value_name = "DIR|FILE.wav")]
    pub output: Option<String>,
    /// One file per selected passage: STEM.p01.wav, STEM.p02.wav…
    #[arg(long)]
    pub per_passage: bool,
    /// Also write subtitles beside each WAV, one cue per sentence.
    #[arg(long, value_name = "FORMAT", value_parser = choice::<SubtitleFormat>())]
    pub subtitles: Option<SubtitleFormat>,
    /// Overwrite existing files.
    #[arg(short, long)]
    pub force: bool,
    /// Print NDJSON, one record per input: outputs, voice, duration, sentence times.
    #[arg(long)]
    pub json: bool,
    /// Engine; only embedded voices can render files.
    #[arg(long, value_name = "ENGINE", default_value = "embedded", value_parser = choice::<Speaker>())]
    pub engine: Speaker,
    /// Inputs rendered at once (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Arguments of `hark listen`.
#[derive(Args, Debug)]
pub struct ListenArgs {
    /// The article (plain text or HTML); `-` reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: String,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub select: SelectorArgs,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub pauses: PauseArgs,
    /// Who speaks: hark's embedded voices or the platform's TTS service.
    #[arg(long, value_name = "ENGINE", default_value = "embedded", value_parser = choice::<Speaker>())]
    pub engine: Speaker,
}

/// Arguments of `hark speak`.
#[derive(Args, Debug)]
pub struct SpeakArgs {
    /// The text to speak; `-` reads standard input.
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// Write a .wav file instead of playing.
    #[arg(short, long, value_name = "FILE.wav")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(short, long)]
    pub force: bool,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub pauses: PauseArgs,
    /// With -o: print a JSON record of the file written.
    #[arg(long)]
    pub json: bool,
    /// Who speaks when playing: hark's embedded voices or the platform's TTS service.
    #[arg(long, value_name = "ENGINE", default_value = "embedded", value_parser = choice::<Speaker>())]
    pub engine: Speaker,
}

/// Arguments of `hark voices`.
#[derive(Args, Debug)]
pub struct VoicesArgs {
    /// Print NDJSON, one record per voice.
    #[arg(long)]
    pub json: bool,
    /// Also list voices this build cannot use (and why), and every variant
    /// the system service offers (espeak-ng's `Voice+variant` combinations).
    #[arg(long)]
    pub all: bool,
    /// Only voices whose language starts with this tag (e.g. `en`, `en-GB`).
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
}

static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C, SIGTERM and SIGHUP set a flag that the render loops poll; they
/// stop within one engine buffer and drop their temporary files.
fn install_signals() {
    let _ = ctrlc::set_handler(|| CANCELLED.store(true, Ordering::SeqCst));
}

fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// The voice an export renders with (the system service cannot render).
fn export_voice(v: &VoiceArgs, engine: Speaker, ctx: &Ctx, language: Option<&str>) -> Result<Voice> {
    if engine == Speaker::System {
        return Err(Error::CannotRender {
            voice: v.voice.clone().unwrap_or_else(|| "system".into()),
        });
    }
    let voice = v.voice(ctx, language)?;
    if voice.engine == EngineKind::System {
        return Err(Error::CannotRender { voice: voice.name });
    }
    Ok(voice)
}

fn progress_bar(rep: &Reporter) -> ProgressBar {
    if rep.level < 0 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sentences {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

pub fn export_cmd(args: &ExportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    // A named voice reads every input; otherwise each input's language picks.
    let mut options = match &args.voice.voice {
        Some(_) => ExportOptions::new(export_voice(&args.voice, args.engine, ctx, None)?),
        None if args.engine == Speaker::System => return export_voice(&args.voice, args.engine, ctx, None).map(|_| ()),
        None => {
            let mut o = ExportOptions::by_language();
            if let hark::export::VoiceChoice::Language { preferences } = &mut o.voice {
                *preferences = ctx.config.voices.clone();
            }
            o
        }
    };
    options.prosody = args.voice.prosody(ctx);
    options.pauses = args.pauses.pauses(ctx)?;
    options.per_passage = args.per_passage;
    options.subtitles = args.subtitles;
    options.force = args.force;
    let mut batch = Batch::new(args.input.files.iter().map(Source::from).collect(), options);
    batch.selectors = args.select.selectors()?;
    batch.read = args.input.read.options(&ctx.config, args.select.marks);
    batch.reading = args.reading.reading(ctx, "en")?;
    batch.output = OutputSpec::parse(args.output.as_deref())?;
    batch.jobs = args.jobs.unwrap_or(0);
    batch.check()?;

    install_signals();
    let pb = progress_bar(&ctx.rep);
    let started = std::time::Instant::now();
    let report = batch.run(&Hooks {
        cancelled: &cancelled,
        progress: &|p| match p {
            Progress::Planned { sentences } => pb.set_length(sentences as u64),
            Progress::Sentence => pb.inc(1),
            _ => {}
        },
        article: &|a| report_article(a, &ctx.rep),
    })?;
    pb.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let total = report.results.len();
    let mut interrupted = false;
    for r in &report.results {
        match r {
            Ok(m) => {
                if !m.skipped.is_empty() {
                    let nums: Vec<String> = m.skipped.iter().map(|s| (s + 1).to_string()).collect();
                    ctx.rep.note(format!(
                        "{}: left out sentence(s) {} that {} cannot pronounce (another script, or only symbols)",
                        m.input,
                        nums.join(", "),
                        m.voice
                    ));
                }
                if args.json {
                    json_line(out, &hark::json::manifest(m))?;
                } else {
                    for o in &m.outputs {
                        writeln!(out, "{}", o.path.display()).map_err(write_err)?;
                    }
                }
            }
            Err(Error::Interrupted) => interrupted = true,
            Err(e) => {
                if args.json {
                    json_line(out, &hark::json::error(e))?;
                }
                if total > 1 {
                    ctx.rep.error(e);
                }
            }
        }
    }
    let written: Vec<_> = report.manifests().collect();
    if !written.is_empty() {
        let mut voices: Vec<&str> = written.iter().map(|m| m.voice.as_str()).collect();
        voices.sort_unstable();
        voices.dedup();
        ctx.rep.note(format!(
            "wrote {} file(s), {:.1} s of audio with {} in {:.2} s",
            written.iter().map(|m| m.outputs.len()).sum::<usize>(),
            written.iter().map(|m| m.duration()).sum::<f64>(),
            voices.join(", "),
            elapsed
        ));
    }
    if interrupted {
        return Err(Error::Interrupted);
    }
    let failed = report.failed();
    if failed == 0 {
        return Ok(());
    }
    if total == 1 {
        let mut results = report.results;
        return results.remove(0).map(|_| ());
    }
    Err(Error::Batch { failed, total })
}

pub fn speak_cmd(args: &SpeakArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let text = super::literal_text(&args.text, "speak")?;
    let detected = hark::clean::detect_language(&text);
    let language = match args.engine {
        Speaker::System => detected.unwrap_or("en").to_string(),
        _ => args.voice.voice(ctx, detected)?.language,
    };
    let utterances = hark::frontend::literal_utterances(&text, &args.reading.reading(ctx, &language)?);
    if utterances.is_empty() {
        return Err(Error::Invalid("TEXT: nothing to speak".into()));
    }
    let pauses = args.pauses.pauses(ctx)?;
    let Some(path) = &args.output else {
        return play(&utterances, &args.voice, pauses, args.engine, ctx, out, detected);
    };
    let voice = export_voice(&args.voice, args.engine, ctx, detected)?;
    let mut options = ExportOptions::new(voice.clone());
    options.prosody = args.voice.prosody(ctx);
    options.pauses = pauses;
    options.force = args.force;
    install_signals();
    let m = hark::export::export_utterances("TEXT", &utterances, path, &voice, &options, &cancelled)?;
    if args.json {
        json_line(out, &hark::json::manifest(&m))?;
    } else {
        writeln!(out, "{}", path.display()).map_err(write_err)?;
    }
    ctx.rep.info(format!("{:.1} s of audio with {}", m.duration(), m.voice));
    Ok(())
}

pub fn listen_cmd(args: &ListenArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let selectors = args.select.selectors()?;
    let article = load(&args.file, &args.read.options(&ctx.config, args.select.marks), &ctx.rep)?;
    let language = match args.engine {
        Speaker::System => article.language().unwrap_or("en").to_string(),
        _ => args.voice.voice(ctx, article.language())?.language,
    };
    let reading = args.reading.reading(ctx, &language)?;
    let selection = article.select(&selectors)?;
    let utterances = article.utterances(&selection, &reading);
    if utterances.is_empty() {
        return Err(Error::NoArticle {
            input: article.source().to_string(),
            removed: article.removed().len(),
        });
    }
    play(
        &utterances,
        &args.voice,
        args.pauses.pauses(ctx)?,
        args.engine,
        ctx,
        out,
        article.language(),
    )
}

/// Speak utterances (in `language`) live, through the chosen engine.
fn play(
    utterances: &[Utterance],
    v: &VoiceArgs,
    pauses: Pauses,
    engine: Speaker,
    ctx: &Ctx,
    out: &mut dyn Write,
    language: Option<&str>,
) -> Result<()> {
    let text_ready = std::time::Instant::now();
    install_signals();
    if engine == Speaker::System {
        return system_play(utterances, v, &ctx.rep, out);
    }
    let voice = v.voice(ctx, language)?;
    if voice.engine == EngineKind::System {
        return system_play(utterances, v, &ctx.rep, out);
    }
    embedded_play(utterances, &voice, v.prosody(ctx), pauses, text_ready, &ctx.rep, out)
}

#[cfg(feature = "playback")]
fn embedded_play(
    utterances: &[Utterance],
    voice: &Voice,
    prosody: Prosody,
    pauses: Pauses,
    text_ready: std::time::Instant,
    rep: &Reporter,
    out: &mut dyn Write,
) -> Result<()> {
    use hark::speech::playback;
    let report = playback::play(voice, prosody, utterances, pauses, &cancelled, &mut |i: usize| {
        let u = &utterances[i];
        writeln!(out, "[{}] {}", u.sentence + 1, u.text)
            .and_then(|_| out.flush())
            .map_err(write_err)
    })?;
    if let Some(first) = report.first_audio {
        rep.info(format!(
            "first audio {:.0} ms after the text was ready; device {} at {} Hz",
            first.duration_since(text_ready).as_secs_f64() * 1000.0,
            report.device,
            report.device_rate
        ));
    }
    Ok(())
}

#[cfg(not(feature = "playback"))]
fn embedded_play(
    _: &[Utterance],
    _: &Voice,
    _: Prosody,
    _: Pauses,
    _: std::time::Instant,
    _: &Reporter,
    _: &mut dyn Write,
) -> Result<()> {
    Err(Error::AudioDevice(
        "this hark was built without audio playback (cargo feature `playback`, which needs libasound2-dev on Linux)"
            .into(),
    ))
}

#[cfg(feature = "system-tts")]
fn system_play(utterances: &[Utterance], v: &VoiceArgs, rep: &Reporter, out: &mut dyn Write) -> Result<()> {
    let mut speaker = hark::speech::system::SystemSpeaker::new()?;
    if let Some(name) = &v.voice {
        speaker.set_voice(name)?;
    }
    speaker.set_prosody(v.rate, v.pitch, v.volume)?;
    rep.info(format!("system TTS: {}", speaker.describe()));
    speaker.speak_all(utterances, &cancelled, &mut |i: usize| {
        let u = &utterances[i];
        writeln!(out, "[{}] {}", u.sentence + 1, u.text)
            .and_then(|_| out.flush())
            .map_err(write_err)
    })
}

#[cfg(not(feature = "system-tts"))]
fn system_play(_: &[Utterance], _: &VoiceArgs, _: &Reporter, _: &mut dyn Write) -> Result<()> {
    Err(Error::EngineNotBuilt {
        voice: "system".into(),
        engine: "system",
        feature: "system-tts",
    })
}

pub fn voices_cmd(args: &VoicesArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let mut rows: Vec<(Voice, bool, Option<String>)> = speech::catalog(&ctx.dirs)?
        .into_iter()
        .map(|v| {
            let available = v.engine.compiled_in();
            let note = (!available).then(|| format!("needs feature `{}`", v.engine.feature().unwrap_or("?")));
            (v, available, note)
        })
        .collect();
    rows.extend(
        system_voices()
            .into_iter()
            .filter(|v| args.all || !v.name.contains('+'))
            .map(|v| (v, true, None)),
    );
    if !args.all {
        rows.retain(|r| r.1);
    }
    if let Some(tag) = &args.language {
        let tag = tag.to_ascii_lowercase();
        rows.retain(|(v, _, _)| {
            let l = v.language.to_ascii_lowercase();
            l == tag || l.starts_with(&format!("{tag}-"))
        });
    }
    if args.json {
        for (v, available, note) in &rows {
            json_line(out, &hark::json::voice(v, *available, note.as_deref()))?;
        }
        return Ok(());
    }
    let w = rows.iter().map(|r| r.0.name.len()).max().unwrap_or(4).max(4);
    writeln!(
        out,
        "{:w$}  {:8}  {:6}  {:8}  DESCRIPTION",
        "NAME", "LANGUAGE", "ENGINE", "SOURCE"
    )
    .map_err(write_err)?;
    for (v, _, note) in &rows {
        let origin = match &v.origin {
            speech::Origin::User(p) => p.display().to_string(),
            speech::Origin::System => "system".to_string(),
            _ => "embedded".to_string(),
        };
        let desc = match note {
            Some(n) => format!("{} ({n})", v.description),
            None => v.description.clone(),
        };
        writeln!(
            out,
            "{:w$}  {:8}  {:6}  {:8}  {desc}",
            v.name,
            v.language,
            v.engine.name(),
            origin
        )
        .map_err(write_err)?;
    }
    Ok(())
}

#[cfg(feature = "system-tts")]
fn system_voices() -> Vec<Voice> {
    match hark::speech::system::list_voices() {
        Ok(vs) => vs,
        Err(e) => {
            eprintln!("hark: note: system TTS voices unavailable: {e}");
            Vec::new()
        }
    }
}

#[cfg(not(feature = "system-tts"))]
fn system_voices() -> Vec<Voice> {
    Vec::new()
}
