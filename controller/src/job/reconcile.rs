//! Carries out `decide` for one ProfileJob: status first, then Step Functions, then the store,
//! with an Event on every transition.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::api::{Api, DeleteParams};
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType};
use kube::runtime::finalizer::{Event as Finalizer, finalizer};
use kube::runtime::reflector::Store;
use kube::{Client, Resource, ResourceExt};
use profiler_crds::fan_out::GroupProgress;
use profiler_crds::resources::{ProfileJob, ProfileJobStatus, ProfilerRuntime};
use profiler_crds::{DriftResult, JobIdentity, JobPhase, TaskSummary};
use tracing::{info, instrument, warn};

use super::decide::{Decision, ExecutionState, Inputs, RuntimeState, decide, phase_after};
use super::document::{AttemptInput, execution_input, job_document};
use super::execution_name::{execution_arn, execution_name};
use super::progress::{self, ProgressLooks};
use super::store_sync::StoreHandle;
use super::tracker::ExecutionTracker;
use crate::aws::{Aws, failed};
use crate::backoff::ErrorBackoff;
use crate::conditions::{self, ConditionType, Update, reason};
use crate::error::Error;
use crate::events::EventPublisher;
use crate::metrics::{DriftLabels, Metrics};
use crate::runtime::ready_runtime;
use crate::status::patch_status;

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
    /// When running fanned-out attempts are looked at for their groups done.
    pub progress: ProgressLooks,
    /// The profile store, when configured.
    pub store: Option<StoreHandle>,
    /// Events (without kube's six-minute cache of every Event published: see `events`).
    pub recorder: EventPublisher,
    /// Metrics.
    pub metrics: Metrics,
    /// Requeue delays after failures.
    pub backoff: ErrorBackoff,
    /// The watched ProfilerRuntimes, when a runtime controller runs in this process.
    pub runtimes: Option<Store<ProfilerRuntime>>,
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

/// The runtime of a job when Ready (its spec and state machine ARN), or why not.
type RuntimeLookup = Result<(ProfilerRuntime, String), String>;

async fn step(job: &ProfileJob, ctx: &JobContext, deleting: bool) -> Result<Action, Error> {
    let this = JobRef::new(ctx, job)?;
    // The runtime is looked up once per reconcile; every arm uses this answer.
    let runtime = ready_runtime(&ctx.client, ctx.runtimes.as_ref(), &job.spec.runtime_ref.name).await?;
    let execution = this.execution(&runtime, deleting).await?;
    let runtime_state = match &runtime {
        Ok(_) => RuntimeState::Ready,
        Err(m) => RuntimeState::NotReady(m.clone()),
    };
    let status = &this.status;
    let decision =
        decide(&Inputs { spec: &job.spec, status, deleting, runtime: runtime_state, execution, now: this.now });
    info!(?decision, attempt = status.attempt, "decided");
    if !matches!(decision, Decision::Follow)
        && let Some(arn) = &status.execution_arn
    {
        ctx.progress.forget(arn);
    }
    let mut next = status.clone();
    next.observed_generation = this.generation;
    next.phase = Some(phase_after(&decision, status.phase.unwrap_or_default()));
    match decision {
        Decision::Finalize { stop_execution } => this.finalize(stop_execution, next).await,
        Decision::Delete => this.delete().await,
        Decision::Done { requeue_after } => this.done(requeue_after, next).await,
        Decision::WaitForRuntime { message } => this.wait_for_runtime(message, next).await,
        Decision::Suspended => this.suspend(next).await,
        Decision::Submit { attempt } => this.submit(attempt, None, runtime, next).await,
        Decision::Retry { next_attempt, message } => this.submit(next_attempt, Some(message), runtime, next).await,
        Decision::Follow => this.follow(&runtime, next).await,
        Decision::Succeed(summary) => this.succeed(*summary, next).await,
        Decision::Fail { reason, message } => this.fail(reason, message, next).await,
        Decision::StopForDeadline { message } => this.stop_for_deadline(message, next).await,
    }
}

/// The key of a job in the error backoff.
pub fn job_key(job: &ProfileJob) -> String {
    job.uid().unwrap_or_else(|| format!("{}/{}", job.namespace().unwrap_or_default(), job.name_any()))
}

