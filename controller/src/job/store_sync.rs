//! Keeps the profile store's job and run rows in step with the ProfileJob's status. The store
//! may be unreachable: the status advances anyway, and the write is retried on every reconcile
//! until it lands (the StoreSynced condition shows it is pending). Every write is an upsert, so
//! a retry never duplicates.

use chrono::{DateTime, Utc};
use k8s_openapi::jiff::Timestamp;
use profiler_crds::resources::{ProfileJob, ProfileJobStatus};
use profiler_crds::{FailureKind, JobPhase};
use profiler_store::{DatabaseConfig, JobRecord, RunKey, RunOutcome, RunStatus, Store, StoreError};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::conditions::{self, ConditionType, reason};

/// A store connected on first use, and again after it was lost.
pub struct StoreHandle {
    config: DatabaseConfig,
    store: Mutex<Option<Store>>,
}

impl StoreHandle {
    /// A handle that connects lazily with `config`.
    pub fn new(config: DatabaseConfig) -> Self {
        Self { config, store: Mutex::new(None) }
    }

    /// Writes the job row and the current run's row as `status` describes them.
    pub async fn sync(&self, job: &ProfileJob, uid: &str, status: &ProfileJobStatus) -> Result<(), StoreError> {
        let mut guard = self.store.lock().await;
        if guard.is_none() {
            *guard = Some(Store::open(&self.config).await?);
        }
        let Some(store) = guard.as_ref() else { return Ok(()) };
        let result = write(store, job, uid, status).await;
        if result.as_ref().is_err_and(StoreError::is_transient) {
            // Reconnect next time: the pool may hold dead connections.
            *guard = None;
        }
        result
    }
}

fn chrono_time(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(t.as_second(), t.subsec_nanosecond().max(0) as u32).unwrap_or_default()
}

async fn write(store: &Store, job: &ProfileJob, uid: &str, status: &ProfileJobStatus) -> Result<(), StoreError> {
    let uid = Uuid::parse_str(uid)
        .map_err(|e| StoreError::InvalidValue { field: "metadata.uid".into(), reason: e.to_string() })?;
    let phase = status.phase.unwrap_or_default();
    let record = JobRecord {
        uid,
        namespace: job.metadata.namespace.clone().unwrap_or_default(),
        name: job.metadata.name.clone().unwrap_or_default(),
        spec: serde_json::to_value(&job.spec)
            .map_err(|e| StoreError::InvalidValue { field: "spec".into(), reason: e.to_string() })?,
        phase,
        message: status.message.clone(),
        created_at: job.metadata.creation_timestamp.as_ref().map(|t| chrono_time(t.0)).unwrap_or_else(Utc::now),
        completed_at: status.completion_time.as_ref().map(|t| chrono_time(t.0)),
    };
    store.record_job(&record).await?;
    if status.attempt == 0 {
        return Ok(());
    }
    let run = RunKey { job_uid: uid, attempt: status.attempt };
    let started = status.start_time.as_ref().map(|t| chrono_time(t.0)).unwrap_or_else(Utc::now);
    store.start_run(run, status.execution_arn.as_deref(), started).await?;
    let finished_at = status.completion_time.as_ref().map(|t| chrono_time(t.0)).unwrap_or_else(Utc::now);
    // The worker records its own outcome; the controller records the ones the worker cannot
    // (a stop, a task that never ran or died).
    let outcome = match phase {
        JobPhase::Cancelled => Some(RunOutcome {
            status: RunStatus::Cancelled,
            finished_at,
            // The store keeps an error only for Failed runs; why it was cancelled is in status.
            error: None,
            profile_uri: None,
            report_uri: None,
        }),
        JobPhase::Failed => Some(RunOutcome {
            status: RunStatus::Failed,
            finished_at,
            error: Some((status.message.clone().unwrap_or_default(), failure_kind(status))),
            profile_uri: None,
            report_uri: None,
        }),
        _ => None,
    };
    if let Some(outcome) = outcome {
        store.finish_run(run, &outcome).await?;
    }
    Ok(())
}

/// Bad input when the Failed condition says so; retryable causes that ran out of attempts
/// otherwise.
fn failure_kind(status: &ProfileJobStatus) -> FailureKind {
    let bad_input = conditions::find(&status.conditions, ConditionType::Failed)
        .is_some_and(|c| c.reason == reason::BAD_INPUT || c.reason == reason::INVALID_RULES);
    if bad_input { FailureKind::BadInput } else { FailureKind::Transient }
}
