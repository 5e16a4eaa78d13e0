//! Carries out `decide` for one ProfileJob: status first, then Step Functions, then the store,
//! with an Event on every transition.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType, Recorder};
use kube::runtime::finalizer::{Event as Finalizer, finalizer};
use kube::{Client, Resource, ResourceExt};
use profiler_crds::JobPhase;
use profiler_crds::resources::{ProfileJob, ProfileJobStatus};
use serde_json::json;
use tracing::{info, instrument, warn};

use super::decide::{Decision, ExecutionState, Inputs, RuntimeState, decide, phase_after};
use super::document::{execution_input, job_document};
use super::execution_name::{execution_arn, execution_name};
use super::store_sync::StoreHandle;
use super::tracker::ExecutionTracker;
use crate::aws::{Aws, failed};
use crate::backoff::ErrorBackoff;
use crate::conditions;
use crate::error::Error;
use crate::metrics::Metrics;
use crate::runtime::ready_runtime;

/// The finalizer that lets the controller stop a running execution before the object goes.
pub const FINALIZER: &str = "profiler.dev/execution";
/// How often a running job is looked at.
const POLL: Duration = Duration::from_secs(10);
/// How often a job waiting for its runtime is looked at.
const WAIT: Duration = Duration::from_secs(30);
/// How soon a pending profile store write is tried again.
const STORE_RETRY: Duration = Duration::from_secs(10);

/// What the job reconciler needs.
pub struct JobContext {
    /// Kubernetes client.
    pub client: Client,
    /// AWS clients.
    pub aws: Aws,
    /// Batched execution listing.
    pub tracker: ExecutionTracker,
    /// The profile store, when configured.
    pub store: Option<StoreHandle>,
    /// Events.
    pub recorder: Recorder,
    /// Metrics.
    pub metrics: Metrics,
    /// Requeue delays after failures.
    pub backoff: ErrorBackoff,
}

/// Reconciles one ProfileJob.
#[instrument(skip_all, fields(namespace = job.namespace().unwrap_or_default(), job = %job.name_any()))]
pub async fn reconcile(
    job: Arc<ProfileJob>,
    ctx: Arc<JobContext>,
) -> Result<Action, kube::runtime::finalizer::Error<Error>> {
    let namespace = job.namespace().unwrap_or_default();
    let job_ref = job.clone();
    let api: Api<ProfileJob> = Api::namespaced(ctx.client.clone(), &namespace);
    let result = finalizer(&api, FINALIZER, job, |event| async {
        match event {
            Finalizer::Apply(job) => step(&job, &ctx, false).await,
            Finalizer::Cleanup(job) => step(&job, &ctx, true).await,
        }
    })
    .await;
    ctx.metrics.reconciled("ProfileJob", result.is_err());
    if result.is_ok() {
        ctx.backoff.succeeded(&job_key(&job_ref));
    }
    result
}

