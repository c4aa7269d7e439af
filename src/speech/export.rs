//! Export: render articles (or their selected passages) to WAV files, one
//! per input or one per passage, with optional subtitles, all written
//! atomically; a [`Batch`] does many inputs at once, in parallel, each
//! succeeding or failing on its own, and describes each in a [`Manifest`].
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
//! # Ok::<(), hark::Error>(())
//! ```

use super::subtitles::{self, Format};
use super::wav::{check_target, prepare_text, WavFile};
use super::{render, Control, Pauses, Prosody, Rendered, Voice};
use crate::article::{Article, ReadOptions};
use crate::error::{Error, Result};
use crate::frontend::{Reading, Utterance};
use crate::input::Source;
use crate::segment::Selector;
use rayon::prelude::*;
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
}

impl OutputSpec {
    /// Interpret an output name: an existing directory, a name ending in
    /// `/` or a name without an extension is a directory; a `.wav` name is
    /// a file; `None` is the current directory.
    pub fn parse(arg: Option<&str>) -> Result<OutputSpec> {
        let Some(arg) = arg else {
            return Ok(OutputSpec::Dir(PathBuf::from(".")));
        };
        if arg.is_empty() {
            return Err(Error::Invalid("the output needs a file or directory name".into()));
        }
        let p = PathBuf::from(arg);
        if p.is_dir() || arg.ends_with('/') || arg.ends_with(std::path::MAIN_SEPARATOR) {
            return Ok(OutputSpec::Dir(p));
        }
        match p.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("wav") => Ok(OutputSpec::File(p)),
            None => Ok(OutputSpec::Dir(p)),
            Some(e) => Err(Error::Invalid(format!(
                "{arg}: hark writes WAV files; name a .wav file or a directory (not .{e})"
            ))),
        }
    }
}

/// The file stem an input's outputs are named after: `dir/001_x.txt` →
/// `001_x`, standard input → `stdin`.
pub(crate) fn stem_of(input: &str) -> String {
    if input == "-" {
        return "stdin".into();
    }
    Path::new(input)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "audio".into())
}

/// Output WAV paths for one input: one file, or `STEM.pNN.wav` per passage.
pub(crate) fn output_paths(input: &str, spec: &OutputSpec, passages: usize, per_passage: bool) -> Vec<PathBuf> {
    let (dir, stem) = match spec {
        OutputSpec::Dir(d) => (d.clone(), stem_of(input)),
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
        return vec![dir.join(format!("{stem}.wav"))];
    }
    let width = passages.to_string().len().max(2);
    (1..=passages)
        .map(|i| dir.join(format!("{stem}.p{i:0width$}.wav")))
        .collect()
}

/// Which voice reads an input.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
    /// One file per selected passage (`STEM.p01.wav`…).
    pub per_passage: bool,
    /// Subtitles beside each file, one cue per sentence.
    pub subtitles: Option<Format>,
    /// Replace existing files.
    pub force: bool,
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
            per_passage: false,
            subtitles: None,
            force: false,
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
    /// The audio file.
    pub path: PathBuf,
    /// Its subtitles, if written.
    pub subtitles: Option<PathBuf>,
    /// Length in seconds.
    pub duration: f64,
    /// Length in samples.
    pub samples: u64,
    /// Each sentence's place in it.
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
    /// The files written.
    pub outputs: Vec<OutputEntry>,
    /// Sentences (0-based) left out because the voice cannot say any of
    /// them (text in another script, emoji only).
    pub skipped: Vec<usize>,
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

