//! The distinct-count sketch of a column: an HLL_8 HyperLogLog, updated through the
//! `datasketches` crate until it reaches its register-array mode and then through its image
//! (`dense.rs`), with a table of recent fixed-width values in front.

use std::borrow::Cow;
use std::hash::Hash;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use datasketches::common::NumStdDev;
use datasketches::hash::value::raw_bytes;
use datasketches::hll::{Coupon, HllSketch, HllType, HllUnion};
use profiler_crds::{ColumnProfile, DistinctCount};

use super::{bad, decode, image, invalid};
use crate::error::EngineError;

mod dense;

pub(crate) use dense::murmur3_x64_128;
use dense::{DenseHll8, hash_of, value_hash};

/// Distinct-count sketch (HLL_8) over the bytes of non-null values.
#[derive(Debug, Clone)]
pub struct DistinctSketch {
    lg_k: u8,
    hll: HllSketch,
    /// Once `hll` reaches array mode, [`Self::update_bytes`] and [`Self::update_fixed`] update
    /// this image of it instead (`hll` is then stale until [`Self::settle`]).
    dense: Option<Box<DenseHll8>>,
    /// Byte and fixed-width updates since `hll` was last checked for array mode.
    unchecked: u32,
    /// Fixed-width values added lately, by their bits.
    recent: RecentValues,
}

/// A direct-mapped table of the bits of fixed-width values added lately. Adding a value an HLL
/// already holds never changes it (not even its HIP accumulator), so a repeat found here skips
/// the hash and the sketch: low-cardinality columns (quantities, codes, flags) then cost a table
/// probe per value. A column whose batches repeat too little to pay for the probes (ids, measures)
/// goes straight to the sketch, and the table is tried again every [`RECENT_RETRY_EVERY`] batches.
#[derive(Debug, Clone)]
struct RecentValues {
    /// Each slot starts with bits that do not map to it, so no slot needs a "filled" flag.
    bits: Box<[u64; RECENT_SLOTS]>,
    /// Whether updates consult the table.
    active: bool,
    /// Repeats found in the current batch.
    hits: u32,
    /// Batches since the table was switched off.
    idle: u32,
}

/// Slots of [`RecentValues`].
const RECENT_SLOTS: usize = 256;

/// Batches a switched-off [`RecentValues`] waits before it is tried again.
const RECENT_RETRY_EVERY: u32 = 16;

impl RecentValues {
    fn new() -> Self {
        let mut bits = Box::new([0u64; RECENT_SLOTS]);
        for (slot, b) in bits.iter_mut().enumerate() {
            *b = (0u64..).find(|candidate| Self::slot(*candidate) != slot).unwrap_or_default();
        }
        Self { bits, active: true, hits: 0, idle: 0 }
    }

    #[inline]
    fn slot(bits: u64) -> usize {
        (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
    }

    /// Records `bits`; false if they were there already.
    #[inline]
    fn insert(&mut self, bits: u64) -> bool {
        let slot = &mut self.bits[Self::slot(bits)];
        let new = *slot != bits;
        *slot = bits;
        new
    }

    /// Ends a batch of `values` updates: the table is switched off when fewer than one in 16 was
    /// a repeat, and back on after [`RECENT_RETRY_EVERY`] batches.
    fn end_batch(&mut self, values: usize) {
        if self.active {
            if (self.hits as usize).saturating_mul(16) < values {
                self.active = false;
                self.idle = 0;
            }
        } else {
            self.idle += 1;
            self.active = self.idle >= RECENT_RETRY_EVERY;
        }
        self.hits = 0;
    }
}

/// Byte updates between checks whether the sketch has reached array mode.
const DENSE_CHECK_EVERY: u32 = 4096;

impl DistinctSketch {
    /// An empty sketch with 2^lg_k registers.
    pub fn new(lg_k: u8) -> Result<Self, EngineError> {
        let hll = HllSketch::new(lg_k, HllType::Hll8).map_err(|e| invalid("hll_lg_k", e))?;
        Ok(Self::of(hll))
    }

    fn of(hll: HllSketch) -> Self {
        Self { lg_k: hll.lg_config_k(), hll, dense: None, unchecked: 0, recent: RecentValues::new() }
    }

    /// Adds a value; use the `datasketches::hash::value` wrappers for cross-language hashing.
    /// This goes through the crate (leaving the dense image if one is in use).
    #[inline]
    pub fn update<T: Hash>(&mut self, value: T) {
        self.settle();
        self.hll.update_with_coupon(Coupon::from_value(value));
    }

