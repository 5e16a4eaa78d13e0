//! What one worker task reports: the JSON line it prints and the `result.json` it leaves under
//! its attempt's prefix, which the state machine reads to fail with the worker's message and the
//! controller reads to fill the job's status.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::fan_out::GroupStep;
use crate::quality::CheckSummary;

/// Object name of the task result under the attempt's output prefix.
pub const TASK_RESULT_OBJECT: &str = "result.json";

/// Why a run failed, which decides whether it is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FailureKind {
    /// The request is wrong (missing table, bad column); retrying will not help.
    BadInput,
    /// Something that may pass (network, throttling, a lost task); retry.
    Transient,
    /// A bug in the profiler.
    Internal,
}

impl FailureKind {
    /// Name as stored and serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::BadInput => "badInput",
            FailureKind::Transient => "transient",
            FailureKind::Internal => "internal",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [FailureKind::BadInput, FailureKind::Transient, FailureKind::Internal].into_iter().find(|k| k.as_str() == s)
    }

    /// Whether another attempt may succeed.
    pub fn is_retryable(self) -> bool {
        self == FailureKind::Transient
    }
}

/// A finished task, successful or not. One value per task, so the size of the successful
/// variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum TaskResult {
    /// The profile was written.
    Succeeded(TaskSummary),
    /// The first task of a fanned-out run planned its groups (`plan.json`); the state machine
    /// runs one task per group, then the merge.
    #[serde(rename_all = "camelCase")]
    Planned {
        /// The groups, in order.
        groups: Vec<GroupStep>,
    },
    /// A group's task wrote its partial profile.
    #[serde(rename_all = "camelCase")]
    GroupProfiled {
        /// The group's index.
        group: u32,
        /// Rows the group read.
        rows: u64,
        /// s3:// URI of the group's partial profile.
        profile_uri: String,
    },
    /// The task failed.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// The process exit code.
        exit_code: i32,
        /// What went wrong.
        error: TaskError,
    },
}

/// Figures of a successful task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskSummary {
    /// Rows in the table.
    pub rows: u64,
    /// Profiled columns.
    pub columns: u64,
    /// Rows that went into the profile.
    pub sampled_rows: u64,
    /// s3:// URI of profile.json.
    pub profile_uri: String,
    /// s3:// URI of report.html.
    pub report_uri: String,
    /// Wall-clock duration of the run in milliseconds.
    pub duration_ms: u64,
    /// The comparison with the job's drift baseline, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<DriftResult>,
    /// The verification of the job's data quality rules (`spec.rules`), when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckResult>,
    /// Worker tasks that profiled groups of the table, when the run fanned out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<u32>,
}

/// How the job's rules fared: what a status shows of `check.json`. A failed rule does not fail
/// the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// `passed/rules`, e.g. `10/12` (the Rules printer column).
    pub score: String,
    /// Counts of the outcomes and the names of the rules that did not pass.
    pub summary: CheckSummary,
    /// s3:// URI of check.json (every rule with its expected and observed values).
    pub check_uri: String,
}

impl CheckResult {
    /// The result of a check summarized as `summary`, written to `check_uri`.
    pub fn new(summary: CheckSummary, check_uri: String) -> Self {
        Self { score: format!("{}/{}", summary.passed, summary.rules), summary, check_uri }
    }
}

/// How the profile compared with the job's baseline (`spec.drift.baseline`). A baseline that
/// cannot be read or compared does not fail the run: `error` says why nothing was compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftResult {
    /// s3:// URI of the baseline profile.json.
    pub baseline: String,
    /// The comparison's summary (drifted column names cut to what a status keeps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<crate::comparison::DriftSummary>,
    /// s3:// URI of diff.json.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_uri: Option<String>,
    /// s3:// URI of diff.html (both distributions of each column overlaid, and the findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_report_uri: Option<String>,
    /// Why nothing was compared (the baseline could not be read, or is not a profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A failed task's error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskError {
    /// Whether retrying may help.
    pub kind: FailureKind,
    /// The message for the user: what failed and what to fix.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_serialize_with_a_status_tag() {
        let failed =
            TaskResult::Failed { exit_code: 2, error: TaskError { kind: FailureKind::BadInput, message: "no".into() } };
        let json = serde_json::to_string(&failed).unwrap();
        assert_eq!(json, r#"{"status":"failed","exitCode":2,"error":{"kind":"badInput","message":"no"}}"#);
        assert_eq!(serde_json::from_str::<TaskResult>(&json).unwrap(), failed);
        let ok = TaskResult::Succeeded(TaskSummary {
            rows: 1,
            columns: 2,
            sampled_rows: 1,
            profile_uri: "s3://b/p".into(),
            report_uri: "s3://b/r".into(),
            duration_ms: 5,
            drift: None,
            check: None,
            groups: None,
        });
        let json = serde_json::to_value(&ok).unwrap();
        assert_eq!(json["status"], "succeeded");
        assert_eq!(json["sampledRows"], 1);
        assert_eq!(serde_json::from_value::<TaskResult>(json).unwrap(), ok);
    }

    #[test]
    fn a_check_result_scores_passed_of_all() {
        let summary =
            CheckSummary { rules: 12, passed: 10, failed: 2, errors: 0, failing: vec!["a".into(), "b".into()] };
        let result = CheckResult::new(summary, "s3://b/check.json".into());
        assert_eq!(result.score, "10/12");
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["summary"]["failing"], serde_json::json!(["a", "b"]));
        assert_eq!(json["checkUri"], "s3://b/check.json");
    }
}
