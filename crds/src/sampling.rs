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

/// What a reservoir sampling lacks or has too much of (the CRD's message too).
pub const RESERVOIR_FIELDS: &str = "reservoir sampling takes size and seed";
/// What a Bernoulli sampling lacks or has too much of (the CRD's message too).
pub const BERNOULLI_FIELDS: &str = "bernoulli sampling takes fraction and seed";
/// What a full scan must not have (the CRD's message too).
pub const FULL_FIELDS: &str = "full sampling takes no size, fraction or seed";

/// Sampling as a user writes it: every field of every method, so a field the method does not
/// take can be refused instead of ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenSampling {
    method: String,
    size: Option<u64>,
    fraction: Option<f64>,
    seed: Option<u64>,
}

/// Deserializes a [`Sampling`] a user wrote (a ProfileJob, a job document), refusing the fields
/// its method does not take with the CRD's own messages.
pub fn deserialize_written<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Sampling, D::Error> {
    use serde::de::Error;
    let w = WrittenSampling::deserialize(deserializer)?;
    match (w.method.as_str(), w.size, w.fraction, w.seed) {
        ("full", None, None, None) => Ok(Sampling::Full),
        ("full", ..) => Err(D::Error::custom(FULL_FIELDS)),
        ("reservoir", Some(size), None, Some(seed)) => Ok(Sampling::Reservoir { size, seed }),
        ("reservoir", ..) => Err(D::Error::custom(RESERVOIR_FIELDS)),
        ("bernoulli", None, Some(fraction), Some(seed)) => Ok(Sampling::Bernoulli { fraction, seed }),
        ("bernoulli", ..) => Err(D::Error::custom(BERNOULLI_FIELDS)),
        (other, ..) => Err(D::Error::unknown_variant(other, &["full", "reservoir", "bernoulli"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Written(#[serde(deserialize_with = "deserialize_written")] Sampling);

    #[test]
    fn fields_of_another_method_are_refused() {
        for (bad, message) in [
            (r#"{"method": "full", "size": 10}"#, FULL_FIELDS),
            (r#"{"method": "full", "seed": 1}"#, FULL_FIELDS),
            (r#"{"method": "reservoir", "size": 10, "seed": 1, "fraction": 0.5}"#, RESERVOIR_FIELDS),
            (r#"{"method": "reservoir", "size": 10}"#, RESERVOIR_FIELDS),
            (r#"{"method": "bernoulli", "fraction": 0.5, "seed": 1, "size": 3}"#, BERNOULLI_FIELDS),
            (r#"{"method": "systematic"}"#, "unknown variant `systematic`"),
            (r#"{"method": "full", "rows": 1}"#, "unknown field `rows`"),
        ] {
            let error = serde_json::from_str::<Written>(bad).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains(message), "{bad}: {error}");
        }
        let Written(full) = serde_json::from_str(r#"{"method": "full"}"#).unwrap();
        assert_eq!(full, Sampling::Full);
        let Written(reservoir) = serde_json::from_str(r#"{"method": "reservoir", "size": 5, "seed": 0}"#).unwrap();
        assert_eq!(reservoir, Sampling::Reservoir { size: 5, seed: 0 });
    }
}
