//! Connectors to SQL engines on AWS: Athena (`athena.rs`) and Redshift through the Data API
//! (`redshift.rs`). Each runs queries and reads the table's columns; what to ask and how the
//! answers become a profile is shared (`profile.rs`, `sql/`, `rows.rs`), and so is how a statement
//! is polled, stopped and paged (`statement.rs`).

pub mod athena;
pub mod profile;
pub mod redshift;
pub mod rows;
pub mod sql;
pub mod statement;
