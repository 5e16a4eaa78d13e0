//! Errors of a reconcile. Each is retried with backoff by the controller runtime; what the user
//! must fix is written to the object's status and Events, not only logged.

use profiler_aws::AwsCallError;
use profiler_store::StoreError;

/// Everything a reconcile can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Kubernetes API refused or failed a request.
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    /// An AWS call failed (after the SDK's own retries), in words.
    #[error("{0}")]
    Aws(#[from] AwsCallError),
    /// The profile store failed.
    #[error("profile store: {0}")]
    Store(#[from] StoreError),
    /// A profile store write that must land before the reconcile may finish.
    #[error("profile store write pending: {0}")]
    StorePending(String),
    /// Leader election could not run or the Lease was lost.
    #[error("leader election: {0}")]
    LeaderElection(String),
    /// An attempt's group progress could not be read from its outputs (the job itself is not
    /// affected).
    #[error("cannot read the attempt's group progress: {0}")]
    Progress(String),
    /// The object lacks something the API server always sets (uid, namespace).
    #[error("{0}")]
    Malformed(String),
}
