//! Opus in Ogg with `opus-pure` (pure Rust): 20 ms frames at 32 kbit/s
//! (speech), OpusTags with the tags and chapters, and an exact end (the
//! final granule says where the audio stops, RFC 7845 §4.4).

use super::{encoder_error, Output, SpoolReader, Tags};
use crate::error::{Error, Result};
use opus_pure::{Application, OggOpusWriter, OpusEncoder, OpusHead, OpusTags, MAX_PACKET_BYTES};

/// Rates Opus codes natively.
pub(crate) const RATES: [u32; 5] = [8000, 12000, 16000, 24000, 48000];

pub(super) fn encode(rate: u32, mut spool: SpoolReader, tags: &Tags, out: &mut dyn Output, ctx: &str) -> Result<()> {
    if !RATES.contains(&rate) {
        return Err(Error::Invalid(format!(
            "{ctx}: Opus codes 8, 12, 16, 24 or 48 kHz audio, and this voice speaks at {rate} Hz; export FLAC or WAV instead"
        )));
    }
    let err = |e: opus_pure::Error| encoder_error(ctx, e);
    let frame = (rate / 50) as usize;
    let mut encoder = OpusEncoder::new(rate as i32, 1, Application::Voip).map_err(err)?;
    encoder.bitrate_bps = 32_000;
    let head = OpusHead::for_encoder(&encoder, rate);
    let mut opus_tags = OpusTags {
        vendor: concat!("hark ", env!("CARGO_PKG_VERSION")).into(),
        comments: Vec::new(),
    };
    opus_tags.comments = tags.vorbis_comments();
    let ticks = 48_000 / rate as u64;
    let total = spool.total();
    let pre_skip = u64::from(head.pre_skip);
    let frames = (total + pre_skip.div_ceil(ticks)).div_ceil(frame as u64).max(1);
    let final_granule = pre_skip + total * ticks;
    let mut writer = OggOpusWriter::with_tags(out, head, opus_tags).map_err(err)?;
    let mut packet = vec![0u8; MAX_PACKET_BYTES];
    let mut block = vec![0i16; frame];
    for i in 0..frames {
        let mut got = 0;
        while got < frame {
            let n = spool
                .read(&mut block[got..])
                .map_err(|e| Error::io(ctx.to_string(), e))?;
            if n == 0 {
                break;
            }
            got += n;
        }
        block[got..].fill(0);
        let n = encoder.encode_s16(&block, frame, &mut packet).map_err(err)?;
        if i + 1 == frames {
            let duration = final_granule.saturating_sub(writer.granule().max(0) as u64);
            writer
                .write_packet_with_duration(&packet[..n], duration as u32)
                .map_err(err)?;
        } else {
            writer.write_packet(&packet[..n]).map_err(err)?;
        }
    }
    writer.finish().map_err(err)?;
    Ok(())
}
