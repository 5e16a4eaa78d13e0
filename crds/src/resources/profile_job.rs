//! `ProfileJob`: one profiling run of one table, like a batch Job.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::{CustomResource, KubeSchema};
use serde::{Deserialize, Serialize};

use crate::drift::DriftSpec;
use crate::fan_out::{GroupProgress, Parallelism};
use crate::quality::spec::RulesSpec;
use crate::rules;
use crate::sampling::{BERNOULLI_FIELDS, FULL_FIELDS, RESERVOIR_FIELDS};
use crate::{
    FAN_OUT_NEEDS_FILES, FAN_OUT_NOT_INCREMENTAL, FAN_OUT_NOT_METADATA_ONLY, FAN_OUT_NOT_RESERVOIR,
    FAN_OUT_NOT_WITH_RULES, INCREMENTAL_NEEDS_ICEBERG, INCREMENTAL_NOT_METADATA_ONLY, INCREMENTAL_NOT_SAMPLED,
    INCREMENTAL_NOT_WITH_RULES, JobDocumentError, JobPhase, JobSource, METADATA_ONLY_TAKES_NO_SAMPLING, MetricOptions,
    PUSHDOWN_TAKES_NO_SAMPLING, Sampling, TaskSummary,
};

/// Spec fields may not change after submission; only `suspend` may (CEL transition rule).
const SPEC_IMMUTABLE: &str = "self.runtimeRef == oldSelf.runtimeRef && self.source == oldSelf.source \
    && self.sampling == oldSelf.sampling && self.metrics == oldSelf.metrics \
    && self.backoffLimit == oldSelf.backoffLimit \
    && has(self.columns) == has(oldSelf.columns) && (!has(self.columns) || self.columns == oldSelf.columns) \
    && has(self.task) == has(oldSelf.task) && (!has(self.task) || self.task == oldSelf.task) \
    && has(self.activeDeadlineSeconds) == has(oldSelf.activeDeadlineSeconds) \
    && (!has(self.activeDeadlineSeconds) || self.activeDeadlineSeconds == oldSelf.activeDeadlineSeconds) \
    && has(self.ttlSecondsAfterFinished) == has(oldSelf.ttlSecondsAfterFinished) \
    && (!has(self.ttlSecondsAfterFinished) || self.ttlSecondsAfterFinished == oldSelf.ttlSecondsAfterFinished) \
    && has(self.drift) == has(oldSelf.drift) && (!has(self.drift) || self.drift == oldSelf.drift) \
    && has(self.rules) == has(oldSelf.rules) && (!has(self.rules) || self.rules == oldSelf.rules) \
    && has(self.parallelism) == has(oldSelf.parallelism) \
    && (!has(self.parallelism) || self.parallelism == oldSelf.parallelism) \
    && self.incremental == oldSelf.incremental";

/// Not a fixed fan-out: `parallelism` absent, `auto` (or null, the default) or at most 1.
macro_rules! fixed_fan_out {
    () => {
        "!has(self.parallelism) || type(self.parallelism) != int || self.parallelism <= 1"
    };
}

/// A fixed fan-out splits data files (as [`crate::JobDocument::validate`]).
const FAN_OUT_FILES: &str = concat!(fixed_fan_out!(), " || !(has(self.source.athena) || has(self.source.redshift))");

/// A fixed fan-out reads data files (as [`crate::JobDocument::validate`]).
const FAN_OUT_METADATA: &str =
    concat!(fixed_fan_out!(), " || !has(self.source.iceberg) || !self.source.iceberg.metadataOnly");

/// Rules are verified by one task (as [`crate::JobDocument::validate`]).
const FAN_OUT_RULES: &str = concat!(fixed_fan_out!(), " || !has(self.rules)");

/// Reservoir samples do not merge (as [`crate::JobDocument::validate`]).
const FAN_OUT_RESERVOIR: &str = concat!(fixed_fan_out!(), " || self.sampling.method != 'reservoir'");

/// An incremental run is one task (as [`crate::JobDocument::validate`]).
const FAN_OUT_INCREMENTAL: &str = concat!(fixed_fan_out!(), " || !self.incremental");

/// Incremental runs follow Iceberg snapshots (as [`crate::JobDocument::validate`]).
const INCREMENTAL_ICEBERG: &str = "!self.incremental || has(self.source.iceberg)";

/// Incremental runs scan data files (as [`crate::JobDocument::validate`]).
const INCREMENTAL_SCAN: &str = "!self.incremental || !has(self.source.iceberg) || !self.source.iceberg.metadataOnly";

/// Incremental runs add full scans (as [`crate::JobDocument::validate`]).
const INCREMENTAL_FULL: &str = "!self.incremental || self.sampling.method == 'full'";

