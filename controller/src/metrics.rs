//! The controller's Prometheus metrics: every outbound AWS call and every throttled answer
//! (counted by an SDK interceptor, so no call site can forget it), reconciles and their
//! failures, the jobs this replica follows by phase, the oldest unfinished one, jobs whose
//! store write is pending, whether this replica leads, and the ProfileSchedules: how many, and
//! the runs they created, missed and skipped.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use k8s_openapi::jiff::Timestamp;
use profiler_crds::JobPhase;
use profiler_crds::quality::CheckSummary;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// Labels of an AWS call.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct AwsCallLabels {
    /// Service, e.g. `SFN`.
    pub service: String,
    /// Operation, e.g. `ListExecutions`.
    pub operation: String,
}

/// Labels of the time an AWS request spent in one stage.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct AwsStageLabels {
    /// Operation, e.g. `StartExecution` (`S3` for S3's REST calls).
    pub operation: String,
    /// `slot` (waiting for one of the in-flight slots), `budget` (waiting for a token of the
    /// request budget) or `service` (sent until AWS's answer arrived).
    pub stage: String,
}

/// Labels of a reconcile.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReconcileLabels {
    /// `ProfileJob` or `ProfilerRuntime`.
    pub kind: String,
}

/// Labels of the job gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PhaseLabels {
    /// A ProfileJob phase.
    pub phase: String,
}

/// Labels of the schedule gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScheduleLabels {
    /// `Scheduling` or `Suspended`.
    pub state: String,
}

/// Labels of the drift comparison counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DriftLabels {
    /// Namespace of the ProfileJob.
    pub namespace: String,
    /// `drift` (a warning or critical finding), `no_drift`, or `not_compared` (the baseline could
    /// not be read or compared).
    pub outcome: String,
    /// Highest severity found (`none` when there was no finding or no comparison).
    pub severity: String,
}

/// Labels of the rule counters.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RuleLabels {
    /// Namespace of the ProfileJob.
    pub namespace: String,
    /// Rules: `passed`, `failed` or `error` (not evaluated); checks (one per job): `passed`
    /// (every rule passed) or `failed`.
    pub outcome: String,
}

/// What the gauges are computed from: one entry per ProfileJob seen, by uid.
#[derive(Debug, Clone, Copy)]
struct JobEntry {
    phase: JobPhase,
    started: Option<Timestamp>,
    store_pending: bool,
}