/// The ProfileJob being reconciled and what every decision arm needs of it.
struct JobRef<'a> {
    ctx: &'a JobContext,
    job: &'a ProfileJob,
    namespace: String,
    name: String,
    uid: String,
    generation: Option<i64>,
    /// The status as read.
    status: ProfileJobStatus,
    now: Timestamp,
}

impl<'a> JobRef<'a> {
    fn new(ctx: &'a JobContext, job: &'a ProfileJob) -> Result<Self, Error> {
        let name = job.name_any();
        Ok(Self {
            ctx,
            job,
            namespace: job.namespace().ok_or_else(|| Error::Malformed("ProfileJob without a namespace".into()))?,
            uid: job.uid().ok_or_else(|| Error::Malformed(format!("ProfileJob {name} has no uid")))?,
            name,
            generation: job.metadata.generation,
            status: job.status.clone().unwrap_or_default(),
            now: Timestamp::now(),
        })
    }

    /// The current attempt's execution; a finished job's is never looked up again, nor one whose
    /// StartExecution failed in this process (it is sent again under the same name), unless the
    /// job is being deleted.
    async fn execution(&self, runtime: &RuntimeLookup, deleting: bool) -> Result<ExecutionState, Error> {
        let status = &self.status;
        let (Some(arn), true) = (&status.execution_arn, status.attempt > 0 && !self.phase().is_terminal()) else {
            return Ok(ExecutionState::NotStarted);
        };
        if !deleting && self.ctx.tracker.start_unconfirmed(arn) {
            return Ok(ExecutionState::NotStarted);
        }
        match runtime {
            Ok((_, machine)) => self.ctx.tracker.state(machine, arn).await,
            // Without a Ready runtime the machine is unknown; describe the execution directly.
            Err(_) => self.ctx.tracker.describe(arn).await,
        }
    }

    fn phase(&self) -> JobPhase {
        self.status.phase.unwrap_or_default()
    }

    fn condition(&self, next: &mut ProfileJobStatus, update: Update) {
        conditions::set(&mut next.conditions, update, self.generation, self.now);
    }

    /// Being deleted: stop a running execution, record the cancellation, then let the
    /// finalizer go.
    async fn finalize(&self, stop_execution: bool, mut next: ProfileJobStatus) -> Result<Action, Error> {
        if stop_execution && let Some(arn) = &self.status.execution_arn {
            self.stop(arn, "Cancelled", "the ProfileJob was deleted").await?;
            self.event(EventType::Normal, "Cancelled", "Stopped the running execution: the ProfileJob was deleted")
                .await;
        }
        let phase = next.phase.unwrap_or_default();
        if !phase.is_terminal() || phase == JobPhase::Cancelled {
            next.message = Some("deleted while it ran; the execution was stopped".into());
            next.completion_time.get_or_insert(Time(self.now));
            self.sync_store(&mut next).await;
            if !store_synced(&next) {
                // Keep the finalizer until the cancellation is recorded.
                return Err(Error::StorePending("the cancelled run is not recorded yet".into()));
            }
        }
        if let Some(arn) = &self.status.execution_arn {
            self.ctx.tracker.forget(arn);
        }
        self.ctx.metrics.forget_job(&self.uid);
        Ok(Action::await_change())
    }

    /// Past `ttlSecondsAfterFinished`: delete the ProfileJob.
    async fn delete(&self) -> Result<Action, Error> {
        let api: Api<ProfileJob> = Api::namespaced(self.ctx.client.clone(), &self.namespace);
        api.delete(&self.name, &DeleteParams::background()).await?;
        info!("deleted after ttlSecondsAfterFinished");
        self.ctx.metrics.forget_job(&self.uid);
        Ok(Action::await_change())
    }

    /// Finished: only a new generation or a pending store write changes anything.
    async fn done(&self, requeue_after: Option<Duration>, mut next: ProfileJobStatus) -> Result<Action, Error> {
        if self.status.observed_generation != self.generation || !store_synced(&self.status) {
            self.sync_store(&mut next).await;
            self.write_status(&next).await?;
        } else {
            self.observe(&next);
        }
        Ok(match requeue_after {
            Some(d) => Action::requeue(d),
            None if store_synced(&next) => Action::await_change(),
            None => Action::requeue(STORE_RETRY),
        })
    }

