//! Loudness: every engine's speech brought to one target (EBU R128 /
//! ITU-R BS.1770 integrated loudness, −16 LUFS by default, as podcast
//! platforms ask) with the true peak kept under −1 dBTP, by `ebur128` and
//! a look-ahead limiter, instead of one fixed gain that suits one voice.
//!
//! It streams sentence by sentence: each sentence is measured into a
//! running integrated loudness (gated, as R128 gates), the gain that brings
//! the audio so far to the target is applied to it, and the limiter, which
//! sees the whole sentence ahead, lowers only the peaks that would pass the
//! ceiling. The gain moves only between sentences, in the pauses. When
//! the limiter has to take much off (voices whose peaks stand far above
//! their loudness, as Piper's do), what it took is measured on the
//! sentence and made up, so the target is still met.

use serde::Serialize;

/// The level audio is brought to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Loudness {
    /// Integrated loudness, in LUFS.
    pub target_lufs: f64,
    /// The ceiling for true peaks, in dBTP.
    pub max_true_peak_db: f64,
}

impl Default for Loudness {
    fn default() -> Self {
        Loudness {
            target_lufs: -16.0,
            max_true_peak_db: -1.0,
        }
    }
}

impl Loudness {
    /// The gain (dB) that brings audio measured at `lufs` to the target,
    /// within the bounds.
    fn gain_for(&self, lufs: f64) -> f64 {
        (self.target_lufs - lufs).clamp(-MAX_CUT_DB, MAX_BOOST_DB)
    }

    /// The limiter's ceiling for sample peaks (amplitude).
    fn ceiling(&self) -> f64 {
        db_to_amp(self.max_true_peak_db - INTER_SAMPLE_MARGIN_DB)
    }

    /// A target of `lufs` with the default ceiling.
    pub fn lufs(lufs: f64) -> Loudness {
        Loudness {
            target_lufs: lufs,
            ..Default::default()
        }
    }
}

/// The most a quiet voice is raised, and a loud one lowered, in dB.
const MAX_BOOST_DB: f64 = 36.0;
const MAX_CUT_DB: f64 = 24.0;
/// Look-ahead and release of the limiter.
const ATTACK_MS: f64 = 5.0;
const RELEASE_MS: f64 = 60.0;
/// The limiter works on sample peaks; inter-sample peaks of speech at these
/// rates rise up to ~1 dB above them, so it aims that much lower.
const INTER_SAMPLE_MARGIN_DB: f64 = 1.0;
/// The most the limiter's losses are made up by.
const MAX_MAKEUP_DB: f64 = 12.0;

/// The leveller of one stream of audio.
pub struct Leveler {
    target: Loudness,
    meter: Option<ebur128::EbuR128>,
    rate: u32,
    gain_db: Option<f64>,
    /// Extra gain making up what the limiter takes, carried from the last
    /// sentence measured.
    makeup_db: f64,
    /// The sentence being levelled in parts ([`Leveler::feed`]).
    open: Option<Open>,
}

/// A sentence levelled in parts: what came so far and how far it is out.
#[derive(Default)]
struct Open {
    raw: Vec<i16>,
    unit: Vec<f64>,
    /// Samples given out, all final.
    emitted: usize,
    /// The limiter's forward gain at the last sample given out.
    carry: f64,
    /// The gain of the whole sentence, fixed once known.
    gain: Option<f64>,
    /// What was given out, to measure the sentence when it ends.
    out: Vec<i16>,
}

impl std::fmt::Debug for Leveler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leveler")
            .field("target", &self.target)
            .field("gain_db", &self.gain_db)
            .finish_non_exhaustive()
    }
}

