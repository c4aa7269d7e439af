//! The speech commands: export, listen, speak, voices. Wiring only: the
//! work is `hark::export::Batch`, `hark::speech` and `hark::frontend`.

use super::choice::choice;
use super::{
    json_line, load, report_article, write_err, Ctx, InputArgs, ReadArgs, ReadingArgs, Reporter, SelectorArgs,
};
use clap::{Args, Subcommand};
use hark::export::{Batch, ExportOptions, Hooks, OutputSpec, Progress};
use hark::frontend::Utterance;
use hark::speech::{
    self, AudioFormat, EngineKind, Loudness, Pauses, Prosody, RenderOptions, Speaker, SubtitleFormat, Voice,
};
use hark::{Error, Result, Source};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

pub const EXPORT_HELP: &str = "\
Inputs are files, directories (read recursively; --glob picks the files), http(s)://
URLs, @LIST files of paths and URLs, or - for standard input.

Output names follow the input: -o DIR writes DIR/STEM.wav (DIR/STEM.pNN.wav with
--per-passage); -o FILE.wav|.flac|.mp3|.opus names the file (one input only);
-o - streams one file to standard output. Without -o, files go to the current
directory. The format is --format, else the file's extension, else WAV; FLAC, MP3
and Opus carry the title, source, date and language as tags and a chapter per
paragraph. Files appear only when complete: an error, Ctrl-C, SIGTERM or SIGHUP
leaves nothing behind.

Into a directory, hark keeps hark-export.json: a re-run skips inputs whose text,
settings and files are unchanged, redoes the rest (replacing only files it wrote)
and, with --per-passage, removes passages a shorter run no longer makes. Other
existing files are kept unless --force. Each input succeeds or fails on its own:
failures are named and the others are still written (exit 1).