    async fn wait_for_runtime(&self, message: String, mut next: ProfileJobStatus) -> Result<Action, Error> {
        self.condition(&mut next, Update::runtime_not_ready(message.clone()));
        next.message = Some(message);
        self.commit(next, Action::requeue(WAIT)).await
    }

    async fn suspend(&self, mut next: ProfileJobStatus) -> Result<Action, Error> {
        self.condition(&mut next, Update::suspended());
        next.message = Some("suspended: nothing is submitted while spec.suspend is true".into());
        self.commit(next, Action::await_change()).await
    }

    /// Starts `attempt`: status (phase Submitted, the execution's ARN) before StartExecution, so
    /// a restart in between finds the same deterministic name and cannot start a second
    /// execution. `retry` says why the previous attempt failed.
    async fn submit(
        &self,
        attempt: u32,
        retry: Option<String>,
        runtime: RuntimeLookup,
        mut next: ProfileJobStatus,
    ) -> Result<Action, Error> {
        if let Some(message) = &retry {
            self.event(EventType::Warning, "Retrying", message).await;
        }
        let Ok((runtime, machine)) = runtime else {
            return Ok(Action::requeue(WAIT));
        };
        let rules = match super::rules::resolve(&self.ctx.client, &self.namespace, self.job.spec.rules.as_ref()).await {
            Ok(rules) => rules,
            Err(super::rules::RulesError::Api(e)) => return Err(e.into()),
            Err(e) => {
                next.phase = Some(JobPhase::Failed);
                return self.fail(reason::INVALID_RULES, format!("the job cannot be run: {e}"), next).await;
            }
        };
        let attempt_input = job_document(self.job, &self.namespace, &self.uid, attempt, &runtime, rules)
            .and_then(|doc| execution_input(&doc, self.job, &runtime));
        let AttemptInput { input, stored_document } = match attempt_input {
            Ok(input) => input,
            Err(e) => {
                next.phase = Some(JobPhase::Failed);
                return self.fail(reason::BAD_INPUT, format!("the job cannot be run: {e}"), next).await;
            }
        };
        let execution = execution_name(&self.namespace, &self.name, &self.uid, attempt);
        let arn = execution_arn(&machine, &execution).ok_or_else(|| {
            Error::Malformed(format!("runtime state machine ARN {machine:?} is not a state machine ARN"))
        })?;
        next.attempt = attempt;
        next.execution_arn = Some(arn.clone());
        next.groups = None;
        next.start_time.get_or_insert(Time(self.now));
        next.phase = Some(JobPhase::Submitted);
        next.message = Some(retry.unwrap_or_else(|| format!("attempt {attempt} submitted")));
        self.condition(&mut next, Update::runtime_ready());
        self.condition(&mut next, Update::submitted(arn.clone()));
        self.write_status(&next).await?;
        if let Some((bucket, key, body)) = stored_document {
            // Too large for the task's environment: the execution carries the object's URI.
            let put = self.ctx.aws.s3.put_object().bucket(bucket).key(key).content_type("application/json");
            put.body(body.into_bytes().into()).send().await.map_err(|e| failed("S3", "PutObject", &e))?;
        }
        let started =
            self.ctx.aws.sfn.start_execution().state_machine_arn(&machine).name(&execution).input(input.to_string());
        match started.send().await {
            Ok(_) => {}
            Err(e) if e.as_service_error().is_some_and(|s| s.is_execution_already_exists()) => {
                info!(execution, "the execution already exists (started before a restart)");
            }
            Err(e) => {
                self.ctx.tracker.start_failed(&arn);
                return Err(failed("Step Functions", "StartExecution", &e));
            }
        }
        self.ctx.tracker.started(&machine, &arn).await;
        self.event(EventType::Normal, "Submitted", &format!("Started attempt {attempt}: {arn}")).await;
        self.sync_store(&mut next).await;
        self.write_status(&next).await?;
        Ok(Action::requeue(if store_synced(&next) { POLL } else { STORE_RETRY }))
    }

