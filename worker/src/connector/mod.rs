//! Connectors to SQL engines on AWS (Athena, Redshift): the SQL the profiler sends them and how
//! their answers become a profile. The AWS clients that run these queries come with the Fargate
//! worker; everything here is pure and tested on its own (Redshift-dialect queries also run on a
//! real Postgres where the dialects agree).

pub mod athena;
pub mod rows;
pub mod sql;
