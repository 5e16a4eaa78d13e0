//! The terminal table of a check: one row per rule with its outcome, what it expects and what the
//! data showed, then the summary line.

use profiler_crds::quality::{CheckReport, RuleOutcome};

use super::{text_table, truncate};

/// The table and summary of `report`.
pub fn render(report: &CheckReport) -> String {
    let rows: Vec<[String; 6]> = report
        .results
        .iter()
        .map(|r| {
            let outcome = match r.outcome {
                RuleOutcome::Passed => "pass",
                RuleOutcome::Failed => "FAIL",
                RuleOutcome::Error => "ERROR",
            };
            let observed = match (&r.error, r.outcome) {
                (Some(error), RuleOutcome::Error) => error.clone(),
                _ => r.observed.clone(),
            };
            [
                outcome.to_owned(),
                truncate(&r.name, 32),
                r.rule_type.to_string(),
                truncate(r.column.as_deref().unwrap_or("-"), 24),
                truncate(&r.expected, 40),
                truncate(&observed, 90),
            ]
        })
        .collect();
    let mut out = format!("{}: {} rows checked\n\n", report.source.location, report.row_count);
    out.push_str(&text_table(["result", "rule", "type", "column", "expected", "observed"], &rows, |_| false));
    out.push('\n');
    out.push_str(&report.summary.describe());
    out.push('\n');
    out
}
