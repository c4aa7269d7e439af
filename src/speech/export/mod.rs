//! Export: render articles (or their selected passages) to audio files, one
//! per input or one per passage, with optional subtitles, all written
//! atomically; a [`Batch`] does many inputs at once, in parallel, each
//! succeeding or failing on its own, and describes each in a [`Manifest`].
//!
//! Into a directory, a batch keeps `hark-export.json` (see
//! [`MANIFEST_FILE`]): a re-run skips inputs that have not changed, redoes
//! those that have, and removes the files a shorter `--per-passage` run no
//! longer makes. It can also write an M3U playlist and a podcast feed.
//!
//! ```
//! use hark::export::{Batch, ExportOptions, OutputSpec};
//! let dir = tempfile::tempdir().unwrap();
//! let dirs = hark::config::Dirs::from_env();
//! let voice = hark::speech::find_voice(&dirs, "pico-en-us")?;
//! let mut batch = Batch::new(vec!["examples/001_4b6f62f767aa35ac.txt".into()], ExportOptions::new(voice));
//! batch.output = OutputSpec::Dir(dir.path().to_path_buf());
//! batch.selectors = vec![hark::segment::Selector::Sentences(hark::segment::parse_ranges("1-2")?)];
//! let report = batch.run(&Default::default())?;
//! let manifest = report.results[0].as_ref().unwrap();
//! assert!(manifest.outputs[0].path.ends_with("001_4b6f62f767aa35ac.wav"));
//! assert_eq!(manifest.outputs[0].sentences.len(), 2);
//! // Nothing changed: a second run renders nothing.
//! let again = batch.run(&Default::default())?;
//! assert!(again.results[0].as_ref().unwrap().up_to_date);
//! # Ok::<(), hark::Error>(())
//! ```

mod batch;

pub use super::feed::FeedOptions;
pub use super::manifest::MANIFEST_FILE;
pub use batch::{Batch, BatchReport, Hooks, Progress};

use super::formats::{AudioFile, AudioFormat, Chapter, StreamedAudio, Tags};
use super::subtitles::{self, Format};
use super::wav::{check_target, prepare_text};
use super::{render, AudioSink, Control, Loudness, Pauses, Prosody, RenderOptions, Rendered, Voice};
use crate::article::{Article, ReadOptions};
use crate::error::{Error, Result};
use crate::frontend::{Reading, Utterance};
use crate::input::Source;
use crate::segment::Selector;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where output files go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputSpec {
    /// Files named after the input in this directory.
    Dir(PathBuf),
    /// Exactly this file (one input only).
    File(PathBuf),
    /// One file streamed to standard output (one input only).
    Stdout,
}

impl OutputSpec {
    /// Interpret an output name: `-` is standard output; an existing
    /// directory, a name ending in `/` or a name without an extension is a
    /// directory; a name ending in an audio format's extension (`.wav`,
    /// `.flac`, `.mp3`, `.opus`, `.ogg`) is a file; `None` is the current
    /// directory.
    pub fn parse(arg: Option<&str>) -> Result<OutputSpec> {
        let Some(arg) = arg else {
            return Ok(OutputSpec::Dir(PathBuf::from(".")));
        };
        if arg.is_empty() {
            return Err(Error::Invalid("the output needs a file or directory name".into()));
        }
        if arg == "-" {
            return Ok(OutputSpec::Stdout);
        }
        let p = PathBuf::from(arg);
        if p.is_dir() || arg.ends_with('/') || arg.ends_with(std::path::MAIN_SEPARATOR) {
            return Ok(OutputSpec::Dir(p));
        }
        match p.extension().and_then(|e| e.to_str()) {
            None => Ok(OutputSpec::Dir(p)),
            Some(_) if AudioFormat::from_path(&p).is_some() => Ok(OutputSpec::File(p)),
            Some(e) => Err(Error::Invalid(format!(
                "{arg}: hark writes .wav, .flac, .mp3 and .opus files; name one of those or a directory (not .{e})"
            ))),
        }
    }
}

