//! The job document: what the controller writes, the worker reads, and what both refuse.

use profiler_crds::fan_out::Parallelism;
use profiler_crds::{
    AthenaSource, DatabaseRef, INLINE_JOB_DOCUMENT_BYTES, IcebergCatalog, IcebergSource, JOB_DOCUMENT_VERSION,
    JobDocument, JobIdentity, JobSource, MetricOptions, OutputLocation, ParquetSource, QueryMethod, RedshiftAuth,
    RedshiftSource, RedshiftTarget, Sampling,
};
use serde_json::{Value, json};

fn iceberg_job() -> JobDocument {
    JobDocument {
        version: JOB_DOCUMENT_VERSION,
        job: JobIdentity {
            namespace: "team-a".into(),
            name: "orders-daily".into(),
            uid: "2f0c1c8e-6d0b-4c51-9f3a-1b2c3d4e5f60".into(),
            attempt: 2,
        },
        source: JobSource::Iceberg(IcebergSource {
            catalog: IcebergCatalog::Glue { catalog_id: None },
            namespace: "lake".into(),
            table: "orders".into(),
            snapshot_id: Some(42),
            metadata_only: false,
        }),
        columns: Some(vec!["id".into(), "amount".into()]),
        sampling: Sampling::Reservoir { size: 100_000, seed: 7 },
        metrics: MetricOptions::default(),
        output: OutputLocation { bucket: "profiles-123".into(), prefix: "runs/".into() },
        database: Some(DatabaseRef::SecretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCd".into())),
        drift: None,
        rules: None,
        parallelism: Parallelism::Auto,
        max_parallelism: 10,
        incremental: false,
    }
}

fn with(mut doc: Value, path: &[&str], value: Value) -> String {
    let mut at = &mut doc;
    for key in &path[..path.len() - 1] {
        at = &mut at[*key];
    }
    let last = path[path.len() - 1];
    if value.is_null() {
        at.as_object_mut().unwrap().remove(last);
    } else {
        at[last] = value;
    }
    doc.to_string()
}

fn refused(text: &str) -> String {
    JobDocument::from_json(text).expect_err(text).to_string()
}

#[test]
fn every_source_kind_round_trips_and_fits() {
    let athena = JobDocument {
        source: JobSource::Athena(AthenaSource {
            catalog: "AwsDataCatalog".into(),
            database: "sales".into(),
            table: "orders \"2024\"; drop".into(),
            workgroup: "analytics".into(),
            output_location: Some("s3://athena-results/".into()),
            method: QueryMethod::Sample,
        }),
        database: Some(DatabaseRef::UrlEnv("PROFILER_DATABASE_URL".into())),
        ..iceberg_job()
    };
    let redshift = JobDocument {
        source: JobSource::Redshift(RedshiftSource {
            target: RedshiftTarget::Cluster("warehouse-1".into()),
            database: "dev".into(),
            schema: "public".into(),
            table: "events".into(),
            auth: Some(RedshiftAuth::DbUser("profiler".into())),
            method: QueryMethod::Sample,
        }),
        sampling: Sampling::Bernoulli { fraction: 0.01, seed: 1 },
        database: None,
        ..iceberg_job()
    };
    let parquet = JobDocument {
        source: JobSource::Parquet(ParquetSource { uri: "s3://acme-raw/events/dt=2024-*/*.parquet".into() }),
        sampling: Sampling::Bernoulli { fraction: 0.1, seed: 7 },
        ..iceberg_job()
    };
    for doc in [iceberg_job(), athena, redshift, parquet] {
        let text = doc.to_json().unwrap();
        assert!(text.len() <= INLINE_JOB_DOCUMENT_BYTES);
        assert_eq!(JobDocument::from_json(&text).unwrap(), doc);
    }
    assert_eq!(
        iceberg_job().output_prefix(),
        "runs/team-a/orders-daily/2f0c1c8e-6d0b-4c51-9f3a-1b2c3d4e5f60/attempt-2/"
    );
}

#[test]
fn defaults_fill_what_a_minimal_document_leaves_out() {
    let text = json!({
        "version": 1,
        "job": {"namespace": "ns", "name": "n", "uid": "2f0c1c8e-6d0b-4c51-9f3a-1b2c3d4e5f60", "attempt": 1},
        "source": {"athena": {"database": "db", "table": "t"}},
        "output": {"bucket": "results"}
    })
    .to_string();
    let doc = JobDocument::from_json(&text).unwrap();
    assert_eq!(doc.sampling, Sampling::Full);
    assert_eq!(doc.metrics, MetricOptions { histogram_bins: 20, top_k: 10 });
    let JobSource::Athena(a) = &doc.source else { panic!("athena") };
    assert_eq!(
        (a.catalog.as_str(), a.workgroup.as_str(), a.method),
        ("AwsDataCatalog", "primary", QueryMethod::Pushdown)
    );
    assert_eq!(doc.output_prefix(), "ns/n/2f0c1c8e-6d0b-4c51-9f3a-1b2c3d4e5f60/attempt-1/");
}

#[test]
fn bad_documents_are_refused_naming_the_field() {
    let good: Value = serde_json::to_value(iceberg_job()).unwrap();
    let cases: Vec<(String, &str)> = vec![
        ("{not json".into(), "$: not valid JSON"),
        ("[1, 2]".into(), "$: must be a JSON object"),
        (with(good.clone(), &["version"], Value::Null), "version: missing"),
        (with(good.clone(), &["version"], json!(2)), "version: unsupported version 2"),
        (with(good.clone(), &["version"], json!("1")), "version: unsupported version \"1\""),
        (with(good.clone(), &["surprise"], json!(true)), "unknown field `surprise`"),
        (with(good.clone(), &["job", "name"], Value::Null), "job: missing field `name`"),
        (with(good.clone(), &["job", "namespace"], json!("Team A")), "job.namespace"),
        (with(good.clone(), &["job", "uid"], json!("nope")), "job.uid"),
        (with(good.clone(), &["job", "attempt"], json!(0)), "job.attempt"),
        (with(good.clone(), &["job", "attempt"], json!(-1)), "job.attempt"),
        (with(good.clone(), &["source"], json!({"iceberg": {}, "athena": {}})), "source"),
        (with(good.clone(), &["source"], json!({"bigquery": {}})), "source: unknown variant `bigquery`"),
        (with(good.clone(), &["source", "iceberg", "table"], json!("")), "source.iceberg.table"),
        (with(good.clone(), &["source"], json!({"parquet": {"uri": "s3://acme-raw"}})), "source.parquet.uri"),
        (with(good.clone(), &["source"], json!({"parquet": {"uri": "/data/events"}})), "source.parquet.uri"),
        (with(good.clone(), &["source"], json!({"parquet": {"uri": "s3://acme-raw/a\nb"}})), "source.parquet.uri"),
        (with(good.clone(), &["source"], json!({"parquet": {}})), "missing field `uri`"),
        (
            with(good.clone(), &["source", "iceberg", "catalog"], json!({"rest": {"uri": "ftp://x"}})),
            "source.iceberg.catalog.rest.uri",
        ),
        (with(good.clone(), &["columns"], json!([])), "columns: empty list"),
        (with(good.clone(), &["columns"], json!(["a", "a"])), "columns[1]: \"a\" is listed twice"),
        (with(good.clone(), &["columns"], json!(["a\u{0}b"])), "columns[0]"),
        (with(good.clone(), &["sampling"], json!({"method": "reservoir", "size": 0, "seed": 1})), "sampling.size"),
        (
            with(good.clone(), &["sampling"], json!({"method": "bernoulli", "fraction": 1.5, "seed": 1})),
            "sampling.fraction",
        ),
        (with(good.clone(), &["metrics"], json!({"histogramBins": 0})), "metrics.histogramBins"),
        (with(good.clone(), &["metrics"], json!({"topK": 5000})), "metrics.topK"),
        (with(good.clone(), &["output", "bucket"], json!("Bad_Bucket")), "output.bucket"),
        (with(good.clone(), &["output"], Value::Null), "missing field `output`"),
        (with(good.clone(), &["database"], json!({"secretArn": "arn:aws:s3:::x"})), "database.secretArn"),
        (with(good.clone(), &["database"], json!({"url": "postgres://u:p@h/db"})), "database: unknown variant `url`"),
        (with(good.clone(), &["database"], json!({"urlEnv": "lower-case"})), "database.urlEnv"),
        (
            with(good.clone(), &["source", "iceberg", "catalog"], json!({"glue": {"catalogId": ""}})),
            "source.iceberg.catalog.glue.catalogId: \"\" must be an AWS account id",
        ),
        (
            with(good.clone(), &["source"], json!({"athena": {"database": "d", "table": "t"}})),
            "sampling: pushdown profiles the whole table",
        ),
        (
            with(good.clone(), &["source"], json!({"athena": {"database": "d", "table": "t", "workgroup": "a b"}})),
            "source.athena.workgroup",
        ),
        (
            with(
                good.clone(),
                &["source"],
                json!({"redshift": {"target": {"workgroup": "wg1"}, "database": "é".repeat(64), "schema": "s", "table": "t"}}),
            ),
            "source.redshift.database",
        ),
    ];
    for (text, expected) in cases {
        let message = refused(&text);
        assert!(message.starts_with("job document: "), "{message}");
        assert!(message.contains(expected), "{text}\n  gave: {message}\n  expected to contain: {expected}");
    }
}

#[test]
fn metadata_only_takes_no_sampling_and_clusters_need_credentials() {
    let mut doc = iceberg_job();
    if let JobSource::Iceberg(i) = &mut doc.source {
        i.metadata_only = true;
    }
    assert!(doc.to_json().unwrap_err().to_string().contains("sampling"));
    let cluster = JobDocument {
        source: JobSource::Redshift(RedshiftSource {
            target: RedshiftTarget::Cluster("c".into()),
            database: "dev".into(),
            schema: "public".into(),
            table: "t".into(),
            auth: None,
            method: QueryMethod::Pushdown,
        }),
        ..iceberg_job()
    };
    assert!(cluster.to_json().unwrap_err().to_string().contains("source.redshift.auth"));
}

#[test]
fn a_document_too_large_for_the_container_environment_is_stored_beside_the_outputs() {
    let mut doc = iceberg_job();
    doc.columns = Some((0..1000).map(|i| format!("{}_{i:04}", "c".repeat(250))).collect());
    let text = doc.to_json().unwrap();
    assert!(text.len() > INLINE_JOB_DOCUMENT_BYTES);
    assert_eq!(JobDocument::from_json(&text).unwrap(), doc);
    assert_eq!(doc.document_key(), "runs/team-a/orders-daily/2f0c1c8e-6d0b-4c51-9f3a-1b2c3d4e5f60/attempt-2/job.json");
}

#[test]
fn rules_travel_in_the_document_and_a_broken_rule_is_refused_by_name() {
    use profiler_crds::quality::{Rule, RuleSet, RuleType};
    let mut doc = iceberg_job();
    let rule = Rule { column: Some("id".into()), ..Rule::new("id-complete", RuleType::Completeness) };
    doc.rules = Some(RuleSet { rules: vec![rule], ..RuleSet::new() });
    let text = doc.to_json().unwrap();
    assert_eq!(JobDocument::from_json(&text).unwrap(), doc);
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["rules"]["rules"][0]["min"] = json!(3);
    let message = refused(&value.to_string());
    assert!(message.contains("rules: rules[0] (id-complete, completeness): min"), "{message}");
}

#[test]
fn a_fixed_fan_out_is_refused_where_the_table_cannot_split_and_auto_never_is() {
    let parquet = |sampling| JobDocument {
        source: JobSource::Parquet(ParquetSource { uri: "s3://acme-raw/events/".into() }),
        sampling,
        parallelism: Parallelism::Groups(4),
        ..iceberg_job()
    };
    let full = parquet(Sampling::Full);
    assert_eq!(JobDocument::from_json(&full.to_json().unwrap()).unwrap(), full);
    assert!(full.to_json().unwrap().contains("\"parallelism\":4"));
    let reservoir = refused(&serde_json::to_string(&parquet(Sampling::Reservoir { size: 10, seed: 1 })).unwrap());
    assert!(reservoir.contains("parallelism: reservoir samples of separate groups do not merge"), "{reservoir}");
    let athena = JobDocument {
        source: JobSource::Athena(AthenaSource {
            catalog: "AwsDataCatalog".into(),
            database: "sales".into(),
            table: "orders".into(),
            workgroup: "primary".into(),
            output_location: None,
            method: QueryMethod::Pushdown,
        }),
        sampling: Sampling::Full,
        ..full.clone()
    };
    let message = refused(&serde_json::to_string(&athena).unwrap());
    assert!(message.contains("Athena and Redshift tables are profiled by one query"), "{message}");
    let auto = JobDocument { parallelism: Parallelism::Auto, ..athena };
    assert!(auto.to_json().is_ok(), "auto runs one task where the table cannot split");
    let metadata = JobDocument {
        source: JobSource::Iceberg(IcebergSource {
            catalog: IcebergCatalog::Glue { catalog_id: None },
            namespace: "lake".into(),
            table: "orders".into(),
            snapshot_id: None,
            metadata_only: true,
        }),
        ..full.clone()
    };
    assert!(refused(&serde_json::to_string(&metadata).unwrap()).contains("metadata-only profile reads none"));
    let mut value = serde_json::to_value(&full).unwrap();
    value["parallelism"] = json!(101);
    assert!(refused(&value.to_string()).contains("parallelism: must be auto or 1 to 100, got 101"));
    value["parallelism"] = json!("many");
    assert!(refused(&value.to_string()).contains("parallelism must be auto or a number"));
    value["parallelism"] = json!(2);
    value["maxParallelism"] = json!(0);
    assert!(refused(&value.to_string()).contains("maxParallelism: must be 1 to 100, got 0"));
}

#[test]
fn incremental_is_refused_where_it_cannot_build_on_a_base_and_runs_as_one_task() {
    use profiler_crds::quality::{Rule, RuleSet, RuleType};
    let base = JobDocument { incremental: true, sampling: Sampling::Full, ..iceberg_job() };
    let text = base.to_json().unwrap();
    assert!(text.contains("\"incremental\":true"), "{text}");
    assert_eq!(JobDocument::from_json(&text).unwrap(), base);
    let plain = JobDocument { incremental: false, ..base.clone() };
    assert!(!plain.to_json().unwrap().contains("incremental"), "false is not written");
    assert!(base.single_task_reason().is_some_and(|r| r.contains("incremental run reads the appended files")));
    let fanned = JobDocument { parallelism: Parallelism::Groups(2), ..base.clone() };
    assert!(refused(&serde_json::to_string(&fanned).unwrap()).contains("parallelism: an incremental run"));
    let sampled = JobDocument { sampling: Sampling::Bernoulli { fraction: 0.5, seed: 1 }, ..base.clone() };
    assert!(
        refused(&serde_json::to_string(&sampled).unwrap()).contains("incremental: an incremental run adds a full scan")
    );
    let parquet = JobDocument {
        source: JobSource::Parquet(ParquetSource { uri: "s3://acme-raw/events/".into() }),
        ..base.clone()
    };
    assert!(
        refused(&serde_json::to_string(&parquet).unwrap())
            .contains("incremental: incremental profiles follow an Iceberg")
    );
    let mut metadata = base.clone();
    if let JobSource::Iceberg(i) = &mut metadata.source {
        i.metadata_only = true;
    }
    assert!(
        refused(&serde_json::to_string(&metadata).unwrap())
            .contains("metadata-only profile reads none; drop metadataOnly")
    );
    let rule = Rule { column: Some("id".into()), ..Rule::new("id-complete", RuleType::Completeness) };
    let ruled = JobDocument { rules: Some(RuleSet { rules: vec![rule], ..RuleSet::new() }), ..base };
    assert!(
        refused(&serde_json::to_string(&ruled).unwrap()).contains("incremental: rules are verified over every row")
    );
}
