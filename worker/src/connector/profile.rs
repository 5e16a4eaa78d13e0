//! Profiling a table of a SQL engine, the same way for every engine: by pushdown (one aggregate
//! query, exact quantiles where the engine needs a query per column, a bounded top-k query per
//! low-cardinality string column) or by sample (rows pulled back and profiled by the engine).

use profiler_crds::{ColumnKind, ColumnProfile, Distribution, ProfileMode, Sampling};
use profiler_engine::{ProfileOptions, TableProfiler};
use tracing::info;

use super::rows;
use super::sql::{
    AggregatePlan, Dialect, SqlColumn, SqlError, TableRef, parse_quantiles, parse_top_values, quantile_query,
    sample_query, top_values_query,
};
use super::statement::Row;
use crate::error::WorkerError;

/// String columns with at most this many distinct values get a top-k query.
const TOP_K_MAX_DISTINCT: f64 = 100_000.0;

/// A table an engine can query.
pub(crate) trait SqlSource {
    /// The engine's dialect.
    fn dialect(&self) -> Dialect;
    /// The table as the user named it (messages, the profile's location).
    fn location(&self) -> String;
    /// The table as SQL names it.
    fn table(&self) -> TableRef;
    /// The table's columns in order with their nullability when the engine says (empty when
    /// the table does not exist).
    async fn described_columns(&self, scanned: &mut u64) -> Result<Vec<(SqlColumn, Option<bool>)>, WorkerError>;
    /// The table's columns in order (empty when the table does not exist).
    async fn columns(&self, scanned: &mut u64) -> Result<Vec<SqlColumn>, WorkerError> {
        Ok(self.described_columns(scanned).await?.into_iter().map(|(c, _)| c).collect())
    }
    /// Runs one query to completion; rows as text, NULL as `None`.
    async fn run(&self, step: &'static str, sql: &str, scanned: &mut u64) -> Result<Vec<Row>, WorkerError>;
}

/// What profiling a SQL table produced.
pub struct SqlProfile {
    /// Pushdown or scan (of a sample).
    pub mode: ProfileMode,
    /// Rows the table has (pushdown) or the sample query returned.
    pub rows_read: u64,
    /// Rows that went into the profile.
    pub rows_profiled: u64,
    /// One profile per column.
    pub columns: Vec<ColumnProfile>,
    /// Bytes the engine reports it scanned (0 when it does not say).
    pub bytes_scanned: u64,
}

/// The columns to profile: all, or the selected ones in the selected order.
async fn selected_columns<S: SqlSource>(
    source: &S,
    selected: Option<&[String]>,
    scanned: &mut u64,
) -> Result<Vec<SqlColumn>, WorkerError> {
    let columns = source.columns(scanned).await?;
    if columns.is_empty() {
        return Err(WorkerError::TableNotFound {
            location: source.location(),
            reason: "information_schema lists no columns for it".into(),
        });
    }
    match selected {
        None => Ok(columns),
        Some(names) => names
            .iter()
            .map(|n| {
                columns.iter().find(|c| &c.name == n).cloned().ok_or_else(|| WorkerError::UnknownColumn {
                    name: n.clone(),
                    available: columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
                })
            })
            .collect(),
    }
}

/// Profiles by pushdown.
pub(crate) async fn pushdown<S: SqlSource>(
    source: &S,
    selected: Option<&[String]>,
    top_k: u32,
) -> Result<SqlProfile, WorkerError> {
    let (d, table) = (source.dialect(), source.table());
    let mut scanned = 0;
    let columns = selected_columns(source, selected, &mut scanned).await?;
    let plan = AggregatePlan::new(d, &table, &columns)?;
    let rows = source.run("compute the aggregates", &plan.sql, &mut scanned).await?;
    let row = rows.first().ok_or_else(|| WorkerError::Connector {
        source_name: source.location(),
        step: "compute the aggregates",
        message: "the aggregate query returned no row".into(),
        transient: true,
    })?;
    let (row_count, mut profiles) = plan.parse(row)?;
    for profile in &mut profiles {
        let has_values = profile.non_null > 0;
        if let Some(numeric) = profile.numeric.as_mut().filter(|n| n.distribution.is_none() && has_values) {
            // Engines without an approximate percentile in the aggregate (Redshift): exact, one
            // query per column.
            let sql = quantile_query(d, &table, &profile.name)?;
            let rows = source.run("compute quantiles", &sql, &mut scanned).await?;
            if let Some(quantiles) = parse_quantiles(d, rows.first().map(Vec::as_slice).unwrap_or_default())? {
                numeric.distribution = Some(Distribution { quantiles, histogram: Vec::new(), rank_error: 0.0 });
            }
        }
        let low_cardinality = profile.distinct.as_ref().is_some_and(|x| x.estimate <= TOP_K_MAX_DISTINCT);
        if profile.kind == ColumnKind::String && low_cardinality && has_values {
            let sql = top_values_query(d, &table, &profile.name, top_k)?;
            let rows = source.run("find the top values", &sql, &mut scanned).await?;
            if let Some(text) = profile.text.as_mut() {
                text.top_values = parse_top_values(d, &rows)?;
            }
        }
    }
    info!(rows = row_count, columns = profiles.len(), bytes_scanned = scanned, "pushdown profile computed");
    Ok(SqlProfile {
        mode: ProfileMode::Pushdown,
        rows_read: row_count,
        rows_profiled: row_count,
        columns: profiles,
        bytes_scanned: scanned,
    })
}

/// Pulls a sample back and profiles it with the engine. A reservoir sample of N rows counts the
/// rows first, samples at 1.2 × N / rows and keeps at most N.
pub(crate) async fn sample<S: SqlSource>(
    source: &S,
    selected: Option<&[String]>,
    sampling: Sampling,
    options: &ProfileOptions,
) -> Result<SqlProfile, WorkerError> {
    let (d, table) = (source.dialect(), source.table());
    let mut scanned = 0;
    let columns = selected_columns(source, selected, &mut scanned).await?;
    let row_count = match sampling {
        Sampling::Reservoir { .. } => {
            let sql = format!("SELECT COUNT(*) AS \"rows\" FROM {}", table.quoted(d)?);
            let rows = source.run("count the rows", &sql, &mut scanned).await?;
            let text = rows.first().and_then(|r| r.first().cloned().flatten()).unwrap_or_default();
            text.trim().parse::<u64>().map_err(|_| SqlError::BadResult {
                dialect: d,
                what: "row count".into(),
                value: text.clone(),
            })?
        }
        _ => 0,
    };
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let sql = sample_query(d, &table, &names, sampling, row_count)?;
    let sampled = source.run("read the sample", &sql, &mut scanned).await?;
    let schema = rows::schema(&columns);
    let mut profiler = TableProfiler::new(&schema, options)?;
    for chunk in sampled.chunks(rows::BATCH_ROWS) {
        profiler.update(&rows::to_batch(d, &schema, chunk, &source.location())?)?;
    }
    info!(sampled = sampled.len(), bytes_scanned = scanned, "sample profiled");
    let n = sampled.len() as u64;
    Ok(SqlProfile {
        mode: ProfileMode::Scan,
        rows_read: n,
        rows_profiled: n,
        columns: profiler.finish(),
        bytes_scanned: scanned,
    })
}