    /// Adds a fixed-width value whose bits (at most 64, zero-extended) are `bits`, unless it is
    /// one of the values added lately; `value` is what [`Self::update`] would take. Once the
    /// sketch is in array mode, the value's bytes are hashed in one call into the dense image.
    #[inline]
    pub fn update_fixed<T: Hash>(&mut self, bits: u64, value: T) {
        if self.recent.active && !self.recent.insert(bits) {
            self.recent.hits += 1;
            return;
        }
        if let Some(dense) = &mut self.dense
            && let Some(hash) = hash_of(&value)
        {
            dense.update_hashed(hash);
            return;
        }
        self.update(value);
        self.check_dense();
    }

    /// Ends a batch of `values` [`Self::update_fixed`] calls (see [`RecentValues`]).
    pub fn end_fixed_batch(&mut self, values: usize) {
        self.recent.end_batch(values);
    }

    /// Adds a value given as its bytes (hashed like `raw_bytes`, as the Java and C++ libraries
    /// hash strings and byte arrays). Same result as [`Self::update`] with `raw_bytes`. Returns
    /// the low word of that hash, a good hash of the bytes for the caller's own use.
    #[inline]
    pub fn update_bytes(&mut self, bytes: &[u8]) -> u64 {
        let hash = value_hash(bytes);
        if let Some(dense) = &mut self.dense {
            dense.update_hashed(hash);
            return hash.0;
        }
        self.hll.update_with_coupon(Coupon::from_value(raw_bytes::from_slice(bytes)));
        self.check_dense();
        hash.0
    }

    /// Every [`DENSE_CHECK_EVERY`] byte or fixed-width updates, switches to the dense image if
    /// the sketch is in array mode.
    #[inline]
    fn check_dense(&mut self) {
        self.unchecked += 1;
        if self.unchecked >= DENSE_CHECK_EVERY {
            self.unchecked = 0;
            self.dense = DenseHll8::from_sketch(&self.hll).map(Box::new);
        }
    }

    /// Brings `hll` up to date with the dense image, if one is being updated.
    #[inline]
    fn settle(&mut self) {
        if self.dense.is_some() {
            self.settle_dense();
        }
    }

    /// The rare half of [`Self::settle`], kept out of line so that per-value updates stay small.
    #[cold]
    #[inline(never)]
    fn settle_dense(&mut self) {
        self.hll = self.current().into_owned();
        self.dense = None;
    }

    /// The sketch with every update applied.
    fn current(&self) -> Cow<'_, HllSketch> {
        match &self.dense {
            None => Cow::Borrowed(&self.hll),
            Some(dense) => match dense.to_sketch() {
                Ok(hll) => Cow::Owned(hll),
                Err(reason) => {
                    // Cannot happen: the image is the crate's own with in-range fields.
                    tracing::error!("HLL image rebuilt from registers rejected: {reason}");
                    Cow::Borrowed(&self.hll)
                }
            },
        }
    }

