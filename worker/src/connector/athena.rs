//! Profiling a table through Amazon Athena, by pushdown (the column list from
//! `information_schema`, one aggregate query for every column's basic metrics, one bounded top-k
//! query per low-cardinality string column) or by sample (rows pulled back and profiled by the
//! engine). Queries are polled with backoff up to a timeout and their results paged.

use std::time::{Duration, Instant};

use aws_sdk_athena::Client;
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use profiler_crds::{AthenaSource, ColumnKind, ColumnProfile, Sampling};
use profiler_engine::{ProfileOptions, TableProfiler};
use tracing::{debug, info, instrument};

use super::sql::{
    AggregatePlan, Dialect, SqlColumn, SqlError, TableRef, parse_top_values, sample_query, top_values_query,
};
use crate::aws::{describe, is_transient_code};
use crate::error::WorkerError;

/// String columns with at most this many distinct values get a top-k query.
const TOP_K_MAX_DISTINCT: f64 = 100_000.0;

/// Polling of query executions.
#[derive(Debug, Clone, Copy)]
pub struct PollPolicy {
    /// First wait.
    pub initial: Duration,
    /// Longest wait between polls.
    pub max: Duration,
    /// Give up (and stop the query) after this long.
    pub timeout: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self { initial: Duration::from_millis(200), max: Duration::from_secs(5), timeout: Duration::from_secs(30 * 60) }
    }
}

/// An Athena table and the client to query it.
pub struct AthenaConnector {
    client: Client,
    source: AthenaSource,
    poll: PollPolicy,
}

/// What a sample profile produced.
pub struct SampleResult {
    /// Rows the sample query returned (all profiled).
    pub rows: u64,
    /// One profile per column.
    pub columns: Vec<ColumnProfile>,
    /// Bytes Athena scanned over all queries.
    pub bytes_scanned: u64,
}

/// What a pushdown profile produced.
pub struct PushdownResult {
    /// Rows in the table.
    pub rows: u64,
    /// One profile per column.
    pub columns: Vec<ColumnProfile>,
    /// Bytes Athena scanned over all queries.
    pub bytes_scanned: u64,
}

impl AthenaConnector {
    /// A connector for `source`.
    pub fn new(client: Client, source: AthenaSource, poll: PollPolicy) -> Self {
        Self { client, source, poll }
    }

    fn table(&self) -> TableRef {
        TableRef { parts: vec![self.source.catalog.clone(), self.source.database.clone(), self.source.table.clone()] }
    }

    /// The table as the user named it, for messages and the profile's location.
    pub fn location(&self) -> String {
        format!("athena://{}/{}.{}", self.source.catalog, self.source.database, self.source.table)
    }