    async fn follow(&self, runtime: &RuntimeLookup, mut next: ProfileJobStatus) -> Result<Action, Error> {
        self.condition(&mut next, Update::running());
        let attempt = self.status.attempt;
        if self.status.phase != Some(JobPhase::Running) {
            next.message = Some(format!("attempt {attempt} is running"));
            self.event(EventType::Normal, "Running", &format!("Attempt {attempt} is running")).await;
        }
        if let Ok((runtime, _)) = runtime {
            self.look_at_groups(runtime, &mut next).await;
        }
        self.commit(next, Action::requeue(self.until_next_look())).await
    }

    /// When the running attempt may have fanned out and is due a look, reads how many of its
    /// groups are profiled into `next.groups` (and the message); an Event tells when the plan is
    /// first seen. A failed look is logged and changes nothing.
    async fn look_at_groups(&self, runtime: &ProfilerRuntime, next: &mut ProfileJobStatus) {
        let Some(arn) = &self.status.execution_arn else { return };
        if !self.job.spec.may_fan_out() || !self.ctx.progress.due(arn) {
            return;
        }
        let results = &runtime.spec.results;
        let identity = JobIdentity {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            uid: self.uid.clone(),
            attempt: self.status.attempt,
        };
        let prefix = identity.output_prefix(&results.prefix);
        let known = self.status.groups.as_ref();
        let groups = match progress::look(&self.ctx.aws, &results.bucket, &prefix, known).await {
            Ok(Some(groups)) => groups,
            Ok(None) => return,
            Err(e) => {
                warn!(error = %e, "cannot read the attempt's group progress");
                return;
            }
        };
        let attempt = self.status.attempt;
        if known.is_none() {
            let note = format!("Attempt {attempt} split the table into {} groups, one task each", groups.total);
            self.event(EventType::Normal, reason::FANNED_OUT, &note).await;
        }
        next.message = Some(if groups.done < groups.total {
            format!("attempt {attempt} is running: {} of {} groups profiled", groups.done, groups.total)
        } else {
            format!("attempt {attempt} is merging the profiles of its {} groups", groups.total)
        });
        next.groups = Some(groups);
    }

    async fn succeed(&self, summary: TaskSummary, mut next: ProfileJobStatus) -> Result<Action, Error> {
        next.completion_time = Some(Time(self.now));
        next.message = Some(format!("profiled {} rows and {} columns", summary.rows, summary.columns));
        self.condition(&mut next, Update::succeeded(summary.profile_uri.clone()));
        self.event(EventType::Normal, "Succeeded", &format!("Profile written to {}", summary.profile_uri)).await;
        if let Some(drift) = &summary.drift {
            self.report_drift(drift).await;
        }
        if let Some(check) = &summary.check {
            let (kind, reason, note) = super::rules::check_event(check);
            self.event(kind, reason, &note).await;
            self.ctx.metrics.count_check(&self.namespace, &check.summary);
            next.message = next.message.map(|m| format!("{m}; {} rules passed", check.score));
        }
        next.groups = summary.groups.map(|n| GroupProgress::new(n, n));
        next.result = Some(summary);
        self.commit(next, Action::requeue(Duration::from_secs(1))).await
    }

    /// Tells of the comparison with the baseline: a Warning `DriftDetected` naming the drifted
    /// columns, a Normal `Compared`, or a Warning `DriftNotCompared` with the reason; and counts it.
    async fn report_drift(&self, drift: &DriftResult) {
        let (outcome, severity) = match (&drift.summary, &drift.error) {
            (Some(summary), _) => {
                let link = drift.diff_report_uri.as_deref().unwrap_or(&drift.baseline);
                let note = format!("{} (compared with {}; {link})", summary.describe(), drift.baseline);
                let (kind, reason) = if summary.drift {
                    (EventType::Warning, reason::DRIFT_DETECTED)
                } else {
                    (EventType::Normal, reason::COMPARED)
                };
                self.event(kind, reason, &note).await;
                let severity = summary.highest_severity.map_or("none", |s| s.as_str());
                (if summary.drift { "drift" } else { "no_drift" }, severity)
            }
            (None, error) => {
                let why = error.as_deref().unwrap_or("no comparison was made");
                self.event(EventType::Warning, reason::DRIFT_NOT_COMPARED, why).await;
                ("not_compared", "none")
            }
        };
        let labels = DriftLabels {
            namespace: self.namespace.clone(),
            outcome: outcome.to_owned(),
            severity: severity.to_owned(),
        };
        self.ctx.metrics.drift_comparisons.get_or_create(&labels).inc();
    }

