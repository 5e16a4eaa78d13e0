//! Fast byte-value updates of an HLL_8 sketch that has reached its register-array mode.
//!
//! The `datasketches` crate hashes each value through a streaming MurmurHash3 hasher (a buffer
//! copy and a byte loop for the tail) and offers no way to pass a precomputed hash. Once a sketch
//! is in array mode its whole state is its standard image: a header, the HIP accumulator, the two
//! KxQ sums, the count of zero registers and one byte per register. [`DenseHll8`] keeps that image
//! and applies updates to it exactly as the crate's `Array8` does (same hash, same coupon, same
//! floating-point operations in the same order), so the sketch read back from the image is the
//! one the crate would have built, byte for byte.

use std::hash::{Hash, Hasher};

use datasketches::hll::HllSketch;

/// Offsets in the HLL-mode image (DataSketches HLL serialization, version 1).
const FLAGS: usize = 5;
const MODE: usize = 7;
const HIP: usize = 8;
const KXQ0: usize = 16;
const KXQ1: usize = 24;
const NUM_ZEROS: usize = 32;
const REGISTERS: usize = 40;
/// Flag of a sketch whose HIP accumulator is not valid (after a union).
const OUT_OF_ORDER: u8 = 16;
/// Mode byte of an HLL_8 sketch in array mode: current mode HLL (2), target type HLL_8 (2).
const HLL8_ARRAY_MODE: u8 = 2 | (2 << 2);
/// MurmurHash3 seed of the DataSketches update methods.
const SEED: u64 = 9001;
const KEY_MASK_26: u64 = (1 << 26) - 1;

/// An HLL_8 sketch in array mode, kept as its image and updated in place.
#[derive(Debug, Clone)]
pub struct DenseHll8 {
    image: Vec<u8>,
    hip: f64,
    kxq0: f64,
    kxq1: f64,
    num_zeros: u32,
    /// `2^lg_k - 1`.
    mask: usize,
    /// `2^lg_k` as a float, the numerator of each HIP increment.
    k: f64,
}

impl DenseHll8 {
    /// The dense form of `hll` if it is an HLL_8 sketch in array mode with a valid HIP
    /// accumulator, None otherwise (the caller keeps updating `hll` itself).
    pub fn from_sketch(hll: &HllSketch) -> Option<Self> {
        let image = hll.serialize();
        if image.len() < REGISTERS || image[MODE] != HLL8_ARRAY_MODE || image[FLAGS] & OUT_OF_ORDER != 0 {
            return None;
        }
        let registers = image.len() - REGISTERS;
        if !registers.is_power_of_two() || registers != 1 << hll.lg_config_k() {
            return None;
        }
        Some(Self {
            hip: f64_at(&image, HIP)?,
            kxq0: f64_at(&image, KXQ0)?,
            kxq1: f64_at(&image, KXQ1)?,
            num_zeros: u32::from_le_bytes(*image.get(NUM_ZEROS..)?.first_chunk::<4>()?),
            mask: registers - 1,
            k: registers as f64,
            image,
        })
    }

    /// Adds one value given as its [`value_hash`] (as the DataSketches libraries hash strings and
    /// byte arrays).
    #[inline]
    pub fn update_hashed(&mut self, (lo, hi): (u64, u64)) {
        let slot = (lo & KEY_MASK_26) as usize & self.mask;
        let new = hi.leading_zeros().min(62) as u8 + 1;
        let Some(register) = self.image.get_mut(REGISTERS + slot) else { return };
        let old = *register;
        if new <= old {
            return;
        }
        *register = new;
        self.hip += self.k / (self.kxq0 + self.kxq1);
        if old < 32 {
            self.kxq0 -= inv_pow2(old);
        } else {
            self.kxq1 -= inv_pow2(old);
        }
        if new < 32 {
            self.kxq0 += inv_pow2(new);
        } else {
            self.kxq1 += inv_pow2(new);
        }
        if old == 0 {
            self.num_zeros -= 1;
        }
    }

    /// The current image, as the crate would serialize the sketch.
    pub fn image(&self) -> Vec<u8> {
        let mut image = self.image.clone();
        image[HIP..HIP + 8].copy_from_slice(&self.hip.to_le_bytes());
        image[KXQ0..KXQ0 + 8].copy_from_slice(&self.kxq0.to_le_bytes());
        image[KXQ1..KXQ1 + 8].copy_from_slice(&self.kxq1.to_le_bytes());
        image[NUM_ZEROS..NUM_ZEROS + 4].copy_from_slice(&self.num_zeros.to_le_bytes());
        image
    }

    /// The crate's sketch with this state.
    pub fn to_sketch(&self) -> Result<HllSketch, String> {
        HllSketch::deserialize(&self.image()).map_err(|e| e.to_string())
    }
}

fn f64_at(image: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(*image.get(at..)?.first_chunk::<8>()?))
}

/// 2^-exp, exactly as the crate computes it.
#[inline]
fn inv_pow2(exp: u8) -> f64 {
    f64::from_bits((1023 - u64::from(exp)) << 52)
}

/// The 128-bit hash the DataSketches libraries give a value of these bytes.
#[inline]
pub fn value_hash(bytes: &[u8]) -> (u64, u64) {
    murmur3_x64_128(bytes, SEED)
}

