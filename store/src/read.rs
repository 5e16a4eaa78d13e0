//! Reads: the latest profile of a table, the previous one (a comparison's baseline) and a
//! column's history (by name, or by Iceberg field id).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use profiler_crds::{ColumnProfile, TableProfile};
use tracing::instrument;
use uuid::Uuid;

use crate::alerts::read_alerts;
use crate::error::StoreError;
use crate::records::{RunKey, RunStatus};
use crate::rows::{
    BinRow, COLUMN_SELECT, ColumnChildren, ColumnRow, FrequencyRow, PartitionRow, QuantileRow, SketchRow, TableRow,
    column_profile,
};
use crate::store::Store;
use profiler_crds::FailureKind;

/// A profile read back from the store, with the run it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProfile {
    /// The job's uid.
    pub job_uid: Uuid,
    /// The attempt that wrote it.
    pub attempt: u32,
    /// The run's status.
    pub status: RunStatus,
    /// The failure, for failed runs.
    pub error: Option<(String, FailureKind)>,
    /// Where profile.json was written.
    pub profile_uri: Option<String>,
    /// Where report.html was written.
    pub report_uri: Option<String>,
    /// The profile, as the worker wrote it.
    pub profile: TableProfile,
}

impl StoredProfile {
    /// The run that wrote the profile.
    pub fn run(&self) -> RunKey {
        RunKey { job_uid: self.job_uid, attempt: self.attempt }
    }
}

/// One point of a column's history: the column's profile in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnHistoryPoint {
    /// When the run's profile was taken.
    pub started_at: DateTime<Utc>,
    /// The job's uid.
    pub job_uid: Uuid,
    /// The attempt.
    pub attempt: u32,
    /// The column's profile in that run.
    pub column: ColumnProfile,
}

/// How a column of a table is found in each run.
#[derive(Debug, Clone, Copy)]
enum ColumnKey<'a> {
    /// By its name.
    Name(&'a str),
    /// By its Iceberg field id (the same column across renames).
    FieldId(i32),
}

impl ColumnKey<'_> {
    fn name(self) -> Option<String> {
        match self {
            ColumnKey::Name(name) => Some(name.to_owned()),
            ColumnKey::FieldId(_) => None,
        }
    }

    fn field_id(self) -> Option<i32> {
        match self {
            ColumnKey::FieldId(id) => Some(id),
            ColumnKey::Name(_) => None,
        }
    }

    /// The condition on `column_profiles c` with the name bound as `$3` and the field id as `$4`:
    /// one plain equality, so the planner uses the matching index (the unique `(run_id, name)` or
    /// `column_profiles_by_field_id`).
    fn condition(self) -> &'static str {
        match self {
            ColumnKey::Name(_) => "c.name = $3",
            ColumnKey::FieldId(_) => "c.field_id = $4",
        }
    }
}

/// A run with a profile: `profile_runs r` joined to `table_profiles t`, selecting a [`RunRow`].
const RUN_SELECT: &str =
    "select r.id as run_id, r.job_uid, r.attempt, r.status, r.error, r.error_kind, r.profile_uri, r.report_uri
     from profiler.table_profiles t join profiler.profile_runs r on r.id = t.run_id";

#[derive(sqlx::FromRow)]
struct RunRow {
    run_id: i64,
    job_uid: Uuid,
    attempt: i32,
    status: String,
    error: Option<String>,
    error_kind: Option<String>,
    profile_uri: Option<String>,
    report_uri: Option<String>,
}

