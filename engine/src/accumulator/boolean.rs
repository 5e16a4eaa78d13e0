//! Accumulator of boolean columns.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use profiler_crds::{BooleanStats, ColumnProfile, DistinctCount};

use crate::error::{EngineError, missing};

/// True and false counts of one boolean column.
#[derive(Debug, Clone, Default)]
pub struct BooleanAccumulator {
    true_count: u64,
    false_count: u64,
}

impl BooleanAccumulator {
    /// Adds the values of one boolean array.
    pub fn update(&mut self, array: &dyn Array) {
        let array = array.as_boolean();
        let valid = (array.len() - array.null_count()) as u64;
        let trues = match array.nulls().filter(|n| n.null_count() > 0) {
            None => array.values().count_set_bits() as u64,
            Some(nulls) => (array.values() & nulls.inner()).count_set_bits() as u64,
        };
        self.true_count += trues;
        self.false_count += valid - trues;
    }

    /// Folds `other` into `self`.
    pub fn merge(&mut self, other: &Self) {
        self.true_count += other.true_count;
        self.false_count += other.false_count;
    }

    /// Writes the column's figures into `out`; the distinct count is exact.
    pub fn finish(&self, out: &mut ColumnProfile) {
        let distinct = f64::from(u8::from(self.true_count > 0) + u8::from(self.false_count > 0));
        if out.non_null > 0 {
            out.min = Some((self.false_count == 0).to_string());
            out.max = Some((self.true_count > 0).to_string());
            out.distinct = Some(DistinctCount {
                estimate: distinct,
                lower_bound: distinct,
                upper_bound: distinct,
                relative_standard_error: 0.0,
                exact: true,
            });
        }
        out.boolean = Some(BooleanStats { true_count: self.true_count, false_count: self.false_count });
    }

    /// Rebuilds the accumulator from a profile written by [`Self::finish`].
    pub fn restore(profile: &ColumnProfile) -> Result<Self, EngineError> {
        let stats = profile.boolean.as_ref().ok_or_else(|| missing(profile, "boolean"))?;
        Ok(Self { true_count: stats.true_count, false_count: stats.false_count })
    }
}
