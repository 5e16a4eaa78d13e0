//! The ProfileJob reconcile decision, as one plain function over what the controller knows:
//! the spec, the status it wrote, whether the object is being deleted, the runtime's state and
//! the current attempt's execution. No I/O, so every branch is unit-tested.

use std::time::Duration;

use k8s_openapi::jiff::{SignedDuration, Timestamp};
use profiler_crds::resources::{ProfileJobSpec, ProfileJobStatus};
use profiler_crds::{FailureKind, JobPhase, TaskSummary};

use crate::conditions::reason;
use crate::state_machine::{ERROR_INVALID_INPUT, ERROR_WORKER_LOST};

/// What Step Functions says about the current attempt's execution.
#[derive(Debug, Clone, PartialEq)]
pub enum ExecutionState {
    /// Not started, or Step Functions does not know it.
    NotStarted,
    /// Running.
    Running,
    /// Finished; the worker's summary when the output could be read.
    Succeeded(Option<Box<TaskSummary>>),
    /// Failed with the Fail state's error and cause.
    Failed {
        /// `badInput`, `transient`, `internal`, `WorkerLost`, `ECS.…`, `States.…`.
        error: Option<String>,
        /// The worker's (or AWS's) message.
        cause: Option<String>,
    },
    /// Past the execution's own timeout.
    TimedOut,
    /// Stopped (by the controller, or by someone in the AWS console).
    Aborted,
}

/// The job's ProfilerRuntime as the controller sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum RuntimeState {
    /// No ProfilerRuntime of that name.
    Missing(String),
    /// It exists but its AWS resources are not in place; the message says why.
    NotReady(String),
    /// Ready to run jobs.
    Ready,
}

/// Everything the decision depends on.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// Desired state.
    pub spec: &'a ProfileJobSpec,
    /// What the controller recorded so far.
    pub status: &'a ProfileJobStatus,
    /// The object has a deletionTimestamp.
    pub deleting: bool,
    /// The runtime named by `spec.runtimeRef`.
    pub runtime: RuntimeState,
    /// The execution of `status.attempt` (NotStarted when attempt is 0).
    pub execution: ExecutionState,
    /// The present time.
    pub now: Timestamp,
}

/// What to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Being deleted: stop the execution if it still runs, record the cancellation, release the
    /// finalizer.
    Finalize {
        /// The current execution is running and must be stopped.
        stop_execution: bool,
    },
    /// Finished long enough ago (`ttlSecondsAfterFinished`): delete the ProfileJob.
    Delete,
    /// Finished; look again after the duration (TTL), or never.
    Done {
        /// When the TTL will expire.
        requeue_after: Option<Duration>,
    },
    /// Nothing can be submitted until the runtime is Ready.
    WaitForRuntime {
        /// Why, for the condition.
        message: String,
    },
    /// `suspend: true` and nothing submitted yet.
    Suspended,
    /// Start this attempt: status first (phase Submitted, the deterministic execution ARN), then
    /// StartExecution.
    Submit {
        /// Attempt number, from 1.
        attempt: u32,
    },
    /// The execution runs (phase Running); look again later.
    Follow,
    /// The attempt produced the profile.
    Succeed(Box<TaskSummary>),
    /// The attempt failed for a retryable reason and attempts are left.
    Retry {
        /// The attempt to submit next.
        next_attempt: u32,
        /// What failed, for the status message and an Event.
        message: String,
    },
    /// The job failed for good.
    Fail {
        /// Machine-readable reason (condition reason).
        reason: &'static str,
        /// What failed and what to fix.
        message: String,
    },
    /// Past `activeDeadlineSeconds`: stop the execution and mark the job Failed with reason
    /// DeadlineExceeded, as a Kubernetes Job.
    StopForDeadline {
        /// For the status message.
        message: String,
    },
}

