//! Export: render one input's utterances to WAV files (one, or one per
//! passage) with optional subtitles, all written atomically, and describe
//! the result in a [`Manifest`].

use super::subtitles::{self, Format};
use super::wav::{check_target, prepare_text, WavFile};
use super::{render, Control, Pauses, Prosody, Rendered, VoiceDef};
use crate::error::{Error, Result};
use crate::frontend::Utterance;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where `-o` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputSpec {
    /// Files named after the input in this directory.
    Dir(PathBuf),
    /// Exactly this file (one input only).
    File(PathBuf),
}

impl OutputSpec {
    /// Interpret `-o`: an existing directory, a name ending in `/` or a name
    /// without an extension is a directory; a `.wav` name is a file; `None`
    /// is the current directory.
    pub fn parse(arg: Option<&str>) -> Result<OutputSpec> {
        let Some(arg) = arg else {
            return Ok(OutputSpec::Dir(PathBuf::from(".")));
        };
        if arg.is_empty() {
            return Err(Error::Usage("-o needs a file or directory name".into()));
        }
        let p = PathBuf::from(arg);
        if p.is_dir() || arg.ends_with('/') || arg.ends_with(std::path::MAIN_SEPARATOR) {
            return Ok(OutputSpec::Dir(p));
        }
        match p.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("wav") => Ok(OutputSpec::File(p)),
            None => Ok(OutputSpec::Dir(p)),
            Some(e) => Err(Error::Usage(format!(
                "-o {arg}: hark writes WAV files; name a .wav file or a directory (not .{e})"
            ))),
        }
    }
}

/// The file stem an input's outputs are named after: `dir/001_x.txt` →
/// `001_x`, standard input → `stdin`.
pub fn stem_of(input: &str) -> String {
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
pub fn output_paths(input: &str, spec: &OutputSpec, passages: usize, per_passage: bool) -> Vec<PathBuf> {
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

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub voice: VoiceDef,
    pub prosody: Prosody,
    pub pauses: Pauses,
    pub per_passage: bool,
    pub subtitles: Option<Format>,
    pub force: bool,
}

/// One sentence in a manifest, timed in seconds.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceEntry {
    pub sentence: usize,
    pub paragraph: usize,
    pub passage: usize,
    pub text: String,
    pub start: f64,
    pub end: f64,
}

/// One written audio file.
#[derive(Debug, Clone, Serialize)]
pub struct OutputEntry {
    pub path: PathBuf,
    pub subtitles: Option<PathBuf>,
    pub duration: f64,
    pub samples: u64,
    pub sentences: Vec<SentenceEntry>,
}

/// What `hark export --json` prints for each input.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub input: String,
    pub voice: String,
    pub engine: &'static str,
    pub sample_rate: u32,
    pub outputs: Vec<OutputEntry>,
}

impl Manifest {
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
pub fn planned_files(targets: &[PathBuf], subtitles: Option<Format>) -> Vec<PathBuf> {
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
pub fn export(
    input: &str,
    utterances: &[Utterance],
    targets: &[PathBuf],
    opts: &ExportOptions,
    control: &mut Control<'_>,
) -> Result<Manifest> {
    if utterances.is_empty() {
        return Err(Error::bad_input(input, "nothing to speak"));
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
        return Err(Error::Usage(format!(
            "{input}: {} outputs planned for {} pieces of audio",
            targets.len(),
            groups.len()
        )));
    }
    let mut synth = super::open(&opts.voice, opts.prosody)?;
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
        voice: opts.voice.name.clone(),
        engine: opts.voice.engine.name(),
        sample_rate: rate,
        outputs,
    })
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