/// The file stem an input's outputs are named after: `dir/001_x.txt` →
/// `001_x`, standard input → `stdin`, `https://site/news/kim-putin.html` →
/// `kim-putin`, `https://site/` → `site`.
pub(crate) fn stem_of(input: &str) -> String {
    if input == "-" {
        return "stdin".into();
    }
    if crate::input::is_url(input) {
        let rest = input.split_once("://").map_or(input, |r| r.1);
        let rest = rest.split('#').next().unwrap_or(rest);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut parts = path.split('/').filter(|s| !s.is_empty());
        let host = parts.next().unwrap_or("page");
        let last = parts.next_back();
        let mut stem = match last {
            Some(seg) => {
                let seg = seg
                    .rsplit_once('.')
                    .map_or(seg, |(s, ext)| if ext.len() <= 5 { s } else { seg });
                slug(seg)
            }
            None => slug(host),
        };
        if !query.is_empty() {
            stem = format!("{stem}-{}", slug(query));
        }
        if stem.is_empty() {
            stem = slug(host);
        }
        return stem.chars().take(80).collect();
    }
    Path::new(input)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "audio".into())
}

/// Letters, digits, `-`, `_` and `.`; anything else becomes `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(['-', '.']).to_string()
}

/// Output paths for one input: one file, or `STEM.pNN.EXT` per passage.
pub(crate) fn output_paths(
    input: &str,
    spec: &OutputSpec,
    passages: usize,
    per_passage: bool,
    ext: &str,
) -> Vec<PathBuf> {
    let (dir, stem) = match spec {
        OutputSpec::Dir(d) => (d.clone(), stem_of(input)),
        OutputSpec::Stdout => return vec![PathBuf::from("-")],
        OutputSpec::File(f) => {
            if !per_passage {
                return vec![f.clone()];
            }
            (
                f.parent().map(Path::to_path_buf).unwrap_or_default(),
                stem_of(&f.to_string_lossy()),
            )
        }
    };
    if !per_passage {
        return vec![dir.join(format!("{stem}.{ext}"))];
    }
    let width = passages.to_string().len().max(2);
    (1..=passages)
        .map(|i| dir.join(format!("{stem}.p{i:0width$}.{ext}")))
        .collect()
}

/// Which voice reads an input.
#[derive(Debug, Clone)]
#[non_exhaustive]
// One per batch: its size does not matter, boxing would only burden callers.
#[allow(clippy::large_enum_variant)]
pub enum VoiceChoice {
    /// This voice, whatever the article's language.
    Fixed(Voice),
    /// A voice of each article's language ([`super::voice_for`]): the
    /// preferred voice for its language tag if the map names one, else the
    /// language's default. Articles of no known language get English.
    Language {
        /// Voice names by language tag (`en`, `en-GB`, `de`).
        preferences: std::collections::BTreeMap<String, String>,
    },
}

/// How to render.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The voice.
    pub voice: VoiceChoice,
    /// Rate, pitch and volume as multiples of the voice's normal.
    pub prosody: Prosody,
    /// Silences between sentences and paragraphs.
    pub pauses: Pauses,
    /// The loudness the speech is brought to (None: the engine's own).
    pub loudness: Option<Loudness>,
    /// One file per selected passage (`STEM.p01.wav`…).
    pub per_passage: bool,
    /// Subtitles beside each file, one cue per sentence.
    pub subtitles: Option<Format>,
    /// Replace existing files, and redo inputs the manifest says are up to date.
    pub force: bool,
    /// The audio format; None: from the output file's name, else WAV.
    pub format: Option<AudioFormat>,
    /// The album tag (and a feed's default title).
    pub album: Option<String>,
}

impl ExportOptions {
    /// Defaults for a voice: normal prosody and pauses, one file per input.
    pub fn new(voice: Voice) -> ExportOptions {
        Self::with(VoiceChoice::Fixed(voice))
    }

    /// Defaults, each article read by a voice of its own language.
    pub fn by_language() -> ExportOptions {
        Self::with(VoiceChoice::Language {
            preferences: Default::default(),
        })
    }

    fn with(voice: VoiceChoice) -> ExportOptions {
        ExportOptions {
            voice,
            prosody: Prosody::default(),
            pauses: Pauses::default(),
            loudness: Some(Loudness::default()),
            per_passage: false,
            subtitles: None,
            force: false,
            format: None,
            album: None,
        }
    }
}

/// One sentence in a manifest, timed in seconds.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SentenceEntry {
    /// 0-based sentence index in the document.
    pub sentence: usize,
    /// 0-based paragraph index.
    pub paragraph: usize,
    /// 0-based passage index.
    pub passage: usize,
    /// The written text.
    pub text: String,
    /// Start, in seconds from the start of the file.
    pub start: f64,
    /// End, in seconds.
    pub end: f64,
}

