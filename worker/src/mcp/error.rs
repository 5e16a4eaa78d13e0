//! Why a tool call failed. Every failure reaches the agent as a tool result with `isError: true`
//! and this message (never as a protocol error), so the agent can read it and the server keeps
//! serving.

use std::time::Duration;

use rmcp::model::{ContentBlock, IntoContents};

use super::limits::Refusal;
use crate::error::WorkerError;

/// A failed tool call.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The operator's limits refuse the call.
    #[error("refused: {0}")]
    Refused(#[from] Refusal),
    /// The profiler failed: a bad request, an unreadable source, an AWS error.
    #[error("{0}")]
    Failed(#[from] WorkerError),
    /// The call ran past the server's query timeout.
    #[error("timed out after {}s (the server's query timeout); ask for less data or a smaller sample", .0.as_secs())]
    TimedOut(Duration),
    /// The worker thread of the call failed (a bug: please report it).
    #[error("internal error: {0}")]
    Internal(String),
}

impl IntoContents for ToolError {
    fn into_contents(self) -> Vec<ContentBlock> {
        vec![ContentBlock::text(self.to_string())]
    }
}
