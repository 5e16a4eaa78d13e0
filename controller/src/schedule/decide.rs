//! The ProfileSchedule decision, as one plain function over the schedule, the present time and
//! the schedule's jobs, with Kubernetes CronJob's rules (pkg/controller/cronjob): the most recent
//! scheduled time not yet run since `max(lastScheduleTime or creation, now -
//! startingDeadlineSeconds)` starts, at most one catch-up run, a warning past 100 missed times,
//! the concurrency policy, the history limits. No I/O, so every branch is unit-tested.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use profiler_crds::resources::{ConcurrencyPolicy, ProfileScheduleSpec};

use super::cron::{Missed, Schedule, ScheduleError};
use super::names::job_name;

/// A ProfileJob of the schedule, as the decision needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Its name.
    pub name: String,
    /// The time it was scheduled for (its annotation), when readable.
    pub scheduled: Option<Timestamp>,
    /// When it was created.
    pub created: Option<Timestamp>,
    /// Where it is.
    pub state: RunState,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Not finished.
    Active,
    /// Succeeded.
    Succeeded,
    /// Failed or Cancelled.
    Failed,
    /// Being deleted (Replace, history, or a person): neither active nor history.
    Deleting,
}

/// Everything the decision depends on.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The schedule's name (jobs are named after it).
    pub name: &'a str,
    /// Desired state.
    pub spec: &'a ProfileScheduleSpec,
    /// `spec.schedule` in `spec.timeZone`, or why it cannot be evaluated.
    pub schedule: Result<&'a Schedule, &'a ScheduleError>,
    /// `status.lastScheduleTime`.
    pub last_schedule_time: Option<Timestamp>,
    /// The schedule's creationTimestamp.
    pub created: Timestamp,
    /// The present time.
    pub now: Timestamp,
    /// The schedule's jobs.
    pub jobs: &'a [Run],
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// Whether the schedule runs, is suspended, or cannot be evaluated.
    pub state: State,
    /// Create this job.
    pub start: Option<Start>,
    /// Delete these active jobs first (`Replace`).
    pub replace: Vec<String>,
    /// Delete these finished jobs (history limits).
    pub prune: Vec<String>,
    /// What to tell people (Events).
    pub notes: Vec<Note>,
    /// `status.lastScheduleTime` after this decision.
    pub last_schedule_time: Option<Timestamp>,
    /// The next scheduled time after now; look again then.
    pub next: Option<Timestamp>,
    /// The scheduled time this decision is about (run, skipped or already created), so the
    /// reconciler tells of it once however often it looks.
    pub due: Option<Timestamp>,
}

/// Whether the schedule runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum State {
    /// Creating runs on schedule.
    #[default]
    Scheduling,
    /// `spec.suspend`: no new runs.
    Suspended,
    /// The schedule or time zone cannot be evaluated (a stored object the CRD's rules now
    /// refuse).
    Invalid(String),
}

/// A run to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// Its deterministic name.
    pub name: String,
    /// The time it is scheduled for.
    pub scheduled: Timestamp,
}

/// Something worth an Event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// More than 100 start times were missed (Warning TooManyMissedTimes, as CronJob).
    TooManyMissed,
    /// Scheduled times passed without a run of their own (a catch-up run covers only the most
    /// recent): how many.
    Missed(u64),
    /// `Forbid`: the run at `scheduled` waits because these jobs are active (Normal JobSkipped).
    Skipped {
        /// The scheduled time not started.
        scheduled: Timestamp,
        /// The active jobs.
        active: Vec<String>,
    },
    /// The run's job already exists (created before a restart, or by another replica).
    AlreadyCreated(String),
}

