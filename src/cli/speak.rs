//! The speech commands: export, listen, speak, voices. Wiring only: the
//! work is `hark::speech` and `hark::frontend`.

use super::{load, write_err, InputArgs, ReadArgs, ReadingArgs, Reporter, SelectorArgs};
use clap::{Args, ValueEnum};
use hark::frontend::{self, NormalizeOptions, Utterance};
use hark::speech::export::{self, ExportOptions, Manifest, OutputSpec};
use hark::speech::subtitles::Format;
use hark::speech::voice::{self, EngineKind, VoiceDef};
use hark::speech::{Control, Pauses, Prosody};
use hark::{segment, Error, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

pub const EXPORT_HELP: &str = "\
Output names follow the input: -o DIR writes DIR/STEM.wav (DIR/STEM.pNN.wav with
--per-passage); -o FILE.wav names the file (one input only). Without -o, files go
to the current directory. Existing files are kept unless --force. Files appear
only when complete: an error or Ctrl-C leaves nothing behind.

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
  hark listen examples/003_79ec22bc7a4dc54c.txt --paragraphs 1-3
  hark listen page.html --marks --voice pico-en-gb
  hark listen article.txt --engine system --rate 1.3";

pub const SPEAK_HELP: &str = "\
The text is taken as given (not cleaned as an article) but split into sentences.

Examples:
  hark speak \"Kim Jong Un is expected to meet Putin.\" -o kim.wav
  echo 'Hello. Goodbye.' | hark speak - -o hello.wav
  hark speak --voice pico-en-gb \"Good evening.\"";

/// Which speech engine plays `listen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// hark's own voices (Pico, Flite), played through the sound card.
    Embedded,
    /// The platform's TTS service (speech-dispatcher, SAPI, AVFoundation).
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SubtitleFormat {
    Srt,
    Vtt,
}

#[derive(Args, Debug, Clone)]
pub struct VoiceArgs {
    /// Voice name or alias (see `hark voices`).
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
    fn prosody(&self) -> Prosody {
        Prosody {
            rate: self.rate.unwrap_or(1.0),
            pitch: self.pitch.unwrap_or(1.0),
            volume: self.volume.unwrap_or(1.0),
        }
    }

    fn voice(&self) -> Result<VoiceDef> {
        voice::find(self.voice.as_deref().unwrap_or(voice::DEFAULT_VOICE))
    }
}

#[derive(Args, Debug, Clone)]
pub struct PauseArgs {
    /// Silence between sentences, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub sentence_pause: u32,
    /// Silence between paragraphs (and passages), in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 700)]
    pub paragraph_pause: u32,
}

impl PauseArgs {
    fn pauses(&self) -> Result<Pauses> {
        if self.sentence_pause > 60_000 || self.paragraph_pause > 60_000 {
            return Err(Error::Usage("pauses are limited to 60000 ms".into()));
        }
        Ok(Pauses {
            sentence_ms: self.sentence_pause,
            paragraph_ms: self.paragraph_pause,
        })
    }
}

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
    #[arg(long, value_name = "FORMAT")]
    pub subtitles: Option<SubtitleFormat>,
    /// Overwrite existing files.
    #[arg(short, long)]
    pub force: bool,
    /// Print a JSON manifest: outputs, voice, duration, sentence times.
    #[arg(long)]
    pub json: bool,
    /// Engine; only embedded voices can render files.
    #[arg(long, value_enum, default_value = "embedded")]
    pub engine: EngineChoice,
    /// Inputs rendered at once (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

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
    #[arg(long, value_enum, default_value = "embedded")]
    pub engine: EngineChoice,
}

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
    /// With -o: print a JSON manifest.
    #[arg(long)]
    pub json: bool,
    /// Who speaks when playing: hark's embedded voices or the platform's TTS service.
    #[arg(long, value_enum, default_value = "embedded")]
    pub engine: EngineChoice,
}

