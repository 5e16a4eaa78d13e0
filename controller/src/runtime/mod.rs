//! The `ProfilerRuntime` reconciler: an ECS task definition, a Step Functions state machine and
//! the results bucket's lifecycle rule, adopted when they exist, changed only when they differ;
//! their ARNs and a Ready condition in status.

mod aws_resources;
mod reconcile;

pub use reconcile::{RuntimeContext, ready_runtime, reconcile};