/// The next step for one ProfileSchedule.
pub fn decide(inputs: &Inputs<'_>) -> Decision {
    let Inputs { name, spec, schedule, last_schedule_time, created, now, jobs } = inputs;
    let mut decision = Decision {
        prune: prune(jobs, spec.successful_jobs_history_limit, spec.failed_jobs_history_limit),
        last_schedule_time: *last_schedule_time,
        ..Decision::default()
    };
    let schedule = match schedule {
        Ok(s) => s,
        Err(e) => {
            decision.state = State::Invalid(e.to_string());
            return decision;
        }
    };
    if spec.suspend {
        decision.state = State::Suspended;
        return decision;
    }
    decision.next = schedule.next_after(*now);
    let mut earliest = last_schedule_time.unwrap_or(*created);
    if let Some(deadline) = spec.starting_deadline_seconds {
        earliest = earliest.max(*now - SignedDuration::from_secs(deadline as i64));
    }
    let Missed { most_recent, count } = schedule.missed(earliest, *now);
    let Some(scheduled) = most_recent else {
        return decision;
    };
    decision.due = Some(scheduled);
    if count > super::cron::MAX_MISSED {
        decision.notes.push(Note::TooManyMissed);
    }
    if count > 1 {
        decision.notes.push(Note::Missed(count - 1));
    }
    let run_name = job_name(name, scheduled);
    if jobs.iter().any(|j| j.name == run_name) {
        decision.notes.push(Note::AlreadyCreated(run_name));
        decision.last_schedule_time = Some(scheduled);
        return decision;
    }
    let active: Vec<String> = jobs.iter().filter(|j| j.state == RunState::Active).map(|j| j.name.clone()).collect();
    match spec.concurrency_policy {
        // As CronJob: lastScheduleTime stays, so the run starts once the active job finishes, if
        // still within startingDeadlineSeconds.
        ConcurrencyPolicy::Forbid if !active.is_empty() => {
            decision.notes.push(Note::Skipped { scheduled, active });
            return decision;
        }
        ConcurrencyPolicy::Replace => decision.replace = active,
        _ => {}
    }
    decision.start = Some(Start { name: run_name, scheduled });
    decision.last_schedule_time = Some(scheduled);
    decision
}

/// The finished jobs beyond the history limits, oldest first (by scheduled time, then creation,
/// then name).
fn prune(jobs: &[Run], successful: u32, failed: u32) -> Vec<String> {
    let mut out = Vec::new();
    for (state, keep) in [(RunState::Succeeded, successful), (RunState::Failed, failed)] {
        let mut finished: Vec<&Run> = jobs.iter().filter(|j| j.state == state).collect();
        finished.sort_by(|a, b| (a.scheduled, a.created, &a.name).cmp(&(b.scheduled, b.created, &b.name)));
        let excess = finished.len().saturating_sub(keep as usize);
        out.extend(finished[..excess].iter().map(|j| j.name.clone()));
    }
    out
}