/// One written audio file.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct OutputEntry {
    /// The audio file (`-`: standard output).
    pub path: PathBuf,
    /// Its subtitles, if written.
    pub subtitles: Option<PathBuf>,
    /// Length in seconds.
    pub duration: f64,
    /// Length in samples.
    pub samples: u64,
    /// Each sentence's place in it (empty for a file left as it was).
    pub sentences: Vec<SentenceEntry>,
}

/// What was written for one input.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Manifest {
    /// The input.
    pub input: String,
    /// The article's language, when known.
    pub language: Option<String>,
    /// The voice's name.
    pub voice: String,
    /// The engine's name.
    pub engine: &'static str,
    /// Samples per second.
    pub sample_rate: u32,
    /// The audio format.
    pub format: AudioFormat,
    /// The files written.
    pub outputs: Vec<OutputEntry>,
    /// Sentences (0-based) left out because the voice cannot say any of
    /// them (text in another script, emoji only).
    pub skipped: Vec<usize>,
    /// Nothing was rendered: the files from an earlier run still match the
    /// input and the settings.
    pub up_to_date: bool,
    /// Files of an earlier run of this input that this run no longer makes,
    /// removed.
    pub removed: Vec<PathBuf>,
}

impl Manifest {
    /// Total length of the audio written, in seconds.
    pub fn duration(&self) -> f64 {
        self.outputs.iter().map(|o| o.duration).sum()
    }
}

fn secs(samples: u64, rate: u32) -> f64 {
    (samples as f64 / rate.max(1) as f64 * 1000.0).round() / 1000.0
}

fn entry(path: PathBuf, subs: Option<PathBuf>, r: &Rendered) -> OutputEntry {
    OutputEntry {
        path,
        subtitles: subs,
        duration: secs(r.samples, r.sample_rate),
        samples: r.samples,
        sentences: r
            .timings
            .iter()
            .map(|t| SentenceEntry {
                sentence: t.sentence,
                paragraph: t.paragraph,
                passage: t.passage,
                text: t.text.clone(),
                start: secs(t.start, r.sample_rate),
                end: secs(t.end, r.sample_rate),
            })
            .collect(),
    }
}

/// Every file `export` would write for these targets (for clash checks
/// before any work starts).
pub(crate) fn planned_files(targets: &[PathBuf], subtitles: Option<Format>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for t in targets {
        out.push(t.clone());
        if let Some(f) = subtitles {
            out.push(t.with_extension(f.extension()));
        }
    }
    out
}

/// One chapter per paragraph: from its first sentence's first sample, named
/// by its first words.
fn chapters(r: &Rendered) -> Vec<Chapter> {
    let mut out: Vec<Chapter> = Vec::new();
    let mut last = None;
    for t in &r.timings {
        if last == Some((t.passage, t.paragraph)) {
            continue;
        }
        last = Some((t.passage, t.paragraph));
        if let Some(prev) = out.last_mut() {
            prev.end = t.start;
        }
        let mut title = String::new();
        for w in t.text.split_whitespace() {
            if title.chars().count() + w.chars().count() > 60 {
                title.push('…');
                break;
            }
            if !title.is_empty() {
                title.push(' ');
            }
            title.push_str(w);
        }
        out.push(Chapter {
            start: t.start,
            end: r.samples,
            title,
        });
    }
    if let Some(last) = out.last_mut() {
        last.end = r.samples;
    }
    out
}

/// What an input's files say about it.
#[derive(Debug, Clone, Default)]
struct About {
    title: Option<String>,
    byline: Option<String>,
    date: Option<String>,
    language: Option<String>,
    source: String,
}

/// Where rendered audio goes: a file that appears when committed, or
/// standard output.
enum Target {
    File(AudioFile),
    Stdout(StreamedAudio),
}

impl AudioSink for Target {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        match self {
            Target::File(f) => f.write(pcm),
            Target::Stdout(s) => s.write(pcm),
        }
    }
}

