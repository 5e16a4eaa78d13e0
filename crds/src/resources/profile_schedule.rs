//! `ProfileSchedule`: ProfileJobs on a cron schedule, with Kubernetes CronJob's semantics.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::{CustomResource, KubeSchema};
use serde::{Deserialize, Serialize};

use super::profile_job::{MAX_SECONDS, ProfileJobSpec};
use crate::rules;
use crate::{CheckResult, DriftResult};

/// Most finished jobs a history limit may keep.
pub const MAX_HISTORY_LIMIT: u32 = 100;

/// The label every job of a schedule carries: the schedule's name (shortened to a label value).
pub const SCHEDULE_LABEL: &str = "profiler.dev/schedule";

/// The annotation holding the time a job was scheduled for (RFC 3339, UTC).
pub const SCHEDULED_TIME_ANNOTATION: &str = "profiler.dev/scheduled-time";

/// An incremental schedule builds each run on its last profile, not on a fixed baseline (as
/// [`ProfileScheduleSpec::validate`]).
const INCREMENTAL_OWN_BASE: &str = "!self.jobTemplate.spec.incremental || !has(self.jobTemplate.spec.drift) \
    || !has(self.jobTemplate.spec.drift.baseline)";

/// What a schedule with both is told (the CRD and the controller).
pub const INCREMENTAL_SCHEDULE_FIXED_BASELINE: &str = "an incremental schedule builds each run on its last successful profile, which is also the run's drift baseline; drop jobTemplate.spec.drift.baseline or incremental";

/// Profile a table on a cron schedule: a ProfileJob from `jobTemplate` at each scheduled time.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "profiler.dev",
    version = "v1alpha1",
    kind = "ProfileSchedule",
    namespaced,
    shortname = "ps",
    status = "ProfileScheduleStatus",
    printcolumn = r#"{"name":"Schedule","type":"string","jsonPath":".spec.schedule"}"#,
    printcolumn = r#"{"name":"Suspend","type":"boolean","jsonPath":".spec.suspend"}"#,
    printcolumn = r#"{"name":"Last Schedule","type":"date","jsonPath":".status.lastScheduleTime"}"#,
    printcolumn = r#"{"name":"Last Drift","type":"string","jsonPath":".status.lastComparison.summary.highestSeverity"}"#,
    printcolumn = r#"{"name":"Last Rules","type":"string","jsonPath":".status.lastProfile.check.score"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[x_kube(validation = Rule::new(INCREMENTAL_OWN_BASE).message(INCREMENTAL_SCHEDULE_FIXED_BASELINE))]
#[serde(rename_all = "camelCase")]
pub struct ProfileScheduleSpec {
    /// When to run, in `timeZone`: five fields (minute, hour, day of month, month, day of week)
    /// or `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly` (as a Kubernetes CronJob).
    #[schemars(schema_with = "rules::schema::cron_schedule")]
    pub schedule: String,
    /// IANA time zone of `schedule` (default `UTC`).
    #[serde(default = "default_time_zone")]
    #[schemars(schema_with = "rules::schema::time_zone")]
    pub time_zone: String,
    /// The ProfileJob to create at each scheduled time.
    pub job_template: ProfileJobTemplate,
    /// What to do when a run is due while an earlier one is still active: `Forbid` (default:
    /// skip the new run), `Allow` (run both) or `Replace` (delete the active one first).
    #[serde(default)]
    pub concurrency_policy: ConcurrencyPolicy,
    /// Seconds after its scheduled time within which a run may still start (late starts after a
    /// controller outage, or a Forbid skip); later ones are missed. Unbounded when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = MAX_SECONDS))]
    pub starting_deadline_seconds: Option<u64>,
    /// While true, no new runs start (active ones continue).
    #[serde(default)]
    pub suspend: bool,
    /// Succeeded jobs to keep (0 to 100, default 3); older ones are deleted (their profiles stay
    /// in S3 and Postgres).
    #[serde(default = "default_successful_history")]
    #[schemars(range(max = MAX_HISTORY_LIMIT))]
    pub successful_jobs_history_limit: u32,
    /// Failed jobs to keep (0 to 100, default 1).
    #[serde(default = "default_failed_history")]
    #[schemars(range(max = MAX_HISTORY_LIMIT))]
    pub failed_jobs_history_limit: u32,
}

fn default_time_zone() -> String {
    "UTC".to_owned()
}

fn default_successful_history() -> u32 {
    3
}

fn default_failed_history() -> u32 {
    1
}

