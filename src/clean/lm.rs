//! A causal language model the user installs (feature `lm`): a GGUF file of
//! the Llama architecture (SmolLM2, Llama, TinyLlama…), run in-process on
//! the CPU with candle, to say how likely a wording is in its context.
//!
//! The weights are dequantized to f32 when the model is loaded (candle has
//! no fast kernel for every GGUF quantization), and the forward pass is
//! written here with candle's operations so that it returns the
//! log-probability of every token of a text, not only the next one. The
//! tokenizer is the byte-level BPE stored in the file itself
//! (`tokenizer.ggml.tokens` / `merges`), with digits split one by one as
//! llama.cpp splits them for these models. Nothing is ever downloaded.

use crate::error::{Error, Result};
use candle_core::quantized::gguf_file;
use candle_core::{DType, Device, Tensor, D};
use std::path::Path;

/// The weights of one transformer block, matrices stored transposed
/// (input × output) so that a row of activations multiplies them directly.
struct Block {
    attn_norm: Tensor,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    o: Tensor,
    ffn_norm: Tensor,
    gate: Tensor,
    up: Tensor,
    down: Tensor,
}

/// A loaded language model.
pub struct LanguageModel {
    name: String,
    blocks: Vec<Block>,
    /// Token embeddings (vocabulary × width); None when tied to `output`.
    embed: Option<Tensor>,
    /// The output projection, transposed (width × vocabulary).
    output: Tensor,
    output_norm: Tensor,
    heads: usize,
    kv_heads: usize,
    head_dim: usize,
    eps: f32,
    rope_base: f32,
    context: usize,
    bos: Option<u32>,
    tokenizer: tokenizers::Tokenizer,
    device: Device,
}

/// Texts run through the model in one forward pass: the rows of the output
/// projection (one per token, as wide as the vocabulary) are the limit.
const BATCH: usize = 8;

/// What a model predicts at each token of a text
/// ([`LanguageModel::predictions`]).
#[derive(Debug, Clone)]
pub(crate) struct Predictions {
    /// Each token's byte range in the text.
    pub(crate) spans: Vec<std::ops::Range<usize>>,
    /// Each token's id.
    pub(crate) ids: Vec<u32>,
    /// For each token, the log-probability of every vocabulary entry at
    /// its place.
    pub(crate) rows: Vec<Vec<f32>>,
}

impl Predictions {
    /// The index of the token that starts at byte `at` of the text.
    pub(crate) fn token_at(&self, at: usize) -> Option<usize> {
        self.spans.iter().position(|s| s.start == at)
    }

    /// The `k` likeliest vocabulary entries at token `t`, likeliest first.
    pub(crate) fn top(&self, t: usize, k: usize) -> Vec<(u32, f32)> {
        let Some(row) = self.rows.get(t) else {
            return Vec::new();
        };
        let mut all: Vec<(u32, f32)> = row.iter().enumerate().map(|(i, &p)| (i as u32, p)).collect();
        let k = k.min(all.len());
        if k == 0 {
            return Vec::new();
        }
        all.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        all.truncate(k);
        all.sort_by(|a, b| b.1.total_cmp(&a.1));
        all
    }
}

impl std::fmt::Debug for LanguageModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageModel")
            .field("name", &self.name)
            .field("blocks", &self.blocks.len())
            .field("heads", &self.heads)
            .finish_non_exhaustive()
    }
}

/// The first line of an error: candle's can carry a backtrace after it.
fn first_line(e: impl std::fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or("").trim().to_string()
}

fn bad(origin: &Path, reason: impl std::fmt::Display) -> Error {
    Error::BadModel {
        origin: origin.display().to_string(),
        reason: first_line(reason),
    }
}

