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
use profiler_crds::fan_out::{TaskStep, group_prefix};
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
use crate::drift::{Baseline, DriftOutcome, compare_with_baseline};
use crate::error::WorkerError;
use crate::fan_out;
use crate::incremental::profile_incremental;
use crate::report::html;
use crate::run::{OpenedScan, ProfileRequest, Progress};
use crate::sink::s3::S3Sink;
use crate::sink::{RunIdentity, RunOutputs, RunRecorder, failure_kind, record_outcome};
use crate::source::SourceSpec;
use crate::source::uri::SourceUri;
use crate::verbs::{SqlRequest, profile_and_check_sql};

/// Runs the step of the job this task is (see [`crate::fan_out`]): the first task plans a
/// fan-out or profiles the whole table; a group's task profiles its group; the merge task
/// merges the groups' profiles into the job's outputs.
pub fn run_step(doc: &JobDocument, step: TaskStep) -> Result<TaskResult, WorkerError> {
    doc.validate()?;
    // A plan or a group that fails fails the attempt: it is recorded as the failed run it is (a
    // group retried into success is then overwritten by the merge's record of the same run).
    let recorded_failure = |e: WorkerError| record(doc, || Err(e)).map(TaskResult::Succeeded);
    match step {
        TaskStep::First => match plan_fan_out(doc) {
            Ok(FirstStep::Planned(planned)) => Ok(planned),
            Ok(FirstStep::Profile(opened)) => run(doc, opened).map(TaskResult::Succeeded),
            Err(e) => recorded_failure(e),
        },
        TaskStep::Group(index) => run_group(doc, index).or_else(recorded_failure),
        TaskStep::Merge => record(doc, || merge_groups(doc)).map(TaskResult::Succeeded),
    }
}

/// Runs the job in this task (on its source as the plan opened it, when it did): connects to
/// the store first (so a database problem stops the run before any query), profiles, writes the
/// outputs, records the outcome.
fn run(doc: &JobDocument, opened: Option<OpenedScan>) -> Result<TaskSummary, WorkerError> {
    record(doc, || {
        let io = crate::runtime::multi_thread(2)?;
        let options = profile_options(doc);
        let sink = io.block_on(output_sink(doc));
        let baseline = io.block_on(Baseline::read(sink.client(), doc.drift.as_ref()));
        let (profile, check) = match work(doc, &options) {
            // The scan runs its own runtime and threads, outside this one.
            Work::Scan(request) if doc.incremental => {
                let base = match &baseline {
                    Some(b) => b.profile.as_ref().map_err(|e| format!("the base profile cannot be read: {e}")),
                    None => Err(NO_BASE.to_owned()),
                };
                (profile_incremental(&request, base, &Progress::default())?, None)
            }
            Work::Scan(request) => {
                let rules = doc.rules.as_ref();
                let output = crate::run::profile_and_check_opened(&request, opened, rules, &Progress::default())?;
                (output.profile, output.check)
            }
            Work::Query(uri) => io.block_on(sql_table(uri, doc, &options))?,
        };
        io.block_on(upload(&sink, baseline.as_ref(), profile, check, None))
    })
}

/// Why an incremental run without a drift baseline scans the whole snapshot.
const NO_BASE: &str =
    "no base profile: the job has no drift.baseline (a ProfileSchedule sets it to its last successful profile)";

/// Records the run in the profile store around `produce` (which profiles and uploads), when
/// the job has a store.
fn record(
    doc: &JobDocument,
    produce: impl FnOnce() -> Result<Uploaded, WorkerError>,
) -> Result<TaskSummary, WorkerError> {
    let job = &doc.job;
    let _span = info_span!("task", namespace = %job.namespace, name = %job.name, attempt = job.attempt).entered();
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
    let outcome = produce();
    let (uploaded, _) = record_outcome(recorder, outcome, |u: &Uploaded| RunOutputs {
        profile: &u.profile,
        profile_uri: Some(u.summary.profile_uri.clone()),
        report_uri: Some(u.summary.report_uri.clone()),
        comparison: u.comparison.as_ref().zip(u.summary.drift.as_ref()).map(|(c, d)| (c, d.baseline.as_str())),
        check: u.check.as_ref(),
    })?;
    Ok(uploaded.summary)
}

/// The first task's plan: when the job fans out into more than one group, writes `plan.json`
/// and returns the groups for the state machine; else the source as the plan opened it (if it
/// did), for this task to profile the whole table.
fn plan_fan_out(doc: &JobDocument) -> Result<FirstStep, WorkerError> {
    let Work::Scan(request) = work(doc, &profile_options(doc)) else { return Ok(FirstStep::Profile(None)) };
    let plan = match fan_out::plan(doc, &request)? {
        fan_out::Planned::FanOut(plan) => plan,
        fan_out::Planned::OneTask(opened) => return Ok(FirstStep::Profile(opened)),
    };
    let groups = fan_out::group_steps(doc, &plan);
    crate::runtime::current_thread()?.block_on(async {
        let uri = fan_out::write_plan(&output_sink(doc).await, &plan).await?;
        info!(uri, groups = groups.len(), bytes = plan.bytes, "fan-out planned");
        Ok::<_, WorkerError>(())
    })?;
    Ok(FirstStep::Planned(TaskResult::Planned { groups }))
}

/// What the first task goes on with after planning.
enum FirstStep {
    /// The groups were planned; the state machine runs them.
    Planned(TaskResult),
    /// This task profiles the whole table, on the source as the plan opened it (if it did).
    Profile(Option<OpenedScan>),
}

