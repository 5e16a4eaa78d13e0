//! One Fargate task run: the job document in, the profile out to S3 and Postgres, and one JSON
//! summary line. Iceberg tables are scanned by the engine (or read from their manifests), Athena
//! and Redshift tables profiled by pushdown or sample; the outputs are keyed by job uid
//! and attempt, so a rerun of the same attempt overwrites rather than duplicates.
//!
//! A job with rules (`spec.rules`) has them verified in the same scan (on Athena and Redshift, by
//! pushdown in the profile's aggregate query, or in one query of their own beside a sample) and
//! check.json written beside profile.json. A failed rule does not fail the run: the task succeeds and its summary
//! (`check`) says which rules did not pass.

use profiler_crds::comparison::ProfileComparison;
use profiler_crds::quality::CheckReport;
use profiler_crds::{
    CheckResult, DatabaseRef, JobDocument, JobSource, TASK_RESULT_OBJECT, TableProfile, TaskError, TaskResult,
    TaskSummary,
};
use profiler_engine::ProfileOptions;
use profiler_store::DatabaseConfig;
use tracing::{info, info_span};
use uuid::Uuid;

use crate::connector::statement::PollPolicy;
use crate::drift::{DriftOutcome, compare_with_baseline};
use crate::error::WorkerError;
use crate::report::html;
use crate::run::{ProfileRequest, Progress};
use crate::sink::s3::S3Sink;
use crate::sink::{RunIdentity, RunOutputs, RunRecorder, failure_kind, record_outcome};
use crate::source::SourceSpec;
use crate::source::uri::SourceUri;
use crate::verbs::{SqlRequest, profile_and_check_sql};

/// Runs the job: connects to the store first (so a database problem stops the run before any
/// query), profiles, writes the outputs, records the outcome.
pub fn run(doc: &JobDocument) -> Result<TaskSummary, WorkerError> {
    let job = &doc.job;
    let _span = info_span!("task", namespace = %job.namespace, name = %job.name, attempt = job.attempt).entered();
    doc.validate()?;
    let recorder = match database_config(doc.database.as_ref())? {
        None => None,
        Some(config) => {
            let uid = Uuid::parse_str(&job.uid)
                .map_err(|e| WorkerError::InvalidRequest(format!("job.uid {:?} is not a UUID: {e}", job.uid)))?;
            let identity =
                RunIdentity { namespace: job.namespace.clone(), name: job.name.clone(), uid, attempt: job.attempt };
            let spec = serde_json::to_value(doc).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?;
            Some(RunRecorder::start(&config, identity, spec)?)
        }
    };
    let outcome = profile_and_upload(doc);
    let (uploaded, _) = record_outcome(recorder, outcome, |u: &Uploaded| RunOutputs {
        profile: &u.profile,
        profile_uri: Some(u.summary.profile_uri.clone()),
        report_uri: Some(u.summary.report_uri.clone()),
        comparison: u.comparison.as_ref().zip(u.summary.drift.as_ref()).map(|(c, d)| (c, d.baseline.as_str())),
        check: u.check.as_ref(),
    })?;
    Ok(uploaded.summary)
}

/// The profile store's settings, from the task's environment or Secrets Manager.
fn database_config(reference: Option<&DatabaseRef>) -> Result<Option<DatabaseConfig>, WorkerError> {
    match reference {
        None => Ok(None),
        Some(DatabaseRef::UrlEnv(var)) => {
            let url = std::env::var(var).map_err(|_| {
                WorkerError::InvalidRequest(format!("database.urlEnv names {var}, which is not set in the task"))
            })?;
            Ok(Some(DatabaseConfig::from_url(&url)?))
        }
        Some(DatabaseRef::SecretArn(arn)) => {
            let runtime = crate::runtime::current_thread()?;
            let config = runtime.block_on(async {
                let sdk = crate::aws::sdk_config().await;
                crate::secrets::database_config(&crate::aws::secrets_client(&sdk), arn).await
            })?;
            Ok(Some(config))
        }
    }
}

/// A profile written to S3, with its comparison with the job's baseline and its check of the
/// job's rules.
struct Uploaded {
    profile: TableProfile,
    comparison: Option<ProfileComparison>,
    check: Option<CheckReport>,
    summary: TaskSummary,
}

fn profile_and_upload(doc: &JobDocument) -> Result<Uploaded, WorkerError> {
    let runtime = crate::runtime::multi_thread(2)?;
    let options = ProfileOptions {
        histogram_bins: doc.metrics.histogram_bins as usize,
        top_k: doc.metrics.top_k as usize,
        ..ProfileOptions::default()
    };
    let (profile, check) = match &doc.source {
        // The scan runs its own runtime and threads, outside this one.
        JobSource::Iceberg(iceberg) => scan_files(
            doc,
            SourceSpec::Iceberg {
                location: format!("{}.{}", iceberg.namespace, iceberg.table),
                snapshot_id: iceberg.snapshot_id,
                catalog: Some(iceberg.catalog.clone()),
            },
            iceberg.metadata_only,
            options,
        )?,
        // Parquet on S3 is listed and read by the same source as `profiler profile s3://...`.
        JobSource::Parquet(parquet) => {
            scan_files(doc, SourceSpec::Parquet { location: parquet.uri.clone() }, false, options)?
        }
        JobSource::Athena(athena) => runtime.block_on(sql_table(SourceUri::Athena(athena.clone()), doc, &options))?,
        JobSource::Redshift(redshift) => {
            runtime.block_on(sql_table(SourceUri::Redshift(redshift.clone()), doc, &options))?
        }
    };
    runtime.block_on(upload(doc, profile, check))
}

