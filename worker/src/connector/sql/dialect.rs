//! Quoting: the one audited place where names and values become SQL text. A table or column name
//! can never change the meaning of a query: every identifier is double-quoted with embedded quotes
//! doubled, and names that a dialect cannot represent (NUL, over-long) are refused.

/// A SQL dialect the profiler generates queries for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Amazon Athena (Trino engine).
    Athena,
    /// Amazon Redshift (PostgreSQL 8 lineage).
    Redshift,
}

/// A name or value that cannot be written safely in the dialect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqlError {
    /// Identifiers cannot contain NUL or be empty.
    #[error("{dialect:?} cannot name {name:?}: {reason}")]
    BadIdentifier {
        /// Dialect.
        dialect: Dialect,
        /// The name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// A result the engine returned that does not parse as expected.
    #[error("unexpected {what} in the {dialect:?} result: {value:?}")]
    BadResult {
        /// Dialect.
        dialect: Dialect,
        /// What was being read.
        what: String,
        /// The value.
        value: String,
    },
}

impl Dialect {
    /// Longest identifier in bytes (Redshift: 127; Athena/Glue: 255).
    fn max_identifier_bytes(self) -> usize {
        match self {
            Dialect::Athena => 255,
            Dialect::Redshift => 127,
        }
    }

    /// `name` as a quoted identifier: `"a""b"` for `a"b`.
    pub fn quote_identifier(self, name: &str) -> Result<String, SqlError> {
        let bad = |reason| Err(SqlError::BadIdentifier { dialect: self, name: name.to_owned(), reason });
        if name.is_empty() {
            return bad("empty name");
        }
        if name.contains('\0') {
            return bad("contains NUL");
        }
        if name.len() > self.max_identifier_bytes() {
            return bad("longer than the dialect allows");
        }
        Ok(format!("\"{}\"", name.replace('"', "\"\"")))
    }

    /// `value` as a string literal. Athena (Trino) literals only escape quotes; Redshift also
    /// treats a backslash as an escape character, so it is doubled there.
    pub fn quote_literal(self, value: &str) -> Result<String, SqlError> {
        if value.contains('\0') {
            return Err(SqlError::BadIdentifier { dialect: self, name: value.to_owned(), reason: "contains NUL" });
        }
        let escaped = value.replace('\'', "''");
        Ok(match self {
            Dialect::Athena => format!("'{escaped}'"),
            Dialect::Redshift => format!("'{}'", escaped.replace('\\', "\\\\")),
        })
    }

    /// The double type name for casts.
    pub(crate) fn double(self) -> &'static str {
        match self {
            Dialect::Athena => "DOUBLE",
            Dialect::Redshift => "DOUBLE PRECISION",
        }
    }

    /// Approximate distinct count of an expression (HyperLogLog in both engines).
    pub(crate) fn approx_distinct(self, expr: &str) -> String {
        match self {
            Dialect::Athena => format!("approx_distinct({expr})"),
            Dialect::Redshift => format!("APPROXIMATE COUNT(DISTINCT {expr})"),
        }
    }
}

/// A table as the engine names it: catalog (Athena), database/schema, table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// Name parts, outermost first, e.g. `["AwsDataCatalog", "sales", "orders"]`.
    pub parts: Vec<String>,
}

impl TableRef {
    /// The quoted, dotted name.
    pub fn quoted(&self, dialect: Dialect) -> Result<String, SqlError> {
        let parts: Result<Vec<String>, SqlError> = self.parts.iter().map(|p| dialect.quote_identifier(p)).collect();
        Ok(parts?.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_double_quoted_with_quotes_doubled() {
        for dialect in [Dialect::Athena, Dialect::Redshift] {
            assert_eq!(dialect.quote_identifier("orders").unwrap(), "\"orders\"");
            assert_eq!(dialect.quote_identifier("a\"b").unwrap(), "\"a\"\"b\"");
            assert_eq!(dialect.quote_identifier("x\"; DROP TABLE t; --").unwrap(), "\"x\"\"; DROP TABLE t; --\"");
            assert_eq!(dialect.quote_identifier("ünï /* c */").unwrap(), "\"ünï /* c */\"");
            assert!(dialect.quote_identifier("").is_err());
            assert!(dialect.quote_identifier("a\0b").is_err());
        }
        assert!(Dialect::Redshift.quote_identifier(&"a".repeat(128)).is_err());
        assert!(Dialect::Athena.quote_identifier(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn literals_escape_what_each_dialect_interprets() {
        assert_eq!(Dialect::Athena.quote_literal("it's \\ here").unwrap(), "'it''s \\ here'");
        assert_eq!(Dialect::Redshift.quote_literal("it's \\ here").unwrap(), "'it''s \\\\ here'");
        assert!(Dialect::Athena.quote_literal("a\0").is_err());
    }
}
