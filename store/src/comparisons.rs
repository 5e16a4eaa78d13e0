//! Drift comparisons: a run's profile compared with a baseline profile of the same table
//! (`diff.json`, [`ProfileComparison`]). The summary is kept as columns of `profile_comparisons`
//! (for dashboards), each finding as a row of `comparison_findings` (for SQL over findings), and
//! the whole document as `jsonb`, from which reads rebuild it exactly.

use chrono::{DateTime, Utc};
use profiler_crds::{
    COMPARISON_FORMAT_VERSION, DriftSummary, Figure, ProfileComparison, ProfileIdentity, Severity, SeverityCounts,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Postgres, Transaction};
use tracing::{debug, instrument};
use uuid::Uuid;

use crate::error::StoreError;
use crate::records::RunKey;
use crate::rows::{format_time, to_i64, to_u64};
use crate::store::Store;
use crate::write::{attempt, insert_rows};

/// A comparison read back from the store, with the runs it compares.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRecord {
    /// The run whose profile (B, the later one) was compared.
    pub run: RunKey,
    /// The baseline's run (A), while its profile is in the store: `None` when the comparison was
    /// recorded without one or the baseline's profile has been deleted since.
    pub baseline_run: Option<RunKey>,
    /// B's table, as its profile names it.
    pub table_ref: String,
    /// The baseline's table (A's `source.location`).
    pub baseline_location: String,
    /// When the baseline's profile was taken.
    pub baseline_started_at: DateTime<Utc>,
    /// When the comparison was made.
    pub compared_at: DateTime<Utc>,
    /// The summary, as its columns hold it (equal to `comparison.summary`).
    pub summary: DriftSummary,
    /// The whole comparison, as it was recorded.
    pub comparison: ProfileComparison,
}

/// A run of the store with its profile's table and start.
#[derive(sqlx::FromRow)]
struct ProfiledRun {
    run_id: i64,
    namespace: String,
    table_ref: Option<String>,
    started_at: Option<DateTime<Utc>>,
}

/// One row of `comparison_findings` (without run_id and namespace).
struct FindingRow {
    position: i32,
    kind: &'static str,
    severity: &'static str,
    column_name: Option<String>,
    field_id: Option<i32>,
    previous_name: Option<String>,
    statistic: Option<f64>,
    threshold: Option<f64>,
    message: String,
    a: Option<serde_json::Value>,
    b: Option<serde_json::Value>,
    detail: Option<String>,
}

/// A `profile_comparisons` row with its runs, as the reads select it.
#[derive(sqlx::FromRow)]
struct ComparisonRow {
    job_uid: Uuid,
    attempt: i32,
    baseline_job_uid: Option<Uuid>,
    baseline_attempt: Option<i32>,
    table_ref: String,
    baseline_location: String,
    baseline_started_at: DateTime<Utc>,
    compared_at: DateTime<Utc>,
    drift: bool,
    highest_severity: Option<String>,
    info_count: i64,
    warning_count: i64,
    critical_count: i64,
    drifted_columns: Vec<String>,
    drifted_column_count: i64,
    format_version: i32,
    document: serde_json::Value,
}

/// The select list of [`ComparisonRow`] over `profile_comparisons c`, its run `r` and the
/// baseline's run `br`.
const COMPARISON_SELECT: &str = "select r.job_uid, r.attempt, br.job_uid as baseline_job_uid,
       br.attempt as baseline_attempt, c.table_ref, c.baseline_location, c.baseline_started_at,
       c.compared_at, c.drift, c.highest_severity, c.info_count, c.warning_count, c.critical_count,
       c.drifted_columns, c.drifted_column_count, c.format_version, c.document
     from profiler.profile_comparisons c
     join profiler.profile_runs r on r.id = c.run_id
     left join profiler.profile_runs br on br.id = c.baseline_run_id";

