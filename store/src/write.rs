//! Writes: jobs, runs and whole profiles. Every write is an upsert keyed by the job's uid (and
//! the attempt), so a retried controller or worker leaves exactly one copy.

use profiler_crds::TableProfile;
use sqlx::{Postgres, QueryBuilder, Transaction};
use tracing::{debug, instrument};

use crate::alerts::{alert_rows, insert_alerts};
use crate::error::StoreError;
use crate::records::{JobRecord, RunKey, RunOutcome, RunStatus};
use crate::rows::{COLUMN_FIELDS, ColumnChildren, ColumnRow, PartitionRow, TableRow, column_rows, partition_rows};
use crate::store::Store;

/// Rows per multi-row INSERT (Postgres takes at most 65535 bind parameters per statement).
const ROWS_PER_INSERT: usize = 500;

impl Store {
    /// Records a job, or updates its spec, phase and message. A uid already recorded under another
    /// namespace or name is refused. A Cancelled job stays Cancelled: a worker that was starting
    /// while its job was deleted or ran out of time may still report the job Running afterwards.
    #[instrument(skip_all, fields(namespace = %job.namespace, name = %job.name, phase = %job.phase))]
    pub async fn record_job(&self, job: &JobRecord) -> Result<(), StoreError> {
        job.validate()?;
        let updated: Option<(String, String)> = sqlx::query_as(
            "insert into profiler.profile_jobs
               (uid, namespace, name, spec, phase, message, created_at, updated_at, completed_at)
             values ($1, $2, $3, $4, $5, $6, $7, now(), $8)
             on conflict (uid) do update set
               spec = excluded.spec,
               phase = case when profile_jobs.phase = 'Cancelled' then profile_jobs.phase else excluded.phase end,
               message = case when profile_jobs.phase = 'Cancelled' then profile_jobs.message else excluded.message end,
               completed_at = case when profile_jobs.phase = 'Cancelled' then profile_jobs.completed_at
                                   else excluded.completed_at end,
               updated_at = now()
             where profile_jobs.namespace = excluded.namespace and profile_jobs.name = excluded.name
             returning namespace, name",
        )
        .bind(job.uid)
        .bind(&job.namespace)
        .bind(&job.name)
        .bind(&job.spec)
        .bind(job.phase.as_str())
        .bind(&job.message)
        .bind(job.created_at)
        .bind(job.completed_at)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("recording the job"))?;
        if updated.is_some() {
            return Ok(());
        }
        let (namespace, name): (String, String) =
            sqlx::query_as("select namespace, name from profiler.profile_jobs where uid = $1")
                .bind(job.uid)
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::query("reading the conflicting job"))?;
        Err(StoreError::JobConflict { uid: job.uid.to_string(), existing: format!("{namespace}/{name}") })
    }

    /// Records the start of a run (attempt) of a recorded job. Starting the same run again keeps
    /// its status and start time, and fills in the execution ARN if it was not known yet.
    #[instrument(skip_all, fields(run = %run))]
    pub async fn start_run(
        &self,
        run: RunKey,
        execution_arn: Option<&str>,
        started_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let inserted = sqlx::query(
            "insert into profiler.profile_runs (job_uid, namespace, attempt, execution_arn, status, started_at)
             select uid, namespace, $2, $3, 'Running', $4 from profiler.profile_jobs where uid = $1
             on conflict (job_uid, attempt) do update set
               execution_arn = coalesce(profile_runs.execution_arn, excluded.execution_arn)",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .bind(execution_arn)
        .bind(started_at)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("starting the run"))?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::JobNotFound(run.job_uid.to_string()));
        }
        Ok(())
    }

    /// Records how a run ended. Finishing it again overwrites the outcome (the last report wins).
    #[instrument(skip_all, fields(run = %run, status = outcome.status.as_str()))]
    pub async fn finish_run(&self, run: RunKey, outcome: &RunOutcome) -> Result<(), StoreError> {
        if outcome.status == RunStatus::Running {
            return Err(StoreError::InvalidValue {
                field: "outcome.status".into(),
                reason: "a finished run cannot be Running".into(),
            });
        }
        let (error, kind) = match &outcome.error {
            Some((message, kind)) => (Some(message.as_str()), Some(kind.as_str())),
            None => (None, None),
        };
        let updated = sqlx::query(
            "update profiler.profile_runs set status = $3, finished_at = $4, error = $5, error_kind = $6,
               profile_uri = $7, report_uri = $8
             where job_uid = $1 and attempt = $2",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .bind(outcome.status.as_str())
        .bind(outcome.finished_at)
        .bind(error)
        .bind(kind)
        .bind(&outcome.profile_uri)
        .bind(&outcome.report_uri)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("finishing the run"))?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::RunNotFound(run.to_string()));
        }
        Ok(())
    }

    /// Writes a run's whole profile in one transaction, replacing any profile written for the
    /// same run before. Either every row lands or none does.
    #[instrument(skip_all, fields(run = %run, columns = profile.columns.len()))]
    pub async fn write_profile(&self, run: RunKey, profile: &TableProfile) -> Result<(), StoreError> {
        let table = TableRow::from_profile(profile)?;
        let partitions = partition_rows(profile)?;
        let alerts = alert_rows(profile)?;
        let mut columns = Vec::with_capacity(profile.columns.len());
        for (index, column) in profile.columns.iter().enumerate() {
            columns.push(column_rows(index, column)?);
        }
        let mut tx = self.pool.begin().await.map_err(StoreError::query("opening a transaction"))?;
        let found: Option<(i64, String)> = sqlx::query_as(
            "select id, namespace from profiler.profile_runs where job_uid = $1 and attempt = $2 for update",
        )
        .bind(run.job_uid)
        .bind(attempt(run)?)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("finding the run"))?;
        let Some((run_id, namespace)) = found else {
            return Err(StoreError::RunNotFound(run.to_string()));
        };
        // Child rows go with it (on delete cascade).
        sqlx::query("delete from profiler.table_profiles where run_id = $1")
            .bind(run_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("replacing the run's earlier profile"))?;
        insert_table(&mut tx, run_id, &namespace, &table).await?;
        insert_partitions(&mut tx, run_id, &namespace, &partitions).await?;
        insert_columns(&mut tx, run_id, &namespace, &columns).await?;
        insert_alerts(&mut tx, run_id, &namespace, &alerts).await?;
        tx.commit().await.map_err(StoreError::query("committing the profile"))?;
        debug!(run_id, "profile written");
        Ok(())
    }
}