impl LanguageModel {
    /// Load a GGUF model from `path`. A file that is not GGUF, is cut short,
    /// or is not of the Llama architecture is refused with
    /// [`Error::BadModel`].
    pub fn load(path: &Path) -> Result<LanguageModel> {
        let mut file = std::fs::File::open(path).map_err(|source| Error::Unreadable {
            input: path.display().to_string(),
            source,
        })?;
        let content = gguf_file::Content::read(&mut file).map_err(|e| bad(path, e))?;
        let meta = |key: &str| {
            content
                .metadata
                .get(key)
                .ok_or_else(|| bad(path, format!("no `{key}` in its metadata")))
        };
        let arch = meta("general.architecture")?
            .to_string()
            .map_err(|e| bad(path, e))?
            .clone();
        if arch != "llama" {
            return Err(bad(path, format!("architecture `{arch}`; only `llama` is supported")));
        }
        let u = |key: &str| -> Result<usize> { Ok(meta(key)?.to_u32().map_err(|e| bad(path, e))? as usize) };
        let heads = u("llama.attention.head_count")?;
        let kv_heads = u("llama.attention.head_count_kv").unwrap_or(heads);
        let width = u("llama.embedding_length")?;
        let layers = u("llama.block_count")?;
        let context = u("llama.context_length").unwrap_or(2048);
        let eps = meta("llama.attention.layer_norm_rms_epsilon")?
            .to_f32()
            .map_err(|e| bad(path, e))?;
        let rope_base = meta("llama.rope.freq_base")
            .ok()
            .and_then(|v| v.to_f32().ok())
            .unwrap_or(10_000.0);
        if heads == 0 || kv_heads == 0 || width % heads != 0 || heads % kv_heads != 0 {
            return Err(bad(path, "inconsistent head counts"));
        }
        let tokenizer = tokenizer(&content, path)?;
        // Text starts after the document separator the model was trained
        // with; an instruction-tuned model's `bos` is a chat-turn marker
        // (SmolLM2: `<|im_start|>`), after which prose is unlikely.
        let bos = ["<|endoftext|>", "<s>", "<|begin_of_text|>"]
            .iter()
            .find_map(|t| tokenizer.token_to_id(t))
            .or_else(|| meta("tokenizer.ggml.bos_token_id").ok().and_then(|v| v.to_u32().ok()));
        let device = Device::Cpu;
        let mut tensor = |name: &str| -> Result<Tensor> {
            content
                .tensor(&mut file, name, &device)
                .and_then(|q| q.dequantize(&device))
                .and_then(|t| t.to_dtype(DType::F32))
                .map_err(|e| bad(path, format!("{name}: {e}")))
        };
        // Matrices come (output × input); keep them transposed.
        let t = |x: Tensor| x.t().and_then(|x| x.contiguous()).map_err(|e| bad(path, e));
        let mut blocks = Vec::with_capacity(layers);
        for i in 0..layers {
            let p = format!("blk.{i}");
            blocks.push(Block {
                attn_norm: tensor(&format!("{p}.attn_norm.weight"))?,
                q: t(tensor(&format!("{p}.attn_q.weight"))?)?,
                k: t(tensor(&format!("{p}.attn_k.weight"))?)?,
                v: t(tensor(&format!("{p}.attn_v.weight"))?)?,
                o: t(tensor(&format!("{p}.attn_output.weight"))?)?,
                ffn_norm: tensor(&format!("{p}.ffn_norm.weight"))?,
                gate: t(tensor(&format!("{p}.ffn_gate.weight"))?)?,
                up: t(tensor(&format!("{p}.ffn_up.weight"))?)?,
                down: t(tensor(&format!("{p}.ffn_down.weight"))?)?,
            });
        }
        let embedding = tensor("token_embd.weight")?;
        let (embed, output) = if content.tensor_infos.contains_key("output.weight") {
            (Some(embedding), t(tensor("output.weight")?)?)
        } else {
            (None, t(embedding)?) // tied: the embeddings are the output's rows
        };
        let output_norm = tensor("output_norm.weight")?;
        let name = model_name(path);
        Ok(LanguageModel {
            name,
            blocks,
            embed,
            output,
            output_norm,
            heads,
            kv_heads,
            head_dim: width / heads,
            eps,
            rope_base,
            context,
            bos,
            tokenizer,
            device,
        })
    }