Examples:
  hark export examples/001_4b6f62f767aa35ac.txt -o out.wav
  hark export a.txt b.html -o audio/ --voice pico-en-gb --rate 1.2
  hark export saved-pages/ --glob '*.html' -o audio/ --format opus
  hark export @reading-list.txt -o podcast/ --format mp3 --feed podcast/feed.xml \\
      --feed-url https://example.com/podcast --playlist podcast/list.m3u
  hark export https://example.com/story.html -o - --format flac > story.flac
  hark export a.txt --quote \"warned publicly\" --per-passage --subtitles vtt
  hark export --cross-reference today/*.html -o audio/   # versions of a story de-spin each other
  hark export --json a.txt -o a.wav | jq '.outputs[0].sentences[0]'";

pub const LISTEN_HELP: &str = "\
On a terminal: a full-screen reader with the sentence being spoken highlighted.
Keys: space pause/resume, n/p (or arrows) next/previous sentence, ]/[ paragraph,
+/- rate, v next voice of the language, g/G start/end, / search, ? keys, q quit.
Quitting keeps your place for the next listen of the same article (--from N,
--from-start). Piped or with --plain: each sentence is printed as it sounds.

Sound goes to the sound card (build feature `playback`), else to pw-play, paplay
or aplay, or to --player CMD; --engine system speaks through the platform's TTS
service instead (build feature `system-tts`).

Examples:
  hark listen examples/003_b469bd4e41b0bdd9.txt --paragraphs 1-3
  hark listen page.html --marks --voice pico-en-gb
  hark listen article.txt --engine system --rate 1.3
  hark listen article.txt --plain --player 'sox -t raw -r {rate} -e signed -b 16 -c 1 - -d'";

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
    /// Bring the speech to this integrated loudness (EBU R128), true peaks under -1 dBTP [default: -16].
    #[arg(
        long,
        value_name = "LUFS",
        allow_negative_numbers = true,
        conflicts_with = "no_loudness"
    )]
    pub loudness: Option<f64>,
    /// Leave the engine's own levels alone.
    #[arg(long)]
    pub no_loudness: bool,
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

    /// The loudness target: the flag, else the config file's, else -16 LUFS.
    fn loudness(&self, ctx: &Ctx) -> Result<Option<Loudness>> {
        if self.no_loudness {
            return Ok(None);
        }
        let lufs = match (self.loudness, ctx.config.loudness) {
            (Some(v), _) => v,
            (None, Some(None)) => return Ok(None),
            (None, Some(Some(v))) => v as f64,
            (None, None) => Loudness::default().target_lufs,
        };
        if !(-70.0..=-5.0).contains(&lufs) {
            return Err(Error::Invalid(format!(
                "--loudness {lufs}: give a target between -70 and -5 LUFS"
            )));
        }
        Ok(Some(Loudness::lufs(lufs)))
    }

    fn render_options(&self, ctx: &Ctx) -> Result<RenderOptions> {
        Ok(RenderOptions {
            pauses: self.pauses(ctx)?,
            loudness: self.loudness(ctx)?,
        })
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
    /// A directory, one file (.wav, .flac, .mp3, .opus; one input only), or - for standard output.
    #[arg(short, long, value_name = "DIR|FILE|-")]
    pub output: Option<String>,
    /// Audio format [default: from the output file's name, else wav].
    #[arg(long, value_name = "FORMAT", value_parser = choice::<AudioFormat>())]
    pub format: Option<AudioFormat>,
    /// Do not read or write hark-export.json: render every input, skip nothing.
    #[arg(long)]
    pub no_resume: bool,
    /// Also write an M3U playlist of the files, in input order.
    #[arg(long, value_name = "FILE.m3u")]
    pub playlist: Option<PathBuf>,
    /// Also write a podcast feed (RSS 2.0 with iTunes tags) of every export in the output directory.
    #[arg(long, value_name = "FILE.xml")]
    pub feed: Option<PathBuf>,
    /// The URL the output directory is served at, for the feed's enclosures [default: file:// URLs].
    #[arg(long, value_name = "URL", requires = "feed")]
    pub feed_url: Option<String>,
    /// The feed's title [default: --album, else the directory's name].
    #[arg(long, value_name = "TITLE", requires = "feed")]
    pub feed_title: Option<String>,
    /// The album tag of every file (and the feed's default title).
    #[arg(long, value_name = "NAME")]
    pub album: Option<String>,
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
    /// Start at this sentence (1-based) instead of where you stopped last time.
    #[arg(long, value_name = "N", conflicts_with = "from_start")]
    pub from: Option<usize>,
    /// Start at the beginning, ignoring where you stopped last time.
    #[arg(long)]
    pub from_start: bool,
    /// Play through this command instead of the sound card: it reads s16le mono PCM on standard input,
    /// `{rate}` is replaced by the sample rate (default without the playback feature: pw-play, paplay or aplay;
    /// also $HARK_PLAYER).
    #[arg(long, value_name = "CMD")]
    pub player: Option<String>,
    /// Print each sentence as it plays instead of the full-screen reader (the default when
    /// standard input or output is not a terminal).
    #[arg(long)]
    pub plain: bool,
}

pub const PICK_HELP: &str =
    "Keys: arrows or j/k move, ]/[ by paragraph; space marks a sentence, v starts and ends a range,
P marks the paragraph, c clears; enter reads the marked passages aloud (q there comes back here),
e exports them with the options given after --, y prints them as --sentences ranges and a
#:~:text= fragment and quits; ? shows the keys, q quits.

Examples:
  hark pick examples/001_4b6f62f767aa35ac.txt
  hark pick article.html -- -o picked.mp3 --voice pico-en-gb
  hark listen article.html $(hark pick article.html | head -1)";

/// Arguments of `hark pick`.
#[derive(Args, Debug)]
pub struct PickArgs {
    /// The article (plain text or HTML).
    #[arg(value_name = "FILE")]
    pub file: String,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub pauses: PauseArgs,
    /// Play through this command instead of the sound card (as `hark listen --player`).
    #[arg(long, value_name = "CMD")]
    pub player: Option<String>,
    /// What `e` passes to `hark export` besides the file and the marked sentences (e.g. -o picked.mp3).
    #[arg(last = true, value_name = "EXPORT-OPTIONS")]
    pub export: Vec<String>,
}

/// Arguments of `hark speak`.
#[derive(Args, Debug)]
pub struct SpeakArgs {
    /// The text to speak; `-` reads standard input.
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// Write an audio file (.wav, .flac, .mp3, .opus; - for standard output) instead of playing.
    #[arg(short, long, value_name = "FILE")]
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
    /// With -o: the audio format [default: from the file's name, else wav].
    #[arg(long, value_name = "FORMAT", value_parser = choice::<AudioFormat>(), requires = "output")]
    pub format: Option<AudioFormat>,
    /// Who speaks when playing: hark's embedded voices or the platform's TTS service.
    #[arg(long, value_name = "ENGINE", default_value = "embedded", value_parser = choice::<Speaker>())]
    pub engine: Speaker,
}

/// Arguments of `hark voices`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct VoicesArgs {
    /// Install or remove a voice.
    #[command(subcommand)]
    pub action: Option<VoicesAction>,
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

/// `hark voices add` / `hark voices remove`.
#[derive(Debug, Subcommand)]
pub enum VoicesAction {
    /// Install a neural voice you have (Piper: the .onnx with its .onnx.json beside it; Kokoro: the model and --style FILE).
    #[command(
        after_help = "Examples:\n  hark voices add ~/voices/en_US-joe-medium.onnx\n  hark voices add kokoro-v1.0.int8.onnx --style af_heart.bin --link\n  hark voices add en_US-joe-medium.onnx --name joe && hark export article.txt --voice joe\n\nThe files are checked (phoneme type, sample rate, ONNX opset) and copied, or linked with --link, into\nthe data directory (~/.local/share/hark/voices/NAME/). hark never downloads voices. Speaking with them\nneeds a build with the `neural` feature and ONNX Runtime (`pip install onnxruntime`)."
    )]
    Add {
        /// The Piper .onnx (or its .onnx.json, or a directory holding one pair), or a Kokoro model with --style.
        path: PathBuf,
        /// A Kokoro voice-style file (e.g. af_heart.bin from the kokoro-js package).
        #[arg(long, value_name = "FILE")]
        style: Option<PathBuf>,
        /// Install under this name.
        #[arg(long)]
        name: Option<String>,
        /// Link to the files instead of copying them.
        #[arg(long)]
        link: bool,
        /// The voice's language (BCP 47), when its files do not say.
        #[arg(long, value_name = "TAG")]
        language: Option<String>,
    },
    /// Remove a voice `hark voices add` installed.
    Remove {
        /// Its name.
        name: String,
    },
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
    options.loudness = args.pauses.loudness(ctx)?;
    options.per_passage = args.per_passage;
    options.subtitles = args.subtitles;
    options.force = args.force;
    options.format = args.format;
    options.album = args.album.clone();
    let output = OutputSpec::parse(args.output.as_deref())?;
    let to_stdout = output == OutputSpec::Stdout;
    if to_stdout && args.json {
        return Err(Error::Invalid(
            "--json and -o - would both write to standard output".into(),
        ));
    }
    // Each name stands for inputs or for its own error; the batch gets the
    // inputs, and the errors take their places in the report.
    let gathered = args.input.sources();
    let sources: Vec<Source> = gathered.iter().filter_map(|g| g.as_ref().ok().cloned()).collect();
    let mut batch = Batch::new(sources, options);
    batch.selectors = args.select.selectors()?;
    batch.read = args.input.read.options(ctx, args.select.marks)?;
    batch.reading = args.reading.reading(ctx, "en")?;
    batch.output = output;
    batch.jobs = args.jobs.unwrap_or(0);
    batch.resume = !args.no_resume;
    batch.playlist = args.playlist.clone();
    batch.cross_reference = args.input.cross_reference;
    batch.feed = args.feed.as_ref().map(|path| hark::export::FeedOptions {
        path: path.clone(),
        base_url: args.feed_url.clone(),
        title: args.feed_title.clone(),
        description: None,
    });
    if gathered.len() == 1 {
        if let Err(e) = &gathered[0] {
            return Err(clone_err(e));
        }
    }
    batch.check()?;

    install_signals();
    let pb = progress_bar(&ctx.rep);
    let started = std::time::Instant::now();
    let report = if batch.inputs.is_empty() {
        hark::export::BatchReport::default()
    } else {
        batch.run(&Hooks {
            cancelled: &cancelled,
            progress: &|p| match p {
                Progress::Planned { sentences } => pb.set_length(sentences as u64),
                Progress::Sentence => pb.inc(1),
                _ => {}
            },
            article: &|a| report_article(a, &ctx.rep),
        })?
    };
    pb.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    let mut report = report;
    if let Some(s) = report.streamed.take() {
        s.write_to(out)?;
    }

    let mut from_batch = report.results.into_iter();
    let results: Vec<Result<hark::export::Manifest>> = gathered
        .into_iter()
        .map(|g| match g {
            Ok(_) => from_batch.next().unwrap_or(Err(Error::Interrupted)),
            Err(e) => Err(e),
        })
        .collect();
    let total = results.len();
    let mut interrupted = false;
    let mut up_to_date = 0;
    for r in &results {
        match r {
            Ok(m) => {
                if m.up_to_date {
                    up_to_date += 1;
                    ctx.rep.info(format!("{}: up to date", m.input));
                }
                for p in &m.removed {
                    ctx.rep
                        .info(format!("{}: removed {} (no longer made)", m.input, p.display()));
                }
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
                } else if !to_stdout {
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
    let written: Vec<&hark::export::Manifest> = results.iter().flatten().filter(|m| !m.up_to_date).collect();
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
    if up_to_date > 0 {
        ctx.rep.note(format!(
            "{up_to_date} input(s) up to date, not rendered again (--force redoes them)"
        ));
    }
    for x in &report.extras {
        ctx.rep.note(format!("wrote {}", x.display()));
    }
    if interrupted {
        return Err(Error::Interrupted);
    }
    let failed = results.iter().filter(|r| r.is_err()).count();
    if failed == 0 {
        return Ok(());
    }
    if total == 1 {
        let mut results = results;
        return results.remove(0).map(|_| ());
    }
    Err(Error::Batch { failed, total })
}

/// The error of the only input, to return as the run's own.
fn clone_err(e: &Error) -> Error {
    match e {
        Error::NothingToRead { input } => Error::NothingToRead { input: input.clone() },
        Error::BadPattern { pattern, reason } => Error::BadPattern {
            pattern: pattern.clone(),
            reason: reason.clone(),
        },
        Error::Unreadable { input, source } => Error::Unreadable {
            input: input.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        other => Error::Invalid(other.to_string()),
    }
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
    let shape = args.pauses.render_options(ctx)?;
    let Some(path) = &args.output else {
        return play(
            &utterances,
            &args.voice,
            shape,
            args.engine,
            None,
            ctx,
            &mut |u: &Utterance| print_sentence(out, u),
            detected,
        );
    };
    let voice = export_voice(&args.voice, args.engine, ctx, detected)?;
    let mut options = ExportOptions::new(voice.clone());
    options.prosody = args.voice.prosody(ctx);
    options.pauses = shape.pauses;
    options.loudness = shape.loudness;
    options.force = args.force;
    options.format = args.format;
    install_signals();
    if path.as_os_str() == "-" && args.json {
        return Err(Error::Invalid(
            "--json and -o - would both write to standard output".into(),
        ));
    }
    let m = if path.as_os_str() == "-" {
        hark::export::export_utterances_to("TEXT", &utterances, &voice, &options, &cancelled, out)?
    } else {
        hark::export::export_utterances("TEXT", &utterances, path, &voice, &options, &cancelled)?
    };
    if args.json {
        json_line(out, &hark::json::manifest(&m))?;
    } else if path.as_os_str() != "-" {
        writeln!(out, "{}", path.display()).map_err(write_err)?;
    }
    ctx.rep.info(format!("{:.1} s of audio with {}", m.duration(), m.voice));
    Ok(())
}

pub fn listen_cmd(args: &ListenArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    use std::io::IsTerminal;
    let selectors = args.select.selectors()?;
    let article = load(&args.file, &args.read.options(ctx, args.select.marks)?, &ctx.rep)?;
    let language = match args.engine {
        Speaker::System => article.language().unwrap_or("en").to_string(),
        _ => args.voice.voice(ctx, article.language())?.language,
    };
    let reading = args.reading.reading(ctx, &language)?;
    let selection = article.select(&selectors)?;
    let mut utterances = article.utterances(&selection, &reading);
    if utterances.is_empty() {
        return Err(Error::NoArticle {
            input: article.source().to_string(),
            removed: article.removed().len(),
        });
    }
    // Where to start: --from, --from-start, else where listening stopped.
    let total = article.sentences().len();
    let stored = speech::resume::load(&ctx.dirs, &article).filter(|p| p.sentence > 1);
    let start = match (args.from, args.from_start, stored) {
        (Some(n), _, _) if n == 0 || n > total => {
            return Err(Error::Invalid(format!(
                "--from {n}: the article has sentences 1 to {total}"
            )))
        }
        (Some(n), _, _) => n,
        (None, true, _) | (None, false, None) => 1,
        (None, false, Some(p)) => {
            let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            if interactive && ask(&format!("Continue from sentence {} of {total}? [Y/n] ", p.sentence)) {
                p.sentence
            } else {
                ctx.rep.note(format!(
                    "you stopped at sentence {} last time; `--from {}` goes on from there",
                    p.sentence, p.sentence
                ));
                1
            }
        }
    };
    if !args.plain && std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        let voice = match args.engine {
            Speaker::System => None,
            _ => Some(args.voice.voice(ctx, article.language())?).filter(|v| v.engine != EngineKind::System),
        };
        let start_at = utterances
            .iter()
            .position(|u| u.sentence + 1 >= start)
            .ok_or_else(|| Error::Invalid(format!("nothing selected from sentence {start} on; try --from-start")))?;
        return reader_listen(&article, &utterances, voice, start_at, args, ctx);
    }
    utterances.retain(|u| u.sentence + 1 >= start);
    if utterances.is_empty() {
        return Err(Error::Invalid(format!(
            "nothing selected from sentence {start} on; try --from-start"
        )));
    }
    let mut heard: Option<usize> = None;
    let result = play(
        &utterances,
        &args.voice,
        args.pauses.render_options(ctx)?,
        args.engine,
        args.player.as_deref(),
        ctx,
        &mut |u: &Utterance| {
            heard = Some(u.sentence + 1);
            print_sentence(out, u)
        },
        article.language(),
    );
    match &result {
        Ok(()) => speech::resume::forget(&ctx.dirs, &article),
        Err(Error::Interrupted) => keep_place(ctx, &article, heard),
        Err(_) => {}
    }
    result
}

/// Remember where listening stopped (sentence `heard`, 1-based).
fn keep_place(ctx: &Ctx, article: &hark::Article, heard: Option<usize>) {
    if let Some(n) = heard {
        match speech::resume::save(&ctx.dirs, article, n) {
            Ok(()) => ctx.rep.note(format!(
                "stopped at sentence {n}; the next `hark listen` of it offers to go on"
            )),
            Err(e) => ctx.rep.note(format!("could not keep the position: {e}")),
        }
    }
}

/// The audio output of the full-screen reader: `--player`/`$HARK_PLAYER`,
/// else the sound card (feature `playback`), else pw-play/paplay/aplay.
fn reader_output(player: Option<&str>) -> Result<Box<dyn speech::reader::Output>> {
    use speech::external::{Player, PlayerOutput};
    if let Some(cmd) = player {
        return Ok(Box::new(PlayerOutput::new(Player::command(cmd))));
    }
    #[cfg(feature = "playback")]
    if std::env::var_os("HARK_PLAYER").is_none() {
        return Ok(Box::new(speech::playback::DeviceOutput::open()?));
    }
    Player::find()
        .map(|p| Box::new(PlayerOutput::new(p)) as Box<dyn speech::reader::Output>)
        .ok_or_else(|| {
            Error::AudioDevice(
                "no way to play sound: this hark has no sound-card playback (cargo feature `playback`) \
                 and none of pw-play, paplay or aplay is installed (or give --player CMD)"
                    .into(),
            )
        })
}

/// What the reader shows, run by a driver; its outcome.
type Show<'a> = dyn FnMut(&mut super::tui::Driver<'_>) -> Result<speech::reader::Outcome> + 'a;

/// The full-screen reader with the system's speech service speaking.
#[cfg(feature = "system-tts")]
fn system_reader(
    utterances: &[Utterance],
    start: usize,
    v: &VoiceArgs,
    show: &mut Show<'_>,
) -> Result<(Result<speech::reader::Outcome>, String)> {
    let mut speaker = hark::speech::system::SystemSpeaker::new()?;
    if let Some(name) = &v.voice {
        speaker.set_voice(name)?;
    }
    speaker.set_prosody(v.rate, v.pitch, v.volume)?;
    let via = format!("the system service, {}", speaker.describe());
    let rate = v.rate.unwrap_or(1.0);
    let outcome = show(&mut |next| speaker.read(utterances, start, rate, next));
    Ok((outcome, via))
}

#[cfg(not(feature = "system-tts"))]
fn system_reader(
    _: &[Utterance],
    _: usize,
    _: &VoiceArgs,
    _: &mut Show<'_>,
) -> Result<(Result<speech::reader::Outcome>, String)> {
    Err(Error::EngineNotBuilt {
        voice: "system".into(),
        engine: "system",
        feature: "system-tts",
    })
}

/// The reader's options from the voice flags and pauses.
fn reader_options(voice: Voice, v: &VoiceArgs, p: &PauseArgs, ctx: &Ctx) -> Result<speech::reader::ReaderOptions> {
    let mut options = speech::reader::ReaderOptions::new(voice);
    options.prosody = v.prosody(ctx);
    options.render = p.render_options(ctx)?;
    Ok(options)
}

/// `hark listen` on a terminal: the full-screen reader, with `voice`
/// (None: the system's speech service).
fn reader_listen(
    article: &hark::Article,
    utterances: &[Utterance],
    voice: Option<Voice>,
    start: usize,
    args: &ListenArgs,
    ctx: &Ctx,
) -> Result<()> {
    install_signals();
    let screen = super::tui::Screen::new(article, utterances);
    // The sentence on screen, kept even when the reading fails.
    let mut at = start;
    let mut show = |drive: &mut super::tui::Driver<'_>| -> Result<speech::reader::Outcome> {
        let mut full = super::tui::FullScreen::enter(false)?;
        super::tui::run_reader(
            &mut full.terminal,
            &mut |wait, state: &speech::reader::State| {
                at = state.current;
                super::tui::terminal_events(wait, state)
            },
            &screen,
            drive,
            &cancelled,
        )
    };
    let (outcome, via) = match voice {
        Some(voice) => {
            let mut output = reader_output(args.player.as_deref())?;
            // The voices `v` goes through: this one, then the others of its
            // language this build can speak with.
            let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
            let mut voices = vec![voice.clone()];
            if let Ok(all) = speech::catalog(&ctx.dirs) {
                voices.extend(all.into_iter().filter(|v| {
                    v.name != voice.name
                        && primary(&v.language) == primary(&voice.language)
                        && v.engine != EngineKind::System
                        && v.unavailable().is_none()
                }));
            }
            let mut options = reader_options(voice, &args.voice, &args.pauses, ctx)?;
            options.voices = voices;
            options.start = start;
            let outcome = show(&mut super::tui::engine_driver(utterances, &options, output.as_mut()));
            (outcome, output.name())
        }
        None => system_reader(utterances, start, &args.voice, &mut show)?,
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            // The device went away, say: the terminal is back; keep the place.
            keep_place(ctx, article, Some(utterances[at].sentence + 1));
            return Err(e);
        }
    };
    if let Some(t) = outcome.first_audio {
        ctx.rep.info(format!(
            "first audio {:.0} ms after the reader started; played through {via}",
            t.as_secs_f64() * 1000.0,
        ));
    }
    if !outcome.latencies.is_empty() {
        let mut ms: Vec<f64> = outcome
            .latencies
            .iter()
            .map(|(_, d)| d.as_secs_f64() * 1000.0)
            .collect();
        ms.sort_by(f64::total_cmp);
        ctx.rep.info(format!(
            "{} commands: new audio after {:.1} ms (median), {:.1} ms (slowest)",
            ms.len(),
            ms[ms.len() / 2],
            ms[ms.len() - 1]
        ));
    }
    if outcome.finished {
        speech::resume::forget(&ctx.dirs, article);
    } else {
        keep_place(ctx, article, Some(utterances[outcome.position].sentence + 1));
    }
    if cancelled() {
        // SIGTERM or SIGHUP: the terminal is back and the place kept; exit as interrupted.
        return Err(Error::Interrupted);
    }
    Ok(())
}

/// Ask a yes/no question on the terminal; yes unless the answer starts with n.
fn ask(question: &str) -> bool {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        return true;
    }
    !line.trim_start().to_ascii_lowercase().starts_with('n')
}

/// `[N] text` as a sentence starts to sound, flushed at once.
fn print_sentence(out: &mut dyn Write, u: &Utterance) -> Result<()> {
    writeln!(out, "[{}] {}", u.sentence + 1, u.text)
        .and_then(|_| out.flush())
        .map_err(write_err)
}

/// Called as each utterance starts to sound.
type OnSentence<'a> = dyn FnMut(&Utterance) -> Result<()> + 'a;

/// Speak utterances (in `language`) live, through the chosen engine:
/// the system service, the sound card (feature `playback`), or a player
/// program (`--player`, `$HARK_PLAYER`, else pw-play/paplay/aplay when
/// this build has no playback).
#[allow(clippy::too_many_arguments)]
fn play(
    utterances: &[Utterance],
    v: &VoiceArgs,
    shape: RenderOptions,
    engine: Speaker,
    player: Option<&str>,
    ctx: &Ctx,
    on_sentence: &mut OnSentence<'_>,
    language: Option<&str>,
) -> Result<()> {
    let text_ready = std::time::Instant::now();
    install_signals();
    if engine == Speaker::System {
        return system_play(utterances, v, &ctx.rep, on_sentence);
    }
    let voice = v.voice(ctx, language)?;
    if voice.engine == EngineKind::System {
        return system_play(utterances, v, &ctx.rep, on_sentence);
    }
    let player = match player {
        Some(cmd) => Some(speech::external::Player::command(cmd)),
        None if std::env::var_os("HARK_PLAYER").is_some() || !cfg!(feature = "playback") => {
            Some(speech::external::Player::find().ok_or_else(|| {
                Error::AudioDevice(
                    "no way to play sound: this hark has no sound-card playback (cargo feature `playback`) \
                     and none of pw-play, paplay or aplay is installed (or give --player CMD)"
                        .into(),
                )
            })?)
        }
        None => None,
    };
    let prosody = v.prosody(ctx);
    if let Some(player) = player {
        let report = speech::external::play_with(&player, &voice, prosody, utterances, shape, &cancelled, &mut |i| {
            on_sentence(&utterances[i])
        })?;
        if let Some(first) = report.first_audio {
            ctx.rep.info(format!(
                "first audio {:.0} ms after the text was ready; played through {}",
                first.duration_since(text_ready).as_secs_f64() * 1000.0,
                report.player
            ));
        }
        return Ok(());
    }
    device_play(utterances, &voice, prosody, shape, text_ready, &ctx.rep, on_sentence)
}

#[cfg(feature = "playback")]
fn device_play(
    utterances: &[Utterance],
    voice: &Voice,
    prosody: Prosody,
    shape: RenderOptions,
    text_ready: std::time::Instant,
    rep: &Reporter,
    on_sentence: &mut OnSentence<'_>,
) -> Result<()> {
    use hark::speech::playback;
    let report = playback::play(voice, prosody, utterances, shape, &cancelled, &mut |i: usize| {
        on_sentence(&utterances[i])
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
fn device_play(
    _: &[Utterance],
    _: &Voice,
    _: Prosody,
    _: RenderOptions,
    _: std::time::Instant,
    _: &Reporter,
    _: &mut OnSentence<'_>,
) -> Result<()> {
    unreachable!("without the playback feature, play() always picks a player program")
}

#[cfg(feature = "system-tts")]
fn system_play(
    utterances: &[Utterance],
    v: &VoiceArgs,
    rep: &Reporter,
    on_sentence: &mut OnSentence<'_>,
) -> Result<()> {
    let mut speaker = hark::speech::system::SystemSpeaker::new()?;
    if let Some(name) = &v.voice {
        speaker.set_voice(name)?;
    }
    speaker.set_prosody(v.rate, v.pitch, v.volume)?;
    rep.info(format!("system TTS: {}", speaker.describe()));
    speaker.speak_all(utterances, &cancelled, &mut |i: usize| on_sentence(&utterances[i]))
}

#[cfg(not(feature = "system-tts"))]
fn system_play(_: &[Utterance], _: &VoiceArgs, _: &Reporter, _: &mut OnSentence<'_>) -> Result<()> {
    Err(Error::EngineNotBuilt {
        voice: "system".into(),
        engine: "system",
        feature: "system-tts",
    })
}

pub fn voices_cmd(args: &VoicesArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    match &args.action {
        Some(VoicesAction::Add {
            path,
            style,
            name,
            link,
            language,
        }) => {
            let mut o = speech::InstallOptions::default();
            o.style = style.clone();
            o.name = name.clone();
            o.link = *link;
            o.language = language.clone();
            let v = speech::install_voice(&ctx.dirs, path, &o)?;
            let at = match &v.origin {
                speech::Origin::User(p) => p.parent().unwrap_or(p).display().to_string(),
                _ => String::new(),
            };
            writeln!(out, "{}", v.name).map_err(write_err)?;
            ctx.rep.note(format!(
                "installed {} ({}, {}) in {at}",
                v.name,
                v.engine.name(),
                v.language
            ));
            if !v.engine.compiled_in() {
                ctx.rep.note(format!(
                    "this build cannot speak it yet: rebuild with `--features {}`",
                    v.engine.feature().unwrap_or("?")
                ));
            }
            return Ok(());
        }
        Some(VoicesAction::Remove { name }) => {
            let dir = speech::remove_voice(&ctx.dirs, name)?;
            ctx.rep.note(format!("removed {}", dir.display()));
            return Ok(());
        }
        None => {}
    }
    let mut rows: Vec<(Voice, bool, Option<String>)> = speech::catalog(&ctx.dirs)?
        .into_iter()
        .map(|v| {
            let note = v.unavailable();
            (v, note.is_none(), note)
        })
        .collect();
    rows.extend(
        system_voices()
            .into_iter()
            .filter(|v| args.all || !v.name.contains('+'))
            .map(|v| (v, true, None)),
    );
    if !args.all {
        // A voice installed for an engine this build has stays listed, with
        // what it still needs (ONNX Runtime, say).
        rows.retain(|r| r.0.engine.compiled_in());
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

/// `hark export FILE --sentences SPEC EXPORT-OPTIONS`, parsed as the command line would be.
fn pick_export_args(file: &str, spec: &str, options: &[String]) -> Result<ExportArgs> {
    use clap::FromArgMatches;
    let mut argv: Vec<String> = vec![
        "hark".into(),
        "export".into(),
        file.into(),
        "--sentences".into(),
        spec.into(),
    ];
    argv.extend(options.iter().cloned());
    let bad = |e: clap::Error| Error::Invalid(format!("the export options after -- are not right: {}", e.kind()));
    let m = super::command().try_get_matches_from(&argv).map_err(bad)?;
    match super::Cli::from_arg_matches(&m).map_err(bad)?.command {
        super::Command::Export(a) => Ok(a),
        _ => Err(Error::Invalid("the export options after -- are not right".into())),
    }
}

pub fn pick_cmd(args: &PickArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    use std::io::IsTerminal;
    // Drawn on standard output, or on standard error when the output goes
    // down a pipe (`hark pick a.txt | head -1`).
    let on_stderr = !std::io::stdout().is_terminal();
    if !(std::io::stdin().is_terminal() && (!on_stderr || std::io::stderr().is_terminal())) {
        return Err(Error::Invalid(
            "hark pick needs a terminal to choose on; from a script, choose with hark select (--sentences, --quote, --grep)".into(),
        ));
    }
    // Check the export options now, not after the choosing.
    pick_export_args(&args.file, "1", &args.export)?;
    let article = load(&args.file, &args.read.options(ctx, false)?, &ctx.rep)?;
    let voice = args.voice.voice(ctx, article.language())?;
    let reading = args.reading.reading(ctx, &voice.language)?;
    let utterances = article.utterances(&article.select(&[])?, &reading);
    if utterances.is_empty() {
        return Err(Error::NoArticle {
            input: article.source().to_string(),
            removed: article.removed().len(),
        });
    }
    install_signals();
    let screen = super::tui::Screen::new(&article, &utterances);
    let mut picker = super::tui::Picker::default();
    let picked = {
        let mut full = super::tui::FullScreen::enter(on_stderr)?;
        loop {
            let picked = super::tui::run_picker(
                &mut full.terminal,
                &mut super::tui::picker_events,
                &screen,
                &mut picker,
                &cancelled,
            )?;
            let super::tui::Picked::Play(chosen) = &picked else {
                break picked;
            };
            let chosen: Vec<Utterance> = chosen.iter().map(|&i| utterances[i].clone()).collect();
            let options = reader_options(voice.clone(), &args.voice, &args.pauses, ctx)?;
            let mut output = reader_output(args.player.as_deref())?;
            let sub = super::tui::Screen {
                title: screen.title.clone(),
                warning: None,
                utterances: &chosen,
            };
            super::tui::run_reader(
                &mut full.terminal,
                &mut super::tui::terminal_events,
                &sub,
                &mut super::tui::engine_driver(&chosen, &options, output.as_mut()),
                &cancelled,
            )?;
            full.terminal
                .clear()
                .map_err(|e| Error::Invalid(format!("cannot draw on the terminal: {e}")))?;
        }
    };
    let sentences = |chosen: &[usize]| chosen.iter().map(|&i| utterances[i].sentence).collect::<Vec<_>>();
    match picked {
        super::tui::Picked::Print(chosen) => {
            let r = article.replay(&sentences(&chosen));
            writeln!(out, "--sentences {}", r.sentences)
                .and_then(|_| writeln!(out, "{}", r.fragment))
                .map_err(write_err)
        }
        super::tui::Picked::Export(chosen) => {
            let r = article.replay(&sentences(&chosen));
            let export = pick_export_args(&args.file, &r.sentences, &args.export)?;
            ctx.rep.info(format!("exporting sentences {}", r.sentences));
            export_cmd(&export, ctx, out)
        }
        _ => {
            if cancelled() {
                return Err(Error::Interrupted);
            }
            Ok(())
        }
    }
}
