//! The tokio runtimes the worker starts for its I/O (the profile store, S3, the AWS APIs, Iceberg
//! reads). A runtime that cannot start is an internal error ([`WorkerError::Startup`]).

use tokio::runtime::{Builder, Runtime};

use crate::error::WorkerError;

/// A single-threaded runtime, for a few awaited calls.
pub fn current_thread() -> Result<Runtime, WorkerError> {
    start(&mut Builder::new_current_thread())
}

/// A runtime of `threads` worker threads, for concurrent reads.
pub fn multi_thread(threads: usize) -> Result<Runtime, WorkerError> {
    start(Builder::new_multi_thread().worker_threads(threads))
}

fn start(builder: &mut Builder) -> Result<Runtime, WorkerError> {
    builder.enable_all().build().map_err(WorkerError::startup("the I/O runtime"))
}
