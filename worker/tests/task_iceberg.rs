//! The Fargate worker binary (`profiler-task`) on an Iceberg table that pyiceberg wrote to moto's
//! S3, named through each catalog kind: Glue and S3 Tables (moto), a SQL catalog (sqlite), and a
//! REST catalog (tests/emulators/iceberg_rest.py serving the same SQL catalog). Outputs checked
//! in S3 and in the real Postgres of scripts/test.sh; bad inputs with their exit codes.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use profiler_crds::{ProfileMode, Sampling, SourceKind, TableProfile};
use profiler_store::{DatabaseConfig, Store};
use serde_json::{Value, json};
use support::{fresh_database, moto, object, run_task, s3};

const UID: &str = "0b6c2f1e-7a3d-4e58-9c21-5d4e3f2a1b0c";
const TOKEN: &str = "rest-token-for-tests";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn python() -> String {
    std::env::var("PROFILER_TEST_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned())
}

/// The table `fixtures.orders` written by pyiceberg to `s3://<bucket>/warehouse` on moto and
/// registered in Glue and S3 Tables; the figures pyarrow computed for it.
fn fixture(bucket: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("profiler-task-iceberg-{}", std::process::id()));
    let out = Command::new(python())
        .arg(root().join("tests/fixtures/make_iceberg.py"))
        .arg(&dir)
        .args(["--s3", &moto(), bucket])
        .output()
        .expect("run make_iceberg.py (scripts/test.sh installs pyiceberg into .venv)");
    assert!(out.status.success(), "make_iceberg.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The REST catalog emulator, stopped when dropped.
struct RestCatalog {
    child: Child,
    uri: String,
}

impl RestCatalog {
    fn start(catalog_uri: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(python())
            .arg(root().join("tests/emulators/iceberg_rest.py"))
            .args(["127.0.0.1", &port.to_string(), catalog_uri, TOKEN, &moto()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the REST catalog emulator did not start");
        Self { child, uri: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for RestCatalog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn job(bucket: &str, attempt: u32, iceberg: Value) -> Value {
    json!({
        "version": 1,
        "job": {"namespace": "team-a", "name": "orders", "uid": UID, "attempt": attempt},
        "source": {"iceberg": iceberg},
        "output": {"bucket": bucket, "prefix": "runs"},
        "database": {"urlEnv": "PROFILER_DATABASE_URL"},
    })
}

async fn stored_profile(s3: &aws_sdk_s3::Client, bucket: &str, attempt: u32) -> TableProfile {
    let key = format!("runs/team-a/orders/{UID}/attempt-{attempt}/profile.json");
    serde_json::from_slice(&object(s3, bucket, &key).await.0).unwrap()
}

fn column<'a>(profile: &'a TableProfile, name: &str) -> &'a profiler_crds::ColumnProfile {
    profile.columns.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// A failing run: job document, extra environment, exit code, expected part of the message.
type BadCase = (Value, Vec<(&'static str, &'static str)>, i32, String);

#[tokio::test(flavor = "multi_thread")]
async fn an_iceberg_table_on_s3_is_profiled_through_each_catalog_into_s3_and_postgres() {
    let bucket = format!("iceberg-{}", std::process::id());
    let fx = fixture(&bucket);
    let s3 = s3().await;
    let db = fresh_database("iceberg").await;
    let env = [("PROFILER_DATABASE_URL", db.as_str()), ("PROFILER_ICEBERG_REST_TOKEN", TOKEN)];
    let whole = &fx["whole"];

    // Glue, full scan: the engine reads both data files from S3.
    let glue = job(&bucket, 1, json!({"catalog": {"glue": {}}, "namespace": "fixtures", "table": "orders"}));
    let (output, summary) = run_task(&glue.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!((summary["rows"].as_u64(), summary["columns"].as_u64()), (whole["rows"].as_u64(), Some(6)));
    let profile = stored_profile(&s3, &bucket, 1).await;
    assert_eq!((profile.mode, profile.source.kind), (ProfileMode::Scan, SourceKind::Iceberg));
    assert_eq!(profile.source.location, "fixtures.orders");
    assert_eq!(profile.source.files, fx["data_files"].as_u64().unwrap());
    assert_eq!(profile.source.snapshot_id, fx["snapshot_2"].as_i64());
    assert!(profile.bytes_scanned.unwrap() > 0);
    let id = column(&profile, "id");
    assert_eq!(id.min.as_deref(), Some(whole["columns"]["id"]["min"].to_string().as_str()));
    assert_eq!(id.max.as_deref(), Some(whole["columns"]["id"]["max"].to_string().as_str()));
    assert_eq!(id.numeric.as_ref().unwrap().sum, whole["columns"]["id"]["sum"].as_f64().unwrap());
    for name in ["amount", "note", "status"] {
        assert_eq!(Some(column(&profile, name).nulls), whole["columns"][name]["nulls"].as_u64(), "{name}");
    }
    let (result, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-1/result.json")).await;
    assert_eq!(serde_json::from_slice::<Value>(&result).unwrap(), summary, "result.json is the summary line");
    let store = Store::open(&DatabaseConfig::from_url(&db).unwrap()).await.unwrap();
    let stored = store.latest_profile("team-a", "fixtures.orders").await.unwrap().unwrap();
    assert_eq!(stored.profile, profile, "Postgres holds what S3 holds");

    // The same attempt again overwrites: one run, one profile.
    let (output, _) = run_task(&glue.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let count = |table: &'static str| {
        let pool = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("select count(*) from profiler.{table}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!((count("profile_runs").await, count("table_profiles").await), (1, 1));

    // S3 Tables, manifests only: counts and bounds without opening a data file.
    let arn = fx["table_bucket_arn"].as_str().unwrap();
    let tables = job(
        &bucket,
        2,
        json!({"catalog": {"s3Tables": {"tableBucketArn": arn}}, "namespace": "fixtures", "table": "orders",
               "metadataOnly": true}),
    );
    let (output, _) = run_task(&tables.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let profile = stored_profile(&s3, &bucket, 2).await;
    assert_eq!((profile.mode, profile.row_count), (ProfileMode::Metadata, whole["rows"].as_u64().unwrap()));
    assert_eq!((profile.sampling.rows_read, profile.bytes_scanned), (0, Some(0)));
    assert_eq!(Some(column(&profile, "amount").nulls), whole["columns"]["amount"]["nulls"].as_u64());
    assert_eq!(column(&profile, "id").max.as_deref(), Some(whole["columns"]["id"]["max"].to_string().as_str()));

    // A SQL catalog, an older snapshot, two columns and a reservoir sample.
    let mut sql = job(
        &bucket,
        3,
        json!({"catalog": {"sql": {"uri": fx["catalog_uri"]}}, "namespace": "fixtures", "table": "orders",
               "snapshotId": fx["snapshot_1"]}),
    );
    sql["columns"] = json!(["id", "status"]);
    sql["sampling"] = json!({"method": "reservoir", "size": 1000, "seed": 7});
    let (output, summary) = run_task(&sql.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!((summary["sampledRows"].as_u64(), summary["columns"].as_u64()), (Some(1000), Some(2)));
    let profile = stored_profile(&s3, &bucket, 3).await;
    assert_eq!(profile.sampling.rows_read, fx["first"]["rows"].as_u64().unwrap());
    assert_eq!(profile.sampling.sampling, Sampling::Reservoir { size: 1000, seed: 7 });
    assert_eq!(profile.source.snapshot_id, fx["snapshot_1"].as_i64());

    // A REST catalog that wants a bearer token.
    let rest = RestCatalog::start(fx["catalog_uri"].as_str().unwrap());
    let rest_job =
        job(&bucket, 4, json!({"catalog": {"rest": {"uri": rest.uri}}, "namespace": "fixtures", "table": "orders"}));
    let (output, _) = run_task(&rest_job.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stored_profile(&s3, &bucket, 4).await.row_count, whole["rows"].as_u64().unwrap());
    assert_eq!(count("profile_runs").await, 4);

    // Bad inputs: each fails with its exit code and a message naming the problem, and the run is
    // recorded as failed.
    let iceberg = |extra: Value| {
        let mut source = json!({"catalog": {"glue": {}}, "namespace": "fixtures", "table": "orders"});
        source.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        job(&bucket, 9, source)
    };
    let mut unknown_column = iceberg(json!({}));
    unknown_column["columns"] = json!(["id", "nope"]);
    let mut sampled_metadata = iceberg(json!({"metadataOnly": true}));
    sampled_metadata["sampling"] = json!({"method": "bernoulli", "fraction": 0.5, "seed": 1});
    let cases: Vec<BadCase> = vec![
        (iceberg(json!({"table": "nope"})), vec![], 2, "table not found: fixtures.nope in the Glue catalog".into()),
        (iceberg(json!({"table": "plain_csv"})), vec![], 2, "is not an Iceberg table".into()),
        (unknown_column, vec![], 2, "unknown column \"nope\"".into()),
        (iceberg(json!({"snapshotId": 42})), vec![], 2, "Iceberg snapshot 42 not found".into()),
        (sampled_metadata, vec![], 2, "metadata-only profiling reads no rows".into()),
        (
            job(
                &bucket,
                9,
                json!({"catalog": {"rest": {"uri": rest.uri}}, "namespace": "fixtures", "table": "orders"}),
            ),
            vec![("PROFILER_ICEBERG_REST_TOKEN", "")],
            2,
            "401 Unauthorized (set PROFILER_ICEBERG_REST_TOKEN in the task)".into(),
        ),
        (
            job(
                &bucket,
                9,
                json!({"catalog": {"s3Tables": {"tableBucketArn": arn}}, "namespace": "fixtures",
                                    "table": "nope"}),
            ),
            vec![],
            2,
            format!("table not found: fixtures.nope in {arn}"),
        ),
        (
            iceberg(json!({})),
            vec![("AWS_ENDPOINT_URL", "http://127.0.0.1:1")],
            3,
            "Glue: cannot reach http://127.0.0.1:1: Connection refused".into(),
        ),
    ];
    for (doc, extra, code, message) in cases {
        let mut with = env.to_vec();
        with.extend(extra);
        let (output, summary) = run_task(&doc.to_string(), &with);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{message}: {stderr}");
        assert_eq!(summary["status"], "failed");
        let error = summary["error"]["message"].as_str().unwrap();
        assert!(error.contains(&message), "expected {message:?} in {error:?}");
        let kind = if code == 2 { "badInput" } else { "transient" };
        assert_eq!(summary["error"]["kind"], kind, "{summary}");
        if code == 2 && !error.starts_with("job document") {
            // The state machine reads the failure from S3 (reachable here); a document that does
            // not validate names no trustworthy bucket, so it only gets the exit code and stdout.
            let (result, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-9/result.json")).await;
            assert_eq!(serde_json::from_slice::<Value>(&result).unwrap(), summary);
        }
    }
    drop(rest);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_with_a_drift_baseline_writes_and_stores_its_comparison() {
    // A local table in a SQL catalog (not the S3 one of the test above, whose fixture script
    // owns the Glue database), outputs in a bucket of this test's own.
    let bucket = format!("iceberg-drift-{}", std::process::id());
    let dir = std::env::temp_dir().join(format!("profiler-task-iceberg-drift-{}", std::process::id()));
    let out = Command::new(python()).arg(root().join("tests/fixtures/make_iceberg.py")).arg(&dir).output().unwrap();
    assert!(out.status.success(), "make_iceberg.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let fx: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s3 = s3().await;
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let db = fresh_database("drift").await;
    let env = [("PROFILER_DATABASE_URL", db.as_str())];
    let source = |snapshot: &Value| {
        json!({"catalog": {"sql": {"uri": fx["catalog_uri"]}}, "namespace": "fixtures", "table": "orders",
               "snapshotId": snapshot})
    };

    // The baseline: the first snapshot (3,000 rows).
    let (output, _) = run_task(&job(&bucket, 1, source(&fx["snapshot_1"])).to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let baseline = format!("s3://{bucket}/runs/team-a/orders/{UID}/attempt-1/profile.json");

    // The second snapshot (5,000 rows) compared with it: the row count grew by two thirds.
    let mut compared = job(&bucket, 2, source(&fx["snapshot_2"]));
    compared["drift"] = json!({"baseline": baseline, "thresholds": {"rowCountWarning": 0.5, "rowCountCritical": 0.6}});
    let (output, summary) = run_task(&compared.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let drift = &summary["drift"];
    assert_eq!(drift["baseline"], baseline.as_str());
    assert_eq!(drift["summary"]["drift"], true, "{summary}");
    assert_eq!(drift["summary"]["highestSeverity"], "critical", "{summary}");
    let diff_uri = drift["diffUri"].as_str().unwrap();
    assert_eq!(diff_uri, format!("s3://{bucket}/runs/team-a/orders/{UID}/attempt-2/diff.json"));
    let (diff, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-2/diff.json")).await;
    let diff: profiler_crds::comparison::ProfileComparison = serde_json::from_slice(&diff).unwrap();
    let row_count = diff.findings.iter().find(|f| f.kind == profiler_crds::comparison::FindingKind::RowCountChanged);
    assert_eq!(row_count.map(|f| f.severity), Some(profiler_crds::comparison::Severity::Critical), "{diff:?}");
    let (page, content_type) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-2/diff.html")).await;
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(String::from_utf8(page).unwrap().contains("<svg"));
    let (report, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-2/report.html")).await;
    assert!(String::from_utf8(report).unwrap().contains("href=\"diff.html\""), "the report links the comparison");

    // The store keeps the comparison, linked to the baseline's run.
    let store = Store::open(&DatabaseConfig::from_url(&db).unwrap()).await.unwrap();
    let latest = store.latest_comparisons("team-a", "fixtures.orders", 5).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].comparison, diff, "Postgres holds what S3 holds");
    assert_eq!(latest[0].baseline_run.map(|r| r.attempt), Some(1), "{:?}", latest[0]);

    // A baseline that cannot be read does not fail the run; the result says why.
    // Nor an incremental run built on it: it scans the snapshot in full and says why.
    let mut missing = job(&bucket, 3, source(&fx["snapshot_2"]));
    missing["drift"] = json!({"baseline": format!("s3://{bucket}/nowhere/profile.json")});
    missing["incremental"] = json!(true);
    let (output, summary) = run_task(&missing.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let error = summary["drift"]["error"].as_str().unwrap();
    assert!(error.contains("NoSuchKey") && error.contains("nowhere/profile.json"), "{error}");
    assert!(summary["drift"].get("summary").is_none());
    let (profile, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-3/profile.json")).await;
    let profile: Value = serde_json::from_slice(&profile).unwrap();
    let read = &profile["source"]["iceberg"]["incremental"];
    assert_eq!((&profile["rowCount"], &read["merged"]), (&json!(5000), &json!(false)), "{read}");
    let reason = read["reason"].as_str().unwrap();
    assert!(reason.starts_with("the base profile cannot be read") && reason.contains("NoSuchKey"), "{reason}");

    // Built on the first snapshot's profile: the second is an append, so only its file is read.
    let mut incremental = job(&bucket, 4, source(&fx["snapshot_2"]));
    incremental["drift"] = json!({"baseline": baseline});
    incremental["incremental"] = json!(true);
    let (output, summary) = run_task(&incremental.to_string(), &env);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(summary["rows"], 5000, "{summary}");
    let (profile, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-4/profile.json")).await;
    let profile: Value = serde_json::from_slice(&profile).unwrap();
    let read = &profile["source"]["iceberg"]["incremental"];
    assert_eq!((&read["merged"], &read["baseSnapshotId"]), (&json!(true), &fx["snapshot_1"]), "{read}");
    assert!(read["filesRead"].as_u64().unwrap() >= 1, "{read}");
}
