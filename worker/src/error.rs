//! Errors of the worker and the CLI, each mapped to a documented exit code.

use std::path::PathBuf;

use profiler_crds::JobDocumentError;
use profiler_engine::EngineError;
use profiler_store::StoreError;

use crate::connector::sql::SqlError;

/// Process exit codes of the `profiler` CLI (and, later, of the Fargate worker).
pub mod exit_code {
    /// The profile was written.
    pub const SUCCESS: i32 = 0;
    /// Something unexpected inside the profiler (a bug): report it.
    pub const INTERNAL: i32 = 1;
    /// Bad input: a missing file, an unknown column, a table or snapshot that does not exist, an
    /// invalid option. Retrying will not help; fix the request.
    pub const BAD_INPUT: i32 = 2;
    /// The source exists but could not be read, or could not be reached (corrupt file, I/O error,
    /// AWS throttling or a service error): retrying later may help.
    pub const SOURCE_UNREADABLE: i32 = 3;
    /// The profile could not be written: a local file, or the profile store (unreachable, wrong
    /// password, schema behind the binary).
    pub const OUTPUT_FAILED: i32 = 4;
    /// Interrupted (Ctrl-C): the running query was stopped, nothing was written.
    pub const INTERRUPTED: i32 = 130;
}

/// Everything that can stop a profiling run.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// No file or directory at the given path, and it is not a glob that matches anything.
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    /// A directory or glob that contains no Parquet file.
    #[error("{0}: no Parquet files found")]
    NoFiles(String),
    /// An S3 prefix or glob that selects no Parquet object.
    #[error(
        "{location}: no Parquet files found: ListObjectsV2 listed {listed} object(s) under {listed_under}, none a \
         .parquet file this location names"
    )]
    NoParquetObjects {
        /// The location as given.
        location: String,
        /// Objects listed under the prefix.
        listed: u64,
        /// The prefix listed, `s3://BUCKET/PREFIX`.
        listed_under: String,
    },
    /// A malformed glob pattern.
    #[error("{pattern}: invalid glob pattern: {reason}")]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file that is not readable Parquet.
    #[error("{path}: not a readable Parquet file: {reason}")]
    UnreadableParquet {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
    /// Files of one source with different schemas.
    #[error("{path}: schema differs from {first}; profile files of one schema at a time")]
    SchemaDiffers {
        /// The odd file.
        path: PathBuf,
        /// The file whose schema was taken as the reference.
        first: PathBuf,
    },
    /// A requested column that the source does not have.
    #[error("unknown column {name:?}; the source has: {available}")]
    UnknownColumn {
        /// Requested name.
        name: String,
        /// Comma-separated column names of the source.
        available: String,
    },
    /// A table that does not exist where the user pointed (Iceberg, Athena, Redshift).
    #[error("table not found: {location} ({reason})")]
    TableNotFound {
        /// Metadata file, table directory or catalog identifier.
        location: String,
        /// What was looked for.
        reason: String,
    },
    /// A snapshot id that the table does not have.
    #[error("Iceberg snapshot {id} not found; the table has snapshots: {available}")]
    SnapshotNotFound {
        /// Requested snapshot id.
        id: i64,
        /// Snapshot ids of the table.
        available: String,
    },
    /// Metadata mode asked of a table whose manifests cannot answer it.
    #[error("metadata-only profiling is not possible: {0}")]
    MetadataUnavailable(String),
    /// An Iceberg operation failed.
    #[error("Iceberg {step} failed for {location}: {reason}")]
    Iceberg {
        /// What was being done (open table, plan files, read data file...).
        step: &'static str,
        /// The table.
        location: String,
        /// The library's message.
        reason: String,
    },
    /// An invalid request (option values, conflicting flags).
    #[error("{0}")]
    InvalidRequest(String),
    /// Writing an output failed.
    #[error("cannot write {path}: {reason}")]
    Output {
        /// Output path.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// An input profile (for merging) could not be read.
    #[error("{path}: not a profile document: {reason}")]
    BadProfile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The engine refused the data or options.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The profile store (Postgres) could not be reached or refused a write.
    #[error("profile store: {0}")]
    Store(#[from] StoreError),
    /// The job document is malformed.
    #[error(transparent)]
    Job(#[from] JobDocumentError),
    /// A SQL source (Athena, Redshift) failed: which source, which step, what AWS said.
    #[error("{source_name}: could not {step}: {message}")]
    Connector {
        /// The table.
        source_name: String,
        /// What was being done.
        step: &'static str,
        /// What AWS or the engine said.
        message: String,
        /// Whether retrying later may help (throttling, service errors) or not (bad SQL, missing
        /// table, access denied).
        transient: bool,
    },
    /// A source URI that does not parse.
    #[error(transparent)]
    Uri(#[from] crate::source::uri::UriError),
    /// Stopped by the user (Ctrl-C) while a query ran; the query was stopped.
    #[error("{source_name}: interrupted while trying to {step}; {what}")]
    Interrupted {
        /// The table.
        source_name: String,
        /// What was being done.
        step: &'static str,
        /// What became of the running query.
        what: String,
    },
    /// A name that cannot be written in the engine's SQL, or an unexpected result.
    #[error(transparent)]
    Sql(#[from] SqlError),
    /// Writing the outputs to S3 failed.
    #[error("cannot write {uri}: {message}")]
    S3Output {
        /// s3://bucket/key
        uri: String,
        /// What S3 said.
        message: String,
    },
    /// A capability this build does not have yet.
    #[error("{0} is not supported by this worker yet")]
    NotSupported(String),
    /// The operating system refused what the process needs to run (the threads of an I/O runtime,
    /// a socket): not the request's fault, and not fixed by changing it.
    #[error("cannot start {what}: {source}")]
    Startup {
        /// What was being started ("the I/O runtime").
        what: &'static str,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// One group of a fanned-out run failed; the exit code is the group's own.
    #[error("group {index} of {groups}: {source}")]
    Group {
        /// The group's index, from 0.
        index: u32,
        /// Groups in the plan.
        groups: u32,
        /// What went wrong in the group.
        source: Box<WorkerError>,
    },
}

impl WorkerError {
    /// Maps a failure to start `what` (an I/O runtime, a socket) to [`WorkerError::Startup`], for
    /// `map_err`.
    pub fn startup(what: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |source| Self::Startup { what, source }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        use exit_code::*;
        match self {
            Self::NotFound(_)
            | Self::NoFiles(_)
            | Self::NoParquetObjects { .. }
            | Self::BadGlob { .. }
            | Self::SchemaDiffers { .. }
            | Self::UnknownColumn { .. }
            | Self::TableNotFound { .. }
            | Self::SnapshotNotFound { .. }
            | Self::MetadataUnavailable(_)
            | Self::InvalidRequest(_)
            | Self::BadProfile { .. }
            | Self::Uri(_) => BAD_INPUT,
            Self::Interrupted { .. } => INTERRUPTED,
            Self::UnreadableParquet { .. } | Self::Iceberg { .. } => SOURCE_UNREADABLE,
            Self::Store(StoreError::InvalidConfig(_) | StoreError::InvalidValue { .. }) => BAD_INPUT,
            Self::Output { .. } | Self::Store(_) | Self::S3Output { .. } => OUTPUT_FAILED,
            Self::Job(_) | Self::NotSupported(_) | Self::Sql(SqlError::BadIdentifier { .. }) => BAD_INPUT,
            Self::Sql(SqlError::BadResult { .. }) => SOURCE_UNREADABLE,
            Self::Connector { transient: false, .. } => BAD_INPUT,
            Self::Connector { transient: true, .. } => SOURCE_UNREADABLE,
            Self::Engine(e) => match e {
                EngineError::InvalidOption { .. } | EngineError::Incompatible(_) | EngineError::BadSketch { .. } => {
                    BAD_INPUT
                }
                EngineError::SchemaMismatch { .. } | EngineError::MissingColumn(_) => SOURCE_UNREADABLE,
                EngineError::ThreadPanicked(_) => INTERNAL,
            },
            Self::Startup { .. } => INTERNAL,
            Self::Group { source, .. } => source.exit_code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_that_cannot_start_is_an_internal_error() {
        let error = WorkerError::startup("the I/O runtime")(std::io::Error::other("out of threads"));
        assert_eq!(error.exit_code(), exit_code::INTERNAL);
        assert_eq!(error.to_string(), "cannot start the I/O runtime: out of threads");
    }
}