    /// The model's name (its file name without the extension).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The token ids of `text` (no beginning-of-text token).
    pub fn tokenize(&self, text: &str) -> Result<Vec<u32>> {
        let enc = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| Error::engine("language model", e.to_string()))?;
        Ok(enc.get_ids().to_vec())
    }

    /// The log-probability (natural log) of `text` after `context`: the sum
    /// over the text's tokens of each one's log-probability given all
    /// before it.
    pub fn score(&self, context: &str, text: &str) -> Result<f32> {
        let mut ids: Vec<u32> = self.bos.into_iter().collect();
        if !context.is_empty() {
            ids.extend(self.tokenize(context)?);
        }
        let from = ids.len();
        let spaced = if context.is_empty() || text.starts_with(' ') {
            text.to_string()
        } else {
            format!(" {text}")
        };
        ids.extend(self.tokenize(&spaced)?);
        if from == 0 {
            // Without a first token to condition on, the first is not scored.
            return Ok(self.log_probs(&ids, 1)?.iter().sum());
        }
        Ok(self.log_probs(&ids, from)?.iter().sum())
    }

    /// For each position `i` in `from..ids.len()` (`from` ≥ 1), the
    /// log-probability of `ids[i]` given `ids[..i]`. Longer inputs than the
    /// model's context keep their last tokens.
    pub fn log_probs(&self, ids: &[u32], from: usize) -> Result<Vec<f32>> {
        let from = from.max(1);
        if ids.len() <= from {
            return Ok(Vec::new());
        }
        let cut = ids.len().saturating_sub(self.context);
        let (ids, from) = (&ids[cut..], from.saturating_sub(cut).max(1));
        Ok(self
            .batch_token_lps(&[ids], &[from])?
            .into_iter()
            .next()
            .unwrap_or_default())
    }

    /// The log-probability of each text after its context, the text read
    /// as running text after a space (as [`LanguageModel::predictions`]
    /// reads it), in one forward pass for a few at a time:
    /// the weights are read once for the batch, which is much of a short
    /// text's cost.
    pub(crate) fn score_many(&self, items: &[(&str, &str)]) -> Result<Vec<f32>> {
        let mut seqs = Vec::with_capacity(items.len());
        let mut froms = Vec::with_capacity(items.len());
        for (context, text) in items {
            let mut ids: Vec<u32> = self.bos.into_iter().collect();
            if !context.is_empty() {
                ids.extend(self.tokenize(context)?);
            }
            // Without a first token to condition on, the first is not scored.
            froms.push(ids.len().max(1));
            // Read as running text, after a space, as `predictions` reads it.
            ids.extend(self.tokenize(&format!(" {}", text.trim_start()))?);
            seqs.push(ids);
        }
        let mut out = Vec::with_capacity(seqs.len());
        for (chunk, froms) in seqs.chunks(BATCH).zip(froms.chunks(BATCH)) {
            if chunk.iter().any(|s| s.len() > self.context) {
                // Too long to batch as they are: one by one, each cut as log_probs cuts.
                for (s, &f) in chunk.iter().zip(froms) {
                    out.push(self.log_probs(s, f)?.iter().sum());
                }
                continue;
            }
            let refs: Vec<&[u32]> = chunk.iter().map(|s| s.as_slice()).collect();
            for lps in self.batch_token_lps(&refs, froms)? {
                out.push(lps.iter().sum());
            }
        }
        Ok(out)
    }

    /// What the model predicts at every token of each text after its
    /// context: each token's byte range in the text, its id, and the
    /// log-probabilities of the whole vocabulary at its place (given
    /// everything before it). A text longer than the model's context is
    /// refused.
    pub(crate) fn predictions(&self, items: &[(&str, &str)]) -> Result<Vec<Predictions>> {
        let Some(bos) = self.bos else {
            return Err(Error::engine(
                "language model",
                "no beginning-of-text token to predict from",
            ));
        };
        let mut seqs = Vec::with_capacity(items.len());
        let mut froms = Vec::with_capacity(items.len());
        let mut parts = Vec::with_capacity(items.len());
        for (context, text) in items {
            let mut ids = vec![bos];
            if !context.is_empty() {
                ids.extend(self.tokenize(context)?);
            }
            let spaced = format!(" {text}");
            let enc = self
                .tokenizer
                .encode(spaced.as_str(), false)
                .map_err(|e| Error::engine("language model", e.to_string()))?;
            // Offsets are in the spaced text, one byte on; a token's span
            // starts at its word, not at the space it carries.
            let spans: Vec<std::ops::Range<usize>> = enc
                .get_offsets()
                .iter()
                .map(|&(a, b)| {
                    let a = a + usize::from(spaced.as_bytes().get(a) == Some(&b' ') && a + 1 < b);
                    a.saturating_sub(1)..b.saturating_sub(1)
                })
                .collect();
            froms.push(ids.len());
            ids.extend(enc.get_ids());
            if ids.len() > self.context {
                return Err(Error::engine(
                    "language model",
                    "a sentence is longer than the model's context",
                ));
            }
            parts.push((spans, enc.get_ids().to_vec()));
            seqs.push(ids);
        }
        let mut out = Vec::with_capacity(items.len());
        let mut parts = parts.into_iter();
        for (chunk, froms) in seqs.chunks(BATCH).zip(froms.chunks(BATCH)) {
            let refs: Vec<&[u32]> = chunk.iter().map(|s| s.as_slice()).collect();
            for rows in self.batch_rows(&refs, froms)? {
                let (spans, ids) = parts.next().expect("one per sequence");
                out.push(Predictions { spans, ids, rows });
            }
        }
        Ok(out)
    }

    /// The token id of a word's first piece after a space (" word").
    pub(crate) fn first_token(&self, word: &str) -> Result<Option<u32>> {
        Ok(self.tokenize(&format!(" {word}"))?.first().copied())
    }

    /// A token's text when it is a whole word's start after a space
    /// (byte-level BPE writes the space as `Ġ`), else None.
    pub(crate) fn word_piece(&self, id: u32) -> Option<String> {
        let t = self.tokenizer.id_to_token(id)?;
        t.strip_prefix('\u{120}').map(str::to_string)
    }

    /// The forward pass of a batch, sequences padded at the end to the
    /// longest (`n` tokens; a causal model's earlier positions never see the
    /// padding): the log-softmax rows predicting positions `low..n` of
    /// every sequence ((batch · (n − low)) × vocabulary), the padded ids,
    /// and `n`. None when no sequence reaches past `low`.
    fn forward_from(&self, batch: &[&[u32]], low: usize) -> Result<Option<(Tensor, Vec<u32>, usize)>> {
        let run = |e: candle_core::Error| Error::engine("language model", first_line(e));
        let n = batch.iter().map(|s| s.len()).max().unwrap_or(0);
        if n <= low {
            return Ok(None);
        }
        let padded: Vec<u32> = batch
            .iter()
            .flat_map(|s| {
                s.iter()
                    .copied()
                    .chain(std::iter::repeat_n(*s.last().unwrap_or(&0), n - s.len()))
            })
            .collect();
        let x = self.hidden(&padded, batch.len()).map_err(run)?;
        let width = x.dim(1).map_err(run)?;
        let x = x
            .reshape((batch.len(), n, width))
            .and_then(|x| x.narrow(1, low - 1, n - low))
            .and_then(|x| x.reshape((batch.len() * (n - low), width)))
            .map_err(run)?;
        let logits = x.matmul(&self.output).map_err(run)?;
        let lp = candle_nn::ops::log_softmax(&logits, D::Minus1).map_err(run)?;
        Ok(Some((lp, padded, n)))
    }

    /// For each sequence of `batch`, the log-probability of each of its
    /// tokens `from[k]..` given those before it (as [`Self::batch_rows`],
    /// without handing back the whole vocabulary's rows).
    fn batch_token_lps(&self, batch: &[&[u32]], from: &[usize]) -> Result<Vec<Vec<f32>>> {
        let run = |e: candle_core::Error| Error::engine("language model", first_line(e));
        let low = from.iter().copied().min().unwrap_or(0).max(1);
        let Some((lp, padded, n)) = self.forward_from(batch, low)? else {
            return Ok(vec![Vec::new(); batch.len()]);
        };
        let targets: Vec<u32> = (0..batch.len())
            .flat_map(|k| padded[k * n + low..(k + 1) * n].iter().copied())
            .collect();
        let idx = Tensor::from_vec(targets, (batch.len() * (n - low), 1), &self.device).map_err(run)?;
        let picked: Vec<f32> = lp
            .gather(&idx, 1)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1())
            .map_err(run)?;
        Ok(batch
            .iter()
            .zip(from)
            .enumerate()
            .map(|(k, (s, &f))| {
                let f = f.max(1);
                picked[k * (n - low)..(k + 1) * (n - low)]
                    .iter()
                    .skip(f - low)
                    .take(s.len().saturating_sub(f))
                    .copied()
                    .collect()
            })
            .collect())
    }

    /// For each sequence of `batch`, the log-softmax rows that predict its
    /// tokens `from[k]..` (sequences are padded at the end to the longest;
    /// a causal model's earlier positions never see the padding).
    fn batch_rows(&self, batch: &[&[u32]], from: &[usize]) -> Result<Vec<Vec<Vec<f32>>>> {
        let run = |e: candle_core::Error| Error::engine("language model", first_line(e));
        let low = from.iter().copied().min().unwrap_or(0).max(1);
        let Some((lp, _, n)) = self.forward_from(batch, low)? else {
            return Ok(vec![Vec::new(); batch.len()]);
        };
        let rows: Vec<Vec<f32>> = lp.to_vec2().map_err(run)?;
        let mut out = Vec::with_capacity(batch.len());
        let mut it = rows.into_iter();
        for (s, &f) in batch.iter().zip(from) {
            let f = f.max(1);
            let all: Vec<Vec<f32>> = it.by_ref().take(n - low).collect();
            out.push(all.into_iter().skip(f - low).take(s.len().saturating_sub(f)).collect());
        }
        Ok(out)
    }

    /// The final hidden states, normalized: `ids` holds `batch` sequences
    /// of equal length one after another; the result has a row per token
    /// ((batch · length) × width).
    fn hidden(&self, ids: &[u32], batch: usize) -> candle_core::Result<Tensor> {
        let n = ids.len() / batch.max(1);
        let idx = Tensor::new(ids, &self.device)?;
        let mut x = match &self.embed {
            Some(e) => e.index_select(&idx, 0)?,
            None => self.output.index_select(&idx, 1)?.t()?.contiguous()?,
        };
        let hd = self.head_dim;
        let half = hd / 2;
        let inv: Vec<f32> = (0..half)
            .map(|i| 1.0 / self.rope_base.powf(2.0 * i as f32 / hd as f32))
            .collect();
        let angles: Vec<f32> = (0..n).flat_map(|p| inv.iter().map(move |f| p as f32 * f)).collect();
        let angles = Tensor::from_vec(angles, (n, half), &self.device)?;
        let (cos, sin) = (angles.cos()?, angles.sin()?);
        let mask: Vec<f32> = (0..n)
            .flat_map(|i| (0..n).map(move |j| if j > i { f32::NEG_INFINITY } else { 0.0 }))
            .collect();
        let mask = Tensor::from_vec(mask, (n, n), &self.device)?;
        let scale = 1.0 / (hd as f64).sqrt();
        let rep = self.heads / self.kv_heads;
        for b in &self.blocks {
            let h = candle_nn::ops::rms_norm(&x, &b.attn_norm, self.eps)?;
            let heads = |w: &Tensor, count: usize| -> candle_core::Result<Tensor> {
                h.matmul(w)?
                    .reshape((batch, n, count, hd))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let q = candle_nn::rotary_emb::rope_i(&heads(&b.q, self.heads)?, &cos, &sin)?;
            let k = candle_nn::rotary_emb::rope_i(&heads(&b.k, self.kv_heads)?, &cos, &sin)?;
            let v = heads(&b.v, self.kv_heads)?;
            let (k, v) = if rep > 1 {
                let grow = |t: Tensor| -> candle_core::Result<Tensor> {
                    t.unsqueeze(2)?
                        .expand((batch, self.kv_heads, rep, n, hd))?
                        .reshape((batch, self.heads, n, hd))
                };
                (grow(k)?, grow(v)?)
            } else {
                (k, v)
            };
            let att = (q.matmul(&k.t()?.contiguous()?)? * scale)?.broadcast_add(&mask)?;
            let att = candle_nn::ops::softmax_last_dim(&att)?;
            let y = att.matmul(&v)?.transpose(1, 2)?.reshape((batch * n, self.heads * hd))?;
            x = (x + y.matmul(&b.o)?)?;
            let h = candle_nn::ops::rms_norm(&x, &b.ffn_norm, self.eps)?;
            let ff = (candle_nn::ops::silu(&h.matmul(&b.gate)?)? * h.matmul(&b.up)?)?;
            x = (x + ff.matmul(&b.down)?)?;
        }
        candle_nn::ops::rms_norm(&x, &self.output_norm, self.eps)
    }
}