impl Store {
    /// The most recent profile of `table_ref` (the source location as the profile names it) in a
    /// namespace, or `None` if the table was never profiled there.
    #[instrument(skip(self))]
    pub async fn latest_profile(&self, namespace: &str, table_ref: &str) -> Result<Option<StoredProfile>, StoreError> {
        let run: Option<RunRow> = sqlx::query_as(&format!(
            "{RUN_SELECT}
             where t.namespace = $1 and t.table_ref = $2
             order by t.started_at desc, t.run_id desc limit 1"
        ))
        .bind(namespace)
        .bind(table_ref)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("finding the latest profile"))?;
        match run {
            Some(run) => self.stored_profile(run).await.map(Some),
            None => Ok(None),
        }
    }

    /// The newest profile of `table_ref` in a namespace taken strictly before `before` by a run
    /// that succeeded, or `None`: the baseline a new profile of the table is compared with (pass
    /// the new profile's start, so the new profile itself is never its own baseline). Runs that
    /// failed or were cancelled, and runs still going, are passed over.
    #[instrument(skip(self))]
    pub async fn previous_profile(
        &self,
        namespace: &str,
        table_ref: &str,
        before: DateTime<Utc>,
    ) -> Result<Option<StoredProfile>, StoreError> {
        let run: Option<RunRow> = sqlx::query_as(&format!(
            "{RUN_SELECT}
             where t.namespace = $1 and t.table_ref = $2 and t.started_at < $3 and r.status = 'Succeeded'
             order by t.started_at desc, t.run_id desc limit 1"
        ))
        .bind(namespace)
        .bind(table_ref)
        .bind(before)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("finding the previous profile"))?;
        match run {
            Some(run) => self.stored_profile(run).await.map(Some),
            None => Ok(None),
        }
    }

    /// The run whose profile.json was written to `profile_uri` (the baseline a comparison names),
    /// or `None` when the store does not hold it.
    #[instrument(skip(self))]
    pub async fn run_by_profile_uri(&self, profile_uri: &str) -> Result<Option<RunKey>, StoreError> {
        let row: Option<(Uuid, i32)> = sqlx::query_as(
            "select job_uid, attempt from profiler.profile_runs where profile_uri = $1 order by id desc limit 1",
        )
        .bind(profile_uri)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("finding the run of a profile"))?;
        Ok(row.map(|(job_uid, attempt)| RunKey { job_uid, attempt: u32::try_from(attempt).unwrap_or(0) }))
    }

    /// The whole profile of a run found by [`RUN_SELECT`].
    async fn stored_profile(&self, run: RunRow) -> Result<StoredProfile, StoreError> {
        let table: TableRow = sqlx::query_as("select * from profiler.table_profiles where run_id = $1")
            .bind(run.run_id)
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query("reading the table profile"))?;
        let columns = self.columns(run.run_id, None).await?;
        let partitions: Vec<PartitionRow> = sqlx::query_as(
            "select position, spec_id, partition_values, row_count, data_files, delete_files
             from profiler.partition_counts where run_id = $1 order by position",
        )
        .bind(run.run_id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("reading partition counts"))?;
        let alerts = read_alerts(&self.pool, run.run_id).await?;
        let status = RunStatus::parse(&run.status).ok_or_else(|| corrupt("profile_runs.status", &run.status))?;
        let error = match (run.error, run.error_kind) {
            (Some(message), Some(kind)) => {
                Some((message, FailureKind::parse(&kind).ok_or_else(|| corrupt("profile_runs.error_kind", &kind))?))
            }
            (Some(message), None) => Some((message, FailureKind::Internal)),
            _ => None,
        };
        Ok(StoredProfile {
            job_uid: run.job_uid,
            attempt: run.attempt.max(0) as u32,
            status,
            error,
            profile_uri: run.profile_uri,
            report_uri: run.report_uri,
            profile: table.into_profile(columns, partitions, alerts)?,
        })
    }

    /// The profiles of one column of `table_ref` over time, newest first, at most `limit` runs.
    #[instrument(skip(self))]
    pub async fn column_history(
        &self,
        namespace: &str,
        table_ref: &str,
        column: &str,
        limit: u32,
    ) -> Result<Vec<ColumnHistoryPoint>, StoreError> {
        self.history(namespace, table_ref, ColumnKey::Name(column), limit).await
    }

    /// The profiles of the column with Iceberg field id `field_id` of `table_ref` over time, newest
    /// first, at most `limit` runs: the same column under whatever name it had in each run (field
    /// ids survive renames), for comparing a column across runs.
    #[instrument(skip(self))]
    pub async fn column_history_by_field_id(
        &self,
        namespace: &str,
        table_ref: &str,
        field_id: i32,
        limit: u32,
    ) -> Result<Vec<ColumnHistoryPoint>, StoreError> {
        self.history(namespace, table_ref, ColumnKey::FieldId(field_id), limit).await
    }

    async fn history(
        &self,
        namespace: &str,
        table_ref: &str,
        column: ColumnKey<'_>,
        limit: u32,
    ) -> Result<Vec<ColumnHistoryPoint>, StoreError> {
        // The runs come from table_profiles_by_table, the column of each run from its index.
        let runs: Vec<(i64, DateTime<Utc>, Uuid, i32)> = sqlx::query_as(&format!(
            "select t.run_id, t.started_at, r.job_uid, r.attempt
             from profiler.table_profiles t
             join profiler.profile_runs r on r.id = t.run_id
             join profiler.column_profiles c on c.run_id = t.run_id and {}
             where t.namespace = $1 and t.table_ref = $2
             order by t.started_at desc, t.run_id desc limit $5",
            column.condition()
        ))
        .bind(namespace)
        .bind(table_ref)
        .bind(column.name())
        .bind(column.field_id())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("reading a column's history"))?;
        let mut history = Vec::with_capacity(runs.len());
        for (run_id, started_at, job_uid, attempt) in runs {
            let mut columns = self.columns(run_id, Some(column)).await?;
            if let Some(column) = columns.pop() {
                history.push(ColumnHistoryPoint { started_at, job_uid, attempt: attempt.max(0) as u32, column });
            }
        }
        Ok(history)
    }

    /// The column profiles of a run (all, or the one `only` finds), in ordinal order.
    async fn columns(&self, run_id: i64, only: Option<ColumnKey<'_>>) -> Result<Vec<ColumnProfile>, StoreError> {
        let rows: Vec<ColumnRow> = sqlx::query_as(&format!(
            "select {} from profiler.column_profiles
             where run_id = $1 and ($2::text is null or name = $2) and ($3::integer is null or field_id = $3)
             order by ordinal",
            COLUMN_SELECT.join(", ")
        ))
        .bind(run_id)
        .bind(only.and_then(ColumnKey::name))
        .bind(only.and_then(ColumnKey::field_id))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("reading column profiles"))?;
        let ordinals: Vec<i32> = rows.iter().map(|r| r.ordinal).collect();
        let mut children: HashMap<i32, ColumnChildren> = HashMap::new();
        let read = ChildQuery { store: self, run_id, ordinals: &ordinals };
        let quantiles: Vec<QuantileRow> =
            read.rows("column_quantiles", "ordinal, rank, value, label", "rank", "reading quantiles").await?;
        for q in quantiles {
            children.entry(q.ordinal).or_default().quantiles.push(q);
        }
        let bins: Vec<BinRow> =
            read.rows("column_histograms", "ordinal, bin, lower, upper, count", "bin", "reading histograms").await?;
        for b in bins {
            children.entry(b.ordinal).or_default().bins.push(b);
        }
        let frequencies: Vec<FrequencyRow> =
            read.rows("column_frequencies", "ordinal, rank, value, count", "rank", "reading top values").await?;
        for f in frequencies {
            children.entry(f.ordinal).or_default().frequencies.push(f);
        }
        let sketches: Vec<SketchRow> =
            read.rows("column_sketches", "ordinal, kind, image", "kind", "reading sketches").await?;
        for s in sketches {
            children.entry(s.ordinal).or_default().sketches.push(s);
        }
        rows.into_iter()
            .map(|row| {
                let kids = children.remove(&row.ordinal).unwrap_or_default();
                column_profile(row, kids)
            })
            .collect()
    }
}

/// Reads the child rows (quantiles, bins, top values, sketches) of some columns of one run.
struct ChildQuery<'a> {
    store: &'a Store,
    run_id: i64,
    ordinals: &'a [i32],
}

impl ChildQuery<'_> {
    /// `fields` of `profiler.<table>` for the run's columns, by ordinal then `order`.
    async fn rows<T>(
        &self,
        table: &str,
        fields: &str,
        order: &str,
        operation: &'static str,
    ) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
    {
        sqlx::query_as(&format!(
            "select {fields} from profiler.{table} where run_id = $1 and ordinal = any($2) order by ordinal, {order}"
        ))
        .bind(self.run_id)
        .bind(self.ordinals)
        .fetch_all(&self.store.pool)
        .await
        .map_err(StoreError::query(operation))
    }
}

fn corrupt(field: &str, value: &str) -> StoreError {
    StoreError::Corrupt { field: field.to_owned(), reason: format!("unknown value {value:?}") }
}
