//! How many of a table's rows a run profiles.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The sampling a run is asked to use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(tag = "method", rename_all = "camelCase")]
pub enum Sampling {
    /// Every row is profiled.
    #[default]
    Full,
    /// A uniform random sample of exactly `size` rows (or all rows when the table is smaller),
    /// chosen without replacement.
    Reservoir {
        /// Rows to keep.
        size: u64,
        /// Seed of the row selection; the same seed over the same data picks the same rows.
        seed: u64,
    },
    /// Each row is kept independently with probability `fraction`.
    Bernoulli {
        /// Probability of keeping a row, in (0, 1].
        fraction: f64,
        /// Seed of the row selection; the same seed over the same data picks the same rows.
        seed: u64,
    },
}

/// What sampling a finished run used and how many rows it touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SamplingReport {
    /// The sampling that was requested and applied.
    #[serde(flatten)]
    pub sampling: Sampling,
    /// Rows read from the source (all rows scanned, before sampling).
    pub rows_read: u64,
    /// Rows that went into the profile (after sampling).
    pub rows_profiled: u64,
}
