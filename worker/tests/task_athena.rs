//! The Fargate worker binary (`profiler-task`) end to end against moto (S3, Athena with queued
//! query results) and the real Postgres of scripts/test.sh: an Athena table profiled by pushdown,
//! outputs in S3 under the attempt's prefix and in the profile store, reruns idempotent, and every
//! bad-input path with its exit code and message.

mod support;

use profiler_crds::{ColumnKind, ProfileMode, SourceKind, TableProfile};
use profiler_store::{DatabaseConfig, Store};
use profiler_worker::sink::s3::S3Sink;
use serde_json::{Value, json};
use support::{fresh_database, object, queue_athena, run_task, s3, sdk_config};

const UID: &str = "6a1f0e9c-2b7d-4c3e-8f51-0a9b8c7d6e5f";

fn schema_result() -> Vec<Vec<&'static str>> {
    vec![
        vec!["column_name", "data_type"],
        vec!["id", "bigint"],
        vec!["status", "varchar"],
        vec!["amount", "double"],
        vec!["active", "boolean"],
        vec!["price", "decimal(38,9)"],
    ]
}

fn aggregate_result() -> Vec<Vec<&'static str>> {
    let values = vec![
        "1000", // rows
        // id: n, distinct, min, max, sum, mean, stddev, zeros, negatives, quantiles
        "1000",
        "1003",
        "1",
        "1000",
        "500500.0",
        "500.5",
        "288.6749902572095",
        "0",
        "0",
        "[10.0, 50.0, 250.0, 500.0, 750.0, 950.0, 990.0]",
        // status: n, distinct, min, max, min length, max length, total length, empty
        "990",
        "3",
        "new",
        "shipped",
        "3",
        "7",
        "5000",
        "0",
        // amount
        "950",
        "870",
        "-5.5",
        "99.25",
        "41800.0",
        "44.0",
        "20.5",
        "3",
        "12",
        "[1.0, 5.0, 25.0, 44.0, 60.0, 90.0, 99.0]",
        // active: n, true
        "1000",
        "600",
        // price, 999 × the largest DECIMAL(38,9) and 1 × the smallest: n, distinct, min, max,
        // the exact sum in two halves (low at scale 9, high an integer), mean, stddev, zeros,
        // negatives, quantiles
        "1000",
        "2",
        "-99999999999999999999999999999.999999999",
        "99999999999999999999999999999.999999999",
        "9979999999999.999999002",
        "9979999999999999999002",
        "9.98E28",
        "6.3E27",
        "0",
        "1",
        "[1.0E29, 1.0E29, 1.0E29, 1.0E29, 1.0E29, 1.0E29, 1.0E29]",
    ];
    let header: Vec<&str> = vec!["h"; values.len()];
    vec![header, values]
}

fn top_result() -> Vec<Vec<&'static str>> {
    vec![vec!["value", "count"], vec!["shipped", "500"], vec!["new", "300"], vec!["paid", "190"]]
}

fn job(bucket: &str, database: Option<Value>, columns: Option<Vec<&str>>) -> String {
    let mut doc = json!({
        "version": 1,
        "job": {"namespace": "team-a", "name": "orders", "uid": UID, "attempt": 1},
        "source": {"athena": {"database": "sales", "table": "orders", "outputLocation": "s3://athena-results/"}},
        "output": {"bucket": bucket, "prefix": "runs"},
    });
    if let Some(database) = database {
        doc["database"] = database;
    }
    if let Some(columns) = columns {
        doc["columns"] = json!(columns);
    }
    doc.to_string()
}

/// A failing run: job document, queued Athena results, extra environment, exit code, message.
type BadCase = (String, Vec<Vec<Vec<&'static str>>>, Vec<(&'static str, &'static str)>, i32, &'static str);

