//! Command-line parsing (clap derive) and wiring: each command turns its
//! flags (and the user's config file) into library options, calls the
//! library, and prints. No pipeline policy lives here; exit codes and the
//! hints that name flags do (`exit.rs`).

use clap::{Args, Parser, Subcommand};
use hark::clean::DespinMode;
use hark::config::{Config, Dirs};
use hark::frontend::{self, LetterStyle, Lexicon, NormalizeOptions, Reading, UrlStyle};
use hark::segment::{self, Selector, SplitOptions};
use hark::{Article, Error, ReadOptions, Result, Source};
use std::io::Write;

mod choice;
pub mod exit;
pub mod models;
mod speak;
mod tui;

use choice::choice;

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
  hark completions bash > ~/.local/share/bash-completion/completions/hark

Configuration: ~/.config/hark/config.toml (voice per language, rate, pauses,
despin mode); flags win over it. --json prints NDJSON, schema 1 (see README).

Exit codes: 0 ok, 1 failure (I/O, engine, audio device), 2 bad input or usage,
3 selection matched nothing, 130 interrupted.";

/// hark's command line.
#[derive(Parser, Debug)]
#[command(
    name = "hark",
    about = "Read news articles aloud: clean the page, select passages, speak them.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Print nothing but results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is done (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Read this configuration file instead of ~/.config/hark/config.toml.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,
    /// Read no configuration file.
    #[arg(long, global = true)]
    pub no_config: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
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
    /// Choose passages by hand on the terminal, then read them aloud, export them or print them as selectors.
    #[command(after_help = speak::PICK_HELP)]
    Pick(speak::PickArgs),
    /// Speak a literal text as given (not cleaned as an article), or write it to a WAV file.
    #[command(after_help = speak::SPEAK_HELP)]
    Speak(speak::SpeakArgs),
    /// Show how numbers, dates and abbreviations are read aloud (the text the engine gets).
    #[command(
        after_help = "Examples:\n  hark normalize 'Sat. Nov 23rd, 2024: Mr. Kim paid $2.5 million at 3:30 p.m.'\n  hark normalize --json 'The U.S. sent 7,000 containers.' | jq '.tokens[] | select(.class != \"word\")'\n  hark clean article.txt | hark normalize -\n  hark normalize --lexicon names.toml 'Kirby said'\n  hark normalize --language de 'Am 3. Oktober kamen 2.500 Menschen.'\n\nLexicon files are TOML: `Kirby = \"Kurby\"` (or under [words]); ~/.config/hark/lexicon.toml is read\nunless --no-user-lexicon, and --lexicon FILE goes on top."
    )]
    Normalize(NormalizeArgs),
    /// List the voices this build can use.
    #[command(
        after_help = "Examples:\n  hark voices\n  hark voices --language en-GB\n  hark voices --json | jq -r .name\n  hark voices --all"
    )]
    Voices(speak::VoicesArgs),
    /// List, add or remove the language models that judge de-spinning repairs (feature `lm`).
    #[command(after_help = models::HELP)]
    Models(models::ModelsArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  hark completions bash > ~/.local/share/bash-completion/completions/hark\n  hark completions zsh > ~/.zfunc/_hark\n  hark completions fish > ~/.config/fish/completions/hark.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Examples:\n  hark man > hark.1 && man ./hark.1")]
    Man,
}

/// Inputs of the commands that read articles.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Inputs: files (plain text or HTML), directories (read recursively), http(s):// URLs,
    /// @LIST files of paths and URLs (one per line; @- reads the list from standard input),
    /// or `-` for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    pub files: Vec<String>,
    /// Files to read inside directories (repeatable) [default: *.txt *.text *.md *.html *.htm *.xhtml].
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Let inputs that tell the same story (found by their content words) serve as each other's --reference.
    #[arg(long)]
    pub cross_reference: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