async fn step(job: &ProfileJob, ctx: &JobContext, deleting: bool) -> Result<Action, Error> {
    let namespace = job.namespace().ok_or_else(|| Error::Malformed("ProfileJob without a namespace".into()))?;
    let name = job.name_any();
    let uid = job.uid().ok_or_else(|| Error::Malformed(format!("ProfileJob {name} has no uid")))?;
    let status = job.status.clone().unwrap_or_default();
    let runtime = ready_runtime(&ctx.client, &job.spec.runtime_ref.name).await?;
    let finished = status.phase.unwrap_or_default().is_terminal();
    // A finished job's execution is over: it is never looked up again.
    let execution = match (&runtime, &status.execution_arn) {
        (Ok((_, machine)), Some(arn)) if status.attempt > 0 && !finished => ctx.tracker.state(machine, arn).await?,
        (Err(_), Some(_)) if status.attempt > 0 && !finished => {
            // Without a Ready runtime the machine is unknown; describe the execution directly.
            describe_only(ctx, status.execution_arn.as_deref().unwrap_or_default()).await?
        }
        _ => ExecutionState::NotStarted,
    };
    let runtime_state = match &runtime {
        Ok(_) => RuntimeState::Ready,
        Err(m) => RuntimeState::NotReady(m.clone()),
    };
    let now = Timestamp::now();
    let decision =
        decide(&Inputs { spec: &job.spec, status: &status, deleting, runtime: runtime_state, execution, now });
    info!(?decision, attempt = status.attempt, "decided");
    let generation = job.metadata.generation;
    let mut next = status.clone();
    next.observed_generation = generation;
    let phase = phase_after(&decision, status.phase.unwrap_or_default());
    next.phase = Some(phase);
    let action = match &decision {
        Decision::Finalize { stop_execution } => {
            if *stop_execution && let Some(arn) = &status.execution_arn {
                stop(ctx, arn, "the ProfileJob was deleted").await?;
                event(
                    ctx,
                    job,
                    EventType::Normal,
                    "Cancelled",
                    "Stopped the running execution: the ProfileJob was deleted",
                )
                .await;
            }
            if !phase.is_terminal() || phase == JobPhase::Cancelled {
                next.message = Some("deleted while it ran; the execution was stopped".into());
                next.completion_time.get_or_insert(Time(now));
                sync_store(ctx, job, &uid, &mut next).await;
                if !store_synced(&next) {
                    // Keep the finalizer until the cancellation is recorded.
                    return Err(Error::StorePending("the cancelled run is not recorded yet".into()));
                }
            }
            ctx.metrics.forget_job(&uid);
            return Ok(Action::await_change());
        }
        Decision::Delete => {
            let api: Api<ProfileJob> = Api::namespaced(ctx.client.clone(), &namespace);
            api.delete(&name, &DeleteParams::background()).await?;
            info!("deleted after ttlSecondsAfterFinished");
            ctx.metrics.forget_job(&uid);
            return Ok(Action::await_change());
        }
        Decision::Done { requeue_after } => {
            if status.observed_generation != generation || !store_synced(&status) {
                sync_store(ctx, job, &uid, &mut next).await;
                write_status(ctx, &namespace, &name, &next).await?;
            } else {
                observe(ctx, &uid, &next);
            }
            return Ok(match requeue_after {
                Some(d) => Action::requeue(*d),
                None if store_synced(&next) => Action::await_change(),
                None => Action::requeue(STORE_RETRY),
            });
        }
        Decision::WaitForRuntime { message } => {
            conditions::set(&mut next.conditions, "Ready", false, "RuntimeNotReady", message.clone(), generation, now);
            next.message = Some(message.clone());
            Action::requeue(WAIT)
        }
        Decision::Suspended => {
            conditions::set(
                &mut next.conditions,
                "Suspended",
                true,
                "Suspended",
                "spec.suspend is true",
                generation,
                now,
            );
            next.message = Some("suspended: nothing is submitted while spec.suspend is true".into());
            Action::await_change()
        }
        Decision::Submit { attempt } | Decision::Retry { next_attempt: attempt, .. } => {
            if let Decision::Retry { message, .. } = &decision {
                event(ctx, job, EventType::Warning, "Retrying", message).await;
            }
            return submit(ctx, job, &namespace, &name, &uid, *attempt, next, &decision).await;
        }
        Decision::Follow => {
            conditions::set(
                &mut next.conditions,
                "Submitted",
                true,
                "Running",
                "the worker task is running",
                generation,
                now,
            );
            if status.phase != Some(JobPhase::Running) {
                next.message = Some(format!("attempt {} is running", status.attempt));
                event(ctx, job, EventType::Normal, "Running", &format!("Attempt {} is running", status.attempt)).await;
            }
            Action::requeue(until_next_look(job, &status, now))
        }
        Decision::Succeed(summary) => {
            next.result = Some(summary.clone());
            next.completion_time = Some(Time(now));
            next.message = Some(format!("profiled {} rows and {} columns", summary.rows, summary.columns));
            conditions::set(
                &mut next.conditions,
                "Succeeded",
                true,
                "ProfileWritten",
                summary.profile_uri.clone(),
                generation,
                now,
            );
            event(ctx, job, EventType::Normal, "Succeeded", &format!("Profile written to {}", summary.profile_uri))
                .await;
            Action::requeue(Duration::from_secs(1))
        }
        Decision::Fail { reason, message } => {
            next.completion_time = Some(Time(now));
            next.message = Some(message.clone());
            conditions::set(&mut next.conditions, "Failed", true, reason, message.clone(), generation, now);
            event(ctx, job, EventType::Warning, reason, message).await;
            Action::requeue(Duration::from_secs(1))
        }
        Decision::StopForDeadline { message } => {
            if let Some(arn) = &status.execution_arn {
                stop(ctx, arn, message).await?;
            }
            next.completion_time = Some(Time(now));
            next.message = Some(message.clone());
            conditions::set(&mut next.conditions, "Failed", true, "DeadlineExceeded", message.clone(), generation, now);
            event(ctx, job, EventType::Warning, "DeadlineExceeded", message).await;
            Action::requeue(Duration::from_secs(1))
        }
    };
    sync_store(ctx, job, &uid, &mut next).await;
    if job.status.as_ref() != Some(&next) {
        write_status(ctx, &namespace, &name, &next).await?;
    } else {
        observe(ctx, &uid, &next);
    }
    Ok(if store_synced(&next) { action } else { Action::requeue(STORE_RETRY) })
}