    async fn fail(&self, reason: &'static str, message: String, mut next: ProfileJobStatus) -> Result<Action, Error> {
        next.completion_time = Some(Time(self.now));
        next.message = Some(message.clone());
        self.condition(&mut next, Update::failed(reason, message.clone()));
        self.event(EventType::Warning, reason, &message).await;
        self.commit(next, Action::requeue(Duration::from_secs(1))).await
    }

    /// Past `activeDeadlineSeconds`: stop the execution; the job fails with DeadlineExceeded.
    async fn stop_for_deadline(&self, message: String, next: ProfileJobStatus) -> Result<Action, Error> {
        if let Some(arn) = &self.status.execution_arn {
            self.stop(arn, reason::DEADLINE_EXCEEDED, &message).await?;
        }
        self.fail(reason::DEADLINE_EXCEEDED, message, next).await
    }

    /// Records `next` in the store and writes it when it differs from what is stored; a pending
    /// store write brings the next look forward.
    async fn commit(&self, mut next: ProfileJobStatus, action: Action) -> Result<Action, Error> {
        self.sync_store(&mut next).await;
        if self.job.status.as_ref() != Some(&next) {
            self.write_status(&next).await?;
        } else {
            self.observe(&next);
        }
        Ok(if store_synced(&next) { action } else { Action::requeue(STORE_RETRY) })
    }

    /// POLL, or sooner when `activeDeadlineSeconds` runs out before that.
    fn until_next_look(&self) -> Duration {
        let (Some(limit), Some(start)) = (self.job.spec.active_deadline_seconds, self.status.start_time.as_ref())
        else {
            return POLL;
        };
        let left = SignedDuration::from_secs(limit as i64) - self.now.duration_since(start.0);
        Duration::try_from(left).map_or(Duration::from_secs(1), |left| left.clamp(Duration::from_secs(1), POLL))
    }

    /// Stops the execution `arn` with Step Functions error `error` and `cause`.
    async fn stop(&self, arn: &str, error: &str, cause: &str) -> Result<(), Error> {
        match self.ctx.aws.sfn.stop_execution().execution_arn(arn).error(error).cause(cause).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_execution_does_not_exist()) => Ok(()),
            Err(e) => Err(failed("Step Functions", "StopExecution", &e)),
        }
    }

    /// Writes the job's rows; the outcome goes into the StoreSynced condition, never into the
    /// reconcile's result (the status must advance while the database is down).
    async fn sync_store(&self, next: &mut ProfileJobStatus) {
        let Some(store) = &self.ctx.store else { return };
        let update = match store.sync(self.job, &self.uid, next).await {
            Ok(()) => Update::store_synced(),
            Err(e) => {
                warn!(error = %e, "profile store write pending");
                Update::store_pending(format!("{e}; retrying"))
            }
        };
        self.condition(next, update);
    }

    async fn write_status(&self, status: &ProfileJobStatus) -> Result<(), Error> {
        let api: Api<ProfileJob> = Api::namespaced(self.ctx.client.clone(), &self.namespace);
        let written = patch_status(&api, &self.name, status).await?;
        if let Some(uid) = written.uid() {
            observe(self.ctx, &uid, status);
        }
        Ok(())
    }

    fn observe(&self, status: &ProfileJobStatus) {
        observe(self.ctx, &self.uid, status);
    }

    async fn event(&self, kind: EventType, reason: &str, note: &str) {
        let event = Event {
            type_: kind,
            reason: reason.to_owned(),
            note: Some(note.chars().take(1000).collect()),
            action: reason.to_owned(),
            secondary: None,
        };
        if let Err(e) = self.ctx.recorder.publish(&event, &self.job.object_ref(&())).await {
            warn!(error = %e, "could not publish an event");
        }
    }
}

fn store_synced(status: &ProfileJobStatus) -> bool {
    !conditions::is_false(&status.conditions, ConditionType::StoreSynced)
}

/// Feeds the job gauges.
fn observe(ctx: &JobContext, uid: &str, status: &ProfileJobStatus) {
    let started = status.start_time.as_ref().map(|t| t.0);
    ctx.metrics.observe_job(uid, status.phase.unwrap_or_default(), started, !store_synced(status));
}
