//! The connector verbs (`test-connection`, `schema URI`, `count`, `sample`) and `profile URI`,
//! through the library and the built `profiler` binary: against moto's Athena (queued results),
//! moto's Redshift Data API running every statement on the test Postgres
//! (tests/emulators/moto_launcher.py), a fake AWS endpoint for what moto cannot do (deny a
//! permission, run a query forever), and local Parquet and Iceberg files. Hostile names go through
//! the URIs and come back quoted.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use profiler_worker::connector::statement::PollPolicy;
use profiler_worker::source::uri::SourceUri;
use profiler_worker::verbs::{self, CountMethod, StepStatus};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use support::{json_out, moto, profiler_command as command, queue_athena, sdk_config, stderr, stdout};

fn root() -> PathBuf {
    support::repo_root()
}

/// Runs `profiler` with moto as its AWS (or `endpoint`).
fn profiler_at(endpoint: &str, args: &[&str]) -> Output {
    command(endpoint, args).output().unwrap()
}

fn profiler(args: &[&str]) -> Output {
    profiler_at(&moto(), args)
}

/// The library's clients read the same environment as the binary.
fn aws_env(endpoint: &str) {
    // SAFETY: the tests that read AWS settings hold AWS_ENV while setting and using them.
    unsafe {
        std::env::set_var("AWS_ENDPOINT_URL", endpoint);
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
        std::env::set_var("AWS_REGION", "us-east-1");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::set_var("PROFILER_S3_FORCE_PATH_STYLE", "true");
    }
}

/// One test at a time talks to moto's Athena (its result queue is shared) or sets the environment.
static AWS_ENV: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn poll() -> PollPolicy {
    verbs::poll_policy(Duration::from_millis(20), Duration::from_secs(60))
}

