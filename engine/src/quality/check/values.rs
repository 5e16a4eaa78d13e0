//! Visiting the non-null values of an Arrow array in the terms a rule compares them: integers as
//! `i128`, floats as `f64`, decimals as unscaled `i256`, dates and timestamps as their raw `i64`,
//! strings and binary values as bytes.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, OffsetSizeTrait};
use arrow_buffer::{NullBuffer, OffsetBuffer, i256};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, NaiveDate};

use crate::accumulator::decimal::{ExactDecimal, Unscaled};

/// The families of values rules compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Signed and unsigned integers.
    Integer,
    /// Half, single and double floats.
    Float,
    /// Decimals at a scale.
    Decimal(i8),
    /// Dates and timestamps (not times of day).
    Time,
    /// UTF-8 strings.
    Text,
    /// Binary values.
    Binary,
    /// Booleans.
    Boolean,
    /// Anything else (lists, structs, times of day, ...).
    Other,
}

/// The family of a (dictionary-decoded) type.
pub fn family(data_type: &DataType) -> Family {
    match data_type {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => Family::Integer,
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Family::Float,
        DataType::Decimal32(_, s)
        | DataType::Decimal64(_, s)
        | DataType::Decimal128(_, s)
        | DataType::Decimal256(_, s) => Family::Decimal(*s),
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => Family::Time,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Family::Text,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            Family::Binary
        }
        DataType::Boolean => Family::Boolean,
        _ => Family::Other,
    }
}

/// Calls `f` with every non-null value of a primitive array.
#[inline]
fn each<T: ArrowPrimitiveType>(array: &dyn Array, mut f: impl FnMut(T::Native)) {
    let array = array.as_primitive::<T>();
    let values = array.values();
    match array.nulls().filter(|n| n.null_count() > 0) {
        None => values.iter().for_each(|v| f(*v)),
        Some(nulls) => {
            for (start, end) in nulls.inner().set_slices() {
                values[start..end].iter().for_each(|v| f(*v));
            }
        }
    }
}

/// Every non-null integer.
pub fn integers(array: &dyn Array, mut f: impl FnMut(i128)) {
    match array.data_type() {
        DataType::Int8 => each::<Int8Type>(array, |v| f(i128::from(v))),
        DataType::Int16 => each::<Int16Type>(array, |v| f(i128::from(v))),
        DataType::Int32 => each::<Int32Type>(array, |v| f(i128::from(v))),
        DataType::Int64 => each::<Int64Type>(array, |v| f(i128::from(v))),
        DataType::UInt8 => each::<UInt8Type>(array, |v| f(i128::from(v))),
        DataType::UInt16 => each::<UInt16Type>(array, |v| f(i128::from(v))),
        DataType::UInt32 => each::<UInt32Type>(array, |v| f(i128::from(v))),
        DataType::UInt64 => each::<UInt64Type>(array, |v| f(i128::from(v))),
        _ => {}
    }
}

/// Every non-null float, widened to `f64` (exactly).
pub fn floats(array: &dyn Array, mut f: impl FnMut(f64)) {
    match array.data_type() {
        DataType::Float16 => each::<Float16Type>(array, |v| f(f64::from(v))),
        DataType::Float32 => each::<Float32Type>(array, |v| f(f64::from(v))),
        DataType::Float64 => each::<Float64Type>(array, f),
        _ => {}
    }
}

/// Every non-null decimal as its unscaled integer.
pub fn decimals(array: &dyn Array, mut f: impl FnMut(i256)) {
    match array.data_type() {
        DataType::Decimal32(..) => each::<Decimal32Type>(array, |v| f(v.wide())),
        DataType::Decimal64(..) => each::<Decimal64Type>(array, |v| f(v.wide())),
        DataType::Decimal128(..) => each::<Decimal128Type>(array, |v| f(v.wide())),
        DataType::Decimal256(..) => each::<Decimal256Type>(array, f),
        _ => {}
    }
}

