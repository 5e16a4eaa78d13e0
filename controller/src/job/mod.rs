//! The `ProfileJob` reconciler: `decide` is the whole decision as a plain function; the rest
//! carries it out against Kubernetes, Step Functions and the profile store.

pub mod decide;
pub mod document;
pub mod execution_name;
pub mod progress;
pub mod reconcile;
#[cfg(test)]
mod request_tests;
pub mod rules;
pub mod store_sync;
pub mod tracker;

pub use reconcile::{FINALIZER, JobContext, job_key, reconcile};
