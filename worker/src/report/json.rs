//! `profile.json` and the JSON Schema of the document.

use std::path::Path;

use profiler_crds::{PROFILE_FORMAT_VERSION, TableProfile};

use crate::error::WorkerError;

/// Writes `profile` as pretty JSON to `path`.
pub fn write(profile: &TableProfile, path: &Path) -> Result<(), WorkerError> {
    let text = serde_json::to_string_pretty(profile)
        .map_err(|e| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() })?;
    std::fs::write(path, text + "\n")
        .map_err(|e| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() })
}

/// Reads a profile document, refusing format versions this build does not know.
pub fn read(path: &Path) -> Result<TableProfile, WorkerError> {
    let bad = |reason: String| WorkerError::BadProfile { path: path.to_path_buf(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    match value.get("formatVersion").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(PROFILE_FORMAT_VERSION) => {}
        Some(v) => {
            return Err(bad(format!(
                "format version {v} is not supported (this build reads {PROFILE_FORMAT_VERSION})"
            )));
        }
        None => return Err(bad("no formatVersion field".into())),
    }
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

/// The JSON Schema (draft 2020-12) of `profile.json`, generated from the Rust types.
pub fn schema() -> String {
    let schema = schemars::schema_for!(TableProfile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
