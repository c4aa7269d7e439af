//! Writing WAV files (16-bit PCM, mono) via `hound`, atomically.
//!
//! Audio streams into a hidden temporary file beside the target; only a
//! complete, finalized, synced file is renamed into place. An error, a
//! panic or Ctrl-C (which hark turns into an error) drops the temporary
//! file, so no truncated WAV is ever left, and an existing file is replaced
//! only when asked (`--force`).

use super::AudioSink;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// The WAV format hark writes.
pub(crate) fn spec(sample_rate: u32) -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

fn wav_err(context: &str, e: hound::Error) -> Error {
    match e {
        hound::Error::IoError(io) => Error::io(context.to_string(), io),
        other => Error::io(context.to_string(), std::io::Error::other(other.to_string())),
    }
}

/// A WAV stream over any seekable writer.
pub(crate) struct WavSink<W: Write + Seek> {
    writer: hound::WavWriter<W>,
    context: String,
}

impl<W: Write + Seek> WavSink<W> {
    pub fn new(inner: W, sample_rate: u32, context: impl Into<String>) -> Result<Self> {
        let context = context.into();
        let writer = hound::WavWriter::new(inner, spec(sample_rate)).map_err(|e| wav_err(&context, e))?;
        Ok(WavSink { writer, context })
    }

    /// Write the header's final sizes and flush.
    pub fn finalize(self) -> Result<()> {
        self.writer.finalize().map_err(|e| wav_err(&self.context, e))
    }
}

impl<W: Write + Seek> AudioSink for WavSink<W> {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        let mut w = self.writer.get_i16_writer(pcm.len() as u32);
        for &s in pcm {
            w.write_sample(s);
        }
        w.flush().map_err(|e| wav_err(&self.context, e))
    }
}

/// A file that appears at its path only when committed.
pub(crate) struct AtomicFile {
    target: PathBuf,
    temp: TempPath,
    file: File,
}

impl AtomicFile {
    /// Start writing `target`. Fails at once if it exists and `force` is
    /// off, or if its directory cannot be written.
    pub fn create(target: &Path, force: bool) -> Result<AtomicFile> {
        check_target(target, force)?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
        let (file, temp) = tmp.into_parts();
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            file,
        })
    }

    /// A buffered writer over the temporary file (a second handle; the
    /// file itself stays here to be synced and renamed).
    pub fn writer(&self) -> Result<BufWriter<File>> {
        let f = self
            .file
            .try_clone()
            .map_err(|e| Error::io(format!("writing {}", self.target.display()), e))?;
        Ok(BufWriter::with_capacity(64 * 1024, f))
    }

    /// Sync and move into place. Without `force`, an existing target (even
    /// one that appeared meanwhile) is left alone and this fails.
    pub fn commit(self, force: bool) -> Result<()> {
        let ctx = || format!("writing {}", self.target.display());
        self.file.sync_all().map_err(|e| Error::io(ctx(), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = self.file.set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        drop(self.file);
        let result = if force {
            self.temp.persist(&self.target)
        } else {
            self.temp.persist_noclobber(&self.target)
        };
        result.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exists_error(&self.target)
            } else {
                Error::io(
                    format!("moving the finished file to {}", self.target.display()),
                    e.error,
                )
            }
        })
    }
}

fn exists_error(target: &Path) -> Error {
    Error::OutputExists {
        path: target.to_path_buf(),
    }
}

/// Refuse an existing target (unless `force`) or a directory in its place.
pub(crate) fn check_target(target: &Path, force: bool) -> Result<()> {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_dir() => Err(Error::OutputIsDirectory {
            path: target.to_path_buf(),
        }),
        Ok(_) if !force => Err(exists_error(target)),
        _ => Ok(()),
    }
}

/// A WAV file being written atomically: it appears at its path only when
/// [`WavFile::commit`] is called, complete; dropped before that, it leaves
/// nothing behind.
///
/// ```
/// use hark::speech::{AudioSink, WavFile};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("a.wav");
/// let mut wav = WavFile::create(&path, 16_000, false)?;
/// wav.write(&[0i16; 1600])?;
/// assert!(!path.exists());
/// wav.commit(false)?;
/// assert_eq!(std::fs::metadata(&path).unwrap().len(), 44 + 3200);
/// # Ok::<(), hark::Error>(())
/// ```
pub struct WavFile {
    file: AtomicFile,
    sink: WavSink<BufWriter<File>>,
}

impl WavFile {
    /// Start writing `target` (16-bit mono at `sample_rate`). An existing
    /// file is refused unless `force`.
    pub fn create(target: &Path, sample_rate: u32, force: bool) -> Result<WavFile> {
        let file = AtomicFile::create(target, force)?;
        let sink = WavSink::new(file.writer()?, sample_rate, format!("writing {}", target.display()))?;
        Ok(WavFile { file, sink })
    }

    /// Finish the header and move the file into place.
    pub fn commit(self, force: bool) -> Result<()> {
        self.sink.finalize()?;
        self.file.commit(force)
    }
}

impl AudioSink for WavFile {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        self.sink.write(pcm)
    }
}

/// A small text file (subtitles) written to its temporary file, ready to
/// [`AtomicFile::commit`].
pub(crate) fn prepare_text(target: &Path, text: &str, force: bool) -> Result<AtomicFile> {
    let f = AtomicFile::create(target, force)?;
    let mut w = f.writer()?;
    w.write_all(text.as_bytes())
        .and_then(|_| w.flush())
        .map_err(|e| Error::io(format!("writing {}", target.display()), e))?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A writer that fails with "no space left" after `room` bytes, as a
    /// full disk does.
    struct FullDisk {
        inner: Cursor<Vec<u8>>,
        room: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.inner.position() as usize + buf.len() > self.room {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
            self.inner.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Seek for FullDisk {
        fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
            self.inner.seek(pos)
        }
    }

    #[test]
    fn a_full_disk_is_an_io_error() {
        let w = FullDisk {
            inner: Cursor::new(Vec::new()),
            room: 1000,
        };
        let mut sink = WavSink::new(w, 16000, "writing x.wav").unwrap();
        let pcm = vec![100i16; 4000];
        let err = sink.write(&pcm).and_then(|_| sink.finalize()).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("x.wav"), "{err}");
    }

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.wav");
        let mut w = WavFile::create(&target, 16000, false).unwrap();
        w.write(&[1, 2, 3]).unwrap();
        assert!(!target.exists());
        w.commit(false).unwrap();
        let r = hound::WavReader::open(&target).unwrap();
        assert_eq!(r.len(), 3);
        // Dropped without commit: nothing left, the old file untouched.
        let mut w = WavFile::create(&target, 16000, true).unwrap();
        w.write(&[9; 100]).unwrap();
        drop(w);
        assert_eq!(hound::WavReader::open(&target).unwrap().len(), 3);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }

    #[test]
    fn no_clobber_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.wav");
        std::fs::write(&target, b"keep").unwrap();
        let err = WavFile::create(&target, 16000, false).err().unwrap();
        assert!(matches!(err, Error::OutputExists { .. }), "{err}");
        // A file that appears while rendering is not clobbered either.
        std::fs::remove_file(&target).unwrap();
        let w = WavFile::create(&target, 16000, false).unwrap();
        std::fs::write(&target, b"keep").unwrap();
        assert!(w.commit(false).is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    }
}
