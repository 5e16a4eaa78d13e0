//! The `ProfileJob` reconciler: `decide` is the whole decision as a plain function; the rest
//! carries it out against Kubernetes, Step Functions and the profile store.

pub mod decide;
pub mod execution_name;
