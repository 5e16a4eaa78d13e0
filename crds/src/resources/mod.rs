//! The Kubernetes custom resources (API group `profiler.dev`, version `v1alpha1`). Behind the
//! `kubernetes` feature, so the worker never links kube.

mod profile_job;
mod profile_schedule;
mod runtime;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::core::CustomResourceExt;
pub use profile_job::*;
pub use profile_schedule::*;
pub use runtime::*;

/// API group of every resource.
pub const GROUP: &str = "profiler.dev";

/// Every CRD of the operator, in a stable order (what the Helm chart ships).
pub fn crds() -> Vec<CustomResourceDefinition> {
    vec![ProfileJob::crd(), ProfileSchedule::crd(), ProfilerRuntime::crd()]
}