/// Render `utterances` (of `passages` passages) of one input into
/// `targets` (one path, or one per passage). Nothing appears on disk unless
/// every file rendered; an existing file is refused up front unless
/// `overwrite`.
#[allow(clippy::too_many_arguments)]
fn export(
    input: &str,
    about: &About,
    utterances: &[Utterance],
    targets: &[PathBuf],
    voice: &Voice,
    opts: &ExportOptions,
    format: AudioFormat,
    overwrite: bool,
    control: &mut Control<'_>,
) -> Result<(Manifest, Option<Streamed>)> {
    if utterances.is_empty() {
        return Err(Error::Empty {
            input: input.to_string(),
        });
    }
    let stdout = targets.len() == 1 && targets[0] == Path::new("-");
    if !stdout {
        for f in planned_files(targets, opts.subtitles) {
            check_target(&f, overwrite)?;
        }
    }
    let groups: Vec<&[Utterance]> = if opts.per_passage {
        utterances.chunk_by(|a, b| a.passage == b.passage).collect()
    } else {
        vec![utterances]
    };
    if groups.len() != targets.len() {
        return Err(Error::Invalid(format!(
            "{input}: {} outputs planned for {} pieces of audio",
            targets.len(),
            groups.len()
        )));
    }
    let mut synth = super::open(voice, opts.prosody)?;
    let rate = synth.sample_rate();
    let mut done = Vec::new();
    let mut offset = 0;
    let n_groups = groups.len();
    for (gi, (group, target)) in groups.into_iter().zip(targets).enumerate() {
        let mut file = if stdout {
            Target::Stdout(StreamedAudio::new(format, rate)?)
        } else {
            Target::File(AudioFile::create(target, format, rate, overwrite)?)
        };
        let base = offset;
        let on_sentence = &mut *control.on_sentence;
        let rendered = render(
            synth.as_mut(),
            group,
            RenderOptions {
                pauses: opts.pauses,
                loudness: opts.loudness,
            },
            &mut file,
            &mut Control {
                cancelled: control.cancelled,
                on_sentence: &mut |i, s| on_sentence(base + i, s),
            },
        )?;
        offset += group.len();
        let subs = match opts.subtitles {
            Some(fmt) if !stdout => {
                let p = target.with_extension(fmt.extension());
                Some((prepare_text(&p, &subtitles::format(&rendered, fmt), overwrite)?, p))
            }
            _ => None,
        };
        let mut title = about.title.clone().unwrap_or_else(|| stem_of(input));
        if n_groups > 1 {
            title = format!("{title} ({}/{n_groups})", gi + 1);
        }
        let tags = Tags {
            title: Some(title),
            artist: about.byline.clone(),
            album: opts.album.clone(),
            date: about.date.clone(),
            language: about.language.clone(),
            source: Some(about.source.clone()),
            voice: Some(voice.name.clone()),
            sample_rate: rate,
            chapters: chapters(&rendered),
        };
        done.push((file, tags, subs, target.clone(), rendered));
    }
    // Everything rendered: only now does anything appear.
    let mut outputs = Vec::new();
    let mut streamed = None;
    for (file, tags, subs, target, rendered) in done {
        match file {
            Target::File(f) => f.commit(&tags, overwrite)?,
            Target::Stdout(audio) => streamed = Some(Streamed { audio, tags }),
        }
        let sub_path = match subs {
            Some((f, p)) => {
                f.commit(overwrite)?;
                Some(p)
            }
            None => None,
        };
        outputs.push(entry(target, sub_path, &rendered));
    }
    let m = Manifest {
        input: input.to_string(),
        language: None,
        voice: voice.name.clone(),
        engine: voice.engine.name(),
        sample_rate: rate,
        format,
        outputs,
        skipped: Vec::new(),
        up_to_date: false,
        removed: Vec::new(),
    };
    Ok((m, streamed))
}

/// Audio rendered for standard output ([`OutputSpec::Stdout`]), held until
/// the caller writes it where its standard output is.
pub struct Streamed {
    audio: StreamedAudio,
    tags: Tags,
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streamed")
            .field("tags", &self.tags)
            .finish_non_exhaustive()
    }
}

impl Streamed {
    /// Encode the audio into `out`.
    pub fn write_to(self, out: &mut dyn std::io::Write) -> Result<()> {
        self.audio.finish(&self.tags, out)
    }
}

/// The voice can render, with this prosody.
fn check_voice(voice: &Voice, opts: &ExportOptions) -> Result<()> {
    if voice.engine == super::EngineKind::System {
        return Err(Error::CannotRender {
            voice: voice.name.clone(),
        });
    }
    super::check_prosody(voice, opts.prosody).map(|_| ())
}