/// Profiles and checks files (an Iceberg table's or Parquet objects) with the engine, on every
/// core of the task.
fn scan_files(
    doc: &JobDocument,
    source: SourceSpec,
    metadata_only: bool,
    options: ProfileOptions,
) -> Result<(TableProfile, Option<CheckReport>), WorkerError> {
    let request = ProfileRequest {
        source,
        columns: doc.columns.clone(),
        sampling: doc.sampling,
        metadata_only,
        options,
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let output = crate::run::profile_and_check(&request, doc.rules.as_ref(), &Progress::default())?;
    Ok((output.profile, output.check))
}

/// Profiles an Athena or Redshift table by its method (the job document refused pushdown with
/// sampling when it was read) and verifies the job's rules on every row by pushdown.
async fn sql_table(
    uri: SourceUri,
    doc: &JobDocument,
    options: &ProfileOptions,
) -> Result<(TableProfile, Option<CheckReport>), WorkerError> {
    let request =
        SqlRequest { columns: doc.columns.as_deref(), sampling: doc.sampling, options, rules: doc.rules.as_ref() };
    profile_and_check_sql(&uri, &request, &PollPolicy::default()).await
}

/// Writes profile.json and report.html under the attempt's prefix, check.json when the job has
/// rules and, when it has a drift baseline, diff.json and diff.html; returns the summary.
async fn upload(doc: &JobDocument, profile: TableProfile, check: Option<CheckReport>) -> Result<Uploaded, WorkerError> {
    let config = crate::aws::sdk_config().await;
    let client = crate::aws::s3_client(&config);
    let sink = S3Sink::new(client.clone(), doc.output.bucket.clone(), doc.output_prefix());
    let drift = compare_with_baseline(&client, &sink, doc.drift.as_ref(), &profile).await?;
    let json = serde_json::to_vec_pretty(&profile)
        .map_err(|e| WorkerError::S3Output { uri: sink.uri("profile.json"), message: e.to_string() })?;
    let profile_uri = sink.put("profile.json", json, "application/json").await?;
    let report = html::render_with_comparison(&profile, drift.as_ref().map(|d| &d.result));
    let report_uri = sink.put("report.html", report.into_bytes(), "text/html; charset=utf-8").await?;
    info!(profile_uri, report_uri, "outputs written");
    let check_result = match &check {
        Some(report) => {
            let json = serde_json::to_vec_pretty(report)
                .map_err(|e| WorkerError::S3Output { uri: sink.uri(CHECK_OBJECT), message: e.to_string() })?;
            let check_uri = sink.put(CHECK_OBJECT, json, "application/json").await?;
            info!(check_uri, summary = report.summary.describe(), "rules verified");
            Some(CheckResult::new(report.summary.clone(), check_uri))
        }
        None => None,
    };
    let (comparison, drift) = match drift {
        Some(DriftOutcome { comparison, result }) => (comparison, Some(result)),
        None => (None, None),
    };
    let summary = TaskSummary {
        rows: profile.row_count,
        columns: profile.column_count,
        sampled_rows: profile.sampling.rows_profiled,
        profile_uri,
        report_uri,
        duration_ms: profile.duration_ms,
        drift,
        check: check_result,
    };
    Ok(Uploaded { profile, comparison, check, summary })
}

/// Object name of the check of the job's rules under the attempt's output prefix.
pub const CHECK_OBJECT: &str = "check.json";

/// The result of a finished run, as printed and as stored in `result.json`.
pub fn result_of(outcome: &Result<TaskSummary, WorkerError>) -> TaskResult {
    match outcome {
        Ok(summary) => TaskResult::Succeeded(summary.clone()),
        Err(e) => TaskResult::Failed {
            exit_code: e.exit_code(),
            error: TaskError { kind: failure_kind(e), message: e.to_string() },
        },
    }
}

/// Writes `result.json` under the attempt's prefix, where the state machine and the controller
/// read it (the summary on success; on failure the message and whether to retry).
pub fn write_result(doc: &JobDocument, result: &TaskResult) -> Result<String, WorkerError> {
    let runtime = crate::runtime::current_thread()?;
    runtime.block_on(async {
        let config = crate::aws::sdk_config().await;
        let sink = S3Sink::new(crate::aws::s3_client(&config), doc.output.bucket.clone(), doc.output_prefix());
        let body = serde_json::to_vec(result)
            .map_err(|e| WorkerError::S3Output { uri: sink.uri(TASK_RESULT_OBJECT), message: e.to_string() })?;
        sink.put(TASK_RESULT_OBJECT, body, "application/json").await
    })
}