/// Every non-null date or timestamp as its raw value.
pub fn times(array: &dyn Array, mut f: impl FnMut(i64)) {
    match array.data_type() {
        DataType::Date32 => each::<Date32Type>(array, |v| f(i64::from(v))),
        DataType::Date64 => each::<Date64Type>(array, f),
        DataType::Timestamp(TimeUnit::Second, _) => each::<TimestampSecondType>(array, f),
        DataType::Timestamp(TimeUnit::Millisecond, _) => each::<TimestampMillisecondType>(array, f),
        DataType::Timestamp(TimeUnit::Microsecond, _) => each::<TimestampMicrosecondType>(array, f),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => each::<TimestampNanosecondType>(array, f),
        _ => {}
    }
}

/// Every non-null boolean.
pub fn booleans(array: &dyn Array, mut f: impl FnMut(bool)) {
    if let Some(array) = array.as_boolean_opt() {
        array.iter().flatten().for_each(&mut f);
    }
}

/// Every non-null string or binary value as bytes.
pub fn bytes<'a>(array: &'a dyn Array, mut f: impl FnMut(&'a [u8])) {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().flatten().for_each(|s| f(s.as_bytes())),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().flatten().for_each(|s| f(s.as_bytes())),
        DataType::Utf8View => array.as_string_view().iter().flatten().for_each(|s| f(s.as_bytes())),
        DataType::Binary => array.as_binary::<i32>().iter().flatten().for_each(f),
        DataType::LargeBinary => array.as_binary::<i64>().iter().flatten().for_each(f),
        DataType::BinaryView => array.as_binary_view().iter().flatten().for_each(f),
        DataType::FixedSizeBinary(_) => array.as_fixed_size_binary().iter().flatten().for_each(f),
        _ => {}
    }
}

/// The length of every non-null string (in characters, `utf8`) or binary value (in bytes). Where
/// the lengths are the offsets' differences (binary values, or strings whose bytes are all ASCII,
/// checked once per array) the values' bytes are not visited one by one.
pub fn lengths(array: &dyn Array, utf8: bool, mut f: impl FnMut(u64)) {
    fn from_offsets<O: OffsetSizeTrait>(
        offsets: &OffsetBuffer<O>,
        data: &[u8],
        nulls: Option<&NullBuffer>,
        utf8: bool,
        f: &mut impl FnMut(u64),
    ) -> bool {
        let (first, last) = (offsets[0].as_usize(), offsets[offsets.len() - 1].as_usize());
        if utf8 && !data.get(first..last).is_some_and(<[u8]>::is_ascii) {
            return false;
        }
        let offsets = offsets.as_ref();
        let length = |i: usize| (offsets[i + 1].as_usize() - offsets[i].as_usize()) as u64;
        match nulls.filter(|n| n.null_count() > 0) {
            None => (0..offsets.len() - 1).for_each(|i| f(length(i))),
            Some(nulls) => nulls.valid_indices().for_each(|i| f(length(i))),
        }
        true
    }
    let done = match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            from_offsets(a.offsets(), a.values(), a.nulls(), utf8, &mut f)
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            from_offsets(a.offsets(), a.values(), a.nulls(), utf8, &mut f)
        }
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            from_offsets(a.offsets(), a.values(), a.nulls(), utf8, &mut f)
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            from_offsets(a.offsets(), a.values(), a.nulls(), utf8, &mut f)
        }
        _ => false,
    };
    if !done {
        bytes(array, |b| f(length(b, utf8)));
    }
}

/// The length of one value: characters of UTF-8 (`utf8`), else bytes.
#[inline]
pub fn length(b: &[u8], utf8: bool) -> u64 {
    if utf8 { chars(b) } else { b.len() as u64 }
}