impl InputArgs {
    /// What the names stand for, each input or its own error.
    pub fn sources(&self) -> Vec<Result<Source>> {
        hark::gather(
            &self.files,
            &hark::GatherOptions {
                globs: self.glob.clone(),
            },
        )
    }
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
    /// Repair machine-paraphrased wording [default: safe, or the config file's].
    #[arg(long, value_name = "MODE", value_parser = choice::<DespinMode>())]
    pub despin: Option<DespinMode>,
    /// In plain text, read ==text== as a highlight (taken out of the text).
    #[arg(long)]
    pub mark_syntax: bool,
    /// Refuse bytes invalid in the input's encoding (by default they become U+FFFD, with a warning).
    #[arg(long)]
    pub strict: bool,
    /// The document's language (e.g. de, fr-CA) instead of the page's lang attribute or detection.
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    /// For URLs: give up on a page after this many seconds [default: 30].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Refuse inputs (files, pages, standard input) larger than this: bytes, or with K, M or G [default: 256M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<u64>,
    /// Another version of the same story (a file or URL; repeatable): its wording is proposed where this text's differs by a spinner's swap, and kept where confirmed.
    #[arg(long = "reference", value_name = "FILE|URL")]
    pub references: Vec<String>,
    /// The language model that judges de-spinning repairs: an installed model (see `hark models`), a .gguf path, or none [default: the config file's, else the default installed model; feature `lm`].
    #[arg(long, value_name = "NAME|PATH")]
    pub model: Option<String>,
}

/// `512`, `64K`, `10M`, `1G` (powers of 1024).
fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m: u64 = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("'{s}': use bytes, or a number with K, M or G")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("'{s}': use bytes, or a number with K, M or G"))?;
    if !(n.is_finite() && n >= 1.0) {
        return Err(format!("'{s}': the limit must be at least one byte"));
    }
    Ok((n * mult as f64) as u64)
}

impl ReadArgs {
    /// Library read options; `marks` asks for `==…==` highlights too. The
    /// language model (feature `lm`) is chosen here, when de-spinning is on, and loaded where a document needs it.
    pub fn options(&self, ctx: &Ctx, marks: bool) -> Result<ReadOptions> {
        let cfg = &ctx.config;
        let despin = self.despin.or(cfg.despin).unwrap_or_default();
        let choice = self.model.as_deref().or(cfg.model.as_deref());
        #[cfg(feature = "lm")]
        let model = if despin == DespinMode::Off {
            None
        } else {
            models::load(ctx, choice)?
        };
        #[cfg(not(feature = "lm"))]
        if let Some(c) = choice.filter(|c| !matches!(c.trim(), "none" | "off")) {
            return Err(hark::Error::Invalid(format!(
                "a language model ('{c}') needs the `lm` feature: rebuild hark with `cargo build --release --features lm`, or pass --model none"
            )));
        }
        let fetch = hark::FetchOptions {
            timeout: self.timeout.filter(|t| t.is_finite() && *t > 0.0).map_or(
                hark::FetchOptions::default().timeout,
                std::time::Duration::from_secs_f64,
            ),
            ..Default::default()
        };
        // Each reference is read and cleaned as an article, not de-spun.
        let mut references = Vec::with_capacity(self.references.len());
        if despin != DespinMode::Off {
            let plain = ReadOptions {
                despin: DespinMode::Off,
                max_bytes: self.max_size,
                fetch: fetch.clone(),
                ..Default::default()
            };
            for r in &self.references {
                let a = Article::read(r.as_str(), &plain)?;
                ctx.rep
                    .info(format!("reference {r}: {} paragraphs", a.document().paragraphs.len()));
                references.push((r.clone(), a.document().text()));
            }
        }
        Ok(ReadOptions {
            encoding: self.encoding.clone(),
            keep_captions: self.keep_captions,
            despin,
            mark_syntax: self.mark_syntax || marks,
            strict: self.strict,
            language: self.language.clone(),
            max_bytes: self.max_size,
            fetch,
            #[cfg(feature = "lm")]
            model,
            references,
        })
    }
}

/// Arguments of `hark clean`.
#[derive(Args, Debug)]
pub struct CleanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print NDJSON, one record per input: title, byline, date, paragraphs, removed, repairs, spin.
    #[arg(long)]
    pub json: bool,
    /// Show each de-spinning repair inline: [before → after].
    #[arg(long, conflicts_with = "json")]
    pub show_repairs: bool,
}

/// The choices of how words are said: web addresses and the user lexicon.
#[derive(Args, Debug, Clone, Default)]
pub struct VerbalizeArgs {
    /// Read web addresses [default: host, or the config file's].
    #[arg(long, value_name = "HOW", value_parser = choice::<UrlStyle>())]
    pub urls: Option<UrlStyle>,
    /// A lexicon file (TOML: `written = "spoken"`); its entries override every table.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<std::path::PathBuf>,
    /// Do not read ~/.config/hark/lexicon.toml.
    #[arg(long)]
    pub no_user_lexicon: bool,
}

