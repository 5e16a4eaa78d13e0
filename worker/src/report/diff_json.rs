//! `diff.json`, the comparison of two profiles, and the JSON Schema of that document.

use std::path::Path;

use profiler_crds::{COMPARISON_FORMAT_VERSION, ProfileComparison};

use crate::error::WorkerError;

/// Writes `comparison` as pretty JSON to `path`.
pub fn write(comparison: &ProfileComparison, path: &Path) -> Result<(), WorkerError> {
    let output = |reason: String| WorkerError::Output { path: path.to_path_buf(), reason };
    let text = serde_json::to_string_pretty(comparison).map_err(|e| output(e.to_string()))?;
    std::fs::write(path, text + "\n").map_err(|e| output(e.to_string()))
}

/// Reads a comparison document, refusing format versions this build does not know.
pub fn read(path: &Path) -> Result<ProfileComparison, WorkerError> {
    let bad = |reason: String| {
        WorkerError::InvalidRequest(format!("{}: not a comparison document: {reason}", path.display()))
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    match value.get("formatVersion").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(COMPARISON_FORMAT_VERSION) => {}
        Some(v) => {
            return Err(bad(format!(
                "format version {v} is not supported (this build reads {COMPARISON_FORMAT_VERSION})"
            )));
        }
        None => return Err(bad("no formatVersion field".into())),
    }
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

/// The JSON Schema (draft 2020-12) of `diff.json`, generated from the Rust types.
pub fn schema() -> String {
    let schema = schemars::schema_for!(ProfileComparison);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
