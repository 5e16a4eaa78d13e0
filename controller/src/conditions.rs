//! Kubernetes conditions as the controller writes them: the condition types and reasons as typed
//! constants, one constructor per condition the controller sets, and [`set`], which keeps a
//! condition's transition time when its status does not change.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::jiff::Timestamp;

/// The condition types the controller sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionType {
    /// ProfileJob: its runtime is Ready; ProfilerRuntime: its AWS resources are in place.
    Ready,
    /// An attempt's execution was started.
    Submitted,
    /// The profile was written.
    Succeeded,
    /// The job failed for good.
    Failed,
    /// `spec.suspend` holds the job.
    Suspended,
    /// The job and its run are recorded in the profile store.
    StoreSynced,
}

impl ConditionType {
    /// The condition's `type` as Kubernetes shows it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "Ready",
            Self::Submitted => "Submitted",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
            Self::Suspended => "Suspended",
            Self::StoreSynced => "StoreSynced",
        }
    }
}

/// The reasons of the conditions and Events the controller writes (CamelCase, machine-readable).
pub mod reason {
    /// The job's runtime is missing or not Ready.
    pub const RUNTIME_NOT_READY: &str = "RuntimeNotReady";
    /// The job's runtime is Ready.
    pub const RUNTIME_READY: &str = "RuntimeReady";
    /// `spec.suspend` is true.
    pub const SUSPENDED: &str = "Suspended";
    /// StartExecution was called for the attempt.
    pub const EXECUTION_STARTED: &str = "ExecutionStarted";
    /// The worker task runs.
    pub const RUNNING: &str = "Running";
    /// The profile is in S3.
    pub const PROFILE_WRITTEN: &str = "ProfileWritten";
    /// The spec or the table is wrong; retrying cannot help.
    pub const BAD_INPUT: &str = "BadInput";
    /// `activeDeadlineSeconds` passed (as a Kubernetes Job).
    pub const DEADLINE_EXCEEDED: &str = "DeadlineExceeded";
    /// An attempt failed for a retryable reason.
    pub const ATTEMPT_FAILED: &str = "AttemptFailed";
    /// Every attempt `backoffLimit` allows failed.
    pub const BACKOFF_LIMIT_EXCEEDED: &str = "BackoffLimitExceeded";
    /// Someone stopped the execution outside the operator.
    pub const EXECUTION_ABORTED: &str = "ExecutionAborted";
    /// The state machine refused the controller's input (a controller bug).
    pub const INVALID_EXECUTION_INPUT: &str = "InvalidExecutionInput";
    /// ECS refused the runtime's task configuration.
    pub const LAUNCH_REFUSED: &str = "LaunchRefused";
    /// The profile store has the job and its run.
    pub const RECORDED: &str = "Recorded";
    /// A profile store write failed and is retried.
    pub const STORE_PENDING: &str = "StorePending";
    /// The runtime's AWS resources are in place.
    pub const RESOURCES_READY: &str = "ResourcesReady";
    /// An AWS call for the runtime's resources failed.
    pub const AWS_ERROR: &str = "AwsError";
    /// The runtime's spec holds a value the controller refuses.
    pub const INVALID_SPEC: &str = "InvalidSpec";
    /// Event: the profile drifted from its baseline (a warning or critical finding).
    pub const DRIFT_DETECTED: &str = "DriftDetected";
    /// Event: the profile was compared with its baseline and did not drift.
    pub const COMPARED: &str = "Compared";
    /// Event: the baseline could not be read or compared (the run still succeeded).
    pub const DRIFT_NOT_COMPARED: &str = "DriftNotCompared";
    /// The job's rules (`spec.rules`) cannot be had: a missing ConfigMap or key, or an invalid
    /// rule set in it. The job fails before anything runs.
    pub const INVALID_RULES: &str = "InvalidRules";
    /// Event: a rule of the job failed or could not be evaluated (the run still succeeded).
    pub const RULES_FAILED: &str = "RulesFailed";
    /// Event: every rule of the job passed.
    pub const RULES_PASSED: &str = "RulesPassed";
    /// Event: the running attempt planned a fan-out (its groups run, one task each).
    pub const FANNED_OUT: &str = "FannedOut";
}

/// One condition as the controller writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    /// Which condition.
    pub type_: ConditionType,
    /// True or False.
    pub status: bool,
    /// One of [`reason`].
    pub reason: &'static str,
    /// For people.
    pub message: String,
}

impl Update {
    fn new(type_: ConditionType, status: bool, reason: &'static str, message: impl Into<String>) -> Self {
        Self { type_, status, reason, message: message.into() }
    }

