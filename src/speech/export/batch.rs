//! Many inputs at once: a [`Batch`] reads them in parallel, plans each
//! one's files (clashes, existing files, what the manifest says is up to
//! date), renders what needs rendering in parallel, records each finished
//! input in the manifest, and writes the playlist and feed.

use super::*;
use crate::speech::feed;
use crate::speech::manifest::{self as ledger, DirManifest, Entry, FileRecord};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Mutex;

/// A file's progress through a [`Batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Every input is read; this many sentences will be rendered.
    Planned {
        /// Sentences in all inputs that will be rendered.
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
    /// Keep `hark-export.json` in an output directory, and skip inputs it
    /// says are up to date (on by default).
    pub resume: bool,
    /// Also write an M3U playlist of the batch's files, in input order.
    pub playlist: Option<PathBuf>,
    /// Also write a podcast feed of every export in the output directory.
    pub feed: Option<FeedOptions>,
    /// Let inputs that tell the same story serve as each other's
    /// references ([`Article::read_versions`]).
    pub cross_reference: bool,
}

/// What a [`Batch`] did: one result per input, in input order.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct BatchReport {
    /// Each input's manifest, or why it failed.
    pub results: Vec<Result<Manifest>>,
    /// The playlist and feed written, if any.
    pub extras: Vec<PathBuf>,
    /// With [`OutputSpec::Stdout`]: the audio, to write to standard output.
    pub streamed: Option<Streamed>,
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

/// One input, read and ready to render.
struct Prepared {
    name: String,
    digest: String,
    about: About,
    summary: String,
    passages: usize,
    utterances: Vec<Utterance>,
    skipped: Vec<usize>,
    voice: Voice,
}

