//! The profiler-operator controller: reconciles `ProfileJob`s by starting Step Functions
//! executions of a state machine that runs the worker as a Fargate task, and `ProfilerRuntime`s
//! into the AWS resources that machine needs.

pub mod crd_yaml;
pub mod job;
pub mod state_machine;
