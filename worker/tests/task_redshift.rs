//! `profiler-task` on a Redshift table through the Data API of moto, made real by
//! tests/emulators/moto_launcher.py: every statement runs on the test Postgres (the statement's
//! database), so the connector's SQL, parameters, polling and paging meet a real SQL engine. The
//! table's and columns' names are hostile.

use std::process::Command;

use profiler_crds::{ProfileMode, SourceKind, TableProfile};
use profiler_store::{DatabaseConfig, Store};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

const SCHEMA: &str = "sales \"eu\"";
const TABLE: &str = "orders\"; DROP TABLE canary; --";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run scripts/test.sh, which starts the services"))
}

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn setup() -> (String, String) {
    let server = env("PROFILER_TEST_DATABASE_URL");
    let name = format!("redshift_{}", std::process::id());
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let table = format!("{}.{}", q(SCHEMA), q(TABLE));
    for sql in [
        "create table canary (x int)".to_owned(),
        format!("create schema {}", q(SCHEMA)),
        format!(
            "create table {table} (id bigint, {} text, amount numeric(10,2), ok boolean, \
             money numeric(18,2), big numeric(38,9), whole numeric(38,0))",
            q("na\"me ü")
        ),
        // Decimals at the extremes of their precision; the sum of `whole` needs 41 digits.
        format!(
            "insert into {table} select i, (array['a','bb','','ccc'])[1 + i % 4], \
             case when i % 10 = 0 then null else (i % 50) - 10 end, i % 3 = 0, \
             case when i % 10 = 0 then null when i = 7 then 9999999999999999.99 \
                  when i = 11 then -9999999999999999.99 else (i - 200) * 1.25 end, \
             case when i % 3 = 0 then 99999999999999999999999999999.999999999 \
                  when i % 3 = 1 then -99999999999999999999999999999.999999999 else i * 0.000000001 end, \
             case when i % 4 = 0 then null else 99999999999999999999999999999999999999 end \
             from generate_series(1, 400) as i"
        ),
    ] {
        sqlx::query(&sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    Store::connect(&DatabaseConfig::from_url(&url).unwrap()).await.unwrap().migrate().await.unwrap();
    (name, url)
}

fn run(job: &Value, db_url: &str) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_profiler-task"))
        .env("PROFILER_JOB", job.to_string())
        .env("PROFILER_DATABASE_URL", db_url)
        .env("AWS_ENDPOINT_URL", env("PROFILER_TEST_MOTO_URL"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PROFILER_S3_FORCE_PATH_STYLE", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = serde_json::from_str(stdout.lines().last().unwrap_or("null")).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), summary, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redshift_table_is_profiled_by_pushdown_and_by_sample() {
    let (database, url) = setup().await;
    let bucket = format!("redshift-{}", std::process::id());
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(profiler_aws::https_client())
        .endpoint_url(env("PROFILER_TEST_MOTO_URL"))
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("test", "test", None, None, "test"))
        .load()
        .await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let mut job = json!({
        "version": 1,
        "job": {"namespace": "team-a", "name": "events", "uid": "0b6f7a3c-1d2e-4f50-9a8b-7c6d5e4f3a2b", "attempt": 1},
        "source": {"redshift": {"target": {"workgroup": "analytics"}, "database": database, "schema": SCHEMA, "table": TABLE}},
        "output": {"bucket": bucket},
        "database": {"urlEnv": "PROFILER_DATABASE_URL"},
    });

    let (code, summary, stderr) = run(&job, &url);
    assert_eq!(code, 0, "{summary} {stderr}");
    assert_eq!(summary["rows"], 400);
    let key = summary["profileUri"].as_str().unwrap().trim_start_matches(&format!("s3://{bucket}/")).to_owned();
    let body = s3.get_object().bucket(&bucket).key(&key).send().await.unwrap().body.collect().await.unwrap();
    let profile: TableProfile = serde_json::from_slice(&body.into_bytes()).unwrap();
    assert_eq!((profile.mode, profile.source.kind), (ProfileMode::Pushdown, SourceKind::Redshift));
    let id = &profile.columns[0];
    assert_eq!(
        (id.min.as_deref(), id.max.as_deref(), id.distinct.as_ref().unwrap().estimate),
        (Some("1"), Some("400"), 400.0)
    );
    let numeric = id.numeric.as_ref().unwrap();
    assert_eq!(numeric.mean, Some(200.5));
    let median = &numeric.distribution.as_ref().unwrap().quantiles[3];
    assert_eq!((median.rank, median.value), (0.5, 200.5), "exact PERCENTILE_CONT");
    let name = &profile.columns[1];
    assert_eq!(name.name, "na\"me ü");
    let text = name.text.as_ref().unwrap();
    assert_eq!((text.empty, text.top_values.len()), (100, 4));
    let amount = &profile.columns[2];
    assert_eq!(amount.nulls, 40);
    assert_eq!(profile.columns[3].boolean.as_ref().unwrap().true_count, 133);
    // Exact decimals, digit for digit (figures from Python's decimal module over the same rows).
    let decimals = [
        ("money", "numeric(18,2)", "-9999999999999999.99", "9999999999999999.99", "477.50", false),
        (
            "big",
            "numeric(38,9)",
            "-99999999999999999999999999999.999999999",
            "99999999999999999999999999999.999999999",
            "-99999999999999999999999999999.999973399",
            false,
        ),
        (
            "whole",
            "numeric(38,0)",
            "99999999999999999999999999999999999999",
            "99999999999999999999999999999999999999",
            "29999999999999999999999999999999999999700",
            true,
        ),
    ];
    for (i, (name, data_type, min, max, sum, exceeds)) in decimals.into_iter().enumerate() {
        let c = &profile.columns[4 + i];
        assert_eq!((c.name.as_str(), c.data_type.as_str()), (name, data_type));
        assert_eq!((c.min.as_deref(), c.max.as_deref()), (Some(min), Some(max)), "{name}");
        let d = c.numeric.as_ref().unwrap().decimal.as_ref().unwrap();
        assert_eq!(
            (d.min.as_deref(), d.max.as_deref(), d.sum.as_str(), d.sum_exceeds_38_digits),
            (Some(min), Some(max), sum, exceeds),
            "{name}"
        );
    }
    let store = Store::open(&DatabaseConfig::from_url(&url).unwrap()).await.unwrap();
    assert_eq!(store.latest_profile("team-a", &profile.source.location).await.unwrap().unwrap().profile, profile);

    // By sample: rows pulled back through the Data API and profiled by the engine.
    job["job"]["attempt"] = json!(2);
    job["source"]["redshift"]["method"] = json!("sample");
    job["sampling"] = json!({"method": "reservoir", "size": 50, "seed": 1});
    let (code, summary, stderr) = run(&job, &url);
    assert_eq!(code, 0, "{summary} {stderr}");
    let sampled = summary["sampledRows"].as_u64().unwrap();
    assert!((1..=50).contains(&sampled), "{sampled}");
    let key = summary["profileUri"].as_str().unwrap().trim_start_matches(&format!("s3://{bucket}/")).to_owned();
    let body = s3.get_object().bucket(&bucket).key(&key).send().await.unwrap().body.collect().await.unwrap();
    let sample: TableProfile = serde_json::from_slice(&body.into_bytes()).unwrap();
    let whole = &sample.columns[6];
    assert_eq!(
        (whole.data_type.as_str(), whole.max.as_deref()),
        ("Decimal128(38, 0)", Some("99999999999999999999999999999999999999"))
    );

    // A missing table and a missing column are the user's to fix: exit 2, nothing retried.
    job["source"]["redshift"]["table"] = json!("no_such_table");
    let (code, summary, _) = run(&job, &url);
    assert_eq!(code, 2, "{summary}");
    assert!(summary["error"]["message"].as_str().unwrap().contains("table not found"), "{summary}");
    job["source"]["redshift"]["table"] = json!(TABLE);
    job["columns"] = json!(["id", "missing"]);
    let (code, summary, _) = run(&job, &url);
    assert_eq!(
        (code, summary["error"]["message"].as_str().unwrap().contains("unknown column \"missing\"")),
        (2, true),
        "{summary}"
    );

    let mut conn = PgConnection::connect(&url).await.unwrap();
    let canary: i64 = sqlx::query_scalar("select count(*) from canary").fetch_one(&mut conn).await.unwrap();
    assert_eq!(canary, 0);
}