/// Render the utterances of a literal text to one file (`hark speak -o`)
/// with `voice`; the format is the option's, else the file's extension's.
pub fn export_utterances(
    name: &str,
    utterances: &[Utterance],
    target: &Path,
    voice: &Voice,
    options: &ExportOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Manifest> {
    if target == Path::new("-") {
        return Err(Error::Invalid("use export_utterances_to for standard output".into()));
    }
    literal(name, utterances, target, voice, options, cancelled).map(|r| r.0)
}

/// Render the utterances of a literal text into `out` (standard output) in
/// the option's format (WAV by default).
pub fn export_utterances_to(
    name: &str,
    utterances: &[Utterance],
    voice: &Voice,
    options: &ExportOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
    out: &mut dyn std::io::Write,
) -> Result<Manifest> {
    let (m, streamed) = literal(name, utterances, Path::new("-"), voice, options, cancelled)?;
    if let Some(s) = streamed {
        s.write_to(out)?;
    }
    Ok(m)
}

fn literal(
    name: &str,
    utterances: &[Utterance],
    target: &Path,
    voice: &Voice,
    options: &ExportOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<(Manifest, Option<Streamed>)> {
    check_voice(voice, options)?;
    let format = options
        .format
        .or_else(|| AudioFormat::from_path(target))
        .unwrap_or_default();
    format.check()?;
    export(
        name,
        &About {
            source: name.to_string(),
            ..Default::default()
        },
        utterances,
        std::slice::from_ref(&target.to_path_buf()),
        voice,
        options,
        format,
        options.force,
        &mut Control {
            cancelled,
            on_sentence: &mut |_, _| {},
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_spec() {
        assert_eq!(OutputSpec::parse(None).unwrap(), OutputSpec::Dir(".".into()));
        assert_eq!(
            OutputSpec::parse(Some("a.WAV")).unwrap(),
            OutputSpec::File("a.WAV".into())
        );
        assert_eq!(
            OutputSpec::parse(Some("a.mp3")).unwrap(),
            OutputSpec::File("a.mp3".into())
        );
        assert_eq!(OutputSpec::parse(Some("-")).unwrap(), OutputSpec::Stdout);
        assert_eq!(OutputSpec::parse(Some("out/")).unwrap(), OutputSpec::Dir("out/".into()));
        assert_eq!(
            OutputSpec::parse(Some("audio")).unwrap(),
            OutputSpec::Dir("audio".into())
        );
        assert!(OutputSpec::parse(Some("a.txt")).is_err());
    }

    #[test]
    fn names() {
        let d = OutputSpec::Dir("out".into());
        assert_eq!(
            output_paths("x/001_a.txt", &d, 1, false, "wav"),
            vec![PathBuf::from("out/001_a.wav")]
        );
        assert_eq!(
            output_paths("-", &d, 1, false, "wav"),
            vec![PathBuf::from("out/stdin.wav")]
        );
        assert_eq!(
            output_paths("a.html", &d, 3, true, "mp3"),
            vec![
                PathBuf::from("out/a.p01.mp3"),
                PathBuf::from("out/a.p02.mp3"),
                PathBuf::from("out/a.p03.mp3")
            ]
        );
        let f = OutputSpec::File("o/talk.wav".into());
        assert_eq!(
            output_paths("a.txt", &f, 2, false, "wav"),
            vec![PathBuf::from("o/talk.wav")]
        );
        assert_eq!(
            output_paths("a.txt", &f, 2, true, "wav")[1],
            PathBuf::from("o/talk.p02.wav")
        );
        assert_eq!(
            output_paths("a.txt", &d, 120, true, "wav")[0],
            PathBuf::from("out/a.p001.wav")
        );
    }

    #[test]
    fn url_stems() {
        assert_eq!(stem_of("https://example.com/news/kim-putin.html"), "kim-putin");
        assert_eq!(stem_of("https://example.com/"), "example.com");
        assert_eq!(stem_of("http://example.com/article?id=12&x=3"), "article-id-12-x-3");
        assert_eq!(stem_of("https://example.com/2024/05/"), "05");
        assert_eq!(stem_of("https://example.com/a b/Ünïcode story"), "Ünïcode-story");
    }
}
