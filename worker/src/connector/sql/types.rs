//! Column types as Athena and Redshift report them, sorted into the profile's kinds.

use profiler_crds::ColumnKind;

/// A column of a table as the engine's catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlColumn {
    /// Column name.
    pub name: String,
    /// Type as `information_schema.columns.data_type` gives it.
    pub data_type: String,
}

impl SqlColumn {
    /// Columns from the rows of an `information_schema.columns` query (name, data type).
    pub fn from_rows(rows: Vec<Vec<Option<String>>>) -> Vec<SqlColumn> {
        rows.into_iter()
            .filter_map(|row| match row.as_slice() {
                [Some(name), Some(data_type), ..] => {
                    Some(SqlColumn { name: name.clone(), data_type: data_type.clone() })
                }
                _ => None,
            })
            .collect()
    }

    /// Columns with their nullability from the rows of an `information_schema.columns` query
    /// (name, data type, `is_nullable`); nullability `None` when the row does not say.
    pub fn described_from_rows(rows: Vec<Vec<Option<String>>>) -> Vec<(SqlColumn, Option<bool>)> {
        rows.into_iter()
            .filter_map(|row| match row.as_slice() {
                [Some(name), Some(data_type), rest @ ..] => {
                    let nullable = match rest.first().cloned().flatten().as_deref().map(str::trim) {
                        Some(v) if v.eq_ignore_ascii_case("yes") || v == "true" => Some(true),
                        Some(v) if v.eq_ignore_ascii_case("no") || v == "false" => Some(false),
                        _ => None,
                    };
                    Some((SqlColumn { name: name.clone(), data_type: data_type.clone() }, nullable))
                }
                _ => None,
            })
            .collect()
    }
}

/// The profile kind of a type name of Athena (Trino) or Redshift.
pub fn sql_kind(data_type: &str) -> ColumnKind {
    let t = data_type.trim().to_ascii_lowercase();
    let base = t.split(['(', ' ']).next().unwrap_or("");
    match base {
        "tinyint" | "smallint" | "integer" | "int" | "int2" | "int4" | "int8" | "bigint" | "real" | "float"
        | "float4" | "float8" | "double" | "decimal" | "numeric" => ColumnKind::Numeric,
        "date" | "timestamp" | "timestamptz" | "time" | "timetz" => ColumnKind::Temporal,
        "varchar" | "char" | "character" | "string" | "text" | "bpchar" | "nvarchar" | "nchar" => ColumnKind::String,
        "varbinary" | "varbyte" | "binary" | "bytea" => ColumnKind::Binary,
        "boolean" | "bool" => ColumnKind::Boolean,
        "array" => ColumnKind::List,
        _ => ColumnKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athena_and_redshift_type_names() {
        let cases = [
            ("bigint", ColumnKind::Numeric),
            ("decimal(12,2)", ColumnKind::Numeric),
            ("double precision", ColumnKind::Numeric),
            ("numeric", ColumnKind::Numeric),
            ("timestamp(3)", ColumnKind::Temporal),
            ("timestamp without time zone", ColumnKind::Temporal),
            ("timestamp(6) with time zone", ColumnKind::Temporal),
            ("date", ColumnKind::Temporal),
            ("varchar(255)", ColumnKind::String),
            ("character varying", ColumnKind::String),
            ("varbinary", ColumnKind::Binary),
            ("boolean", ColumnKind::Boolean),
            ("array(varchar)", ColumnKind::List),
            ("row(a integer)", ColumnKind::Other),
            ("super", ColumnKind::Other),
        ];
        for (name, kind) in cases {
            assert_eq!(sql_kind(name), kind, "{name}");
        }
    }
}
