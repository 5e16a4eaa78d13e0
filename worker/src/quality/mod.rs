//! Data quality rule sets in the worker: reading `rules.yaml` ([`read`]) and its JSON Schema
//! ([`schema`]), writing the result of verifying one (`check.json`, [`check`]) and exporting one
//! to other tools' formats ([`export`]).

pub mod check;
pub mod export;
pub mod read;
pub mod schema;