/// The byte-level BPE tokenizer stored in the GGUF file.
fn tokenizer(content: &gguf_file::Content, path: &Path) -> Result<tokenizers::Tokenizer> {
    use tokenizers::pre_tokenizers::{byte_level::ByteLevel, digits::Digits, sequence::Sequence};
    let list = |key: &str| -> Result<Vec<String>> {
        let v = content
            .metadata
            .get(key)
            .ok_or_else(|| bad(path, format!("no `{key}`: the tokenizer is not in the file")))?;
        let items = v.to_vec().map_err(|e| bad(path, e))?;
        items
            .iter()
            .map(|s| s.to_string().cloned().map_err(|e| bad(path, e)))
            .collect()
    };
    let model = content
        .metadata
        .get("tokenizer.ggml.model")
        .and_then(|v| v.to_string().ok())
        .cloned()
        .unwrap_or_default();
    if model != "gpt2" {
        return Err(bad(
            path,
            format!("tokenizer `{model}`; only byte-level BPE (`gpt2`) is supported"),
        ));
    }
    let tokens = list("tokenizer.ggml.tokens")?;
    let merges: Vec<(String, String)> = list("tokenizer.ggml.merges")?
        .into_iter()
        .filter_map(|m| m.split_once(' ').map(|(a, b)| (a.to_string(), b.to_string())))
        .collect();
    let vocab: tokenizers::models::bpe::Vocab = tokens.into_iter().enumerate().map(|(i, t)| (t, i as u32)).collect();
    let bpe = tokenizers::models::bpe::BPE::builder()
        .vocab_and_merges(vocab, merges)
        .build()
        .map_err(|e| bad(path, e))?;
    let mut tok = tokenizers::Tokenizer::new(bpe);
    tok.with_pre_tokenizer(Some(Sequence::new(vec![
        Digits::new(true).into(),
        ByteLevel::new(false, true, true).into(),
    ])));
    Ok(tok)
}

