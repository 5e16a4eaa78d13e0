//! The sketches the engine keeps per column, over the Apache DataSketches formats: a HyperLogLog
//! for distinct counts (`hll/`), a KLL sketch for quantiles and histograms (our in-place
//! implementation in `kll/`, image-compatible with the DataSketches one, wrapped by
//! `quantiles.rs`), and a frequent-items sketch for top values (`frequent_items.rs`). Each knows
//! how to merge, how to turn itself into the figures of the profile document, and how to travel as
//! base64 inside that document (the helpers here).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use profiler_crds::ColumnProfile;

use crate::error::{EngineError, missing};

mod frequent_items;
mod hll;
mod kll;
mod quantiles;

pub(crate) use frequent_items::TopValuesSketch;
pub(crate) use hll::{DistinctSketch, murmur3_x64_128};
pub(crate) use kll::SortedView;
pub(crate) use quantiles::QuantileSketch;

pub(super) fn decode(column: &str, sketch: &'static str, text: &str) -> Result<Vec<u8>, EngineError> {
    BASE64.decode(text).map_err(|e| EngineError::BadSketch { column: column.to_owned(), sketch, reason: e.to_string() })
}

/// The base64 image of `which` sketch of a column profile, or an error naming what is missing.
pub(super) fn image<'a>(profile: &'a ColumnProfile, which: &'static str) -> Result<&'a str, EngineError> {
    let sketches = &profile.sketches;
    let image = match which {
        "hll" => sketches.hll.as_deref(),
        "kll" => sketches.kll.as_deref(),
        _ => sketches.frequent_items.as_deref(),
    };
    image.ok_or_else(|| missing(profile, &format!("sketches.{which}")))
}

pub(super) fn bad(column: &str, sketch: &'static str, reason: impl ToString) -> EngineError {
    EngineError::BadSketch { column: column.to_owned(), sketch, reason: reason.to_string() }
}

pub(super) fn invalid(name: &'static str, e: impl ToString) -> EngineError {
    EngineError::InvalidOption { name, reason: e.to_string() }
}