    /// Ready=False: the job's runtime cannot run it yet.
    pub fn runtime_not_ready(message: impl Into<String>) -> Self {
        Self::new(ConditionType::Ready, false, reason::RUNTIME_NOT_READY, message)
    }

    /// Ready=True: the job's runtime is Ready.
    pub fn runtime_ready() -> Self {
        Self::new(ConditionType::Ready, true, reason::RUNTIME_READY, "the runtime is Ready")
    }

    /// Suspended=True.
    pub fn suspended() -> Self {
        Self::new(ConditionType::Suspended, true, reason::SUSPENDED, "spec.suspend is true")
    }

    /// Submitted=True: the execution `arn` was started.
    pub fn submitted(arn: impl Into<String>) -> Self {
        Self::new(ConditionType::Submitted, true, reason::EXECUTION_STARTED, arn)
    }

    /// Submitted=True: the worker task runs.
    pub fn running() -> Self {
        Self::new(ConditionType::Submitted, true, reason::RUNNING, "the worker task is running")
    }

    /// Succeeded=True: the profile is at `profile_uri`.
    pub fn succeeded(profile_uri: impl Into<String>) -> Self {
        Self::new(ConditionType::Succeeded, true, reason::PROFILE_WRITTEN, profile_uri)
    }

    /// Failed=True for `reason`.
    pub fn failed(reason: &'static str, message: impl Into<String>) -> Self {
        Self::new(ConditionType::Failed, true, reason, message)
    }

    /// StoreSynced=True.
    pub fn store_synced() -> Self {
        Self::new(ConditionType::StoreSynced, true, reason::RECORDED, "job and run recorded in the profile store")
    }

    /// StoreSynced=False: a store write failed and is retried.
    pub fn store_pending(message: impl Into<String>) -> Self {
        Self::new(ConditionType::StoreSynced, false, reason::STORE_PENDING, message)
    }

    /// Ready=True: the runtime's AWS resources are in place.
    pub fn resources_ready() -> Self {
        Self::new(
            ConditionType::Ready,
            true,
            reason::RESOURCES_READY,
            "task definition, state machine and bucket lifecycle are in place",
        )
    }

    /// Ready=False: the runtime cannot be reconciled, for `reason`.
    pub fn runtime_failed(reason: &'static str, message: impl Into<String>) -> Self {
        Self::new(ConditionType::Ready, false, reason, message)
    }
}

/// Writes `update` into `conditions` (added when missing), stamped with `generation`.
pub fn set(conditions: &mut Vec<Condition>, update: Update, generation: Option<i64>, now: Timestamp) {
    let status = if update.status { "True" } else { "False" }.to_owned();
    let kind = update.type_.as_str();
    match conditions.iter_mut().find(|c| c.type_ == kind) {
        Some(c) => {
            if c.status != status {
                c.last_transition_time = Time(now);
            }
            c.status = status;
            c.reason = update.reason.to_owned();
            c.message = update.message;
            c.observed_generation = generation;
        }
        None => conditions.push(Condition {
            type_: kind.to_owned(),
            status,
            reason: update.reason.to_owned(),
            message: update.message,
            observed_generation: generation,
            last_transition_time: Time(now),
        }),
    }
}

/// The condition of type `kind`, when present.
pub fn find(conditions: &[Condition], kind: ConditionType) -> Option<&Condition> {
    conditions.iter().find(|c| c.type_ == kind.as_str())
}

/// Whether condition `kind` is True.
pub fn is_true(conditions: &[Condition], kind: ConditionType) -> bool {
    find(conditions, kind).is_some_and(|c| c.status == "True")
}

/// Whether condition `kind` is False.
pub fn is_false(conditions: &[Condition], kind: ConditionType) -> bool {
    find(conditions, kind).is_some_and(|c| c.status == "False")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_time_moves_only_when_the_status_changes() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let t1 = Timestamp::from_second(1_800_000_100).unwrap();
        let mut c = Vec::new();
        set(&mut c, Update::runtime_not_ready("wait"), Some(1), t0);
        set(&mut c, Update::runtime_not_ready("still"), Some(2), t1);
        assert_eq!((c.len(), c[0].last_transition_time.0, c[0].message.as_str()), (1, t0, "still"));
        set(&mut c, Update::runtime_ready(), Some(2), t1);
        assert_eq!(c[0].last_transition_time.0, t1);
        assert!(is_true(&c, ConditionType::Ready));
        assert_eq!((c[0].type_.as_str(), c[0].reason.as_str()), ("Ready", "RuntimeReady"));
    }
}
