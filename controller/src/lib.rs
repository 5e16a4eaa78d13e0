//! The profiler-operator controller: reconciles `ProfileJob`s by starting Step Functions
//! executions of a state machine that runs the worker as a Fargate task, and `ProfilerRuntime`s
//! into the AWS resources that machine needs.

pub mod aws;
pub mod backoff;
pub mod conditions;
pub mod crd_yaml;
pub mod error;
pub mod events;
pub mod http;
pub mod job;
pub mod leader;
pub mod metrics;
#[cfg(test)]
mod mock_api;
pub mod rate_limit;
pub mod run;
pub mod runtime;
pub mod schedule;
pub mod state_machine;
pub mod status;
pub mod validate;

/// Selects ring as the process's TLS crypto provider. The AWS SDK and kube both link rustls, with
/// different providers enabled, so rustls cannot pick one by itself; call this before any client
/// is built. Calling it again is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
