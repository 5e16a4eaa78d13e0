//! The result of verifying a rule set against a table (`check.json`) and its summary in a job's
//! status.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::RuleType;
use crate::profile::SourceInfo;

/// Version of the `check.json` format written by this build.
pub const CHECK_FORMAT_VERSION: u32 = 1;

/// Most failing rule names a status lists (the full list is in check.json).
pub const MAX_FAILED_RULES_IN_STATUS: usize = 20;

/// Every rule of a rule set, evaluated against one table in one scan (`check.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    /// Format version of this document.
    pub format_version: u32,
    /// Version of the profiler that verified the rules.
    pub profiler_version: String,
    /// What was checked.
    pub source: SourceInfo,
    /// Rows the rules were evaluated on.
    pub row_count: u64,
    /// When the check started, RFC 3339 in UTC.
    pub started_at: String,
    /// Wall-clock duration in milliseconds.
    pub duration_ms: u64,
    /// Counts of the outcomes.
    pub summary: CheckSummary,
    /// One result per rule, in the rule set's order.
    pub results: Vec<RuleResult>,
}

/// How many rules passed and failed, and which failed; what a job's status shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckSummary {
    /// Rules evaluated.
    pub rules: u32,
    /// Rules that passed.
    pub passed: u32,
    /// Rules that failed: the data breaks them.
    pub failed: u32,
    /// Rules that could not be evaluated (a missing column, a type the rule does not apply to).
    pub errors: u32,
    /// Names of the failed and unevaluated rules, in rule set order, at most
    /// [`MAX_FAILED_RULES_IN_STATUS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<String>,
}

impl CheckSummary {
    /// The summary of `results`.
    pub fn of(results: &[RuleResult]) -> Self {
        let count = |o: RuleOutcome| results.iter().filter(|r| r.outcome == o).count() as u32;
        CheckSummary {
            rules: results.len() as u32,
            passed: count(RuleOutcome::Passed),
            failed: count(RuleOutcome::Failed),
            errors: count(RuleOutcome::Error),
            failing: results
                .iter()
                .filter(|r| r.outcome != RuleOutcome::Passed)
                .take(MAX_FAILED_RULES_IN_STATUS)
                .map(|r| r.name.clone())
                .collect(),
        }
    }

    /// Whether every rule passed.
    pub fn all_passed(&self) -> bool {
        self.failed == 0 && self.errors == 0
    }

    /// One line for events and logs: `12 rules: 10 passed, 1 failed (a), 1 not evaluated (b)`.
    pub fn describe(&self) -> String {
        let mut line = format!("{} rules: {} passed", self.rules, self.passed);
        if self.failed > 0 || self.errors > 0 {
            line.push_str(&format!(", {} failed", self.failed));
            if self.errors > 0 {
                line.push_str(&format!(", {} not evaluated", self.errors));
            }
            line.push_str(&format!(": {}", self.failing.join(", ")));
            let listed = self.failing.len() as u32;
            if listed < self.failed + self.errors {
                line.push_str(&format!(" and {} more", self.failed + self.errors - listed));
            }
        }
        line
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleResult {
    /// The rule's name.
    pub name: String,
    /// The rule's type.
    #[serde(rename = "type")]
    pub rule_type: RuleType,
    /// The rule's column, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Passed, failed or not evaluated.
    pub outcome: RuleOutcome,
    /// What the rule requires, in words (`>= 0.99 non-null`, `within 0..=100`).
    pub expected: String,
    /// What the data showed, in words (`0.9731 non-null`, `min -3, max 120`).
    pub observed: String,
    /// The observed figure the rule compares (a fraction, a count, a bound), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_value: Option<f64>,
    /// Rows that break the rule, where it counts rows (nulls, values out of range or not
    /// allowed, duplicates beyond the first occurrence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_rows: Option<u64>,
    /// Why the rule could not be evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Outcome of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RuleOutcome {
    /// The data meets the rule.
    Passed,
    /// The data breaks the rule.
    Failed,
    /// The rule could not be evaluated against this table (see `error`).
    Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, outcome: RuleOutcome) -> RuleResult {
        RuleResult {
            name: name.into(),
            rule_type: RuleType::Completeness,
            column: Some("c".into()),
            outcome,
            expected: String::new(),
            observed: String::new(),
            observed_value: None,
            failing_rows: None,
            error: None,
        }
    }

    #[test]
    fn the_summary_counts_and_lists_what_did_not_pass() {
        let summary = CheckSummary::of(&[
            result("a", RuleOutcome::Passed),
            result("b", RuleOutcome::Failed),
            result("c", RuleOutcome::Error),
        ]);
        assert_eq!((summary.rules, summary.passed, summary.failed, summary.errors), (3, 1, 1, 1));
        assert!(!summary.all_passed());
        assert_eq!(summary.describe(), "3 rules: 1 passed, 1 failed, 1 not evaluated: b, c");
    }
}