/// What a batch does with one input.
enum Plan {
    Render {
        prepared: Box<Prepared>,
        targets: Vec<PathBuf>,
        settings: String,
        overwrite: bool,
    },
    Done(Manifest),
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
            resume: true,
            playlist: None,
            feed: None,
            cross_reference: false,
        }
    }

    /// The format the files are written in: the option, else the output
    /// file's extension, else WAV.
    pub fn format(&self) -> Result<AudioFormat> {
        let named = match &self.output {
            OutputSpec::File(f) => AudioFormat::from_path(f),
            _ => None,
        };
        match (self.options.format, named) {
            (Some(a), Some(b)) if a != b => Err(Error::Invalid(format!(
                "the output is named .{} but the format asked for is {a}",
                b.extension()
            ))),
            (Some(a), _) => Ok(a),
            (None, Some(b)) => Ok(b),
            (None, None) => Ok(AudioFormat::Wav),
        }
    }

    /// Check what can be checked before reading anything: a fixed voice
    /// can render and its prosody is in range, the output fits the inputs.
    pub fn check(&self) -> Result<()> {
        if let VoiceChoice::Fixed(voice) = &self.options.voice {
            check_voice(voice, &self.options)?;
        }
        self.format()?.check()?;
        if self.options.pauses.sentence_ms > 60_000 || self.options.pauses.paragraph_ms > 60_000 {
            return Err(Error::Invalid("pauses are limited to 60000 ms".into()));
        }
        if self.inputs.iter().filter(|s| **s == Source::Stdin).count() > 1 {
            return Err(Error::Invalid("standard input can be read only once".into()));
        }
        match &self.output {
            OutputSpec::File(_) | OutputSpec::Stdout if self.inputs.len() > 1 => {
                return Err(Error::Invalid(format!(
                    "{} inputs cannot share one output file; give a directory",
                    self.inputs.len()
                )))
            }
            OutputSpec::Stdout if self.options.per_passage || self.options.subtitles.is_some() => {
                return Err(Error::Invalid(
                    "standard output takes one audio file: no per-passage files or subtitles".into(),
                ))
            }
            OutputSpec::Stdout if self.playlist.is_some() || self.feed.is_some() => {
                return Err(Error::Invalid(
                    "a playlist or feed needs files, not standard output".into(),
                ))
            }
            OutputSpec::File(_) if self.feed.is_some() => {
                return Err(Error::Invalid("a feed lists an output directory: give -o DIR".into()))
            }
            _ => {}
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
                let v = crate::speech::voice_for(&self.dirs, lang, preferred.voice_for(lang)).map_err(|e| match e {
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

    /// Read, clean and select one input; choose its voice.
    fn prepare(&self, article: Result<Article>, hooks: &Hooks<'_>) -> Result<Prepared> {
        let article = article?;
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
        let meta = &article.document().meta;
        let first = article
            .document()
            .paragraphs
            .iter()
            .find(|p| Some(&p.text) != meta.title.as_ref());
        let summary: String = first.map(|p| p.text.chars().take(400).collect()).unwrap_or_default();
        Ok(Prepared {
            name: article.source().to_string(),
            digest: article.digest().to_string(),
            about: About {
                title: meta.title.clone(),
                byline: meta.byline.clone(),
                date: meta.date.clone(),
                language: article.language().map(String::from),
                source: article.source().to_string(),
            },
            summary,
            passages: selection.passages.len(),
            utterances,
            skipped: skipped.iter().map(|u| u.sentence).collect(),
            voice,
        })
    }

    /// A fingerprint of everything but the input that shapes the files.
    fn settings(&self, voice: &Voice, format: AudioFormat) -> String {
        let o = &self.options;
        let text = format!(
            "hark {}\nvoice {} {} {} {:?}\nprosody {:?}\npauses {:?} loudness {:?}\nper_passage {} subtitles {:?} format {} album {:?}\nselectors {:?}\nreading {:?}\nread {:?} {:?} {} {} {:?}",
            env!("CARGO_PKG_VERSION"),
            voice.name,
            voice.engine.name(),
            voice.sample_rate,
            voice.resources,
            o.prosody,
            o.pauses,
            o.loudness,
            o.per_passage,
            o.subtitles,
            format,
            o.album,
            self.selectors,
            self.reading,
            self.read.encoding,
            self.read.despin,
            self.read.keep_captions,
            self.read.mark_syntax,
            self.read.language,
        );
        crate::article::sha256_hex(text.as_bytes())
    }

    /// Read every input, then render every one that could be read and is
    /// not up to date, in parallel. An error that concerns the whole batch
    /// (a bad voice or format, an output directory that cannot be made, a
    /// manifest that cannot be read) is returned before anything is
    /// written; an input that fails on its own (unreadable, no match, an
    /// output that exists, two inputs that would write the same file) is
    /// reported in its place and the others go on.
    pub fn run(&self, hooks: &Hooks<'_>) -> Result<BatchReport> {
        self.check()?;
        let format = self.format()?;
        let ext = format.extension();
        let out_dir = match &self.output {
            OutputSpec::Dir(d) => {
                if !d.exists() {
                    std::fs::create_dir_all(d).map_err(|e| Error::io(format!("creating {}", d.display()), e))?;
                }
                Some(d.clone())
            }
            _ => None,
        };
        let ledger_dir = out_dir.clone().filter(|_| self.resume);
        let mut book = match &ledger_dir {
            Some(d) => DirManifest::load(d)?,
            None => DirManifest::default(),
        };
        book.schema = 1;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs)
            .build()
            .map_err(|e| Error::io("starting worker threads", std::io::Error::other(e.to_string())))?;

        // 1. Read, clean and select every input; choose its voice.
        let prepared: Vec<Result<Prepared>> = pool.install(|| {
            if self.cross_reference {
                Article::read_versions(&self.inputs, &self.read)
                    .into_par_iter()
                    .map(|a| self.prepare(a, hooks))
                    .collect()
            } else {
                self.inputs
                    .par_iter()
                    .map(|s| self.prepare(Article::read(s.clone(), &self.read), hooks))
                    .collect()
            }
        });

        // 2. Plan each input's files, in input order: a clash with an
        //    earlier input, an existing file hark did not write, or an
        //    up-to-date record settles the input here.
        let mut claimed: HashMap<PathBuf, String> = HashMap::new();
        let mut plans: Vec<Result<Plan>> = Vec::new();
        for p in prepared {
            plans.push(p.and_then(|p| self.plan(p, format, ext, &book, ledger_dir.as_deref(), &mut claimed)));
        }

        // 3. Render in parallel, each input with its own engine; the
        //    manifest is saved after each input, so it always describes the
        //    files that exist.
        let total: usize = plans
            .iter()
            .flatten()
            .map(|p| match p {
                Plan::Render { prepared, .. } => prepared.utterances.len(),
                Plan::Done(_) => 0,
            })
            .sum();
        (hooks.progress)(Progress::Planned { sentences: total });
        let known: HashMap<String, usize> = book
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.input.clone(), i))
            .collect();
        let book = Mutex::new(book);
        let streamed: Mutex<Option<Streamed>> = Mutex::new(None);
        let results: Vec<Result<Manifest>> = pool.install(|| {
            plans
                .into_par_iter()
                .map(|plan| match plan? {
                    Plan::Done(m) => Ok(m),
                    Plan::Render {
                        prepared: p,
                        targets,
                        settings,
                        overwrite,
                    } => {
                        let (mut m, stream) = export(
                            &p.name,
                            &p.about,
                            &p.utterances,
                            &targets,
                            &p.voice,
                            &self.options,
                            format,
                            overwrite,
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
                        if stream.is_some() {
                            *streamed.lock().unwrap_or_else(|e| e.into_inner()) = stream;
                        }
                        m.language = p.about.language.clone();
                        m.skipped = p.skipped.clone();
                        if let Some(dir) = &ledger_dir {
                            let mut book = book.lock().unwrap_or_else(|e| e.into_inner());
                            m.removed = self.record(&mut book, dir, &p, &m, settings)?;
                            book.save(dir)?;
                        }
                        Ok(m)
                    }
                })
                .collect()
        });
        let mut book = book.into_inner().unwrap_or_else(|e| e.into_inner());
        let streamed = streamed.into_inner().unwrap_or_else(|e| e.into_inner());
        // Inputs new to the manifest were added as they finished; put them
        // in input order after the ones it already had.
        if let Some(dir) = &ledger_dir {
            let order: HashMap<String, usize> = self.inputs.iter().enumerate().map(|(i, s)| (s.name(), i)).collect();
            let before = book.entries.clone();
            book.entries.sort_by_key(|e| match known.get(&e.input) {
                Some(i) => (0, *i),
                None => (1, order.get(&e.input).copied().unwrap_or(usize::MAX)),
            });
            if book.entries != before {
                book.save(dir)?;
            }
        }

        // 4. Playlist and feed.
        let mut extras = Vec::new();
        if results.iter().any(|r| matches!(r, Err(Error::Interrupted))) {
            return Ok(BatchReport {
                results,
                extras,
                streamed,
            });
        }
        if let Some(list) = &self.playlist {
            let files: Vec<(PathBuf, f64, String)> = results
                .iter()
                .flatten()
                .flat_map(|m| {
                    let title = book
                        .get(&m.input)
                        .and_then(|e| e.title.clone())
                        .unwrap_or_else(|| stem_of(&m.input));
                    let n = m.outputs.len();
                    m.outputs.iter().enumerate().map(move |(i, o)| {
                        let t = if n > 1 {
                            format!("{title} ({}/{n})", i + 1)
                        } else {
                            title.clone()
                        };
                        (o.path.clone(), o.duration, t)
                    })
                })
                .collect();
            feed::write_text(list, &feed::m3u(list, &files))?;
            extras.push(list.clone());
        }
        if let (Some(feed), Some(dir)) = (&self.feed, &ledger_dir) {
            let mut f = feed.clone();
            if f.title.is_none() {
                f.title = self.options.album.clone();
            }
            feed::write_text(&feed.path, &feed::feed_xml(&book, dir, &f)?)?;
            extras.push(feed.path.clone());
        } else if self.feed.is_some() {
            return Err(Error::Invalid(
                "a feed needs the output directory's manifest (leave resume on)".into(),
            ));
        }
        Ok(BatchReport {
            results,
            extras,
            streamed,
        })
    }

    /// Decide what to do with one prepared input.
    fn plan(
        &self,
        p: Prepared,
        format: AudioFormat,
        ext: &str,
        book: &DirManifest,
        dir: Option<&Path>,
        claimed: &mut HashMap<PathBuf, String>,
    ) -> Result<Plan> {
        let targets = output_paths(&p.name, &self.output, p.passages, self.options.per_passage, ext);
        let files = planned_files(&targets, self.options.subtitles);
        if self.output != OutputSpec::Stdout {
            for f in &files {
                if let Some(other) = claimed.get(f) {
                    return Err(Error::OutputClash {
                        path: f.clone(),
                        first: other.clone(),
                        second: p.name.clone(),
                    });
                }
            }
            for f in &files {
                claimed.insert(f.clone(), p.name.clone());
            }
        }
        let settings = self.settings(&p.voice, format);
        let old = book.get(&p.name);
        // Up to date: same input, same settings, the same files, unchanged.
        if let (Some(dir), Some(e)) = (dir, old) {
            let same_files = e.audio.len() == targets.len()
                && e.audio.iter().zip(&targets).all(|((r, _), t)| dir.join(&r.file) == *t)
                && e.subtitles.len()
                    == if self.options.subtitles.is_some() {
                        targets.len()
                    } else {
                        0
                    };
            if !self.options.force
                && e.input_sha256 == p.digest
                && e.settings == settings
                && same_files
                && e.files().all(|r| ledger::unchanged(dir, r))
            {
                return Ok(Plan::Done(Manifest {
                    input: p.name.clone(),
                    language: p.about.language.clone(),
                    voice: p.voice.name.clone(),
                    engine: p.voice.engine.name(),
                    sample_rate: p.voice.sample_rate,
                    format,
                    outputs: e
                        .audio
                        .iter()
                        .enumerate()
                        .map(|(i, (r, d))| OutputEntry {
                            path: dir.join(&r.file),
                            subtitles: e.subtitles.get(i).map(|s| dir.join(&s.file)),
                            duration: *d,
                            samples: (d * p.voice.sample_rate as f64).round() as u64,
                            sentences: Vec::new(),
                        })
                        .collect(),
                    skipped: p.skipped.clone(),
                    up_to_date: true,
                    removed: Vec::new(),
                }));
            }
        }
        // A file that exists may be replaced with --force, or when the
        // manifest shows it is one hark wrote and it is unchanged since.
        let mut overwrite = self.options.force;
        if !overwrite && self.output != OutputSpec::Stdout {
            for f in &files {
                if std::fs::symlink_metadata(f).is_err() {
                    continue;
                }
                let ours = dir.is_some_and(|d| {
                    book.file(&ledger::relative(d, f))
                        .is_some_and(|r| ledger::unchanged(d, r))
                });
                if !ours {
                    check_target(f, false)?;
                }
                overwrite = true;
            }
            // Only files hark wrote are overwritten, so a file that
            // appears meanwhile is still refused at commit... unless it
            // is one of ours.
        }
        Ok(Plan::Render {
            prepared: Box::new(p),
            targets,
            settings,
            overwrite,
        })
    }

    /// Record a finished input in the manifest; remove the files its last
    /// run made and this one did not. Returns the removed files.
    fn record(
        &self,
        book: &mut DirManifest,
        dir: &Path,
        p: &Prepared,
        m: &Manifest,
        settings: String,
    ) -> Result<Vec<PathBuf>> {
        let rec = |path: &Path| -> Result<FileRecord> {
            ledger::record(dir, path).map_err(|e| Error::io(format!("reading back {}", path.display()), e))
        };
        let mut audio = Vec::new();
        let mut subtitles = Vec::new();
        for o in &m.outputs {
            audio.push((rec(&o.path)?, o.duration));
            if let Some(s) = &o.subtitles {
                subtitles.push(rec(s)?);
            }
        }
        let old = book.get(&p.name).cloned();
        let new_names: std::collections::HashSet<&str> = audio
            .iter()
            .map(|(r, _)| r.file.as_str())
            .chain(subtitles.iter().map(|r| r.file.as_str()))
            .collect();
        let mut removed = Vec::new();
        if let Some(old) = &old {
            for r in old.files() {
                if new_names.contains(r.file.as_str()) {
                    continue;
                }
                let path = dir.join(&r.file);
                if ledger::unchanged(dir, r) && std::fs::remove_file(&path).is_ok() {
                    removed.push(path);
                }
            }
        }
        if self.options.per_passage && self.options.force {
            removed.extend(remove_stale_passages(dir, &p.name, &m.outputs, self.options.subtitles));
        }
        book.put(Entry {
            input: p.name.clone(),
            input_sha256: p.digest.clone(),
            settings,
            voice: m.voice.clone(),
            format: m.format.name().to_string(),
            title: p.about.title.clone(),
            byline: p.about.byline.clone(),
            date: p.about.date.clone(),
            language: p.about.language.clone(),
            summary: p.summary.clone(),
            exported: old.map_or_else(ledger::now, |o| o.exported),
            audio,
            subtitles,
        });
        Ok(removed)
    }
}

/// With `--per-passage --force`: files named as this input's passages
/// (`STEM.pNN.EXT`, and their subtitles) past the ones just written are
/// left from a longer earlier run; remove them.
fn remove_stale_passages(dir: &Path, input: &str, written: &[OutputEntry], subs: Option<Format>) -> Vec<PathBuf> {
    let stem = stem_of(input);
    let keep: std::collections::HashSet<PathBuf> = written
        .iter()
        .flat_map(|o| std::iter::once(o.path.clone()).chain(o.subtitles.clone()))
        .collect();
    let Some(ext) = written
        .first()
        .and_then(|o| o.path.extension())
        .map(|e| e.to_string_lossy().into_owned())
    else {
        return Vec::new();
    };
    let mut exts = vec![ext];
    if let Some(f) = subs {
        exts.push(f.extension().to_string());
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&format!("{stem}.p")) else {
            continue;
        };
        let Some((num, ext)) = rest.split_once('.') else {
            continue;
        };
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || !exts.iter().any(|x| x == ext) {
            continue;
        }
        let path = dir.join(&name);
        if !keep.contains(&path) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}
