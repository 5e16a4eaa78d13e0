//! Lifecycle phases of a profiling job, shared by the controller's status and the profile store.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a ProfileJob is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, Default)]
pub enum JobPhase {
    /// Accepted, not yet submitted (waiting for its runtime, or suspended).
    #[default]
    Pending,
    /// An execution was started and has not reported running yet.
    Submitted,
    /// The worker is profiling.
    Running,
    /// The profile was written.
    Succeeded,
    /// The job failed and will not be retried.
    Failed,
    /// The job was stopped (deleted or past its deadline) before it finished.
    Cancelled,
}

impl JobPhase {
    /// Every phase, in lifecycle order.
    pub const ALL: [JobPhase; 6] = [
        JobPhase::Pending,
        JobPhase::Submitted,
        JobPhase::Running,
        JobPhase::Succeeded,
        JobPhase::Failed,
        JobPhase::Cancelled,
    ];

    /// The phase's name as written in status and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            JobPhase::Pending => "Pending",
            JobPhase::Submitted => "Submitted",
            JobPhase::Running => "Running",
            JobPhase::Succeeded => "Succeeded",
            JobPhase::Failed => "Failed",
            JobPhase::Cancelled => "Cancelled",
        }
    }

    /// Whether the job has finished for good.
    pub fn is_terminal(self) -> bool {
        matches!(self, JobPhase::Succeeded | JobPhase::Failed | JobPhase::Cancelled)
    }
}

impl fmt::Display for JobPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A phase name that is not one of [`JobPhase::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPhase(pub String);

impl fmt::Display for UnknownPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown job phase {:?}", self.0)
    }
}

impl std::error::Error for UnknownPhase {}

impl FromStr for JobPhase {
    type Err = UnknownPhase;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JobPhase::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| UnknownPhase(s.to_owned()))
    }
}
