//! Profiling a table through Amazon Athena, by pushdown (the column list from
//! `information_schema`, one aggregate query for every column's basic metrics, one bounded top-k
//! query per low-cardinality string column) or by sample (rows pulled back and profiled by the
//! engine). Queries are polled with backoff up to a timeout and their results paged.

use aws_sdk_athena::Client;
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use profiler_crds::AthenaSource;
use tracing::{debug, instrument};

use super::profile::SqlSource;
use super::sql::{Dialect, SqlColumn, TableRef};
use super::statement::{PollPolicy, ResultPage, Row, StatementApi, StatementState, run_to_completion};
use crate::aws::call_failed;
use crate::error::WorkerError;

/// An Athena table and the client to query it.
pub struct AthenaConnector {
    client: Client,
    source: AthenaSource,
    poll: PollPolicy,
}

impl AthenaConnector {
    /// A connector for `source`.
    pub fn new(client: Client, source: AthenaSource, poll: PollPolicy) -> Self {
        Self { client, source, poll }
    }

    /// The table as quoted SQL names it.
    pub fn table(&self) -> TableRef {
        TableRef { parts: vec![self.source.catalog.clone(), self.source.database.clone(), self.source.table.clone()] }
    }

    /// The table as the user named it, for messages and the profile's location.
    pub fn location(&self) -> String {
        format!("athena://{}/{}.{}", self.source.catalog, self.source.database, self.source.table)
    }

    /// The table's columns in order, with their nullability.
    #[instrument(skip_all, fields(table = %self.location()))]
    async fn schema(&self, scanned: &mut u64) -> Result<Vec<(SqlColumn, Option<bool>)>, WorkerError> {
        let d = Dialect::Athena;
        let sql = "SELECT column_name, data_type, is_nullable FROM information_schema.columns \
                   WHERE table_catalog = ? AND table_schema = ? AND table_name = ? ORDER BY ordinal_position";
        let params = vec![
            d.quote_literal(&self.source.catalog.to_lowercase())?,
            d.quote_literal(&self.source.database)?,
            d.quote_literal(&self.source.table)?,
        ];
        let rows = self.query("read the table's columns", sql, params, scanned).await?;
        Ok(SqlColumn::described_from_rows(rows))
    }

    /// Runs one query to completion and returns its data rows as text (header row dropped).
    async fn query(
        &self,
        step: &'static str,
        sql: &str,
        params: Vec<String>,
        scanned: &mut u64,
    ) -> Result<Vec<Row>, WorkerError> {
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
        let started = start.send().await.map_err(|e| call_failed(self.location(), step, "Athena", &e))?;
        let id = started.query_execution_id().unwrap_or_default();
        run_to_completion(self, id, &self.poll, &self.location(), step, scanned).await
    }
}

/// Athena's query executions, followed by id.
impl StatementApi for AthenaConnector {
    const NOUN: &'static str = "query";
    const STOPPED: &'static str = "stopped";

    async fn state(&self, step: &'static str, id: &str) -> Result<StatementState, WorkerError> {
        let execution = self.client.get_query_execution().query_execution_id(id).send().await;
        let execution = execution.map_err(|e| call_failed(self.location(), step, "Athena", &e))?;
        let execution = execution.query_execution();
        let status = execution.and_then(|e| e.status());
        Ok(match status.and_then(|s| s.state()) {
            Some(QueryExecutionState::Succeeded) => {
                // Counted once, from the finished query's statistics.
                let stats = execution.and_then(|e| e.statistics());
                let bytes = stats.and_then(|s| s.data_scanned_in_bytes()).unwrap_or(0).max(0) as u64;
                StatementState::Finished { bytes_scanned: bytes }
            }
            Some(QueryExecutionState::Failed | QueryExecutionState::Cancelled) => {
                let reason = status.and_then(|s| s.state_change_reason()).unwrap_or("no reason given").to_owned();
                let error = status.and_then(|s| s.athena_error());
                // Category 2 is a user error (syntax, missing table or column); retryable errors
                // are Athena's own.
                let user_error = error.is_some_and(|e| e.error_category() == Some(2));
                let retryable = error.is_some_and(|e| e.retryable());
                StatementState::Failed { reason, transient: retryable || !user_error }
            }
            _ => StatementState::Running,
        })
    }

    async fn stop(&self, id: &str) {
        let _ = self.client.stop_query_execution().query_execution_id(id).send().await;
    }

    async fn page(&self, step: &'static str, id: &str, token: Option<String>) -> Result<ResultPage, WorkerError> {
        // The first page opens with the header row.
        let skip = usize::from(token.is_none());
        let page = self.client.get_query_results().query_execution_id(id).set_next_token(token).send().await;
        let page = page.map_err(|e| call_failed(self.location(), step, "Athena", &e))?;
        let rows = page.result_set().map_or_else(Vec::new, |set| set.rows().iter().skip(skip).map(row_text).collect());
        Ok(ResultPage { rows, next_token: page.next_token().map(str::to_owned) })
    }
}

/// An Athena result row as text (NULL as `None`).
fn row_text(row: &aws_sdk_athena::types::Row) -> Row {
    row.data().iter().map(|datum| datum.var_char_value().map(str::to_owned)).collect()
}

impl SqlSource for AthenaConnector {
    fn dialect(&self) -> Dialect {
        Dialect::Athena
    }

    fn location(&self) -> String {
        AthenaConnector::location(self)
    }

    fn table(&self) -> TableRef {
        AthenaConnector::table(self)
    }

    async fn described_columns(&self, scanned: &mut u64) -> Result<Vec<(SqlColumn, Option<bool>)>, WorkerError> {
        self.schema(scanned).await
    }

    async fn run(&self, step: &'static str, sql: &str, scanned: &mut u64) -> Result<Vec<Row>, WorkerError> {
        self.query(step, sql, Vec::new(), scanned).await
    }
}
