//! Counts the distinct values of a batch when there are few of them, so a sketch can take each
//! value once with its count (quantities, codes, ratings, flags stored as numbers).

/// Most distinct values a batch may have to be counted.
pub const MAX_DISTINCT: usize = 256;
/// Slots of the counting table: a power of two, four times [`MAX_DISTINCT`], so probe runs stay
/// short.
const SLOTS: usize = 4 * MAX_DISTINCT;

/// A reusable open-addressing table from the bits of `f64` values to their counts.
#[derive(Debug, Clone)]
pub struct FewValues {
    keys: Box<[u64; SLOTS]>,
    /// Zero marks a free slot.
    counts: Box<[u64; SLOTS]>,
    /// Slots in use, in first-seen order.
    used: Vec<u16>,
}

impl Default for FewValues {
    fn default() -> Self {
        Self { keys: Box::new([0; SLOTS]), counts: Box::new([0; SLOTS]), used: Vec::with_capacity(MAX_DISTINCT) }
    }
}

impl FewValues {
    /// Counts `values` by their bits into `out` (value, count), in first-seen order. False, with
    /// `out` unspecified, as soon as more than `limit` (at most [`MAX_DISTINCT`]) distinct values
    /// appear: most columns stop after a few hundred values.
    pub fn count(&mut self, values: &[f64], limit: usize, out: &mut Vec<(f64, u64)>) -> bool {
        let limit = limit.min(MAX_DISTINCT);
        let mut few = true;
        for &v in values {
            let bits = v.to_bits();
            let mut slot = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize;
            while self.counts[slot] != 0 && self.keys[slot] != bits {
                slot = (slot + 1) % SLOTS;
            }
            if self.counts[slot] == 0 {
                if self.used.len() == limit {
                    few = false;
                    break;
                }
                self.keys[slot] = bits;
                self.used.push(slot as u16);
            }
            self.counts[slot] += 1;
        }
        out.clear();
        for slot in self.used.drain(..) {
            let slot = usize::from(slot);
            out.push((f64::from_bits(self.keys[slot]), self.counts[slot]));
            self.counts[slot] = 0;
        }
        few
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn counts_match_a_map_and_stop_past_the_limit() {
        let mut table = FewValues::default();
        let mut out = Vec::new();
        let values: Vec<f64> = (0..50_000u64).map(|i| ((i * 7919) % 97) as f64 - 10.5).chain([0.0, -0.0]).collect();
        assert!(table.count(&values, 256, &mut out));
        let mut expected: HashMap<u64, u64> = HashMap::new();
        values.iter().for_each(|v| *expected.entry(v.to_bits()).or_default() += 1);
        assert_eq!(out.len(), expected.len(), "signed zeros are two values");
        for (v, c) in &out {
            assert_eq!(expected[&v.to_bits()], *c, "{v}");
        }
        assert_eq!(out[0], (values[0], expected[&values[0].to_bits()]), "first seen first");

        let many: Vec<f64> = (0..1000).map(f64::from).collect();
        assert!(!table.count(&many, 256, &mut out));
        assert!(!table.count(&values, 50, &mut out), "97 distinct values are more than 50");
        // The table is clean after a refusal: a second count is exact again.
        assert!(table.count(&values[..10], 256, &mut out));
        assert_eq!(out.iter().map(|(_, c)| c).sum::<u64>(), 10);
        assert!(table.count(&[], 256, &mut out) && out.is_empty());
    }
}
