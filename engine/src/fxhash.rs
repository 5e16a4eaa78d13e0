//! A small, fast, non-cryptographic hasher (the Fx multiply-rotate scheme) for the engine's
//! per-batch value tables. Keys are values of the batch being profiled, not attacker-chosen
//! long-lived keys, so HashDoS resistance is not needed here.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Fx hasher state.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(le_word(c));
        }
        let rest = chunks.remainder().len();
        if rest > 0 {
            self.add(tail_word(bytes, rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The first eight bytes of `b` (at least eight long) as a little-endian word.
#[inline]
pub(crate) fn le_word(b: &[u8]) -> u64 {
    b.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w))
}

/// The last `rest` (1 to 7) bytes of `bytes` as a little-endian word padded with zeros, read
/// without a byte loop or a copy: from one overlapping word when `bytes` has eight or more,
/// otherwise from two overlapping halves or three single bytes.
#[inline]
fn tail_word(bytes: &[u8], rest: usize) -> u64 {
    let n = bytes.len();
    if n >= 8 {
        return le_word(&bytes[n - 8..]) >> (8 * (8 - rest));
    }
    short_word(bytes)
}

/// `b` (1 to 7 bytes) as a little-endian word padded with zeros.
#[inline]
pub(crate) fn short_word(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        let lo = b.first_chunk::<4>().map_or(0, |w| u32::from_le_bytes(*w));
        let hi = b[n - 4..].first_chunk::<4>().map_or(0, |w| u32::from_le_bytes(*w));
        u64::from(lo) | u64::from(hi) << (8 * (n - 4))
    } else if n > 0 {
        u64::from(b[0]) | u64::from(b[n / 2]) << (8 * (n / 2)) | u64::from(b[n - 1]) << (8 * (n - 1))
    } else {
        0
    }
}

/// `HashMap` builder using [`FxHasher`].
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash as first written: whole words, then the zero-padded remainder copied byte-wise.
    fn reference(bytes: &[u8]) -> u64 {
        let mut h = FxHasher::default();
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            h.add(u64::from_le_bytes(w));
        }
        h.finish()
    }

    #[test]
    fn word_reads_match_bytewise_copies() {
        let data: Vec<u8> = (1..=40).map(|i| (i * 37 % 251) as u8).collect();
        for start in 0..8 {
            for end in start..data.len() {
                let b = &data[start..end];
                let mut h = FxHasher::default();
                h.write(b);
                assert_eq!(h.finish(), reference(b), "{b:?}");
            }
        }
    }
}
