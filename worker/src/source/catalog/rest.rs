//! An Iceberg REST catalog (the Apache Iceberg REST OpenAPI): `GET /v1/config` for the catalog's
//! path prefix, then `GET /v1/{prefix}/namespaces/{namespace}/tables/{table}` for the table's
//! metadata location. A bearer token, when the catalog needs one, comes from the environment
//! variable `PROFILER_ICEBERG_REST_TOKEN` (never from the job document). Each request times out
//! after 30 s, or the seconds in `PROFILER_ICEBERG_REST_TIMEOUT_SECONDS`.

use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde_json::Value;

use super::not_found;
use crate::error::WorkerError;

/// The environment variable holding a bearer token for the REST catalog.
pub const TOKEN_ENV: &str = "PROFILER_ICEBERG_REST_TOKEN";

/// The environment variable holding the seconds a request to the REST catalog may take.
pub const TIMEOUT_ENV: &str = "PROFILER_ICEBERG_REST_TIMEOUT_SECONDS";

/// A request's timeout when [`TIMEOUT_ENV`] is not set.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The timeout [`TIMEOUT_ENV`] sets (`value`), or the default when it is unset or empty.
fn request_timeout(value: Option<&str>) -> Result<Duration, WorkerError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(DEFAULT_TIMEOUT),
        Some(v) => match v.parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(Duration::from_secs(seconds)),
            _ => Err(WorkerError::InvalidRequest(format!("{TIMEOUT_ENV}={v:?} is not a positive number of seconds"))),
        },
    }
}

/// The metadata location of `namespace.table` (namespace levels dotted) in the REST catalog at
/// `uri`.
pub async fn metadata_location(
    uri: &str,
    warehouse: Option<&str>,
    namespace: &str,
    table: &str,
) -> Result<String, WorkerError> {
    let source = format!("{namespace}.{table} in {uri}");
    let failed = |step: &'static str, message: String, transient: bool| WorkerError::Connector {
        source_name: source.clone(),
        step,
        message,
        transient,
    };
    let base = Url::parse(uri.trim_end_matches('/'))
        .map_err(|e| WorkerError::InvalidRequest(format!("REST catalog URI {uri:?}: {e}")))?;
    let timeout = request_timeout(std::env::var(TIMEOUT_ENV).ok().as_deref())?;
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| failed("start an HTTP client", e.to_string(), false))?;
    let token = std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty());
    let get = async |url: Url, step: &'static str| -> Result<Option<Value>, WorkerError> {
        let mut request = client.get(url.clone());
        if let Some(token) = &token {
            request = request.bearer_auth(token);
        }
        let reply = request.send().await.map_err(|e| failed(step, format!("GET {url}: {e}"), true))?;
        let status = reply.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let body = reply.text().await.map_err(|e| failed(step, format!("GET {url}: {e}"), true))?;
        if !status.is_success() {
            let transient = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
            let hint = match status {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => format!(" (set {TOKEN_ENV} in the task)"),
                _ => String::new(),
            };
            return Err(failed(
                step,
                format!("GET {url} returned {status}{hint}: {}", error_message(&body)),
                transient,
            ));
        }
        serde_json::from_str(&body)
            .map(Some)
            .map_err(|e| failed(step, format!("GET {url}: the reply is not JSON: {e}"), false))
    };

    let mut config_url = endpoint(&base, &["v1", "config"]);
    if let Some(w) = warehouse {
        config_url.query_pairs_mut().append_pair("warehouse", w);
    }
    let config = get(config_url, "read the catalog configuration")
        .await?
        .ok_or_else(|| failed("read the catalog configuration", format!("{uri} has no /v1/config"), false))?;
    let prefix = ["overrides", "defaults"]
        .iter()
        .find_map(|k| config.get(k).and_then(|m| m.get("prefix")).and_then(Value::as_str))
        .filter(|p| !p.is_empty());

    let levels = namespace.split('.').collect::<Vec<_>>().join("\u{1f}");
    let mut segments = vec!["v1"];
    segments.extend(prefix);
    segments.extend(["namespaces", levels.as_str(), "tables", table]);
    let loaded = get(endpoint(&base, &segments), "load the table")
        .await?
        .ok_or_else(|| not_found(uri, namespace, table, "the REST catalog answered 404"))?;
    loaded
        .get("metadata-location")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| failed("load the table", "the reply has no metadata-location".into(), false))
}

/// `base` with `segments` appended, each percent-encoded as one path segment.
fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// The `error.message` of an Iceberg REST error reply, or the body itself (shortened).
fn error_message(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.pointer("/error/message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(300).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_each_segment() {
        let base = Url::parse("http://h:1/api/catalog").unwrap();
        let url = endpoint(&base, &["v1", "wh/1", "namespaces", "a\u{1f}b", "tables", "t x"]);
        assert_eq!(url.as_str(), "http://h:1/api/catalog/v1/wh%2F1/namespaces/a%1Fb/tables/t%20x");
    }

    #[test]
    fn reads_the_request_timeout() {
        assert_eq!(request_timeout(None).unwrap(), Duration::from_secs(30));
        assert_eq!(request_timeout(Some(" ")).unwrap(), Duration::from_secs(30));
        assert_eq!(request_timeout(Some("120")).unwrap(), Duration::from_secs(120));
        for bad in ["0", "-1", "1.5", "soon"] {
            let message = request_timeout(Some(bad)).unwrap_err().to_string();
            assert!(message.contains("PROFILER_ICEBERG_REST_TIMEOUT_SECONDS"), "{message}");
        }
    }

    #[test]
    fn reads_rest_error_messages() {
        assert_eq!(error_message(r#"{"error":{"message":"nope","type":"X","code":403}}"#), "nope");
        assert_eq!(error_message("plain"), "plain");
    }
}
