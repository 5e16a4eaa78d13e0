//! Iceberg catalogs: each one answers a single question, "where is the current metadata file of
//! table `namespace.table`?", and the table is then opened from that file. One mechanism for
//! every catalog: AWS Glue, an Iceberg REST catalog, Amazon S3 Tables and SQL catalogs (the
//! pyiceberg `SqlCatalog` / Java JDBC layout on SQLite or Postgres).

mod glue;
mod rest;
mod s3tables;
mod sql;

use aws_config::SdkConfig;
use profiler_crds::IcebergCatalog;

use crate::error::WorkerError;

/// The metadata location (`s3://…` or a local path) of `namespace.table` in `catalog`.
/// `aws` is loaded only for the catalogs that need it.
pub async fn metadata_location(
    catalog: &IcebergCatalog,
    namespace: &str,
    table: &str,
    aws: impl AsyncFnOnce() -> SdkConfig,
) -> Result<String, WorkerError> {
    match catalog {
        IcebergCatalog::Glue { catalog_id } => {
            glue::metadata_location(&aws().await, catalog_id.as_deref(), namespace, table).await
        }
        IcebergCatalog::S3Tables { table_bucket_arn } => {
            s3tables::metadata_location(&aws().await, table_bucket_arn, namespace, table).await
        }
        IcebergCatalog::Rest { uri, warehouse } => {
            rest::metadata_location(uri, warehouse.as_deref(), namespace, table).await
        }
        IcebergCatalog::Sql { uri, name } => sql::metadata_location(uri, name.as_deref(), namespace, table).await,
    }
}

/// The catalog a CLI `--catalog` value names: `glue` (or `glue:<account id>`), an S3 Tables
/// table bucket ARN, an `http(s)://` REST catalog URI, or a `sqlite:` / `postgres://` SQL catalog.
pub fn parse_catalog(value: &str, name: Option<&str>, warehouse: Option<&str>) -> Result<IcebergCatalog, WorkerError> {
    let catalog = if value == "glue" {
        IcebergCatalog::Glue { catalog_id: None }
    } else if let Some(id) = value.strip_prefix("glue:") {
        IcebergCatalog::Glue { catalog_id: Some(id.to_owned()) }
    } else if value.starts_with("arn:") && value.contains(":s3tables:") {
        IcebergCatalog::S3Tables { table_bucket_arn: value.to_owned() }
    } else if value.starts_with("http://") || value.starts_with("https://") {
        IcebergCatalog::Rest { uri: value.to_owned(), warehouse: warehouse.map(str::to_owned) }
    } else if value.starts_with("sqlite:") || value.starts_with("postgres://") || value.starts_with("postgresql://") {
        IcebergCatalog::Sql { uri: value.to_owned(), name: name.map(str::to_owned) }
    } else if value.ends_with(".db") {
        IcebergCatalog::Sql { uri: format!("sqlite://{value}"), name: name.map(str::to_owned) }
    } else {
        return Err(WorkerError::InvalidRequest(format!(
            "--catalog {value:?}: expected glue, glue:<account id>, an S3 Tables bucket ARN, an http(s):// REST \
             catalog, or a sqlite: / postgres:// SQL catalog"
        )));
    };
    let misplaced = |flag: &str, kind: &str| {
        WorkerError::InvalidRequest(format!("{flag} applies to {kind} catalogs only, and --catalog {value} is not one"))
    };
    if name.is_some() && !matches!(catalog, IcebergCatalog::Sql { .. }) {
        return Err(misplaced("--catalog-name", "SQL"));
    }
    if warehouse.is_some() && !matches!(catalog, IcebergCatalog::Rest { .. }) {
        return Err(misplaced("--warehouse", "REST"));
    }
    Ok(catalog)
}

/// Splits `namespace.table` as the CLI names a catalog table (namespaces may be dotted).
pub fn split_identifier(identifier: &str) -> Result<(&str, &str), WorkerError> {
    identifier
        .rsplit_once('.')
        .filter(|(n, t)| !n.is_empty() && !t.is_empty())
        .ok_or_else(|| WorkerError::InvalidRequest(format!("table {identifier:?} must be written namespace.table")))
}

/// "Table not found" naming the table and the catalog.
fn not_found(catalog: &str, namespace: &str, table: &str, reason: impl Into<String>) -> WorkerError {
    WorkerError::TableNotFound { location: format!("{namespace}.{table} in {catalog}"), reason: reason.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_catalog_values() {
        assert_eq!(parse_catalog("glue", None, None).unwrap(), IcebergCatalog::Glue { catalog_id: None });
        assert_eq!(
            parse_catalog("glue:123456789012", None, None).unwrap(),
            IcebergCatalog::Glue { catalog_id: Some("123456789012".into()) }
        );
        let arn = "arn:aws:s3tables:us-east-1:123456789012:bucket/tables";
        assert_eq!(parse_catalog(arn, None, None).unwrap(), IcebergCatalog::S3Tables { table_bucket_arn: arn.into() });
        assert_eq!(
            parse_catalog("https://rest.example/api", None, Some("wh")).unwrap(),
            IcebergCatalog::Rest { uri: "https://rest.example/api".into(), warehouse: Some("wh".into()) }
        );
        assert_eq!(
            parse_catalog("/tmp/c.db", Some("x"), None).unwrap(),
            IcebergCatalog::Sql { uri: "sqlite:///tmp/c.db".into(), name: Some("x".into()) }
        );
        assert!(parse_catalog("glue", Some("x"), None).unwrap_err().to_string().contains("--catalog-name"));
        assert!(parse_catalog("sqlite:///c.db", None, Some("w")).unwrap_err().to_string().contains("--warehouse"));
        assert!(parse_catalog("ftp://x", None, None).unwrap_err().to_string().contains("expected glue"));
    }

    #[test]
    fn splits_identifiers() {
        assert_eq!(split_identifier("a.b.c").unwrap(), ("a.b", "c"));
        assert!(split_identifier("abc").is_err());
        assert!(split_identifier(".t").is_err());
    }
}
