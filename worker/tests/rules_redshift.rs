//! Data quality rules on a Redshift table through moto's Redshift Data API, which runs every
//! statement on the test Postgres (tests/emulators/moto_launcher.py): the Fargate task verifies a
//! job's rules by pushdown (in the profile's aggregate query, or in a query of their own beside a
//! sample) and `profiler check redshift://...` exits 0 when every rule passes, 5 when one does
//! not. The schema, table and column names are hostile.

use std::path::Path;
use std::process::{Command, Output};

use profiler_crds::quality::{CheckReport, RuleOutcome};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

const SCHEMA: &str = "dq \"eu\"; --";
const TABLE: &str = "orders\"; DROP TABLE canary; --";
const NAME: &str = "na\"me ü";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run scripts/test.sh, which starts the services"))
}

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Percent-encodes every byte that is not ASCII alphanumeric.
fn enc(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A database with the hostile table of 400 rows; its name.
async fn setup() -> String {
    let server = env("PROFILER_TEST_DATABASE_URL");
    let name = format!("rules_redshift_{}", std::process::id());
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let mut conn = PgConnection::connect(&format!("{}/{name}", server.rsplit_once('/').unwrap().0)).await.unwrap();
    let table = format!("{}.{}", q(SCHEMA), q(TABLE));
    for sql in [
        "create table canary (x int)".to_owned(),
        format!("create schema {}", q(SCHEMA)),
        format!("create table {table} (id bigint, {} text, amount numeric(10,2), score double precision)", q(NAME)),
        format!(
            "insert into {table} select i, (array['a','bb','','ccc'])[1 + i % 4], \
             case when i % 10 = 0 then null else (i % 50) - 10 end, \
             case when i % 100 = 0 then 'NaN'::float8 else i / 4.0 end from generate_series(1, 400) as i"
        ),
    ] {
        sqlx::query(&sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    name
}

/// Rules the table meets.
fn passing() -> Value {
    json!([
        {"name": "rows", "type": "rowCount", "min": 400.0, "max": 400.0},
        {"name": "id-complete", "type": "completeness", "column": "id"},
        {"name": "id-unique", "type": "uniqueness", "column": "id"},
        {"name": "name-values", "type": "allowedValues", "column": NAME, "values": ["a", "bb", "", "ccc"]},
        {"name": "amount-range", "type": "range", "column": "amount", "min": -10.0, "max": 39.0},
        {"name": "name-length", "type": "stringLength", "column": NAME, "max": 3.0},
        {"name": "id-non-negative", "type": "nonNegative", "column": "id"},
    ])
}

/// Rules the table breaks, or that pushdown cannot evaluate.
fn failing() -> Value {
    json!([
        {"name": "amount-complete", "type": "completeness", "column": "amount"},
        {"name": "score-range", "type": "range", "column": "score", "min": 0.0, "max": 50.0},
        {"name": "name-a", "type": "allowedValues", "column": NAME, "values": ["a"]},
        {"name": "name-email", "type": "contentType", "column": NAME, "contentType": "email"},
    ])
}

fn aws(command: &mut Command) -> &mut Command {
    command
        .env("AWS_ENDPOINT_URL", env("PROFILER_TEST_MOTO_URL"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PROFILER_S3_FORCE_PATH_STYLE", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("PROFILER_DATABASE_URL")
}

fn task(job: &Value) -> (i32, Value, String) {
    let out =
        aws(Command::new(env!("CARGO_BIN_EXE_profiler-task")).env("PROFILER_JOB", job.to_string())).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = serde_json::from_str(stdout.lines().last().unwrap_or("null")).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), summary, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn profiler(args: &[&str]) -> Output {
    aws(Command::new(env!("CARGO_BIN_EXE_profiler")).args(args)).output().unwrap()
}

async fn check_json(s3: &aws_sdk_s3::Client, bucket: &str, summary: &Value) -> CheckReport {
    let uri = summary["check"]["checkUri"].as_str().unwrap_or_else(|| panic!("no check in {summary}"));
    let key = uri.trim_start_matches(&format!("s3://{bucket}/"));
    let body = s3.get_object().bucket(bucket).key(key).send().await.unwrap().body.collect().await.unwrap();
    serde_json::from_slice(&body.into_bytes()).unwrap()
}

fn outcomes(report: &CheckReport) -> Vec<(&str, RuleOutcome)> {
    report.results.iter().map(|r| (r.name.as_str(), r.outcome)).collect()
}

fn expected_outcomes() -> Vec<(&'static str, RuleOutcome)> {
    let (p, f, e) = (RuleOutcome::Passed, RuleOutcome::Failed, RuleOutcome::Error);
    vec![
        ("rows", p),
        ("id-complete", p),
        ("id-unique", p),
        ("name-values", p),
        ("amount-range", p),
        ("name-length", p),
        ("id-non-negative", p),
        ("amount-complete", f),
        ("score-range", f),
        ("name-a", f),
        ("name-email", e),
    ]
}

fn write_rules(dir: &Path, file: &str, rules: &Value) -> String {
    let path = dir.join(file);
    std::fs::write(&path, json!({"formatVersion": 1, "rules": rules}).to_string()).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn redshift_rules_by_pushdown_in_the_task_and_the_cli() {
    let database = setup().await;
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(profiler_aws::https_client())
        .endpoint_url(env("PROFILER_TEST_MOTO_URL"))
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("test", "test", None, None, "test"))
        .load()
        .await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
    let bucket = format!("rules-redshift-{}", std::process::id());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let mut rules = passing().as_array().unwrap().clone();
    rules.extend(failing().as_array().unwrap().iter().cloned());
    let mut job = json!({
        "version": 1,
        "job": {"namespace": "team-a", "name": "dq", "uid": "5d1c8a2e-3f4b-4a6c-9d8e-7f6a5b4c3d2e", "attempt": 1},
        "source": {"redshift": {"target": {"workgroup": "analytics"}, "database": database, "schema": SCHEMA, "table": TABLE}},
        "output": {"bucket": bucket},
        "columns": ["id"],
        "rules": {"formatVersion": 1, "rules": rules},
    });

    // Pushdown: the rules in the profile's aggregate query, on columns the profile does not select.
    let (code, summary, stderr) = task(&job);
    assert_eq!(code, 0, "{summary} {stderr}");
    assert_eq!(summary["columns"], 1);
    assert_eq!(summary["check"]["score"], "7/11");
    assert_eq!(
        summary["check"]["summary"]["failing"],
        json!(["amount-complete", "score-range", "name-a", "name-email"])
    );
    let report = check_json(&s3, &bucket, &summary).await;
    assert_eq!(outcomes(&report), expected_outcomes());
    assert_eq!(report.row_count, 400);
    let score = &report.results[8];
    assert_eq!(score.failing_rows, Some(202), "198 above 50 and 4 NaN: {score:?}");
    assert_eq!(score.observed, "min 0.25, max 99.75; 202 of 400 values out of range (4 NaN)");
    assert_eq!(report.results[0].observed, "400 rows");

    // By sample: the rules still judge every row, in one query of their own.
    job["job"]["attempt"] = json!(2);
    job["source"]["redshift"]["method"] = json!("sample");
    job["sampling"] = json!({"method": "reservoir", "size": 20, "seed": 1});
    let (code, summary, stderr) = task(&job);
    assert_eq!(code, 0, "{summary} {stderr}");
    assert!(summary["sampledRows"].as_u64().unwrap() <= 20, "{summary}");
    let sampled = check_json(&s3, &bucket, &summary).await;
    assert_eq!(sampled.row_count, 400);
    assert_eq!(outcomes(&sampled), expected_outcomes());
    assert_eq!(sampled.results[8].failing_rows, Some(202));

    // `profiler check`: exit 0 when every rule passes, 5 when one does not.
    let dir = std::env::temp_dir().join(format!("rules-redshift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let uri = format!("redshift://analytics/{database}/{}.{}", enc(SCHEMA), enc(TABLE));
    let out = dir.join("pass");
    let pass = write_rules(&dir, "pass.json", &passing());
    let o = profiler(&["check", &uri, "--rules", &pass, "-o", out.to_str().unwrap(), "--poll-interval", "20ms"]);
    let text = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: CheckReport = serde_json::from_slice(&std::fs::read(out.join("check.json")).unwrap()).unwrap();
    assert_eq!((report.summary.rules, report.summary.passed), (7, 7));
    assert_eq!(report.source.location, format!("redshift://analytics/{database}.{SCHEMA}.{TABLE}"));
    assert!(!out.join("profile.json").exists());

    let out = dir.join("fail");
    let fail = write_rules(&dir, "fail.json", &failing());
    let o = profiler(&["check", &uri, "--rules", &fail, "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    let report: CheckReport = serde_json::from_slice(&std::fs::read(out.join("check.json")).unwrap()).unwrap();
    assert_eq!((report.summary.failed, report.summary.errors), (3, 1));

    let o = profiler(&["check", &uri, "--rules", &pass, "--snapshot-id", "1", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--snapshot-id does not apply to redshift://"), "{}", text(&o));
    std::fs::remove_dir_all(&dir).ok();

    let server = env("PROFILER_TEST_DATABASE_URL");
    let mut conn = PgConnection::connect(&format!("{}/{database}", server.rsplit_once('/').unwrap().0)).await.unwrap();
    let canary: i64 = sqlx::query_scalar("select count(*) from canary").fetch_one(&mut conn).await.unwrap();
    assert_eq!(canary, 0);
}
