//! Data quality rule sets in the worker: reading `rules.yaml` ([`read`]) and writing the result
//! of verifying one (`check.json`, [`check`]).

pub mod check;
pub mod read;
