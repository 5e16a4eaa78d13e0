//! The profiler worker: sources (Parquet files, local Iceberg tables), the profiling run, the
//! reports (`profile.json`, `report.html`, a terminal summary) and the sinks (the Postgres profile
//! store). The `profiler` CLI and, later, the Fargate task entrypoint are thin shells around
//! [`run::profile`].

pub mod allocator;
pub mod aws;
pub mod connector;
pub mod datagen;
pub mod drift;
pub mod error;
pub mod fan_out;
pub mod incremental;
pub mod job_document;
pub mod mcp;
pub mod progress;
pub mod quality;
pub mod report;
pub mod run;
pub mod runtime;
pub mod secrets;
pub mod sink;
pub mod source;
pub mod task;
pub mod verbs;

pub use error::{WorkerError, exit_code};
pub use run::{ProfileOutput, ProfileRequest, Progress, check, profile, profile_and_check};
pub use source::SourceSpec;