impl Store {
    /// Records the comparison of `run`'s profile (B) with a baseline profile (A), replacing any
    /// comparison recorded for the run before, in one transaction: either the comparison and all
    /// its findings land or nothing changes. `baseline_run` is the run whose profile is A when it
    /// is in the store (then it must be of the same namespace, and `comparison.a` must describe
    /// its profile); `compared_at` is when the comparison was made.
    ///
    /// `comparison.b` must describe `run`'s stored profile (its location and start), the summary's
    /// counts must be those of the findings, and every number must be finite (JSON has no NaN or
    /// infinity, so the document would not read back as written).
    #[instrument(skip_all, fields(run = %run, findings = comparison.findings.len()))]
    pub async fn record_comparison(
        &self,
        run: RunKey,
        comparison: &ProfileComparison,
        baseline_run: Option<RunKey>,
        compared_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let document = document_json(comparison)?;
        let thresholds = json_of(&comparison.thresholds, || "thresholds".to_owned())?;
        check_counts(comparison)?;
        let findings = finding_rows(comparison)?;
        let invalid = |field: &str, reason: String| StoreError::InvalidComparison { field: field.to_owned(), reason };
        let summary = &comparison.summary;
        let count = |value: u64, field: &str| {
            to_i64(value, String::new).map_err(|_| invalid(field, format!("{value} exceeds 2^63")))
        };
        let format_version = i32::try_from(comparison.format_version)
            .map_err(|_| invalid("formatVersion", format!("{} exceeds 2^31", comparison.format_version)))?;
        let baseline_started_at = side_time(&comparison.a, "a")?;

        let mut tx = self.pool.begin().await.map_err(StoreError::query("opening a transaction"))?;
        // The run's row is locked, so concurrent writes of its profile or comparison wait.
        let found: Option<ProfiledRun> = sqlx::query_as(
            "select r.id as run_id, r.namespace, t.table_ref, t.started_at
             from profiler.profile_runs r left join profiler.table_profiles t on t.run_id = r.id
             where r.job_uid = $1 and r.attempt = $2 for update of r",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("finding the compared run"))?;
        let Some(current) = found else { return Err(StoreError::RunNotFound(run.to_string())) };
        let (Some(table_ref), Some(started_at)) = (&current.table_ref, current.started_at) else {
            return Err(StoreError::ProfileNotFound(run.to_string()));
        };
        same_profile(&comparison.b, "b", run, table_ref, started_at)?;
        let baseline_id = match baseline_run {
            None => None,
            Some(baseline) if baseline == run => {
                return Err(invalid("a", format!("the baseline is the compared run itself ({run})")));
            }
            Some(baseline) => {
                let found: Option<ProfiledRun> = sqlx::query_as(
                    "select r.id as run_id, r.namespace, t.table_ref, t.started_at
                     from profiler.profile_runs r join profiler.table_profiles t on t.run_id = r.id
                     where r.job_uid = $1 and r.attempt = $2 for share of t",
                )
                .bind(baseline.job_uid)
                .bind(attempt(baseline)?)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::query("finding the baseline run"))?;
                let Some(base) = found else { return Err(StoreError::ProfileNotFound(baseline.to_string())) };
                if base.namespace != current.namespace {
                    return Err(invalid(
                        "a",
                        format!(
                            "the baseline run {baseline} is in namespace {:?}, the compared run in {:?}",
                            base.namespace, current.namespace
                        ),
                    ));
                }
                let (Some(base_table), Some(base_started)) = (&base.table_ref, base.started_at) else {
                    return Err(StoreError::ProfileNotFound(baseline.to_string()));
                };
                same_profile(&comparison.a, "a", baseline, base_table, base_started)?;
                Some(base.run_id)
            }
        };

        // The findings go with it (on delete cascade).
        sqlx::query("delete from profiler.profile_comparisons where run_id = $1")
            .bind(current.run_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("replacing the run's earlier comparison"))?;
        sqlx::query(
            "insert into profiler.profile_comparisons (run_id, namespace, table_ref, baseline_run_id,
               baseline_location, baseline_snapshot_id, baseline_started_at, baseline_row_count, compared_at,
               drift, highest_severity, info_count, warning_count, critical_count, drifted_columns,
               drifted_column_count, thresholds, document, format_version)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(current.run_id)
        .bind(&current.namespace)
        .bind(table_ref)
        .bind(baseline_id)
        .bind(&comparison.a.location)
        .bind(comparison.a.snapshot_id)
        .bind(baseline_started_at)
        .bind(count(comparison.a.row_count, "a.rowCount")?)
        .bind(compared_at)
        .bind(summary.drift)
        .bind(summary.highest_severity.map(Severity::as_str))
        .bind(count(summary.findings.info, "summary.findings.info")?)
        .bind(count(summary.findings.warning, "summary.findings.warning")?)
        .bind(count(summary.findings.critical, "summary.findings.critical")?)
        .bind(&summary.drifted_columns)
        .bind(count(summary.drifted_column_count, "summary.driftedColumnCount")?)
        .bind(&thresholds)
        .bind(&document)
        .bind(format_version)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("recording the comparison"))?;
        insert_findings(&mut tx, current.run_id, &current.namespace, &findings).await?;
        tx.commit().await.map_err(StoreError::query("committing the comparison"))?;
        debug!(run_id = current.run_id, "comparison recorded");
        Ok(())
    }

    /// The comparison recorded for `run`, or `None` if there is none.
    #[instrument(skip(self))]
    pub async fn comparison(&self, run: RunKey) -> Result<Option<ProfileComparison>, StoreError> {
        let document: Option<(i32, serde_json::Value)> = sqlx::query_as(
            "select c.format_version, c.document
             from profiler.profile_comparisons c join profiler.profile_runs r on r.id = c.run_id
             where r.job_uid = $1 and r.attempt = $2",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("reading the comparison"))?;
        document.map(|(version, document)| parse_document(version, document)).transpose()
    }

    /// The latest comparisons of `table_ref` (B's table) in a namespace, newest first (by
    /// `compared_at`), at most `limit`.
    #[instrument(skip(self))]
    pub async fn latest_comparisons(
        &self,
        namespace: &str,
        table_ref: &str,
        limit: u32,
    ) -> Result<Vec<ComparisonRecord>, StoreError> {
        let rows: Vec<ComparisonRow> = sqlx::query_as(&format!(
            "{COMPARISON_SELECT}
             where c.namespace = $1 and c.table_ref = $2
             order by c.compared_at desc, c.run_id desc limit $3"
        ))
        .bind(namespace)
        .bind(table_ref)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("reading the latest comparisons"))?;
        rows.into_iter().map(ComparisonRow::into_record).collect()
    }
}