/// The key of a job in the error backoff.
pub fn job_key(job: &ProfileJob) -> String {
    job.uid().unwrap_or_else(|| format!("{}/{}", job.namespace().unwrap_or_default(), job.name_any()))
}

/// Starts `attempt`: status (phase Submitted, the execution's ARN) before StartExecution, so a
/// restart in between finds the same deterministic name and cannot start a second execution.
#[allow(clippy::too_many_arguments)]
async fn submit(
    ctx: &JobContext,
    job: &ProfileJob,
    namespace: &str,
    name: &str,
    uid: &str,
    attempt: u32,
    mut next: ProfileJobStatus,
    decision: &Decision,
) -> Result<Action, Error> {
    let now = Timestamp::now();
    let generation = job.metadata.generation;
    let Ok((runtime, machine)) = ready_runtime(&ctx.client, &job.spec.runtime_ref.name).await? else {
        return Ok(Action::requeue(WAIT));
    };
    let document =
        job_document(job, namespace, uid, attempt, &runtime).and_then(|doc| execution_input(&doc, job, &runtime));
    let input = match document {
        Ok(input) => input,
        Err(e) => {
            let message = format!("the job cannot be run: {e}");
            next.phase = Some(JobPhase::Failed);
            next.completion_time = Some(Time(now));
            next.message = Some(message.clone());
            conditions::set(&mut next.conditions, "Failed", true, "BadInput", message.clone(), generation, now);
            event(ctx, job, EventType::Warning, "BadInput", &message).await;
            sync_store(ctx, job, uid, &mut next).await;
            write_status(ctx, namespace, name, &next).await?;
            return Ok(Action::await_change());
        }
    };
    let execution = execution_name(namespace, name, uid, attempt);
    let arn = execution_arn(&machine, &execution)
        .ok_or_else(|| Error::Malformed(format!("runtime state machine ARN {machine:?} is not a state machine ARN")))?;
    next.attempt = attempt;
    next.execution_arn = Some(arn.clone());
    next.start_time.get_or_insert(Time(now));
    next.phase = Some(JobPhase::Submitted);
    next.message = Some(match decision {
        Decision::Retry { message, .. } => message.clone(),
        _ => format!("attempt {attempt} submitted"),
    });
    conditions::set(&mut next.conditions, "Ready", true, "RuntimeReady", "the runtime is Ready", generation, now);
    conditions::set(&mut next.conditions, "Submitted", true, "ExecutionStarted", arn.clone(), generation, now);
    write_status(ctx, namespace, name, &next).await?;
    match ctx
        .aws
        .sfn
        .start_execution()
        .state_machine_arn(&machine)
        .name(&execution)
        .input(input.to_string())
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if e.as_service_error().is_some_and(|s| s.is_execution_already_exists()) => {
            info!(execution, "the execution already exists (started before a restart)");
        }
        Err(e) => return Err(failed("Step Functions", "StartExecution", &e)),
    }
    ctx.tracker.started(&machine, &arn).await;
    event(ctx, job, EventType::Normal, "Submitted", &format!("Started attempt {attempt}: {arn}")).await;
    sync_store(ctx, job, uid, &mut next).await;
    write_status(ctx, namespace, name, &next).await?;
    Ok(Action::requeue(if store_synced(&next) { POLL } else { STORE_RETRY }))
}

