//! The quantile sketch of a numeric or temporal column: a KLL sketch of its finite values, fed
//! batches of few distinct values as counted pairs, and read out as quantiles and a histogram.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use profiler_crds::{ColumnProfile, Distribution, HistogramBin, Quantile};

use super::kll::{KllDoublesSketch, SortedView};
use super::{decode, image};
use crate::error::EngineError;
use crate::few_values::FewValues;
use crate::options::QUANTILE_RANKS;

/// Quantile sketch (KLL over f64) of finite values.
#[derive(Debug, Clone)]
pub struct QuantileSketch {
    kll: KllDoublesSketch,
    /// Counting table for batches of few distinct values.
    few: FewValues,
    /// The counted values of the last such batch.
    counted: Vec<(f64, u64)>,
}

impl QuantileSketch {
    /// An empty sketch with accuracy parameter `k`.
    pub fn new(k: u16) -> Result<Self, EngineError> {
        Ok(Self::of(KllDoublesSketch::new(k)?))
    }

    fn of(kll: KllDoublesSketch) -> Self {
        Self { kll, few: FewValues::default(), counted: Vec::new() }
    }

    /// Smallest value added, None when empty.
    pub fn min(&self) -> Option<f64> {
        self.kll.min()
    }

    /// Largest value added, None when empty.
    pub fn max(&self) -> Option<f64> {
        self.kll.max()
    }

    /// Adds values; NaN is ignored (callers count it apart). A batch whose distinct values each
    /// stand for 16 values or more on average (and number at most [`crate::few_values::MAX_DISTINCT`])
    /// enters as those values with their counts, in one merge.
    pub fn update_slice(&mut self, values: &[f64]) {
        let limit = values.len() / 16;
        if limit > 0 && self.few.count(values, limit, &mut self.counted) {
            self.kll.update_weighted(&self.counted);
        } else {
            self.kll.update_slice(values);
        }
    }

    /// Number of values the sketch has seen.
    pub fn n(&self) -> u64 {
        self.kll.n()
    }

    /// The retained values in order with their cumulative weights: the sketch's normalized rank
    /// function (CDF) and quantiles, read-only (the comparison of two profiles uses it).
    pub fn sorted_view(&self) -> SortedView {
        self.kll.sorted_view()
    }

    /// Folds `other` into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        self.kll.merge(&other.kll)
    }

    /// Quantiles at [`QUANTILE_RANKS`] and `bins` equal-width bins over [min, max]; `label`
    /// renders a value for display. None when the sketch is empty.
    pub fn distribution(&self, bins: usize, label: &dyn Fn(f64) -> String) -> Option<Distribution> {
        let min = self.kll.min()?;
        let max = self.kll.max()?;
        let values = self.kll.quantiles(&QUANTILE_RANKS)?;
        let quantiles = QUANTILE_RANKS
            .iter()
            .zip(values)
            .map(|(&rank, value)| Quantile { rank, value, label: label(value) })
            .collect();
        Some(Distribution {
            quantiles,
            histogram: self.histogram(min, max, bins),
            histogram_exact: false,
            rank_error: self.kll.normalized_rank_error(),
        })
    }

    fn histogram(&self, min: f64, max: f64, bins: usize) -> Vec<HistogramBin> {
        let n = self.kll.n();
        let width = (max - min) / bins as f64;
        if width.is_nan() || width <= 0.0 || !width.is_finite() {
            return vec![HistogramBin { lower: min, upper: max, count: n }];
        }
        let edges: Vec<f64> = (0..=bins).map(|i| if i == bins { max } else { min + width * i as f64 }).collect();
        // Interior edges split the bins; values < edge fall left of it.
        let mut splits: Vec<f64> = Vec::with_capacity(bins);
        for &e in &edges[1..bins] {
            if !e.is_nan() && splits.last().is_none_or(|&last| last < e) {
                splits.push(e);
            }
        }
        let cdf = match self.kll.cdf(&splits) {
            Some(cdf) if cdf.len() == bins => cdf,
            _ => return vec![HistogramBin { lower: min, upper: max, count: n }],
        };
        let mut previous = 0u64;
        (0..bins)
            .map(|i| {
                let cumulative = if i + 1 == bins { n } else { (cdf[i] * n as f64).round() as u64 };
                let count = cumulative.saturating_sub(previous);
                previous = previous.max(cumulative);
                HistogramBin { lower: edges[i], upper: edges[i + 1], count }
            })
            .collect()
    }

    /// Standard KLL (double) image, base64.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.kll.serialize())
    }

    /// Reads an image written by [`Self::to_base64`] (or any DataSketches KLL double sketch).
    pub fn from_base64(column: &str, text: &str) -> Result<Self, EngineError> {
        let kll = KllDoublesSketch::deserialize(column, &decode(column, "kll", text)?)?;
        Ok(Self::of(kll))
    }

    /// Reads the sketch stored in a column profile.
    pub fn from_profile(profile: &ColumnProfile) -> Result<Self, EngineError> {
        Self::from_base64(&profile.name, image(profile, "kll")?)
    }
}