/// Fails unless `side` (`comparison.a` or `.b`) describes the stored profile of `run`.
fn same_profile(
    side: &ProfileIdentity,
    name: &str,
    run: RunKey,
    table_ref: &str,
    started_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let field = |f: &str| format!("{name}.{f}");
    if side.location != table_ref {
        return Err(StoreError::InvalidComparison {
            field: field("location"),
            reason: format!("{:?} is not the table of run {run}'s profile ({table_ref:?})", side.location),
        });
    }
    // timestamptz keeps microseconds: a start written with nanoseconds is the same instant.
    if (side_time(side, name)? - started_at).abs() >= chrono::TimeDelta::microseconds(1) {
        return Err(StoreError::InvalidComparison {
            field: field("startedAt"),
            reason: format!(
                "{} is not the start of run {run}'s profile ({})",
                side.started_at,
                format_time(started_at)
            ),
        });
    }
    Ok(())
}

/// When the profile of a side (`a` or `b`) was taken.
fn side_time(side: &ProfileIdentity, name: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(&side.started_at).map(|t| t.with_timezone(&Utc)).map_err(|e| {
        StoreError::InvalidComparison {
            field: format!("{name}.startedAt"),
            reason: format!("{:?} is not RFC 3339: {e}", side.started_at),
        }
    })
}

/// The document as JSON, checked to read back equal; when it does not, the part at fault is named.
fn document_json(comparison: &ProfileComparison) -> Result<serde_json::Value, StoreError> {
    if let Ok(document) = json_of(comparison, String::new) {
        return Ok(document);
    }
    for (i, finding) in comparison.findings.iter().enumerate() {
        json_of(finding, || format!("findings[{i}]"))?;
    }
    for (i, column) in comparison.columns.iter().enumerate() {
        json_of(&column.statistics, || format!("columns[{i}].statistics"))?;
    }
    json_of(&comparison.thresholds, || "thresholds".to_owned())?;
    json_of(&comparison.a, || "a".to_owned())?;
    json_of(&comparison.b, || "b".to_owned())?;
    json_of(comparison, || "the document".to_owned())
}

/// `value` as JSON, provided it reads back equal (JSON has no NaN or infinity: serde writes them
/// as null).
fn json_of<T: Serialize + DeserializeOwned + PartialEq>(
    value: &T,
    field: impl FnOnce() -> String,
) -> Result<serde_json::Value, StoreError> {
    let reason = match serde_json::to_value(value) {
        Ok(json) => match serde_json::from_value::<T>(json.clone()) {
            Ok(back) if back == *value => return Ok(json),
            _ => "does not read back from JSON as it is (a NaN or infinite number? JSON has none)".to_owned(),
        },
        Err(e) => e.to_string(),
    };
    Err(StoreError::InvalidComparison { field: field(), reason })
}

/// Fails unless the summary counts the findings by severity.
fn check_counts(comparison: &ProfileComparison) -> Result<(), StoreError> {
    let mut counted = SeverityCounts::default();
    for finding in &comparison.findings {
        match finding.severity {
            Severity::Info => counted.info += 1,
            Severity::Warning => counted.warning += 1,
            Severity::Critical => counted.critical += 1,
        }
    }
    let said = comparison.summary.findings;
    if said != counted {
        return Err(StoreError::InvalidComparison {
            field: "summary.findings".into(),
            reason: format!(
                "counts {} info, {} warning, {} critical findings; the findings are {} info, {} warning, {} critical",
                said.info, said.warning, said.critical, counted.info, counted.warning, counted.critical
            ),
        });
    }
    Ok(())
}

