//! Accumulator of list columns, profiled by list length.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_schema::DataType;
use profiler_crds::{ColumnProfile, ListStats};

use crate::error::{EngineError, missing};

/// Whether `data_type` is profiled as a list.
pub fn is_list(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::ListView(_)
            | DataType::LargeListView(_)
    )
}

/// Length statistics of one list column.
#[derive(Debug, Clone)]
pub struct ListAccumulator {
    min_length: u64,
    max_length: u64,
    total_length: u64,
    empty: u64,
}

impl Default for ListAccumulator {
    fn default() -> Self {
        Self { min_length: u64::MAX, max_length: 0, total_length: 0, empty: 0 }
    }
}

impl ListAccumulator {
    /// Adds the lengths of one list array.
    pub fn update(&mut self, array: &dyn Array) {
        let nulls = array.logical_nulls().filter(|n| n.null_count() > 0);
        let lengths: Box<dyn Iterator<Item = u64>> = match array.data_type() {
            DataType::List(_) => Box::new(array.as_list::<i32>().offsets().lengths().map(|l| l as u64)),
            DataType::LargeList(_) => Box::new(array.as_list::<i64>().offsets().lengths().map(|l| l as u64)),
            DataType::FixedSizeList(_, size) => Box::new(std::iter::repeat_n(*size as u64, array.len())),
            DataType::ListView(_) => Box::new(array.as_list_view::<i32>().sizes().iter().map(|l| *l as u64)),
            DataType::LargeListView(_) => Box::new(array.as_list_view::<i64>().sizes().iter().map(|l| *l as u64)),
            _ => return,
        };
        for (i, len) in lengths.enumerate() {
            if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                continue;
            }
            self.min_length = self.min_length.min(len);
            self.max_length = self.max_length.max(len);
            self.total_length += len;
            self.empty += u64::from(len == 0);
        }
    }

    /// Folds `other` into `self`.
    pub fn merge(&mut self, other: &Self) {
        self.min_length = self.min_length.min(other.min_length);
        self.max_length = self.max_length.max(other.max_length);
        self.total_length += other.total_length;
        self.empty += other.empty;
    }

    /// Writes the column's figures into `out`.
    pub fn finish(&self, out: &mut ColumnProfile) {
        let n = out.non_null;
        out.list = Some(ListStats {
            min_length: (n > 0).then_some(self.min_length),
            max_length: (n > 0).then_some(self.max_length),
            mean_length: (n > 0).then(|| self.total_length as f64 / n as f64),
            total_length: self.total_length,
            empty: self.empty,
        });
    }

    /// Rebuilds the accumulator from a profile written by [`Self::finish`].
    pub fn restore(profile: &ColumnProfile) -> Result<Self, EngineError> {
        let stats = profile.list.as_ref().ok_or_else(|| missing(profile, "list"))?;
        Ok(Self {
            min_length: stats.min_length.unwrap_or(u64::MAX),
            max_length: stats.max_length.unwrap_or(0),
            total_length: stats.total_length,
            empty: stats.empty,
        })
    }
}