pub(crate) fn attempt(run: RunKey) -> Result<i32, StoreError> {
    i32::try_from(run.attempt).map_err(|_| StoreError::InvalidValue {
        field: "attempt".into(),
        reason: format!("{} is too large", run.attempt),
    })
}

async fn insert_table(
    tx: &mut Transaction<'_, Postgres>,
    run_id: i64,
    namespace: &str,
    t: &TableRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into profiler.table_profiles (run_id, namespace, table_ref, source_kind, source_files, snapshot_id,
           mode, sampling_method, sample_size, sample_fraction, sample_seed, rows_read, rows_profiled,
           column_count, bytes_scanned, format_version, profiler_version, started_at, duration_ms,
           iceberg_schema_id, iceberg_delete_files, partition_default_spec_id, partition_specs, partition_count,
           partitions_truncated)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
           $20, $21, $22, $23, $24, $25)",
    )
    .bind(run_id)
    .bind(namespace)
    .bind(&t.table_ref)
    .bind(&t.source_kind)
    .bind(t.source_files)
    .bind(t.snapshot_id)
    .bind(&t.mode)
    .bind(&t.sampling_method)
    .bind(t.sample_size)
    .bind(t.sample_fraction)
    .bind(t.sample_seed)
    .bind(t.rows_read)
    .bind(t.rows_profiled)
    .bind(t.column_count)
    .bind(t.bytes_scanned)
    .bind(t.format_version)
    .bind(&t.profiler_version)
    .bind(t.started_at)
    .bind(t.duration_ms)
    .bind(t.iceberg_schema_id)
    .bind(t.iceberg_delete_files)
    .bind(t.partition_default_spec_id)
    .bind(&t.partition_specs)
    .bind(t.partition_count)
    .bind(t.partitions_truncated)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::query("writing the table profile"))?;
    Ok(())
}

