//! `check.json`: the result of verifying a rule set, and its JSON Schema.

use std::path::Path;

use profiler_crds::quality::CheckReport;

use crate::error::WorkerError;

/// Writes `report` as pretty JSON to `path`.
pub fn write(report: &CheckReport, path: &Path) -> Result<(), WorkerError> {
    let text = serde_json::to_string_pretty(report)
        .map_err(|e| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() })?;
    std::fs::write(path, text + "\n")
        .map_err(|e| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() })
}

/// The JSON Schema (draft 2020-12) of `check.json`, generated from the Rust types.
pub fn schema() -> String {
    let schema = schemars::schema_for!(CheckReport);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
