//! A dictionary-encoded batch of strings or binary values seen as what its rows hold: each
//! dictionary value and the number of non-null rows that hold it. A rule then tests each value
//! once per batch instead of once per row, and the batch is never decoded into one string per row
//! (the Parquet source reads a column chunk that is dictionary-encoded on every page this way).

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;

use crate::accumulator::counts_by_key;

/// The distinct values of a dictionary batch and how many rows hold each.
#[derive(Debug)]
pub struct KeyedValues {
    /// The dictionary's values (strings or binary values with offsets).
    values: ArrayRef,
    /// Per dictionary value: the non-null rows of the batch that hold it.
    counts: Vec<u64>,
    /// Rows of the batch, null or not.
    rows: usize,
    /// Non-null rows of the batch.
    non_null: u64,
}

impl KeyedValues {
    /// The keyed view of `array` when the profile would count it by key too
    /// ([`counts_by_key`]): a dictionary of strings or binary values no larger than the batch.
    pub fn of(array: &dyn Array) -> Option<Self> {
        let dictionary = array.as_any_dictionary_opt().filter(|d| counts_by_key(*d))?;
        let values = dictionary.values();
        let keys = dictionary.normalized_keys();
        let mut counts = vec![0u64; values.len()];
        let mut count = |i: usize| {
            if let Some(c) = keys.get(i).and_then(|&k| counts.get_mut(k)) {
                *c += 1;
            }
        };
        // Null keys and keys of null values are the rows' nulls.
        match array.logical_nulls().filter(|n| n.null_count() > 0) {
            None => (0..array.len()).for_each(&mut count),
            Some(nulls) => nulls.valid_indices().for_each(&mut count),
        }
        let non_null = counts.iter().sum();
        Some(Self { values: values.clone(), counts, rows: array.len(), non_null })
    }

    /// Rows of the batch.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Non-null rows of the batch.
    pub fn non_null(&self) -> u64 {
        self.non_null
    }

    /// Calls `f` with every value some row holds and the number of rows holding it.
    pub fn each<'a>(&'a self, mut f: impl FnMut(&'a [u8], u64)) {
        fn visit<'a>(
            values: impl Iterator<Item = Option<&'a [u8]>>,
            counts: &[u64],
            f: &mut impl FnMut(&'a [u8], u64),
        ) {
            for (value, &count) in values.zip(counts) {
                if let Some(value) = value.filter(|_| count > 0) {
                    f(value, count);
                }
            }
        }
        let values = self.values.as_ref();
        let counts = self.counts.as_slice();
        match values.data_type() {
            DataType::Utf8 => visit(values.as_string::<i32>().iter().map(|v| v.map(str::as_bytes)), counts, &mut f),
            DataType::LargeUtf8 => {
                visit(values.as_string::<i64>().iter().map(|v| v.map(str::as_bytes)), counts, &mut f)
            }
            DataType::Binary => visit(values.as_binary::<i32>().iter(), counts, &mut f),
            DataType::LargeBinary => visit(values.as_binary::<i64>().iter(), counts, &mut f),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::types::Int32Type;
    use arrow_array::{DictionaryArray, Int32Array, StringArray};

    use super::*;

    fn seen(keyed: &KeyedValues) -> Vec<(String, u64)> {
        let mut out = vec![];
        keyed.each(|b, n| out.push((String::from_utf8(b.to_vec()).unwrap(), n)));
        out
    }

    #[test]
    fn counts_rows_per_value_skipping_null_keys_null_values_and_unused_values() {
        let values = Arc::new(StringArray::from(vec![Some("a"), None, Some("b"), Some("unused")]));
        let keys = Int32Array::from(vec![Some(0), Some(2), None, Some(1), Some(0), Some(2), Some(0)]);
        let array = DictionaryArray::<Int32Type>::try_new(keys, values).unwrap();
        let keyed = KeyedValues::of(&array).unwrap();
        assert_eq!((keyed.rows(), keyed.non_null()), (7, 5));
        assert_eq!(seen(&keyed), [("a".to_owned(), 3), ("b".to_owned(), 2)]);
        // A slice counts its own rows.
        let keyed = KeyedValues::of(&array.slice(3, 4)).unwrap();
        assert_eq!((keyed.rows(), keyed.non_null()), (4, 3));
        assert_eq!(seen(&keyed), [("a".to_owned(), 2), ("b".to_owned(), 1)]);
    }

    #[test]
    fn plain_arrays_and_large_dictionaries_are_not_keyed() {
        assert!(KeyedValues::of(&StringArray::from(vec!["a"])).is_none());
        let values = Arc::new(StringArray::from(vec!["a", "b", "c"]));
        let array = DictionaryArray::<Int32Type>::try_new(Int32Array::from(vec![0, 1]), values).unwrap();
        assert!(KeyedValues::of(&array).is_none());
    }
}
