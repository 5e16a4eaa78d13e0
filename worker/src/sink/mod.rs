//! Where a finished profile goes besides the local files: the Postgres profile store (and, for
//! the Fargate worker, S3).

pub mod postgres;

pub use postgres::{RunIdentity, RunRecorder};
