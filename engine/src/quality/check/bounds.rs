//! Rule bounds in a column's own terms: integer bounds as integers, decimal bounds as unscaled
//! integers at the column's scale (exactly, from the bound's shortest decimal text), and
//! `earliest` / `latest` as raw values in the column's unit, read in its time zone.

use arrow_buffer::i256;
use arrow_schema::{DataType, TimeUnit};
use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::accumulator::decimal::{DecimalError, ExactDecimal};

/// Which end of a range a bound is: values must be `>=` a lower bound and `<=` an upper one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `min` / `earliest`.
    Lower,
    /// `max` / `latest`.
    Upper,
}

/// An inclusive integer range `lo..=hi` from optional float bounds: the smallest integer at or
/// above `min`, the largest at or below `max` (saturating, so bounds beyond every value still
/// judge correctly).
pub fn integer_range(min: Option<f64>, max: Option<f64>) -> (i128, i128) {
    (min.map_or(i128::MIN, |m| m.ceil() as i128), max.map_or(i128::MAX, |m| m.floor() as i128))
}

/// A decimal bound at `scale`: the unscaled integer a value must be `>=` (lower) or `<=`
/// (upper). A bound with more digits than the scale holds is rounded inwards (up for a lower
/// bound, down for an upper one), which keeps the comparison exact; one beyond 256 bits
/// saturates.
pub fn decimal_bound(bound: f64, scale: i8, end: End) -> i256 {
    let text = format!("{bound}");
    match ExactDecimal::parse(&text, scale) {
        Ok(exact) => exact.to_i256().unwrap_or(if bound < 0.0 { i256::MIN } else { i256::MAX }),
        Err(DecimalError::BeyondScale { .. }) => {
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            let kept = &frac[..usize::try_from(scale.max(0)).unwrap_or(0).min(frac.len())];
            let truncated = ExactDecimal::parse(&format!("{int}.{kept}0"), scale)
                .ok()
                .and_then(ExactDecimal::to_i256)
                .unwrap_or(i256::ZERO);
            // Truncation moved the bound towards zero.
            match end {
                End::Lower if bound > 0.0 => truncated.wrapping_add(i256::ONE),
                End::Upper if bound < 0.0 => truncated.wrapping_sub(i256::ONE),
                _ => truncated,
            }
        }
        Err(_) => {
            if bound < 0.0 {
                i256::MIN
            } else {
                i256::MAX
            }
        }
    }
}

/// Why a time bound cannot be read for a column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeBoundError {
    /// Not a date or timestamp text.
    #[error("{0:?} is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DDThh:mm[:ss[.fraction]][Z|+hh:mm])")]
    Syntax(String),
    /// A bound without an offset on a column of a named time zone this build cannot resolve.
    #[error("{bound:?} has no offset and the column's time zone {zone:?} is named; write the bound with Z or +hh:mm")]
    NamedZone {
        /// The bound.
        bound: String,
        /// The column's zone.
        zone: String,
    },
    /// Not a date or timestamp column.
    #[error("earliest and latest bound date and timestamp columns, not {0}")]
    NotTemporal(DataType),
}

/// The column's raw value for a time bound: days for `Date32`, milliseconds for `Date64`, the
/// timestamp's unit since the epoch otherwise. A bound without an offset is read in the column's
/// time zone (UTC when it has none); between two raw values, a lower bound rounds up and an upper
/// bound down.
pub fn time_bound(text: &str, data_type: &DataType, end: End) -> Result<i64, TimeBoundError> {
    let (naive, offset) = parse_time(text).ok_or_else(|| TimeBoundError::Syntax(text.to_owned()))?;
    let zone = match data_type {
        DataType::Timestamp(_, Some(tz)) => Some(tz.to_string()),
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, None) => None,
        other => return Err(TimeBoundError::NotTemporal(other.clone())),
    };
    let offset = match (offset, zone) {
        (Some(offset), _) => offset,
        (None, None) => utc(),
        (None, Some(zone)) => {
            fixed_zone(&zone).ok_or_else(|| TimeBoundError::NamedZone { bound: text.to_owned(), zone: zone.clone() })?
        }
    };
    let instant = offset
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(|| TimeBoundError::Syntax(text.to_owned()))?
        .naive_utc()
        .and_utc();
    let nanos = i128::from(instant.timestamp()) * 1_000_000_000 + i128::from(instant.timestamp_subsec_nanos());
    let per_unit: i128 = match data_type {
        DataType::Date32 => 86_400 * 1_000_000_000,
        DataType::Date64 => 1_000_000,
        DataType::Timestamp(unit, _) => match unit {
            TimeUnit::Second => 1_000_000_000,
            TimeUnit::Millisecond => 1_000_000,
            TimeUnit::Microsecond => 1_000,
            TimeUnit::Nanosecond => 1,
        },
        _ => 1,
    };
    let raw = match end {
        End::Lower => nanos.div_euclid(per_unit) + i128::from(nanos.rem_euclid(per_unit) != 0),
        End::Upper => nanos.div_euclid(per_unit),
    };
    Ok(raw.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("zero is a valid offset"))
}

