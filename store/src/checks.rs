//! Verified data quality rules: a run's check of its rule set (`check.json`, [`CheckReport`]).
//! The summary is kept as columns of `rule_checks` (for dashboards), each rule's result as a row
//! of `rule_results` (for SQL over rules), and the whole document as `jsonb`, from which reads
//! rebuild it exactly.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use profiler_crds::quality::{CHECK_FORMAT_VERSION, CheckReport, CheckSummary, RuleOutcome};
use sqlx::{Postgres, Transaction};
use tracing::{debug, instrument};
use uuid::Uuid;

use crate::error::StoreError;
use crate::records::RunKey;
use crate::rows::{enum_name, parse_time, to_i64};
use crate::store::Store;
use crate::write::{attempt, insert_rows};

/// A check read back from the store, with its run.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRecord {
    /// The run that verified the rules.
    pub run: RunKey,
    /// The checked table, as check.json's source names it.
    pub table_ref: String,
    /// When the check was recorded as done.
    pub checked_at: DateTime<Utc>,
    /// The summary, as its columns hold it (equal to `report.summary`).
    pub summary: CheckSummary,
    /// The whole check document, as it was recorded.
    pub report: CheckReport,
}

/// One row of `rule_results` (without run_id and namespace).
struct ResultRow {
    position: i32,
    name: String,
    rule_type: String,
    column_name: Option<String>,
    outcome: String,
    expected: String,
    observed: String,
    observed_value: Option<f64>,
    failing_rows: Option<i64>,
    error: Option<String>,
}

/// A `rule_checks` row with its run, as the reads select it.
#[derive(sqlx::FromRow)]
struct CheckRow {
    job_uid: Uuid,
    attempt: i32,
    table_ref: String,
    checked_at: DateTime<Utc>,
    format_version: i32,
    document: serde_json::Value,
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> StoreError {
    StoreError::InvalidCheck { field: field.into(), reason: reason.into() }
}

impl Store {
    /// Records the check of `run`'s rules, replacing any check recorded for the run before, in
    /// one transaction: either the check and all its rule results land or nothing changes.
    /// `checked_at` is when the check was done.
    ///
    /// The summary must be the summary of the results (counts and failing names), rule names
    /// unique, and every number finite (JSON has no NaN or infinity, so the document would not
    /// read back as written).
    #[instrument(skip_all, fields(run = %run, rules = report.results.len()))]
    pub async fn record_check(
        &self,
        run: RunKey,
        report: &CheckReport,
        checked_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let document = document_json(report)?;
        check_summary(report)?;
        let results = result_rows(report)?;
        let summary = &report.summary;
        let int =
            |value: u32, field: &str| i32::try_from(value).map_err(|_| invalid(field, format!("{value} exceeds 2^31")));
        let format_version = int(report.format_version, "formatVersion")?;
        let started_at = parse_time(&report.started_at, "check.startedAt")?;
        let row_count = to_i64(report.row_count, || "check.rowCount".to_owned())?;
        let duration_ms = to_i64(report.duration_ms, || "check.durationMs".to_owned())?;

        let mut tx = self.pool.begin().await.map_err(StoreError::query("opening a transaction"))?;
        // The run's row is locked, so concurrent writes of its check wait.
        let found: Option<(i64, String)> = sqlx::query_as(
            "select id, namespace from profiler.profile_runs where job_uid = $1 and attempt = $2 for update",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("finding the checked run"))?;
        let Some((run_id, namespace)) = found else { return Err(StoreError::RunNotFound(run.to_string())) };

        // The rule results go with it (on delete cascade).
        sqlx::query("delete from profiler.rule_checks where run_id = $1")
            .bind(run_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("replacing the run's earlier check"))?;
        sqlx::query(
            "insert into profiler.rule_checks (run_id, namespace, table_ref, source_kind, snapshot_id, row_count,
               started_at, checked_at, duration_ms, rule_count, passed_count, failed_count, error_count, all_passed,
               failing, document, format_version)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(run_id)
        .bind(&namespace)
        .bind(&report.source.location)
        .bind(enum_name(&report.source.kind))
        .bind(report.source.snapshot_id)
        .bind(row_count)
        .bind(started_at)
        .bind(checked_at)
        .bind(duration_ms)
        .bind(int(summary.rules, "summary.rules")?)
        .bind(int(summary.passed, "summary.passed")?)
        .bind(int(summary.failed, "summary.failed")?)
        .bind(int(summary.errors, "summary.errors")?)
        .bind(summary.all_passed())
        .bind(&summary.failing)
        .bind(&document)
        .bind(format_version)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("recording the check"))?;
        insert_results(&mut tx, run_id, &namespace, &results).await?;
        tx.commit().await.map_err(StoreError::query("committing the check"))?;
        debug!(run_id, "check recorded");
        Ok(())
    }

