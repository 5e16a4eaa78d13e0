//! A task's comparison of its profile with the job's baseline (`spec.drift.baseline`): the
//! baseline profile.json is read from S3, compared by the engine, and the comparison written
//! beside the run's profile as diff.json and diff.html. A baseline that cannot be read or
//! compared does not fail the run; the result says why nothing was compared.

use profiler_crds::comparison::ProfileComparison;
use profiler_crds::drift::DriftSpec;
use profiler_crds::{DriftResult, TableProfile};
use profiler_engine::compare::compare;
use tracing::{info, warn};

use crate::error::WorkerError;
use crate::report::diff_html;
use crate::sink::s3::S3Sink;
use crate::source::s3_storage::read_object;

/// What came of comparing with the baseline.
pub struct DriftOutcome {
    /// The comparison document (diff.json), when one was made.
    pub comparison: Option<ProfileComparison>,
    /// What the job's result says about it.
    pub result: DriftResult,
}

/// A job's drift baseline (`spec.drift`): its URI and thresholds, and the profile read from it
/// or why it could not be read. An incremental run builds on the same profile.
pub struct Baseline<'a> {
    /// The job's drift spec.
    pub spec: &'a DriftSpec,
    /// The baseline profile.json's URI.
    pub uri: &'a str,
    /// The baseline profile, or why it cannot be had.
    pub profile: Result<TableProfile, String>,
}

impl<'a> Baseline<'a> {
    /// Reads the baseline of `spec` from S3; None when the job has no baseline.
    pub async fn read(client: &aws_sdk_s3::Client, spec: Option<&'a DriftSpec>) -> Option<Baseline<'a>> {
        let (spec, uri) = spec.and_then(|s| s.baseline.as_deref().map(|b| (s, b)))?;
        let profile = read_baseline(client, uri).await;
        Some(Baseline { spec, uri, profile })
    }
}

/// Compares `profile` with `baseline` and writes diff.json and diff.html with `sink`. None when
/// the job has no baseline; an outcome whose result has `error` set when the baseline could not
/// be read or compared. Fails only when the outputs cannot be written.
pub async fn compare_with_baseline(
    sink: &S3Sink,
    baseline: Option<&Baseline<'_>>,
    profile: &TableProfile,
) -> Result<Option<DriftOutcome>, WorkerError> {
    let Some(Baseline { spec, uri: baseline, profile: earlier }) = baseline else {
        return Ok(None);
    };
    let not_compared = |error: String| {
        warn!(baseline, error, "the profile was not compared with its baseline");
        let result = DriftResult {
            baseline: (*baseline).to_owned(),
            summary: None,
            diff_uri: None,
            diff_report_uri: None,
            error: Some(error),
        };
        Ok(Some(DriftOutcome { comparison: None, result }))
    };
    let earlier = match earlier {
        Ok(p) => p,
        Err(error) => return not_compared(error.clone()),
    };
    let comparison = match compare(earlier, profile, &spec.thresholds) {
        Ok(c) => c,
        Err(e) => return not_compared(format!("cannot compare with {baseline}: {e}")),
    };
    let json = serde_json::to_vec_pretty(&comparison)
        .map_err(|e| WorkerError::S3Output { uri: sink.uri("diff.json"), message: e.to_string() })?;
    let diff_uri = sink.put("diff.json", json, "application/json").await?;
    let page = diff_html::render(&comparison, earlier, profile);
    let diff_report_uri = sink.put("diff.html", page.into_bytes(), "text/html; charset=utf-8").await?;
    let summary = comparison.summary.for_status();
    info!(baseline, drift = summary.drift, diff_uri, "compared with the baseline");
    let result = DriftResult {
        baseline: (*baseline).to_owned(),
        summary: Some(summary),
        diff_uri: Some(diff_uri),
        diff_report_uri: Some(diff_report_uri),
        error: None,
    };
    Ok(Some(DriftOutcome { comparison: Some(comparison), result }))
}

/// The baseline profile at `uri`, or why it cannot be had.
async fn read_baseline(client: &aws_sdk_s3::Client, uri: &str) -> Result<TableProfile, String> {
    let bytes = read_object(client, uri, "read the baseline profile").await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| format!("the baseline {uri} is not a profile.json: {e}"))
}
