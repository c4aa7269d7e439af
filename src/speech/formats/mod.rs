//! Audio file formats: WAV (RF64 past 4 GiB), FLAC, MP3 and Opus, with the
//! article's title, source, date and language as tags and one chapter per
//! paragraph.
//!
//! WAV streams straight into its file. The compressed formats need the
//! whole audio's length (and the chapters) before their first byte, so
//! their samples are spooled to an anonymous temporary file (deleted by the
//! system even if hark is killed) and encoded when the file is committed.
//! Either way the target appears only complete ([`AudioFile::commit`]).

#[cfg(feature = "flac")]
mod flac;
#[cfg(feature = "mp3")]
mod mp3;
#[cfg(feature = "opus")]
mod opus;
mod tags;

pub use tags::{Chapter, Tags};

use super::wav::{AtomicFile, WavSink};
use super::AudioSink;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// An audio file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum AudioFormat {
    /// 16-bit PCM WAV; RF64 when it passes 4 GiB.
    #[default]
    Wav,
    /// FLAC, lossless (feature `flac`).
    Flac,
    /// MP3, constant bit rate, with an ID3v2.4 tag and chapters (feature `mp3`).
    Mp3,
    /// Opus in Ogg (feature `opus`).
    Opus,
}

named_enum!(AudioFormat, "audio format" {
    Wav => "wav", "16-bit PCM WAV (RF64 past 4 GiB)";
    Flac => "flac", "FLAC, lossless, with Vorbis comments and chapters";
    Mp3 => "mp3", "MP3 (LAME), with an ID3v2.4 tag and chapters";
    Opus => "opus", "Opus in Ogg, with Vorbis comments and chapters";
});

impl AudioFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// The format a file name's extension names (`a.MP3` → MP3), if any.
    pub fn from_path(path: &Path) -> Option<AudioFormat> {
        let ext = path.extension()?.to_str()?;
        let ext = if ext.eq_ignore_ascii_case("ogg") || ext.eq_ignore_ascii_case("oga") {
            "opus"
        } else {
            ext
        };
        ext.parse().ok()
    }

    /// The cargo feature that builds this format (None: always built).
    pub fn feature(self) -> Option<&'static str> {
        match self {
            AudioFormat::Wav => None,
            AudioFormat::Flac => Some("flac"),
            AudioFormat::Mp3 => Some("mp3"),
            AudioFormat::Opus => Some("opus"),
        }
    }

    /// This build can write the format.
    pub fn compiled_in(self) -> bool {
        match self {
            AudioFormat::Wav => true,
            AudioFormat::Flac => cfg!(feature = "flac"),
            AudioFormat::Mp3 => cfg!(feature = "mp3"),
            AudioFormat::Opus => cfg!(feature = "opus"),
        }
    }

    /// The MIME type (for feeds).
    pub fn mime(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Flac => "audio/flac",
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Opus => "audio/ogg",
        }
    }

    /// An error unless this build can write the format.
    pub fn check(self) -> Result<()> {
        if self.compiled_in() {
            return Ok(());
        }
        Err(Error::FormatNotBuilt {
            format: self.name(),
            feature: self.feature().unwrap_or("?"),
        })
    }
}

/// Samples kept on disk until the file is encoded: an anonymous temporary
/// file (nothing to clean up, whatever happens to the process).
struct Spool {
    file: BufWriter<File>,
    samples: u64,
}

impl Spool {
    fn new(dir: &Path) -> Result<Spool> {
        let file =
            tempfile::tempfile_in(dir).map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
        Ok(Spool {
            file: BufWriter::with_capacity(64 * 1024, file),
            samples: 0,
        })
    }

    fn write(&mut self, pcm: &[i16]) -> std::io::Result<()> {
        let bytes: Vec<u8> = pcm.iter().flat_map(|s| s.to_le_bytes()).collect();
        self.file.write_all(&bytes)?;
        self.samples += pcm.len() as u64;
        Ok(())
    }

    /// The samples again, from the start.
    fn reader(self) -> std::io::Result<SpoolReader> {
        let mut f = self.file.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        Ok(SpoolReader {
            file: BufReader::with_capacity(64 * 1024, f),
            left: self.samples,
            total: self.samples,
        })
    }
}

