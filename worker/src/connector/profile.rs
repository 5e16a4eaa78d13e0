//! Profiling a table of a SQL engine, the same way for every engine: by pushdown (one aggregate
//! query, exact quantiles where the engine needs a query per column, a bounded top-k query per
//! low-cardinality string column) or by sample (rows pulled back and profiled by the engine).
//! Data quality rules are verified by pushdown on every row: in the same aggregate query as the
//! profile's, or (beside a sample, or without a profile) alone in one query over the whole table.

use profiler_crds::quality::{Rule, RuleResult};
use profiler_crds::{ColumnKind, ColumnProfile, Distribution, ProfileMode, Sampling};
use profiler_engine::{ProfileOptions, TableProfiler};
use tracing::info;

use super::rows;
use super::sql::{
    AggregatePlan, Dialect, RulePlan, SqlColumn, SqlError, TableRef, parse_quantiles, parse_top_values, quantile_query,
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
    /// The rules' results, when rules were given.
    pub rules: Option<RuleCheck>,
}

/// Rules verified by pushdown on every row of a table.
#[derive(Debug, Clone)]
pub struct RuleCheck {
    /// Rows the rules were evaluated on (the table's).
    pub rows: u64,
    /// One result per rule, in the rule set's order.
    pub results: Vec<RuleResult>,
}

/// Every column of the table, in order; an error when the table has none (does not exist).
async fn table_columns<S: SqlSource>(source: &S, scanned: &mut u64) -> Result<Vec<SqlColumn>, WorkerError> {
    let columns = source.columns(scanned).await?;
    if columns.is_empty() {
        return Err(WorkerError::TableNotFound {
            location: source.location(),
            reason: "information_schema lists no columns for it".into(),
        });
    }
    Ok(columns)
}

/// The columns to profile: all, or the selected ones in the selected order.
fn selected_columns(columns: &[SqlColumn], selected: Option<&[String]>) -> Result<Vec<SqlColumn>, WorkerError> {
    match selected {
        None => Ok(columns.to_vec()),
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

/// Profiles by pushdown; `rules` are verified in the same aggregate query.
pub(crate) async fn pushdown<S: SqlSource>(
    source: &S,
    selected: Option<&[String]>,
    top_k: u32,
    rules: Option<&[Rule]>,
) -> Result<SqlProfile, WorkerError> {
    let (d, table) = (source.dialect(), source.table());
    let mut scanned = 0;
    let all = table_columns(source, &mut scanned).await?;
    let columns = selected_columns(&all, selected)?;
    // The rules may name any column of the table, not only the profiled ones.
    let rule_plan = rules.map(|rules| RulePlan::new(d, &all, rules)).transpose()?;
    let extra = rule_plan.as_ref().map(RulePlan::select_items).unwrap_or_default();
    let plan = AggregatePlan::with_extra(d, &table, &columns, &extra)?;
    let rows = source.run("compute the aggregates", &plan.sql, &mut scanned).await?;
    let row = rows.first().ok_or_else(|| no_row(source, "compute the aggregates"))?;
    let (row_count, mut profiles) = plan.parse(row)?;
    let rules = match &rule_plan {
        Some(rule_plan) => {
            let (rows, results) = rule_plan.parse(plan.extra_values(row))?;
            Some(RuleCheck { rows, results })
        }
        None => None,
    };
    for profile in &mut profiles {
        let has_values = profile.non_null > 0;
        if let Some(numeric) = profile.numeric.as_mut().filter(|n| n.distribution.is_none() && has_values) {
            // Engines without an approximate percentile in the aggregate (Redshift): exact, one
            // query per column.
            let sql = quantile_query(d, &table, &profile.name)?;
            let rows = source.run("compute quantiles", &sql, &mut scanned).await?;
            if let Some(quantiles) = parse_quantiles(d, rows.first().map(Vec::as_slice).unwrap_or_default())? {
                numeric.distribution =
                    Some(Distribution { quantiles, histogram: Vec::new(), rank_error: 0.0, histogram_exact: false });
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
        rules,
    })
}

/// Verifies `rules` on every row of the table in one aggregate query, without profiling.
pub(crate) async fn check_rules<S: SqlSource>(source: &S, rules: &[Rule]) -> Result<RuleCheck, WorkerError> {
    let mut scanned = 0;
    let columns = table_columns(source, &mut scanned).await?;
    rules_query(source, &columns, rules, &mut scanned).await
}

/// The rules' aggregate alone, over the whole table.
async fn rules_query<S: SqlSource>(
    source: &S,
    columns: &[SqlColumn],
    rules: &[Rule],
    scanned: &mut u64,
) -> Result<RuleCheck, WorkerError> {
    let plan = RulePlan::new(source.dialect(), columns, rules)?;
    let rows = source.run("verify the rules", &plan.query(&source.table())?, scanned).await?;
    let row = rows.first().ok_or_else(|| no_row(source, "verify the rules"))?;
    let (rows, results) = plan.parse(row)?;
    info!(rows, rules = results.len(), "rules verified by pushdown");
    Ok(RuleCheck { rows, results })
}

fn no_row<S: SqlSource>(source: &S, step: &'static str) -> WorkerError {
    WorkerError::Connector {
        source_name: source.location(),
        step,
        message: "the aggregate query returned no row".into(),
        transient: true,
    }
}

/// Pulls a sample back and profiles it with the engine. A reservoir sample of N rows counts the
/// rows first, samples at 1.2 × N / rows and keeps at most N. `rules` judge every row, never the
/// sample: they run as one aggregate query over the whole table.
pub(crate) async fn sample<S: SqlSource>(
    source: &S,
    selected: Option<&[String]>,
    sampling: Sampling,
    options: &ProfileOptions,
    rules: Option<&[Rule]>,
) -> Result<SqlProfile, WorkerError> {
    let (d, table) = (source.dialect(), source.table());
    let mut scanned = 0;
    let all = table_columns(source, &mut scanned).await?;
    let columns = selected_columns(&all, selected)?;
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
    let rules = match rules {
        Some(rules) => Some(rules_query(source, &all, rules, &mut scanned).await?),
        None => None,
    };
    let n = sampled.len() as u64;
    Ok(SqlProfile {
        mode: ProfileMode::Scan,
        rows_read: n,
        rows_profiled: n,
        columns: profiler.finish(),
        bytes_scanned: scanned,
        rules,
    })
}