/// POLL, or sooner when `activeDeadlineSeconds` runs out before that.
fn until_next_look(job: &ProfileJob, status: &ProfileJobStatus, now: Timestamp) -> Duration {
    let (Some(limit), Some(start)) = (job.spec.active_deadline_seconds, status.start_time.as_ref()) else {
        return POLL;
    };
    let left = k8s_openapi::jiff::SignedDuration::from_secs(limit as i64) - now.duration_since(start.0);
    Duration::try_from(left).map_or(Duration::from_secs(1), |left| left.clamp(Duration::from_secs(1), POLL))
}

async fn describe_only(ctx: &JobContext, arn: &str) -> Result<ExecutionState, Error> {
    let tracker = ExecutionTracker::new(ctx.aws.sfn.clone(), Duration::ZERO);
    let machine = arn.replace(":execution:", ":stateMachine:");
    let machine = machine.rsplit_once(':').map(|(m, _)| m.to_owned()).unwrap_or(machine);
    tracker.state(&machine, arn).await
}

async fn stop(ctx: &JobContext, arn: &str, cause: &str) -> Result<(), Error> {
    match ctx.aws.sfn.stop_execution().execution_arn(arn).error("Cancelled").cause(cause).send().await {
        Ok(_) => Ok(()),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_execution_does_not_exist()) => Ok(()),
        Err(e) => Err(failed("Step Functions", "StopExecution", &e)),
    }
}

fn store_synced(status: &ProfileJobStatus) -> bool {
    !status.conditions.iter().any(|c| c.type_ == "StoreSynced" && c.status == "False")
}

/// Writes the job's rows; the outcome goes into the StoreSynced condition, never into the
/// reconcile's result (the status must advance while the database is down).
async fn sync_store(ctx: &JobContext, job: &ProfileJob, uid: &str, next: &mut ProfileJobStatus) {
    let Some(store) = &ctx.store else { return };
    let now = Timestamp::now();
    let generation = job.metadata.generation;
    match store.sync(job, uid, next).await {
        Ok(()) => conditions::set(
            &mut next.conditions,
            "StoreSynced",
            true,
            "Recorded",
            "job and run recorded in the profile store",
            generation,
            now,
        ),
        Err(e) => {
            warn!(error = %e, "profile store write pending");
            conditions::set(
                &mut next.conditions,
                "StoreSynced",
                false,
                "StorePending",
                format!("{e}; retrying"),
                generation,
                now,
            );
        }
    }
}

async fn write_status(ctx: &JobContext, namespace: &str, name: &str, status: &ProfileJobStatus) -> Result<(), Error> {
    let api: Api<ProfileJob> = Api::namespaced(ctx.client.clone(), namespace);
    let written = api.patch_status(name, &PatchParams::default(), &Patch::Merge(json!({ "status": status }))).await?;
    if let Some(uid) = written.uid() {
        observe(ctx, &uid, status);
    }
    Ok(())
}

/// Feeds the job gauges.
fn observe(ctx: &JobContext, uid: &str, status: &ProfileJobStatus) {
    let started = status.start_time.as_ref().map(|t| t.0);
    ctx.metrics.observe_job(uid, status.phase.unwrap_or_default(), started, !store_synced(status));
}

async fn event(ctx: &JobContext, job: &ProfileJob, kind: EventType, reason: &str, note: &str) {
    let event = Event {
        type_: kind,
        reason: reason.to_owned(),
        note: Some(note.chars().take(1000).collect()),
        action: reason.to_owned(),
        secondary: None,
    };
    if let Err(e) = ctx.recorder.publish(&event, &job.object_ref(&())).await {
        warn!(error = %e, "could not publish an event");
    }
}
