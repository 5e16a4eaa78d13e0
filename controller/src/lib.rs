//! The profiler-operator controller: reconciles `ProfileJob`s by starting Step Functions
//! executions of a state machine that runs the worker as a Fargate task, and `ProfilerRuntime`s
//! into the AWS resources that machine needs.

pub mod aws;
pub mod conditions;
pub mod crd_yaml;
pub mod error;
pub mod http;
pub mod job;
pub mod metrics;
pub mod run;
pub mod runtime;
pub mod state_machine;