/// Rules are verified over every row (as [`crate::JobDocument::validate`]).
const INCREMENTAL_RULES: &str = "!self.incremental || !has(self.rules)";

/// Metadata-only Iceberg profiles take no sampling (as [`crate::JobDocument::validate`]).
const METADATA_ONLY_FULL: &str =
    "!has(self.source.iceberg) || !self.source.iceberg.metadataOnly || self.sampling.method == 'full'";

/// Pushdown takes no sampling (as [`crate::JobDocument::validate`]).
const PUSHDOWN_FULL: &str = "self.sampling.method == 'full' \
    || !(has(self.source.athena) && self.source.athena.method == 'pushdown') \
    && !(has(self.source.redshift) && self.source.redshift.method == 'pushdown')";

/// Exactly one source kind.
const ONE_SOURCE: &str =
    "[has(self.iceberg), has(self.athena), has(self.redshift), has(self.parquet)].filter(x, x).size() == 1";

/// Fargate CPU units and the memory sizes (MiB) each allows.
const FARGATE_SIZE: &str = "self.cpu in [256, 512, 1024, 2048, 4096, 8192, 16384] \
    && (self.cpu == 256 ? self.memory in [512, 1024, 2048] \
    : self.cpu == 512 ? self.memory >= 1024 && self.memory <= 4096 && self.memory % 1024 == 0 \
    : self.cpu == 1024 ? self.memory >= 2048 && self.memory <= 8192 && self.memory % 1024 == 0 \
    : self.cpu == 2048 ? self.memory >= 4096 && self.memory <= 16384 && self.memory % 1024 == 0 \
    : self.cpu == 4096 ? self.memory >= 8192 && self.memory <= 30720 && self.memory % 1024 == 0 \
    : self.cpu == 8192 ? self.memory >= 16384 && self.memory <= 61440 && self.memory % 4096 == 0 \
    : self.memory >= 32768 && self.memory <= 122880 && self.memory % 8192 == 0)";

/// Profile one table once: which table, how, and on which runtime.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "profiler.dev",
    version = "v1alpha1",
    kind = "ProfileJob",
    namespaced,
    shortname = "pj",
    status = "ProfileJobStatus",
    printcolumn = r#"{"name":"Phase","type":"string","jsonPath":".status.phase"}"#,
    printcolumn = r#"{"name":"Rows","type":"integer","jsonPath":".status.result.rows"}"#,
    printcolumn = r#"{"name":"Drift","type":"string","jsonPath":".status.result.drift.summary.highestSeverity"}"#,
    printcolumn = r#"{"name":"Rules","type":"string","jsonPath":".status.result.check.score"}"#,
    printcolumn = r#"{"name":"Groups","type":"string","jsonPath":".status.groups.progress"}"#,
    printcolumn = r#"{"name":"Attempt","type":"integer","jsonPath":".status.attempt","priority":1}"#,
    printcolumn = r#"{"name":"Message","type":"string","jsonPath":".status.message","priority":1}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[x_kube(validation = Rule::new(SPEC_IMMUTABLE).message("spec is immutable once submitted, except suspend; create a new ProfileJob"))]