impl VerbalizeArgs {
    /// Normalization settings (loads the lexicons).
    pub fn options(&self, ctx: &Ctx, letters: LetterStyle) -> Result<NormalizeOptions> {
        let lexicon =
            Lexicon::load_user(&ctx.dirs, self.lexicon.as_deref(), !self.no_user_lexicon)?.map(std::sync::Arc::new);
        let urls = match (self.urls, &ctx.config.urls) {
            (Some(u), _) => u,
            (None, Some(name)) => name.parse().map_err(|e| Error::Config {
                path: ctx.dirs.config_file(),
                reason: format!("urls: {e}"),
            })?,
            (None, None) => UrlStyle::default(),
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
    /// How to read text in `language`.
    pub fn reading(&self, ctx: &Ctx, language: &str) -> Result<Reading> {
        Ok(Reading {
            language: language.to_string(),
            normalize: !self.no_normalize && ctx.config.normalize.unwrap_or(true),
            options: self.verbalize.options(ctx, LetterStyle::Spaced)?,
        })
    }
}

/// Arguments of `hark normalize`.
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
    /// Read the text in this language (en, de, fr, es, it) [default: en].
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    #[command(flatten)]
    pub verbalize: VerbalizeArgs,
}

/// The selectors.
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
    /// With --quote: select exactly the quoted words (whole words), not whole sentences.
    #[arg(long)]
    pub exact: bool,
    /// A URL text fragment: 'URL#:~:text=start,end' or ':~:text=...'.
    #[arg(long, value_name = "URL")]
    pub fragment: Vec<String>,
    /// Passages the input highlights: <mark>, <span class="highlight">, ==text== in plain text.
    #[arg(long)]
    pub marks: bool,
    /// Sentences matching a regular expression.
    #[arg(long, value_name = "REGEX")]
    pub grep: Vec<String>,
}

impl SelectorArgs {
    /// The library selectors.
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
            out.push(Selector::fragment(f)?);
        }
        if self.marks {
            out.push(Selector::Marks);
        }
        for g in &self.grep {
            out.push(Selector::grep(g)?);
        }
        Ok(out)
    }
}

/// Arguments of `hark select`.
#[derive(Args, Debug)]
pub struct SelectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub select: SelectorArgs,
    /// Print NDJSON, one record per input: passages with sentence numbers and byte spans.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `hark split`.
#[derive(Args, Debug)]
pub struct SplitArgs {
    /// Input file; `-` reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: String,
    /// Print a JSON record of the sentences.
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
    /// -1 quiet, 0 normal, 1 `-v`, 2 `-vv`.
    pub level: i8,
}

impl Reporter {
    /// Said unless `-q`.
    pub fn note(&self, msg: impl AsRef<str>) {
        if self.level >= 0 {
            eprintln!("hark: {}", msg.as_ref());
        }
    }

    /// Said with `-v`.
    pub fn info(&self, msg: impl AsRef<str>) {
        if self.level >= 1 {
            eprintln!("hark: {}", msg.as_ref());
        }
    }

    /// An error that does not end the run (one input of several).
    pub fn error(&self, e: &Error) {
        eprintln!("hark: error: {}", exit::message(e));
    }
}

/// What every command gets: messages, directories, the config file.
pub struct Ctx {
    /// Messages.
    pub rep: Reporter,
    /// Where hark keeps things.
    pub dirs: Dirs,
    /// The user's configuration.
    pub config: Config,
}

/// Run the parsed command, writing results to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let dirs = Dirs::from_env();
    let config = match (&cli.config, cli.no_config) {
        (_, true) => Config::default(),
        (Some(path), _) => Config::load(path)?,
        (None, false) => Config::load_user(&dirs)?,
    };
    let ctx = Ctx {
        rep: Reporter {
            level: if cli.quiet { -1 } else { cli.verbose as i8 },
        },
        dirs,
        config,
    };
    match cli.command {
        Command::Clean(args) => clean_cmd(&args, &ctx, out),
        Command::Select(args) => select_cmd(&args, &ctx, out),
        Command::Split(args) => split_cmd(&args, out),
        Command::Normalize(args) => normalize_cmd(&args, &ctx, out),
        Command::Export(args) => speak::export_cmd(&args, &ctx, out),
        Command::Listen(args) => speak::listen_cmd(&args, &ctx, out),
        Command::Pick(args) => speak::pick_cmd(&args, &ctx, out),
        Command::Speak(args) => speak::speak_cmd(&args, &ctx, out),
        Command::Voices(args) => speak::voices_cmd(&args, &ctx, out),
        Command::Models(args) => models::run(&args, &ctx, out),
        Command::Completions { shell } => {
            let mut cmd = command();
            clap_complete::generate(shell, &mut cmd, "hark", out);
            Ok(())
        }
        Command::Man => clap_mangen::Man::new(command()).render(out).map_err(write_err),
    }
}

