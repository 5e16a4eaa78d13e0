//! The profile store: where jobs, runs and profiles live in Postgres (Supabase).
//!
//! The schema is the SQL in `migrations/` (embedded here and applied with [`Store::migrate`]); the
//! functions of [`Store`] write a job, its runs, whole profiles, drift comparisons and rule checks
//! idempotently and atomically, and read back the latest profile of a table, a column's history
//! and a table's latest comparisons and checks. Row-level security in the schema lets Supabase users read the namespaces their JWT grants; this crate writes as whatever
//! role its connection URL names (the service role or the database owner).

mod alerts;
mod checks;
mod comparisons;
mod config;
mod error;
mod read;
mod records;
mod rows;
mod schema;
mod store;
mod write;

pub use checks::CheckRecord;
pub use comparisons::ComparisonRecord;
pub use config::DatabaseConfig;
pub use error::StoreError;
pub use profiler_crds::FailureKind;
pub use read::{ColumnHistoryPoint, StoredProfile};
pub use records::{JobRecord, RunKey, RunOutcome, RunStatus};
pub use schema::{MIGRATOR, SchemaStatus};
pub use store::Store;