/// How long to wait before looking again: until the next scheduled time (a little after, so the
/// time has passed), or not at all.
pub fn requeue_after(next: Option<Timestamp>, now: Timestamp) -> Option<Duration> {
    let left = next?.duration_since(now) + SignedDuration::from_millis(500);
    Some(Duration::try_from(left).unwrap_or(Duration::from_millis(500)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schedule: &str) -> ProfileScheduleSpec {
        serde_json::from_value(serde_json::json!({
            "schedule": schedule,
            "jobTemplate": {"spec": {"source": {"athena": {"database": "sales", "table": "orders"}}}},
        }))
        .unwrap()
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn run(name: &str, scheduled: &str, state: RunState) -> Run {
        Run { name: name.into(), scheduled: Some(at(scheduled)), created: Some(at(scheduled)), state }
    }

    struct Case {
        spec: ProfileScheduleSpec,
        last: Option<&'static str>,
        created: &'static str,
        now: &'static str,
        jobs: Vec<Run>,
    }

    impl Case {
        fn new(schedule: &str, now: &'static str) -> Self {
            Self { spec: spec(schedule), last: None, created: "2026-01-01T00:00:00Z", now, jobs: Vec::new() }
        }

        fn decide(&self) -> Decision {
            let schedule = Schedule::new(&self.spec.schedule, &self.spec.time_zone);
            decide(&Inputs {
                name: "orders",
                spec: &self.spec,
                schedule: schedule.as_ref(),
                last_schedule_time: self.last.map(at),
                created: at(self.created),
                now: at(self.now),
                jobs: &self.jobs,
            })
        }
    }

    fn start(d: &Decision) -> Option<(String, String)> {
        d.start.as_ref().map(|s| (s.name.clone(), s.scheduled.to_string()))
    }

    #[test]
    fn nothing_before_the_first_time_then_the_first_run() {
        let mut case = Case::new("0 * * * *", "2026-01-01T00:59:59Z");
        let d = case.decide();
        assert_eq!((d.start, d.next), (None, Some(at("2026-01-01T01:00:00Z"))));
        case.now = "2026-01-01T01:00:05Z";
        let d = case.decide();
        // 2026-01-01T01:00:00Z is minute 29453820 of the Unix epoch.
        assert_eq!(start(&d), Some(("orders-29453820".into(), "2026-01-01T01:00:00Z".into())));
        assert_eq!(d.last_schedule_time, Some(at("2026-01-01T01:00:00Z")));
        assert_eq!(d.next, Some(at("2026-01-01T02:00:00Z")));
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn catch_up_is_one_run_for_the_most_recent_missed_time() {
        let mut case = Case::new("*/10 * * * *", "2026-01-01T01:05:00Z");
        case.last = Some("2026-01-01T00:10:00Z");
        let d = case.decide();
        assert_eq!(start(&d).unwrap().1, "2026-01-01T01:00:00Z");
        // 00:20 .. 01:00: five times, one run: four missed.
        assert_eq!(d.notes, vec![Note::Missed(4)]);
    }

    #[test]
    fn the_starting_deadline_drops_late_runs() {
        let mut case = Case::new("0 * * * *", "2026-01-01T01:05:00Z");
        case.last = Some("2026-01-01T00:00:00Z");
        case.spec.starting_deadline_seconds = Some(120);
        let d = case.decide();
        assert_eq!((d.start, d.last_schedule_time), (None, Some(at("2026-01-01T00:00:00Z"))));
        assert_eq!(d.next, Some(at("2026-01-01T02:00:00Z")));
        case.spec.starting_deadline_seconds = Some(600);
        assert_eq!(start(&case.decide()).unwrap().1, "2026-01-01T01:00:00Z");
    }

    #[test]
    fn more_than_100_missed_warns_and_still_runs_the_latest() {
        let mut case = Case::new("* * * * *", "2026-01-02T00:00:30Z");
        case.last = Some("2026-01-01T00:00:00Z");
        let d = case.decide();
        assert_eq!(d.notes[0], Note::TooManyMissed);
        assert_eq!(start(&d).unwrap().1, "2026-01-02T00:00:00Z");
        // With a deadline the look back is short: no warning.
        case.spec.starting_deadline_seconds = Some(300);
        let d = case.decide();
        assert_eq!((start(&d).unwrap().1, d.notes), ("2026-01-02T00:00:00Z".into(), vec![Note::Missed(4)]));
    }

    #[test]
    fn forbid_skips_while_a_job_is_active_and_runs_once_it_is_done() {
        let mut case = Case::new("0 * * * *", "2026-01-01T02:00:10Z");
        case.last = Some("2026-01-01T01:00:00Z");
        case.jobs = vec![run("orders-29453820", "2026-01-01T01:00:00Z", RunState::Active)];
        let d = case.decide();
        assert_eq!(d.start, None);
        assert_eq!(
            d.notes,
            vec![Note::Skipped { scheduled: at("2026-01-01T02:00:00Z"), active: vec!["orders-29453820".into()] }]
        );
        assert_eq!(d.last_schedule_time, Some(at("2026-01-01T01:00:00Z")), "unchanged, as CronJob");
        assert_eq!(d.due, Some(at("2026-01-01T02:00:00Z")), "told once per scheduled time");
        case.jobs[0].state = RunState::Succeeded;
        case.now = "2026-01-01T02:20:00Z";
        assert_eq!(start(&case.decide()).unwrap().1, "2026-01-01T02:00:00Z");
    }

    #[test]
    fn allow_runs_concurrently_and_replace_deletes_the_active_job_first() {
        let mut case = Case::new("0 * * * *", "2026-01-01T02:00:10Z");
        case.last = Some("2026-01-01T01:00:00Z");
        case.jobs = vec![
            run("orders-29453820", "2026-01-01T01:00:00Z", RunState::Active),
            run("orders-29453760", "2026-01-01T00:00:00Z", RunState::Succeeded),
        ];
        case.spec.concurrency_policy = ConcurrencyPolicy::Allow;
        let d = case.decide();
        assert_eq!((start(&d).unwrap().1, d.replace.len()), ("2026-01-01T02:00:00Z".into(), 0));
        case.spec.concurrency_policy = ConcurrencyPolicy::Replace;
        let d = case.decide();
        assert_eq!(d.replace, vec!["orders-29453820".to_owned()]);
        assert!(d.start.is_some());
    }

    #[test]
    fn suspend_starts_nothing_and_keeps_the_last_schedule_time() {
        let mut case = Case::new("* * * * *", "2026-01-01T03:00:10Z");
        case.last = Some("2026-01-01T01:00:00Z");
        case.spec.suspend = true;
        let d = case.decide();
        assert_eq!((d.state, d.start, d.next), (State::Suspended, None, None));
        assert_eq!(d.last_schedule_time, Some(at("2026-01-01T01:00:00Z")));
        // Resumed: the most recent missed time runs, with CronJob's warning for so many.
        case.spec.suspend = false;
        let d = case.decide();
        assert_eq!((d.notes[0].clone(), start(&d).unwrap().1), (Note::TooManyMissed, "2026-01-01T03:00:00Z".into()));
    }

    #[test]
    fn an_invalid_schedule_is_reported_not_run() {
        let mut case = Case::new("* * * * *", "2026-01-01T02:00:10Z");
        case.spec.time_zone = "Mars/Olympus".into();
        let State::Invalid(message) = case.decide().state else { panic!() };
        assert!(message.starts_with("spec.timeZone:"), "{message}");
    }

    #[test]
    fn a_restart_finds_the_run_it_created_by_its_deterministic_name() {
        let mut case = Case::new("0 * * * *", "2026-01-01T01:00:20Z");
        let first = case.decide().start.unwrap();
        // The job was created, then the controller died before writing lastScheduleTime.
        case.jobs = vec![run(&first.name, "2026-01-01T01:00:00Z", RunState::Active)];
        let d = case.decide();
        assert_eq!(d.start, None);
        assert_eq!(d.notes, vec![Note::AlreadyCreated(first.name)]);
        assert_eq!(d.last_schedule_time, Some(first.scheduled));
    }

    #[test]
    fn history_keeps_the_newest_finished_jobs() {
        let mut case = Case::new("0 * * * *", "2026-01-01T05:30:00Z");
        case.last = Some("2026-01-01T05:00:00Z");
        case.jobs = vec![
            run("s4", "2026-01-01T04:00:00Z", RunState::Succeeded),
            run("s1", "2026-01-01T01:00:00Z", RunState::Succeeded),
            run("f2", "2026-01-01T02:00:00Z", RunState::Failed),
            run("s3", "2026-01-01T03:00:00Z", RunState::Succeeded),
            run("s0", "2026-01-01T00:00:00Z", RunState::Succeeded),
            run("f5", "2026-01-01T05:00:00Z", RunState::Failed),
            run("d", "2026-01-01T00:00:00Z", RunState::Deleting),
            run("a", "2026-01-01T05:00:00Z", RunState::Active),
        ];
        assert_eq!(case.decide().prune, ["s0", "f2"]);
        case.spec.successful_jobs_history_limit = 0;
        case.spec.failed_jobs_history_limit = 0;
        assert_eq!(case.decide().prune, ["s0", "s1", "s3", "s4", "f2", "f5"]);
    }

    #[test]
    fn requeue_just_after_the_next_time() {
        let now = at("2026-01-01T00:00:10Z");
        assert_eq!(requeue_after(Some(at("2026-01-01T00:01:00Z")), now), Some(Duration::from_millis(50_500)));
        assert_eq!(requeue_after(None, now), None);
    }
}