/// The 128-bit hash the DataSketches libraries give `value`: the hash of the bytes its `Hash`
/// implementation writes (what the crate's `Coupon::from_value` hashes, in one call instead of
/// its streaming hasher). None when it writes more than 16 bytes; fixed-width values write 8.
#[inline]
pub fn hash_of<T: Hash>(value: &T) -> Option<(u64, u64)> {
    let mut written = WrittenBytes::default();
    value.hash(&mut written);
    (!written.overflow).then(|| value_hash(&written.bytes[..written.len]))
}

/// Collects the first 16 bytes written to it.
#[derive(Default)]
struct WrittenBytes {
    bytes: [u8; 16],
    len: usize,
    overflow: bool,
}

impl Hasher for WrittenBytes {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        match self.bytes.get_mut(self.len..self.len + bytes.len()) {
            Some(slot) => {
                slot.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            None => self.overflow = true,
        }
    }

    fn finish(&self) -> u64 {
        value_hash(&self.bytes[..self.len]).0
    }
}

const C1: u64 = 0x87c3_7b91_1142_53d5;
const C2: u64 = 0x4cf5_ad43_2745_937f;

/// MurmurHash3 x64 128 of `bytes` in one call: whole 16-byte blocks, then the tail read as two
/// zero-padded little-endian words.
#[inline]
pub fn murmur3_x64_128(bytes: &[u8], seed: u64) -> (u64, u64) {
    let (mut h1, mut h2) = (seed, seed);
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        let (k1, k2) = (le_u64(&block[..8]), le_u64(&block[8..]));
        h1 ^= mix_k1(k1);
        h1 = h1.rotate_left(27).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x52dc_e729);
        h2 ^= mix_k2(k2);
        h2 = h2.rotate_left(31).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x3849_5ab5);
    }
    let tail = blocks.remainder();
    if tail.len() > 8 {
        h2 ^= mix_k2(partial_u64(&tail[8..]));
    }
    if !tail.is_empty() {
        h1 ^= mix_k1(partial_u64(&tail[..tail.len().min(8)]));
    }
    let len = bytes.len() as u64;
    h1 ^= len;
    h2 ^= len;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

#[inline]
fn mix_k1(k1: u64) -> u64 {
    k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2)
}

#[inline]
fn mix_k2(k2: u64) -> u64 {
    k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1)
}

#[inline]
fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

#[inline]
fn le_u64(b: &[u8]) -> u64 {
    b.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w))
}

/// 1 to 8 bytes as a zero-padded little-endian word.
#[inline]
fn partial_u64(b: &[u8]) -> u64 {
    if b.len() == 8 { le_u64(b) } else { crate::fxhash::short_word(b) }
}

#[cfg(test)]
mod tests {
    use datasketches::hash::value::raw_bytes;
    use datasketches::hll::{Coupon, HllType};

    use super::*;

    /// Values of every length from 0 to 70 bytes, then longer ones.
    fn value(i: u64) -> Vec<u8> {
        let len = (i % 71) as usize + usize::from(i.is_multiple_of(5)) * 30;
        (0..len).map(|j| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (j % 57)) as u8 ^ j as u8).collect()
    }

    #[test]
    fn dense_updates_write_the_crates_image() {
        for lg_k in [4, 11, 14] {
            let mut crate_hll = HllSketch::new(lg_k, HllType::Hll8).expect("lg_k");
            let mut i = 0u64;
            let mut dense = loop {
                crate_hll.update_with_coupon(Coupon::from_value(raw_bytes::from_slice(&value(i))));
                i += 1;
                if let Some(dense) = DenseHll8::from_sketch(&crate_hll) {
                    break dense;
                }
            };
            for _ in 0..200_000 {
                let v = value(i);
                crate_hll.update_with_coupon(Coupon::from_value(raw_bytes::from_slice(&v)));
                dense.update_hashed(value_hash(&v));
                i += 1;
            }
            assert_eq!(dense.image(), crate_hll.serialize(), "lg_k {lg_k}");
            let back = dense.to_sketch().expect("image");
            assert_eq!(back.serialize(), crate_hll.serialize());
            assert_eq!(back.estimate(), crate_hll.estimate());
        }
    }

    #[test]
    fn fixed_width_values_hash_as_the_crate_hashes_them() {
        use datasketches::hash::value::canonical_float;
        let mut crate_hll = HllSketch::new(11, HllType::Hll8).expect("lg_k");
        let mut i = 0u64;
        let mut dense = loop {
            crate_hll.update(i as i64);
            i += 1;
            if let Some(dense) = DenseHll8::from_sketch(&crate_hll) {
                break dense;
            }
        };
        for j in 0..100_000u64 {
            let int = j.wrapping_mul(0x9e37_79b9_7f4a_7c15) as i64;
            crate_hll.update(int);
            dense.update_hashed(hash_of(&int).expect("an i64 writes 8 bytes"));
            let float = canonical_float::from_f64(if j % 7 == 0 { -0.0 } else { int as f64 / 3.0 });
            crate_hll.update(float);
            dense.update_hashed(hash_of(&float).expect("a float writes 8 bytes"));
        }
        assert_eq!(dense.image(), crate_hll.serialize());
        assert_eq!(hash_of(&[7u8; 20]), None, "more than 16 bytes are left to the crate");
    }

    #[test]
    fn list_and_set_modes_stay_with_the_crate() {
        let mut hll = HllSketch::new(14, HllType::Hll8).expect("lg_k");
        for i in 0..100 {
            hll.update_with_coupon(Coupon::from_value(raw_bytes::from_slice(&value(i))));
            assert!(DenseHll8::from_sketch(&hll).is_none());
        }
    }
}