/// Render `utterances` (of `passages` passages) of one input into
/// `targets` (one path, or one per passage). Nothing appears on disk unless
/// every file rendered; an existing file is refused up front unless
/// `force`.
pub(crate) fn export(
    input: &str,
    utterances: &[Utterance],
    targets: &[PathBuf],
    voice: &Voice,
    opts: &ExportOptions,
    control: &mut Control<'_>,
) -> Result<Manifest> {
    if utterances.is_empty() {
        return Err(Error::Empty {
            input: input.to_string(),
        });
    }
    for f in planned_files(targets, opts.subtitles) {
        check_target(&f, opts.force)?;
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
    for (group, target) in groups.into_iter().zip(targets) {
        let mut file = WavFile::create(target, rate, opts.force)?;
        let base = offset;
        let on_sentence = &mut *control.on_sentence;
        let rendered = render(
            synth.as_mut(),
            group,
            opts.pauses,
            &mut file,
            &mut Control {
                cancelled: control.cancelled,
                on_sentence: &mut |i, s| on_sentence(base + i, s),
            },
        )?;
        offset += group.len();
        let subs = match opts.subtitles {
            Some(fmt) => {
                let p = target.with_extension(fmt.extension());
                Some((prepare_text(&p, &subtitles::format(&rendered, fmt), opts.force)?, p))
            }
            None => None,
        };
        done.push((file, subs, target.clone(), rendered));
    }
    // Everything rendered: only now does anything appear on disk.
    let mut outputs = Vec::new();
    for (file, subs, target, rendered) in done {
        file.commit(opts.force)?;
        let sub_path = match subs {
            Some((f, p)) => {
                f.commit(opts.force)?;
                Some(p)
            }
            None => None,
        };
        outputs.push(entry(target, sub_path, &rendered));
    }
    Ok(Manifest {
        input: input.to_string(),
        language: None,
        voice: voice.name.clone(),
        engine: voice.engine.name(),
        sample_rate: rate,
        outputs,
        skipped: Vec::new(),
    })
}

/// A file's progress through a [`Batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Every input is read; this many sentences will be rendered.
    Planned {
        /// Sentences in all inputs that were read.
        sentences: usize,
    },
    /// One more sentence is rendered.
    Sentence,
}

/// Callbacks a [`Batch`] makes while it works; every one may be called from
/// several threads.
pub struct Hooks<'a> {
    /// Polled between pieces of audio: true stops the batch, whose files
    /// in flight are then discarded ([`Error::Interrupted`]).
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
    /// Progress, for a bar.
    pub progress: &'a (dyn Fn(Progress) + Sync),
    /// Each input as soon as it is read and cleaned (to show its warnings).
    pub article: &'a (dyn Fn(&Article) + Sync),
}

fn never() -> bool {
    false
}

impl Default for Hooks<'_> {
    fn default() -> Self {
        Hooks {
            cancelled: &never,
            progress: &|_| {},
            article: &|_| {},
        }
    }
}

/// Many inputs to render with one voice and one set of options.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The inputs, in order.
    pub inputs: Vec<Source>,
    /// How they are read and cleaned.
    pub read: ReadOptions,
    /// What of each is read aloud (none: everything).
    pub selectors: Vec<Selector>,
    /// How the text is read (the voice's language is used).
    pub reading: Reading,
    /// Where the files go.
    pub output: OutputSpec,
    /// How to render.
    pub options: ExportOptions,
    /// Inputs rendered at once (0: one per core).
    pub jobs: usize,
    /// Where the voices are found.
    pub dirs: crate::config::Dirs,
}

/// What a [`Batch`] did: one result per input, in input order.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchReport {
    /// Each input's manifest, or why it failed.
    pub results: Vec<Result<Manifest>>,
}

impl BatchReport {
    /// The manifests of the inputs that succeeded.
    pub fn manifests(&self) -> impl Iterator<Item = &Manifest> {
        self.results.iter().filter_map(|r| r.as_ref().ok())
    }

    /// How many inputs failed.
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.is_err()).count()
    }
}