#[x_kube(validation = Rule::new(METADATA_ONLY_FULL).message(METADATA_ONLY_TAKES_NO_SAMPLING))]
#[x_kube(validation = Rule::new(PUSHDOWN_FULL).message(PUSHDOWN_TAKES_NO_SAMPLING))]
#[x_kube(validation = Rule::new(FAN_OUT_FILES).message(FAN_OUT_NEEDS_FILES))]
#[x_kube(validation = Rule::new(FAN_OUT_METADATA).message(FAN_OUT_NOT_METADATA_ONLY))]
#[x_kube(validation = Rule::new(FAN_OUT_RULES).message(FAN_OUT_NOT_WITH_RULES))]
#[x_kube(validation = Rule::new(FAN_OUT_RESERVOIR).message(FAN_OUT_NOT_RESERVOIR))]
#[x_kube(validation = Rule::new(FAN_OUT_INCREMENTAL).message(FAN_OUT_NOT_INCREMENTAL))]
#[x_kube(validation = Rule::new(INCREMENTAL_ICEBERG).message(INCREMENTAL_NEEDS_ICEBERG))]
#[x_kube(validation = Rule::new(INCREMENTAL_SCAN).message(INCREMENTAL_NOT_METADATA_ONLY))]
#[x_kube(validation = Rule::new(INCREMENTAL_FULL).message(INCREMENTAL_NOT_SAMPLED))]
#[x_kube(validation = Rule::new(INCREMENTAL_RULES).message(INCREMENTAL_NOT_WITH_RULES))]
#[serde(rename_all = "camelCase")]
pub struct ProfileJobSpec {
    /// The ProfilerRuntime (cluster-scoped) that runs this job.
    #[serde(default)]
    pub runtime_ref: RuntimeRef,
    /// The table to profile: exactly one of `iceberg`, `athena`, `redshift` or `parquet`.
    #[x_kube(validation = Rule::new(ONE_SOURCE).message("set exactly one of source.iceberg, source.athena, source.redshift, source.parquet"))]
    pub source: JobSource,
    /// Top-level columns to profile, in this order (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "rules::schema::columns")]
    pub columns: Option<Vec<String>>,
    /// Rows to profile: `{method: full}` (default), `{method: reservoir, size, seed}` or
    /// `{method: bernoulli, fraction, seed}`.
    #[serde(default, deserialize_with = "crate::sampling::deserialize_written")]
    #[schemars(schema_with = "sampling_schema")]
    pub sampling: Sampling,
    /// Histogram bins and top values per column.
    #[serde(default)]
    pub metrics: MetricOptions,
    /// Fargate task size for this job, instead of the runtime's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskSize>,
    /// Attempts after the first when a run fails for a retryable reason (0 to 10, default 2).
    /// Bad input fails at once.
    #[serde(default = "default_backoff_limit")]
    #[schemars(range(max = 10))]
    pub backoff_limit: u32,
    /// Seconds the job may run, all attempts together, before it is stopped and marked Failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = MAX_SECONDS))]
    pub active_deadline_seconds: Option<u64>,
    /// Seconds after the job finished when the ProfileJob is deleted (results stay in S3 and
    /// Postgres). Kept forever when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = MAX_SECONDS))]
    pub ttl_seconds_after_finished: Option<u64>,
    /// While true, nothing is submitted (a running execution is not stopped).
    #[serde(default)]
    pub suspend: bool,
    /// Compare the profile with an earlier profile of the same table (`baseline`, an
    /// s3://…/profile.json) and grade the changes by `thresholds`. A ProfileSchedule fills
    /// `baseline` with its last successful profile; its template's `thresholds` apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<DriftSpec>,
    /// Data quality rules verified in the same run (`inline`, or a rules.yaml in a ConfigMap of
    /// the job's namespace). A failed rule does not fail the job: the job Succeeds and its
    /// status, an Event (RulesFailed) and check.json report the rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<RulesSpec>,
    /// Worker tasks that profile the table: `auto` (default) or a number from 1 to 100. Above
    /// one task, the table's data files and row groups are split into groups of about equal
    /// bytes, one Fargate task profiles each group and a last task merges their profiles.
    /// Iceberg scans and Parquet on S3 split; a job with rules or a reservoir sample runs as one
    /// task.
    #[serde(default)]
    pub parallelism: Parallelism,
    /// Build the profile on the drift baseline's profile (`drift.baseline`; a ProfileSchedule
    /// fills it with its last successful profile) when the Iceberg table only grew by appends
    /// since that profile's snapshot: only the appended data files are read and merged into it.
    /// Anything else (an overwrite, a delete, another schema, no or an unreadable baseline)
    /// falls back to a full scan; the profile says which and why (`source.iceberg.incremental`).
    /// Iceberg full scans only, without rules; runs as one task.
    #[serde(default)]
    pub incremental: bool,
}

/// `Sampling` as a structural schema: one object whose fields depend on `method` (CEL), since
/// Kubernetes cannot express serde's internally tagged enum as `oneOf`.
fn sampling_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Rows to profile. method full (default) profiles every row; reservoir keeps a uniform sample of exactly size rows; bernoulli keeps each row with probability fraction. seed makes the choice reproducible.",
        "type": "object",
        "default": {"method": "full"},
        "required": ["method"],
        "properties": {
            "method": {"type": "string", "enum": ["full", "reservoir", "bernoulli"], "description": "full, reservoir or bernoulli."},
            "size": {"type": "integer", "format": "uint64", "minimum": 1, "description": "Rows to keep (reservoir)."},
            "fraction": {"type": "number", "format": "double", "description": "Probability of keeping a row, in (0, 1] (bernoulli)."},
            "seed": {"type": "integer", "format": "uint64", "minimum": 0, "description": "Seed of the row selection (reservoir, bernoulli)."}
        },
        "x-kubernetes-validations": [
            {"rule": "self.method != 'reservoir' || (has(self.size) && has(self.seed) && !has(self.fraction))", "message": RESERVOIR_FIELDS},
            {"rule": "self.method != 'bernoulli' || (has(self.fraction) && has(self.seed) && !has(self.size))", "message": BERNOULLI_FIELDS},
            {"rule": "self.method != 'full' || (!has(self.size) && !has(self.fraction) && !has(self.seed))", "message": FULL_FIELDS},
            {"rule": "!has(self.fraction) || (self.fraction > 0.0 && self.fraction <= 1.0)", "message": "fraction must be in (0, 1]"}
        ]
    })
}

