//! The profiling engine of profiler-operator.
//!
//! Streams Arrow record batches through per-column accumulators chosen by Arrow type (numbers,
//! temporal values, strings and binary, booleans, lists; struct fields become dotted columns) and
//! produces the [`profiler_crds::TableProfile`] document. Accumulators merge, so a table can be
//! profiled in parallel partitions ([`scan`]) and two saved profiles can be combined
//! ([`merge_profiles`]).

mod accumulator;
pub mod alerts;
pub mod compare;
mod content_type;
mod error;
mod few_values;
mod fxhash;
mod lanes;
mod merge;
mod options;
pub mod quality;
mod sample;
mod scan;
mod sketch;
mod table;

pub use accumulator::decimal::{DecimalError, ExactDecimal, normalize as normalize_decimal};
pub use accumulator::{ColumnAccumulator, column_kind, hex};
pub use alerts::{AlertThresholds, alerts, alerts_with};
pub use compare::{CdfOverlay, CompareError, cdf_overlay, compare};
pub use content_type::classify as classify_content;
pub use error::EngineError;
pub use merge::merge_profiles;
pub use options::{HistogramBounds, ProfileOptions, QUANTILE_RANKS};
pub use scan::{Partition, ScanOutput, ScanPlan, scan, scan_with};
pub use table::TableProfiler;

/// Version of the engine, written into every profile.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
