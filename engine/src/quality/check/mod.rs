//! Verifying a rule set against data in one scan: a [`RuleChecker`] holds one running
//! evaluation per rule, reads every batch the scan reads (next to the profile's accumulators, or
//! alone), merges across threads like the accumulators do, and finishes into one
//! [`RuleResult`] per rule. A rule that cannot be evaluated against the table (a missing column,
//! a type the rule does not apply to) finishes as [`RuleOutcome::Error`](profiler_crds::quality::RuleOutcome)
//! with the reason; the other rules are evaluated all the same.
//!
//! Everything is counted exactly: bounds are compared in the column's own type (integers as
//! integers, decimals as unscaled integers at the column's scale, dates and timestamps as raw
//! values in the column's unit and zone), and `uniqueness` keeps every distinct value's key
//! ([`distinct`]).

mod bounds;
mod column;
pub mod distinct;
mod evaluate;
mod judge;
mod keyed;
mod values;

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::Schema;
use profiler_crds::quality::{Rule, RuleResult};

pub use bounds::{End, TimeBoundError, decimal_bound, integer_range, parse_time, time_bound};
pub use judge::{MAX_EXAMPLES, Observed, ValueCounts, expected, judge, not_evaluated};
pub use values::time_label;

use crate::error::EngineError;
use crate::table::leaf_array;
use column::ColumnRef;
use evaluate::Check;
use keyed::KeyedValues;

/// The running evaluation of a rule set over batches of one schema; cheap to clone, one per
/// thread.
#[derive(Debug, Clone)]
pub struct RuleChecker {
    rules: Vec<Rule>,
    /// Columns the rules read, each once.
    columns: Vec<ColumnRef>,
    /// Per rule: its column (index into `columns`) and evaluation, or why it cannot be evaluated.
    checks: Vec<Result<(Option<usize>, Check), String>>,
    rows: u64,
}

impl RuleChecker {
    /// A checker of `rules` for batches of `schema`. Rules that cannot apply to the schema are
    /// kept as not evaluated.
    pub fn new(schema: &Schema, rules: &[Rule]) -> Self {
        let mut columns: Vec<ColumnRef> = Vec::new();
        let mut checks = Vec::with_capacity(rules.len());
        for rule in rules {
            let column = match rule.column.as_deref() {
                None => None,
                Some(name) => match column::find(schema, name) {
                    Some(found) => {
                        let index = columns.iter().position(|c| c.path == found.path).unwrap_or_else(|| {
                            columns.push(found);
                            columns.len() - 1
                        });
                        Some(index)
                    }
                    None => {
                        checks.push(Err(missing_column(schema, name)));
                        continue;
                    }
                },
            };
            checks.push(Check::new(rule, column.map(|i| &columns[i])).map(|check| (column, check)));
        }
        Self { rules: rules.to_vec(), columns, checks, rows: 0 }
    }

    /// Adds one batch of the checker's schema.
    pub fn update(&mut self, batch: &RecordBatch) -> Result<(), EngineError> {
        self.rows += batch.num_rows() as u64;
        for (index, column) in self.columns.iter().enumerate() {
            let array = leaf_array(batch, &column.path, &column.name)?;
            let checks = self.checks.iter_mut().flatten().filter(|(at, _)| *at == Some(index));
            // A dictionary of strings is tested value by value; any other array row by row.
            if let Some(keyed) = KeyedValues::of(array.as_ref()) {
                checks.for_each(|(_, check)| check.update_keyed(&keyed));
            } else {
                let array = decoded(&array, column)?;
                checks.for_each(|(_, check)| check.update(array.as_ref()));
            }
        }
        Ok(())
    }

    /// Finishes the work that can be done before the threads' checkers merge (sorting what the
    /// uniqueness rules buffered); a scan thread calls it once it has read its last batch, so the
    /// work runs on every thread rather than after the merge.
    pub fn settle(&mut self) {
        for (_, check) in self.checks.iter_mut().flatten() {
            check.settle();
        }
    }

    /// Folds `other` (the same rules over other rows) into `self`.
    pub fn merge(&mut self, other: Self) {
        self.rows += other.rows;
        for (mine, theirs) in self.checks.iter_mut().zip(other.checks) {
            if let (Ok((_, a)), Ok((_, b))) = (mine, theirs) {
                a.merge(b);
            }
        }
    }

    /// Rows seen.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// One result per rule, in the rule set's order.
    pub fn finish(&self) -> Vec<RuleResult> {
        self.rules
            .iter()
            .zip(&self.checks)
            .map(|(rule, check)| match check {
                Ok((_, check)) => judge(rule, &check.observed(self.rows)),
                Err(reason) => not_evaluated(rule, reason.clone()),
            })
            .collect()
    }
}

/// The array with a dictionary decoded to its values.
fn decoded(array: &ArrayRef, column: &ColumnRef) -> Result<ArrayRef, EngineError> {
    if array.as_any_dictionary_opt().is_none() {
        return Ok(array.clone());
    }
    arrow_cast::cast(array, &column.data_type)
        .map_err(|e| EngineError::Incompatible(format!("column {}: cannot decode dictionary: {e}", column.name)))
}

fn missing_column(schema: &Schema, name: &str) -> String {
    let names = column::names(schema);
    let shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
    let more = if names.len() > 20 { format!(" and {} more", names.len() - 20) } else { String::new() };
    format!("column {name:?} is not in the table (columns: {}{more})", shown.join(", "))
}
