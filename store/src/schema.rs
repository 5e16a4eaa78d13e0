//! The embedded migrations and the check that a database's schema matches them.

use sqlx::migrate::Migrator;
use sqlx::{PgPool, Row};

use crate::error::StoreError;

/// The SQL of `migrations/`, embedded at build time (the same files the Supabase CLI applies).
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// How a database's applied migrations compare with this binary's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaStatus {
    /// Every embedded migration is applied, unchanged, and there is none unknown.
    UpToDate {
        /// Latest applied version.
        version: i64,
    },
    /// The database lacks some of this binary's migrations (possibly all of them).
    Behind {
        /// Latest applied version, if any.
        current: Option<i64>,
        /// Versions still to apply.
        missing: Vec<i64>,
    },
    /// The database has versions this binary does not know (a newer binary migrated it).
    Ahead {
        /// The unknown versions.
        unknown: Vec<i64>,
    },
    /// An applied migration's checksum differs from the embedded file, or it failed halfway.
    Modified {
        /// The version concerned.
        version: i64,
    },
}

impl SchemaStatus {
    /// `Ok` when up to date, otherwise the error a user should see.
    pub fn require_up_to_date(self) -> Result<(), StoreError> {
        match self {
            SchemaStatus::UpToDate { .. } => Ok(()),
            SchemaStatus::Behind { current, .. } => Err(StoreError::SchemaBehind {
                current: current.map_or_else(|| "none".to_owned(), |v| v.to_string()),
                expected: latest_version().to_string(),
            }),
            SchemaStatus::Ahead { unknown } => Err(StoreError::SchemaMismatch(format!(
                "the database has migrations {unknown:?} that this binary (latest {}) does not know",
                latest_version()
            ))),
            SchemaStatus::Modified { version } => Err(StoreError::SchemaMismatch(format!(
                "migration {version} in the database differs from this binary's copy or did not complete"
            ))),
        }
    }
}

/// The newest migration version this binary embeds.
pub fn latest_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Compares the database's `_sqlx_migrations` with the embedded migrations.
pub(crate) async fn schema_status(pool: &PgPool) -> Result<SchemaStatus, StoreError> {
    let exists: bool = sqlx::query_scalar("select to_regclass('_sqlx_migrations') is not null")
        .fetch_one(pool)
        .await
        .map_err(StoreError::query("checking the schema version"))?;
    let applied = if exists {
        sqlx::query("select version, checksum, success from _sqlx_migrations order by version")
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("reading the applied migrations"))?
    } else {
        Vec::new()
    };
    let mut applied_versions = Vec::with_capacity(applied.len());
    for row in &applied {
        let version: i64 = row.get("version");
        let checksum: Vec<u8> = row.get("checksum");
        let success: bool = row.get("success");
        applied_versions.push(version);
        match MIGRATOR.iter().find(|m| m.version == version) {
            Some(m) if !success || m.checksum.as_ref() != checksum.as_slice() => {
                return Ok(SchemaStatus::Modified { version });
            }
            Some(_) => {}
            None => {}
        }
    }
    let unknown: Vec<i64> = applied_versions.iter().copied().filter(|v| !MIGRATOR.version_exists(*v)).collect();
    if !unknown.is_empty() {
        return Ok(SchemaStatus::Ahead { unknown });
    }
    let missing: Vec<i64> = MIGRATOR.iter().map(|m| m.version).filter(|v| !applied_versions.contains(v)).collect();
    if missing.is_empty() {
        Ok(SchemaStatus::UpToDate { version: latest_version() })
    } else {
        Ok(SchemaStatus::Behind { current: applied_versions.last().copied(), missing })
    }
}