/// All metrics, registered once.
#[derive(Clone, Debug)]
pub struct Metrics {
    registry: Arc<Registry>,
    /// Outbound AWS calls (each attempt, retries included).
    pub aws_calls: Family<AwsCallLabels, Counter>,
    /// AWS answers that asked the controller to slow down.
    pub aws_throttles: Family<AwsCallLabels, Counter>,
    /// Seconds AWS requests spent waiting for a slot, for a budget token, and for AWS.
    pub aws_request_seconds: Family<AwsStageLabels, Counter<f64, AtomicU64>>,
    /// Reconciles run.
    pub reconciles: Family<ReconcileLabels, Counter>,
    /// Reconciles that ended in an error (retried with backoff).
    pub reconcile_errors: Family<ReconcileLabels, Counter>,
    /// 1 while this replica holds the leader Lease (or runs without leader election).
    pub leader: Gauge,
    jobs: Family<PhaseLabels, Gauge>,
    oldest_active: Gauge,
    store_pending: Gauge,
    job_table: Arc<Mutex<HashMap<String, JobEntry>>>,
    /// ProfileSchedules this replica watches, by state.
    pub schedules: Family<ScheduleLabels, Gauge>,
    /// ProfileJobs created by schedules.
    pub schedule_runs: Counter,
    /// Scheduled times that passed without a run of their own (a controller outage, a
    /// suspended schedule, a Forbid skip past startingDeadlineSeconds): a catch-up run covers
    /// only the most recent.
    pub schedule_missed_runs: Counter,
    /// Runs a `Forbid` schedule held back because a job was active.
    pub schedule_skipped_runs: Counter,
    /// Comparisons of finished profiles with their baselines, by outcome.
    pub drift_comparisons: Family<DriftLabels, Counter>,
    /// Verified data quality rules of finished jobs, by outcome.
    pub rule_results: Family<RuleLabels, Counter>,
    /// Finished jobs whose rules were verified, by whether every rule passed.
    pub rule_checks: Family<RuleLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("profiler_operator");
        let aws_calls = Family::<AwsCallLabels, Counter>::default();
        let aws_throttles = Family::<AwsCallLabels, Counter>::default();
        let aws_request_seconds = Family::<AwsStageLabels, Counter<f64, AtomicU64>>::default();
        let reconciles = Family::<ReconcileLabels, Counter>::default();
        let reconcile_errors = Family::<ReconcileLabels, Counter>::default();
        let leader = Gauge::default();
        let jobs = Family::<PhaseLabels, Gauge>::default();
        let oldest_active = Gauge::default();
        let store_pending = Gauge::default();
        let schedules = Family::<ScheduleLabels, Gauge>::default();
        let schedule_runs = Counter::default();
        let schedule_missed_runs = Counter::default();
        let schedule_skipped_runs = Counter::default();
        let drift_comparisons = Family::<DriftLabels, Counter>::default();
        let rule_results = Family::<RuleLabels, Counter>::default();
        let rule_checks = Family::<RuleLabels, Counter>::default();
        registry.register("aws_calls", "Outbound AWS API calls, retries included", aws_calls.clone());
        registry.register(
            "aws_throttles",
            "AWS answers that throttled a call (HTTP 429/503, Throttling*)",
            aws_throttles.clone(),
        );
        registry.register(
            "aws_request_seconds",
            "Seconds AWS requests spent by stage: waiting for an in-flight slot, for a budget token, and sent",
            aws_request_seconds.clone(),
        );
        registry.register("reconciles", "Reconciles run", reconciles.clone());
        registry.register("reconcile_errors", "Reconciles that failed and were requeued", reconcile_errors.clone());
        registry.register("leader", "1 while this replica leads (holds the Lease)", leader.clone());
        registry.register("jobs", "ProfileJobs known to this replica, by phase", jobs.clone());
        registry.register(
            "oldest_active_job_seconds",
            "Age of the oldest ProfileJob not yet finished, from its start time (0 when none)",
            oldest_active.clone(),
        );
        registry.register(
            "store_pending_jobs",
            "ProfileJobs whose profile store write has not landed yet",
            store_pending.clone(),
        );
        registry.register("schedules", "ProfileSchedules this replica watches, by state", schedules.clone());
        registry.register("schedule_runs", "ProfileJobs created by ProfileSchedules", schedule_runs.clone());
        registry.register(
            "schedule_missed_runs",
            "Scheduled times that passed without a run of their own (one catch-up run covers the most recent)",
            schedule_missed_runs.clone(),
        );
        registry.register(
            "schedule_skipped_runs",
            "Runs a Forbid ProfileSchedule held back because a job of it was active",
            schedule_skipped_runs.clone(),
        );
        registry.register(
            "drift_comparisons",
            "Profiles compared with their baseline (spec.drift), by namespace, outcome and highest severity",
            drift_comparisons.clone(),
        );
        registry.register(
            "rule_results",
            "Data quality rules (spec.rules) verified by finished ProfileJobs, by namespace and outcome (passed, failed, error)",
            rule_results.clone(),
        );
        registry.register(
            "rule_checks",
            "ProfileJobs whose rules were verified, by namespace and outcome (passed: every rule passed; failed)",
            rule_checks.clone(),
        );
        Self {
            registry: Arc::new(registry),
            aws_calls,
            aws_throttles,
            aws_request_seconds,
            reconciles,
            reconcile_errors,
            leader,
            jobs,
            oldest_active,
            store_pending,
            job_table: Arc::default(),
            schedules,
            schedule_runs,
            schedule_missed_runs,
            schedule_skipped_runs,
            drift_comparisons,
            rule_results,
            rule_checks,
        }
    }
}

impl Metrics {
    /// Notes the phase of a ProfileJob after a reconcile.
    pub fn observe_job(&self, uid: &str, phase: JobPhase, started: Option<Timestamp>, store_pending: bool) {
        if let Ok(mut table) = self.job_table.lock() {
            table.insert(uid.to_owned(), JobEntry { phase, started, store_pending });
        }
    }

    /// Forgets a ProfileJob that is gone.
    pub fn forget_job(&self, uid: &str) {
        if let Ok(mut table) = self.job_table.lock() {
            table.remove(uid);
        }
    }

    fn refresh_job_gauges(&self, now: Timestamp) {
        let Ok(table) = self.job_table.lock() else { return };
        let mut by_phase: HashMap<JobPhase, i64> = HashMap::new();
        let mut oldest = 0i64;
        let mut pending = 0i64;
        for entry in table.values() {
            *by_phase.entry(entry.phase).or_default() += 1;
            pending += i64::from(entry.store_pending);
            if !entry.phase.is_terminal()
                && let Some(started) = entry.started
            {
                oldest = oldest.max(now.duration_since(started).as_secs());
            }
        }
        for phase in JobPhase::ALL {
            let labels = PhaseLabels { phase: phase.as_str().to_owned() };
            self.jobs.get_or_create(&labels).set(by_phase.get(&phase).copied().unwrap_or(0));
        }
        self.oldest_active.set(oldest);
        self.store_pending.set(pending);
    }

