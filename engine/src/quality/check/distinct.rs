//! Exact distinct counting for `uniqueness`: one 128-bit key per non-null value. Integers, floats,
//! dates, timestamps, booleans and decimals up to 128 bits are their own key (no collision is
//! possible); strings, binary values and 256-bit decimals are keyed by their MurmurHash3 x64-128
//! (two distinct values collide with probability about n² / 2^129: below 10^-20 for a billion
//! distinct values).
//!
//! Values that fit 64 bits (integers, floats, dates, timestamps, booleans) keep 64-bit keys.
//!
//! Keys are spread over 256 partitions by a multiplicative hash (equal keys meet in one
//! partition); in each, they are appended to a small buffer that is sorted and deduplicated when
//! full into a sorted run, and runs of similar length are merged, so the runs' lengths fall
//! geometrically and their number stays logarithmic. A partition holds 1/256 of the keys, so its
//! sorting and merging stay within the CPU's cache, where a hash set of millions of keys misses the
//! cache on nearly every insert; keys arriving in order (a sequence of ids) stay in order within a
//! partition and their runs just join. Memory: 8 or 16 bytes per distinct value, plus 4 KiB of
//! buffer per partition in use and, while two runs of a partition merge, the merged run.

use arrow_array::Array;

use super::keyed::KeyedValues;
use super::values::{self, Family};
use crate::sketch::murmur3_x64_128;

/// Seed of the hash of variable-width values.
const SEED: u64 = 0x5eed_cafe_f00d_0001;

/// Distinct non-null values of a column seen so far.
#[derive(Debug, Clone, Default)]
pub struct DistinctValues {
    /// Keys of values that fit 64 bits: integers, floats, dates, timestamps, booleans.
    narrow: KeySet<u64>,
    /// Keys of decimals, strings and binary values.
    wide: KeySet<u128>,
    non_null: u64,
}

impl DistinctValues {
    /// Whether values of `family` can be counted.
    pub fn counts(family: Family) -> bool {
        family != Family::Other
    }

    /// Adds the non-null values of `array` (of `family`).
    pub fn update(&mut self, array: &dyn Array, family: Family) {
        self.non_null += (array.len() - array.logical_null_count()) as u64;
        let (narrow, wide) = (&mut self.narrow, &mut self.wide);
        match family {
            // A column's integers are all signed or all unsigned 64-bit at most, so their low 64
            // bits tell them apart.
            Family::Integer => values::integers(array, |v| narrow.push(v as u64)),
            Family::Float => values::floats(array, |v| narrow.push(canonical(v))),
            Family::Time => values::times(array, |v| narrow.push(v as u64)),
            Family::Boolean => values::booleans(array, |v| narrow.push(u64::from(v))),
            Family::Decimal(_) => values::decimals(array, |v| {
                wide.push(match v.to_i128() {
                    Some(small) => small as u128,
                    None => {
                        let (a, b) = murmur3_x64_128(&v.to_le_bytes(), SEED);
                        u128::from(a) << 64 | u128::from(b)
                    }
                })
            }),
            Family::Text | Family::Binary => values::bytes(array, |b| {
                let (a, b) = murmur3_x64_128(b, SEED);
                wide.push(u128::from(a) << 64 | u128::from(b));
            }),
            Family::Other => {}
        }
    }

    /// Adds the values of a dictionary batch of strings or binary values, each once.
    pub fn update_keyed(&mut self, keyed: &KeyedValues) {
        self.non_null += keyed.non_null();
        keyed.each(|b, _| {
            let (a, b) = murmur3_x64_128(b, SEED);
            self.wide.push(u128::from(a) << 64 | u128::from(b));
        });
    }

    /// Sorts what is buffered and merges every partition's runs into one: the end of a scan
    /// thread's work, so that it runs on the scan's threads and [`merge`](Self::merge) has
    /// nothing left to copy.
    pub fn settle(&mut self) {
        self.narrow.settle();
        self.wide.settle();
    }

    /// Folds `other` (same column, other rows) into `self`. The runs are kept side by side, not
    /// merged: counting their union reads them once.
    pub fn merge(&mut self, other: Self) {
        self.non_null += other.non_null;
        self.narrow.merge(other.narrow);
        self.wide.merge(other.wide);
    }

    /// Non-null values and distinct non-null values.
    pub fn counts_so_far(&self) -> (u64, u64) {
        (self.non_null, self.narrow.distinct() + self.wide.distinct())
    }
}

/// A key of the set: ordered, and spread over partitions by a hash of its bits.
trait Key: Ord + Copy {
    /// The key's partition, below [`PARTITIONS`].
    fn partition(self) -> usize;
}

/// Partitions of a key set.
const PARTITIONS: usize = 256;

/// Fibonacci hashing's multiplier (2^64 / golden ratio): its top byte depends on every bit.
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

