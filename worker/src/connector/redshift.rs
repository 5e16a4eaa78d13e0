//! A table in Amazon Redshift, queried through the Redshift Data API (serverless workgroup or
//! provisioned cluster; credentials from a Secrets Manager secret or a database user). Statements
//! are polled with backoff up to a timeout and their results paged; values come back typed and are
//! read as text like Athena's.

use aws_sdk_redshiftdata::Client;
use aws_sdk_redshiftdata::types::{Field, SqlParameter, StatusString};
use profiler_crds::{RedshiftAuth, RedshiftSource, RedshiftTarget};
use tracing::{debug, instrument};

use super::profile::SqlSource;
use super::sql::{Dialect, SqlColumn, TableRef};
use super::statement::{PollPolicy, ResultPage, Row, StatementApi, StatementState, run_to_completion};
use crate::aws::call_failed;
use crate::error::WorkerError;

/// A Redshift table and the client to query it.
pub struct RedshiftConnector {
    client: Client,
    source: RedshiftSource,
    poll: PollPolicy,
}

impl RedshiftConnector {
    /// A connector for `source`.
    pub fn new(client: Client, source: RedshiftSource, poll: PollPolicy) -> Self {
        Self { client, source, poll }
    }

    /// The table as the user named it: `redshift://<workgroup|cluster>/<database>.<schema>.<table>`.
    pub fn location(&self) -> String {
        let target = match &self.source.target {
            RedshiftTarget::Workgroup(w) => w,
            RedshiftTarget::Cluster(c) => c,
        };
        format!("redshift://{target}/{}.{}.{}", self.source.database, self.source.schema, self.source.table)
    }

    /// Runs one statement to completion and returns its rows as text.
    #[instrument(skip(self, sql, params), fields(table = %self.location()))]
    async fn statement(&self, step: &'static str, sql: &str, params: &[(&str, &str)]) -> Result<Vec<Row>, WorkerError> {
        debug!(sql, "executing Redshift statement");
        let mut request = self.client.execute_statement().database(&self.source.database).sql(sql);
        request = match &self.source.target {
            RedshiftTarget::Workgroup(w) => request.workgroup_name(w),
            RedshiftTarget::Cluster(c) => request.cluster_identifier(c),
        };
        request = match &self.source.auth {
            Some(RedshiftAuth::SecretArn(arn)) => request.secret_arn(arn),
            Some(RedshiftAuth::DbUser(user)) => request.db_user(user),
            None => request,
        };
        for (name, value) in params {
            let parameter = SqlParameter::builder()
                .name(*name)
                .value(*value)
                .build()
                .map_err(|e| WorkerError::InvalidRequest(format!("Redshift parameter {name}: {e}")))?;
            request = request.parameters(parameter);
        }
        let started = request.send().await.map_err(|e| call_failed(self.location(), step, "Redshift Data API", &e))?;
        // The Data API does not report the bytes a statement scanned.
        let mut scanned = 0;
        run_to_completion(self, started.id().unwrap_or_default(), &self.poll, &self.location(), step, &mut scanned)
            .await
    }
}

/// The Data API's statements, followed by id.
impl StatementApi for RedshiftConnector {
    const NOUN: &'static str = "statement";
    const STOPPED: &'static str = "cancelled";

    async fn state(&self, step: &'static str, id: &str) -> Result<StatementState, WorkerError> {
        let status = self.client.describe_statement().id(id).send().await;
        let status = status.map_err(|e| call_failed(self.location(), step, "Redshift Data API", &e))?;
        Ok(match status.status() {
            Some(StatusString::Finished) => StatementState::Finished { bytes_scanned: 0 },
            Some(StatusString::Failed | StatusString::Aborted) => StatementState::Failed {
                reason: status.error().unwrap_or("no reason given").to_owned(),
                // A failed statement is the query's or the data's fault (missing table,
                // permission, type error): retrying gives the same answer.
                transient: false,
            },
            _ => StatementState::Running,
        })
    }

    async fn stop(&self, id: &str) {
        let _ = self.client.cancel_statement().id(id).send().await;
    }

    async fn page(&self, step: &'static str, id: &str, token: Option<String>) -> Result<ResultPage, WorkerError> {
        let page = self.client.get_statement_result().id(id).set_next_token(token).send().await;
        let page = page.map_err(|e| call_failed(self.location(), step, "Redshift Data API", &e))?;
        let rows = page.records().iter().map(|record| record.iter().map(field_text).collect()).collect();
        Ok(ResultPage { rows, next_token: page.next_token().map(str::to_owned) })
    }
}

/// A Data API value as text (NULL as `None`).
fn field_text(field: &Field) -> Option<String> {
    match field {
        Field::IsNull(true) => None,
        Field::StringValue(s) => Some(s.clone()),
        Field::LongValue(v) => Some(v.to_string()),
        Field::DoubleValue(v) => Some(v.to_string()),
        Field::BooleanValue(v) => Some(v.to_string()),
        Field::BlobValue(b) => Some(b.as_ref().iter().map(|x| format!("{x:02x}")).collect()),
        _ => None,
    }
}

impl SqlSource for RedshiftConnector {
    fn dialect(&self) -> Dialect {
        Dialect::Redshift
    }

    fn location(&self) -> String {
        RedshiftConnector::location(self)
    }

    fn table(&self) -> TableRef {
        TableRef { parts: vec![self.source.schema.clone(), self.source.table.clone()] }
    }

    async fn described_columns(&self, _scanned: &mut u64) -> Result<Vec<(SqlColumn, Option<bool>)>, WorkerError> {
        // `numeric` with its precision and scale, which the exact decimal figures need.
        let sql = "SELECT column_name, CASE WHEN data_type = 'numeric' AND numeric_precision IS NOT NULL \
                   THEN 'numeric(' || CAST(numeric_precision AS VARCHAR) || ',' || CAST(numeric_scale AS VARCHAR) || ')' \
                   ELSE data_type END AS data_type, is_nullable FROM information_schema.columns \
                   WHERE table_schema = :schema AND table_name = :table ORDER BY ordinal_position";
        let params = [("schema", self.source.schema.as_str()), ("table", self.source.table.as_str())];
        let rows = self.statement("read the table's columns", sql, &params).await?;
        Ok(SqlColumn::described_from_rows(rows))
    }

    async fn run(&self, step: &'static str, sql: &str, _scanned: &mut u64) -> Result<Vec<Row>, WorkerError> {
        self.statement(step, sql, &[]).await
    }
}
