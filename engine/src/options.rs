//! Knobs of a profiling run.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::EngineError;

/// Quantile ranks reported for numeric and temporal columns (p1 .. p99).
pub const QUANTILE_RANKS: [f64; 7] = [0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99];

/// Options that shape the metrics of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileOptions {
    /// Bins of numeric and temporal histograms.
    pub histogram_bins: usize,
    /// Frequent values reported per string or binary column.
    pub top_k: usize,
    /// log2 of the HyperLogLog register count (relative error 1.04 / sqrt(2^lg_k)).
    pub hll_lg_k: u8,
    /// KLL accuracy parameter (rank error about 1.33% at k=200, 0.66% at k=400).
    pub kll_k: u16,
    /// Maximum map size of the frequent-items sketch (a power of two).
    pub frequent_items_map_size: usize,
    /// Bounds of numeric columns known before the scan (the source's statistics), by column
    /// name: their histograms are counted exactly over these bounds instead of read from the
    /// quantile sketch.
    pub histogram_bounds: Arc<HistogramBounds>,
}

/// `[lower, upper]` of columns' values, by column name, known before a scan.
pub type HistogramBounds = BTreeMap<String, (f64, f64)>;

impl Default for ProfileOptions {
    fn default() -> Self {
        Self {
            histogram_bins: 20,
            top_k: 10,
            hll_lg_k: 14,
            kll_k: 400,
            frequent_items_map_size: 1024,
            histogram_bounds: Arc::default(),
        }
    }
}

impl ProfileOptions {
    /// Checks every option is in its allowed range.
    pub fn validate(&self) -> Result<(), EngineError> {
        let bad = |name: &'static str, reason: String| Err(EngineError::InvalidOption { name, reason });
        if !(1..=1000).contains(&self.histogram_bins) {
            return bad("histogram_bins", format!("must be in 1..=1000, got {}", self.histogram_bins));
        }
        if !(1..=1000).contains(&self.top_k) {
            return bad("top_k", format!("must be in 1..=1000, got {}", self.top_k));
        }
        if !(4..=21).contains(&self.hll_lg_k) {
            return bad("hll_lg_k", format!("must be in 4..=21, got {}", self.hll_lg_k));
        }
        if self.kll_k < 8 {
            return bad("kll_k", format!("must be at least 8, got {}", self.kll_k));
        }
        let size = self.frequent_items_map_size;
        if !size.is_power_of_two() || size < 8 || size < 2 * self.top_k {
            return bad("frequent_items_map_size", format!("must be a power of two >= 8 and >= 2 * top_k, got {size}"));
        }
        Ok(())
    }
}