/// Spooled samples, read back in blocks.
pub(crate) struct SpoolReader {
    file: BufReader<File>,
    left: u64,
    total: u64,
}

impl SpoolReader {
    /// All the samples there are.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Fill `buf` with up to its length of samples; 0 at the end.
    pub fn read(&mut self, buf: &mut [i16]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        let mut bytes = vec![0u8; n * 2];
        self.file.read_exact(&mut bytes)?;
        for (s, b) in buf.iter_mut().zip(bytes.chunks_exact(2)) {
            *s = i16::from_le_bytes([b[0], b[1]]);
        }
        self.left -= n as u64;
        Ok(n)
    }
}

enum Body {
    Wav(WavSink<BufWriter<File>>),
    Spooled(Spool),
}

/// An audio file being written: it appears at its path only when
/// [`AudioFile::commit`] is called, complete; dropped before that, it
/// leaves nothing behind.
///
/// ```
/// use hark::speech::{AudioFile, AudioFormat, AudioSink, Tags};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("a.flac");
/// let mut f = AudioFile::create(&path, AudioFormat::Flac, 16_000, false)?;
/// f.write(&[0i16; 1600])?;
/// assert!(!path.exists());
/// f.commit(&Tags { title: Some("A test".into()), ..Default::default() }, false)?;
/// assert!(std::fs::read(&path).unwrap().starts_with(b"fLaC"));
/// # Ok::<(), hark::Error>(())
/// ```
pub struct AudioFile {
    format: AudioFormat,
    sample_rate: u32,
    file: AtomicFile,
    body: Body,
    context: String,
}

impl AudioFile {
    /// Start writing `target` in `format` (16-bit mono at `sample_rate`).
    /// An existing file is refused unless `force`; a format this build
    /// lacks is refused before anything is created.
    pub fn create(target: &Path, format: AudioFormat, sample_rate: u32, force: bool) -> Result<AudioFile> {
        format.check()?;
        let file = AtomicFile::create(target, force)?;
        let context = format!("writing {}", target.display());
        let body = match format {
            AudioFormat::Wav => Body::Wav(WavSink::new(file.writer()?, sample_rate, context.clone())?),
            _ => Body::Spooled(Spool::new(file.dir())?),
        };
        Ok(AudioFile {
            format,
            sample_rate,
            file,
            body,
            context,
        })
    }

    /// Finish the file (encode it, with `tags`) and move it into place.
    pub fn commit(self, tags: &Tags, force: bool) -> Result<()> {
        let ctx = self.context.clone();
        match self.body {
            Body::Wav(sink) => {
                sink.finalize()?;
            }
            Body::Spooled(spool) => {
                let spool = spool.reader().map_err(|e| Error::io(ctx.clone(), e))?;
                let mut w = self.file.writer()?;
                encode(self.format, self.sample_rate, spool, tags, &mut w, &ctx)?;
                w.flush().map_err(|e| Error::io(ctx.clone(), e))?;
            }
        }
        self.file.commit(force)
    }
}

impl AudioSink for AudioFile {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        match &mut self.body {
            Body::Wav(w) => w.write(pcm),
            Body::Spooled(s) => s.write(pcm).map_err(|e| Error::io(self.context.clone(), e)),
        }
    }
}

/// Audio that goes to a stream that cannot seek (`-o -`): spooled, then
/// written whole, WAV with its exact sizes.
pub struct StreamedAudio {
    format: AudioFormat,
    sample_rate: u32,
    spool: Spool,
}

impl StreamedAudio {
    /// Start collecting audio for `format`; the spool lives in the system's
    /// temporary directory.
    pub fn new(format: AudioFormat, sample_rate: u32) -> Result<StreamedAudio> {
        format.check()?;
        Ok(StreamedAudio {
            format,
            sample_rate,
            spool: Spool::new(&std::env::temp_dir())?,
        })
    }