/// A fixed zone named as Arrow writes them: `UTC`, `Z`, `+hh:mm`, `-hhmm`, `+hh`.
fn fixed_zone(zone: &str) -> Option<FixedOffset> {
    if matches!(zone, "UTC" | "utc" | "Z" | "Etc/UTC" | "GMT" | "Etc/GMT" | "+00:00") {
        return Some(utc());
    }
    parse_offset(zone.as_bytes())
}

/// `+hh:mm`, `+hhmm` or `+hh` (or `-`).
fn parse_offset(b: &[u8]) -> Option<FixedOffset> {
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<u8> = b[1..].iter().copied().filter(|c| *c != b':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |s: &[u8]| s.iter().fold(0i32, |a, d| a * 10 + i32::from(d - b'0'));
    let minutes = n(&digits[..2]) * 60 + if digits.len() == 4 { n(&digits[2..]) } else { 0 };
    FixedOffset::east_opt(sign * minutes * 60)
}

/// A date or timestamp text: its wall-clock time and its offset when it has one.
pub fn parse_time(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let (clock, offset) = match rest.find(['Z', '+', '-']) {
        Some(i) if &rest[i..] == "Z" => (&rest[..i], Some(utc())),
        Some(i) => (&rest[..i], Some(parse_offset(&rest.as_bytes()[i..])?)),
        None => (rest, None),
    };
    let time = ["%H:%M:%S%.f", "%H:%M"].iter().find_map(|f| NaiveTime::parse_from_str(clock, f).ok())?;
    Some((date.and_time(time), offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_bounds_round_inwards() {
        assert_eq!(decimal_bound(0.1, 2, End::Lower), i256::from_i128(10));
        assert_eq!(decimal_bound(0.125, 2, End::Lower), i256::from_i128(13));
        assert_eq!(decimal_bound(0.125, 2, End::Upper), i256::from_i128(12));
        assert_eq!(decimal_bound(-0.125, 2, End::Upper), i256::from_i128(-13));
        assert_eq!(decimal_bound(-0.125, 2, End::Lower), i256::from_i128(-12));
        assert_eq!(decimal_bound(1e300, 2, End::Upper), i256::MAX);
        assert_eq!(integer_range(Some(-0.5), Some(2.5)), (0, 2));
    }

    #[test]
    fn time_bounds_follow_unit_and_zone() {
        let us = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        assert_eq!(time_bound("1970-01-01T00:00:01Z", &us, End::Lower), Ok(1_000_000));
        let plus2 = DataType::Timestamp(TimeUnit::Second, Some("+02:00".into()));
        assert_eq!(time_bound("1970-01-01T02:00", &plus2, End::Lower), Ok(0));
        assert_eq!(time_bound("1970-01-02", &DataType::Date32, End::Upper), Ok(1));
        assert_eq!(time_bound("1970-01-01T12:00:00Z", &DataType::Date32, End::Lower), Ok(1));
        assert_eq!(time_bound("1970-01-01T12:00:00Z", &DataType::Date32, End::Upper), Ok(0));
        let named = DataType::Timestamp(TimeUnit::Second, Some("Europe/Paris".into()));
        assert!(matches!(time_bound("2024-01-01", &named, End::Lower), Err(TimeBoundError::NamedZone { .. })));
        assert_eq!(time_bound("2024-01-01T00:00:00+01:00", &named, End::Lower), Ok(1_704_063_600));
        assert!(time_bound("yesterday", &us, End::Lower).is_err());
    }
}