/// The per-partition counts of an Iceberg table (up to 10,000 rows), in multi-row INSERTs.
async fn insert_partitions(
    tx: &mut Transaction<'_, Postgres>,
    run_id: i64,
    namespace: &str,
    partitions: &[PartitionRow],
) -> Result<(), StoreError> {
    let rows: Vec<&PartitionRow> = partitions.iter().collect();
    insert_rows(
        tx,
        "partition_counts",
        &["run_id", "namespace", "position", "spec_id", "partition_values", "row_count", "data_files", "delete_files"],
        &rows,
        "writing partition counts",
        |b, p| {
            b.push_bind(run_id).push_bind(namespace.to_owned()).push_bind(p.position).push_bind(p.spec_id);
            b.push_bind(&p.partition_values).push_bind(p.row_count).push_bind(p.data_files).push_bind(p.delete_files);
        },
    )
    .await
}

async fn insert_columns(
    tx: &mut Transaction<'_, Postgres>,
    run_id: i64,
    namespace: &str,
    columns: &[(ColumnRow, ColumnChildren)],
) -> Result<(), StoreError> {
    let rows: Vec<&ColumnRow> = columns.iter().map(|(row, _)| row).collect();
    insert_rows(tx, "column_profiles", COLUMN_FIELDS, &rows, "writing column profiles", |b, row| {
        b.push_bind(run_id).push_bind(namespace.to_owned());
        row.bind(b);
    })
    .await?;
    let quantiles: Vec<_> = columns.iter().flat_map(|(_, c)| &c.quantiles).collect();
    insert_rows(
        tx,
        "column_quantiles",
        &["run_id", "namespace", "ordinal", "rank", "value", "label"],
        &quantiles,
        "writing quantiles",
        |b, q| {
            b.push_bind(run_id)
                .push_bind(namespace.to_owned())
                .push_bind(q.ordinal)
                .push_bind(q.rank)
                .push_bind(q.value);
            b.push_bind(&q.label);
        },
    )
    .await?;
    let bins: Vec<_> = columns.iter().flat_map(|(_, c)| &c.bins).collect();
    insert_rows(
        tx,
        "column_histograms",
        &["run_id", "namespace", "ordinal", "bin", "lower", "upper", "count"],
        &bins,
        "writing histograms",
        |b, h| {
            b.push_bind(run_id).push_bind(namespace.to_owned()).push_bind(h.ordinal).push_bind(h.bin);
            b.push_bind(h.lower).push_bind(h.upper).push_bind(h.count);
        },
    )
    .await?;
    let frequencies: Vec<_> = columns.iter().flat_map(|(_, c)| &c.frequencies).collect();
    insert_rows(
        tx,
        "column_frequencies",
        &["run_id", "namespace", "ordinal", "rank", "value", "count"],
        &frequencies,
        "writing top values",
        |b, f| {
            b.push_bind(run_id).push_bind(namespace.to_owned()).push_bind(f.ordinal).push_bind(f.rank);
            b.push_bind(&f.value).push_bind(f.count);
        },
    )
    .await?;
    let sketches: Vec<_> = columns.iter().flat_map(|(_, c)| &c.sketches).collect();
    insert_rows(
        tx,
        "column_sketches",
        &["run_id", "namespace", "ordinal", "kind", "image"],
        &sketches,
        "writing sketches",
        |b, s| {
            b.push_bind(run_id)
                .push_bind(namespace.to_owned())
                .push_bind(s.ordinal)
                .push_bind(&s.kind)
                .push_bind(&s.image);
        },
    )
    .await
}

/// Multi-row INSERTs of `rows` into `profiler.<table>`, in chunks.
pub(crate) async fn insert_rows<'r, T>(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    fields: &[&str],
    rows: &[&'r T],
    operation: &'static str,
    bind: impl Fn(&mut sqlx::query_builder::Separated<'_, 'r, Postgres, &'static str>, &'r T),
) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut query: QueryBuilder<'r, Postgres> =
            QueryBuilder::new(format!("insert into profiler.{table} ({}) ", fields.join(", ")));
        query.push_values(chunk.iter().copied(), |mut b, row| bind(&mut b, row));
        query.build().execute(&mut **tx).await.map_err(StoreError::query(operation))?;
    }
    Ok(())
}
