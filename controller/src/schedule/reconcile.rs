//! Carries out `decide` for one ProfileSchedule: Events for what it noticed, the active jobs
//! deleted (Replace), the run's ProfileJob created (AlreadyExists counts as done), finished jobs
//! beyond the history limits deleted, then the status.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType, Recorder};
use kube::{Client, Resource, ResourceExt};
use profiler_crds::JobPhase;
use profiler_crds::drift::DriftSpec;
use profiler_crds::resources::{
    LastComparison, LastProfile, ProfileJob, ProfileSchedule, ProfileScheduleStatus, SCHEDULE_LABEL,
    SCHEDULED_TIME_ANNOTATION,
};
use tracing::{info, instrument, warn};

use super::cron::Schedule;
use super::decide::{Decision, Inputs, Note, Run, RunState, Start, State, decide, requeue_after};
use super::names::schedule_label;
use crate::backoff::ErrorBackoff;
use crate::conditions::{self, ConditionType, Update};
use crate::error::Error;
use crate::metrics::Metrics;
use crate::status::patch_status;

/// Reasons of the schedule's Ready condition and Events.
pub mod reason {
    /// Ready=True: runs are created on schedule.
    pub const SCHEDULING: &str = "Scheduling";
    /// Ready=False: `spec.suspend` holds new runs.
    pub const SUSPENDED: &str = "Suspended";
    /// Ready=False: the schedule or time zone cannot be evaluated.
    pub const INVALID_SCHEDULE: &str = "InvalidSchedule";
    /// Event: a run's ProfileJob was created.
    pub const SUCCESSFUL_CREATE: &str = "SuccessfulCreate";
    /// Event: a job was deleted (Replace, history limits).
    pub const SUCCESSFUL_DELETE: &str = "SuccessfulDelete";
    /// Event: Forbid held a run back.
    pub const JOB_SKIPPED: &str = "JobSkipped";
    /// Event: more than 100 start times were missed (as CronJob).
    pub const TOO_MANY_MISSED_TIMES: &str = "TooManyMissedTimes";
    /// Event: scheduled times passed without their own run.
    pub const MISSED_SCHEDULE: &str = "MissedSchedule";
}

/// What the schedule reconciler needs.
pub struct ScheduleContext {
    /// Kubernetes client.
    pub client: Client,
    /// Events.
    pub recorder: Recorder,
    /// Metrics.
    pub metrics: Metrics,
    /// Requeue delays after failures.
    pub backoff: ErrorBackoff,
    /// The scheduled time each schedule (by uid) was last told of: a Forbid skip is looked at
    /// again whenever the active job changes, and is one skipped run, one Event.
    pub told: Mutex<HashMap<String, Timestamp>>,
}

impl ScheduleContext {
    /// A context with nothing told yet.
    pub fn new(client: Client, recorder: Recorder, metrics: Metrics) -> Self {
        Self { client, recorder, metrics, backoff: ErrorBackoff::default(), told: Mutex::default() }
    }

    /// Whether `due` is news for schedule `uid` (and remembers it).
    fn first_told(&self, uid: &str, due: Timestamp) -> bool {
        let Ok(mut told) = self.told.lock() else { return true };
        told.insert(uid.to_owned(), due) != Some(due)
    }
}

/// The longest wait between two looks at a schedule (a clock that jumps is noticed within it).
const MAX_WAIT: Duration = Duration::from_secs(3600);

/// Reconciles one ProfileSchedule.
#[instrument(skip_all, fields(namespace = schedule.namespace().unwrap_or_default(), schedule = %schedule.name_any()))]
pub async fn reconcile(schedule: Arc<ProfileSchedule>, ctx: Arc<ScheduleContext>) -> Result<Action, Error> {
    let result = step(&schedule, &ctx).await;
    ctx.metrics.reconciled("ProfileSchedule", result.is_err());
    if result.is_ok() {
        ctx.backoff.succeeded(&schedule_key(&schedule));
    }
    result
}

/// The key of a schedule in the error backoff.
pub fn schedule_key(schedule: &ProfileSchedule) -> String {
    schedule.uid().unwrap_or_else(|| format!("{}/{}", schedule.namespace().unwrap_or_default(), schedule.name_any()))
}

