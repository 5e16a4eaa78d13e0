//! Distances between two distributions given by KLL sketches: the Kolmogorov–Smirnov statistic,
//! the population stability index over A's deciles, and both CDFs on a common grid for plots.

use profiler_crds::ColumnProfile;

use crate::sketch::{QuantileSketch, SortedView};

/// Bins of the population stability index: A's deciles.
pub const PSI_BINS: usize = 10;

/// The fraction a bin is given in the population stability index when a side has no value in it
/// (ln 0 is undefined).
pub const PSI_EPSILON: f64 = 1e-4;

/// Kolmogorov–Smirnov statistic `max |F_A(x) − F_B(x)|` over the union of both sketches'
/// retained values, `F` being each sketch's normalized rank function (inclusive: the fraction of
/// values at or below `x`). Both CDFs are step functions that only step at retained values, so
/// the maximum over those points is the maximum over every `x`. In [0, 1].
#[cfg(test)]
pub fn ks(a: &SortedView, b: &SortedView) -> f64 {
    ks_at(a, b).distance
}

/// Where the two CDFs are farthest apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KsPoint {
    /// The Kolmogorov–Smirnov statistic.
    pub distance: f64,
    /// The value where it is reached (the first such value).
    pub x: f64,
    /// `F_A(x)`.
    pub a: f64,
    /// `F_B(x)`.
    pub b: f64,
}

/// [`ks`] with the value where it is reached and both CDFs there.
pub fn ks_at(a: &SortedView, b: &SortedView) -> KsPoint {
    let mut best = KsPoint { distance: 0.0, x: f64::NAN, a: 0.0, b: 0.0 };
    for &x in a.items().iter().chain(b.items()) {
        let (fa, fb) = (a.rank_at_most(x), b.rank_at_most(x));
        let distance = (fa - fb).abs();
        if distance > best.distance || best.x.is_nan() || (distance == best.distance && x < best.x) {
            best = KsPoint { distance, x, a: fa, b: fb };
        }
    }
    best
}

/// Population stability index `Σ (p_B − p_A) · ln(p_B / p_A)` over the bins that A's deciles
/// cut the line into (equal edges merge, so a column of few values has fewer bins); each bin
/// holds the values from its lower edge (included) to the next edge (excluded). A fraction of 0
/// counts as [`PSI_EPSILON`].
#[cfg(test)]
pub fn psi(a: &SortedView, b: &SortedView) -> f64 {
    psi_bins(a, b).iter().map(PsiBin::term).sum()
}

/// One bin of the population stability index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PsiBin {
    /// Lower edge (included); None for the first bin.
    pub lower: Option<f64>,
    /// Upper edge (excluded); None for the last bin.
    pub upper: Option<f64>,
    /// Fraction of A's values in the bin (at least [`PSI_EPSILON`]).
    pub a: f64,
    /// Fraction of B's values in the bin (at least [`PSI_EPSILON`]).
    pub b: f64,
}

impl PsiBin {
    /// The bin's term of the index.
    pub fn term(&self) -> f64 {
        (self.b - self.a) * (self.b / self.a).ln()
    }
}

/// The bins of [`psi`], in order.
pub fn psi_bins(a: &SortedView, b: &SortedView) -> Vec<PsiBin> {
    let mut edges: Vec<f64> = (1..PSI_BINS).map(|i| a.quantile(i as f64 / PSI_BINS as f64)).collect();
    edges.dedup();
    let fractions = |v: &SortedView| {
        let mut previous = 0.0;
        edges
            .iter()
            .map(|&e| v.rank_below(e))
            .chain([1.0])
            .map(|cumulative| {
                let fraction = (cumulative - previous).max(0.0);
                previous = cumulative;
                fraction.max(PSI_EPSILON)
            })
            .collect::<Vec<f64>>()
    };
    let (fa, fb) = (fractions(a), fractions(b));
    (0..fa.len())
        .map(|i| PsiBin { lower: i.checked_sub(1).map(|j| edges[j]), upper: edges.get(i).copied(), a: fa[i], b: fb[i] })
        .collect()
}

/// Both columns' distribution functions, from their KLL sketches, on one grid of values.
#[derive(Debug, Clone, PartialEq)]
pub struct CdfOverlay {
    /// Evenly spaced values from the smaller minimum to the larger maximum of both columns (raw
    /// values for temporal columns).
    pub x: Vec<f64>,
    /// Fraction of A's values at or below each `x`.
    pub a: Vec<f64>,
    /// Fraction of B's values at or below each `x`.
    pub b: Vec<f64>,
}

/// The CDFs of two columns' KLL sketches at `points` values (at least 2) spanning both; None
/// when either column has no readable, non-empty sketch.
pub fn cdf_overlay(a: &ColumnProfile, b: &ColumnProfile, points: usize) -> Option<CdfOverlay> {
    let sketch = |c: &ColumnProfile| QuantileSketch::from_profile(c).ok().filter(|s| s.n() > 0);
    let (sa, sb) = (sketch(a)?, sketch(b)?);
    let low = sa.min()?.min(sb.min()?);
    let high = sa.max()?.max(sb.max()?);
    let points = points.max(2);
    let step = (high - low) / (points - 1) as f64;
    let x: Vec<f64> = (0..points).map(|i| if i + 1 == points { high } else { low + step * i as f64 }).collect();
    let (va, vb) = (sa.sorted_view(), sb.sorted_view());
    Some(CdfOverlay {
        a: x.iter().map(|&v| va.rank_at_most(v)).collect(),
        b: x.iter().map(|&v| vb.rank_at_most(v)).collect(),
        x,
    })
}