/// A model's name: its file name without the extension.
fn model_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into())
}

/// A model as the pipeline's options hold it: shared, compared by identity
/// (two options are equal when they hold the same model), and loaded either
/// at once ([`Model::load`]) or at its first use ([`Model::lazy`]), so that
/// a run that never needs it never pays for its weights.
#[derive(Clone)]
pub struct Model(std::sync::Arc<Lazy>);

struct Lazy {
    path: std::path::PathBuf,
    name: String,
    loaded: std::sync::OnceLock<LanguageModel>,
    loading: std::sync::Mutex<()>,
}

impl Model {
    /// Load the GGUF file at `path` now ([`LanguageModel::load`]).
    pub fn load(path: &Path) -> Result<Model> {
        LanguageModel::load(path).map(Model::from)
    }

    /// The GGUF file at `path`, loaded at the first [`Model::get`]. Only
    /// its signature is read now (a file that is not GGUF is refused at once
    /// with [`Error::BadModel`]), so that a run which needs no model pays
    /// nothing for it; a file cut short or of another architecture is
    /// refused where it is first needed (`hark models add` loads it whole).
    pub fn lazy(path: &Path) -> Result<Model> {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(|source| Error::Unreadable {
            input: path.display().to_string(),
            source,
        })?;
        let mut magic = [0u8; 4];
        if file.read_exact(&mut magic).is_err() || &magic != b"GGUF" {
            return Err(bad(path, "not a GGUF file (its first bytes are not `GGUF`)"));
        }
        Ok(Model(std::sync::Arc::new(Lazy {
            path: path.to_path_buf(),
            name: model_name(path),
            loaded: std::sync::OnceLock::new(),
            loading: std::sync::Mutex::new(()),
        })))
    }

    /// The model's name (its file name without the extension), loaded or not.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the weights are loaded.
    pub fn is_loaded(&self) -> bool {
        self.0.loaded.get().is_some()
    }

    /// The loaded model, loading it first if need be (once, however many
    /// threads ask). A load that fails is an error here, and tried again
    /// at the next call.
    pub fn get(&self) -> Result<&LanguageModel> {
        if let Some(m) = self.0.loaded.get() {
            return Ok(m);
        }
        let _one = self.0.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = self.0.loaded.get() {
            return Ok(m);
        }
        let m = LanguageModel::load(&self.0.path)?;
        Ok(self.0.loaded.get_or_init(|| m))
    }
}

impl From<LanguageModel> for Model {
    /// A model already loaded.
    fn from(m: LanguageModel) -> Model {
        let loaded = std::sync::OnceLock::new();
        let name = m.name.clone();
        let _ = loaded.set(m);
        Model(std::sync::Arc::new(Lazy {
            path: std::path::PathBuf::new(),
            name,
            loaded,
            loading: std::sync::Mutex::new(()),
        }))
    }
}

impl PartialEq for Model {
    fn eq(&self, other: &Model) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Model {}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model({})", self.0.name)
    }
}
