//! Where a finished profile goes besides the local files: the Postgres profile store (and, for
//! the Fargate worker, S3).

pub mod postgres;
pub mod s3;

pub use postgres::{RunIdentity, RunOutputs, RunRecorder, failure_kind, record_outcome};
