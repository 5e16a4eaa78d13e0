//! Finds an Iceberg table's current metadata file in a SQL catalog (the `iceberg_tables` table
//! that pyiceberg's `SqlCatalog` and the Java JDBC catalog keep), here on SQLite.

use std::path::Path;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::error::WorkerError;

/// The metadata location of table `identifier` (`namespace.table`, namespaces may be dotted) in
/// the SQLite catalog at `uri` (`sqlite:///path/catalog.db` or a plain path). When
/// `catalog_name` is None, any catalog in the file may hold the table, as long as only one does.
pub async fn metadata_location(uri: &str, catalog_name: Option<&str>, identifier: &str) -> Result<String, WorkerError> {
    let path = uri
        .strip_prefix("sqlite:///")
        .map(|p| format!("/{p}"))
        .unwrap_or_else(|| uri.strip_prefix("sqlite://").unwrap_or(uri).to_owned());
    let not_found = |reason: String| WorkerError::TableNotFound { location: format!("{identifier} in {uri}"), reason };
    if !Path::new(&path).is_file() {
        return Err(not_found(format!("catalog database {path} does not exist")));
    }
    let (namespace, table) = identifier
        .rsplit_once('.')
        .ok_or_else(|| WorkerError::InvalidRequest(format!("table {identifier:?} must be written namespace.table")))?;
    let options = SqliteConnectOptions::new().filename(&path).read_only(true);
    let unreadable = |e: sqlx::Error| WorkerError::Iceberg {
        step: "read SQL catalog",
        location: uri.to_owned(),
        reason: e.to_string(),
    };
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(unreadable)?;
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT catalog_name, metadata_location FROM iceberg_tables \
         WHERE table_namespace = ?1 AND table_name = ?2 AND (?3 IS NULL OR catalog_name = ?3)",
    )
    .bind(namespace)
    .bind(table)
    .bind(catalog_name)
    .fetch_all(&mut conn)
    .await
    .map_err(unreadable)?;
    match rows.as_slice() {
        [(_, Some(location))] => Ok(location.clone()),
        [(_, None)] => Err(not_found("the catalog has no metadata location for it".into())),
        [] => {
            let known: Vec<(String, String)> =
                sqlx::query_as("SELECT table_namespace, table_name FROM iceberg_tables ORDER BY 1, 2")
                    .fetch_all(&mut conn)
                    .await
                    .map_err(unreadable)?;
            let known: Vec<String> = known.into_iter().map(|(n, t)| format!("{n}.{t}")).collect();
            Err(not_found(format!(
                "no such table; the catalog has: {}",
                if known.is_empty() { "none".into() } else { known.join(", ") }
            )))
        }
        many => Err(WorkerError::InvalidRequest(format!(
            "table {identifier} exists in catalogs {}; choose one with --catalog-name",
            many.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}