impl Key for u64 {
    #[inline]
    fn partition(self) -> usize {
        (self.wrapping_mul(SPREAD) >> 56) as usize
    }
}

impl Key for u128 {
    #[inline]
    fn partition(self) -> usize {
        ((self as u64 ^ (self >> 64) as u64).wrapping_mul(SPREAD) >> 56) as usize
    }
}

/// A set of keys, partitioned.
#[derive(Debug, Clone)]
struct KeySet<K> {
    parts: Vec<SortedRuns<K>>,
}

impl<K> Default for KeySet<K> {
    fn default() -> Self {
        Self { parts: Vec::new() }
    }
}

impl<K: Key> KeySet<K> {
    #[inline]
    fn push(&mut self, key: K) {
        if self.parts.is_empty() {
            self.parts = (0..PARTITIONS).map(|_| SortedRuns::default()).collect();
        }
        if let Some(part) = self.parts.get_mut(key.partition()) {
            part.push(key);
        }
    }

    /// Folds `other` into `self`.
    fn merge(&mut self, other: Self) {
        if self.parts.is_empty() {
            self.parts = other.parts;
            return;
        }
        for (mine, theirs) in self.parts.iter_mut().zip(other.parts) {
            mine.merge(theirs);
        }
    }

    fn settle(&mut self) {
        self.parts.iter_mut().for_each(SortedRuns::settle);
    }

    /// Keys in the set.
    fn distinct(&self) -> u64 {
        self.parts.iter().map(SortedRuns::distinct).sum()
    }
}

/// A set of keys as sorted runs without repeats, plus a buffer of keys not yet sorted.
#[derive(Debug, Clone)]
struct SortedRuns<K> {
    /// Keys not yet sorted.
    pending: Vec<K>,
    /// Sorted runs without repeats. While keys arrive, longest first and each more than twice as
    /// long as the next; after a merge, any lengths (the union is counted, not materialized).
    runs: Vec<Vec<K>>,
}

impl<K> Default for SortedRuns<K> {
    fn default() -> Self {
        Self { pending: Vec::new(), runs: Vec::new() }
    }
}

/// Bytes of keys a partition buffers before it sorts them into a run.
const BUFFER_BYTES: usize = 4 << 10;

impl<K: Key> SortedRuns<K> {
    /// Keys buffered before they are sorted into a run.
    const BUFFER: usize = BUFFER_BYTES / std::mem::size_of::<K>();

    #[inline]
    fn push(&mut self, key: K) {
        if self.pending.len() == Self::BUFFER {
            self.seal();
        }
        self.pending.push(key);
    }

    /// Sorts the buffer into a run; the buffer keeps its allocation.
    fn seal(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.pending.sort_unstable();
        self.pending.dedup();
        let run = self.pending.clone();
        self.pending.clear();
        self.push_run(run);
    }

    /// Adds a sorted run without repeats, merging it with the shortest runs while they are at most
    /// twice as long as it.
    fn push_run(&mut self, mut run: Vec<K>) {
        while self.runs.last().is_some_and(|last| last.len() <= 2 * run.len()) {
            if let Some(last) = self.runs.pop() {
                run = merge_unique(last, run);
            }
        }
        self.runs.push(run);
    }

    /// Folds `other` into `self`.
    fn merge(&mut self, mut other: Self) {
        self.pending.append(&mut other.pending);
        self.seal();
        self.runs.append(&mut other.runs);
        self.runs.sort_by_key(|run| std::cmp::Reverse(run.len()));
    }

    /// Merges the buffer and every run into one run.
    fn settle(&mut self) {
        self.seal();
        while self.runs.len() > 1 {
            if let (Some(shortest), Some(next)) = (self.runs.pop(), self.runs.pop()) {
                self.runs.push(merge_unique(next, shortest));
            }
        }
    }

    /// Keys in the set.
    fn distinct(&self) -> u64 {
        let mut pending = self.pending.clone();
        pending.sort_unstable();
        pending.dedup();
        let mut runs: Vec<&[K]> = self.runs.iter().map(Vec::as_slice).chain([pending.as_slice()]).collect();
        runs.retain(|run| !run.is_empty());
        runs.sort_by_key(|run| std::cmp::Reverse(run.len()));
        match runs.as_slice() {
            [] => 0,
            [only] => only.len() as u64,
            [a, b] => count_union(a, b),
            // More runs (a set that was not settled): the shorter ones merged into one, counted
            // against the longest in one pass.
            [longest, shorter @ ..] => {
                let rest = shorter.iter().fold(Vec::new(), |rest, run| merge_unique(rest, run.to_vec()));
                count_union(longest, &rest)
            }
        }
    }
}