#[tokio::test(flavor = "multi_thread")]
async fn an_athena_table_is_profiled_by_pushdown_into_s3_and_postgres() {
    let s3 = s3().await;
    // Names unique to this run, so a moto server that outlives one run does not mix them up.
    let bucket = format!("profiles-{}", std::process::id());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let db = fresh_database("athena").await;
    let with_db = [("PROFILER_DATABASE_URL", db.as_str())];
    let database = Some(json!({"urlEnv": "PROFILER_DATABASE_URL"}));

    queue_athena(&[schema_result(), aggregate_result(), top_result()]);
    let (output, summary) = run_task(&job(&bucket, database.clone(), None), &with_db);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let prefix = format!("runs/team-a/orders/{UID}/attempt-1/");
    assert_eq!(summary["status"], "succeeded");
    assert_eq!(summary["rows"], 1000);
    assert_eq!(summary["columns"], 5);
    assert_eq!(summary["profileUri"], format!("s3://{bucket}/{prefix}profile.json"));
    let first_log = String::from_utf8_lossy(&output.stderr).lines().next().unwrap_or("").to_owned();
    assert!(serde_json::from_str::<Value>(&first_log).is_ok(), "logs are JSON: {first_log}");

    let (body, content_type) = object(&s3, &bucket, &format!("{prefix}profile.json")).await;
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let profile: TableProfile = serde_json::from_slice(&body).unwrap();
    assert_eq!((profile.mode, profile.source.kind), (ProfileMode::Pushdown, SourceKind::Athena));
    assert_eq!(profile.source.location, "athena://AwsDataCatalog/sales.orders");
    let id = &profile.columns[0];
    assert_eq!((id.kind, id.min.as_deref(), id.max.as_deref()), (ColumnKind::Numeric, Some("1"), Some("1000")));
    let quantiles = &id.numeric.as_ref().unwrap().distribution.as_ref().unwrap().quantiles;
    assert_eq!(quantiles[3].value, 500.0);
    let status = &profile.columns[1];
    assert_eq!(status.nulls, 10);
    let top = &status.text.as_ref().unwrap().top_values;
    assert_eq!((top[0].value.as_str(), top[0].count, top.len()), ("shipped", 500, 3));
    assert_eq!(profile.columns[3].boolean.as_ref().unwrap().false_count, 400);
    let price = &profile.columns[4];
    assert_eq!(price.min.as_deref(), Some("-99999999999999999999999999999.999999999"));
    assert_eq!(price.max.as_deref(), Some("99999999999999999999999999999.999999999"));
    let exact = price.numeric.as_ref().unwrap().decimal.as_ref().unwrap();
    assert_eq!((exact.precision, exact.scale), (38, 9));
    assert_eq!(exact.sum, "99799999999999999999999999999999.999999002", "998 × the largest, digit for digit");
    assert!(exact.sum_exceeds_38_digits);
    let (html, content_type) = object(&s3, &bucket, &format!("{prefix}report.html")).await;
    assert!(content_type.unwrap().starts_with("text/html"));
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("sales.orders"));
    assert!(
        html.contains("99799999999999999999999999999999.999999002 (more than 38 digits)"),
        "exact sum in the report"
    );

    let store = Store::open(&DatabaseConfig::from_url(&db).unwrap()).await.unwrap();
    let stored = store.latest_profile("team-a", "athena://AwsDataCatalog/sales.orders").await.unwrap().unwrap();
    assert_eq!(stored.profile, profile, "Postgres holds what S3 holds");
    assert_eq!(stored.profile_uri.as_deref(), summary["profileUri"].as_str());

    // The same attempt again: overwritten in place, one run in the store.
    queue_athena(&[schema_result(), aggregate_result(), top_result()]);
    let (output, _) = run_task(&job(&bucket, database.clone(), None), &with_db);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let runs: i64 =
        sqlx::query_scalar("select count(*) from profiler.profile_runs").fetch_one(store.pool()).await.unwrap();
    let tables: i64 =
        sqlx::query_scalar("select count(*) from profiler.table_profiles").fetch_one(store.pool()).await.unwrap();
    assert_eq!((runs, tables), (1, 1));
    let listed = s3.list_objects_v2().bucket(&bucket).prefix("runs/").send().await.unwrap();
    assert_eq!(listed.contents().len(), 3, "profile.json, report.html and result.json, once each");

    // Attempt 2 by sample: rows pulled back and profiled by the engine.
    let mut sampled: Value = serde_json::from_str(&job(&bucket, database.clone(), None)).unwrap();
    sampled["job"]["attempt"] = json!(2);
    sampled["source"]["athena"]["method"] = json!("sample");
    sampled["sampling"] = json!({"method": "bernoulli", "fraction": 0.5, "seed": 3});
    let sample_rows = vec![
        vec!["id", "status", "amount", "active", "price"],
        vec!["3", "new", "1.5", "true", "99999999999999999999999999999.999999999"],
        vec!["8", "shipped", "-2", "false", "-0.000000001"],
        vec!["9", "", "<null>", "true", "<null>"],
    ];
    queue_athena(&[schema_result(), sample_rows]);
    let (output, summary) = run_task(&sampled.to_string(), &with_db);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(summary["sampledRows"], 3);
    let (body, _) = object(&s3, &bucket, &format!("runs/team-a/orders/{UID}/attempt-2/profile.json")).await;
    let profile: TableProfile = serde_json::from_slice(&body).unwrap();
    assert_eq!(profile.mode, ProfileMode::Scan);
    assert_eq!(profile.sampling.sampling, profiler_crds::Sampling::Bernoulli { fraction: 0.5, seed: 3 });
    assert_eq!(profile.columns[0].max.as_deref(), Some("9"));
    assert_eq!(profile.columns[0].data_type, "Int64");
    assert_eq!(profile.columns[2].nulls, 1);
    assert_eq!(profile.columns[1].text.as_ref().unwrap().empty, 1);
    assert_eq!(profile.columns[3].boolean.as_ref().unwrap().true_count, 2);
    let price = profile.columns[4].numeric.as_ref().unwrap().decimal.as_ref().unwrap();
    assert_eq!(price.sum, "99999999999999999999999999999.999999998", "sampled decimals are exact too");
    let runs: i64 =
        sqlx::query_scalar("select count(*) from profiler.profile_runs").fetch_one(store.pool()).await.unwrap();
    assert_eq!(runs, 2);

    // Attempt 3 reaches the store through a Secrets Manager secret.
    let secrets = aws_sdk_secretsmanager::Client::new(&sdk_config().await);
    let secret = secrets
        .create_secret()
        .name(format!("profiler/db-{}", std::process::id()))
        .secret_string(json!({"url": db}).to_string())
        .send()
        .await
        .unwrap();
    let mut via_secret: Value = serde_json::from_str(&job(&bucket, None, None)).unwrap();
    via_secret["job"]["attempt"] = json!(3);
    via_secret["database"] = json!({"secretArn": secret.arn().unwrap()});
    queue_athena(&[schema_result(), aggregate_result(), top_result()]);
    let (output, _) = run_task(&via_secret.to_string(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let runs: i64 =
        sqlx::query_scalar("select count(*) from profiler.profile_runs").fetch_one(store.pool()).await.unwrap();
    assert_eq!(runs, 3);
    via_secret["database"] =
        json!({"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf"});
    let missing_secret = via_secret.to_string();

    // Bad inputs, each with its exit code and a message naming the problem.
    let cases: Vec<BadCase> = vec![
        ("{\"version\": 2}".into(), vec![], vec![], 2, "job document: version: unsupported version 2"),
        (missing_secret, vec![], vec![], 2, "ResourceNotFoundException"),
        (
            job(&bucket, None, None).replace("\"athena\"", "\"bigquery\""),
            vec![],
            vec![],
            2,
            "unknown variant `bigquery`",
        ),
        (job(&bucket, database.clone(), None), vec![], vec![], 2, "PROFILER_DATABASE_URL, which is not set"),
        (job(&bucket, None, None), vec![vec![vec!["column_name", "data_type"]]], vec![], 2, "table not found"),
        (job(&bucket, None, Some(vec!["id", "nope"])), vec![schema_result()], vec![], 2, "unknown column \"nope\""),
        (
            job("no-such-bucket", None, None),
            vec![schema_result(), aggregate_result(), top_result()],
            vec![],
            4,
            "NoSuchBucket",
        ),
        (
            job(&bucket, None, None),
            vec![],
            vec![("AWS_ENDPOINT_URL", "http://127.0.0.1:1")],
            3,
            "could not read the table's columns",
        ),
    ];
    for (doc, queued, env, code, message) in cases {
        if !queued.is_empty() {
            queue_athena(&queued);
        }
        let (output, summary) = run_task(&doc, &env);
        assert_eq!(output.status.code(), Some(code), "{summary}");
        assert_eq!(summary["status"], "failed");
        let error = summary["error"]["message"].as_str().unwrap();
        assert!(error.contains(message), "expected {message:?} in {error}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn large_objects_go_up_in_parts() {
    let s3 = s3().await;
    let bucket = format!("multipart-{}", std::process::id());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let sink = S3Sink::new(s3.clone(), bucket.clone(), "p/".into()).with_multipart(6 << 20, 5 << 20);
    let body: Vec<u8> = (0..(11u32 << 20)).map(|i| (i % 251) as u8).collect();
    let uri = sink.put("big.bin", body.clone(), "application/octet-stream").await.unwrap();
    assert_eq!(uri, format!("s3://{bucket}/p/big.bin"));
    let (got, _) = object(&s3, &bucket, "p/big.bin").await;
    assert!(got == body, "the parts reassemble to the original bytes");
    let err = S3Sink::new(s3, "missing-bucket".into(), String::new()).with_multipart(1, 5 << 20);
    let err = err.put("x", vec![1, 2, 3], "text/plain").await.unwrap_err().to_string();
    assert!(err.contains("s3://missing-bucket/x") && err.contains("NoSuchBucket"), "{err}");
}

/// The rules of an Athena job run in the profile's one aggregate query: the query's text carries
/// them, check.json and the summary judge them.
#[tokio::test(flavor = "multi_thread")]
async fn an_athena_job_verifies_its_rules_in_the_aggregate_query() {
    use profiler_crds::quality::{CheckReport, Rule, RuleOutcome, RuleType};
    use profiler_worker::connector::sql::{Dialect, RulePlan, SqlColumn};

    let s3 = s3().await;
    let bucket = format!("rules-{}", std::process::id());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let rule = |name: &str, rule_type, column: Option<&str>| Rule {
        column: column.map(str::to_owned),
        ..Rule::new(name, rule_type)
    };
    let rules = vec![
        Rule { min: Some(500.0), ..rule("enough-rows", RuleType::RowCount, None) },
        Rule { min: Some(0.99), ..rule("status-complete", RuleType::Completeness, Some("status")) },
        rule("id-unique", RuleType::Uniqueness, Some("id")),
        Rule { min: Some(-10.0), max: Some(100.0), ..rule("amount-range", RuleType::Range, Some("amount")) },
        Rule {
            content_type: Some(profiler_crds::ContentType::Email),
            ..rule("status-email", RuleType::ContentType, Some("status"))
        },
        rule("gone-complete", RuleType::Completeness, Some("gone")),
    ];
    // The rules' outputs as Athena would answer them, by the expression each one is.
    let columns: Vec<SqlColumn> =
        schema_result()[1..].iter().map(|r| SqlColumn { name: r[0].to_owned(), data_type: r[1].to_owned() }).collect();
    let plan = RulePlan::new(Dialect::Athena, &columns, &rules).unwrap();
    let answers: Vec<&str> = plan
        .select_items()
        .iter()
        .map(|item| match item.split(" AS \"r").next().unwrap() {
            "COUNT(*)" | "COUNT(\"id\")" | "COUNT(DISTINCT \"id\")" => "1000",
            "COUNT(\"status\")" => "990",
            "COUNT(\"amount\")" => "950",
            e if e.starts_with("SUM(CASE WHEN \"amount\" IS NULL") => "3",
            e if e.starts_with("SUM(CASE WHEN is_nan") => "1",
            e if e.starts_with("MIN(") => "-5.5",
            e if e.starts_with("MAX(") => "99.25",
            other => panic!("unexpected rule output {other}"),
        })
        .collect();
    let mut aggregate = aggregate_result();
    aggregate[1].extend(answers.iter().copied());
    aggregate[0] = vec!["h"; aggregate[1].len()];
    queue_athena(&[schema_result(), aggregate, top_result()]);

    // Queries of earlier runs on the same moto server are told apart.
    let athena = aws_sdk_athena::Client::new(&sdk_config().await);
    let earlier = athena.list_query_executions().send().await.unwrap().query_execution_ids().to_vec();
    let mut doc: Value = serde_json::from_str(&job(&bucket, None, None)).unwrap();
    doc["job"]["name"] = json!("orders-rules");
    doc["rules"] = json!({"formatVersion": 1, "rules": rules});
    let (output, summary) = run_task(&doc.to_string(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(summary["status"], "succeeded", "a failed rule does not fail the run");
    assert_eq!(summary["check"]["score"], "3/6");
    assert_eq!(summary["check"]["summary"]["failing"], json!(["amount-range", "status-email", "gone-complete"]));

    let (body, _) = object(&s3, &bucket, &format!("runs/team-a/orders-rules/{UID}/attempt-1/check.json")).await;
    let check: CheckReport = serde_json::from_slice(&body).unwrap();
    assert_eq!(check.row_count, 1000);
    let outcomes: Vec<(&str, RuleOutcome)> = check.results.iter().map(|r| (r.name.as_str(), r.outcome)).collect();
    assert_eq!(
        outcomes,
        [
            ("enough-rows", RuleOutcome::Passed),
            ("status-complete", RuleOutcome::Passed),
            ("id-unique", RuleOutcome::Passed),
            ("amount-range", RuleOutcome::Failed),
            ("status-email", RuleOutcome::Error),
            ("gone-complete", RuleOutcome::Error),
        ]
    );
    assert_eq!(check.results[3].observed, "min -5.5, max 99.25; 3 of 950 values out of range (1 NaN)");
    assert!(check.results[4].error.as_deref().unwrap().contains("profiler check"), "{:?}", check.results[4]);
    assert!(check.results[5].error.as_deref().unwrap().contains("columns: id, status, amount"));

    // One aggregate query carried the profile's and the rules' expressions.
    let ids = athena.list_query_executions().send().await.unwrap().query_execution_ids().to_vec();
    let mut aggregates = Vec::new();
    for id in ids.into_iter().filter(|id| !earlier.contains(id)) {
        let execution = athena.get_query_execution().query_execution_id(id).send().await.unwrap();
        let sql = execution.query_execution().and_then(|e| e.query()).unwrap_or_default().to_owned();
        if sql.contains("\"r0\"") {
            aggregates.push(sql);
        }
    }
    assert_eq!(aggregates.len(), 1, "the rules ran in one query: {aggregates:#?}");
    let sql = &aggregates[0];
    assert!(sql.contains("approx_distinct(\"status\")"), "the profile's aggregates: {sql}");
    assert!(sql.contains("COUNT(DISTINCT \"id\") AS \"r"), "{sql}");
    assert!(sql.contains("WHEN is_nan(CAST(\"amount\" AS DOUBLE)) THEN 1"), "{sql}");
    assert!(sql.contains("CAST(\"amount\" AS DOUBLE) >= CAST(-1e1 AS DOUBLE)"), "{sql}");
}