    /// Folds `other` into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        self.settle();
        let mut union = HllUnion::new(self.lg_k.max(other.lg_k))
            .map_err(|e| EngineError::Incompatible(format!("HLL union: {e}")))?;
        union.update(&self.hll);
        union.update(&other.current());
        self.hll = union.to_sketch(HllType::Hll8);
        self.lg_k = self.hll.lg_config_k();
        Ok(())
    }

    /// The estimate with its two-standard-deviation bounds. The composite estimator is used
    /// whether or not the sketch came from a merge, so the figure does not depend on how a scan
    /// was split across threads.
    pub fn count(&self) -> DistinctCount {
        let hll = self.current();
        let estimate = hll.composite_estimate();
        DistinctCount {
            estimate,
            lower_bound: hll.lower_bound(NumStdDev::Two).min(estimate),
            upper_bound: hll.upper_bound(NumStdDev::Two).max(estimate),
            relative_standard_error: 1.04 / f64::from(1u32 << self.lg_k).sqrt(),
            exact: false,
        }
    }

    /// Standard HLL image, base64.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.current().serialize())
    }

    /// Reads an image written by [`Self::to_base64`] (or any DataSketches HLL).
    pub fn from_base64(column: &str, text: &str) -> Result<Self, EngineError> {
        let hll = HllSketch::deserialize(&decode(column, "hll", text)?).map_err(|e| bad(column, "hll", e))?;
        Ok(Self::of(hll))
    }

    /// Reads the sketch stored in a column profile.
    pub fn from_profile(profile: &ColumnProfile) -> Result<Self, EngineError> {
        Self::from_base64(&profile.name, image(profile, "hll")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(i: u64) -> String {
        format!("user{:x}.{}@example.com", i.wrapping_mul(0x9e37_79b9_7f4a_7c15) % 50_000_000, i % 97)
    }

    /// Byte updates (dense once in array mode) against the crate's own updates, with a merge and
    /// a switch back to generic updates along the way.
    #[test]
    fn byte_updates_match_the_crate() {
        for n in [0u64, 5, 300, 3_000, 20_000, 120_000] {
            let mut ours = DistinctSketch::new(14).expect("lg_k");
            let mut theirs = HllSketch::new(14, HllType::Hll8).expect("lg_k");
            for i in 0..n {
                ours.update_bytes(email(i).as_bytes());
                theirs.update(raw_bytes::from_str(&email(i)));
            }
            assert_eq!(ours.to_base64(), BASE64.encode(theirs.serialize()), "n = {n}");
            assert_eq!(ours.count(), DistinctSketch::of(theirs.clone()).count());
            ours.update(raw_bytes::from_str("one more"));
            theirs.update(raw_bytes::from_str("one more"));
            let long = "a value longer than the thirty-two inline bytes of the collector";
            ours.update(raw_bytes::from_str(long));
            theirs.update(raw_bytes::from_str(long));
            assert_eq!(ours.to_base64(), BASE64.encode(theirs.serialize()), "n = {n}, then generic");

            let mut a = DistinctSketch::new(14).expect("lg_k");
            let mut b = DistinctSketch::new(14).expect("lg_k");
            for i in 0..n {
                a.update_bytes(email(i).as_bytes());
                b.update_bytes(email(i + n / 2).as_bytes());
            }
            let mut union = HllUnion::new(14).expect("lg_k");
            union.update(&a.current());
            union.update(&b.current());
            a.merge(&b).expect("merge");
            assert_eq!(a.to_base64(), BASE64.encode(union.to_sketch(HllType::Hll8).serialize()), "merge, n = {n}");
        }
    }

    /// Fixed-width values filtered by the recent-values table give the crate's sketch of the
    /// same values, byte for byte.
    #[test]
    fn recent_values_find_repeats_only() {
        let mut table = RecentValues::new();
        assert!((0..2000u64).all(|bits| table.insert(bits)), "a fresh table holds nothing, not even zeros");
        assert!(!table.insert(1999) && table.insert(1_000_000) && !table.insert(1_000_000));
        table.hits = 2;
        table.end_batch(16 * 2 + 1);
        assert!(!table.active, "two repeats in 33 values switch the table off");
        (0..RECENT_RETRY_EVERY).for_each(|_| table.end_batch(10));
        assert!(table.active, "and it is tried again");
    }

    #[test]
    fn fixed_width_updates_match_the_crate() {
        use datasketches::hash::value::canonical_float;
        for n in [0u64, 7, 1_000, 30_000, 200_000] {
            let mut ours = DistinctSketch::new(12).expect("lg_k");
            let mut theirs = HllSketch::new(12, HllType::Hll8).expect("lg_k");
            for i in 0..n {
                // Integers with many repeats, then floats (signed zeros included) and narrow ints.
                let int = (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) % (n / 3 + 1)) as i64 - 40;
                ours.update_fixed(int as u64, int);
                theirs.update(int);
                let float = if i % 11 == 0 { -0.0 } else { int as f64 / 8.0 };
                ours.update_fixed(float.to_bits(), canonical_float::from_f64(float));
                theirs.update(canonical_float::from_f64(float));
                let narrow = (int % 200) as i32;
                ours.update_fixed(u64::from(narrow as u32), i64::from(narrow));
                theirs.update(i64::from(narrow));
                // Batches of 3,000 updates: the recent-values table goes off and on again.
                if i % 1000 == 999 {
                    ours.end_fixed_batch(3000);
                }
            }
            assert_eq!(ours.dense.is_some(), n >= 30_000, "n = {n}: the dense image is used once in array mode");
            assert_eq!(ours.to_base64(), BASE64.encode(theirs.serialize()), "n = {n}");
        }
    }
}
