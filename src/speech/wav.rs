//! Writing WAV files (16-bit PCM, mono), atomically; RF64 past 4 GiB.
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

/// Bytes before the samples: RIFF header (12), a 28-byte `JUNK` chunk kept
/// for a `ds64` chunk (36), `fmt ` (24), the `data` chunk header (8).
pub(crate) const HEADER_BYTES: u64 = 80;

/// The largest data chunk a plain RIFF header can describe: the RIFF size
/// field (data + 72 bytes of header after it) must fit in 32 bits.
pub(crate) const RIFF_MAX_DATA: u64 = u32::MAX as u64 - (HEADER_BYTES - 8);

/// The header of a 16-bit mono PCM WAV with `data_bytes` of samples: RIFF
/// when it fits in 32-bit sizes, RF64 (EBU Tech 3306, with a `ds64` chunk
/// in the place of the `JUNK` one) when it does not, so a file past 4 GiB
/// never carries a wrapped size.
pub(crate) fn header(sample_rate: u32, data_bytes: u64) -> [u8; HEADER_BYTES as usize] {
    let mut h = [0u8; HEADER_BYTES as usize];
    let rf64 = data_bytes > RIFF_MAX_DATA;
    let riff_size = data_bytes + HEADER_BYTES - 8;
    h[0..4].copy_from_slice(if rf64 { b"RF64" } else { b"RIFF" });
    h[4..8].copy_from_slice(&(if rf64 { u32::MAX } else { riff_size as u32 }).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(if rf64 { b"ds64" } else { b"JUNK" });
    h[16..20].copy_from_slice(&28u32.to_le_bytes());
    if rf64 {
        h[20..28].copy_from_slice(&riff_size.to_le_bytes());
        h[28..36].copy_from_slice(&data_bytes.to_le_bytes());
        h[36..44].copy_from_slice(&(data_bytes / 2).to_le_bytes());
        // 44..48: no table entries.
    }
    h[48..52].copy_from_slice(b"fmt ");
    h[52..56].copy_from_slice(&16u32.to_le_bytes());
    h[56..58].copy_from_slice(&1u16.to_le_bytes()); // PCM
    h[58..60].copy_from_slice(&1u16.to_le_bytes()); // mono
    h[60..64].copy_from_slice(&sample_rate.to_le_bytes());
    h[64..68].copy_from_slice(&(sample_rate * 2).to_le_bytes());
    h[68..70].copy_from_slice(&2u16.to_le_bytes()); // block align
    h[70..72].copy_from_slice(&16u16.to_le_bytes());
    h[72..76].copy_from_slice(b"data");
    h[76..80].copy_from_slice(&(if rf64 { u32::MAX } else { data_bytes as u32 }).to_le_bytes());
    h
}

/// A WAV stream over any seekable writer: a provisional header, the
/// samples, and on [`WavSink::finalize`] the real header (RIFF or RF64).
pub(crate) struct WavSink<W: Write + Seek> {
    inner: W,
    sample_rate: u32,
    data_bytes: u64,
    buf: Vec<u8>,
    context: String,
}

impl<W: Write + Seek> WavSink<W> {
    pub fn new(mut inner: W, sample_rate: u32, context: impl Into<String>) -> Result<Self> {
        let context = context.into();
        inner
            .write_all(&header(sample_rate, 0))
            .map_err(|e| Error::io(context.clone(), e))?;
        Ok(WavSink {
            inner,
            sample_rate,
            data_bytes: 0,
            buf: Vec::new(),
            context,
        })
    }

    /// A sink that behaves as if `bytes` of samples were already written
    /// (tests of the 4 GiB boundary without writing 4 GiB).
    #[cfg(test)]
    fn pretend_written(&mut self, bytes: u64) {
        self.data_bytes += bytes;
    }

    /// Write the header's final sizes and flush; the writer is handed back.
    pub fn finalize(mut self) -> Result<W> {
        let ctx = &self.context;
        self.inner
            .seek(std::io::SeekFrom::Start(0))
            .and_then(|_| self.inner.write_all(&header(self.sample_rate, self.data_bytes)))
            .and_then(|_| self.inner.flush())
            .map_err(|e| Error::io(ctx.clone(), e))?;
        Ok(self.inner)
    }
}

impl<W: Write + Seek> AudioSink for WavSink<W> {
    fn write(&mut self, pcm: &[i16]) -> Result<()> {
        self.buf.clear();
        self.buf.extend(pcm.iter().flat_map(|s| s.to_le_bytes()));
        self.inner
            .write_all(&self.buf)
            .map_err(|e| Error::io(self.context.clone(), e))?;
        self.data_bytes += self.buf.len() as u64;
        Ok(())
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
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Created as any new file is, 0666 less the umask (the temporary
        // file's usual 0600 would otherwise be what the output keeps).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
        let (file, temp) = tmp.into_parts();
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            file,
        })
    }

    /// The directory the file goes to.
    pub fn dir(&self) -> &Path {
        match self.target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        }
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
/// assert_eq!(std::fs::metadata(&path).unwrap().len(), 80 + 3200);
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
        let err = sink.write(&pcm).and_then(|_| sink.finalize().map(|_| ())).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("x.wav"), "{err}");
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    fn u64_at(b: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
    }

    #[test]
    fn the_4_gib_boundary() {
        // The last size a RIFF header holds, and one sample more.
        for (extra, magic) in [(0u64, b"RIFF"), (2, b"RF64")] {
            let mut sink = WavSink::new(Cursor::new(Vec::new()), 16000, "x.wav").unwrap();
            sink.pretend_written(RIFF_MAX_DATA - 2 + extra);
            sink.write(&[7]).unwrap();
            let bytes = sink.finalize().unwrap().into_inner();
            assert_eq!(&bytes[0..4], magic);
            assert_eq!(bytes.len(), 82);
            assert_eq!(&bytes[80..], &[7, 0]);
        }
        // Check the two headers directly.
        let small = header(16000, RIFF_MAX_DATA);
        assert_eq!(&small[0..4], b"RIFF");
        assert_eq!(u32_at(&small, 4), u32::MAX);
        assert_eq!(u32_at(&small, 76), RIFF_MAX_DATA as u32);
        assert_eq!(&small[12..16], b"JUNK");
        let big = header(16000, RIFF_MAX_DATA + 2);
        assert_eq!(&big[0..4], b"RF64");
        assert_eq!(u32_at(&big, 4), u32::MAX);
        assert_eq!(&big[12..16], b"ds64");
        assert_eq!(u64_at(&big, 20), RIFF_MAX_DATA + 2 + 72);
        assert_eq!(u64_at(&big, 28), RIFF_MAX_DATA + 2);
        assert_eq!(u64_at(&big, 36), (RIFF_MAX_DATA + 2) / 2);
        assert_eq!(u32_at(&big, 76), u32::MAX);
        // 39 hours at 16 kHz (4.49 GB) is RF64 with its true length.
        let hours39 = 39 * 3600 * 16000 * 2u64;
        let h = header(16000, hours39);
        assert_eq!(&h[0..4], b"RF64");
        assert_eq!(u64_at(&h, 28) / 2 / 16000, 39 * 3600);
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
