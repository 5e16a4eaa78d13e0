//! Alerts: what a profile alone says is worth a look (a constant column, mostly nulls, a likely
//! key, a skewed distribution, ...), in the manner of ydata-profiling's alerts.
//!
//! The engine computes them from the finished profile (`profiler_engine::alerts`); each names the
//! figure of the profile that triggered it and the threshold that figure crossed. The thresholds'
//! defaults are documented in `docs/profile-schema.md`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One alert of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// What the profile shows.
    pub kind: AlertKind,
    /// The column; absent for table-level alerts (`sampled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The figure that triggered the alert (see `kind` for what it measures).
    pub figure: f64,
    /// The threshold the figure reached (see `kind` for the comparison).
    pub threshold: f64,
    /// The alert in one sentence.
    pub message: String,
}

/// Kind of alert. Each names its figure and how the figure is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum AlertKind {
    /// Every value is null (figure: null fraction, equal to the threshold 1).
    AllNull,
    /// Most values are null (figure: null fraction, above the threshold).
    MostlyNull,
    /// One distinct non-null value (figure: distinct values, at most the threshold 1).
    Constant,
    /// The distinct estimate's bounds include the non-null count: every value is likely distinct,
    /// a candidate key (figure: distinct estimate; threshold: the non-null count its bounds
    /// include).
    Unique,
    /// A string column with many distinct values (figure: distinct estimate, above the threshold).
    HighCardinality,
    /// Few categories with very unequal counts (figure: ydata-profiling's imbalance
    /// `1 − H / ln k` of the `k` categories' entropy `H`, above the threshold).
    Imbalanced,
    /// An asymmetric numeric distribution (figure: quantile skewness
    /// `(p95 + p5 − 2·p50) / (p95 − p5)` in [−1, 1], its absolute value above the threshold).
    Skewed,
    /// Many values equal to zero (figure: zero fraction of the non-null values, above the
    /// threshold).
    Zeros,
    /// Infinite values (figure: fraction of the non-null values that are ±infinity, above the
    /// threshold).
    Infinite,
    /// Empty strings (figure: fraction of the non-null values that are empty, above the
    /// threshold).
    EmptyStrings,
    /// Strings of several content types, e.g. numbers with stray text (figure: fraction of the
    /// non-empty values outside the most common content type family, above the threshold).
    MixedTypes,
    /// Metadata-mode min/max of a string or binary column, which writers may truncate (figure:
    /// length of the longer bound in characters, bytes for binary, at least the threshold).
    TruncatedBounds,
    /// The profile describes a sample (figure: rows profiled / rows read, below the threshold 1).
    Sampled,
}

impl AlertKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [AlertKind; 13] = [
        AlertKind::AllNull,
        AlertKind::MostlyNull,
        AlertKind::Constant,
        AlertKind::Unique,
        AlertKind::HighCardinality,
        AlertKind::Imbalanced,
        AlertKind::Skewed,
        AlertKind::Zeros,
        AlertKind::Infinite,
        AlertKind::EmptyStrings,
        AlertKind::MixedTypes,
        AlertKind::TruncatedBounds,
        AlertKind::Sampled,
    ];

    /// Name as serialized (camelCase).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::AllNull => "allNull",
            AlertKind::MostlyNull => "mostlyNull",
            AlertKind::Constant => "constant",
            AlertKind::Unique => "unique",
            AlertKind::HighCardinality => "highCardinality",
            AlertKind::Imbalanced => "imbalanced",
            AlertKind::Skewed => "skewed",
            AlertKind::Zeros => "zeros",
            AlertKind::Infinite => "infinite",
            AlertKind::EmptyStrings => "emptyStrings",
            AlertKind::MixedTypes => "mixedTypes",
            AlertKind::TruncatedBounds => "truncatedBounds",
            AlertKind::Sampled => "sampled",
        }
    }

    /// Short label for reports, e.g. "mostly null".
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::AllNull => "all null",
            AlertKind::MostlyNull => "mostly null",
            AlertKind::Constant => "constant",
            AlertKind::Unique => "likely unique",
            AlertKind::HighCardinality => "high cardinality",
            AlertKind::Imbalanced => "imbalanced",
            AlertKind::Skewed => "skewed",
            AlertKind::Zeros => "zeros",
            AlertKind::Infinite => "infinite",
            AlertKind::EmptyStrings => "empty strings",
            AlertKind::MixedTypes => "mixed types",
            AlertKind::TruncatedBounds => "truncated bounds",
            AlertKind::Sampled => "sampled",
        }
    }

    /// The kind whose serialized name is `name`.
    pub fn parse(name: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Number of alerts of each kind present in `alerts`, in [`AlertKind::ALL`] order.
pub fn alert_counts(alerts: &[Alert]) -> Vec<(AlertKind, usize)> {
    AlertKind::ALL
        .into_iter()
        .map(|k| (k, alerts.iter().filter(|a| a.kind == k).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for kind in AlertKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::Value::String(kind.as_str().into()));
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
        }
    }
}