/// Percent-encodes every byte that is not ASCII alphanumeric.
fn enc(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

// --- Athena on moto ---------------------------------------------------------------------------

/// A bucket for query results and a database moto's Athena knows; returns the database.
async fn athena_setup() -> String {
    let config = sdk_config().await;
    let s3 = support::s3().await;
    let _ = s3.create_bucket().bucket("verbs-results").send().await;
    let database = format!("verbs{}", std::process::id());
    let athena = aws_sdk_athena::Client::new(&config);
    athena
        .start_query_execution()
        .query_string(format!("CREATE DATABASE {database}"))
        .work_group("primary")
        .result_configuration(
            aws_sdk_athena::types::ResultConfiguration::builder().output_location("s3://verbs-results/q/").build(),
        )
        .send()
        .await
        .unwrap();
    database
}

fn athena_columns() -> Vec<Vec<&'static str>> {
    vec![
        vec!["column_name", "data_type", "is_nullable"],
        vec!["id", "bigint", "NO"],
        vec!["na\"me; ü", "varchar", "YES"],
        vec!["price", "decimal(12,2)", "YES"],
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn athena_verbs_on_moto() {
    let _env = AWS_ENV.lock().await;
    aws_env(&moto());
    let database = athena_setup().await;
    // The table's name is hostile; the URI carries it percent-encoded.
    let table = "orders\"; DROP TABLE x; --";
    let uri_text = format!("athena://{database}.{}?output=s3://verbs-results/q/", enc(table));
    let uri = SourceUri::parse(&uri_text).unwrap();

    // test-connection: every step passes.
    queue_athena(&[athena_columns()]);
    let report = verbs::test_connection(&uri, &poll()).await.unwrap();
    assert!(report.ok, "{}", report.to_table());
    let names: Vec<&str> = report.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["workgroup", "result location", "database", "table"]);
    assert!(report.steps.iter().all(|s| s.status == StepStatus::Passed));
    assert_eq!(report.steps[3].detail, "3 columns visible");

    // schema through the binary, as JSON.
    queue_athena(&[athena_columns()]);
    let o = profiler(&["schema", &uri_text, "--json", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema = json_out(&o);
    assert_eq!(schema["columns"][1]["name"], "na\"me; ü");
    assert_eq!(schema["columns"][0]["nullable"], false);
    assert_eq!(schema["columns"][2]["sourceType"], "decimal(12,2)");
    assert_eq!(schema["columns"][2]["arrowType"], "Decimal128(12, 2)");

    // count: COUNT(*) on the engine.
    queue_athena(&[vec![vec!["rows"], vec!["1234"]]]);
    let counted = verbs::count(&uri, &poll()).await.unwrap();
    assert_eq!((counted.rows, counted.method), (1234, CountMethod::Query));

    // sample: the columns, then the rows; JSON lines keep the column order and NULL.
    queue_athena(&[
        athena_columns(),
        vec![vec!["id", "name", "price"], vec!["1", "a", "1.50"], vec!["2", "<null>", "2.00"]],
    ]);
    let o = profiler(&["sample", &uri_text, "-n", "2", "--json", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert_eq!(
        lines,
        [r#"{"id":"1","na\"me; ü":"a","price":"1.50"}"#, r#"{"id":"2","na\"me; ü":null,"price":"2.00"}"#]
    );

    // profile by sample (Bernoulli: no count first): the same outputs as a file's run.
    let out = std::env::temp_dir().join(format!("verbs-athena-{}", std::process::id()));
    queue_athena(&[
        athena_columns(),
        vec![vec!["id", "name", "price"], vec!["1", "a", "1.50"], vec!["2", "<null>", "2.00"]],
    ]);
    let o = profiler(&[
        "profile",
        &uri_text,
        "--sample-fraction",
        "0.5",
        "--out",
        out.to_str().unwrap(),
        "--poll-interval",
        "20ms",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!((profile["mode"].as_str(), profile["source"]["kind"].as_str()), (Some("scan"), Some("athena")));
    assert_eq!(profile["rowCount"], 2);
    assert!(out.join("report.html").is_file());
    // Pushdown with a sampling option is refused before any query.
    let o = profiler(&["profile", &uri_text, "--sample", "--format", "parquet"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--format does not apply"), "{}", stderr(&o));

    // A missing table: information_schema lists nothing.
    queue_athena(&[vec![vec!["column_name", "data_type", "is_nullable"]]]);
    let o = profiler(&["schema", &format!("athena://{database}.missing?output=s3://verbs-results/q/")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("table not found: athena://AwsDataCatalog/"), "{}", stderr(&o));
    queue_athena(&[vec![vec!["column_name", "data_type", "is_nullable"]]]);
    let o = profiler(&["test-connection", &format!("athena://{database}.missing?output=s3://verbs-results/q/")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("table            FAILED"), "{}", stdout(&o));

    // A missing database, workgroup and result location: the step, and what to fix.
    let o = profiler(&["test-connection", "athena://nosuchdb.t?output=s3://verbs-results/q/", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let report = json_out(&o);
    assert_eq!(report["steps"][2]["status"], "failed");
    assert!(report["steps"][2]["detail"].as_str().unwrap().contains("nosuchdb"), "{report}");
    assert_eq!(report["steps"][3]["status"], "skipped");
    let o = profiler(&["test-connection", "athena://db.t?workgroup=nope", "--json"]);
    let report = json_out(&o);
    assert_eq!((report["steps"][0]["status"].as_str(), report["exitCode"].as_i64()), (Some("failed"), Some(2)));
    assert!(report["steps"][0]["fix"].as_str().unwrap().contains("?workgroup="));
    let o = profiler(&["test-connection", &format!("athena://{database}.t"), "--json"]);
    let report = json_out(&o);
    assert_eq!(report["steps"][1]["name"], "result location");
    assert!(report["steps"][1]["fix"].as_str().unwrap().contains("?output=s3://BUCKET/PREFIX/"), "{report}");
    let o = profiler(&["test-connection", &format!("athena://{database}.t?output=s3://no-such-bucket-verbs/")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("NoSuchBucket") && stdout(&o).contains("bucket no-such-bucket-verbs does not exist"));
}

#[test]
fn an_unreachable_endpoint_fails_the_first_step_with_exit_code_3() {
    let o = profiler_at("http://127.0.0.1:1", &["test-connection", "athena://db.t?output=s3://b/", "--json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report = json_out(&o);
    assert_eq!((report["ok"].as_bool(), report["steps"][0]["status"].as_str()), (Some(false), Some("failed")));
    assert!(report["steps"][0]["detail"].as_str().unwrap().contains("cannot reach http://127.0.0.1:1"), "{report}");
    assert!(report["steps"][0]["fix"].as_str().unwrap().contains("AWS_ENDPOINT_URL"));
    let o = profiler_at("http://127.0.0.1:1", &["count", "redshift://wg/dev/public.t"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("redshift://wg/dev.public.t: could not count the rows"), "{}", stderr(&o));
}

// --- A fake AWS endpoint: denied permissions, queries that never finish -------------------------

/// Serves AWS JSON-protocol calls with `answer(target)` → (HTTP status, body); records targets.
fn fake_aws(answer: fn(&str) -> (u16, String)) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || serve(stream, answer, &seen));
        }
    });
    (url, calls)
}

fn serve(stream: TcpStream, answer: fn(&str) -> (u16, String), seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let (mut target, mut length) = (String::new(), 0usize);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "x-amz-target" => target = value.trim().to_owned(),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    seen.lock().unwrap().push(target.clone());
    let (status, body) = answer(&target);
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn denied(action: &str) -> (u16, String) {
    let message = format!("User: arn:aws:iam::123456789012:user/test is not authorized to perform: {action}");
    (400, json!({"__type": "AccessDeniedException", "Message": message}).to_string())
}

#[test]
fn a_missing_permission_names_the_step_and_the_grant() {
    let (url, _) = fake_aws(|target| match target {
        "AmazonAthena.GetWorkGroup" => denied("athena:GetWorkGroup"),
        "secretsmanager.GetSecretValue" => denied("secretsmanager:GetSecretValue"),
        _ => (400, json!({"__type": "InvalidRequestException", "Message": "unexpected"}).to_string()),
    });
    let o = profiler_at(&url, &["test-connection", "athena://db.t?workgroup=analysts", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let report = json_out(&o);
    let step = &report["steps"][0];
    assert_eq!((step["name"].as_str(), step["status"].as_str()), (Some("workgroup"), Some("failed")));
    assert!(step["detail"].as_str().unwrap().contains("not authorized to perform: athena:GetWorkGroup"), "{step}");
    assert!(step["fix"].as_str().unwrap().contains("grant athena:GetWorkGroup on workgroup analysts"), "{step}");

    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-AbCdEf";
    let o = profiler_at(&url, &["test-connection", &format!("redshift://wg/dev/public.t?secret={arn}")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("credentials  FAILED") && text.contains("AccessDeniedException"), "{text}");
    assert!(text.contains(&format!("fix (credentials): grant secretsmanager:GetSecretValue on {arn}")), "{text}");
}

fn forever(target: &str) -> (u16, String) {
    match target {
        "AmazonAthena.StartQueryExecution" => (200, json!({"QueryExecutionId": "q-forever"}).to_string()),
        "AmazonAthena.GetQueryExecution" => (
            200,
            json!({"QueryExecution": {"QueryExecutionId": "q-forever", "Status": {"State": "RUNNING"}}}).to_string(),
        ),
        "AmazonAthena.StopQueryExecution" => (200, "{}".to_owned()),
        _ => (400, json!({"__type": "InvalidRequestException", "Message": "unexpected"}).to_string()),
    }
}

#[test]
fn a_query_past_the_timeout_is_stopped_with_exit_code_3() {
    let (url, calls) = fake_aws(forever);
    let started = Instant::now();
    let o = profiler_at(&url, &["count", "athena://db.t", "--timeout", "1s", "--poll-interval", "100ms"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        stderr(&o).contains("could not count the rows: query q-forever did not finish within 1s; it was stopped"),
        "{}",
        stderr(&o)
    );
    assert_eq!(calls.lock().unwrap().last().map(String::as_str), Some("AmazonAthena.StopQueryExecution"));
}

#[test]
fn ctrl_c_stops_the_running_query_with_exit_code_130() {
    let (url, calls) = fake_aws(forever);
    let child = command(&url, &["count", "athena://db.t", "--timeout", "60s", "--poll-interval", "50ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !calls.lock().unwrap().iter().any(|c| c == "AmazonAthena.GetQueryExecution") {
        assert!(Instant::now() < deadline, "the query was never polled");
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("interrupted while trying to count the rows; query q-forever was stopped"),
        "{}",
        stderr(&o)
    );
    assert!(calls.lock().unwrap().iter().any(|c| c == "AmazonAthena.StopQueryExecution"));
}

// --- Redshift on moto + Postgres ----------------------------------------------------------------

const SCHEMA: &str = "sales \"eu\"";
const TABLE: &str = "orders\"; DROP TABLE canary; --";

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A database on the test Postgres with a hostile schema and table of 400 rows; its name.
async fn redshift_setup() -> String {
    let server = std::env::var("PROFILER_TEST_DATABASE_URL")
        .expect("PROFILER_TEST_DATABASE_URL is not set: run scripts/test.sh, which starts Postgres");
    let name = format!("verbs_{}", std::process::id());
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let table = format!("{}.{}", q(SCHEMA), q(TABLE));
    for sql in [
        "create table canary (x int)".to_owned(),
        format!("create schema {}", q(SCHEMA)),
        format!("create table {table} (id bigint not null, {} text, amount numeric(10,2))", q("na\"me ü")),
        format!(
            "insert into {table} select i, (array['a','bb','','ccc'])[1 + i % 4], \
             case when i % 10 = 0 then null else i * 1.25 end from generate_series(1, 400) as i"
        ),
    ] {
        sqlx::query(&sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    name
}

#[tokio::test(flavor = "multi_thread")]
async fn redshift_verbs_on_moto_and_postgres() {
    let database = redshift_setup().await;
    let secrets = aws_sdk_secretsmanager::Client::new(&sdk_config().await);
    let secret = secrets
        .create_secret()
        .name(format!("verbs/redshift-{}", std::process::id()))
        .secret_string(json!({"username": "u", "password": "p"}).to_string())
        .send()
        .await
        .unwrap();
    let arn = secret.arn().unwrap().to_owned();
    let uri = format!("redshift://analytics/{database}/{}.{}?secret={arn}", enc(SCHEMA), enc(TABLE));

    let o = profiler(&["test-connection", &uri, "--json", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{} {}", stdout(&o), stderr(&o));
    let report = json_out(&o);
    let names: Vec<&str> = report["steps"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["credentials", "query", "schema", "table"]);
    assert_eq!(report["steps"][3]["detail"], "3 columns visible");

    let o = profiler(&["schema", &uri, "--json", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema = json_out(&o);
    let columns = schema["columns"].as_array().unwrap();
    assert_eq!(columns[1]["name"], "na\"me ü");
    assert_eq!((columns[0]["nullable"].as_bool(), columns[1]["nullable"].as_bool()), (Some(false), Some(true)));
    assert_eq!(
        (columns[2]["sourceType"].as_str(), columns[2]["arrowType"].as_str()),
        (Some("numeric(10,2)"), Some("Decimal128(10, 2)"))
    );

    let o = profiler(&["count", &uri, "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = stdout(&o).lines().nth(2).unwrap().to_owned();
    assert!(row.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| w == ["400", "COUNT(*)"]), "{row}");

    let o = profiler(&["sample", &uri, "-n", "5", "--json", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows[0].get("na\"me ü").is_some());
    let o = profiler(&["sample", &uri, "-n", "3", "--poll-interval", "20ms"]);
    assert_eq!(stdout(&o).lines().count(), 5, "header, rule, three rows: {}", stdout(&o));

    // profile: pushdown by default, a sample with --sample; the same outputs.
    let out = std::env::temp_dir().join(format!("verbs-redshift-{}", std::process::id()));
    let o = profiler(&["profile", &uri, "--out", out.to_str().unwrap(), "--quiet", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!((profile["mode"].as_str(), profile["rowCount"].as_u64()), (Some("pushdown"), Some(400)));
    assert_eq!(profile["source"]["kind"], "redshift");
    let o = profiler(&[
        "profile",
        &uri,
        "--sample",
        "--sample-rows",
        "50",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--poll-interval",
        "20ms",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile["mode"], "scan");
    assert!(profile["rowCount"].as_u64().unwrap() <= 50);

    // A missing table, a missing schema, a missing secret: the step and the fix.
    let missing = format!("redshift://analytics/{database}/{}.nope?secret={arn}", enc(SCHEMA));
    let o = profiler(&["test-connection", &missing, "--json", "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(2));
    let report = json_out(&o);
    assert_eq!(
        (report["steps"][2]["status"].as_str(), report["steps"][3]["status"].as_str()),
        (Some("passed"), Some("failed"))
    );
    let o = profiler(&["count", &missing, "--poll-interval", "20ms"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("could not count the rows: statement") && stderr(&o).contains("does not exist"),
        "{}",
        stderr(&o)
    );
    let o = profiler(&["test-connection", &format!("redshift://analytics/{database}/nowhere.t"), "--json"]);
    let report = json_out(&o);
    assert_eq!(report["steps"][2]["status"], "failed");
    assert!(report["steps"][2]["detail"].as_str().unwrap().contains("no schema \"nowhere\""), "{report}");
    let gone = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf";
    let o =
        profiler(&["test-connection", &format!("redshift://analytics/{database}/public.t?secret={gone}"), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let report = json_out(&o);
    assert_eq!(report["steps"][0]["status"], "failed");
    assert!(report["steps"][0]["fix"].as_str().unwrap().contains("check the ARN"), "{report}");

    // The hostile name changed nothing but its own table.
    let server = std::env::var("PROFILER_TEST_DATABASE_URL").unwrap();
    let mut conn = PgConnection::connect(&format!("{}/{database}", server.rsplit_once('/').unwrap().0)).await.unwrap();
    let canary: i64 = sqlx::query_scalar("select count(*) from canary").fetch_one(&mut conn).await.unwrap();
    assert_eq!(canary, 0, "the canary table still exists");
}

// --- Local files --------------------------------------------------------------------------------

#[test]
fn parquet_verbs() {
    let file = "examples/data/orders.parquet";
    let o = profiler(&["count", file, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let count = json_out(&o);
    assert_eq!((count["rows"].as_u64(), count["method"].as_str()), (Some(50_000), Some("metadata")));
    let o = profiler(&["schema", file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.lines().next().unwrap().starts_with("column") && text.contains("status      BYTE_ARRAY (UTF8)"),
        "{text}"
    );
    let o = profiler(&["sample", file, "-n", "3", "--json"]);
    let rows: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!((rows.len(), rows[0]["id"].as_str()), (3, Some("1")));
    assert!(rows[0]["created_at"].as_str().unwrap().ends_with('Z'), "{}", rows[0]);
    let o = profiler(&["test-connection", "examples/data/*.parquet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("readable: 50000 rows, 8 columns"));
    let o = profiler(&["sample", file, "-n", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ask for 1 to 10000 rows"));
    let o = profiler(&["count", "no/such/dir/"]);
    assert_eq!(o.status.code(), Some(2));
    let o = profiler(&["count", "s3://bucket/prefix/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("s3://bucket/prefix/: could not list the objects (ListObjectsV2)"), "{}", stderr(&o));
}

/// Iceberg fixture tables made once per test binary by tests/fixtures/make_iceberg.py.
fn iceberg() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let python = std::env::var("PROFILER_TEST_PYTHON")
            .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned());
        let dir = std::env::temp_dir().join(format!("verbs-iceberg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(&python)
            .arg(root().join("tests/fixtures/make_iceberg.py"))
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| panic!("{python}: {e}; run scripts/test.sh, which installs pyiceberg"));
        assert!(out.status.success(), "make_iceberg.py: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

#[test]
fn iceberg_verbs_on_a_local_table() {
    let fixture = iceberg();
    let dir = fixture["table_dir"].as_str().unwrap();
    let o = profiler(&["count", dir, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let count = json_out(&o);
    assert_eq!(count["rows"], fixture["whole"]["rows"]);
    assert_eq!(count["method"], "metadata");
    assert!(count["detail"].as_str().unwrap().contains(&fixture["snapshot_2"].to_string()));
    let o = profiler(&["schema", dir, "--json"]);
    let schema = json_out(&o);
    let id = &schema["columns"][0];
    assert_eq!(
        (id["name"].as_str(), id["sourceType"].as_str(), id["arrowType"].as_str()),
        (Some("id"), Some("long"), Some("Int64"))
    );
    let o = profiler(&["sample", dir, "-n", "4", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 4);
    let o = profiler(&["test-connection", fixture["metadata_file"].as_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("snapshot {}", fixture["snapshot_2"])), "{}", stdout(&o));
    let o = profiler(&["count", "/no/such/table/metadata/v1.metadata.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn iceberg_verbs_through_glue_on_moto() {
    let _env = AWS_ENV.blocking_lock();
    let python = std::env::var("PROFILER_TEST_PYTHON").unwrap();
    let dir = std::env::temp_dir().join(format!("verbs-glue-{}", std::process::id()));
    let bucket = format!("verbs-glue-{}", std::process::id());
    let out = Command::new(&python)
        .arg(root().join("tests/fixtures/make_iceberg.py"))
        .args([dir.to_str().unwrap(), "--s3", &moto(), &bucket])
        .output()
        .unwrap();
    assert!(out.status.success(), "make_iceberg.py: {}", String::from_utf8_lossy(&out.stderr));
    let fixture: Value = serde_json::from_slice(&out.stdout).unwrap();
    let o = profiler(&["count", "iceberg+glue://fixtures.orders", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_out(&o)["rows"], fixture["whole"]["rows"]);
    let o = profiler(&["test-connection", "iceberg+glue://fixtures.orders"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("metadata at s3://{bucket}/")), "{}", stdout(&o));
    let out_dir = std::env::temp_dir().join(format!("verbs-glue-profile-{}", std::process::id()));
    let o = profiler(&["profile", "iceberg+glue://fixtures.orders", "--quiet", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(out_dir.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile["rowCount"], fixture["whole"]["rows"]);
    let o = profiler(&["test-connection", "iceberg+glue://fixtures.missing", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert_eq!(json_out(&o)["steps"][0]["status"], "failed");
}
