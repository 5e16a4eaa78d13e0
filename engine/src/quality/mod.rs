//! Data quality rules computed with the engine: rule suggestion from a profile ([`suggest`]) and
//! verification of a rule set against the data ([`check`]).

pub mod check;
pub mod suggest;
