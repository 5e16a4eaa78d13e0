//! Profiling a table through Amazon Athena, by pushdown (the column list from
//! `information_schema`, one aggregate query for every column's basic metrics, one bounded top-k
//! query per low-cardinality string column) or by sample (rows pulled back and profiled by the
//! engine). Queries are polled with backoff up to a timeout and their results paged.

use std::time::{Duration, Instant};

use aws_sdk_athena::Client;
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use profiler_crds::AthenaSource;
use tracing::{debug, instrument};

use super::profile::SqlSource;
use super::sql::{Dialect, SqlColumn, TableRef};
use crate::aws::call_failed;
use crate::error::WorkerError;

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

impl PollPolicy {
    /// The waits of one statement's polling, starting now.
    pub fn start(&self) -> Backoff {
        Backoff { next: self.initial, max: self.max, deadline: Instant::now() + self.timeout }
    }
}

/// Exponential backoff between polls, up to a deadline.
pub struct Backoff {
    next: Duration,
    max: Duration,
    deadline: Instant,
}

impl Backoff {
    /// Sleeps before the next poll (`initial`, doubling up to `max`); `false`, without sleeping,
    /// once the deadline has passed.
    pub async fn wait(&mut self) -> bool {
        if Instant::now() >= self.deadline {
            return false;
        }
        tokio::time::sleep(self.next).await;
        self.next = (self.next * 2).min(self.max);
        true
    }
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

    /// The table's columns in order.
    #[instrument(skip_all, fields(table = %self.location()))]
    async fn schema(&self, scanned: &mut u64) -> Result<Vec<SqlColumn>, WorkerError> {
        let d = Dialect::Athena;
        let sql = "SELECT column_name, data_type FROM information_schema.columns \
                   WHERE table_catalog = ? AND table_schema = ? AND table_name = ? ORDER BY ordinal_position";
        let params = vec![
            d.quote_literal(&self.source.catalog.to_lowercase())?,
            d.quote_literal(&self.source.database)?,
            d.quote_literal(&self.source.table)?,
        ];
        let rows = self.query("read the table's columns", sql, params, scanned).await?;
        let columns: Vec<SqlColumn> = SqlColumn::from_rows(rows);
        Ok(columns)
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
        let started = start.send().await.map_err(|e| call_failed(self.location(), step, "Athena", &e))?;
        let id = started.query_execution_id().unwrap_or_default().to_owned();
        let mut backoff = self.poll.start();
        loop {
            let execution = self
                .client
                .get_query_execution()
                .query_execution_id(&id)
                .send()
                .await
                .map_err(|e| call_failed(self.location(), step, "Athena", &e))?;
            let execution = execution.query_execution();
            let status = execution.and_then(|e| e.status());
            match status.and_then(|s| s.state()) {
                Some(QueryExecutionState::Succeeded) => {
                    // Counted once, from the finished query's statistics.
                    let stats = execution.and_then(|e| e.statistics());
                    *scanned += stats.and_then(|s| s.data_scanned_in_bytes()).unwrap_or(0).max(0) as u64;
                    break;
                }
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
            if !backoff.wait().await {
                let _ = self.client.stop_query_execution().query_execution_id(&id).send().await;
                return Err(WorkerError::Connector {
                    source_name: self.location(),
                    step,
                    message: format!("query {id} did not finish within {:?}; it was stopped", self.poll.timeout),
                    transient: true,
                });
            }
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
                .map_err(|e| call_failed(self.location(), step, "Athena", &e))?;
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

    async fn columns(&self, scanned: &mut u64) -> Result<Vec<SqlColumn>, WorkerError> {
        self.schema(scanned).await
    }

    async fn run(
        &self,
        step: &'static str,
        sql: &str,
        scanned: &mut u64,
    ) -> Result<Vec<Vec<Option<String>>>, WorkerError> {
        self.query(step, sql, Vec::new(), scanned).await
    }
}