    /// The metrics in the Prometheus text format.
    pub fn encode(&self) -> String {
        self.refresh_job_gauges(Timestamp::now());
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// Sets the schedule gauge: how many are scheduling and how many suspended.
    pub fn set_schedules(&self, scheduling: i64, suspended: i64) {
        for (state, n) in [("Scheduling", scheduling), ("Suspended", suspended)] {
            self.schedules.get_or_create(&ScheduleLabels { state: state.to_owned() }).set(n);
        }
    }

    /// Counts the verified rules of one finished job of `namespace`.
    pub fn count_check(&self, namespace: &str, summary: &CheckSummary) {
        let labels = |outcome: &str| RuleLabels { namespace: namespace.to_owned(), outcome: outcome.to_owned() };
        for (outcome, n) in [("passed", summary.passed), ("failed", summary.failed), ("error", summary.errors)] {
            self.rule_results.get_or_create(&labels(outcome)).inc_by(u64::from(n));
        }
        let outcome = if summary.all_passed() { "passed" } else { "failed" };
        self.rule_checks.get_or_create(&labels(outcome)).inc();
    }

    /// Counts one reconcile of `kind`.
    pub fn reconciled(&self, kind: &str, failed: bool) {
        let labels = ReconcileLabels { kind: kind.to_owned() };
        self.reconciles.get_or_create(&labels).inc();
        if failed {
            self.reconcile_errors.get_or_create(&labels).inc();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_gauges_count_phases_the_oldest_active_job_and_pending_store_writes() {
        let metrics = Metrics::default();
        let now = Timestamp::now();
        let hour_ago = now - k8s_openapi::jiff::SignedDuration::from_secs(3600);
        metrics.observe_job("a", JobPhase::Running, Some(hour_ago), false);
        metrics.observe_job(
            "b",
            JobPhase::Succeeded,
            Some(hour_ago - k8s_openapi::jiff::SignedDuration::from_secs(60)),
            true,
        );
        metrics.observe_job("c", JobPhase::Running, Some(now), false);
        metrics.observe_job("d", JobPhase::Failed, None, false);
        metrics.forget_job("d");
        let text = metrics.encode();
        assert!(text.contains("profiler_operator_jobs{phase=\"Running\"} 2"), "{text}");
        assert!(text.contains("profiler_operator_jobs{phase=\"Succeeded\"} 1"), "{text}");
        assert!(text.contains("profiler_operator_jobs{phase=\"Failed\"} 0"), "{text}");
        assert!(text.contains("profiler_operator_store_pending_jobs 1"), "{text}");
        let oldest: i64 = text
            .lines()
            .find_map(|l| l.strip_prefix("profiler_operator_oldest_active_job_seconds "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(-1);
        assert!((3600..3610).contains(&oldest), "{text}");
    }

    #[test]
    fn rule_counters_count_rules_and_checks_by_outcome() {
        let metrics = Metrics::default();
        let summary = CheckSummary { rules: 12, passed: 10, failed: 1, errors: 1, failing: vec![] };
        metrics.count_check("team-a", &summary);
        let text = metrics.encode();
        assert!(
            text.contains("profiler_operator_rule_results_total{namespace=\"team-a\",outcome=\"passed\"} 10"),
            "{text}"
        );
        assert!(
            text.contains("profiler_operator_rule_results_total{namespace=\"team-a\",outcome=\"error\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("profiler_operator_rule_checks_total{namespace=\"team-a\",outcome=\"failed\"} 1"),
            "{text}"
        );
    }

    #[test]
    fn schedule_metrics() {
        let metrics = Metrics::default();
        metrics.set_schedules(2, 1);
        metrics.schedule_runs.inc();
        metrics.schedule_missed_runs.inc_by(4);
        let text = metrics.encode();
        assert!(text.contains("profiler_operator_schedules{state=\"Scheduling\"} 2"), "{text}");
        assert!(text.contains("profiler_operator_schedules{state=\"Suspended\"} 1"), "{text}");
        assert!(text.contains("profiler_operator_schedule_runs_total 1"), "{text}");
        assert!(text.contains("profiler_operator_schedule_missed_runs_total 4"), "{text}");
        assert!(text.contains("profiler_operator_schedule_skipped_runs_total 0"), "{text}");
    }
}