    /// The table's columns in order, restricted to `selected` when given.
    #[instrument(skip_all, fields(table = %self.location()))]
    pub async fn schema(&self, selected: Option<&[String]>, scanned: &mut u64) -> Result<Vec<SqlColumn>, WorkerError> {
        let d = Dialect::Athena;
        let sql = "SELECT column_name, data_type FROM information_schema.columns \
                   WHERE table_catalog = ? AND table_schema = ? AND table_name = ? ORDER BY ordinal_position";
        let params = vec![
            d.quote_literal(&self.source.catalog.to_lowercase())?,
            d.quote_literal(&self.source.database)?,
            d.quote_literal(&self.source.table)?,
        ];
        let rows = self.query("read the table's columns", sql, params, scanned).await?;
        let columns: Vec<SqlColumn> = rows
            .into_iter()
            .filter_map(|row| match row.as_slice() {
                [Some(name), Some(data_type), ..] => {
                    Some(SqlColumn { name: name.clone(), data_type: data_type.clone() })
                }
                _ => None,
            })
            .collect();
        if columns.is_empty() {
            return Err(WorkerError::TableNotFound {
                location: self.location(),
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

    /// Profiles the table by pushdown.
    #[instrument(skip_all, fields(table = %self.location()))]
    pub async fn profile_pushdown(
        &self,
        selected: Option<&[String]>,
        top_k: u32,
    ) -> Result<PushdownResult, WorkerError> {
        let mut scanned = 0;
        let columns = self.schema(selected, &mut scanned).await?;
        let plan = AggregatePlan::new(Dialect::Athena, &self.table(), &columns)?;
        let rows = self.query("compute the aggregates", &plan.sql, Vec::new(), &mut scanned).await?;
        let row = rows.first().ok_or_else(|| WorkerError::Connector {
            source_name: self.location(),
            step: "compute the aggregates",
            message: "the aggregate query returned no row".into(),
            transient: true,
        })?;
        let (row_count, mut profiles) = plan.parse(row)?;
        for profile in &mut profiles {
            let low_cardinality = profile.distinct.as_ref().is_some_and(|d| d.estimate <= TOP_K_MAX_DISTINCT);
            if profile.kind == ColumnKind::String && low_cardinality && profile.non_null > 0 {
                let sql = top_values_query(Dialect::Athena, &self.table(), &profile.name, top_k)?;
                let rows = self.query("find the top values", &sql, Vec::new(), &mut scanned).await?;
                if let Some(text) = profile.text.as_mut() {
                    text.top_values = parse_top_values(Dialect::Athena, &rows)?;
                }
            }
        }
        info!(rows = row_count, columns = profiles.len(), bytes_scanned = scanned, "pushdown profile computed");
        Ok(PushdownResult { rows: row_count, columns: profiles, bytes_scanned: scanned })
    }

    /// Pulls a sample back (TABLESAMPLE BERNOULLI; for a reservoir sample of N rows, sampled at
    /// 1.2 × N / rows and limited to N) and profiles it with the engine.
    #[instrument(skip_all, fields(table = %self.location()))]
    pub async fn profile_sample(
        &self,
        selected: Option<&[String]>,
        sampling: Sampling,
        options: &ProfileOptions,
    ) -> Result<SampleResult, WorkerError> {
        let mut scanned = 0;
        let columns = self.schema(selected, &mut scanned).await?;
        let table = self.table();
        let row_count = match sampling {
            Sampling::Reservoir { .. } => {
                let sql = format!("SELECT COUNT(*) AS \"rows\" FROM {}", table.quoted(Dialect::Athena)?);
                let rows = self.query("count the rows", &sql, Vec::new(), &mut scanned).await?;
                let text = rows.first().and_then(|r| r.first().cloned().flatten()).unwrap_or_default();
                text.trim().parse::<u64>().map_err(|_| SqlError::BadResult {
                    dialect: Dialect::Athena,
                    what: "row count".into(),
                    value: text.clone(),
                })?
            }
            _ => 0,
        };
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        let sql = sample_query(Dialect::Athena, &table, &names, sampling, row_count)?;
        let rows = self.query("read the sample", &sql, Vec::new(), &mut scanned).await?;
        let schema = super::rows::schema(&columns);
        let mut profiler = TableProfiler::new(&schema, options)?;
        for chunk in rows.chunks(super::rows::BATCH_ROWS) {
            profiler.update(&super::rows::to_batch(&schema, chunk, &self.location())?)?;
        }
        info!(sampled = rows.len(), bytes_scanned = scanned, "sample profiled");
        Ok(SampleResult { rows: rows.len() as u64, columns: profiler.finish(), bytes_scanned: scanned })
    }

    /// Runs one query to completion and returns its data rows as text (header row dropped).
    async fn query(
        &self,
        step: &'static str,
        sql: &str,
        params: Vec<String>,
        scanned: &mut u64,
    ) -> Result<Vec<Vec<Option<String>>>, WorkerError> {
        debug!(step, sql, "starting Athena query");
        let context = QueryExecutionContext::builder().catalog(&self.source.catalog).database(&self.source.database);
        let mut start = self.client.start_query_execution().query_string(sql).work_group(&self.source.workgroup);
        start = start.query_execution_context(context.build());
        if let Some(location) = &self.source.output_location {
            start = start.result_configuration(ResultConfiguration::builder().output_location(location).build());
        }
        if !params.is_empty() {
            start = start.set_execution_parameters(Some(params));
        }
        let started = start.send().await.map_err(|e| self.aws_error(step, &e))?;
        let id = started.query_execution_id().unwrap_or_default().to_owned();
        let deadline = Instant::now() + self.poll.timeout;
        let mut wait = self.poll.initial;
        loop {
            let execution = self
                .client
                .get_query_execution()
                .query_execution_id(&id)
                .send()
                .await
                .map_err(|e| self.aws_error(step, &e))?;
            let execution = execution.query_execution();
            if let Some(stats) = execution.and_then(|e| e.statistics()) {
                *scanned += stats.data_scanned_in_bytes().unwrap_or(0).max(0) as u64;
            }
            let status = execution.and_then(|e| e.status());
            match status.and_then(|s| s.state()) {
                Some(QueryExecutionState::Succeeded) => break,
                Some(QueryExecutionState::Failed | QueryExecutionState::Cancelled) => {
                    let reason = status.and_then(|s| s.state_change_reason()).unwrap_or("no reason given").to_owned();
                    let error = status.and_then(|s| s.athena_error());
                    // Category 2 is a user error (syntax, missing table or column); retryable
                    // errors are Athena's own.
                    let user_error = error.is_some_and(|e| e.error_category() == Some(2));
                    let retryable = error.is_some_and(|e| e.retryable());
                    return Err(WorkerError::Connector {
                        source_name: self.location(),
                        step,
                        message: format!("query {id} failed: {reason}"),
                        transient: retryable || !user_error,
                    });
                }
                _ => {}
            }
            if Instant::now() >= deadline {
                let _ = self.client.stop_query_execution().query_execution_id(&id).send().await;
                return Err(WorkerError::Connector {
                    source_name: self.location(),
                    step,
                    message: format!("query {id} did not finish within {:?}; it was stopped", self.poll.timeout),
                    transient: true,
                });
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(self.poll.max);
        }
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        let mut first_page = true;
        loop {
            let page = self
                .client
                .get_query_results()
                .query_execution_id(&id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| self.aws_error(step, &e))?;
            if let Some(set) = page.result_set() {
                let skip = usize::from(first_page);
                for row in set.rows().iter().skip(skip) {
                    rows.push(row.data().iter().map(|d| d.var_char_value().map(str::to_owned)).collect());
                }
            }
            first_page = false;
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(rows)
    }

    fn aws_error<E, R>(&self, step: &'static str, error: &aws_sdk_athena::error::SdkError<E, R>) -> WorkerError
    where
        E: aws_sdk_athena::error::ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let (code, message) = describe(error);
        let transient = is_transient_code(code.as_deref());
        let code = code.map(|c| format!("{c}: ")).unwrap_or_default();
        WorkerError::Connector {
            source_name: self.location(),
            step,
            message: format!("Athena said {code}{message}"),
            transient,
        }
    }
}