/// The next step for one ProfileJob.
pub fn decide(inputs: &Inputs<'_>) -> Decision {
    let Inputs { spec, status, deleting, runtime, execution, now } = inputs;
    let phase = status.phase.unwrap_or_default();
    if *deleting {
        return Decision::Finalize { stop_execution: *execution == ExecutionState::Running };
    }
    if phase.is_terminal() {
        return finished(spec, status, *now);
    }
    if status.attempt == 0 {
        if spec.suspend {
            return Decision::Suspended;
        }
        return match runtime {
            RuntimeState::Ready => Decision::Submit { attempt: 1 },
            RuntimeState::Missing(m) | RuntimeState::NotReady(m) => Decision::WaitForRuntime { message: m.clone() },
        };
    }
    if let (Some(limit), Some(start)) = (spec.active_deadline_seconds, status.start_time.as_ref()) {
        let elapsed = now.duration_since(start.0);
        if elapsed >= SignedDuration::from_secs(limit as i64) && !matches!(execution, ExecutionState::Succeeded(_)) {
            return Decision::StopForDeadline {
                message: format!("the job ran longer than activeDeadlineSeconds ({limit} s) and was stopped"),
            };
        }
    }
    match execution {
        // Status says submitted but Step Functions has no such execution: the controller stopped
        // between writing status and starting it. Starting it again is safe (same name).
        ExecutionState::NotStarted => match runtime {
            RuntimeState::Ready => Decision::Submit { attempt: status.attempt },
            RuntimeState::Missing(m) | RuntimeState::NotReady(m) => Decision::WaitForRuntime { message: m.clone() },
        },
        ExecutionState::Running => Decision::Follow,
        ExecutionState::Succeeded(Some(summary)) => Decision::Succeed(summary.clone()),
        ExecutionState::Succeeded(None) => after_failure(
            spec,
            status.attempt,
            Failure::retryable("the execution succeeded but its output is not the worker's result"),
        ),
        ExecutionState::Failed { error, cause } => {
            after_failure(spec, status.attempt, classify(error.as_deref(), cause.as_deref()))
        }
        ExecutionState::TimedOut => {
            after_failure(spec, status.attempt, Failure::retryable("the execution timed out in Step Functions"))
        }
        ExecutionState::Aborted => Decision::Fail {
            reason: reason::EXECUTION_ABORTED,
            message: format!(
                "attempt {}: the Step Functions execution was stopped outside the operator",
                status.attempt
            ),
        },
    }
}

/// A finished job: delete it once its TTL has passed.
fn finished(spec: &ProfileJobSpec, status: &ProfileJobStatus, now: Timestamp) -> Decision {
    let (Some(ttl), Some(done)) = (spec.ttl_seconds_after_finished, status.completion_time.as_ref()) else {
        return Decision::Done { requeue_after: None };
    };
    let left = SignedDuration::from_secs(ttl as i64) - now.duration_since(done.0);
    if left <= SignedDuration::ZERO {
        Decision::Delete
    } else {
        Decision::Done { requeue_after: Duration::try_from(left).ok() }
    }
}

/// A failed attempt, classified.
#[derive(Debug, Clone, PartialEq)]
struct Failure {
    retryable: bool,
    reason: &'static str,
    message: String,
}

impl Failure {
    fn retryable(message: impl Into<String>) -> Self {
        Self { retryable: true, reason: reason::ATTEMPT_FAILED, message: message.into() }
    }
}

/// What a Fail state's error and cause mean for the job.
fn classify(error: Option<&str>, cause: Option<&str>) -> Failure {
    let cause = cause.unwrap_or("no cause given").to_owned();
    let worker = error.and_then(FailureKind::parse);
    match (worker, error) {
        (Some(FailureKind::BadInput), _) => Failure { retryable: false, reason: reason::BAD_INPUT, message: cause },
        (Some(kind), _) => {
            Failure { retryable: true, reason: reason::ATTEMPT_FAILED, message: format!("{}: {cause}", kind.as_str()) }
        }
        (None, Some(ERROR_WORKER_LOST)) => Failure::retryable(cause),
        (None, Some(ERROR_INVALID_INPUT)) => Failure {
            retryable: false,
            reason: reason::INVALID_EXECUTION_INPUT,
            message: format!("{cause} (a controller bug; please report it)"),
        },
        // The runtime's task configuration was refused: retrying the same request fails the same.
        (None, Some(e @ ("ECS.AccessDeniedException" | "ECS.InvalidParameterException" | "ECS.ClientException"))) => {
            Failure {
                retryable: false,
                reason: reason::LAUNCH_REFUSED,
                message: format!("ECS refused to start the worker task ({e}): {cause}; check the ProfilerRuntime"),
            }
        }
        (None, Some(e)) => Failure::retryable(format!("{e}: {cause}")),
        (None, None) => Failure::retryable(cause),
    }
}

