//! Records a profiling run in the profile store: the job, its run (attempt), the whole profile,
//! its comparison and its check when it has them, and the outcome. Used by the CLI's
//! `--database-url` and by the Fargate worker.

use chrono::Utc;
use profiler_crds::comparison::ProfileComparison;
use profiler_crds::quality::CheckReport;
use profiler_crds::{JobPhase, TableProfile};
use profiler_store::{DatabaseConfig, FailureKind, JobRecord, RunKey, RunOutcome, RunStatus, Store};
use tokio::runtime::Runtime;
use tracing::{info, warn};
use uuid::Uuid;

use crate::error::{WorkerError, exit_code};

/// What a successful run leaves to record: its profile, the URIs of its files and, when it was
/// compared with a baseline, the comparison and the baseline's URI, and when it verified rules,
/// their check.
pub struct RunOutputs<'a> {
    /// The profile.
    pub profile: &'a TableProfile,
    /// Where profile.json was written.
    pub profile_uri: Option<String>,
    /// Where report.html was written.
    pub report_uri: Option<String>,
    /// The comparison with the baseline and the baseline profile's URI.
    pub comparison: Option<(&'a ProfileComparison, &'a str)>,
    /// The verified rules (check.json), when the run had rules.
    pub check: Option<&'a CheckReport>,
}

/// Which job and attempt a run belongs to.
#[derive(Debug, Clone)]
pub struct RunIdentity {
    /// Namespace (tenancy key).
    pub namespace: String,
    /// Job name.
    pub name: String,
    /// Job uid (a fresh one for local runs).
    pub uid: Uuid,
    /// Attempt number, from 1.
    pub attempt: u32,
}

/// A run being recorded in the store. Connects and checks the schema up front, so a database
/// problem stops the run before any data is read.
pub struct RunRecorder {
    runtime: Runtime,
    store: Store,
    job: JobRecord,
    run: RunKey,
}

impl RunRecorder {
    /// Connects, checks the schema, and records the job as Running and the run as started.
    pub fn start(config: &DatabaseConfig, identity: RunIdentity, spec: serde_json::Value) -> Result<Self, WorkerError> {
        let runtime = crate::runtime::current_thread()?;
        let store = runtime.block_on(Store::open(config))?;
        let now = Utc::now();
        let job = JobRecord {
            uid: identity.uid,
            namespace: identity.namespace,
            name: identity.name,
            spec,
            phase: JobPhase::Running,
            message: None,
            created_at: now,
            completed_at: None,
        };
        let run = RunKey { job_uid: identity.uid, attempt: identity.attempt };
        runtime.block_on(async {
            store.record_job(&job).await?;
            store.start_run(run, None, now).await
        })?;
        info!(namespace = %job.namespace, name = %job.name, uid = %job.uid, "run recorded in the profile store");
        Ok(Self { runtime, store, job, run })
    }

    /// The job's uid.
    pub fn job_uid(&self) -> Uuid {
        self.job.uid
    }

    /// Writes the profile (and the comparison with its baseline, linked to the baseline's run
    /// when the store holds it, and the check of its rules) and marks the run and the job
    /// Succeeded. The comparison and the check are in S3 already; a store that refuses them does
    /// not undo the run.
    pub fn succeed(mut self, outputs: RunOutputs<'_>) -> Result<(), WorkerError> {
        let RunOutputs { profile, profile_uri, report_uri, comparison, check } = outputs;
        let finished_at = Utc::now();
        let outcome = RunOutcome { status: RunStatus::Succeeded, finished_at, error: None, profile_uri, report_uri };
        self.job.phase = JobPhase::Succeeded;
        self.job.completed_at = Some(finished_at);
        let Self { runtime, store, job, run } = self;
        runtime.block_on(async {
            store.write_profile(run, profile).await?;
            if let Some((comparison, baseline_uri)) = comparison {
                // The comparison is in S3 already (diff.json); a store that refuses it (e.g. a
                // baseline of another namespace) does not undo the run.
                let recorded = async {
                    let baseline_run = store.run_by_profile_uri(baseline_uri).await?;
                    store.record_comparison(run, comparison, baseline_run, finished_at).await
                };
                if let Err(e) = recorded.await {
                    warn!(error = %e, baseline_uri, "could not record the comparison in the profile store");
                }
            }
            if let Some(check) = check
                && let Err(e) = store.record_check(run, check, finished_at).await
            {
                warn!(error = %e, "could not record the check of the rules in the profile store");
            }
            store.finish_run(run, &outcome).await?;
            store.record_job(&job).await
        })?;
        Ok(())
    }

    /// Marks the run and the job Failed with `error`'s message. Problems recording the failure are
    /// logged, not returned: the original error is what the caller reports.
    pub fn fail(mut self, error: &WorkerError) {
        let finished_at = Utc::now();
        let message = error.to_string();
        let outcome = RunOutcome {
            status: RunStatus::Failed,
            finished_at,
            error: Some((message.clone(), failure_kind(error))),
            profile_uri: None,
            report_uri: None,
        };
        self.job.phase = JobPhase::Failed;
        self.job.message = Some(message);
        self.job.completed_at = Some(finished_at);
        let Self { runtime, store, job, run } = self;
        if let Err(e) = runtime.block_on(async {
            store.finish_run(run, &outcome).await?;
            store.record_job(&job).await
        }) {
            warn!(error = %e, "could not record the failure in the profile store");
        }
    }
}

/// Records how a run ended when it is being recorded: on failure the error (which is returned
/// as is), on success the profile and the URIs of its files, which `outputs` picks from what the
/// run returned. Returns what the run returned and, when recorded, the job's uid.
pub fn record_outcome<T>(
    recorder: Option<RunRecorder>,
    outcome: Result<T, WorkerError>,
    outputs: impl FnOnce(&T) -> RunOutputs<'_>,
) -> Result<(T, Option<Uuid>), WorkerError> {
    match (recorder, outcome) {
        (Some(recorder), Err(e)) => {
            recorder.fail(&e);
            Err(e)
        }
        (None, outcome) => outcome.map(|done| (done, None)),
        (Some(recorder), Ok(done)) => {
            let uid = recorder.job_uid();
            recorder.succeed(outputs(&done))?;
            Ok((done, Some(uid)))
        }
    }
}

/// Whether a failed run is worth retrying, from the error's exit code.
pub fn failure_kind(error: &WorkerError) -> FailureKind {
    match error.exit_code() {
        exit_code::BAD_INPUT => FailureKind::BadInput,
        exit_code::SOURCE_UNREADABLE | exit_code::OUTPUT_FAILED => FailureKind::Transient,
        _ => FailureKind::Internal,
    }
}