impl Batch {
    /// A batch of `inputs` into the current directory.
    pub fn new(inputs: Vec<Source>, options: ExportOptions) -> Batch {
        Batch {
            inputs,
            read: ReadOptions::default(),
            selectors: Vec::new(),
            reading: Reading::default(),
            output: OutputSpec::Dir(PathBuf::from(".")),
            options,
            jobs: 0,
            dirs: crate::config::Dirs::from_env(),
        }
    }

    /// Check what can be checked before reading anything: a fixed voice
    /// can render and its prosody is in range, the output fits the inputs.
    pub fn check(&self) -> Result<()> {
        if let VoiceChoice::Fixed(voice) = &self.options.voice {
            check_voice(voice, &self.options)?;
        }
        if self.options.pauses.sentence_ms > 60_000 || self.options.pauses.paragraph_ms > 60_000 {
            return Err(Error::Invalid("pauses are limited to 60000 ms".into()));
        }
        if self.inputs.iter().filter(|s| **s == Source::Stdin).count() > 1 {
            return Err(Error::Invalid("standard input can be read only once".into()));
        }
        if self.inputs.len() > 1 && matches!(self.output, OutputSpec::File(_)) {
            return Err(Error::Invalid(format!(
                "{} inputs cannot share one output file; give a directory",
                self.inputs.len()
            )));
        }
        Ok(())
    }

    /// The voice for one article.
    fn voice_of(&self, article: &Article) -> Result<Voice> {
        match &self.options.voice {
            VoiceChoice::Fixed(v) => Ok(v.clone()),
            VoiceChoice::Language { preferences } => {
                let lang = article.language().unwrap_or("en");
                let preferred = crate::config::Config {
                    voices: preferences.clone(),
                    ..Default::default()
                };
                let v = super::voice_for(&self.dirs, lang, preferred.voice_for(lang)).map_err(|e| match e {
                    Error::NoVoiceForLanguage {
                        language, available, ..
                    } => Error::NoVoiceForLanguage {
                        language,
                        input: Some(article.source().to_string()),
                        available,
                    },
                    e => e,
                })?;
                check_voice(&v, &self.options)?;
                Ok(v)
            }
        }
    }

