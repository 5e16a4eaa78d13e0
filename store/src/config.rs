//! How to reach the database: a URL, or the fields of a Kubernetes secret.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgSslMode};

use crate::error::StoreError;

/// Connection settings of the profile store. Never prints the password.
#[derive(Clone)]
pub struct DatabaseConfig {
    pub(crate) options: PgConnectOptions,
    /// How long to wait for a connection before calling the database unreachable.
    pub connect_timeout: Duration,
    /// Most connections the pool opens.
    pub max_connections: u32,
}

impl std::fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("target", &self.target())
            .field("database", &self.database())
            .field("user", &self.options.get_username())
            .finish_non_exhaustive()
    }
}

impl DatabaseConfig {
    /// Settings from a `postgres://user:password@host:port/database?sslmode=...` URL. Supabase
    /// needs `sslmode=require` (or `verify-full` with `sslrootcert`).
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::InvalidConfig(
                "database URL must start with postgres:// or postgresql://".to_owned(),
            ));
        }
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            StoreError::InvalidConfig(format!("malformed database URL: {}", redact(&e.to_string(), url)))
        })?;
        Ok(Self::with_options(options))
    }

    /// Settings from the data of a Kubernetes secret: either a `url` / `uri` / `database-url`
    /// field holding a URL, or the fields `host`, `port` (default 5432), `dbname` or `database`
    /// (default `postgres`), `username` or `user`, `password` and `sslmode` (default `prefer`).
    pub fn from_secret(data: &BTreeMap<String, Vec<u8>>) -> Result<Self, StoreError> {
        let field = |names: &[&str]| -> Result<Option<String>, StoreError> {
            for name in names {
                if let Some(bytes) = data.get(*name) {
                    let text = String::from_utf8(bytes.clone())
                        .map_err(|_| StoreError::InvalidConfig(format!("secret field {name:?} is not UTF-8")))?;
                    return Ok(Some(text.trim().to_owned()));
                }
            }
            Ok(None)
        };
        if let Some(url) = field(&["url", "uri", "database-url", "DATABASE_URL"])? {
            return Self::from_url(&url);
        }
        let host = field(&["host"])?.ok_or_else(|| {
            StoreError::InvalidConfig("the database secret has neither a url/uri field nor a host field".to_owned())
        })?;
        let user = field(&["username", "user"])?
            .ok_or_else(|| StoreError::InvalidConfig("the database secret has no username field".to_owned()))?;
        let mut options = PgConnectOptions::new_without_pgpass().host(&host).username(&user);
        if let Some(port) = field(&["port"])? {
            let port = port.parse::<u16>().map_err(|_| {
                StoreError::InvalidConfig(format!("secret field \"port\" is not a port number: {port:?}"))
            })?;
            options = options.port(port);
        }
        options = options.database(&field(&["dbname", "database"])?.unwrap_or_else(|| "postgres".to_owned()));
        if let Some(password) = field(&["password"])? {
            options = options.password(&password);
        }
        if let Some(mode) = field(&["sslmode"])? {
            let mode = PgSslMode::from_str(&mode).map_err(|_| {
                StoreError::InvalidConfig(format!(
                    "secret field \"sslmode\" must be disable, allow, prefer, require, verify-ca or verify-full, not {mode:?}"
                ))
            })?;
            options = options.ssl_mode(mode);
        }
        Ok(Self::with_options(options))
    }

    fn with_options(options: PgConnectOptions) -> Self {
        let options = options.application_name("profiler-operator");
        Self { options, connect_timeout: Duration::from_secs(10), max_connections: 4 }
    }

    /// `host:port` the settings point at (for messages).
    pub fn target(&self) -> String {
        format!("{}:{}", self.options.get_host(), self.options.get_port())
    }

    /// The database name.
    pub fn database(&self) -> String {
        self.options.get_database().unwrap_or("postgres").to_owned()
    }

    /// The user name.
    pub fn user(&self) -> String {
        self.options.get_username().to_owned()
    }

    /// The same settings pointing at another database on the same server.
    pub fn with_database(&self, database: &str) -> Self {
        Self { options: self.options.clone().database(database), ..self.clone() }
    }
}

/// Removes the URL's password from a message that may quote it.
fn redact(message: &str, url: &str) -> String {
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, password)| password)
        .filter(|p| !p.is_empty());
    match password {
        Some(p) => message.replace(p, "***"),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(fields: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        fields.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect()
    }

    #[test]
    fn url_and_secret_fields_give_the_same_target() {
        let from_url = DatabaseConfig::from_url("postgres://svc:pw@db.example.com:6543/app?sslmode=require").unwrap();
        assert_eq!(from_url.target(), "db.example.com:6543");
        assert_eq!(from_url.database(), "app");
        assert_eq!(from_url.user(), "svc");
        let from_fields = DatabaseConfig::from_secret(&secret(&[
            ("host", "db.example.com"),
            ("port", "6543"),
            ("dbname", "app"),
            ("username", "svc"),
            ("password", "pw"),
            ("sslmode", "require"),
        ]))
        .unwrap();
        assert_eq!(from_fields.target(), from_url.target());
        assert_eq!(from_fields.database(), "app");
        let from_uri = DatabaseConfig::from_secret(&secret(&[("uri", "postgresql://svc@h/app")])).unwrap();
        assert_eq!(from_uri.target(), "h:5432");
    }

    #[test]
    fn bad_settings_name_the_problem_without_the_password() {
        let err = DatabaseConfig::from_url("mysql://u:secret@h/db").unwrap_err().to_string();
        assert!(err.contains("postgres://"), "{err}");
        let err = DatabaseConfig::from_url("postgres://u:secret@h:notaport/db").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
        let err = DatabaseConfig::from_secret(&secret(&[("username", "u")])).unwrap_err().to_string();
        assert!(err.contains("host"), "{err}");
        let err = DatabaseConfig::from_secret(&secret(&[("host", "h"), ("username", "u"), ("sslmode", "always")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("sslmode"), "{err}");
        let err = DatabaseConfig::from_secret(&secret(&[("host", "h"), ("username", "u"), ("port", "x")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("port"), "{err}");
        let debug = format!("{:?}", DatabaseConfig::from_url("postgres://u:secret@h/db").unwrap());
        assert!(!debug.contains("secret"), "{debug}");
    }
}