/// The union of two sorted runs without repeats, as one.
fn merge_unique<K: Ord + Copy>(a: Vec<K>, b: Vec<K>) -> Vec<K> {
    let (mut a, b) = if a.first() <= b.first() { (a, b) } else { (b, a) };
    // Runs that do not overlap (keys arriving in order, like a sequence of ids) just join.
    if a.last() < b.first() {
        a.reserve_exact(b.len());
        a.extend_from_slice(&b);
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Keys in the union of two sorted runs without repeats.
fn count_union<K: Ord>(a: &[K], b: &[K]) -> u64 {
    let (mut i, mut j, mut count) = (0, 0, 0u64);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        count += 1;
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    count + (a.len() - i) as u64 + (b.len() - j) as u64
}

/// The bits of a float with every NaN one value and `-0.0` equal to `0.0`.
fn canonical(v: f64) -> u64 {
    if v.is_nan() {
        f64::NAN.to_bits()
    } else if v == 0.0 {
        0
    } else {
        v.to_bits()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Int64Array, StringArray};

    use super::*;

    /// Keys that fill every partition's buffer about once.
    const FILL: usize = PARTITIONS * SortedRuns::<u64>::BUFFER;

    /// A deterministic stream of values with repeats (xorshift, folded into `range`).
    fn values(n: usize, range: u64, mut state: u64) -> Vec<i64> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % range) as i64
            })
            .collect()
    }

    fn count(chunks: &[&[i64]]) -> (u64, u64) {
        let mut set = DistinctValues::default();
        for chunk in chunks {
            let array: ArrayRef = Arc::new(Int64Array::from(chunk.to_vec()));
            set.update(array.as_ref(), Family::Integer);
        }
        set.counts_so_far()
    }

    #[test]
    fn counts_repeats_across_buffers_exactly() {
        // Several buffers' worth of keys with repeats spread across them.
        let all = values(5 * FILL + 123, 150_000, 7);
        let expected = all.iter().collect::<HashSet<_>>().len() as u64;
        let chunks: Vec<&[i64]> = all.chunks(8192).collect();
        assert_eq!(count(&chunks), (all.len() as u64, expected));
    }

    #[test]
    fn counts_keys_in_order_and_in_reverse() {
        let ascending: Vec<i64> = (0..(3 * FILL as i64)).collect();
        let descending: Vec<i64> = ascending.iter().rev().copied().collect();
        let n = ascending.len() as u64;
        assert_eq!(count(&ascending.chunks(4096).collect::<Vec<_>>()), (n, n));
        assert_eq!(count(&descending.chunks(4096).collect::<Vec<_>>()), (n, n));
        let twice = [ascending.as_slice(), ascending.as_slice()];
        assert_eq!(count(&twice), (2 * n, n));
    }

    #[test]
    fn merges_what_two_threads_saw() {
        let all = values(3 * FILL, 100_000, 11);
        let expected = all.iter().collect::<HashSet<_>>().len() as u64;
        let (left, right) = all.split_at(all.len() / 3);
        let mut a = DistinctValues::default();
        let mut b = DistinctValues::default();
        for chunk in left.chunks(5000) {
            a.update(&Int64Array::from(chunk.to_vec()), Family::Integer);
        }
        for chunk in right.chunks(5000) {
            b.update(&Int64Array::from(chunk.to_vec()), Family::Integer);
        }
        let unsettled = {
            let mut a = a.clone();
            a.merge(b.clone());
            a.counts_so_far()
        };
        assert_eq!(unsettled, (all.len() as u64, expected));
        a.settle();
        b.settle();
        assert!(a.narrow.parts.iter().all(|part| part.runs.len() <= 1 && part.pending.is_empty()));
        a.merge(b);
        assert_eq!(a.counts_so_far(), (all.len() as u64, expected));
        // Merging into an empty set gives the same.
        let mut empty = DistinctValues::default();
        empty.merge(a);
        assert_eq!(empty.counts_so_far(), (all.len() as u64, expected));
    }

    #[test]
    fn counts_strings_and_skips_nulls() {
        let array = StringArray::from(vec![Some("a"), None, Some("b"), Some("a"), None, Some("")]);
        let mut set = DistinctValues::default();
        set.update(&array, Family::Text);
        assert_eq!(set.counts_so_far(), (4, 3));
    }

    #[test]
    fn keeps_runs_geometric() {
        let all: Vec<i64> = values(16 * FILL, u64::MAX, 3);
        let mut set = DistinctValues::default();
        for chunk in all.chunks(FILL) {
            set.update(&Int64Array::from(chunk.to_vec()), Family::Integer);
        }
        for part in &set.narrow.parts {
            let runs = &part.runs;
            assert!(runs.len() <= 8, "{} runs", runs.len());
            assert!(runs.windows(2).all(|w| w[0].len() > 2 * w[1].len()));
        }
    }
}