async fn step(schedule: &ProfileSchedule, ctx: &ScheduleContext) -> Result<Action, Error> {
    if schedule.metadata.deletion_timestamp.is_some() {
        // Its jobs go with it (ownerReferences); nothing to start.
        return Ok(Action::await_change());
    }
    let this = ScheduleRef::new(ctx, schedule)?;
    let jobs = this.jobs().await?;
    let runs: Vec<Run> = jobs.iter().map(run_of).collect();
    let spec = &schedule.spec;
    let parsed = Schedule::new(&spec.schedule, &spec.time_zone);
    let decision = decide(&Inputs {
        name: &this.name,
        spec,
        schedule: parsed.as_ref(),
        last_schedule_time: this.status.last_schedule_time.as_ref().map(|t| t.0),
        created: schedule.metadata.creation_timestamp.as_ref().map_or(this.now, |t| t.0),
        now: this.now,
        jobs: &runs,
    });
    info!(?decision, "decided");
    if let Some(due) = decision.due
        && ctx.first_told(&this.uid, due)
    {
        this.tell(&decision.notes).await;
    }
    for name in &decision.replace {
        this.delete_job(name, "it was active when the next run was due (concurrencyPolicy Replace)").await?;
    }
    let created = match &decision.start {
        Some(start) => Some(this.create_job(start, this.baseline(&jobs)).await?),
        None => None,
    };
    for name in &decision.prune {
        this.delete_job(name, "it is older than the history limits keep").await?;
    }
    let next = this.next_status(&decision, &jobs, created);
    if schedule.status.as_ref() != Some(&next) {
        let api: Api<ProfileSchedule> = Api::namespaced(ctx.client.clone(), &this.namespace);
        patch_status(&api, &this.name, &next).await?;
    }
    Ok(match decision.state {
        State::Scheduling => match requeue_after(decision.next, this.now) {
            Some(wait) => Action::requeue(wait.min(MAX_WAIT)),
            None => Action::await_change(),
        },
        State::Suspended | State::Invalid(_) => Action::await_change(),
    })
}

/// Whether a job is one of this schedule's (its controller owner).
fn owned_by(job: &ProfileJob, uid: &str) -> bool {
    job.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true) && o.uid == uid)
}

/// A job as the decision sees it.
fn run_of(job: &ProfileJob) -> Run {
    let phase = job.status.as_ref().and_then(|s| s.phase);
    let state = if job.metadata.deletion_timestamp.is_some() {
        RunState::Deleting
    } else {
        match phase {
            Some(JobPhase::Succeeded) => RunState::Succeeded,
            Some(JobPhase::Failed | JobPhase::Cancelled) => RunState::Failed,
            _ => RunState::Active,
        }
    };
    Run {
        name: job.name_any(),
        scheduled: scheduled_time(job),
        created: job.metadata.creation_timestamp.as_ref().map(|t| t.0),
        state,
    }
}

fn scheduled_time(job: &ProfileJob) -> Option<Timestamp> {
    job.annotations().get(SCHEDULED_TIME_ANNOTATION)?.parse().ok()
}

/// The schedule being reconciled and what every step needs of it.
struct ScheduleRef<'a> {
    ctx: &'a ScheduleContext,
    schedule: &'a ProfileSchedule,
    namespace: String,
    name: String,
    uid: String,
    status: ProfileScheduleStatus,
    now: Timestamp,
}

impl<'a> ScheduleRef<'a> {
    fn new(ctx: &'a ScheduleContext, schedule: &'a ProfileSchedule) -> Result<Self, Error> {
        let name = schedule.name_any();
        Ok(Self {
            ctx,
            schedule,
            namespace: schedule
                .namespace()
                .ok_or_else(|| Error::Malformed("ProfileSchedule without a namespace".into()))?,
            uid: schedule.uid().ok_or_else(|| Error::Malformed(format!("ProfileSchedule {name} has no uid")))?,
            name,
            status: schedule.status.clone().unwrap_or_default(),
            now: Timestamp::now(),
        })
    }

    fn jobs_api(&self) -> Api<ProfileJob> {
        Api::namespaced(self.ctx.client.clone(), &self.namespace)
    }

    /// The schedule's jobs: labelled with its name and owned by it (a same-named schedule
    /// deleted and created again does not inherit the old one's jobs).
    async fn jobs(&self) -> Result<Vec<ProfileJob>, Error> {
        let selector = format!("{SCHEDULE_LABEL}={}", schedule_label(&self.name));
        let listed = self.jobs_api().list(&ListParams::default().labels(&selector)).await?;
        Ok(listed.items.into_iter().filter(|j| owned_by(j, &self.uid)).collect())
    }