    /// Encode everything into `out`.
    pub fn finish(self, tags: &Tags, out: &mut dyn Write) -> Result<()> {
        let ctx = "writing standard output".to_string();
        let mut spool = self.spool.reader().map_err(|e| Error::io(ctx.clone(), e))?;
        if self.format == AudioFormat::Wav {
            out.write_all(&super::wav::header(self.sample_rate, spool.total() * 2))
                .map_err(|e| Error::io(ctx.clone(), e))?;
            let mut buf = vec![0i16; 32 * 1024];
            loop {
                let n = spool.read(&mut buf).map_err(|e| Error::io(ctx.clone(), e))?;
                if n == 0 {
                    break;
                }
                let bytes: Vec<u8> = buf[..n].iter().flat_map(|s| s.to_le_bytes()).collect();
                out.write_all(&bytes).map_err(|e| Error::io(ctx.clone(), e))?;
            }
            return out.flush().map_err(|e| Error::io(ctx, e));
        }
        // The encoders seek back over what they wrote: encode into an
        // anonymous file, then copy it out.
        let mut tmp = tempfile::tempfile().map_err(|e| Error::io(ctx.clone(), e))?;
        {
            let mut w = BufWriter::new(&mut tmp);
            encode(self.format, self.sample_rate, spool, tags, &mut w, &ctx)?;
            w.flush().map_err(|e| Error::io(ctx.clone(), e))?;
        }
        tmp.seek(SeekFrom::Start(0))
            .and_then(|_| std::io::copy(&mut tmp, out))
            .and_then(|_| out.flush())
            .map_err(|e| Error::io(ctx, e))?;
        Ok(())
    }
}

impl AudioSink for StreamedAudio {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        self.spool
            .write(pcm)
            .map_err(|e| Error::io("spooling audio for standard output", e))
    }
}

/// A writer the encoders can seek in.
pub(crate) trait Output: Write + Seek {}
impl<T: Write + Seek> Output for T {}

#[allow(unused_variables)]
fn encode(
    format: AudioFormat,
    rate: u32,
    spool: SpoolReader,
    tags: &Tags,
    out: &mut dyn Output,
    ctx: &str,
) -> Result<()> {
    match format {
        AudioFormat::Wav => unreachable!("WAV is streamed"),
        #[cfg(feature = "flac")]
        AudioFormat::Flac => flac::encode(rate, spool, tags, out, ctx),
        #[cfg(feature = "mp3")]
        AudioFormat::Mp3 => mp3::encode(rate, spool, tags, out, ctx),
        #[cfg(feature = "opus")]
        AudioFormat::Opus => opus::encode(rate, spool, tags, out, ctx),
        #[allow(unreachable_patterns)]
        other => other.check(),
    }
}

/// An encoder's failure as hark's error.
#[cfg_attr(not(any(feature = "flac", feature = "mp3", feature = "opus")), allow(dead_code))]
pub(crate) fn encoder_error(ctx: &str, what: impl std::fmt::Display) -> Error {
    Error::io(ctx.to_string(), std::io::Error::other(what.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names() {
        assert_eq!(AudioFormat::from_path(Path::new("a.MP3")), Some(AudioFormat::Mp3));
        assert_eq!(AudioFormat::from_path(Path::new("a.ogg")), Some(AudioFormat::Opus));
        assert_eq!(AudioFormat::from_path(Path::new("a.wav")), Some(AudioFormat::Wav));
        assert_eq!(AudioFormat::from_path(Path::new("a.txt")), None);
        assert_eq!("FLAC".parse::<AudioFormat>().unwrap(), AudioFormat::Flac);
    }

    #[test]
    fn spool_round_trip() {
        let mut s = Spool::new(&std::env::temp_dir()).unwrap();
        s.write(&[1, -2, 3]).unwrap();
        s.write(&[i16::MIN, i16::MAX]).unwrap();
        let mut r = s.reader().unwrap();
        let mut buf = [0i16; 4];
        assert_eq!(r.read(&mut buf).unwrap(), 4);
        assert_eq!(buf, [1, -2, 3, i16::MIN]);
        assert_eq!(r.read(&mut buf).unwrap(), 1);
        assert_eq!(buf[0], i16::MAX);
        assert_eq!(r.read(&mut buf).unwrap(), 0);
    }
}
