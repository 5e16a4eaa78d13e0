//! Iceberg values as the profile writes them: bounds like the scan renders values (ISO 8601 for
//! temporal values, hex for bytes, decimals at their scale), partition values like Iceberg's
//! partition paths.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use iceberg::spec::{Datum, Literal, PrimitiveLiteral, PrimitiveType, Transform, Type};
use profiler_engine::{ExactDecimal, hex};

/// Renders a bound like the scan renders values.
pub fn render(d: &Datum) -> String {
    render_literal(d.data_type(), d.literal())
}

/// Renders a value of `data_type`: ISO 8601 for temporal values, hex for bytes, decimals exactly
/// at their scale, numbers as Rust writes them.
pub fn render_literal(data_type: &PrimitiveType, literal: &PrimitiveLiteral) -> String {
    let iso = |t: Option<DateTime<Utc>>, zone: bool| {
        t.map(|t| format!("{}{}", t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f"), if zone { "Z" } else { "" }))
            .unwrap_or_else(|| "out of range".to_owned())
    };
    match (data_type, literal) {
        (_, PrimitiveLiteral::String(s)) => s.clone(),
        (_, PrimitiveLiteral::Binary(b)) => hex(b),
        (PrimitiveType::Date, PrimitiveLiteral::Int(days)) => NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(i64::from(*days))))
            .map_or_else(|| days.to_string(), |d| d.format("%Y-%m-%d").to_string()),
        (PrimitiveType::Time, PrimitiveLiteral::Long(micros)) => NaiveTime::from_num_seconds_from_midnight_opt(
            u32::try_from(micros.div_euclid(1_000_000)).unwrap_or(0),
            u32::try_from(micros.rem_euclid(1_000_000) * 1000).unwrap_or(0),
        )
        .map_or_else(|| micros.to_string(), |t| t.format("%H:%M:%S%.f").to_string()),
        (PrimitiveType::Timestamp, PrimitiveLiteral::Long(v)) => iso(DateTime::from_timestamp_micros(*v), false),
        (PrimitiveType::Timestamptz, PrimitiveLiteral::Long(v)) => iso(DateTime::from_timestamp_micros(*v), true),
        (PrimitiveType::TimestampNs, PrimitiveLiteral::Long(v)) => iso(Some(DateTime::from_timestamp_nanos(*v)), false),
        (PrimitiveType::TimestamptzNs, PrimitiveLiteral::Long(v)) => {
            iso(Some(DateTime::from_timestamp_nanos(*v)), true)
        }
        (PrimitiveType::Decimal { scale, .. }, PrimitiveLiteral::Int128(v)) => decimal_text(*v, *scale),

        (PrimitiveType::Uuid, PrimitiveLiteral::UInt128(v)) => uuid_text(*v),
        // Writers store -0.0 as the lower bound of a column whose minimum is 0.
        (_, PrimitiveLiteral::Double(v)) if v.0 == 0.0 => "0".into(),
        (_, PrimitiveLiteral::Float(v)) if v.0 == 0.0 => "0".into(),
        (_, PrimitiveLiteral::Double(v)) => v.0.to_string(),
        (_, PrimitiveLiteral::Float(v)) => v.0.to_string(),
        (_, PrimitiveLiteral::Boolean(v)) => v.to_string(),
        (_, PrimitiveLiteral::Int(v)) => v.to_string(),
        (_, PrimitiveLiteral::Long(v)) => v.to_string(),
        (_, PrimitiveLiteral::Int128(v)) => v.to_string(),
        (_, PrimitiveLiteral::UInt128(v)) => v.to_string(),
        (_, PrimitiveLiteral::AboveMax) => "above max".into(),
        (_, PrimitiveLiteral::BelowMin) => "below min".into(),
    }
}

/// `unscaled × 10^-scale` written exactly, with `scale` digits after the point, as the engine
/// writes decimal figures (Iceberg scales are at most 38).
fn decimal_text(unscaled: i128, scale: u32) -> String {
    let scale = i8::try_from(scale).unwrap_or(i8::MAX);
    ExactDecimal::from(unscaled).render(scale)
}