/// Profiles group `index` of the attempt's plan and writes its partial profile.
fn run_group(doc: &JobDocument, index: u32) -> Result<TaskResult, WorkerError> {
    let _span = info_span!("group", index).entered();
    let Work::Scan(request) = work(doc, &profile_options(doc)) else {
        return Err(WorkerError::InvalidRequest("this job's source is profiled by one task; it has no groups".into()));
    };
    let io = crate::runtime::multi_thread(2)?;
    let sink = io.block_on(output_sink(doc));
    let plan = io.block_on(fan_out::read_plan(&sink))?;
    let in_group = |e: WorkerError| WorkerError::Group { index, groups: plan.groups.len() as u32, source: Box::new(e) };
    let profile = fan_out::profile_group(&request, &plan, index).map_err(in_group)?;
    let profile_uri = io.block_on(fan_out::write_partial(&sink, index, &profile)).map_err(in_group)?;
    info!(profile_uri, rows = profile.row_count, "group profiled");
    Ok(TaskResult::GroupProfiled { group: index, rows: profile.row_count, profile_uri })
}

/// Merges the groups' partial profiles into the job's profile and writes the job's outputs.
fn merge_groups(doc: &JobDocument) -> Result<Uploaded, WorkerError> {
    let runtime = crate::runtime::multi_thread(2)?;
    runtime.block_on(async {
        let sink = output_sink(doc).await;
        let plan = fan_out::read_plan(&sink).await?;
        let partials = fan_out::read_partials(&sink, &plan).await?;
        let profile = fan_out::merge_partials(&plan, partials, &profile_options(doc))?;
        info!(groups = plan.groups.len(), rows = profile.row_count, "groups merged");
        let baseline = Baseline::read(sink.client(), doc.drift.as_ref()).await;
        upload(&sink, baseline.as_ref(), profile, None, Some(plan.groups.len() as u32)).await
    })
}

/// The engine's options from the job's metrics.
fn profile_options(doc: &JobDocument) -> ProfileOptions {
    ProfileOptions {
        histogram_bins: doc.metrics.histogram_bins as usize,
        top_k: doc.metrics.top_k as usize,
        ..ProfileOptions::default()
    }
}

/// How the job's table is read.
enum Work {
    /// The engine scans its files (an Iceberg table's or Parquet objects) on every core of the task.
    Scan(ProfileRequest),
    /// Its engine profiles it (Athena, Redshift).
    Query(SourceUri),
}

/// How the job's table is read, with `options`.
fn work(doc: &JobDocument, options: &ProfileOptions) -> Work {
    let (source, metadata_only) = match &doc.source {
        JobSource::Iceberg(iceberg) => (
            SourceSpec::Iceberg {
                location: format!("{}.{}", iceberg.namespace, iceberg.table),
                snapshot_id: iceberg.snapshot_id,
                catalog: Some(iceberg.catalog.clone()),
            },
            iceberg.metadata_only,
        ),
        // Parquet on S3 is listed and read by the same source as `profiler profile s3://...`.
        JobSource::Parquet(parquet) => (SourceSpec::Parquet { location: parquet.uri.clone() }, false),
        JobSource::Athena(athena) => return Work::Query(SourceUri::Athena(athena.clone())),
        JobSource::Redshift(redshift) => return Work::Query(SourceUri::Redshift(redshift.clone())),
    };
    Work::Scan(ProfileRequest {
        source,
        columns: doc.columns.clone(),
        sampling: doc.sampling,
        metadata_only,
        options: options.clone(),
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        partitions: None,
        split_row_groups: false,
    })
}

/// The S3 sink of the attempt's outputs.
async fn output_sink(doc: &JobDocument) -> S3Sink {
    let config = crate::aws::sdk_config().await;
    S3Sink::new(crate::aws::s3_client(&config), doc.output.bucket.clone(), doc.output_prefix())
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
async fn upload(
    sink: &S3Sink,
    baseline: Option<&Baseline<'_>>,
    profile: TableProfile,
    check: Option<CheckReport>,
    groups: Option<u32>,
) -> Result<Uploaded, WorkerError> {
    let drift = compare_with_baseline(sink, baseline, &profile).await?;
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
        groups,
    };
    Ok(Uploaded { profile, comparison, check, summary })
}

/// Object name of the check of the job's rules under the attempt's output prefix.
pub const CHECK_OBJECT: &str = "check.json";

/// The result of a finished step, as printed and as stored in `result.json`.
pub fn result_of(outcome: &Result<TaskResult, WorkerError>) -> TaskResult {
    match outcome {
        Ok(result) => result.clone(),
        Err(e) => TaskResult::Failed {
            exit_code: e.exit_code(),
            error: TaskError { kind: failure_kind(e), message: e.to_string() },
        },
    }
}

/// Writes the step's `result.json` where the state machine and the controller read it (the
/// summary or plan on success; on failure the message and whether to retry): under the
/// attempt's prefix, or a group's own prefix for a group's task.
pub fn write_result(doc: &JobDocument, step: TaskStep, result: &TaskResult) -> Result<String, WorkerError> {
    let name = match step {
        TaskStep::Group(index) => format!("{}{TASK_RESULT_OBJECT}", group_prefix(index)),
        TaskStep::First | TaskStep::Merge => TASK_RESULT_OBJECT.to_owned(),
    };
    let runtime = crate::runtime::current_thread()?;
    runtime.block_on(async {
        let sink = output_sink(doc).await;
        let body = serde_json::to_vec(result)
            .map_err(|e| WorkerError::S3Output { uri: sink.uri(&name), message: e.to_string() })?;
        sink.put(&name, body, "application/json").await
    })
}
