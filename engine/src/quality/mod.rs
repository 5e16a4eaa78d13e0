//! Data quality rules computed with the engine: verification of a rule set against the data
//! ([`check`]).

pub mod check;
