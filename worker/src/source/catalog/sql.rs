//! SQL catalogs: the `iceberg_tables` table that pyiceberg's `SqlCatalog` and the Java JDBC
//! catalog keep, on SQLite or Postgres.

use std::path::Path;

use sqlx::Connection;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::not_found;
use crate::error::WorkerError;

const LOOKUP_SQLITE: &str = "SELECT catalog_name, metadata_location FROM iceberg_tables \
     WHERE table_namespace = ?1 AND table_name = ?2 AND (?3 IS NULL OR catalog_name = ?3)";
const LOOKUP_POSTGRES: &str = "SELECT catalog_name, metadata_location FROM iceberg_tables \
     WHERE table_namespace = $1 AND table_name = $2 AND ($3::text IS NULL OR catalog_name = $3)";
const LIST: &str = "SELECT table_namespace, table_name FROM iceberg_tables ORDER BY 1, 2";

/// The metadata location of `namespace.table` in the SQL catalog at `uri`
/// (`sqlite:///path/catalog.db`, or `postgres://…`). When `catalog_name` is None, any catalog in
/// the database may hold the table, as long as only one does.
pub async fn metadata_location(
    uri: &str,
    catalog_name: Option<&str>,
    namespace: &str,
    table: &str,
) -> Result<String, WorkerError> {
    let shown = redact(uri);
    let unreadable = |e: sqlx::Error| WorkerError::Iceberg {
        step: "read SQL catalog",
        location: shown.clone(),
        reason: e.to_string(),
    };
    // The same two queries on either driver: the table's rows, and when there are none, every
    // table of the catalog for the message.
    macro_rules! lookup {
        ($conn:ident, $sql:expr) => {{
            let rows: Vec<(String, Option<String>)> = sqlx::query_as($sql)
                .bind(namespace)
                .bind(table)
                .bind(catalog_name)
                .fetch_all(&mut $conn)
                .await
                .map_err(unreadable)?;
            let known: Vec<(String, String)> = if rows.is_empty() {
                sqlx::query_as(LIST).fetch_all(&mut $conn).await.map_err(unreadable)?
            } else {
                vec![]
            };
            (rows, known)
        }};
    }
    let (rows, known) = if uri.starts_with("postgres://") || uri.starts_with("postgresql://") {
        let mut conn = PgConnection::connect(uri).await.map_err(unreadable)?;
        lookup!(conn, LOOKUP_POSTGRES)
    } else {
        let path = uri
            .strip_prefix("sqlite:///")
            .map(|p| format!("/{p}"))
            .unwrap_or_else(|| uri.strip_prefix("sqlite://").or(uri.strip_prefix("sqlite:")).unwrap_or(uri).to_owned());
        if !Path::new(&path).is_file() {
            return Err(not_found(&shown, namespace, table, format!("catalog database {path} does not exist")));
        }
        let options = SqliteConnectOptions::new().filename(&path).read_only(true);
        let mut conn = SqliteConnection::connect_with(&options).await.map_err(unreadable)?;
        lookup!(conn, LOOKUP_SQLITE)
    };
    match rows.as_slice() {
        [(_, Some(location))] => Ok(location.clone()),
        [(_, None)] => Err(not_found(&shown, namespace, table, "the catalog has no metadata location for it")),
        [] => {
            let known: Vec<String> = known.into_iter().map(|(n, t)| format!("{n}.{t}")).collect();
            Err(not_found(
                &shown,
                namespace,
                table,
                format!(
                    "no such table; the catalog has: {}",
                    if known.is_empty() { "none".into() } else { known.join(", ") }
                ),
            ))
        }
        many => Err(WorkerError::InvalidRequest(format!(
            "table {namespace}.{table} exists in catalogs {}; choose one with --catalog-name (catalog.sql.name)",
            many.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The URI without a password, for messages.
fn redact(uri: &str) -> String {
    match (uri.find("://"), uri.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &uri[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &uri[..scheme_end + 3], &uri[at..]),
                None => uri.to_owned(),
            }
        }
        _ => uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite:///tmp/c.db"), "sqlite:///tmp/c.db");
    }
}
