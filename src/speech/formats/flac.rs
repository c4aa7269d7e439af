//! FLAC with `flacenc` (pure Rust), frame by frame so memory stays flat:
//! `fLaC`, a STREAMINFO written again at the end with the real sizes and
//! MD5, a VORBIS_COMMENT block with the tags and chapters, then the frames.

use super::{encoder_error, Output, SpoolReader, Tags};
use crate::error::{Error, Result};
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::error::Verify;
use flacenc::source::{Context, Fill, FrameBuf};
use std::io::SeekFrom;

const BLOCK: usize = 4096;

fn bytes_of(x: &impl BitRepr, ctx: &str) -> Result<Vec<u8>> {
    let mut sink = flacenc::bitsink::MemSink::<u8>::with_capacity(x.count_bits());
    x.write(&mut sink).map_err(|e| encoder_error(ctx, format!("{e:?}")))?;
    Ok(sink.into_inner())
}

fn block_header(kind: u8, last: bool, len: usize) -> [u8; 4] {
    let l = len as u32;
    [
        kind | if last { 0x80 } else { 0 },
        (l >> 16) as u8,
        (l >> 8) as u8,
        l as u8,
    ]
}

pub(super) fn encode(rate: u32, mut spool: SpoolReader, tags: &Tags, out: &mut dyn Output, ctx: &str) -> Result<()> {
    let io = |e| Error::io(ctx.to_string(), e);
    let config = flacenc::config::Encoder::default()
        .into_verified()
        .map_err(|e| encoder_error(ctx, format!("{e:?}")))?;
    let mut info = StreamInfo::new(rate as usize, 1, 16).map_err(|e| encoder_error(ctx, format!("{e:?}")))?;
    let start = out.stream_position().map_err(io)?;
    out.write_all(b"fLaC").map_err(io)?;
    out.write_all(&block_header(0, false, 34)).map_err(io)?;
    out.write_all(&[0u8; 34]).map_err(io)?; // written again at the end
    let comments = tags.vorbis_block(concat!("hark ", env!("CARGO_PKG_VERSION")));
    if comments.len() >= 1 << 24 {
        return Err(encoder_error(ctx, "tags too large for FLAC"));
    }
    out.write_all(&block_header(4, true, comments.len())).map_err(io)?;
    out.write_all(&comments).map_err(io)?;

    let mut fill = (
        FrameBuf::with_size(1, BLOCK).map_err(|e| encoder_error(ctx, format!("{e:?}")))?,
        Context::new(16, 1),
    );
    let mut pcm = vec![0i16; BLOCK];
    let mut wide = vec![0i32; BLOCK];
    let (mut min_frame, mut max_frame) = (u32::MAX, 0u32);
    loop {
        let n = spool.read(&mut pcm).map_err(io)?;
        if n == 0 {
            break;
        }
        for (w, s) in wide.iter_mut().zip(&pcm[..n]) {
            *w = i32::from(*s);
        }
        fill.fill_interleaved(&wide[..n])
            .map_err(|e| encoder_error(ctx, format!("{e:?}")))?;
        let number = fill.1.current_frame_number().unwrap_or(0);
        let frame = flacenc::encode_fixed_size_frame(&config, &fill.0, number, &info)
            .map_err(|e| encoder_error(ctx, format!("{e:?}")))?;
        let bytes = bytes_of(&frame, ctx)?;
        min_frame = min_frame.min(bytes.len() as u32);
        max_frame = max_frame.max(bytes.len() as u32);
        out.write_all(&bytes).map_err(io)?;
    }
    let total = fill.1.total_samples();
    let _ = info.set_block_sizes(BLOCK, BLOCK);
    if total > 0 {
        let _ = info.set_frame_sizes(min_frame as usize, max_frame as usize);
    }
    info.set_total_samples(total);
    info.set_md5_digest(&fill.1.md5_digest());
    let end = out.stream_position().map_err(io)?;
    out.seek(SeekFrom::Start(start + 8)).map_err(io)?;
    out.write_all(&bytes_of(&info, ctx)?).map_err(io)?;
    out.seek(SeekFrom::Start(end)).map_err(io)?;
    Ok(())
}
