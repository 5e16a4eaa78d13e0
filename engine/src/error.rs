//! Errors of the profiling engine.

use arrow_schema::DataType;
use profiler_crds::ColumnProfile;

/// What can go wrong while profiling or merging profiles.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// An option is out of range.
    #[error("invalid profile option {name}: {reason}")]
    InvalidOption {
        /// Option name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// A batch does not match the schema the profiler was built for.
    #[error("column {column}: expected type {expected}, found {found} (do all inputs share one schema?)")]
    SchemaMismatch {
        /// Column name.
        column: String,
        /// Type the profiler expected.
        expected: DataType,
        /// Type the batch carries.
        found: DataType,
    },
    /// A batch lacks a column the profiler expects.
    #[error("column {0} is missing from a batch (do all inputs share one schema?)")]
    MissingColumn(String),
    /// Two profiles cannot be merged.
    #[error("cannot merge profiles: {0}")]
    Incompatible(String),
    /// A serialized sketch inside a profile could not be read.
    #[error("column {column}: cannot read its {sketch} sketch: {reason}")]
    BadSketch {
        /// Column name.
        column: String,
        /// Sketch kind (hll, kll, frequentItems).
        sketch: &'static str,
        /// Decoder message.
        reason: String,
    },
    /// A worker thread of a parallel scan panicked.
    #[error("a profiling thread stopped unexpectedly: {0}")]
    ThreadPanicked(String),
}

/// The error for a profile that lacks a block needed to merge it.
pub(crate) fn missing(profile: &ColumnProfile, field: &str) -> EngineError {
    EngineError::Incompatible(format!("column {} has no {field} (was it written in metadata mode?)", profile.name))
}