impl ProfileScheduleSpec {
    /// Checks what the CRD checks besides the template (which is a ProfileJob's spec, checked by
    /// the ProfileJob's own rules): the schedule's grammar, the time zone and the limits.
    pub fn validate(&self) -> Result<(), ScheduleSpecError> {
        let fail = |field: &str, message: String| Err(ScheduleSpecError { field: field.to_owned(), message });
        if let Err(m) = rules::CRON_SCHEDULE.check(&self.schedule) {
            return fail("spec.schedule", m);
        }
        if let Err(m) = rules::check_time_zone(&self.time_zone) {
            return fail("spec.timeZone", m);
        }
        let template = &self.job_template.spec;
        if template.incremental && template.drift.as_ref().is_some_and(|d| d.baseline.is_some()) {
            return fail("spec.jobTemplate.spec.incremental", INCREMENTAL_SCHEDULE_FIXED_BASELINE.to_owned());
        }
        if self.starting_deadline_seconds.is_some_and(|s| s > MAX_SECONDS) {
            return fail("spec.startingDeadlineSeconds", format!("must be at most {MAX_SECONDS}"));
        }
        for (field, limit) in [
            ("spec.successfulJobsHistoryLimit", self.successful_jobs_history_limit),
            ("spec.failedJobsHistoryLimit", self.failed_jobs_history_limit),
        ] {
            if limit > MAX_HISTORY_LIMIT {
                return fail(field, format!("must be at most {MAX_HISTORY_LIMIT}"));
            }
        }
        Ok(())
    }
}

/// A ProfileSchedule spec field the rules refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleSpecError {
    /// The field's path, e.g. `spec.timeZone`.
    pub field: String,
    /// What the value must be.
    pub message: String,
}

impl std::fmt::Display for ScheduleSpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScheduleSpecError {}

/// CronJob's concurrency policies.
#[derive(schemars::JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConcurrencyPolicy {
    /// Skip a run while a job of the schedule is active.
    #[default]
    Forbid,
    /// Run concurrently.
    Allow,
    /// Delete the active jobs, then run.
    Replace,
}

/// The ProfileJob a schedule creates: labels and annotations, and a ProfileJob spec checked by
/// the ProfileJob's own rules.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ProfileJobTemplate {
    /// Labels and annotations of each job (the controller adds `profiler.dev/schedule` and
    /// `profiler.dev/scheduled-time`).
    #[serde(default, skip_serializing_if = "TemplateMetadata::is_empty")]
    pub metadata: TemplateMetadata,
    /// The ProfileJob spec (see ProfileJob).
    #[schemars(schema_with = "template_spec_schema")]
    pub spec: ProfileJobSpec,
}

/// Labels and annotations of a job template.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct TemplateMetadata {
    /// Labels of each job.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations of each job.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl TemplateMetadata {
    /// No labels and no annotations.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.annotations.is_empty()
    }
}

/// The ProfileJob spec's schema with its rules, except the transition rules that keep a
/// submitted job's spec immutable: a template may change, the jobs it made do not.
fn template_spec_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut schema = generator.subschema_for::<ProfileJobSpec>();
    if let Some(serde_json::Value::Array(rules)) = schema.get_mut("x-kubernetes-validations") {
        rules.retain(|r| !r["rule"].as_str().is_some_and(|rule| rule.contains("oldSelf")));
    }
    schema
}

/// What the controller observed and did.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProfileScheduleStatus {
    /// The scheduled time of the last run started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<Time>,
    /// When the last successful run finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_successful_time: Option<Time>,
    /// The jobs of the schedule that have not finished.
    #[serde(default)]
    pub active: Vec<ObjectReference>,
    /// The result of the last successful run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_profile: Option<LastProfile>,
    /// How the last successful profile compared with the one before it (each run is compared
    /// with the schedule's previous successful profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_comparison: Option<LastComparison>,
    /// What happened last, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The generation the status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Ready (True while scheduling; False with reason Suspended or InvalidSchedule), with
    /// observedGeneration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// How the last successful run's profile compared with the profile before it (the job's
/// `status.result.drift`).
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LastComparison {
    /// The ProfileJob whose profile was compared.
    pub job_name: String,
    /// The comparison: baseline, summary (drift, highestSeverity, counts, drifted columns) and
    /// the URIs of diff.json and diff.html, or why nothing was compared.
    #[serde(flatten)]
    pub result: DriftResult,
}

/// The figures and outputs of a schedule's last successful run (from its ProfileJob's
/// `status.result`).
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LastProfile {
    /// The ProfileJob.
    pub job_name: String,
    /// The time it was scheduled for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_time: Option<Time>,
    /// When it finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    /// Rows in the table.
    pub rows: u64,
    /// Profiled columns.
    pub columns: u64,
    /// The Iceberg snapshot profiled, when the job names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<i64>,
    /// s3:// URI of profile.json.
    pub profile_uri: String,
    /// s3:// URI of report.html.
    pub report_uri: String,
    /// How the run's data quality rules fared (the template's `spec.rules`), when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckResult>,
}
