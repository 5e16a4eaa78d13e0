//! The connection pool and the schema checks.

use sqlx::postgres::PgConnection;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool};
use tracing::{info, instrument};

use crate::config::DatabaseConfig;
use crate::error::StoreError;
use crate::schema::{MIGRATOR, SchemaStatus, schema_status};

/// A handle on the profile store (a small connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: PgPool,
}

impl Store {
    /// Connects, classifying failures (unreachable, authentication, missing database, TLS). Does
    /// not check the schema: call [`Store::ensure_schema`] or [`Store::migrate`] next.
    #[instrument(skip_all, fields(target = %config.target(), database = %config.database()))]
    pub async fn connect(config: &DatabaseConfig) -> Result<Self, StoreError> {
        // One direct connection first: the pool would retry until its timeout and report only
        // that, where this reports the cause (refused, DNS, password) at once.
        let first = tokio::time::timeout(config.connect_timeout, PgConnection::connect_with(&config.options))
            .await
            .map_err(|_| StoreError::Unreachable {
                target: config.target(),
                reason: format!("no answer within {:?}", config.connect_timeout),
            })?
            .map_err(|e| classify_connect_error(config, e))?;
        first.close().await.map_err(|e| classify_connect_error(config, e))?;
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections)
            .acquire_timeout(config.connect_timeout)
            .connect_with(config.options.clone())
            .await
            .map_err(|e| classify_connect_error(config, e))?;
        Ok(Self { pool })
    }

    /// Connects and fails unless the schema matches this binary's migrations.
    pub async fn open(config: &DatabaseConfig) -> Result<Self, StoreError> {
        let store = Self::connect(config).await?;
        store.ensure_schema().await?;
        Ok(store)
    }

    /// The underlying pool (for callers that run their own queries, and tests).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// How the database's schema compares with this binary's migrations.
    pub async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        schema_status(&self.pool).await
    }

    /// Fails with [`StoreError::SchemaBehind`] or [`StoreError::SchemaMismatch`] unless the schema
    /// is exactly this binary's.
    pub async fn ensure_schema(&self) -> Result<(), StoreError> {
        self.schema_status().await?.require_up_to_date()
    }

    /// Applies the migrations this binary embeds that the database lacks (under an advisory lock,
    /// so concurrent callers wait for each other). Returns the versions applied now.
    #[instrument(skip_all)]
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        let before = match self.schema_status().await? {
            SchemaStatus::Behind { missing, .. } => missing,
            SchemaStatus::UpToDate { .. } => Vec::new(),
            other => return other.require_up_to_date().map(|_| Vec::new()),
        };
        MIGRATOR.run(&self.pool).await.map_err(|e| StoreError::Migration(e.to_string()))?;
        info!(applied = ?before, "migrations applied");
        Ok(before)
    }
}

fn classify_connect_error(config: &DatabaseConfig, error: sqlx::Error) -> StoreError {
    let target = config.target();
    match &error {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01" | "28000") => {
                StoreError::Authentication { target, user: config.user(), reason: db.message().to_owned() }
            }
            Some("3D000") => StoreError::DatabaseMissing { target, database: config.database() },
            _ => StoreError::Query { operation: "connecting", source: error },
        },
        sqlx::Error::Tls(e) => StoreError::Tls { target, reason: e.to_string() },
        sqlx::Error::Io(e) => StoreError::Unreachable { target, reason: e.to_string() },
        sqlx::Error::PoolTimedOut => {
            StoreError::Unreachable { target, reason: format!("no connection within {:?}", config.connect_timeout) }
        }
        _ => StoreError::Query { operation: "connecting", source: error },
    }
}
