//! Shared by the `profiler-task` end-to-end tests: the emulators scripts/test.sh starts (moto,
//! Postgres), the task binary run with the task's environment, and S3 reads.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use profiler_store::{DatabaseConfig, Store};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

/// Base URL of the moto server.
pub fn moto() -> String {
    std::env::var("PROFILER_TEST_MOTO_URL")
        .expect("PROFILER_TEST_MOTO_URL is not set: run scripts/test.sh, which starts moto for the tests")
}

/// URL of the test Postgres server's admin database.
pub fn server_url() -> String {
    std::env::var("PROFILER_TEST_DATABASE_URL")
        .expect("PROFILER_TEST_DATABASE_URL is not set: run scripts/test.sh, which starts a Postgres for the tests")
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `profiler ARGS` run from the repository root with `endpoint` as its AWS (static test
/// credentials, path-style S3) and no profile store.
pub fn profiler_command(endpoint: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_profiler"));
    command
        .args(args)
        .current_dir(repo_root())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PROFILER_S3_FORCE_PATH_STYLE", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("PROFILER_DATABASE_URL");
    command
}

/// A process's stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A process's stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A process's stdout parsed as one JSON document.
pub fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {} / {}", stdout(o), stderr(o)))
}

/// Runs `profiler-task` on `job` with moto as its AWS; returns the output and the last stdout
/// line parsed as JSON (the summary, or `null` when the task printed nothing).
pub fn run_task(job: &str, extra_env: &[(&str, &str)]) -> (Output, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_profiler-task"));
    command
        .env("PROFILER_JOB", job)
        .env("AWS_ENDPOINT_URL", moto())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PROFILER_S3_FORCE_PATH_STYLE", "true")
        .env_remove("AWS_PROFILE");
    for (k, v) in extra_env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no summary line; stderr: {}", String::from_utf8_lossy(&output.stderr)));
    let summary: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    (output, summary)
}

/// SDK configuration pointing at moto with static test credentials.
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(profiler_aws::https_client())
        .endpoint_url(moto())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .load()
        .await
}

/// A path-style S3 client on moto.
pub async fn s3() -> aws_sdk_s3::Client {
    let config = sdk_config().await;
    aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build())
}

/// A new, migrated database named after this test process and `suffix`; returns its URL.
pub async fn fresh_database(suffix: &str) -> String {
    let name = format!("task_{}_{suffix}", std::process::id());
    let mut admin = PgConnection::connect(&server_url()).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let url = format!("{}/{name}", server_url().rsplit_once('/').unwrap().0);
    Store::connect(&DatabaseConfig::from_url(&url).unwrap()).await.unwrap().migrate().await.unwrap();
    url
}

/// An object's body and content type.
pub async fn object(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> (Vec<u8>, Option<String>) {
    let o = s3.get_object().bucket(bucket).key(key).send().await.unwrap_or_else(|e| panic!("{key}: {e:?}"));
    let content_type = o.content_type().map(str::to_owned);
    (o.body.collect().await.unwrap().into_bytes().to_vec(), content_type)
}

/// POSTs JSON to moto's control API (moto's static Athena results, for example).
pub fn post(path: &str, body: &Value) {
    let address = moto().trim_start_matches("http://").to_owned();
    let body = body.to_string();
    let mut stream = TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 20") || response.starts_with("HTTP/1.0 20"), "{response}");
}

/// Queues Athena results (a header row, then data rows; `<null>` is NULL) in the order asked.
pub fn queue_athena(results: &[Vec<Vec<&str>>]) {
    let results: Vec<Value> = results
        .iter()
        .map(|rows| {
            let rows: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let data: Vec<Value> = row
                        .iter()
                        .map(|v| if *v == "<null>" { json!({}) } else { json!({"VarCharValue": v}) })
                        .collect();
                    json!({"Data": data})
                })
                .collect();
            json!({"rows": rows})
        })
        .collect();
    post(
        "/moto-api/static/athena/query-results",
        &json!({"account_id": "123456789012", "region": "us-east-1", "results": results}),
    );
}
