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
pub fn ks(a: &SortedView, b: &SortedView) -> f64 {
    a.items().iter().chain(b.items()).map(|&x| (a.rank_at_most(x) - b.rank_at_most(x)).abs()).fold(0.0, f64::max)
}

/// Population stability index `Σ (p_B − p_A) · ln(p_B / p_A)` over the bins that A's deciles
/// cut the line into (equal edges merge, so a column of few values has fewer bins); each bin
/// holds the values from its lower edge (included) to the next edge (excluded). A fraction of 0
/// counts as [`PSI_EPSILON`].
pub fn psi(a: &SortedView, b: &SortedView) -> f64 {
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
    fractions(a).into_iter().zip(fractions(b)).map(|(pa, pb)| (pb - pa) * (pb / pa).ln()).sum()
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
