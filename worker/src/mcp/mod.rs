//! `profiler mcp`: the profiler's tools for AI agents over the Model Context Protocol (stdio),
//! within the limits an operator sets ([`limits`]). Tool failures and refusals are tool results
//! with `isError: true`, so the agent reads them and the server keeps serving. Stdout is the
//! protocol channel: logs go to stderr. docs/agents.md has the tools, limits and client set-up.

mod connector;
pub mod error;
pub mod limits;
mod profiling;
mod rules;
pub mod summary;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use profiler_store::DatabaseConfig;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, ServiceExt, tool_handler};

use self::error::ToolError;
use self::limits::{Limits, LimitsConfig, LimitsError};
use crate::connector::statement::PollPolicy;
use crate::error::{WorkerError, exit_code};
use crate::verbs;

/// First wait of a query's polling (doubling up to 5 s).
const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// How long past the query timeout a call may take to stop its query before it is answered.
const STOP_GRACE: Duration = Duration::from_secs(15);

/// The tool server: the limits, the optional profile store, and the tools.
#[derive(Clone)]
pub struct ProfilerServer {
    limits: Arc<Limits>,
    store: Option<DatabaseConfig>,
    tool_router: ToolRouter<Self>,
}

impl ProfilerServer {
    /// A server applying `limits`; profile runs are recorded in `store` when given (only
    /// allowed when the limits are not read-only).
    pub fn new(limits: Limits, store: Option<DatabaseConfig>) -> Result<Self, McpError> {
        if limits.read_only && store.is_some() {
            return Err(McpError::StoreWhileReadOnly);
        }
        Ok(Self {
            limits: Arc::new(limits),
            store,
            tool_router: Self::connector_router() + Self::profiling_router() + Self::rules_router(),
        })
    }

    /// Names of the tools served.
    pub fn tool_names(&self) -> Vec<String> {
        self.tool_router.list_all().into_iter().map(|t| t.name.to_string()).collect()
    }

    /// Runs blocking work (a scan, file reads) off the protocol's threads, given the polling of
    /// its queries (stopped at the query timeout). Past the timeout (and a grace for the stop),
    /// the call is answered as timed out and its queries cancelled; a file scan's thread
    /// finishes on its own.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(PollPolicy) -> Result<T, ToolError> + Send + 'static,
    ) -> Result<T, ToolError> {
        let timeout = self.limits.query_timeout;
        let poll = verbs::poll_policy(POLL_INTERVAL, timeout);
        let cancel = poll.cancel.clone();
        match tokio::time::timeout(timeout + STOP_GRACE, tokio::task::spawn_blocking(move || work(poll))).await {
            Err(_) => {
                cancel.cancel();
                Err(ToolError::TimedOut(timeout))
            }
            Ok(Err(join)) => Err(ToolError::Internal(join.to_string())),
            Ok(Ok(result)) => result,
        }
    }

    /// [`Self::blocking`] for a verb's future, driven on a blocking thread (the verbs read files
    /// synchronously between their awaits).
    async fn blocking_async<T, F>(&self, work: impl FnOnce(PollPolicy) -> F + Send + 'static) -> Result<T, ToolError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, WorkerError>>,
    {
        let handle = tokio::runtime::Handle::current();
        self.blocking(move |poll| handle.block_on(work(poll)).map_err(ToolError::from)).await
    }

    /// What the server tells the agent about itself and its limits.
    fn instructions(&self) -> String {
        let l = &self.limits;
        format!(
            "Data profiling tools of the profiler. Sources are URIs (athena://[CATALOG/]DATABASE.TABLE, \
             redshift://WORKGROUP/DATABASE/SCHEMA.TABLE, iceberg+glue://NAMESPACE.TABLE, s3://BUCKET/PREFIX/) or local \
             paths. Limits of this server: sources allowed: {}; local directories allowed: {}; at most {} sample rows; \
             queries stop after {}s; {}. A refused or failed call returns an error result saying why.",
            l.allowed_sources_text(),
            l.allowed_dirs_text(),
            l.max_sample_rows,
            l.query_timeout.as_secs(),
            if l.read_only { "read-only (nothing is recorded in the profile store)" } else { "runs are recorded" },
        )
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for ProfilerServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("profiler", env!("CARGO_PKG_VERSION")))
            .with_instructions(self.instructions())
    }
}

/// Why the server could not start or stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    /// The limits cannot be applied.
    #[error(transparent)]
    Limits(#[from] LimitsError),
    /// A profile store with read-only limits.
    #[error(
        "recording runs in the profile store writes to it: set --read-only false (or \"readOnly\": false) to use --database-url"
    )]
    StoreWhileReadOnly,
    /// The profile store's URL is invalid.
    #[error("profile store: {0}")]
    Store(#[from] profiler_store::StoreError),
    /// The runtime could not start.
    #[error(transparent)]
    Runtime(#[from] WorkerError),
    /// The client did not complete the protocol's initialization.
    #[error("MCP initialization failed: {0}")]
    Initialize(String),
    /// The server's task ended abnormally.
    #[error("MCP server stopped: {0}")]
    Stopped(String),
}

impl McpError {
    /// The process exit code: 2 for limits an operator must fix, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Limits(_) | Self::StoreWhileReadOnly | Self::Store(_) => exit_code::BAD_INPUT,
            Self::Runtime(e) => e.exit_code(),
            Self::Initialize(_) | Self::Stopped(_) => exit_code::INTERNAL,
        }
    }
}

/// How `profiler mcp` was started: the limits file, the flags over it, the profile store.
#[derive(Debug, Default)]
pub struct McpOptions {
    /// The `--config` file of limits.
    pub config: Option<PathBuf>,
    /// The limits set by flags (lists add to the file's, values replace them).
    pub flags: LimitsConfig,
    /// Postgres URL of the profile store that records profile runs.
    pub database_url: Option<String>,
}

/// Checks the limits and serves the tools over stdin/stdout until the client closes the
/// connection.
pub fn run(options: McpOptions) -> Result<(), McpError> {
    let file = match &options.config {
        Some(path) => LimitsConfig::from_file(path)?,
        None => LimitsConfig::default(),
    };
    let limits = file.overlay(options.flags).check(verbs::MAX_SAMPLE_ROWS)?;
    let store = options.database_url.as_deref().map(DatabaseConfig::from_url).transpose()?;
    serve(ProfilerServer::new(limits, store)?)
}

/// Serves `server` over stdin/stdout until the client closes the connection.
pub fn serve(server: ProfilerServer) -> Result<(), McpError> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4);
    let runtime = crate::runtime::multi_thread(threads)?;
    let result = runtime.block_on(async {
        tracing::info!(tools = ?server.tool_names(), "serving MCP on stdio");
        let running = server.serve(rmcp::transport::stdio()).await.map_err(|e| McpError::Initialize(e.to_string()))?;
        let reason = running.waiting().await.map_err(|e| McpError::Stopped(e.to_string()))?;
        tracing::info!(?reason, "MCP client disconnected");
        Ok(())
    });
    // A scan that outlived its timeout is not waited for.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}
