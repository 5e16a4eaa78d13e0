//! Text rows returned by a SQL engine (Athena and the Redshift Data API hand values back as text)
//! turned into typed Arrow batches, so a sample pulled back is profiled by the same engine as a
//! file.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_cast::{CastOptions, cast_with_options};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use profiler_crds::ColumnKind;

use super::sql::{Dialect, SqlColumn, SqlError, sql_decimal, sql_kind};

/// Rows per batch handed to the engine.
pub const BATCH_ROWS: usize = 8192;

/// The Arrow type a column's text values are parsed into.
pub fn arrow_type(column: &SqlColumn) -> DataType {
    let t = column.data_type.trim().to_ascii_lowercase();
    if let Some(d) = sql_decimal(&t) {
        // Exact, like a decimal column of a file (scale ≤ precision ≤ 38).
        return DataType::Decimal128(d.precision, d.scale as i8);
    }
    match sql_kind(&t) {
        ColumnKind::Numeric
            if ["tinyint", "smallint", "integer", "int", "int2", "int4", "int8", "bigint"]
                .iter()
                .any(|i| t.split(['(', ' ']).next() == Some(*i)) =>
        {
            DataType::Int64
        }
        ColumnKind::Numeric => DataType::Float64,
        ColumnKind::Temporal if t.starts_with("date") => DataType::Date32,
        ColumnKind::Temporal if t.starts_with("time") && !t.starts_with("timestamp") => DataType::Utf8,
        ColumnKind::Temporal if t.contains("with time zone") || t == "timestamptz" => {
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
        }
        ColumnKind::Temporal => DataType::Timestamp(TimeUnit::Microsecond, None),
        ColumnKind::Boolean => DataType::Boolean,
        // Strings, and values the engine renders as text (binary as hex, arrays, maps, rows).
        _ => DataType::Utf8,
    }
}

/// The Arrow schema of `columns`.
pub fn schema(columns: &[SqlColumn]) -> SchemaRef {
    Arc::new(Schema::new(columns.iter().map(|c| Field::new(&c.name, arrow_type(c), true)).collect::<Vec<_>>()))
}

/// One batch from text rows; a value that does not parse as its column's type is an error naming
/// the column.
pub fn to_batch(
    dialect: Dialect,
    schema: &SchemaRef,
    rows: &[Vec<Option<String>>],
    source: &str,
) -> Result<RecordBatch, SqlError> {
    let options = CastOptions { safe: false, ..CastOptions::default() };
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (i, field) in schema.fields().iter().enumerate() {
        let values = rows.iter().map(|r| r.get(i).cloned().flatten());
        let text = match field.data_type() {
            // Decimals in plain notation at the column's scale (an engine may write `1.1E-8`).
            DataType::Decimal128(_, scale) => values
                .map(|v| {
                    v.map(|t| {
                        profiler_engine::normalize_decimal(&t, *scale).map_err(|e| SqlError::BadResult {
                            dialect,
                            what: format!("value of column {:?} of {source} as {}", field.name(), field.data_type()),
                            value: e.to_string(),
                        })
                    })
                    .transpose()
                })
                .collect::<Result<StringArray, SqlError>>()?,
            _ => StringArray::from_iter(values),
        };
        let array = cast_with_options(&text, field.data_type(), &options).map_err(|e| SqlError::BadResult {
            dialect,
            what: format!("value of column {:?} of {source} as {}", field.name(), field.data_type()),
            value: e.to_string(),
        })?;
        arrays.push(array);
    }
    RecordBatch::try_new(schema.clone(), arrays).map_err(|e| SqlError::BadResult {
        dialect,
        what: format!("rows of {source}"),
        value: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use arrow_array::{Array, Date32Array, Decimal128Array, Float64Array, Int64Array, TimestampMicrosecondArray};

    use super::*;

    fn col(name: &str, t: &str) -> SqlColumn {
        SqlColumn { name: name.into(), data_type: t.into() }
    }

    #[test]
    fn text_rows_become_typed_columns() {
        let columns = [
            col("id", "bigint"),
            col("x", "double"),
            col("d", "date"),
            col("t", "timestamp(3)"),
            col("s", "varchar"),
            col("m", "decimal(38,9)"),
        ];
        let schema = schema(&columns);
        let rows = vec![
            vec![
                Some("7".into()),
                Some("1.5".into()),
                Some("2024-02-29".into()),
                Some("2024-02-29 10:00:00.250".into()),
                Some("a".into()),
                Some("-99999999999999999999999999999.999999999".into()),
            ],
            vec![None, Some("-2".into()), None, None, Some("".into()), Some("1.1E-8".into())],
        ];
        let batch = to_batch(Dialect::Athena, &schema, &rows, "t").unwrap();
        let ids = batch.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!((ids.value(0), ids.is_null(1)), (7, true));
        assert_eq!(batch.column(1).as_any().downcast_ref::<Float64Array>().unwrap().value(1), -2.0);
        assert_eq!(batch.column(2).as_any().downcast_ref::<Date32Array>().unwrap().value(0), 19_782);
        let t = batch.column(3).as_any().downcast_ref::<TimestampMicrosecondArray>().unwrap();
        assert_eq!(t.value(0) % 1_000_000, 250_000);
        let m = batch.column(5).as_any().downcast_ref::<Decimal128Array>().unwrap();
        assert_eq!((m.value(0), m.value(1), m.scale()), (-(10i128.pow(38) - 1), 11, 9), "decimals exactly");
        let bad = to_batch(
            Dialect::Redshift,
            &schema,
            &[vec![Some("seven".into()), None, None, None, None, None]],
            "sales.orders",
        )
        .unwrap_err();
        assert!(bad.to_string().contains("\"id\"") && bad.to_string().contains("sales.orders"), "{bad}");
    }
}
