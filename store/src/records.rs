//! What the controller and the worker record about jobs and runs.

use chrono::{DateTime, Utc};
use profiler_crds::names::{is_dns_label, is_dns_subdomain};
use profiler_crds::{FailureKind, JobPhase};
use uuid::Uuid;

use crate::error::StoreError;

/// One ProfileJob as the store keeps it (keyed by its Kubernetes uid).
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// Kubernetes uid of the ProfileJob.
    pub uid: Uuid,
    /// Namespace (the tenancy key).
    pub namespace: String,
    /// Name of the ProfileJob.
    pub name: String,
    /// The spec as submitted, as JSON (an object).
    pub spec: serde_json::Value,
    /// Current phase.
    pub phase: JobPhase,
    /// Human-readable message of the phase.
    pub message: Option<String>,
    /// When the job was created (the resource's creationTimestamp).
    pub created_at: DateTime<Utc>,
    /// When the job reached a terminal phase.
    pub completed_at: Option<DateTime<Utc>>,
}

/// Identifies one run: the job's uid and the attempt number (1, 2, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RunKey {
    /// Kubernetes uid of the ProfileJob.
    pub job_uid: Uuid,
    /// Attempt number, from 1.
    pub attempt: u32,
}

impl std::fmt::Display for RunKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} attempt {}", self.job_uid, self.attempt)
    }
}

/// State of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Started and not finished.
    Running,
    /// Finished with a profile.
    Succeeded,
    /// Finished without a profile.
    Failed,
    /// Stopped before it finished.
    Cancelled,
}

impl RunStatus {
    /// Name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "Running",
            RunStatus::Succeeded => "Succeeded",
            RunStatus::Failed => "Failed",
            RunStatus::Cancelled => "Cancelled",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        [RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// Final status (not `Running`).
    pub status: RunStatus,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
    /// The failure message and its kind, for `Failed` runs.
    pub error: Option<(String, FailureKind)>,
    /// Where profile.json was written (`s3://...` or `file://...`).
    pub profile_uri: Option<String>,
    /// Where report.html was written.
    pub report_uri: Option<String>,
}

impl JobRecord {
    /// Checks the fields the schema constrains, with messages that name the field.
    pub fn validate(&self) -> Result<(), StoreError> {
        let invalid = |field: &str, reason: String| Err(StoreError::InvalidValue { field: field.to_owned(), reason });
        if !is_dns_label(&self.namespace) {
            return invalid(
                "namespace",
                format!(
                    "{:?} is not a Kubernetes namespace (lowercase letters, digits and '-', at most 63)",
                    self.namespace
                ),
            );
        }
        if !is_dns_subdomain(&self.name) {
            return invalid(
                "name",
                format!(
                    "{:?} is not a Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253)",
                    self.name
                ),
            );
        }
        if !self.spec.is_object() {
            return invalid("spec", "must be a JSON object".to_owned());
        }
        if self.phase.is_terminal() != self.completed_at.is_some() {
            return invalid("completed_at", format!("must be set exactly when the phase is terminal ({})", self.phase));
        }
        Ok(())
    }
}