/// The full clap command, with the version line that lists the features.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let long: &'static str = Box::leak(long_version().into_boxed_str());
    Cli::command().version(version()).long_version(long)
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

fn long_version() -> String {
    let on: Vec<&str> = hark::FEATURES.iter().filter(|f| f.1).map(|f| f.0).collect();
    let off: Vec<&str> = hark::FEATURES.iter().filter(|f| !f.1).map(|f| f.0).collect();
    format!(
        "{}\nfeatures: {}\nnot built: {}\nengines: SVOX Pico (Apache-2.0){}{}{}",
        env!("CARGO_PKG_VERSION"),
        if on.is_empty() {
            "none".to_string()
        } else {
            on.join(", ")
        },
        if off.is_empty() {
            "none".to_string()
        } else {
            off.join(", ")
        },
        if cfg!(feature = "flite") {
            ", Flite (BSD-like)"
        } else {
            ""
        },
        if cfg!(feature = "neural") {
            ", Piper and Kokoro voices you install, through ONNX Runtime loaded at run time (MIT)"
        } else {
            ""
        },
        match (cfg!(feature = "neural"), cfg!(feature = "mp3")) {
            (true, _) => {
                "\nlicence: this binary links espeak-ng (GPL-3.0-or-later) for the neural voices' phonemes, \
                 so it is distributed under the GPL-3.0-or-later"
            }
            (false, true) => "\nlicence: this binary links LAME (LGPL-2.0) for MP3",
            _ => "",
        },
    )
}

pub(crate) fn write_err(e: std::io::Error) -> Error {
    Error::io("writing output", e)
}

/// Print one NDJSON record.
pub(crate) fn json_line(out: &mut dyn Write, v: &serde_json::Value) -> Result<()> {
    writeln!(out, "{v}").map_err(write_err)
}

/// Read and clean one input, telling the user what they should know.
pub(crate) fn load(file: &str, opts: &ReadOptions, rep: &Reporter) -> Result<Article> {
    let article = Article::read(Source::from(file), opts)?;
    report_article(&article, rep);
    Ok(article)
}

/// Warnings (unless -q) and, with -v/-vv, what was read and removed.
pub(crate) fn report_article(article: &Article, rep: &Reporter) {
    let file = article.source();
    rep.info(format!(
        "{file}: {:?}, {}, {} bytes",
        article.format(),
        article.encoding(),
        article.input_bytes()
    ));
    for w in article.warnings() {
        let hint = match w {
            hark::Warning::Spun { repairs, .. } if *repairs > 0 => "; see hark clean --show-repairs",
            _ => "",
        };
        rep.note(format!("{file}: {w}{hint}"));
    }
    if rep.level >= 2 {
        for r in article.repairs() {
            rep.info(format!(
                "  repaired [{} → {}] {} ({:.2})",
                r.before, r.after, r.evidence, r.confidence
            ));
        }
    }
    rep.info(format!(
        "{file}: kept {} paragraphs, removed {} blocks",
        article.document().paragraphs.len(),
        article.removed().len()
    ));
    if rep.level >= 2 {
        for r in article.removed() {
            rep.info(format!(
                "  removed [{}] {}: {}",
                r.rule,
                r.reason,
                r.text.chars().take(70).collect::<String>()
            ));
        }
    }
}

