//! The profile store's connection settings from an AWS Secrets Manager secret: a JSON object with
//! `url`/`uri`, or the fields of an RDS-style secret (`host`, `port`, `dbname`, `username`,
//! `password`, optional `sslmode`).

use std::collections::BTreeMap;

use profiler_store::DatabaseConfig;
use tracing::instrument;

use crate::aws::call_failed;
use crate::error::WorkerError;

/// Reads the secret `arn` and turns it into connection settings.
#[instrument(skip(client))]
pub async fn database_config(
    client: &aws_sdk_secretsmanager::Client,
    arn: &str,
) -> Result<DatabaseConfig, WorkerError> {
    let step = "read the database secret";
    let source_name = format!("Secrets Manager secret {arn}");
    let value = client
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .map_err(|e| call_failed(source_name.clone(), step, "Secrets Manager", &e))?;
    let bad =
        |message: String| WorkerError::Connector { source_name: source_name.clone(), step, message, transient: false };
    let text = value.secret_string().ok_or_else(|| bad("the secret has no string value".into()))?;
    let fields = secret_fields(text).map_err(bad)?;
    Ok(DatabaseConfig::from_secret(&fields)?)
}

/// The secret's JSON object as field -> bytes (numbers, such as RDS's `port`, as their text).
fn secret_fields(text: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| "the secret is not a JSON object (expected url or host/port/...)".to_owned())?;
    let object = value.as_object().ok_or_else(|| "the secret is not a JSON object".to_owned())?;
    Ok(object
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k.clone(), s.clone().into_bytes())),
            serde_json::Value::Number(n) => Some((k.clone(), n.to_string().into_bytes())),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rds_style_and_url_secrets() {
        let rds = secret_fields(
            r#"{"engine":"postgres","host":"db","port":5432,"dbname":"app","username":"u","password":"p"}"#,
        )
        .unwrap();
        let config = DatabaseConfig::from_secret(&rds).unwrap();
        assert_eq!((config.target(), config.database()), ("db:5432".to_owned(), "app".to_owned()));
        let url = secret_fields(r#"{"url":"postgres://u:p@h:6543/x"}"#).unwrap();
        assert_eq!(DatabaseConfig::from_secret(&url).unwrap().target(), "h:6543");
        assert!(secret_fields("postgres://u:p@h/x").is_err());
    }
}
