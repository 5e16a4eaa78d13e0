//! The connector verbs as tools: `test_connection`, `get_schema`, `get_row_count`, `get_sample`.
//! Each checks the source against the limits, then calls the verb's library function.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ProfilerServer;
use super::error::ToolError;
use crate::error::WorkerError;
use crate::source::uri::SourceUri;
use crate::verbs;

/// Input of the tools that take only a source.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceParams {
    /// The table: a source URI (athena://[CATALOG/]DATABASE.TABLE, redshift://WORKGROUP/DATABASE/SCHEMA.TABLE,
    /// iceberg+glue://NAMESPACE.TABLE, iceberg+rest://..., s3://...) or a local Parquet file,
    /// directory or glob, or Iceberg table directory.
    pub source: String,
}

/// Input of `get_sample`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleParams {
    /// The table, as for `get_schema`.
    pub source: String,
    /// Rows to return (default 10; at most the server's maximum, which its instructions state).
    #[serde(default = "default_sample_rows")]
    #[schemars(range(min = 1))]
    pub rows: usize,
}

fn default_sample_rows() -> usize {
    10
}

#[tool_router(router = connector_router, vis = "pub(super)")]
impl ProfilerServer {
    /// Checks that a source can be profiled, step by step (Athena: workgroup, result location,
    /// database, table; Redshift: secret, a query, schema, table; Iceberg: catalog, metadata;
    /// files: files, footers). Returns `ok` and each step's status; a failed step says what went
    /// wrong in the service's words and what to fix.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn test_connection(&self, Parameters(params): Parameters<SourceParams>) -> Result<CallToolResult, ToolError> {
        let uri = self.allowed(&params.source)?;
        let report = self.blocking_async(move |poll| async move { verbs::test_connection(&uri, &poll).await }).await?;
        structured(&report)
    }

    /// The columns of a table: name, the source's type, the Arrow type the profiler reads it as,
    /// nullability.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_schema(&self, Parameters(params): Parameters<SourceParams>) -> Result<CallToolResult, ToolError> {
        let uri = self.allowed(&params.source)?;
        let schema = self.blocking_async(move |poll| async move { verbs::schema(&uri, &poll).await }).await?;
        structured(&schema)
    }

    /// The row count of a table, from metadata where the source has it, else COUNT(*) or a scan;
    /// `method` says which.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_row_count(&self, Parameters(params): Parameters<SourceParams>) -> Result<CallToolResult, ToolError> {
        let uri = self.allowed(&params.source)?;
        let count = self.blocking_async(move |poll| async move { verbs::count(&uri, &poll).await }).await?;
        structured(&count)
    }

    /// The first rows of a table (LIMIT n on Athena and Redshift, the first rows of the files),
    /// values as text, null as null. At most the server's maximum sample rows.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_sample(&self, Parameters(params): Parameters<SampleParams>) -> Result<CallToolResult, ToolError> {
        let uri = self.allowed(&params.source)?;
        self.limits.check_sample(params.rows)?;
        let rows = params.rows;
        let sample = self.blocking_async(move |poll| async move { verbs::sample(&uri, rows, &poll).await }).await?;
        structured(&sample)
    }
}

impl ProfilerServer {
    /// The source `text` names, if it parses and the limits allow it (`file://PATH` as `PATH`).
    pub(super) fn allowed(&self, text: &str) -> Result<SourceUri, ToolError> {
        let uri = match SourceUri::parse(text).map_err(WorkerError::from)? {
            SourceUri::Files(location) => {
                SourceUri::Files(location.strip_prefix("file://").map(str::to_owned).unwrap_or(location))
            }
            other => other,
        };
        self.limits.check_source(&uri)?;
        Ok(uri)
    }
}

/// A verb's result as the tool's structured content (and its JSON text, for clients that read
/// only text).
fn structured<T: Serialize>(value: &T) -> Result<CallToolResult, ToolError> {
    let value = serde_json::to_value(value).map_err(|e| ToolError::Internal(e.to_string()))?;
    Ok(CallToolResult::structured(value))
}