fn default_backoff_limit() -> u32 {
    2
}

/// Largest `backoffLimit`.
pub const MAX_BACKOFF_LIMIT: u32 = 10;

/// Largest `activeDeadlineSeconds` and `ttlSecondsAfterFinished`: one year, the longest a Step
/// Functions standard execution may run.
pub const MAX_SECONDS: u64 = 31_536_000;

impl ProfileJobSpec {
    /// Checks what the job document does not carry (runtime name, task size, limits); the rest
    /// is checked by [`crate::JobDocument::validate`] when the controller builds the document.
    /// Together they are exactly what the CRD checks at admission.
    pub fn validate(&self) -> Result<(), JobDocumentError> {
        let fail = |field: &str, message: String| Err(JobDocumentError { field: field.to_owned(), message });
        if let Err(m) = rules::OBJECT_NAME.check(&self.runtime_ref.name) {
            return fail("spec.runtimeRef.name", m);
        }
        if let Some(task) = self.task
            && !task.is_fargate_size()
        {
            return fail("spec.task", FARGATE_SIZE_MESSAGE.to_owned());
        }
        if self.backoff_limit > MAX_BACKOFF_LIMIT {
            return fail("spec.backoffLimit", format!("must be at most {MAX_BACKOFF_LIMIT}"));
        }
        if let Some(s) = self.active_deadline_seconds
            && !(1..=MAX_SECONDS).contains(&s)
        {
            return fail("spec.activeDeadlineSeconds", format!("must be 1 to {MAX_SECONDS}"));
        }
        if self.ttl_seconds_after_finished.is_some_and(|s| s > MAX_SECONDS) {
            return fail("spec.ttlSecondsAfterFinished", format!("must be at most {MAX_SECONDS}"));
        }
        if let Some(Err((field, message))) = self.rules.as_ref().map(RulesSpec::validate) {
            let field = if field.is_empty() { "spec.rules".to_owned() } else { format!("spec.rules.{field}") };
            return fail(&field, message);
        }
        Ok(())
    }

    /// Whether a run of this job may split its table into groups (its parallelism is not 1 and
    /// its source, rules and sampling allow it).
    pub fn may_fan_out(&self) -> bool {
        !matches!(self.parallelism, Parallelism::Groups(n) if n <= 1)
            && crate::single_task_reason(&self.source, self.rules.is_some(), &self.sampling, self.incremental).is_none()
    }
}

/// What a bad [`TaskSize`] is told (the CRD and the controller).
pub const FARGATE_SIZE_MESSAGE: &str = "not a Fargate CPU/memory combination (see the AWS Fargate task size table)";

/// Names a ProfilerRuntime.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RuntimeRef {
    /// Name of the ProfilerRuntime (default `default`).
    #[serde(default = "default_runtime_name")]
    #[schemars(schema_with = "rules::schema::object_name")]
    pub name: String,
}

impl Default for RuntimeRef {
    fn default() -> Self {
        Self { name: default_runtime_name() }
    }
}

fn default_runtime_name() -> String {
    "default".to_owned()
}

/// A Fargate task size.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[x_kube(validation = Rule::new(FARGATE_SIZE).message(FARGATE_SIZE_MESSAGE))]
pub struct TaskSize {
    /// CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384.
    pub cpu: u32,
    /// Memory in MiB, allowed for the CPU size.
    pub memory: u32,
}

impl TaskSize {
    /// Whether Fargate runs tasks of this size (the same table as the CRD's CEL rule).
    pub fn is_fargate_size(&self) -> bool {
        let (cpu, memory) = (self.cpu, self.memory);
        let steps = |min: u32, max: u32, step: u32| (min..=max).contains(&memory) && memory % step == 0;
        match cpu {
            256 => [512, 1024, 2048].contains(&memory),
            512 => steps(1024, 4096, 1024),
            1024 => steps(2048, 8192, 1024),
            2048 => steps(4096, 16384, 1024),
            4096 => steps(8192, 30720, 1024),
            8192 => steps(16384, 61440, 4096),
            16384 => steps(32768, 122880, 8192),
            _ => false,
        }
    }
}

/// What the controller observed and did.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProfileJobStatus {
    /// Pending, Submitted, Running, Succeeded, Failed or Cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<JobPhase>,
    /// Current attempt, from 1.
    #[serde(default)]
    pub attempt: u32,
    /// Step Functions execution of the current attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_arn: Option<String>,
    /// When the first attempt was submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    /// When the job reached Succeeded, Failed or Cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    /// Figures and output URIs of the successful run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<TaskSummary>,
    /// The groups of the current attempt when it fanned out: how many are profiled, while they
    /// run and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<GroupProgress>,
    /// What happened last, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The generation the status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Ready, Submitted, Succeeded, Failed and StoreSynced, each with observedGeneration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