    /// Read every input, then render every one that could be read, in
    /// parallel. An error that concerns the whole batch (a bad voice, an
    /// output directory that cannot be made, two inputs that would write
    /// the same file) is returned before anything is written; an input that
    /// fails on its own is reported in its place and the others go on.
    pub fn run(&self, hooks: &Hooks<'_>) -> Result<BatchReport> {
        self.check()?;
        if let OutputSpec::Dir(d) = &self.output {
            if !d.exists() {
                std::fs::create_dir_all(d).map_err(|e| Error::io(format!("creating {}", d.display()), e))?;
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs)
            .build()
            .map_err(|e| Error::io("starting worker threads", std::io::Error::other(e.to_string())))?;

        // 1. Read, clean and select every input; choose its voice.
        let prepared: Vec<Result<Prepared>> = pool.install(|| {
            self.inputs
                .par_iter()
                .map(|source| {
                    let article = Article::read(source.clone(), &self.read)?;
                    (hooks.article)(&article);
                    let voice = self.voice_of(&article)?;
                    let selection = article.select(&self.selectors)?;
                    let mut reading = self.reading.clone();
                    reading.language = voice.language.clone();
                    let all = article.utterances(&selection, &reading);
                    let (utterances, skipped): (Vec<Utterance>, Vec<Utterance>) =
                        all.into_iter().partition(|u| voice.can_say(&u.spoken));
                    if utterances.is_empty() {
                        return Err(if skipped.is_empty() {
                            Error::NoArticle {
                                input: article.source().to_string(),
                                removed: article.removed().len(),
                            }
                        } else {
                            Error::Unpronounceable {
                                input: article.source().to_string(),
                                voice: voice.name.clone(),
                            }
                        });
                    }
                    Ok(Prepared {
                        name: article.source().to_string(),
                        language: article.language().map(String::from),
                        passages: selection.passages.len(),
                        utterances,
                        skipped: skipped.iter().map(|u| u.sentence).collect(),
                        voice,
                    })
                })
                .collect()
        });

        // 2. Plan every output file; refuse clashes before any work.
        let targets: Vec<Vec<PathBuf>> = prepared
            .iter()
            .map(|p| match p {
                Ok(p) => output_paths(&p.name, &self.output, p.passages, self.options.per_passage),
                Err(_) => Vec::new(),
            })
            .collect();
        let mut seen: std::collections::HashMap<PathBuf, &str> = std::collections::HashMap::new();
        for (p, t) in prepared.iter().zip(&targets) {
            let Ok(p) = p else { continue };
            for f in planned_files(t, self.options.subtitles) {
                if let Some(other) = seen.insert(f.clone(), &p.name) {
                    return Err(Error::OutputClash {
                        path: f,
                        first: other.to_string(),
                        second: p.name.clone(),
                    });
                }
                check_target(&f, self.options.force)?;
            }
        }

        // 3. Render in parallel, each input with its own engine.
        let total: usize = prepared.iter().flatten().map(|p| p.utterances.len()).sum();
        (hooks.progress)(Progress::Planned { sentences: total });
        let results: Vec<Result<Manifest>> = pool.install(|| {
            prepared
                .into_par_iter()
                .zip(&targets)
                .map(|(p, targets)| {
                    let p = p?;
                    let mut m = export(
                        &p.name,
                        &p.utterances,
                        targets,
                        &p.voice,
                        &self.options,
                        &mut Control {
                            cancelled: hooks.cancelled,
                            on_sentence: &mut |i, _| {
                                if i > 0 {
                                    (hooks.progress)(Progress::Sentence)
                                }
                            },
                        },
                    )?;
                    (hooks.progress)(Progress::Sentence);
                    m.language = p.language;
                    m.skipped = p.skipped;
                    Ok(m)
                })
                .collect()
        });
        Ok(BatchReport { results })
    }
}

/// One input, read and ready to render.
struct Prepared {
    name: String,
    language: Option<String>,
    passages: usize,
    utterances: Vec<Utterance>,
    skipped: Vec<usize>,
    voice: Voice,
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
/// with `voice`.
pub fn export_utterances(
    name: &str,
    utterances: &[Utterance],
    target: &Path,
    voice: &Voice,
    options: &ExportOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Manifest> {
    check_voice(voice, options)?;
    export(
        name,
        utterances,
        std::slice::from_ref(&target.to_path_buf()),
        voice,
        options,
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
        assert_eq!(OutputSpec::parse(Some("out/")).unwrap(), OutputSpec::Dir("out/".into()));
        assert_eq!(
            OutputSpec::parse(Some("audio")).unwrap(),
            OutputSpec::Dir("audio".into())
        );
        assert!(OutputSpec::parse(Some("a.mp3")).is_err());
    }

    #[test]
    fn names() {
        let d = OutputSpec::Dir("out".into());
        assert_eq!(
            output_paths("x/001_a.txt", &d, 1, false),
            vec![PathBuf::from("out/001_a.wav")]
        );
        assert_eq!(output_paths("-", &d, 1, false), vec![PathBuf::from("out/stdin.wav")]);
        assert_eq!(
            output_paths("a.html", &d, 3, true),
            vec![
                PathBuf::from("out/a.p01.wav"),
                PathBuf::from("out/a.p02.wav"),
                PathBuf::from("out/a.p03.wav")
            ]
        );
        let f = OutputSpec::File("o/talk.wav".into());
        assert_eq!(output_paths("a.txt", &f, 2, false), vec![PathBuf::from("o/talk.wav")]);
        assert_eq!(output_paths("a.txt", &f, 2, true)[1], PathBuf::from("o/talk.p02.wav"));
        assert_eq!(output_paths("a.txt", &d, 120, true)[0], PathBuf::from("out/a.p001.wav"));
    }
}