fn finding_rows(comparison: &ProfileComparison) -> Result<Vec<FindingRow>, StoreError> {
    let mut rows = Vec::with_capacity(comparison.findings.len());
    for (index, f) in comparison.findings.iter().enumerate() {
        let figure = |figure: &Option<Figure>, side: &str| {
            figure.as_ref().map(|v| json_of(v, || format!("findings[{index}].{side}"))).transpose()
        };
        rows.push(FindingRow {
            position: i32::try_from(index).map_err(|_| StoreError::InvalidComparison {
                field: "findings".into(),
                reason: "more than 2^31 findings".into(),
            })?,
            kind: f.kind.as_str(),
            severity: f.severity.as_str(),
            column_name: f.column.as_ref().map(|c| c.name.clone()),
            field_id: f.column.as_ref().and_then(|c| c.field_id),
            previous_name: f.column.as_ref().and_then(|c| c.previous_name.clone()),
            statistic: f.statistic,
            threshold: f.threshold,
            message: f.message.clone(),
            a: figure(&f.a, "a")?,
            b: figure(&f.b, "b")?,
            detail: f.detail.clone(),
        });
    }
    Ok(rows)
}

async fn insert_findings(
    tx: &mut Transaction<'_, Postgres>,
    run_id: i64,
    namespace: &str,
    findings: &[FindingRow],
) -> Result<(), StoreError> {
    let rows: Vec<&FindingRow> = findings.iter().collect();
    insert_rows(
        tx,
        "comparison_findings",
        &[
            "run_id",
            "namespace",
            "position",
            "kind",
            "severity",
            "column_name",
            "field_id",
            "previous_name",
            "statistic",
            "threshold",
            "message",
            "a",
            "b",
            "detail",
        ],
        &rows,
        "writing comparison findings",
        |b, f| {
            b.push_bind(run_id).push_bind(namespace.to_owned()).push_bind(f.position);
            b.push_bind(f.kind).push_bind(f.severity).push_bind(&f.column_name).push_bind(f.field_id);
            b.push_bind(&f.previous_name).push_bind(f.statistic).push_bind(f.threshold).push_bind(&f.message);
            b.push_bind(&f.a).push_bind(&f.b).push_bind(&f.detail);
        },
    )
    .await
}

/// The stored document back as a comparison.
fn parse_document(format_version: i32, document: serde_json::Value) -> Result<ProfileComparison, StoreError> {
    if i64::from(format_version) > i64::from(COMPARISON_FORMAT_VERSION) {
        return Err(StoreError::Corrupt {
            field: "profile_comparisons.format_version".into(),
            reason: format!(
                "version {format_version} is newer than this binary reads ({COMPARISON_FORMAT_VERSION}); upgrade it"
            ),
        });
    }
    serde_json::from_value(document)
        .map_err(|e| StoreError::Corrupt { field: "profile_comparisons.document".into(), reason: e.to_string() })
}

impl ComparisonRow {
    fn into_record(self) -> Result<ComparisonRecord, StoreError> {
        let field = |name: &str| format!("profile_comparisons.{name}");
        let highest_severity = self
            .highest_severity
            .map(|s| {
                Severity::parse(&s).ok_or_else(|| StoreError::Corrupt {
                    field: field("highest_severity"),
                    reason: format!("unknown value {s:?}"),
                })
            })
            .transpose()?;
        let summary = DriftSummary {
            drift: self.drift,
            highest_severity,
            findings: SeverityCounts {
                info: to_u64(self.info_count, || field("info_count"))?,
                warning: to_u64(self.warning_count, || field("warning_count"))?,
                critical: to_u64(self.critical_count, || field("critical_count"))?,
            },
            drifted_columns: self.drifted_columns,
            drifted_column_count: to_u64(self.drifted_column_count, || field("drifted_column_count"))?,
        };
        let baseline_run = match (self.baseline_job_uid, self.baseline_attempt) {
            (Some(job_uid), Some(attempt)) => Some(RunKey { job_uid, attempt: attempt.max(0) as u32 }),
            _ => None,
        };
        Ok(ComparisonRecord {
            run: RunKey { job_uid: self.job_uid, attempt: self.attempt.max(0) as u32 },
            baseline_run,
            table_ref: self.table_ref,
            baseline_location: self.baseline_location,
            baseline_started_at: self.baseline_started_at,
            compared_at: self.compared_at,
            summary,
            comparison: parse_document(self.format_version, self.document)?,
        })
    }
}