    /// The profile a new run is compared with: the template's own `drift.baseline` when it sets
    /// one (a fixed reference profile), else the newest successful run's profile, from the jobs
    /// still kept or, once history pruned them, from the status.
    fn baseline(&self, jobs: &[ProfileJob]) -> Option<String> {
        let template = self.schedule.spec.job_template.spec.drift.as_ref();
        if let Some(fixed) = template.and_then(|d| d.baseline.clone()) {
            return Some(fixed);
        }
        let newest = jobs
            .iter()
            .filter(|j| run_of(j).state == RunState::Succeeded)
            .filter_map(last_profile)
            .max_by(|a, b| a.scheduled_time.as_ref().map(|t| t.0).cmp(&b.scheduled_time.as_ref().map(|t| t.0)));
        match (newest, &self.status.last_profile) {
            (Some(job), Some(status))
                if status.scheduled_time.as_ref().map(|t| t.0) > job.scheduled_time.as_ref().map(|t| t.0) =>
            {
                Some(status.profile_uri.clone())
            }
            (Some(job), _) => Some(job.profile_uri),
            (None, status) => status.as_ref().map(|p| p.profile_uri.clone()),
        }
    }

    /// Creates the run's ProfileJob, compared with `baseline` when there is one; one that
    /// already exists (a restart, another replica) counts as created. Returns it.
    async fn create_job(&self, start: &Start, baseline: Option<String>) -> Result<ProfileJob, Error> {
        let job = self.job_for(start, baseline);
        let api = self.jobs_api();
        match api.create(&PostParams::default(), &job).await {
            Ok(created) => {
                self.ctx.metrics.schedule_runs.inc();
                let when = start.scheduled.to_string();
                self.event(
                    EventType::Normal,
                    reason::SUCCESSFUL_CREATE,
                    &format!("Created ProfileJob {} for {when}", start.name),
                )
                .await;
                Ok(created)
            }
            Err(kube::Error::Api(e)) if e.reason == "AlreadyExists" => {
                info!(job = start.name, "the run's job already exists");
                Ok(api.get(&start.name).await?)
            }
            Err(e) => {
                self.event(
                    EventType::Warning,
                    "FailedCreate",
                    &format!("Cannot create ProfileJob {}: {e}", start.name),
                )
                .await;
                Err(e.into())
            }
        }
    }