/// Read each input and hand it to `f`. An input that cannot be read, or
/// that `f` rejects (a selection that matches nothing), is reported and the
/// others go on; a failure to write the output ends the run. With one input
/// its own error is returned; with several, how many failed.
fn each_article(
    input: &InputArgs,
    opts: &ReadOptions,
    ctx: &Ctx,
    json: bool,
    out: &mut dyn Write,
    mut f: impl FnMut(&Article, &mut dyn Write) -> Result<()>,
) -> Result<()> {
    let sources = input.sources();
    let total = sources.len();
    // With --cross-reference every input is read before the first is
    // printed; otherwise each is read as it comes.
    let mut versions = if input.cross_reference {
        let ok: Vec<Source> = sources.iter().filter_map(|s| s.as_ref().ok().cloned()).collect();
        Some(Article::read_versions(&ok, opts).into_iter())
    } else {
        None
    };
    let mut failed = 0;
    for source in sources {
        let result = source.and_then(|s| {
            let article = match versions.as_mut() {
                Some(v) => v.next().unwrap_or(Err(Error::Interrupted))?,
                None => Article::read(s, opts)?,
            };
            report_article(&article, &ctx.rep);
            f(&article, out)
        });
        match result {
            Ok(()) => {}
            Err(e @ (Error::Io { .. } | Error::Interrupted)) => return Err(e),
            Err(e) if total == 1 => return Err(e),
            Err(e) => {
                if json {
                    json_line(out, &hark::json::error(&e))?;
                }
                ctx.rep.error(&e);
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(Error::Batch { failed, total });
    }
    Ok(())
}

fn clean_cmd(args: &CleanArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let many = args.input.files.len() > 1
        || args
            .input
            .files
            .iter()
            .any(|f| f.starts_with('@') || std::path::Path::new(f).is_dir());
    let opts = args.input.read.options(ctx, false)?;
    each_article(&args.input, &opts, ctx, args.json, out, |article, out| {
        if args.json {
            return json_line(out, &hark::json::article(article));
        }
        if many {
            writeln!(out, "==> {} <==", article.source()).map_err(write_err)?;
        }
        let text = article.text();
        if args.show_repairs {
            writeln!(out, "{}", hark::clean::show_repairs(&text, article.repairs())).map_err(write_err)?;
        } else {
            writeln!(out, "{text}").map_err(write_err)?;
        }
        if many {
            writeln!(out).map_err(write_err)?;
        }
        Ok(())
    })
}

fn select_cmd(args: &SelectArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let selectors = args.select.selectors()?;
    let opts = args.input.read.options(ctx, args.select.marks)?;
    each_article(&args.input, &opts, ctx, args.json, out, |article, out| {
        let selection = article.select(&selectors)?;
        ctx.rep.info(format!(
            "{}: {} passages, {} of {} sentences",
            article.source(),
            selection.passages.len(),
            selection.sentence_indices().len(),
            article.sentences().len()
        ));
        if args.json {
            return json_line(out, &hark::json::selection(article, &selection));
        }
        for p in &selection.passages {
            let (a, b) = (
                p.sentences.first().map_or(0, |i| i + 1),
                p.sentences.last().map_or(0, |i| i + 1),
            );
            let label = if a == b { format!("[{a}]") } else { format!("[{a}-{b}]") };
            writeln!(out, "{label} {}", p.text).map_err(write_err)?;
        }
        Ok(())
    })
}

/// Text given on the command line, or read (and decoded) from standard
/// input for `-`.
pub(crate) fn literal_text(arg: &str, verb: &str) -> Result<String> {
    let text = if arg == "-" {
        hark::read_text(Source::Stdin, None)?
    } else {
        arg.to_string()
    };
    if text.trim().is_empty() {
        return Err(Error::Invalid(format!("TEXT: nothing to {verb}")));
    }
    Ok(text)
}

fn normalize_cmd(args: &NormalizeArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let text = literal_text(&args.text, "normalize")?;
    let letters = if args.joined {
        LetterStyle::Joined
    } else {
        LetterStyle::Spaced
    };
    let opts = args.verbalize.options(ctx, letters)?;
    let language = args.language.clone().unwrap_or_else(|| "en".into());
    let n = frontend::normalize_in(&text, &language, &opts);
    if args.json {
        json_line(out, &hark::json::normalized(&n))
    } else {
        writeln!(out, "{}", n.spoken).map_err(write_err)
    }
}

fn split_cmd(args: &SplitArgs, out: &mut dyn Write) -> Result<()> {
    let text = hark::read_text(Source::from(args.file.as_str()), args.encoding.as_deref())?;
    let text = if args.tidy { segment::tidy(&text) } else { text };
    let sentences: Vec<String> = segment::split_sentences(&text, &SplitOptions { pdf: args.pdf })
        .into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if args.json {
        return json_line(out, &hark::json::sentences(&args.file, &sentences));
    }
    for s in sentences {
        writeln!(out, "{s}").map_err(write_err)?;
    }
    Ok(())
}
