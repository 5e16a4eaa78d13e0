//! The short forms of a profile and of a comparison that the tools return: what an agent reads
//! first, with the path of the full document for the rest.

use profiler_crds::{ColumnKind, DriftSummary, Finding, ProfileComparison, TableProfile};
use schemars::JsonSchema;
use serde::Serialize;

/// Findings a `diff` result lists; the rest are counted in `findingsOmitted`.
pub const MAX_FINDINGS: usize = 100;

/// A profile's headline figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    /// The source as the profile names it.
    pub source: String,
    /// Path of the profile.json written (the full document: quantiles, histograms, top values).
    pub profile_json: String,
    /// Path of the HTML report written beside it.
    pub report_html: String,
    /// Rows profiled.
    pub rows: u64,
    /// Rows read (more than `rows` when sampled).
    pub rows_read: u64,
    /// Number of profiled columns.
    pub column_count: u64,
    /// `scan` (data read) or `metadata` (table metadata only).
    pub mode: String,
    /// Wall-clock duration of the run in milliseconds.
    pub duration_ms: u64,
    /// Per-column headline figures, in schema order.
    pub columns: Vec<ColumnHeadline>,
    /// What the profile shows that is worth a look (as profile.json's `alerts`), when the
    /// profiler computes alerts.
    pub alerts: Vec<serde_json::Value>,
}

/// One column's headline figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ColumnHeadline {
    /// Column name (`parent.child` for struct fields).
    pub name: String,
    /// Arrow data type.
    pub data_type: String,
    /// Broad family of the type.
    pub kind: ColumnKind,
    /// Rows without a value.
    pub nulls: u64,
    /// `nulls / rows`.
    pub null_fraction: f64,
    /// Approximate distinct non-null values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<f64>,
    /// Smallest value, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Largest value, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Mean of a numeric column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
}

impl ProfileSummary {
    /// The summary of `profile`, written to `profile_json` and `report_html`.
    pub fn of(profile: &TableProfile, profile_json: String, report_html: String) -> Self {
        let columns = profile
            .columns
            .iter()
            .map(|c| ColumnHeadline {
                name: c.name.clone(),
                data_type: c.data_type.clone(),
                kind: c.kind,
                nulls: c.nulls,
                null_fraction: finite(Some(c.null_fraction)).unwrap_or(0.0),
                distinct: finite(c.distinct.as_ref().map(|d| d.estimate)),
                min: c.min.clone(),
                max: c.max.clone(),
                mean: finite(c.numeric.as_ref().and_then(|n| n.mean)),
            })
            .collect();
        Self {
            source: profile.source.location.clone(),
            profile_json,
            report_html,
            rows: profile.row_count,
            rows_read: profile.sampling.rows_read,
            column_count: profile.column_count,
            mode: enum_name(&profile.mode),
            duration_ms: profile.duration_ms,
            columns,
            alerts: alerts_of(profile),
        }
    }
}

/// What a comparison found.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiffSummary {
    /// The baseline profile (A).
    pub baseline: String,
    /// The profile compared with it (B).
    pub current: String,
    /// Findings per severity, the highest severity, the drifted columns.
    pub summary: DriftSummary,
    /// The findings, most severe first (at most 100).
    pub findings: Vec<Finding>,
    /// Findings beyond the first 100 (they are all in diff.json).
    pub findings_omitted: usize,
    /// Remarks on the comparison as a whole (different tables, sampled profiles).
    pub notes: Vec<String>,
    /// Path of the diff.json written, when the server has an output directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_json: Option<String>,
}

impl DiffSummary {
    /// The summary of `comparison` between the profiles at `baseline` and `current`.
    pub fn of(comparison: &ProfileComparison, baseline: String, current: String, diff_json: Option<String>) -> Self {
        Self {
            baseline,
            current,
            summary: comparison.summary.clone(),
            findings: comparison.findings.iter().take(MAX_FINDINGS).cloned().collect(),
            findings_omitted: comparison.findings.len().saturating_sub(MAX_FINDINGS),
            notes: comparison.notes.clone(),
            diff_json,
        }
    }
}

/// The profile's `alerts` as profile.json writes them (none when the document has no such field).
fn alerts_of(profile: &TableProfile) -> Vec<serde_json::Value> {
    match serde_json::to_value(profile) {
        Ok(serde_json::Value::Object(mut document)) => match document.remove("alerts") {
            Some(serde_json::Value::Array(alerts)) => alerts,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A unit enum's serialized name (`scan`, `metadata`).
fn enum_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// JSON has no NaN or infinity: such figures are left out.
fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|x| x.is_finite())
}
