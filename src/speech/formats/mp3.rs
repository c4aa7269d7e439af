//! MP3 with LAME (`mp3lame-encoder`, LAME built from source; LGPL-2.0):
//! constant 48 kbit/s mono, an ID3v2.4 tag with chapters first, and LAME's
//! info frame (exact length and encoder delay, for gapless players) written
//! over its placeholder at the end.

use super::{encoder_error, Output, SpoolReader, Tags};
use crate::error::{Error, Result};
use mp3lame_encoder::{Bitrate, Builder, FlushGap, Mode, MonoPcm, Quality, VbrMode};
use std::io::SeekFrom;

pub(super) fn encode(rate: u32, mut spool: SpoolReader, tags: &Tags, out: &mut dyn Output, ctx: &str) -> Result<()> {
    let io = |e| Error::io(ctx.to_string(), e);
    let lame = |e: mp3lame_encoder::BuildError| encoder_error(ctx, format!("LAME: {e:?}"));
    let mut b = Builder::new().ok_or_else(|| encoder_error(ctx, "LAME could not start"))?;
    b.set_num_channels(1).map_err(lame)?;
    b.set_sample_rate(rate).map_err(lame)?;
    b.set_mode(Mode::Mono).map_err(lame)?;
    b.set_vbr_mode(VbrMode::Off).map_err(lame)?;
    b.set_brate(Bitrate::Kbps48).map_err(lame)?;
    b.set_quality(Quality::Good).map_err(lame)?;
    b.set_to_write_vbr_tag(true).map_err(lame)?;
    let mut enc = b.build().map_err(lame)?;

    let mut tag = Vec::new();
    tags.id3()
        .write_to(&mut tag, id3::Version::Id3v24)
        .map_err(|e| encoder_error(ctx, e))?;
    let start = out.stream_position().map_err(io)?;
    out.write_all(&tag).map_err(io)?;
    let audio_start = start + tag.len() as u64;

    let enc_err = |e: mp3lame_encoder::EncodeError| encoder_error(ctx, format!("LAME: {e:?}"));
    let mut pcm = vec![0i16; 8192];
    let mut mp3 = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()));
    loop {
        let n = spool.read(&mut pcm).map_err(io)?;
        if n == 0 {
            break;
        }
        mp3.clear();
        enc.encode_to_vec(MonoPcm(&pcm[..n]), &mut mp3).map_err(enc_err)?;
        out.write_all(&mp3).map_err(io)?;
    }
    mp3.clear();
    mp3.reserve(7200);
    enc.flush_to_vec::<FlushGap>(&mut mp3).map_err(enc_err)?;
    out.write_all(&mp3).map_err(io)?;
    let mut info = Vec::new();
    if enc.lame_tag_size() > 0 {
        info.reserve(enc.lame_tag_size());
        if enc.lame_tag_encode_to_vec(&mut info).is_some() {
            let end = out.stream_position().map_err(io)?;
            out.seek(SeekFrom::Start(audio_start)).map_err(io)?;
            out.write_all(&info).map_err(io)?;
            out.seek(SeekFrom::Start(end)).map_err(io)?;
        }
    }
    Ok(())
}