fn uuid_text(v: u128) -> String {
    let h = format!("{v:032x}");
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// A bound read from a manifest written under an older schema, as a value of the column's
/// current type (Iceberg's promotions: int to long, float to double, decimal precision
/// widening). None when the bound cannot be expressed in that type.
pub fn promote(bound: &Datum, to: &PrimitiveType) -> Option<Datum> {
    if bound.data_type() == to {
        return Some(bound.clone());
    }
    match (bound.literal(), to) {
        (PrimitiveLiteral::Float(v), PrimitiveType::Double) => Some(Datum::double(f64::from(v.0))),
        _ => bound.clone().to(&Type::Primitive(to.clone())).ok(),
    }
}

/// Renders one partition value the way Iceberg names partition directories: `2024` for `year`,
/// `2024-01` for `month`, `2024-01-05` for `day`, `2024-01-05-13` for `hour`; the value itself
/// (as [`render_literal`] writes it) for identity, bucket and truncate. None for a null value.
pub fn partition_value(transform: &Transform, result_type: &Type, value: Option<&Literal>) -> Option<String> {
    let literal = value?.as_primitive_literal()?;
    let int = match literal {
        PrimitiveLiteral::Int(v) => Some(i64::from(v)),
        PrimitiveLiteral::Long(v) => Some(v),
        _ => None,
    };
    let calendar = match (transform, int) {
        (Transform::Year, Some(years)) => Some(format!("{:04}", 1970 + years)),
        (Transform::Month, Some(months)) => {
            Some(format!("{:04}-{:02}", 1970 + months.div_euclid(12), months.rem_euclid(12) + 1))
        }
        (Transform::Day, Some(days)) => NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(days)))
            .map(|d| d.format("%Y-%m-%d").to_string()),
        (Transform::Hour, Some(hours)) => hours
            .checked_mul(3600)
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .map(|t| t.format("%Y-%m-%d-%H").to_string()),
        _ => None,
    };
    if calendar.is_some() {
        return calendar;
    }
    let data_type = result_type.as_primitive_type()?;
    Some(render_literal(data_type, &literal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_exactly_at_their_scale() {
        let t = |precision, scale| PrimitiveType::Decimal { precision, scale };
        assert_eq!(
            render_literal(&t(18, 2), &PrimitiveLiteral::Int128(999_999_999_999_999_999)),
            "9999999999999999.99"
        );
        assert_eq!(render_literal(&t(9, 2), &PrimitiveLiteral::Int128(-5)), "-0.05");
        assert_eq!(render_literal(&t(38, 0), &PrimitiveLiteral::Int128(-12)), "-12");
        assert_eq!(render_literal(&t(10, 3), &PrimitiveLiteral::Int128(0)), "0.000");
    }

    #[test]
    fn calendar_partitions_read_like_partition_paths() {
        let int = |v| Literal::Primitive(PrimitiveLiteral::Int(v));
        let int_type = Type::Primitive(PrimitiveType::Int);
        let date_type = Type::Primitive(PrimitiveType::Date);
        assert_eq!(partition_value(&Transform::Year, &int_type, Some(&int(54))).as_deref(), Some("2024"));
        assert_eq!(partition_value(&Transform::Month, &int_type, Some(&int(648))).as_deref(), Some("2024-01"));
        assert_eq!(partition_value(&Transform::Month, &int_type, Some(&int(-1))).as_deref(), Some("1969-12"));
        assert_eq!(partition_value(&Transform::Day, &date_type, Some(&int(19727))).as_deref(), Some("2024-01-05"));
        assert_eq!(
            partition_value(&Transform::Hour, &int_type, Some(&int(19727 * 24 + 13))).as_deref(),
            Some("2024-01-05-13")
        );
        assert_eq!(partition_value(&Transform::Bucket(4), &int_type, Some(&int(3))).as_deref(), Some("3"));
        assert_eq!(partition_value(&Transform::Identity, &int_type, None), None);
        let string = Literal::Primitive(PrimitiveLiteral::String("abc".into()));
        let string_type = Type::Primitive(PrimitiveType::String);
        assert_eq!(partition_value(&Transform::Truncate(3), &string_type, Some(&string)).as_deref(), Some("abc"));
    }

    #[test]
    fn promoted_bounds_take_the_current_type() {
        let wide = PrimitiveType::Long;
        assert_eq!(promote(&Datum::int(7), &wide), Some(Datum::long(7)));
        assert_eq!(promote(&Datum::float(1.5), &PrimitiveType::Double), Some(Datum::double(1.5)));
    }
}
