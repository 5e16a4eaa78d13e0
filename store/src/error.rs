//! Errors of the profile store, phrased for the person who has to fix them.

/// Everything that can go wrong talking to the profile store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The connection settings are not usable (malformed URL, missing secret field).
    #[error("invalid database settings: {0}")]
    InvalidConfig(String),
    /// Nothing answered at the address, or the connection broke.
    #[error("database unreachable at {target}: {reason} (check the host, port and network path)")]
    Unreachable {
        /// host:port as configured.
        target: String,
        /// What the network layer said.
        reason: String,
    },
    /// The server rejected the user name or password.
    #[error("database at {target} rejected user {user:?}: {reason} (check the user name and password)")]
    Authentication {
        /// host:port as configured.
        target: String,
        /// The user name tried.
        user: String,
        /// The server's message.
        reason: String,
    },
    /// The database named in the settings does not exist on the server.
    #[error("database {database:?} does not exist at {target}")]
    DatabaseMissing {
        /// host:port as configured.
        target: String,
        /// The database name.
        database: String,
    },
    /// TLS could not be negotiated (Supabase requires `sslmode=require`).
    #[error("TLS to the database at {target} failed: {reason}")]
    Tls {
        /// host:port as configured.
        target: String,
        /// The TLS layer's message.
        reason: String,
    },
    /// The database's schema is older than this binary's migrations.
    #[error(
        "the database schema is behind this binary: it has migration {current}, this binary needs \
         {expected}; apply the migrations (`profiler migrate --database-url ...`, or the chart's migration job)"
    )]
    SchemaBehind {
        /// Latest migration applied in the database ("none" when the store was never set up).
        current: String,
        /// Latest migration this binary embeds.
        expected: String,
    },
    /// The database has migrations this binary does not know, or a migration was edited.
    #[error("the database schema does not match this binary: {0}; upgrade the binary or restore the schema")]
    SchemaMismatch(String),
    /// Applying the migrations failed.
    #[error("applying database migrations failed: {0}")]
    Migration(String),
    /// A job with this uid exists under another namespace or name.
    #[error("job uid {uid} is already recorded as {existing}; a uid names one ProfileJob")]
    JobConflict {
        /// The uid.
        uid: String,
        /// namespace/name it is recorded under.
        existing: String,
    },
    /// A run was written for a job that was never recorded.
    #[error("job uid {0} is not recorded; record the job before starting a run")]
    JobNotFound(String),
    /// A run was finished or given a profile before it was started.
    #[error("run {0} is not recorded; start the run before finishing it or writing its profile")]
    RunNotFound(String),
    /// A comparison was recorded for a run (or against a baseline run) that has no profile in
    /// the store.
    #[error("run {0} has no profile in the store; write its profile before recording a comparison with it")]
    ProfileNotFound(String),
    /// A value of the profile does not fit the store (a count beyond 2^63, a bad timestamp).
    #[error("profile field {field} cannot be stored: {reason}")]
    InvalidValue {
        /// Field path within the profile, e.g. `columns[3].count`.
        field: String,
        /// Why.
        reason: String,
    },
    /// A comparison (diff.json) that the store cannot keep as it is: a number that JSON cannot
    /// hold, a summary that disagrees with the findings, a side that is not the run named.
    #[error("comparison field {field} cannot be stored: {reason}")]
    InvalidComparison {
        /// Field path within the comparison, e.g. `findings[2].statistic` or `b.location`.
        field: String,
        /// Why.
        reason: String,
    },
    /// A check (check.json) that the store cannot keep as it is: a number that JSON cannot hold,
    /// a summary that disagrees with the results, a rule name used twice.
    #[error("check field {field} cannot be stored: {reason}")]
    InvalidCheck {
        /// Field path within the check, e.g. `results[2].observedValue` or `summary.failed`.
        field: String,
        /// Why.
        reason: String,
    },
    /// A row read back from the store that does not form a valid profile.
    #[error("stored profile is inconsistent at {field}: {reason}")]
    Corrupt {
        /// Table and column.
        field: String,
        /// Why.
        reason: String,
    },
    /// The server refused a statement (constraint violation, permission denied, ...).
    #[error("database refused {operation}: {source}")]
    Query {
        /// What was being done.
        operation: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
}

impl StoreError {
    /// Whether retrying the same call later may succeed (network trouble, a server restarting).
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Unreachable { .. } => true,
            StoreError::Query { source, .. } => is_transient_sqlx(source),
            _ => false,
        }
    }

    /// Wraps a driver error of a statement.
    pub(crate) fn query(operation: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Query { operation, source }
    }
}

fn is_transient_sqlx(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        // Serialization failures, deadlocks, admin shutdown, too many connections.
        sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("40001" | "40P01" | "57P01" | "57P02" | "57P03" | "53300"))
        }
        _ => false,
    }
}
