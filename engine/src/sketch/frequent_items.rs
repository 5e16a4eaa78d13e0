//! The top-values sketch of a string or binary column: a DataSketches frequent-items sketch of
//! the rendered values.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use datasketches::frequencies::{ErrorType, FrequentItemsSketch};
use profiler_crds::{ColumnProfile, ValueCount};

use super::{bad, decode, image, invalid};
use crate::error::EngineError;

/// Frequent-items sketch of values rendered as strings.
#[derive(Debug, Clone)]
pub struct TopValuesSketch {
    items: FrequentItemsSketch<String>,
}

impl TopValuesSketch {
    /// An empty sketch with the given maximum map size (a power of two).
    pub fn new(map_size: usize) -> Result<Self, EngineError> {
        let items = FrequentItemsSketch::new(map_size).map_err(|e| invalid("frequent_items_map_size", e))?;
        Ok(Self { items })
    }

    /// Adds `count` occurrences of `value`; allocates only when the value is not tracked yet.
    #[inline]
    pub fn update(&mut self, value: &str, count: u64) {
        self.items.update_with_count_ref(value, count);
    }

    /// Folds `other` into `self`.
    pub fn merge(&mut self, other: &Self) {
        self.items.merge(&other.items);
    }

    /// The `k` most frequent values that certainly exceed the sketch's error, most frequent first,
    /// and that error (0 when counts are exact).
    pub fn top(&self, k: usize) -> (Vec<ValueCount>, u64) {
        let mut rows: Vec<ValueCount> = self
            .items
            .frequent_items(ErrorType::NoFalsePositives)
            .into_iter()
            .map(|row| ValueCount { value: row.item().clone(), count: row.estimate() })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        rows.truncate(k);
        (rows, self.items.maximum_error())
    }

    /// Standard frequent-items (string) image, base64.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.items.serialize())
    }

    /// Reads an image written by [`Self::to_base64`].
    pub fn from_base64(column: &str, text: &str) -> Result<Self, EngineError> {
        let items = FrequentItemsSketch::deserialize(&decode(column, "frequentItems", text)?)
            .map_err(|e| bad(column, "frequentItems", e))?;
        Ok(Self { items })
    }

    /// Reads the sketch stored in a column profile.
    pub fn from_profile(profile: &ColumnProfile) -> Result<Self, EngineError> {
        Self::from_base64(&profile.name, image(profile, "frequentItems")?)
    }
}