    /// The check recorded for `run`, or `None` if there is none.
    #[instrument(skip(self))]
    pub async fn check(&self, run: RunKey) -> Result<Option<CheckReport>, StoreError> {
        let document: Option<(i32, serde_json::Value)> = sqlx::query_as(
            "select c.format_version, c.document
             from profiler.rule_checks c join profiler.profile_runs r on r.id = c.run_id
             where r.job_uid = $1 and r.attempt = $2",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("reading the check"))?;
        document.map(|(version, document)| parse_document(version, document)).transpose()
    }

    /// The latest checks of `table_ref` in a namespace, newest first (by `checked_at`), at most
    /// `limit`.
    #[instrument(skip(self))]
    pub async fn latest_checks(
        &self,
        namespace: &str,
        table_ref: &str,
        limit: u32,
    ) -> Result<Vec<CheckRecord>, StoreError> {
        let rows: Vec<CheckRow> = sqlx::query_as(
            "select r.job_uid, r.attempt, c.table_ref, c.checked_at, c.format_version, c.document
             from profiler.rule_checks c join profiler.profile_runs r on r.id = c.run_id
             where c.namespace = $1 and c.table_ref = $2
             order by c.checked_at desc, c.run_id desc limit $3",
        )
        .bind(namespace)
        .bind(table_ref)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("reading the latest checks"))?;
        rows.into_iter()
            .map(|row| {
                let report = parse_document(row.format_version, row.document)?;
                Ok(CheckRecord {
                    run: RunKey { job_uid: row.job_uid, attempt: row.attempt.max(0) as u32 },
                    table_ref: row.table_ref,
                    checked_at: row.checked_at,
                    summary: report.summary.clone(),
                    report,
                })
            })
            .collect()
    }
}

/// The document as JSON, checked to read back equal; when it does not, the rule at fault is
/// named.
fn document_json(report: &CheckReport) -> Result<serde_json::Value, StoreError> {
    let unequal = "does not read back from JSON as it is (a NaN or infinite number? JSON has none)";
    for (i, result) in report.results.iter().enumerate() {
        if result.observed_value.is_some_and(|v| !v.is_finite()) {
            return Err(invalid(format!("results[{i}].observedValue"), unequal));
        }
    }
    let json = serde_json::to_value(report).map_err(|e| invalid("the document", e.to_string()))?;
    match serde_json::from_value::<CheckReport>(json.clone()) {
        Ok(back) if back == *report => Ok(json),
        _ => Err(invalid("the document", unequal)),
    }
}

/// Fails unless the summary is the summary of the results and the rule names are unique.
fn check_summary(report: &CheckReport) -> Result<(), StoreError> {
    let counted = CheckSummary::of(&report.results);
    let said = &report.summary;
    if (said.rules, said.passed, said.failed, said.errors)
        != (counted.rules, counted.passed, counted.failed, counted.errors)
    {
        return Err(invalid(
            "summary",
            format!(
                "counts {} rules: {} passed, {} failed, {} errors; the results are {} rules: {} passed, {} failed, {} errors",
                said.rules,
                said.passed,
                said.failed,
                said.errors,
                counted.rules,
                counted.passed,
                counted.failed,
                counted.errors
            ),
        ));
    }
    if said.failing != counted.failing {
        return Err(invalid(
            "summary.failing",
            format!("lists {:?}; the results that did not pass are {:?}", said.failing, counted.failing),
        ));
    }
    let mut names = HashSet::new();
    for (i, result) in report.results.iter().enumerate() {
        if !names.insert(result.name.as_str()) {
            return Err(invalid(format!("results[{i}].name"), format!("{:?} is used by an earlier rule", result.name)));
        }
    }
    Ok(())
}

fn result_rows(report: &CheckReport) -> Result<Vec<ResultRow>, StoreError> {
    report
        .results
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let position = i32::try_from(index).map_err(|_| invalid("results", "more than 2^31 rules"))?;
            let failing_rows =
                r.failing_rows.map(|n| to_i64(n, || format!("results[{index}].failingRows"))).transpose()?;
            Ok(ResultRow {
                position,
                name: r.name.clone(),
                rule_type: r.rule_type.as_str().to_owned(),
                column_name: r.column.clone(),
                outcome: outcome_name(r.outcome).to_owned(),
                expected: r.expected.clone(),
                observed: r.observed.clone(),
                observed_value: r.observed_value,
                failing_rows,
                error: r.error.clone(),
            })
        })
        .collect()
}

/// The outcome as `rule_results.outcome` holds it.
fn outcome_name(outcome: RuleOutcome) -> &'static str {
    match outcome {
        RuleOutcome::Passed => "passed",
        RuleOutcome::Failed => "failed",
        RuleOutcome::Error => "error",
    }
}

async fn insert_results(
    tx: &mut Transaction<'_, Postgres>,
    run_id: i64,
    namespace: &str,
    results: &[ResultRow],
) -> Result<(), StoreError> {
    let rows: Vec<&ResultRow> = results.iter().collect();
    insert_rows(
        tx,
        "rule_results",
        &[
            "run_id",
            "namespace",
            "position",
            "name",
            "rule_type",
            "column_name",
            "outcome",
            "expected",
            "observed",
            "observed_value",
            "failing_rows",
            "error",
        ],
        &rows,
        "writing rule results",
        |b, r| {
            b.push_bind(run_id).push_bind(namespace.to_owned()).push_bind(r.position).push_bind(&r.name);
            b.push_bind(&r.rule_type).push_bind(&r.column_name).push_bind(&r.outcome).push_bind(&r.expected);
            b.push_bind(&r.observed).push_bind(r.observed_value).push_bind(r.failing_rows).push_bind(&r.error);
        },
    )
    .await
}

/// The stored document back as a check report.
fn parse_document(format_version: i32, document: serde_json::Value) -> Result<CheckReport, StoreError> {
    if i64::from(format_version) > i64::from(CHECK_FORMAT_VERSION) {
        return Err(StoreError::Corrupt {
            field: "rule_checks.format_version".into(),
            reason: format!(
                "version {format_version} is newer than this binary reads ({CHECK_FORMAT_VERSION}); upgrade it"
            ),
        });
    }
    serde_json::from_value(document)
        .map_err(|e| StoreError::Corrupt { field: "rule_checks.document".into(), reason: e.to_string() })
}
