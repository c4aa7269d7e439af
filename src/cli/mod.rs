//! Command-line parsing (clap derive) and wiring. No pipeline logic lives
//! here: each command calls the library's stages in order.

use clap::{Args, Parser, Subcommand};
use hark::clean::{self, CleanOptions, Cleaned};
use hark::frontend::{self, LetterStyle, Lexicon, NormalizeOptions, UrlStyle};
use hark::input;
use hark::segment::{self, Selector, SplitOptions};
use hark::{Error, Result};
use regex::Regex;
use std::io::Write;

mod speak;

const EXAMPLES: &str = "\
Examples:
  hark export examples/001_4b6f62f767aa35ac.txt -o out.wav
  hark export articles/*.txt -o audio/ --subtitles srt
  hark listen article.html --quote \"warned publicly\"
  hark speak \"Hello from hark.\" -o hello.wav
  hark voices
  hark clean examples/001_4b6f62f767aa35ac.txt
  hark clean --json page.html | jq .removed
  hark select article.txt --sentences 3-5,9
  hark select article.txt --quote \"arms negotiations are actively advancing\"
  hark select article.txt --fragment 'https://example.com/a#:~:text=Kim,Putin'
  curl -s https://example.com/story | hark select - --marks
  hark split --json notes.txt
  hark normalize 'Sat. Nov 23rd, 2024: Mr. Kim paid $2.5 million'

Exit codes: 0 ok, 1 failure (I/O, engine, audio device), 2 bad input or usage,
3 selection matched nothing, 130 interrupted.";

#[derive(Parser, Debug)]
#[command(name = "hark", version, about = "Read news articles aloud: clean the page, select passages, speak them.", after_help = EXAMPLES)]
pub struct Cli {
    /// Print nothing but results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is done (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the clean article text (or --json with what was removed and why).
    #[command(
        after_help = "Examples:\n  hark clean examples/000_624dd58d807fbd70.txt\n  hark clean --json --keep-captions page.html\n  cat page.html | hark clean -"
    )]
    Clean(CleanArgs),
    /// Print the selected passages of the clean article, with sentence numbers.
    #[command(
        after_help = "Selectors combine (union, in text order); none selects everything.\n\nExamples:\n  hark select a.txt --sentences 3-5,9 --paragraphs 7-\n  hark select a.txt --quote \"warned publicly\" --exact\n  hark select a.txt --fragment ':~:text=Kim%20Jong%20Un,Putin'\n  hark select a.txt --grep '(?i)missiles?'"
    )]
    Select(SelectArgs),
    /// Split text into sentences exactly as given (no article cleaning).
    #[command(
        after_help = "Examples:\n  hark split notes.txt\n  echo 'Mr. Kim left. He met Putin.' | hark split --json -"
    )]
    Split(SplitArgs),
    /// Render articles (or their selected passages) to WAV files.
    #[command(after_help = speak::EXPORT_HELP)]
    Export(speak::ExportArgs),
    /// Read an article (or its selected passages) aloud as it is synthesized.
    #[command(after_help = speak::LISTEN_HELP)]
    Listen(speak::ListenArgs),
    /// Speak a literal text as given (not cleaned as an article), or write it to a WAV file.
    #[command(after_help = speak::SPEAK_HELP)]
    Speak(speak::SpeakArgs),
    /// Show how numbers, dates and abbreviations are read aloud (the text the engine gets).
    #[command(
        after_help = "Examples:\n  hark normalize 'Sat. Nov 23rd, 2024: Mr. Kim paid $2.5 million at 3:30 p.m.'\n  hark normalize --json 'The U.S. sent 7,000 containers.' | jq '.tokens[] | select(.class != \"word\")'\n  hark clean article.txt | hark normalize -\n  hark normalize --lexicon names.toml 'Kirby said'\n\nLexicon files are TOML: `Kirby = \"Kurby\"` (or under [words]); ~/.config/hark/lexicon.toml is read\nunless --no-user-lexicon, and --lexicon FILE goes on top."
    )]
    Normalize(NormalizeArgs),
    /// List the voices this build can use.
    #[command(
        after_help = "Examples:\n  hark voices\n  hark voices --language en-GB\n  hark voices --json | jq -r '.[].name'\n  hark voices --all"
    )]
    Voices(speak::VoicesArgs),
}

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Input files (plain text or HTML); `-` reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How an input is read and cleaned (every command that cleans).
#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// Read the input in this encoding (e.g. windows-1252) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Keep photo captions (without their credits).
    #[arg(long)]
    pub keep_captions: bool,
    /// Repair machine-paraphrased wording: safe (high-confidence only; bolder in documents proven spun), aggressive (also plain synonyms; changes clean text too), off.
    #[arg(long, value_name = "MODE", default_value = "safe", value_parser = ["safe", "aggressive", "off"])]
    pub despin: String,
}

#[derive(Args, Debug)]
pub struct CleanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON: {title, byline, date, paragraphs, removed, repairs, spin}.
    #[arg(long)]
    pub json: bool,
    /// Show each de-spinning repair inline: [before → after].
    #[arg(long, conflicts_with = "json")]
    pub show_repairs: bool,
}

/// How web addresses are read.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default)]
pub enum UrlArg {
    /// Only the site ("nvidia dot com").
    #[default]
    Host,
    /// Every character ("HTTPS colon slash slash …").
    Full,
    /// Leave them out.
    Skip,
}

/// The choices of how words are said: web addresses and the user lexicon.
#[derive(Args, Debug, Clone, Default)]
pub struct VerbalizeArgs {
    /// Read web addresses: host (only the site), full, or skip.
    #[arg(long, value_enum, value_name = "HOW", default_value = "host")]
    pub urls: UrlArg,
    /// A lexicon file (TOML: `written = "spoken"`); its entries override every table.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<std::path::PathBuf>,
    /// Do not read ~/.config/hark/lexicon.toml.
    #[arg(long)]
    pub no_user_lexicon: bool,
}

impl VerbalizeArgs {
    /// Normalization settings (loads the lexicons).
    pub fn options(&self, letters: LetterStyle) -> Result<NormalizeOptions> {
        let lexicon = Lexicon::load_user(self.lexicon.as_deref(), !self.no_user_lexicon)?.map(std::sync::Arc::new);
        let urls = match self.urls {
            UrlArg::Host => UrlStyle::Host,
            UrlArg::Full => UrlStyle::Full,
            UrlArg::Skip => UrlStyle::Skip,
        };
        Ok(NormalizeOptions { letters, urls, lexicon })
    }
}

/// How text is read aloud: normalization and the user lexicon.
#[derive(Args, Debug, Clone, Default)]
pub struct ReadingArgs {
    /// Give the engine the text as written (no number, date or abbreviation expansion).
    #[arg(long)]
    pub no_normalize: bool,
    #[command(flatten)]
    pub verbalize: VerbalizeArgs,
}

impl ReadingArgs {
    /// Normalization settings for a voice's language; None where hark has
    /// no normalizer for it (only English today) or it is switched off.
    pub fn options(&self, language: &str) -> Result<Option<NormalizeOptions>> {
        if self.no_normalize || !language.to_ascii_lowercase().starts_with("en") {
            return Ok(None);
        }
        Ok(Some(self.verbalize.options(LetterStyle::Spaced)?))
    }
}

#[derive(Args, Debug)]
pub struct NormalizeArgs {
    /// The text to read; `-` (or nothing) reads standard input.
    #[arg(value_name = "TEXT", default_value = "-")]
    pub text: String,
    /// Print JSON: {spoken, tokens: [{class, written, spoken, start, end}]}.
    #[arg(long)]
    pub json: bool,
    /// Write spelled letters joined ("DPRK") instead of spaced ("D P R K").
    #[arg(long)]
    pub joined: bool,
    #[command(flatten)]
    pub verbalize: VerbalizeArgs,
}

#[derive(Args, Debug, Clone, Default)]
pub struct SelectorArgs {
    /// Sentences by 1-based number: 3-5,9,12-
    #[arg(long, value_name = "RANGES")]
    pub sentences: Option<String>,
    /// Paragraphs by 1-based number: 2-4
    #[arg(long, value_name = "RANGES")]
    pub paragraphs: Option<String>,
    /// A highlighted passage, found even if it differs slightly.
    #[arg(long, value_name = "TEXT")]
    pub quote: Vec<String>,
    /// With --quote: select exactly the quoted words, not whole sentences.
    #[arg(long)]
    pub exact: bool,
    /// A URL text fragment: 'URL#:~:text=start,end' or ':~:text=...'.
    #[arg(long, value_name = "URL")]
    pub fragment: Vec<String>,
    /// Passages the input highlights: ==text==, <mark>, <span class="highlight">.
    #[arg(long)]
    pub marks: bool,
    /// Sentences matching a regular expression.
    #[arg(long, value_name = "REGEX")]
    pub grep: Vec<String>,
}

impl SelectorArgs {
    pub fn selectors(&self) -> Result<Vec<Selector>> {
        let mut out = Vec::new();
        if let Some(r) = &self.sentences {
            out.push(Selector::Sentences(segment::parse_ranges(r)?));
        }
        if let Some(r) = &self.paragraphs {
            out.push(Selector::Paragraphs(segment::parse_ranges(r)?));
        }
        for q in &self.quote {
            out.push(Selector::Quote {
                text: q.clone(),
                exact: self.exact,
            });
        }
        for f in &self.fragment {
            out.push(Selector::Fragment(f.clone()));
        }
        if self.marks {
            out.push(Selector::Marks);
        }
        for g in &self.grep {
            let re = Regex::new(g).map_err(|e| Error::Usage(format!("bad --grep pattern: {e}")))?;
            out.push(Selector::Grep(re));
        }
        Ok(out)
    }
}

#[derive(Args, Debug)]
pub struct SelectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub select: SelectorArgs,
    /// Print JSON: passages with sentence indices and byte spans.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SplitArgs {
    /// Input file; `-` reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: String,
    /// Print a JSON array of strings.
    #[arg(long)]
    pub json: bool,
    /// Single line breaks are soft wraps (text from PDFs).
    #[arg(long)]
    pub pdf: bool,
    /// First repair web/PDF debris: HTML tags, escaped line breaks, leader dots.
    #[arg(long)]
    pub tidy: bool,
    /// Read the input in this encoding instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
}

/// Messages on stderr, by verbosity.
pub struct Reporter {
    pub level: i8,
}

impl Reporter {
    /// Said unless `-q`.
    pub fn note(&self, msg: impl AsRef<str>) {
        if self.level >= 0 {
            eprintln!("hark: {}", msg.as_ref());
        }
    }

    pub fn info(&self, msg: impl AsRef<str>) {
        if self.level >= 1 {
            eprintln!("hark: {}", msg.as_ref());
        }
    }
}

/// Run the parsed command, writing results to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let rep = Reporter {
        level: if cli.quiet { -1 } else { cli.verbose as i8 },
    };
    match cli.command {
        Command::Clean(args) => clean_cmd(&args, &rep, out),
        Command::Select(args) => select_cmd(&args, &rep, out),
        Command::Split(args) => split_cmd(&args, out),
        Command::Normalize(args) => normalize_cmd(&args, out),
        Command::Export(args) => speak::export_cmd(&args, &rep, out),
        Command::Listen(args) => speak::listen_cmd(&args, &rep, out),
        Command::Speak(args) => speak::speak_cmd(&args, &rep, out),
        Command::Voices(args) => speak::voices_cmd(&args, out),
    }
}

pub(crate) fn write_err(e: std::io::Error) -> Error {
    Error::io("writing output", e)
}

pub(crate) fn load(file: &str, args: &ReadArgs, rep: &Reporter) -> Result<Cleaned> {
    let raw = input::read_source(file)?;
    let decoded = input::decode(&raw, args.encoding.as_deref())?;
    rep.info(format!(
        "{file}: {:?}, {}, {} bytes",
        decoded.format,
        decoded.encoding,
        raw.bytes.len()
    ));
    let cleaned = clean::clean(
        &decoded,
        &CleanOptions {
            keep_captions: args.keep_captions,
            despin: args.despin.parse().map_err(Error::Usage)?,
        },
    )?;
    let spin = &cleaned.spin;
    if spin.likely_spun {
        rep.note(format!(
            "{file}: looks machine-paraphrased ({} sentences shaped as only spun text is; spin score {:.1} per 100 words; {} repaired{})",
            spin.shapes,
            spin.score,
            cleaned.repairs.len(),
            if cleaned.repairs.is_empty() {
                ""
            } else {
                ", see hark clean --show-repairs"
            }
        ));
    }
    if rep.level >= 2 {
        for r in &cleaned.repairs {
            rep.info(format!(
                "  repaired [{} → {}] {} ({:.2})",
                r.before, r.after, r.evidence, r.confidence
            ));
        }
    }
    rep.info(format!(
        "{file}: kept {} paragraphs, removed {} blocks",
        cleaned.document.paragraphs.len(),
        cleaned.removed.len()
    ));
    if rep.level >= 2 {
        for r in &cleaned.removed {
            rep.info(format!(
                "  removed [{}] {}: {}",
                r.rule,
                r.reason,
                r.text.chars().take(70).collect::<String>()
            ));
        }
    }
    Ok(cleaned)
}

fn clean_cmd(args: &CleanArgs, rep: &Reporter, out: &mut dyn Write) -> Result<()> {
    let many = args.input.files.len() > 1;
    let mut docs = Vec::new();
    for file in &args.input.files {
        let cleaned = load(file, &args.input.read, rep)?;
        if args.json {
            docs.push(clean_json(&cleaned));
        } else {
            if many {
                writeln!(out, "==> {file} <==").map_err(write_err)?;
            }
            let text = cleaned.document.text();
            if args.show_repairs {
                writeln!(out, "{}", clean::show_repairs(&text, &cleaned.repairs)).map_err(write_err)?;
            } else {
                writeln!(out, "{text}").map_err(write_err)?;
            }
            if many {
                writeln!(out).map_err(write_err)?;
            }
        }
    }
    if args.json {
        let value = if many {
            serde_json::Value::Array(docs)
        } else {
            docs.remove(0)
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&value).expect("json")).map_err(write_err)?;
    }
    Ok(())
}

fn clean_json(c: &Cleaned) -> serde_json::Value {
    let m = &c.document.meta;
    let text = c.document.text();
    serde_json::json!({
        "source": m.source,
        "title": m.title,
        "byline": m.byline,
        "date": m.date,
        "paragraphs": c.document.paragraphs.iter().map(|p| p.text.clone()).collect::<Vec<_>>(),
        "marks": c.document.marks.iter().map(|r| text[r.clone()].to_string()).collect::<Vec<_>>(),
        "removed": c.removed,
        "repairs": c.repairs,
        "spin": c.spin,
    })
}

fn select_cmd(args: &SelectArgs, rep: &Reporter, out: &mut dyn Write) -> Result<()> {
    let selectors = args.select.selectors()?;
    let mut results = Vec::new();
    for file in &args.input.files {
        let cleaned = load(file, &args.input.read, rep)?;
        let sentences = segment::sentences(&cleaned.document);
        let selection = segment::select(&cleaned.document, &sentences, &selectors)?;
        rep.info(format!(
            "{file}: {} passages, {} of {} sentences",
            selection.passages.len(),
            selection.sentence_indices().len(),
            sentences.len()
        ));
        if args.json {
            results.push(serde_json::json!({ "source": file, "passages": selection.passages }));
        } else {
            for p in &selection.passages {
                let (a, b) = (
                    p.sentences.first().map_or(0, |i| i + 1),
                    p.sentences.last().map_or(0, |i| i + 1),
                );
                let label = if a == b { format!("[{a}]") } else { format!("[{a}-{b}]") };
                writeln!(out, "{label} {}", p.text).map_err(write_err)?;
            }
        }
    }
    if args.json {
        let value = if results.len() == 1 {
            results.remove(0)
        } else {
            serde_json::Value::Array(results)
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&value).expect("json")).map_err(write_err)?;
    }
    Ok(())
}

fn normalize_cmd(args: &NormalizeArgs, out: &mut dyn Write) -> Result<()> {
    let text = if args.text == "-" {
        let raw = input::read_source("-")?;
        input::decode(&raw, None)?.text
    } else {
        args.text.clone()
    };
    if text.trim().is_empty() {
        return Err(Error::bad_input(
            if args.text == "-" { "<stdin>" } else { "TEXT" },
            "nothing to normalize",
        ));
    }
    let letters = if args.joined {
        LetterStyle::Joined
    } else {
        LetterStyle::Spaced
    };
    let opts = args.verbalize.options(letters)?;
    let n = frontend::normalize(&text, &opts);
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&n).expect("json")).map_err(write_err)?;
    } else {
        writeln!(out, "{}", n.spoken).map_err(write_err)?;
    }
    Ok(())
}

fn split_cmd(args: &SplitArgs, out: &mut dyn Write) -> Result<()> {
    let raw = input::read_source(&args.file)?;
    let decoded = input::decode(&raw, args.encoding.as_deref())?;
    let text = if args.tidy {
        segment::tidy(&decoded.text)
    } else {
        decoded.text
    };
    let sentences: Vec<String> = segment::split_sentences(&text, &SplitOptions { pdf: args.pdf })
        .into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&sentences).expect("json")).map_err(write_err)?;
    } else {
        for s in sentences {
            writeln!(out, "{s}").map_err(write_err)?;
        }
    }
    Ok(())
}