#[derive(Args, Debug)]
pub struct VoicesArgs {
    /// Print JSON.
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

/// Ctrl-C sets a flag that the render loops poll; they stop within one
/// engine buffer and drop their temporary files.
fn install_ctrlc() {
    let _ = ctrlc::set_handler(|| CANCELLED.store(true, Ordering::SeqCst));
}

fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// Clean, select and turn one input into utterances.
fn prepare(
    file: &str,
    read: &ReadArgs,
    selectors: &[segment::Selector],
    norm: Option<&NormalizeOptions>,
    rep: &Reporter,
) -> Result<(Vec<Utterance>, usize)> {
    let cleaned = load(file, read, rep)?;
    let doc = &cleaned.document;
    let sentences = segment::sentences(doc);
    let selection = segment::select(doc, &sentences, selectors)?;
    let mut utterances = frontend::utterances(doc, &sentences, &selection);
    if utterances.is_empty() {
        return Err(Error::bad_input(file, "no text left to speak after cleaning"));
    }
    if let Some(opts) = norm {
        frontend::normalize_utterances(&mut utterances, opts);
    }
    Ok((utterances, selection.passages.len()))
}

fn export_voice(v: &VoiceArgs, engine: EngineChoice) -> Result<VoiceDef> {
    if engine == EngineChoice::System {
        return Err(Error::Usage(
            "the system TTS engine speaks by itself and cannot render audio files; \
             export with an embedded voice (see `hark voices`), or use `hark listen --engine system`"
                .into(),
        ));
    }
    let voice = v.voice()?;
    if voice.engine == EngineKind::System {
        return export_voice(v, EngineChoice::System);
    }
    Ok(voice)
}

fn progress_bar(rep: &Reporter, total: u64) -> ProgressBar {
    if rep.level < 0 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sentences {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

pub fn export_cmd(args: &ExportArgs, rep: &Reporter, out: &mut dyn Write) -> Result<()> {
    let voice = export_voice(&args.voice, args.engine)?;
    // Refuse bad prosody or a bad lexicon before reading anything.
    hark::speech::check_prosody(&voice, args.voice.prosody())?;
    let norm = args.reading.options(&voice.language)?;
    let pauses = args.pauses.pauses()?;
    let selectors = args.select.selectors()?;
    let spec = OutputSpec::parse(args.output.as_deref())?;
    let files = &args.input.files;
    if files.iter().filter(|f| *f == "-").count() > 1 {
        return Err(Error::Usage("standard input (-) can be read only once".into()));
    }
    if files.len() > 1 && matches!(spec, OutputSpec::File(_)) {
        return Err(Error::Usage(format!(
            "{} inputs cannot share one output file; give -o a directory",
            files.len()
        )));
    }
    if let OutputSpec::Dir(d) = &spec {
        if !d.exists() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(format!("creating {}", d.display()), e))?;
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Engine(format!("starting worker threads: {e}")))?;

    // 1. Read, clean and select every input; plan every output file.
    let prepared: Vec<(Vec<Utterance>, usize)> = pool.install(|| {
        files
            .par_iter()
            .map(|f| prepare(f, &args.input.read, &selectors, norm.as_ref(), rep))
            .collect::<Result<_>>()
    })?;
    let subtitles = args.subtitles.map(|s| match s {
        SubtitleFormat::Srt => Format::Srt,
        SubtitleFormat::Vtt => Format::Vtt,
    });
    let targets: Vec<Vec<PathBuf>> = files
        .iter()
        .zip(&prepared)
        .map(|(f, (_, passages))| export::output_paths(f, &spec, *passages, args.per_passage))
        .collect();
    let mut seen = std::collections::HashMap::new();
    for (f, t) in files.iter().zip(&targets) {
        for p in export::planned_files(t, subtitles) {
            if let Some(other) = seen.insert(p.clone(), f) {
                return Err(Error::Usage(format!(
                    "{other} and {f} would both write {}; export them to different directories",
                    p.display()
                )));
            }
            hark::speech::wav::check_target(&p, args.force)?;
        }
    }

    // 2. Render in parallel, each input with its own engine.
    install_ctrlc();
    let total: usize = prepared.iter().map(|(u, _)| u.len()).sum();
    let pb = progress_bar(rep, total as u64);
    let opts = ExportOptions {
        voice: voice.clone(),
        prosody: args.voice.prosody(),
        pauses,
        per_passage: args.per_passage,
        subtitles,
        force: args.force,
    };
    let started = std::time::Instant::now();
    let results: Vec<Result<Manifest>> = pool.install(|| {
        files
            .par_iter()
            .zip(&prepared)
            .zip(&targets)
            .map(|((file, (utterances, _)), targets)| {
                let pb = pb.clone();
                export::export(
                    file,
                    utterances,
                    targets,
                    &opts,
                    &mut Control {
                        cancelled: &cancelled,
                        on_sentence: &mut |i, _| {
                            if i > 0 {
                                pb.inc(1)
                            }
                        },
                    },
                )
                .inspect(|_| pb.inc(1))
            })
            .collect()
    });
    pb.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let mut manifests = Vec::new();
    let mut first_err = None;
    for r in results {
        match r {
            Ok(m) => manifests.push(m),
            Err(Error::Interrupted) => {
                first_err.get_or_insert(Error::Interrupted);
            }
            Err(e) => {
                if files.len() > 1 {
                    eprintln!("hark: error: {e}");
                }
                first_err.get_or_insert(e);
            }
        }
    }
    let audio: f64 = manifests.iter().map(Manifest::duration).sum();
    if args.json {
        let value = if files.len() == 1 && manifests.len() == 1 {
            serde_json::to_value(&manifests[0])
        } else {
            serde_json::to_value(&manifests)
        }
        .expect("json");
        writeln!(out, "{}", serde_json::to_string_pretty(&value).expect("json")).map_err(write_err)?;
    } else {
        for m in &manifests {
            for o in &m.outputs {
                writeln!(out, "{}", o.path.display()).map_err(write_err)?;
            }
        }
    }
    if !manifests.is_empty() {
        rep.note(format!(
            "wrote {} file(s), {:.1} s of audio with {} in {:.2} s",
            manifests.iter().map(|m| m.outputs.len()).sum::<usize>(),
            audio,
            voice.name,
            elapsed
        ));
    }
    match first_err {
        Some(e) if files.len() > 1 && !matches!(e, Error::Interrupted) => Err(Error::Engine(format!(
            "{} of {} inputs failed (see above)",
            files.len() - manifests.len(),
            files.len()
        ))),
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub fn speak_cmd(args: &SpeakArgs, rep: &Reporter, out: &mut dyn Write) -> Result<()> {
    let text = if args.text == "-" {
        let raw = hark::input::read_source("-")?;
        hark::input::decode(&raw, None)?.text
    } else {
        args.text.clone()
    };
    let mut utterances = frontend::literal_utterances(&text);
    if let Some(opts) = args.reading.options(&language_of(&args.voice, args.engine)?)? {
        frontend::normalize_utterances(&mut utterances, &opts);
    }
    if utterances.is_empty() {
        return Err(Error::bad_input(
            if args.text == "-" { "<stdin>" } else { "TEXT" },
            "nothing to speak",
        ));
    }
    let pauses = args.pauses.pauses()?;
    let Some(path) = &args.output else {
        return play(&utterances, &args.voice, pauses, args.engine, rep, out);
    };
    let voice = export_voice(&args.voice, args.engine)?;
    install_ctrlc();
    let opts = ExportOptions {
        voice,
        prosody: args.voice.prosody(),
        pauses,
        per_passage: false,
        subtitles: None,
        force: args.force,
    };
    let m = export::export(
        "TEXT",
        &utterances,
        std::slice::from_ref(path),
        &opts,
        &mut Control {
            cancelled: &cancelled,
            on_sentence: &mut |_, _| {},
        },
    )?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&m).expect("json")).map_err(write_err)?;
    } else {
        writeln!(out, "{}", path.display()).map_err(write_err)?;
    }
    rep.info(format!("{:.1} s of audio with {}", m.duration(), m.voice));
    Ok(())
}

pub fn listen_cmd(args: &ListenArgs, rep: &Reporter, out: &mut dyn Write) -> Result<()> {
    let selectors = args.select.selectors()?;
    let norm = args.reading.options(&language_of(&args.voice, args.engine)?)?;
    let (utterances, _) = prepare(&args.file, &args.read, &selectors, norm.as_ref(), rep)?;
    play(&utterances, &args.voice, args.pauses.pauses()?, args.engine, rep, out)
}

/// The language the text will be spoken in: the voice's, or English for
/// the system engine's default voice.
fn language_of(v: &VoiceArgs, engine: EngineChoice) -> Result<String> {
    if engine == EngineChoice::System {
        return Ok("en".into());
    }
    Ok(v.voice()?.language)
}

/// Speak utterances live, through the chosen engine.
fn play(
    utterances: &[Utterance],
    v: &VoiceArgs,
    pauses: Pauses,
    engine: EngineChoice,
    rep: &Reporter,
    out: &mut dyn Write,
) -> Result<()> {
    let text_ready = std::time::Instant::now();
    install_ctrlc();
    match engine {
        EngineChoice::System => system_play(utterances, v, rep, out),
        EngineChoice::Embedded => {
            let voice = v.voice()?;
            if voice.engine == EngineKind::System {
                return system_play(utterances, v, rep, out);
            }
            embedded_play(utterances, &voice, v.prosody(), pauses, text_ready, rep, out)
        }
    }
}

#[cfg(feature = "playback")]
fn embedded_play(
    utterances: &[Utterance],
    voice: &VoiceDef,
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
    _: &VoiceDef,
    _: Prosody,
    _: Pauses,
    _: std::time::Instant,
    _: &Reporter,
    _: &mut dyn Write,
) -> Result<()> {
    Err(Error::Engine(
        "this hark was built without audio playback; rebuild with `cargo build --release --features playback` \
         (needs libasound2-dev on Linux), or write a file instead: `hark export FILE -o out.wav`"
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
    Err(Error::Engine(
        "this hark was built without system TTS; rebuild with `--features system-tts` \
         (needs libspeechd-dev and libclang-dev on Linux), or use the embedded voices"
            .into(),
    ))
}

#[derive(serde::Serialize)]
struct VoiceRow {
    name: String,
    aliases: Vec<String>,
    language: String,
    engine: &'static str,
    description: String,
    sample_rate: u32,
    origin: voice::Origin,
    available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

pub fn voices_cmd(args: &VoicesArgs, out: &mut dyn Write) -> Result<()> {
    let mut rows: Vec<VoiceRow> = voice::catalog()?
        .into_iter()
        .map(|v| VoiceRow {
            available: v.engine.compiled_in(),
            note: (!v.engine.compiled_in()).then(|| format!("needs feature `{}`", v.engine.feature().unwrap_or("?"))),
            name: v.name,
            aliases: v.aliases,
            language: v.language,
            engine: v.engine.name(),
            description: v.description,
            sample_rate: v.sample_rate,
            origin: v.origin,
        })
        .collect();
    rows.extend(
        system_voices()
            .into_iter()
            .filter(|r| args.all || !r.name.contains('+')),
    );
    if !args.all {
        rows.retain(|r| r.available);
    }
    if let Some(tag) = &args.language {
        let tag = tag.to_ascii_lowercase();
        rows.retain(|r| {
            let l = r.language.to_ascii_lowercase();
            l == tag || l.starts_with(&format!("{tag}-"))
        });
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows).expect("json")).map_err(write_err)?;
        return Ok(());
    }
    let w = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    writeln!(
        out,
        "{:w$}  {:8}  {:6}  {:8}  DESCRIPTION",
        "NAME", "LANGUAGE", "ENGINE", "SOURCE"
    )
    .map_err(write_err)?;
    for r in &rows {
        let origin = match &r.origin {
            voice::Origin::Embedded => "embedded".to_string(),
            voice::Origin::User(p) => p.display().to_string(),
            voice::Origin::System => "system".to_string(),
        };
        let desc = match &r.note {
            Some(n) => format!("{} ({n})", r.description),
            None => r.description.clone(),
        };
        writeln!(
            out,
            "{:w$}  {:8}  {:6}  {:8}  {desc}",
            r.name, r.language, r.engine, origin
        )
        .map_err(write_err)?;
    }
    Ok(())
}

#[cfg(feature = "system-tts")]
fn system_voices() -> Vec<VoiceRow> {
    match hark::speech::system::list_voices() {
        Ok(vs) => vs
            .into_iter()
            .map(|v| VoiceRow {
                name: v.name,
                aliases: Vec::new(),
                language: v.language,
                engine: "system",
                description: v.description,
                sample_rate: 0,
                origin: voice::Origin::System,
                available: true,
                note: None,
            })
            .collect(),
        Err(e) => {
            eprintln!("hark: note: system TTS voices unavailable: {e}");
            Vec::new()
        }
    }
}

#[cfg(not(feature = "system-tts"))]
fn system_voices() -> Vec<VoiceRow> {
    Vec::new()
}
