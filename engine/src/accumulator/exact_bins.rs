//! Exact histogram counts of a numeric column over edges fixed before the scan (the source's
//! statistics bound the column's values): each finite value is counted in its equal-width bin in
//! the same pass. A value outside the bounds (statistics that did not hold) gives the exactness
//! up, and the histogram is read from the quantile sketch instead.

use profiler_crds::HistogramBin;

/// Counts per equal-width bin over `[lower, upper]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactBins {
    /// Bin edges: `lower`, interior edges, `upper` (bins + 1 of them).
    edges: Vec<f64>,
    /// Bins per unit of value.
    scale: f64,
    counts: Vec<u64>,
}

impl ExactBins {
    /// Empty bins over `[lower, upper]`; None when the bounds give no bins (not finite, or
    /// `upper <= lower`) or `bins` is 0.
    pub fn new(lower: f64, upper: f64, bins: usize) -> Option<Self> {
        let width = (upper - lower) / bins as f64;
        let usable = bins > 0 && lower.is_finite() && upper.is_finite() && width.is_finite() && width > 0.0;
        if !usable {
            return None;
        }
        let edges = (0..=bins).map(|i| if i == bins { upper } else { lower + width * i as f64 }).collect();
        Some(Self { edges, scale: bins as f64 / (upper - lower), counts: vec![0; bins] })
    }

    /// The bins of a profile's exact histogram, when they are bins [`Self::new`] makes.
    pub fn restore(histogram: &[HistogramBin]) -> Option<Self> {
        let (first, last) = (histogram.first()?, histogram.last()?);
        let mut bins = Self::new(first.lower, last.upper, histogram.len())?;
        let same_edges =
            histogram.iter().enumerate().all(|(i, b)| b.lower == bins.edges[i] && b.upper == bins.edges[i + 1]);
        if !same_edges {
            return None;
        }
        bins.counts = histogram.iter().map(|b| b.count).collect();
        Some(bins)
    }

    /// Counts finite `values`; false (nothing counted) when one lies outside the bounds.
    pub fn add(&mut self, values: &[f64]) -> bool {
        let (lower, upper) = (self.edges[0], self.edges[self.edges.len() - 1]);
        let inside = values.iter().fold(true, |all, &x| all & (x >= lower) & (x <= upper));
        if !inside {
            return false;
        }
        let last = self.counts.len() - 1;
        for &x in values {
            // Within the bounds the product lies in [0, bins]: a u32 holds it, and converting to
            // one takes a third of the instructions of a usize.
            let mut i = (((x - lower) * self.scale) as u32 as usize).min(last);
            // The published edges decide, not the rounding of the product.
            if x < self.edges[i] {
                i -= 1;
            } else if i < last && x >= self.edges[i + 1] {
                i += 1;
            }
            self.counts[i] += 1;
        }
        true
    }

    /// Adds `other`'s counts; false when its edges differ.
    pub fn merge(&mut self, other: &Self) -> bool {
        if self.edges != other.edges {
            return false;
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        true
    }

    /// The histogram.
    pub fn histogram(&self) -> Vec<HistogramBin> {
        self.counts
            .iter()
            .enumerate()
            .map(|(i, &count)| HistogramBin { lower: self.edges[i], upper: self.edges[i + 1], count })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_value_in_its_bin_with_the_upper_edge_in_the_last() {
        let mut bins = ExactBins::new(0.0, 10.0, 4).unwrap();
        assert!(bins.add(&[0.0, 2.4999, 2.5, 5.0, 7.4, 7.5, 10.0, 10.0]));
        let counts: Vec<u64> = bins.histogram().iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![2, 1, 2, 3]);
        assert_eq!(bins.histogram()[3].upper, 10.0);
    }

    #[test]
    fn a_value_out_of_bounds_counts_nothing() {
        let mut bins = ExactBins::new(0.0, 1.0, 2).unwrap();
        assert!(!bins.add(&[0.5, 1.5]));
        assert!(!bins.add(&[f64::NAN]));
        assert!(bins.histogram().iter().all(|b| b.count == 0));
    }

    #[test]
    fn edges_that_cannot_hold_bins_make_none() {
        assert!(ExactBins::new(1.0, 1.0, 4).is_none());
        assert!(ExactBins::new(0.0, f64::INFINITY, 4).is_none());
        assert!(ExactBins::new(0.0, 1.0, 0).is_none());
    }

    #[test]
    fn restores_and_merges_only_over_the_same_edges() {
        let mut a = ExactBins::new(-3.0, 7.0, 3).unwrap();
        assert!(a.add(&[-3.0, 0.5, 6.9]));
        let mut restored = ExactBins::restore(&a.histogram()).unwrap();
        assert_eq!(restored, a);
        assert!(restored.merge(&a));
        assert_eq!(restored.histogram().iter().map(|b| b.count).sum::<u64>(), 6);
        assert!(!restored.merge(&ExactBins::new(-3.0, 8.0, 3).unwrap()));
        let mut moved = a.histogram();
        moved[1].lower += 0.25;
        assert!(ExactBins::restore(&moved).is_none());
    }

    #[test]
    fn counts_agree_with_edges_across_rounding() {
        // Edges such as 0.1 * i are not exact in f64; every value is counted where the published
        // edges put it.
        let mut bins = ExactBins::new(0.0, 1.0, 10).unwrap();
        let values: Vec<f64> = (0..=1000).map(|i| i as f64 / 1000.0).collect();
        assert!(bins.add(&values));
        for bin in bins.histogram().iter().take(9) {
            let expected = values.iter().filter(|&&x| x >= bin.lower && x < bin.upper).count() as u64;
            assert_eq!(bin.count, expected, "{bin:?}");
        }
    }
}