    /// The ProfileJob of a run: the template (its drift baseline set to `baseline`, with the
    /// template's thresholds), the schedule's label, the scheduled time, and the schedule as its
    /// controlling owner (deleting the schedule deletes its jobs).
    fn job_for(&self, start: &Start, baseline: Option<String>) -> ProfileJob {
        let template = &self.schedule.spec.job_template;
        let mut labels: BTreeMap<String, String> = template.metadata.labels.clone();
        labels.insert(SCHEDULE_LABEL.to_owned(), schedule_label(&self.name));
        let mut annotations = template.metadata.annotations.clone();
        annotations.insert(SCHEDULED_TIME_ANNOTATION.to_owned(), start.scheduled.to_string());
        let owner = OwnerReference {
            api_version: "profiler.dev/v1alpha1".into(),
            kind: "ProfileSchedule".into(),
            name: self.name.clone(),
            uid: self.uid.clone(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        };
        let mut spec = template.spec.clone();
        if let Some(baseline) = baseline {
            let thresholds = spec.drift.take().map(|d| d.thresholds).unwrap_or_default();
            spec.drift = Some(DriftSpec { baseline: Some(baseline), thresholds });
        }
        let mut job = ProfileJob::new(&start.name, spec);
        job.metadata = ObjectMeta {
            name: Some(start.name.clone()),
            namespace: Some(self.namespace.clone()),
            labels: Some(labels),
            annotations: Some(annotations),
            owner_references: Some(vec![owner]),
            ..ObjectMeta::default()
        };
        job
    }

    /// Deletes a job in the background: its own finalizer stops a running execution first.
    async fn delete_job(&self, name: &str, why: &str) -> Result<(), Error> {
        match self.jobs_api().delete(name, &DeleteParams::background()).await {
            Ok(_) => {
                self.event(EventType::Normal, reason::SUCCESSFUL_DELETE, &format!("Deleted ProfileJob {name}: {why}"))
                    .await;
                Ok(())
            }
            Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Events (and counters) for what the decision noticed.
    async fn tell(&self, notes: &[Note]) {
        for note in notes {
            match note {
                Note::TooManyMissed => {
                    let message = "too many missed start times (more than 100): only the most recent runs. Set or \
                        decrease .spec.startingDeadlineSeconds or check clock skew";
                    self.event(EventType::Warning, reason::TOO_MANY_MISSED_TIMES, message).await;
                }
                Note::Missed(n) => {
                    self.ctx.metrics.schedule_missed_runs.inc_by(*n);
                    let message = format!("{n} scheduled times passed without a run of their own; one run catches up");
                    self.event(EventType::Warning, reason::MISSED_SCHEDULE, &message).await;
                }
                Note::Skipped { scheduled, active } => {
                    self.ctx.metrics.schedule_skipped_runs.inc();
                    let message = format!(
                        "Not starting the run for {scheduled}: {} still active and concurrencyPolicy is Forbid",
                        active.join(", ")
                    );
                    self.event(EventType::Normal, reason::JOB_SKIPPED, &message).await;
                }
                Note::AlreadyCreated(name) => info!(job = name, "the run's job exists already"),
            }
        }
    }

    /// The status after this reconcile.
    fn next_status(
        &self,
        decision: &Decision,
        jobs: &[ProfileJob],
        created: Option<ProfileJob>,
    ) -> ProfileScheduleStatus {
        let mut next = self.status.clone();
        next.observed_generation = self.schedule.metadata.generation;
        next.last_schedule_time = decision.last_schedule_time.map(Time);
        let gone = |j: &&ProfileJob| decision.replace.contains(&j.name_any()) || decision.prune.contains(&j.name_any());
        let present: Vec<&ProfileJob> = jobs.iter().filter(|j| !gone(j)).chain(created.as_ref()).collect();
        next.active = present.iter().filter(|j| run_of(j).state == RunState::Active).map(|j| reference(j)).collect();
        next.active.sort_by(|a, b| a.name.cmp(&b.name));
        next.active.dedup_by(|a, b| a.name == b.name);
        let succeeded = jobs.iter().filter(|j| run_of(j).state == RunState::Succeeded);
        if let Some(newest) =
            succeeded.max_by_key(|j| (scheduled_time(j), j.metadata.creation_timestamp.as_ref().map(|t| t.0)))
            && let Some(profile) = last_profile(newest)
            && next.last_profile.as_ref().is_none_or(|p| p.scheduled_time <= profile.scheduled_time)
        {
            next.last_successful_time = profile.completion_time.clone().max(next.last_successful_time.take());
            next.last_comparison = last_comparison(newest);
            next.last_profile = Some(profile);
        }
        let (update, message) = match &decision.state {
            State::Scheduling => {
                let message = match decision.next {
                    Some(t) => format!("next run at {t}"),
                    None => "the schedule has no next time within 9 years".to_owned(),
                };
                (ready(true, reason::SCHEDULING, &message), message)
            }
            State::Suspended => {
                let message = "suspended: no new runs while spec.suspend is true".to_owned();
                (ready(false, reason::SUSPENDED, &message), message)
            }
            State::Invalid(m) => (ready(false, reason::INVALID_SCHEDULE, m), m.clone()),
        };
        conditions::set(&mut next.conditions, update, next.observed_generation, self.now);
        next.message = Some(message);
        next
    }

    async fn event(&self, kind: EventType, reason: &str, note: &str) {
        let event = Event {
            type_: kind,
            reason: reason.to_owned(),
            note: Some(note.chars().take(1000).collect()),
            action: reason.to_owned(),
            secondary: None,
        };
        if let Err(e) = self.ctx.recorder.publish(&event, &self.schedule.object_ref(&())).await {
            warn!(error = %e, "could not publish an event");
        }
    }
}

fn ready(status: bool, reason: &'static str, message: &str) -> Update {
    Update { type_: ConditionType::Ready, status, reason, message: message.to_owned() }
}

fn reference(job: &ProfileJob) -> ObjectReference {
    ObjectReference {
        api_version: Some("profiler.dev/v1alpha1".into()),
        kind: Some("ProfileJob".into()),
        name: Some(job.name_any()),
        namespace: job.namespace(),
        uid: job.uid(),
        ..ObjectReference::default()
    }
}

/// How a succeeded job's profile compared with its baseline, from its `status.result.drift`.
fn last_comparison(job: &ProfileJob) -> Option<LastComparison> {
    let result = job.status.as_ref()?.result.as_ref()?.drift.clone()?;
    Some(LastComparison { job_name: job.name_any(), result })
}

/// The last profile of a succeeded job, from its `status.result`.
fn last_profile(job: &ProfileJob) -> Option<LastProfile> {
    let status = job.status.as_ref()?;
    let result = status.result.as_ref()?;
    let snapshot_id = match &job.spec.source {
        profiler_crds::JobSource::Iceberg(source) => source.snapshot_id,
        _ => None,
    };
    Some(LastProfile {
        job_name: job.name_any(),
        scheduled_time: scheduled_time(job).map(Time),
        completion_time: status.completion_time.clone(),
        rows: result.rows,
        columns: result.columns,
        snapshot_id,
        profile_uri: result.profile_uri.clone(),
        report_uri: result.report_uri.clone(),
        check: result.check.clone(),
    })
}