fn db_to_amp(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

impl Leveler {
    /// A leveller for mono audio at `rate`.
    pub fn new(target: Loudness, rate: u32) -> Leveler {
        Leveler {
            target,
            meter: ebur128::EbuR128::new(1, rate.max(1), ebur128::Mode::I).ok(),
            rate: rate.max(1),
            gain_db: None,
            makeup_db: 0.0,
            open: None,
        }
    }

    /// The gain applied to the last sentence, in dB.
    pub fn gain_db(&self) -> Option<f64> {
        self.gain_db
    }

    /// Level one sentence: measure it, bring the stream to the target and
    /// limit its peaks.
    pub fn process(&mut self, pcm: &[i16]) -> Vec<i16> {
        if pcm.is_empty() {
            return Vec::new();
        }
        let measured = match &mut self.meter {
            Some(m) => {
                let _ = m.add_frames_i16(pcm);
                m.loudness_global().ok().filter(|l| l.is_finite())
            }
            None => None,
        };
        if let Some(l) = measured {
            self.gain_db = Some(self.target.gain_for(l));
        } else if self.gain_db.is_none() {
            // Too short or too quiet to measure yet: raise it as a typical
            // engine needs, and let the next sentence correct it.
            let peak = pcm.iter().map(|s| (*s as f64).abs()).fold(0.0, f64::max) / 32768.0;
            if peak == 0.0 {
                return pcm.to_vec();
            }
            self.gain_db = Some(0.0);
        }
        let gain_db = self.gain_db.unwrap_or(0.0);
        let ceiling = self.target.ceiling();
        // True peaks scale with the gain: find them once, at unity.
        let unit: Vec<f64> = pcm.iter().map(|&s| s as f64 / 32768.0).collect();
        let peaks = true_peaks(&unit);
        let mut out = limit(&unit, &peaks, db_to_amp(gain_db + self.makeup_db), ceiling, self.rate);
        // Make up what the limiter took: the sentence should come out at its
        // own loudness plus the gain.
        if let Some(own) = sentence_loudness(pcm, self.rate) {
            let want = own + gain_db;
            let mut makeup = self.makeup_db;
            for _ in 0..4 {
                let Some(got) = sentence_loudness(&out, self.rate) else {
                    break;
                };
                let short = want - got;
                if short.abs() < 0.2 || makeup + short > MAX_MAKEUP_DB {
                    break;
                }
                makeup = (makeup + short).max(0.0);
                out = limit(&unit, &peaks, db_to_amp(gain_db + makeup), ceiling, self.rate);
            }
            self.makeup_db = makeup;
        }
        out
    }

    /// Level a sentence while the engine is still making it: give its
    /// samples as they come; what comes back is final and can be played at
    /// once, so the start of a long sentence need not wait for its end.
    /// [`Leveler::finish`] ends the sentence. The samples come back a few
    /// milliseconds late (the limiter's look-ahead) and, on a stream's first
    /// sentence, once 0.4 s is there to measure. The result does not depend
    /// on how the samples were cut into parts. Unlike [`Leveler::process`]
    /// the limiter's losses are made up from the next sentence on.
    pub fn feed(&mut self, pcm: &[i16]) -> Vec<i16> {
        let first = (FIRST_SECS * self.rate as f64) as usize;
        let o = self.open.get_or_insert_with(|| Open {
            carry: 1.0,
            ..Open::default()
        });
        o.raw.extend_from_slice(pcm);
        o.unit.extend(pcm.iter().map(|&s| s as f64 / 32768.0));
        if o.gain.is_none() {
            match self.gain_db {
                Some(g) => o.gain = Some(db_to_amp(g + self.makeup_db)),
                None if o.raw.len() < first => return Vec::new(),
                None => {
                    let l = sentence_loudness(&o.raw[..first], self.rate);
                    let g = l.map_or(0.0, |l| self.target.gain_for(l));
                    self.gain_db = Some(g);
                    o.gain = Some(db_to_amp(g + self.makeup_db));
                }
            }
        }
        self.emit(false)
    }

    /// The rest of the sentence begun by [`Leveler::feed`]; it is then
    /// measured into the stream's loudness, for the sentences after it.
    pub fn finish(&mut self) -> Vec<i16> {
        let Some(o) = self.open.as_ref() else {
            return Vec::new();
        };
        if o.gain.is_none() {
            // Too short to measure on its own: level it whole.
            let raw = self.open.take().map(|o| o.raw).unwrap_or_default();
            return self.process(&raw);
        }
        let rest = self.emit(true);
        let Some(o) = self.open.take() else {
            return rest;
        };
        let used = self.gain_db.unwrap_or(0.0);
        if let Some(m) = &mut self.meter {
            let _ = m.add_frames_i16(&o.raw);
            if let Some(l) = m.loudness_global().ok().filter(|l| l.is_finite()) {
                self.gain_db = Some(self.target.gain_for(l));
            }
        }
        // What the limiter took from this one is made up on the next.
        if let (Some(own), Some(got)) = (
            sentence_loudness(&o.raw, self.rate),
            sentence_loudness(&o.out, self.rate),
        ) {
            let short = own + used - got;
            if short.abs() >= 0.2 && self.makeup_db + short <= MAX_MAKEUP_DB {
                self.makeup_db = (self.makeup_db + short).max(0.0);
            }
        }
        rest
    }

    /// Forget the sentence begun by [`Leveler::feed`] (its making was
    /// given up): the stream goes on as if it had never come.
    pub fn abandon(&mut self) {
        self.open = None;
    }

    /// Give out what of the open sentence is final (all of it when `last`).
    fn emit(&mut self, last: bool) -> Vec<i16> {
        let rate = self.rate as f64;
        let ceiling = self.target.ceiling();
        let Some(o) = self.open.as_mut() else {
            return Vec::new();
        };
        let Some(gain) = o.gain else {
            return Vec::new();
        };
        let attack = ((ATTACK_MS / 1000.0) * rate).max(1.0);
        // Held back: samples a peak still to come could lower, or whose
        // true peak needs samples still to come.
        let hold = if last { 0 } else { attack.ceil() as usize + TAPS + 1 };
        let len = o.unit.len();
        let end = len.saturating_sub(hold);
        if end <= o.emitted {
            return Vec::new();
        }
        let from = o.emitted;
        let context = from.saturating_sub(TAPS);
        let peaks = true_peaks(&o.unit[context..]);
        let (out, carry) = limit_from(
            &o.unit[from..],
            &peaks[from - context..],
            gain,
            ceiling,
            self.rate,
            o.carry,
            end - from,
        );
        o.carry = carry;
        o.emitted = end;
        o.out.extend_from_slice(&out);
        out
    }
}

/// A stream's first sentence is levelled in parts once this much of it is
/// there to measure (R128's gating block).
const FIRST_SECS: f64 = 0.4;

/// `unit` (samples at full scale = 1.0) times `gain`, with a look-ahead
/// limiter holding the true peaks (`peaks`, [`true_peaks`] of `unit`) under
/// `ceiling`: the gain falls linearly over `ATTACK_MS`
/// before a peak and recovers over `RELEASE_MS` after it. Every sample's
/// gain is at most what it alone needs, so no sample passes the ceiling.
fn limit(unit: &[f64], peaks: &[f64], gain: f64, ceiling: f64, rate: u32) -> Vec<i16> {
    if peaks.iter().all(|&p| p * gain <= ceiling) {
        return unit.iter().map(|v| to_i16(v * gain)).collect();
    }
    limit_from(unit, peaks, gain, ceiling, rate, 1.0, unit.len()).0
}

/// [`limit`] continuing a stream: the forward gain starts at `carry` (what
/// the samples before left it at), and only the first `emit` samples are
/// given out, with the forward gain at the last of them. They are final
/// when `unit` reaches far enough past them for every peak that could
/// lower them (the attack) to be in it.
fn limit_from(
    unit: &[f64],
    peaks: &[f64],
    gain: f64,
    ceiling: f64,
    rate: u32,
    carry: f64,
    emit: usize,
) -> (Vec<i16>, f64) {
    // Forward: recover towards 1 after each dip.
    let release = (-1.0 / ((RELEASE_MS / 1000.0) * rate as f64)).exp();
    let mut g = Vec::with_capacity(unit.len());
    let mut prev = carry;
    for &p in peaks {
        let need = if p * gain > ceiling { ceiling / (p * gain) } else { 1.0 };
        prev = need.min(1.0 - (1.0 - prev) * release);
        g.push(prev);
    }
    let carried = if emit > 0 { g[emit - 1] } else { carry };
    // Backward: fall into each dip over the attack instead of at once.
    let step = 1.0 / ((ATTACK_MS / 1000.0) * rate as f64).max(1.0);
    for i in (0..g.len().saturating_sub(1)).rev() {
        g[i] = g[i].min(g[i + 1] + step);
    }
    let out = (0..emit).map(|i| to_i16(unit[i] * gain * g[i])).collect();
    (out, carried)
}

/// Taps on each side of the interpolation filter.
const TAPS: usize = 8;

/// For each sample, the highest magnitude of the signal around it — the
/// sample and the points a quarter, half and three quarters of the way to
/// its neighbours, interpolated by a Hann-windowed sinc, as BS.1770's true
/// peak meter oversamples — so that the limiter holds true peaks, not only
/// sample peaks.
fn true_peaks(x: &[f64]) -> Vec<f64> {
    let kernels: Vec<[f64; 2 * TAPS]> = [0.25f64, 0.5, 0.75]
        .iter()
        .map(|&frac| {
            let mut k = [0.0; 2 * TAPS];
            for (j, w) in k.iter_mut().enumerate() {
                let t = j as f64 - (TAPS as f64 - 1.0) - frac;
                let sinc = if t == 0.0 {
                    1.0
                } else {
                    (std::f64::consts::PI * t).sin() / (std::f64::consts::PI * t)
                };
                let hann = 0.5 + 0.5 * (std::f64::consts::PI * t / (TAPS as f64 + 1.0)).cos();
                *w = sinc * hann;
            }
            k
        })
        .collect();
    let at = |i: isize| {
        if i < 0 || i as usize >= x.len() {
            0.0
        } else {
            x[i as usize]
        }
    };
    // between[i]: the peak of the interpolated points between i and i + 1.
    let between: Vec<f64> = (0..x.len())
        .map(|i| {
            kernels
                .iter()
                .map(|k| {
                    k.iter()
                        .enumerate()
                        .map(|(j, w)| w * at(i as isize + j as isize - (TAPS as isize - 1)))
                        .sum::<f64>()
                        .abs()
                })
                .fold(0.0, f64::max)
        })
        .collect();
    (0..x.len())
        .map(|i| {
            let before = if i > 0 { between[i - 1] } else { 0.0 };
            x[i].abs().max(before).max(between[i])
        })
        .collect()
}

/// The loudness of one piece on its own; None when it is too short or
/// silent to measure.
fn sentence_loudness(pcm: &[i16], rate: u32) -> Option<f64> {
    let mut m = ebur128::EbuR128::new(1, rate, ebur128::Mode::I).ok()?;
    m.add_frames_i16(pcm).ok()?;
    m.loudness_global().ok().filter(|l| l.is_finite())
}

fn to_i16(v: f64) -> i16 {
    (v * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

/// The integrated loudness (LUFS) and true peak (dBTP) of mono audio, as
/// BS.1770 measures them (for tests and reports).
pub fn measure(pcm: &[i16], rate: u32) -> Option<(f64, f64)> {
    let mut m = ebur128::EbuR128::new(1, rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).ok()?;
    m.add_frames_i16(pcm).ok()?;
    let l = m.loudness_global().ok()?;
    let tp = m.true_peak(0).ok()?;
    Some((l, 20.0 * tp.max(1e-9).log10()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A speech-like test signal: a 180 Hz buzz with harmonics, in
    /// syllables, at amplitude `amp`.
    fn speechy(seconds: f64, amp: f64, rate: u32) -> Vec<i16> {
        let n = (seconds * rate as f64) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / rate as f64;
                let env = (t * 4.0 * std::f64::consts::PI).sin().abs();
                let v: f64 = (1..6)
                    .map(|k| (t * 180.0 * k as f64 * std::f64::consts::TAU).sin() / k as f64)
                    .sum();
                (v * env * amp * 32767.0 / 2.3).clamp(-32768.0, 32767.0) as i16
            })
            .collect()
    }

    fn level(pcm: &[i16], rate: u32) -> Vec<i16> {
        let mut l = Leveler::new(Loudness::default(), rate);
        pcm.chunks(rate as usize * 3).flat_map(|c| l.process(c)).collect()
    }

    #[test]
    fn quiet_and_loud_voices_reach_the_target_under_the_ceiling() {
        for (amp, rate) in [(0.02, 16000), (0.3, 16000), (1.4, 22050), (0.8, 24000)] {
            let out = level(&speechy(20.0, amp, rate), rate);
            let (lufs, tp) = measure(&out, rate).unwrap();
            assert!((lufs + 16.0).abs() < 1.0, "amp {amp}: {lufs:.2} LUFS");
            assert!(tp <= -0.9, "amp {amp}: true peak {tp:.2} dBTP");
        }
    }

    /// Speech whose peaks stand 24 dB above its loudness (as Piper's do):
    /// short clicks on a quiet buzz.
    fn peaky(seconds: f64, rate: u32) -> Vec<i16> {
        speechy(seconds, 0.08, rate)
            .iter()
            .enumerate()
            .map(|(i, &s)| if i % (rate as usize / 8) < 2 { 30000 } else { s })
            .collect()
    }

    #[test]
    fn what_the_limiter_takes_is_made_up() {
        for rate in [16000, 22050] {
            let out = level(&peaky(20.0, rate), rate);
            let (lufs, tp) = measure(&out, rate).unwrap();
            assert!((lufs + 16.0).abs() < 1.0, "{rate}: {lufs:.2} LUFS");
            assert!(tp <= -0.9, "{rate}: true peak {tp:.2} dBTP");
        }
    }

    #[test]
    fn silence_stays_silent_and_short_pieces_pass() {
        let mut l = Leveler::new(Loudness::default(), 16000);
        assert_eq!(l.process(&[0; 800]), vec![0; 800]);
        assert_eq!(l.process(&[]), Vec::<i16>::new());
        assert_eq!(l.process(&[100, -100]).len(), 2);
    }

    /// Feed `pcm` in parts of `part` samples, then finish.
    fn in_parts(l: &mut Leveler, pcm: &[i16], part: usize) -> Vec<i16> {
        let mut out: Vec<i16> = pcm.chunks(part).flat_map(|c| l.feed(c)).collect();
        out.extend(l.finish());
        out
    }

    #[test]
    fn levelled_in_parts_it_meets_the_target_whatever_the_parts() {
        for (signal, rate) in [
            (speechy(20.0, 0.02, 16000), 16000),
            (speechy(20.0, 1.4, 22050), 22050),
            (peaky(20.0, 16000), 16000),
        ] {
            let mut outs = Vec::new();
            for part in [97, 1000, 44100, signal.len()] {
                let mut l = Leveler::new(Loudness::default(), rate);
                let out: Vec<i16> = signal
                    .chunks(rate as usize * 3)
                    .flat_map(|s| in_parts(&mut l, s, part))
                    .collect();
                assert_eq!(out.len(), signal.len());
                outs.push(out);
            }
            assert!(outs.windows(2).all(|w| w[0] == w[1]), "the parts changed the audio");
            let (lufs, tp) = measure(&outs[0], rate).unwrap();
            assert!((lufs + 16.0).abs() < 1.0, "{lufs:.2} LUFS");
            assert!(tp <= -0.9, "true peak {tp:.2} dBTP");
        }
    }

    #[test]
    fn a_short_sentence_in_parts_is_levelled_whole() {
        let mut l = Leveler::new(Loudness::default(), 16000);
        let short = speechy(0.2, 0.3, 16000);
        assert!(l.feed(&short).is_empty(), "nothing to measure yet");
        assert_eq!(l.finish().len(), short.len());
        assert!(l.finish().is_empty());
        // The next sentence has a gain: its parts come out at once.
        assert!(!l.feed(&speechy(0.3, 0.3, 16000)).is_empty());
    }

    #[test]
    fn the_limiter_never_passes_the_ceiling() {
        let pcm: Vec<i16> = (0..16000)
            .map(|i| if i % 400 == 0 { 30000 } else { (i % 7) as i16 * 500 })
            .collect();
        let unit: Vec<f64> = pcm.iter().map(|&s| s as f64 / 32768.0).collect();
        let out = limit(&unit, &true_peaks(&unit), 2.0, 0.5, 16000);
        assert!(out.iter().all(|s| (*s as f64).abs() <= 0.5 * 32768.0 + 1.0));
    }
}