/// Retry while attempts are left and the failure allows it; fail otherwise.
fn after_failure(spec: &ProfileJobSpec, attempt: u32, failure: Failure) -> Decision {
    let attempts = 1 + spec.backoff_limit;
    if !failure.retryable {
        return Decision::Fail {
            reason: failure.reason,
            message: format!("attempt {attempt} failed and will not be retried: {}", failure.message),
        };
    }
    if attempt < attempts {
        Decision::Retry {
            next_attempt: attempt + 1,
            message: format!("attempt {attempt} of {attempts} failed: {}; retrying", failure.message),
        }
    } else {
        Decision::Fail {
            reason: reason::BACKOFF_LIMIT_EXCEEDED,
            message: format!(
                "attempt {attempt} of {attempts} failed: {}; no attempts left (backoffLimit {})",
                failure.message, spec.backoff_limit
            ),
        }
    }
}

/// The phase a decision leads to, for status.
pub fn phase_after(decision: &Decision, current: JobPhase) -> JobPhase {
    match decision {
        Decision::Finalize { .. } if !current.is_terminal() => JobPhase::Cancelled,
        Decision::Finalize { .. } | Decision::Delete | Decision::Done { .. } => current,
        Decision::WaitForRuntime { .. } | Decision::Suspended => JobPhase::Pending,
        Decision::Submit { .. } | Decision::Retry { .. } => JobPhase::Submitted,
        Decision::Follow => JobPhase::Running,
        Decision::Succeed(_) => JobPhase::Succeeded,
        Decision::Fail { .. } => JobPhase::Failed,
        Decision::StopForDeadline { .. } => JobPhase::Failed,
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use profiler_crds::resources::RuntimeRef;
    use profiler_crds::{AthenaSource, JobSource, MetricOptions, QueryMethod, Sampling};

    use super::*;

    fn spec() -> ProfileJobSpec {
        ProfileJobSpec {
            runtime_ref: RuntimeRef::default(),
            source: JobSource::Athena(AthenaSource {
                catalog: "AwsDataCatalog".into(),
                database: "sales".into(),
                table: "orders".into(),
                workgroup: "primary".into(),
                output_location: None,
                method: QueryMethod::Pushdown,
            }),
            columns: None,
            sampling: Sampling::Full,
            metrics: MetricOptions::default(),
            task: None,
            backoff_limit: 2,
            active_deadline_seconds: None,
            ttl_seconds_after_finished: None,
            suspend: false,
            drift: None,
            rules: None,
            parallelism: Default::default(),
            incremental: false,
        }
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn status(phase: JobPhase, attempt: u32) -> ProfileJobStatus {
        ProfileJobStatus {
            phase: Some(phase),
            attempt,
            start_time: (attempt > 0).then(|| Time(at(0))),
            ..ProfileJobStatus::default()
        }
    }

    fn decide_with(spec: &ProfileJobSpec, status: &ProfileJobStatus, execution: ExecutionState) -> Decision {
        decide(&Inputs { spec, status, deleting: false, runtime: RuntimeState::Ready, execution, now: at(60) })
    }

    fn summary() -> TaskSummary {
        TaskSummary {
            rows: 10,
            columns: 2,
            sampled_rows: 10,
            profile_uri: "s3://b/p".into(),
            report_uri: "s3://b/r".into(),
            duration_ms: 5,
            drift: None,
            check: None,
            groups: None,
        }
    }

    fn failed(error: &str, cause: &str) -> ExecutionState {
        ExecutionState::Failed { error: Some(error.into()), cause: Some(cause.into()) }
    }

    #[test]
    fn a_new_job_waits_for_its_runtime_then_submits_attempt_one() {
        let (spec, status) = (spec(), ProfileJobStatus::default());
        let missing = RuntimeState::Missing("ProfilerRuntime default not found".into());
        let inputs = Inputs {
            spec: &spec,
            status: &status,
            deleting: false,
            runtime: missing,
            execution: ExecutionState::NotStarted,
            now: at(0),
        };
        assert_eq!(decide(&inputs), Decision::WaitForRuntime { message: "ProfilerRuntime default not found".into() });
        let ready = Inputs { runtime: RuntimeState::Ready, ..inputs };
        assert_eq!(decide(&ready), Decision::Submit { attempt: 1 });
    }

    #[test]
    fn suspend_holds_submission_but_not_a_running_execution() {
        let spec = ProfileJobSpec { suspend: true, ..spec() };
        assert_eq!(decide_with(&spec, &ProfileJobStatus::default(), ExecutionState::NotStarted), Decision::Suspended);
        assert_eq!(decide_with(&spec, &status(JobPhase::Running, 1), ExecutionState::Running), Decision::Follow);
    }

    #[test]
    fn a_submitted_attempt_that_never_started_is_started_again_under_the_same_name() {
        assert_eq!(
            decide_with(&spec(), &status(JobPhase::Submitted, 2), ExecutionState::NotStarted),
            Decision::Submit { attempt: 2 }
        );
    }

    #[test]
    fn success_carries_the_workers_summary() {
        let d =
            decide_with(&spec(), &status(JobPhase::Running, 1), ExecutionState::Succeeded(Some(Box::new(summary()))));
        assert_eq!(d, Decision::Succeed(Box::new(summary())));
        assert_eq!(phase_after(&d, JobPhase::Running), JobPhase::Succeeded);
    }

    #[test]
    fn transient_failures_retry_until_the_backoff_limit() {
        let d = decide_with(&spec(), &status(JobPhase::Running, 1), failed("transient", "Athena throttled"));
        let Decision::Retry { next_attempt: 2, message } = d else { panic!("{d:?}") };
        assert!(message.contains("attempt 1 of 3 failed: transient: Athena throttled"), "{message}");
        let d = decide_with(&spec(), &status(JobPhase::Running, 3), failed("WorkerLost", "killed"));
        let Decision::Fail { reason: "BackoffLimitExceeded", message } = d else { panic!("{d:?}") };
        assert!(message.contains("no attempts left (backoffLimit 2)"), "{message}");
    }

    #[test]
    fn bad_input_fails_at_once_with_the_workers_message() {
        let d = decide_with(&spec(), &status(JobPhase::Running, 1), failed("badInput", "unknown column \"x\""));
        assert_eq!(
            d,
            Decision::Fail {
                reason: "BadInput",
                message: "attempt 1 failed and will not be retried: unknown column \"x\"".into()
            }
        );
        let d = decide_with(&spec(), &status(JobPhase::Running, 1), failed("ECS.AccessDeniedException", "no"));
        assert!(matches!(d, Decision::Fail { reason: "LaunchRefused", .. }), "{d:?}");
        let d = decide_with(&spec(), &status(JobPhase::Running, 1), failed("ECS.ThrottlingException", "slow"));
        assert!(matches!(d, Decision::Retry { next_attempt: 2, .. }), "{d:?}");
    }

    #[test]
    fn an_execution_stopped_by_someone_else_fails_the_job() {
        let d = decide_with(&spec(), &status(JobPhase::Running, 1), ExecutionState::Aborted);
        assert!(matches!(d, Decision::Fail { reason: "ExecutionAborted", .. }), "{d:?}");
    }

    #[test]
    fn the_deadline_stops_a_running_job() {
        let spec = ProfileJobSpec { active_deadline_seconds: Some(30), ..spec() };
        let d = decide_with(&spec, &status(JobPhase::Running, 1), ExecutionState::Running);
        assert!(matches!(d, Decision::StopForDeadline { .. }), "{d:?}");
        assert_eq!(phase_after(&d, JobPhase::Running), JobPhase::Failed);
        let spec = ProfileJobSpec { active_deadline_seconds: Some(600), ..spec };
        assert_eq!(decide_with(&spec, &status(JobPhase::Running, 1), ExecutionState::Running), Decision::Follow);
    }

    #[test]
    fn deletion_stops_only_a_running_execution() {
        let (spec, st) = (spec(), status(JobPhase::Running, 1));
        let inputs = |execution| Inputs {
            spec: &spec,
            status: &st,
            deleting: true,
            runtime: RuntimeState::Ready,
            execution,
            now: at(0),
        };
        assert_eq!(decide(&inputs(ExecutionState::Running)), Decision::Finalize { stop_execution: true });
        assert_eq!(decide(&inputs(ExecutionState::Aborted)), Decision::Finalize { stop_execution: false });
    }

    #[test]
    fn finished_jobs_are_deleted_after_their_ttl() {
        let spec = ProfileJobSpec { ttl_seconds_after_finished: Some(100), ..spec() };
        let mut done = status(JobPhase::Succeeded, 1);
        done.completion_time = Some(Time(at(0)));
        assert_eq!(
            decide_with(&spec, &done, ExecutionState::NotStarted),
            Decision::Done { requeue_after: Some(Duration::from_secs(40)) }
        );
        done.completion_time = Some(Time(at(-50)));
        assert_eq!(decide_with(&spec, &done, ExecutionState::NotStarted), Decision::Delete);
        assert_eq!(
            decide_with(
                &ProfileJobSpec { ttl_seconds_after_finished: None, ..spec },
                &done,
                ExecutionState::NotStarted
            ),
            Decision::Done { requeue_after: None }
        );
    }
}
