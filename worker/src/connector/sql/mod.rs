//! SQL for profiling a table by pushdown or by sample, in the dialects the connectors speak.

mod decimal;
mod dialect;
mod pushdown;
mod rules;
mod types;

pub use decimal::{SqlDecimal, sql_decimal};
pub use dialect::{Dialect, SqlError, TableRef};
pub use pushdown::{AggregatePlan, parse_quantiles, parse_top_values, quantile_query, sample_query, top_values_query};
pub use rules::{CONTENT_TYPE_NOT_PUSHED_DOWN, RulePlan};
pub use types::{SqlColumn, sql_kind};