/// Characters of UTF-8 bytes: the bytes that do not continue a character (`0b10xxxxxx`),
/// counted eight at a time.
#[inline]
pub fn chars(b: &[u8]) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let words = b.chunks_exact(8);
    let tail = words.remainder();
    let continuing: u32 = words
        .map(|w| {
            let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            // A byte continues a character when its top bit is set and the next one is not.
            (x & !(x << 1) & HIGH).count_ones()
        })
        .sum();
    let continuing = continuing as usize + tail.iter().filter(|&&c| (c as i8) < -0x40).count();
    (b.len() - continuing) as u64
}

/// A raw date or timestamp of `data_type` in ISO 8601 (`Z` when the type has a zone).
pub fn time_label(raw: i64, data_type: &DataType) -> String {
    let text = match data_type {
        DataType::Date32 => {
            NaiveDate::from_num_days_from_ce_opt((raw + 719_163).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
                .map(|d| d.to_string())
        }
        DataType::Date64 => DateTime::from_timestamp_millis(raw).map(|t| t.naive_utc().to_string()),
        DataType::Timestamp(unit, tz) => {
            let (per_second, nanos_per) = match unit {
                TimeUnit::Second => (1, 1_000_000_000),
                TimeUnit::Millisecond => (1_000, 1_000_000),
                TimeUnit::Microsecond => (1_000_000, 1_000),
                TimeUnit::Nanosecond => (1_000_000_000, 1),
            };
            DateTime::from_timestamp(raw.div_euclid(per_second), (raw.rem_euclid(per_second) * nanos_per) as u32).map(
                |t| {
                    let naive = t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string();
                    if tz.is_some() { format!("{naive}Z") } else { naive }
                },
            )
        }
        _ => None,
    };
    text.unwrap_or_else(|| raw.to_string())
}

/// An unscaled decimal as text at `scale`.
pub fn decimal_label(v: i256, scale: i8) -> String {
    ExactDecimal::from(v).render(scale)
}

/// Bytes as text for a message: UTF-8 when they are, else hexadecimal.
pub fn bytes_label(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.chars().take(64).collect(),
        Err(_) => crate::accumulator::hex(b),
    }
}

#[cfg(test)]
mod tests {
    use arrow_array::{BinaryArray, LargeStringArray, StringArray, StringViewArray};

    use super::{chars, lengths};

    fn all(array: &dyn arrow_array::Array, utf8: bool) -> Vec<u64> {
        let mut seen = vec![];
        lengths(array, utf8, |n| seen.push(n));
        seen
    }

    #[test]
    fn lengths_count_characters_with_or_without_the_ascii_path() {
        let ascii = StringArray::from(vec![Some("abc"), None, Some(""), Some("hello")]);
        assert_eq!(all(&ascii, true), [3, 0, 5]);
        let mixed = StringArray::from(vec![Some("abc"), None, Some("café"), Some("日本")]);
        assert_eq!(all(&mixed, true), [3, 4, 2]);
        // A slice whose own values are ASCII, cut from an array that is not.
        assert_eq!(all(&mixed.slice(0, 2), true), [3]);
        assert_eq!(all(&mixed.slice(2, 2), true), [4, 2]);
        assert_eq!(all(&LargeStringArray::from(vec![Some("café"), None]), true), [4]);
        assert_eq!(all(&StringViewArray::from(vec![Some("café"), Some("ab")]), true), [4, 2]);
        let binary = BinaryArray::from(vec![Some("café".as_bytes()), None, Some(&[0xff, 0x80][..])]);
        assert_eq!(all(&binary, false), [5, 2]);
    }

    #[test]
    fn counts_characters_of_utf8() {
        for text in [
            "",
            "a",
            "abcdefgh",
            "abcdefghi",
            "é",
            "naïve café, déjà vu",
            "日本語のテキストです",
            "🦀🦀 crabs 🦀",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            assert_eq!(chars(text.as_bytes()), text.chars().count() as u64, "{text:?}");
        }
    }
}
