//! The profile store on a real Postgres: migrations, round trips, idempotency, atomicity and the
//! errors a user sees.

mod support;

use chrono::{TimeZone, Utc};
use profiler_crds::JobPhase;
use profiler_store::{
    DatabaseConfig, FailureKind, MIGRATOR, RunKey, RunOutcome, RunStatus, SchemaStatus, Store, StoreError,
};
use support::*;

#[tokio::test]
async fn migrations_apply_to_an_empty_database_and_again_as_a_no_op() {
    let config = fresh_database().await;
    let store = Store::connect(&config).await.unwrap();
    let expected: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    assert_eq!(store.schema_status().await.unwrap(), SchemaStatus::Behind { current: None, missing: expected.clone() });
    assert_eq!(store.migrate().await.unwrap(), expected);
    assert_eq!(store.migrate().await.unwrap(), Vec::<i64>::new(), "second run applies nothing");
    assert!(matches!(store.schema_status().await.unwrap(), SchemaStatus::UpToDate { .. }));
    Store::open(&config).await.expect("an up-to-date schema opens");

    // The same files applied twice as plain SQL (as the Supabase CLI or psql would) also succeed.
    let raw = fresh_database().await;
    let raw_store = Store::connect(&raw).await.unwrap();
    for round in 0..2 {
        for migration in MIGRATOR.iter() {
            sqlx::raw_sql(&migration.sql)
                .execute(raw_store.pool())
                .await
                .unwrap_or_else(|e| panic!("round {round}: {} failed again: {e}", migration.description));
        }
    }
    assert_eq!(row_counts(&raw_store).await.len(), TABLES.len());
}

#[tokio::test]
async fn every_table_has_row_level_security_and_the_dashboard_indexes_exist() {
    let (store, _) = migrated_store().await;
    for table in TABLES {
        let rls: bool = sqlx::query_scalar("select relrowsecurity from pg_class where oid = $1::regclass")
            .bind(format!("profiler.{table}"))
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert!(rls, "{table} has no row-level security");
    }
    for index in [
        "table_profiles_by_table",
        "profile_jobs_by_namespace_phase",
        "profile_runs_by_namespace_started",
        "column_profiles_by_field_id",
        "profile_comparisons_by_table",
        "profile_comparisons_drifted",
        "profile_comparisons_by_baseline",
        "profile_runs_by_profile_uri",
    ] {
        let found: Option<String> = sqlx::query_scalar("select to_regclass($1)::text")
            .bind(format!("profiler.{index}"))
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert!(found.is_some(), "index {index} missing");
    }
}

#[tokio::test]
async fn a_schema_behind_or_ahead_of_the_binary_is_refused_with_a_clear_message() {
    let config = fresh_database().await;
    let err = Store::open(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::SchemaBehind { ref current, .. } if current == "none"), "{err}");
    assert!(err.to_string().contains("profiler migrate"), "{err}");

    let store = Store::connect(&config).await.unwrap();
    store.migrate().await.unwrap();
    let last = MIGRATOR.iter().map(|m| m.version).max().unwrap();
    sqlx::query("delete from _sqlx_migrations where version = $1").bind(last).execute(store.pool()).await.unwrap();
    let err = Store::open(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::SchemaBehind { .. }), "{err}");
    assert!(err.to_string().contains(&last.to_string()), "{err}");

    store.migrate().await.expect("the missing migration applies again (it is idempotent)");
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (29990101000000, 'from the future', true, '\\x00', 1)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let err = Store::open(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::SchemaMismatch(_)), "{err}");
    assert!(err.to_string().contains("29990101000000"), "{err}");
    sqlx::query("delete from _sqlx_migrations where version = 29990101000000").execute(store.pool()).await.unwrap();

    sqlx::query("update _sqlx_migrations set checksum = '\\x01' where version = $1")
        .bind(last)
        .execute(store.pool())
        .await
        .unwrap();
    let err = Store::open(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::SchemaMismatch(ref m) if m.contains("differs")), "{err}");
}

#[tokio::test]
async fn an_engine_profile_reads_back_equal() {
    let (store, _) = migrated_store().await;
    let profile = engine_profile("s3://lake/orders/", "2026-11-03T12:34:56.789Z");
    let kinds: Vec<_> = profile.columns.iter().map(|c| c.kind).collect();
    for kind in ["numeric", "temporal", "string", "binary", "boolean", "list"] {
        assert!(
            kinds.iter().any(|k| serde_json::to_value(k).unwrap() == kind),
            "fixture lacks a {kind} column: {kinds:?}"
        );
    }
    let job = job("team-a", "orders-daily");
    let run = store_profile(&store, &job, &profile).await;
    let outcome = RunOutcome {
        status: RunStatus::Succeeded,
        finished_at: Utc::now(),
        error: None,
        profile_uri: Some("s3://results/team-a/orders-daily/attempt-1/profile.json".into()),
        report_uri: Some("s3://results/team-a/orders-daily/attempt-1/report.html".into()),
    };
    store.finish_run(run, &outcome).await.unwrap();

    let stored = store.latest_profile("team-a", "s3://lake/orders/").await.unwrap().expect("a stored profile");
    assert_eq!(stored.profile, profile);
    assert_eq!(stored.job_uid, job.uid);
    assert_eq!(stored.attempt, 1);
    assert_eq!(stored.status, RunStatus::Succeeded);
    assert_eq!(stored.profile_uri, outcome.profile_uri);
    assert_eq!(stored.report_uri, outcome.report_uri);
    assert!(store.latest_profile("team-b", "s3://lake/orders/").await.unwrap().is_none(), "other namespace");

    let metadata = metadata_profile("glue://lake.events");
    store_profile(&store, &crate::job("team-a", "events"), &metadata).await;
    assert_eq!(store.latest_profile("team-a", "glue://lake.events").await.unwrap().unwrap().profile, metadata);
}

#[tokio::test]
async fn the_latest_profile_and_a_columns_history_come_newest_first() {
    let (store, _) = migrated_store().await;
    let days = ["2026-11-01T06:00:00.000Z", "2026-11-03T06:00:00.000Z", "2026-11-02T06:00:00.000Z"];
    let mut jobs = Vec::new();
    for (i, day) in days.iter().enumerate() {
        let job = job("team-a", &format!("orders-{i}"));
        store_profile(&store, &job, &engine_profile("db.orders", day)).await;
        jobs.push(job);
    }
    let latest = store.latest_profile("team-a", "db.orders").await.unwrap().unwrap();
    assert_eq!(latest.profile.started_at, days[1]);
    assert_eq!(latest.job_uid, jobs[1].uid);

    let history = store.column_history("team-a", "db.orders", "amount", 10).await.unwrap();
    let when: Vec<String> = history.iter().map(|h| h.started_at.to_rfc3339()).collect();
    assert_eq!(when, ["2026-11-03T06:00:00+00:00", "2026-11-02T06:00:00+00:00", "2026-11-01T06:00:00+00:00"]);
    let expected = engine_profile("db.orders", days[1]).columns.into_iter().find(|c| c.name == "amount").unwrap();
    assert_eq!(history[0].column, expected);
    assert_eq!(store.column_history("team-a", "db.orders", "amount", 2).await.unwrap().len(), 2);
    assert_eq!(store.column_history("team-a", "db.orders", "address.city", 10).await.unwrap().len(), 3);
    assert!(store.column_history("team-a", "db.orders", "no_such_column", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn writing_the_same_job_run_and_profile_twice_leaves_one_copy() {
    let (store, _) = migrated_store().await;
    let job = job("team-a", "orders");
    let profile = iceberg_profile("db.orders", "2026-11-03T12:00:00.000Z");
    let baseline_profile = iceberg_profile("db.orders", "2026-11-02T12:00:00.000Z");
    let baseline = store_succeeded_run(&store, &support::job("team-a", "orders-yesterday"), 1, &baseline_profile).await;
    let run = store_profile(&store, &job, &profile).await;
    let comparison = comparison_with(&baseline_profile, &profile, all_kinds_of_findings());
    let compared_at = Utc.with_ymd_and_hms(2026, 11, 3, 12, 5, 0).unwrap();
    store.record_comparison(run, &comparison, Some(baseline), compared_at).await.unwrap();
    let once = row_counts(&store).await;
    assert!(once.iter().all(|(_, n)| *n > 0), "every table has rows: {once:?}");

    // A retried controller and worker do everything again.
    store.record_job(&job).await.unwrap();
    store.start_run(run, Some("arn:aws:states:us-east-1:123456789012:execution:sm:exec-1"), Utc::now()).await.unwrap();
    store.write_profile(run, &profile).await.unwrap();
    store.write_profile(run, &profile).await.unwrap();
    store.record_comparison(run, &comparison, Some(baseline), compared_at).await.unwrap();
    store.record_comparison(run, &comparison, Some(baseline), compared_at).await.unwrap();
    assert_eq!(row_counts(&store).await, once);

    // A restart that starts the run again keeps its status once it finished.
    let failed = RunOutcome {
        status: RunStatus::Failed,
        finished_at: Utc::now(),
        error: Some(("table db.orders does not exist".into(), FailureKind::BadInput)),
        profile_uri: None,
        report_uri: None,
    };
    store.finish_run(run, &failed).await.unwrap();
    store.start_run(run, None, Utc::now()).await.unwrap();
    let stored = store.latest_profile("team-a", "db.orders").await.unwrap().unwrap();
    assert_eq!(stored.status, RunStatus::Failed);
    assert_eq!(stored.error, failed.error);

    // A job's phase moves on in place.
    let mut done = job.clone();
    done.phase = JobPhase::Failed;
    done.completed_at = Some(Utc::now());
    done.message = Some("bad input".into());
    store.record_job(&done).await.unwrap();
    let phase: String = sqlx::query_scalar("select phase from profiler.profile_jobs where uid = $1")
        .bind(job.uid)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(phase, "Failed");
    assert_eq!(row_counts(&store).await, once);

    // A Cancelled job stays Cancelled when a late worker reports it Running.
    let mut cancelled = job.clone();
    cancelled.phase = JobPhase::Cancelled;
    cancelled.completed_at = Some(Utc::now());
    cancelled.message = Some("deleted".into());
    store.record_job(&cancelled).await.unwrap();
    store.record_job(&job).await.unwrap();
    let (phase, message): (String, Option<String>) =
        sqlx::query_as("select phase::text, message from profiler.profile_jobs where uid = $1")
            .bind(job.uid)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!((phase.as_str(), message.as_deref()), ("Cancelled", Some("deleted")));
}

#[tokio::test]
async fn a_write_that_fails_halfway_leaves_the_previous_state() {
    let (store, _) = migrated_store().await;
    let job = job("team-a", "orders");
    let good = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    let run = store_profile(&store, &job, &good).await;
    let before = row_counts(&store).await;

    // The table row and the first columns are valid; a later column breaks a constraint.
    let mut bad = good.clone();
    bad.started_at = "2026-11-04T12:00:00.000Z".into();
    let last = bad.columns.len() - 1;
    bad.columns[last].nulls += 1;
    let err = store.write_profile(run, &bad).await.unwrap_err();
    assert!(matches!(err, StoreError::Query { .. }), "{err}");
    assert!(err.to_string().contains("column_profiles"), "names the table: {err}");
    assert_eq!(row_counts(&store).await, before, "nothing of the failed write remains, nothing was lost");
    assert_eq!(store.latest_profile("team-a", "db.orders").await.unwrap().unwrap().profile, good);

    // A first write that fails leaves no profile at all.
    let other = crate::job("team-a", "other");
    store.record_job(&other).await.unwrap();
    let other_run = RunKey { job_uid: other.uid, attempt: 1 };
    store.start_run(other_run, None, Utc::now()).await.unwrap();
    let mut broken = engine_profile("db.other", "2026-11-03T12:00:00.000Z");
    broken.columns[2].null_fraction = 2.0;
    store.write_profile(other_run, &broken).await.unwrap_err();
    assert!(store.latest_profile("team-a", "db.other").await.unwrap().is_none());
}

#[tokio::test]
async fn writes_out_of_order_or_in_conflict_are_refused_by_name() {
    let (store, _) = migrated_store().await;
    let job = job("team-a", "orders");
    let run = RunKey { job_uid: job.uid, attempt: 1 };
    let err = store.start_run(run, None, Utc::now()).await.unwrap_err();
    assert!(matches!(err, StoreError::JobNotFound(_)), "{err}");
    let profile = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    let err = store.write_profile(run, &profile).await.unwrap_err();
    assert!(matches!(err, StoreError::RunNotFound(_)), "{err}");

    store.record_job(&job).await.unwrap();
    let mut moved = job.clone();
    moved.namespace = "team-b".into();
    let err = store.record_job(&moved).await.unwrap_err();
    assert!(err.to_string().contains("team-a/orders"), "{err}");

    let err = store.record_job(&crate::job("team-a", "Not_A_Name")).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidValue { ref field, .. } if field == "name"), "{err}");
    let err = store.record_job(&crate::job("Team A", "orders")).await.unwrap_err();
    assert!(err.to_string().contains("namespace"), "{err}");

    store.start_run(run, None, Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap()).await.unwrap();
    let early = RunOutcome {
        status: RunStatus::Succeeded,
        finished_at: Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
        error: None,
        profile_uri: None,
        report_uri: None,
    };
    assert!(store.finish_run(run, &early).await.is_err(), "a run cannot end before it starts");
    let mut unknown_run = run;
    unknown_run.attempt = 2;
    let err = store.finish_run(unknown_run, &RunOutcome { finished_at: Utc::now(), ..early }).await.unwrap_err();
    assert!(matches!(err, StoreError::RunNotFound(_)), "{err}");
}

#[tokio::test]
async fn connection_failures_say_what_is_wrong() {
    let base = DatabaseConfig::from_url(&server_url()).unwrap();

    let mut unreachable = DatabaseConfig::from_url("postgres://postgres:x@127.0.0.1:1/postgres").unwrap();
    unreachable.connect_timeout = std::time::Duration::from_secs(2);
    let err = Store::connect(&unreachable).await.unwrap_err();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
    assert!(err.is_transient());

    let url = server_url();
    let (scheme_user, rest) = url.split_once('@').unwrap();
    let user = scheme_user.rsplit_once(':').unwrap().0;
    let wrong = DatabaseConfig::from_url(&format!("{user}:wrong-password@{rest}")).unwrap();
    let err = Store::connect(&wrong).await.unwrap_err();
    assert!(matches!(err, StoreError::Authentication { .. }), "{err}");
    assert!(err.to_string().contains("postgres"), "names the user: {err}");
    assert!(!err.is_transient());

    // The test server speaks no TLS: sslmode=require (what Supabase needs) must say so.
    let tls = DatabaseConfig::from_url(&format!("{}?sslmode=require", server_url())).unwrap();
    let err = Store::connect(&tls).await.unwrap_err();
    assert!(matches!(err, StoreError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("TLS"), "{err}");

    let missing = base.with_database("no_such_database");
    let err = Store::connect(&missing).await.unwrap_err();
    assert!(matches!(err, StoreError::DatabaseMissing { .. }), "{err}");
    assert!(err.to_string().contains("no_such_database"), "{err}");
}

/// name, decimal_min, decimal_max, decimal_sum, decimal_sum_exceeds_38_digits as text.
type DecimalRow = (String, Option<String>, Option<String>, String, bool);

#[tokio::test]
async fn an_iceberg_profile_with_partitions_field_ids_and_exact_decimals_reads_back_equal() {
    let (store, _) = migrated_store().await;
    let profile = iceberg_profile("glue://lake.orders", "2026-11-03T12:34:56.789Z");
    store_profile(&store, &job("team-a", "orders"), &profile).await;
    let stored = store.latest_profile("team-a", "glue://lake.orders").await.unwrap().unwrap();
    assert_eq!(stored.profile, profile);
    assert_eq!(
        serde_json::to_string(&stored.profile).unwrap(),
        serde_json::to_string(&profile).unwrap(),
        "the same profile.json"
    );

    // The exact figures are numeric in the database and keep their scale's digits.
    let decimals: Vec<DecimalRow> = sqlx::query_as(
        "select name, decimal_min::text, decimal_max::text, decimal_sum::text, decimal_sum_exceeds_38_digits
         from profiler.column_profiles where decimal_sum is not null order by ordinal",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let row = |name: &str| decimals.iter().find(|d| d.0 == name).unwrap().clone();
    assert_eq!(row("price").1.as_deref(), Some("1.01"));
    assert_eq!(
        row("balance"),
        (
            "balance".into(),
            Some("-9999999999999999.99".into()),
            Some("9999999999999999.99".into()),
            "123456789012345678901234567890123456789.50".into(),
            true
        )
    );
    assert_eq!(row("rate").2.as_deref(), Some("10.5000000000"));
    let (sum_type, total): (String, String) = sqlx::query_as(
        "select pg_typeof(decimal_sum)::text, sum(decimal_sum)::text from profiler.column_profiles
         where name in ('balance', 'rate') group by 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((sum_type.as_str(), total.as_str()), ("numeric", "123456789012345678901234567890123456800.0000000000"));

    // One row per partition, values as a JSON object with nulls.
    let partitions: Vec<(i32, Option<String>, i64)> = sqlx::query_as(
        "select spec_id, partition_values ->> 'ts_day', row_count from profiler.partition_counts
         where namespace = 'team-a' order by position",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(partitions.len(), 6);
    assert_eq!(partitions[2], (1, Some("2023-11-15".into()), 50));
    assert_eq!(partitions[3].1, None);
    assert_eq!(partitions[4].2, i64::MAX);
    let (schema_id, specs): (i32, serde_json::Value) =
        sqlx::query_as("select iceberg_schema_id, partition_specs from profiler.table_profiles")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(schema_id, 3);
    assert_eq!(specs[1]["fields"][1]["transform"], "bucket[16]");

    // An unpartitioned Iceberg table read in metadata mode, and a Parquet profile: no partitions.
    let metadata = metadata_profile("glue://lake.events");
    store_profile(&store, &job("team-a", "events"), &metadata).await;
    assert_eq!(store.latest_profile("team-a", "glue://lake.events").await.unwrap().unwrap().profile, metadata);
    let parquet = engine_profile("s3://lake/raw/", "2026-11-03T12:00:00.000Z");
    store_profile(&store, &job("team-a", "raw"), &parquet).await;
    assert_eq!(store.latest_profile("team-a", "s3://lake/raw/").await.unwrap().unwrap().profile, parquet);
    let partition_rows: i64 =
        sqlx::query_scalar("select count(*) from profiler.partition_counts").fetch_one(store.pool()).await.unwrap();
    assert_eq!(partition_rows, 6);

    // The Iceberg layout migration's constraints hold for the stored rows (added again over them).
    let last = MIGRATOR.iter().find(|m| m.version == ICEBERG_LAYOUT).unwrap();
    sqlx::raw_sql(
        "do $$ declare c record; begin
           for c in select conrelid::regclass as t, conname from pg_constraint
                    where conname like 'column_profiles_decimal_%' or conname like 'table_profiles_iceberg_%'
                       or conname like 'table_profiles_partition%'
           loop execute format('alter table %s drop constraint %I', c.t, c.conname); end loop;
         end $$",
    )
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::raw_sql(&last.sql).execute(store.pool()).await.expect("the constraints accept the stored rows");
    let constraints: i64 = sqlx::query_scalar(
        "select count(*) from pg_constraint where conname like 'column_profiles_decimal_%'
           or conname like 'table_profiles_iceberg_%' or conname like 'table_profiles_partition%'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(constraints, 14);
}

#[tokio::test]
async fn ten_thousand_partitions_are_written_and_read_back_in_order() {
    let (store, _) = migrated_store().await;
    let mut profile = iceberg_profile("glue://lake.clicks", "2026-11-03T12:00:00.000Z");
    let partitioning = profile.source.iceberg.as_mut().unwrap().partitioning.as_mut().unwrap();
    partitioning.partitions = (0..profiler_crds::MAX_REPORTED_PARTITIONS)
        .map(|i| profiler_crds::PartitionCount {
            spec_id: 1,
            values: [
                ("ts_day".to_owned(), Some(format!("2020-01-01+{i}"))),
                ("id_bucket".to_owned(), (i % 17 != 0).then(|| (i % 16).to_string())),
            ]
            .into_iter()
            .collect(),
            rows: i as u64 * 1_000,
            data_files: 1 + i as u64 % 3,
            delete_files: i as u64 % 2,
        })
        .collect();
    partitioning.partition_count = 123_456;
    partitioning.partitions_truncated = true;
    let job = job("team-a", "clicks");
    let run = store_profile(&store, &job, &profile).await;
    store.write_profile(run, &profile).await.expect("rewritten in place");
    let count: i64 =
        sqlx::query_scalar("select count(*) from profiler.partition_counts").fetch_one(store.pool()).await.unwrap();
    assert_eq!(count, 10_000);
    assert_eq!(store.latest_profile("team-a", "glue://lake.clicks").await.unwrap().unwrap().profile, profile);

    // A failing rewrite (a field id twice, after the partitions were inserted) leaves them as they were.
    let mut bad = profile.clone();
    bad.columns[1].field_id = bad.columns[0].field_id;
    bad.source.iceberg.as_mut().unwrap().partitioning.as_mut().unwrap().partitions.truncate(3);
    let err = store.write_profile(run, &bad).await.unwrap_err();
    assert!(err.to_string().contains("column_profiles_by_field_id"), "{err}");
    assert_eq!(store.latest_profile("team-a", "glue://lake.clicks").await.unwrap().unwrap().profile, profile);
}

#[tokio::test]
async fn a_columns_history_by_field_id_follows_renames() {
    let (store, _) = migrated_store().await;
    let days = ["2026-11-01T06:00:00.000Z", "2026-11-02T06:00:00.000Z", "2026-11-03T06:00:00.000Z"];
    for (i, day) in days.iter().enumerate() {
        let mut profile = iceberg_profile("glue://lake.orders", day);
        if i == 2 {
            let amount = profile.columns.iter_mut().find(|c| c.name == "amount").unwrap();
            amount.name = "amount_eur".into();
            profile.alerts = profiler_engine::alerts(&profile);
        }
        store_profile(&store, &job("team-a", &format!("orders-{i}")), &profile).await;
    }
    let field_id = iceberg_profile("glue://lake.orders", days[0]).columns[1].field_id.unwrap();
    let history = store.column_history_by_field_id("team-a", "glue://lake.orders", field_id, 10).await.unwrap();
    let names: Vec<&str> = history.iter().map(|h| h.column.name.as_str()).collect();
    assert_eq!(names, ["amount_eur", "amount", "amount"], "newest first, under each run's name");
    assert!(history.iter().all(|h| h.column.field_id == Some(field_id)));
    assert_eq!(store.column_history("team-a", "glue://lake.orders", "amount", 10).await.unwrap().len(), 2);
    assert_eq!(store.column_history_by_field_id("team-a", "glue://lake.orders", field_id, 1).await.unwrap().len(), 1);
    assert!(store.column_history_by_field_id("team-b", "glue://lake.orders", field_id, 10).await.unwrap().is_empty());
    assert!(store.column_history_by_field_id("team-a", "glue://lake.orders", 9999, 10).await.unwrap().is_empty());
    let decimal = store.column_history_by_field_id("team-a", "glue://lake.orders", 101, 10).await.unwrap();
    assert_eq!(decimal[0].column, extreme_decimal_columns()[0]);

    // The index serves "this column of that run" (as the planner would use it on a large table).
    let mut tx = store.pool().begin().await.unwrap();
    sqlx::query("set local enable_seqscan = off").execute(&mut *tx).await.unwrap();
    let plan: Vec<String> = sqlx::query_scalar(
        "explain select * from profiler.column_profiles c
         join profiler.table_profiles t on c.run_id = t.run_id
         where t.namespace = 'team-a' and t.table_ref = 'glue://lake.orders' and c.field_id = 2",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    assert!(plan.iter().any(|line| line.contains("column_profiles_by_field_id")), "{plan:#?}");
}

#[tokio::test]
async fn iceberg_figures_and_decimals_the_store_cannot_keep_exactly_are_refused_by_name() {
    let (store, _) = migrated_store().await;
    let job = job("team-a", "orders");
    let good = iceberg_profile("glue://lake.orders", "2026-11-03T12:00:00.000Z");
    let run = store_profile(&store, &job, &good).await;
    let before = row_counts(&store).await;

    let balance = good.columns.iter().position(|c| c.name == "balance").unwrap();
    for (text, why) in [("10.5", "one digit short of scale 2"), ("+1.00", "a plus sign"), ("1e3", "an exponent")] {
        let mut bad = good.clone();
        bad.columns[balance].numeric.as_mut().unwrap().decimal.as_mut().unwrap().max = Some(text.into());
        let err = store.write_profile(run, &bad).await.unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidValue { ref field, .. } if field == &format!("columns[{balance}].numeric.decimal.max")),
            "{why}: {err}"
        );
        assert!(err.to_string().contains(text), "{err}");
    }

    // Iceberg read info on a Parquet source, a negative schema id, a metadata-mode read that applied
    // delete files: the schema refuses them.
    let mut parquet = good.clone();
    parquet.source.kind = profiler_crds::SourceKind::Parquet;
    let mut negative = good.clone();
    negative.source.iceberg.as_mut().unwrap().schema_id = -1;
    let mut metadata = metadata_profile("glue://lake.orders");
    metadata.source.iceberg.as_mut().unwrap().delete_files = 1;
    for (bad, constraint) in [
        (parquet, "table_profiles_iceberg_source"),
        (negative, "table_profiles_iceberg_values"),
        (metadata, "table_profiles_iceberg_metadata_deletes"),
    ] {
        let err = store.write_profile(run, &bad).await.unwrap_err();
        assert!(matches!(err, StoreError::Query { .. }), "{err}");
        assert!(err.to_string().contains(constraint), "{constraint}: {err}");
    }
    let mut huge = good.clone();
    huge.source.iceberg.as_mut().unwrap().partitioning.as_mut().unwrap().partitions[0].rows = u64::MAX;
    let err = store.write_profile(run, &huge).await.unwrap_err();
    assert!(err.to_string().contains("partitions[0].rows"), "{err}");

    // A decimal figure of another scale than the column's, written past the store's own checks.
    let err = sqlx::query("update profiler.column_profiles set decimal_sum = 1.5 where name = 'balance'")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("column_profiles_decimal_scale"), "{err}");
    let err = sqlx::query("update profiler.partition_counts set partition_values = '{\"a\": [1]}'")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("partition_values"), "{err}");
    assert_eq!(row_counts(&store).await, before, "nothing changed");
    assert_eq!(store.latest_profile("team-a", "glue://lake.orders").await.unwrap().unwrap().profile, good);
}

/// The migration that added field ids, exact decimals and the Iceberg layout.
const ICEBERG_LAYOUT: i64 = 20261202120000;
/// The migration that added drift comparisons.
const PROFILE_COMPARISONS: i64 = 20261202130000;
/// The migration that added alerts.
const PROFILE_ALERTS: i64 = 20261202140000;
/// The migration that added verified rules.
const RULE_CHECKS: i64 = 20261202150000;
/// The migration that added exact histograms.
const EXACT_HISTOGRAMS: i64 = 20261203120000;

#[tokio::test]
async fn upgrading_a_store_that_holds_profiles_keeps_them() {
    let (store, config) = migrated_store().await;
    // What the previous release wrote: no field ids, no exact decimals, no Iceberg read info, no
    // alerts.
    let mut old = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    old.alerts.clear();
    for column in &mut old.columns {
        column.field_id = None;
        if let Some(numeric) = column.numeric.as_mut() {
            numeric.decimal = None;
        }
    }
    store_profile(&store, &job("team-a", "orders"), &old).await;
    // Back to the schema before the Iceberg layout and decimals (and the comparisons after them),
    // with the profile in it.
    let rewound: Vec<i64> = MIGRATOR.iter().map(|m| m.version).filter(|v| *v >= ICEBERG_LAYOUT).collect();
    assert_eq!(rewound, [ICEBERG_LAYOUT, PROFILE_COMPARISONS, PROFILE_ALERTS, RULE_CHECKS, EXACT_HISTOGRAMS]);
    sqlx::raw_sql(
        "drop table profiler.rule_results;
         drop table profiler.rule_checks;
         drop table profiler.profile_alerts;
         drop table profiler.comparison_findings;
         drop table profiler.profile_comparisons;
         drop table profiler.partition_counts;
         alter table profiler.column_profiles drop column field_id, drop column decimal_precision,
           drop column decimal_scale, drop column decimal_min, drop column decimal_max, drop column decimal_sum,
           drop column decimal_sum_exceeds_38_digits, drop column histogram_exact;
         alter table profiler.table_profiles drop column iceberg_schema_id, drop column iceberg_delete_files,
           drop column partition_default_spec_id, drop column partition_specs, drop column partition_count,
           drop column partitions_truncated;",
    )
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("delete from _sqlx_migrations where version >= $1")
        .bind(ICEBERG_LAYOUT)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(matches!(Store::open(&config).await.unwrap_err(), StoreError::SchemaBehind { .. }));

    assert_eq!(store.migrate().await.unwrap(), rewound);
    let upgraded = Store::open(&config).await.expect("up to date");
    assert_eq!(upgraded.latest_profile("team-a", "db.orders").await.unwrap().unwrap().profile, old);
    let mut new = iceberg_profile("db.orders", "2026-11-04T12:00:00.000Z");
    // This release's exact histograms are kept as such.
    let exact = new.columns.iter_mut().find_map(|c| c.numeric.as_mut()?.distribution.as_mut()).unwrap();
    exact.histogram_exact = true;
    store_profile(&upgraded, &job("team-a", "orders-2"), &new).await;
    assert_eq!(upgraded.latest_profile("team-a", "db.orders").await.unwrap().unwrap().profile, new);
    assert_eq!(upgraded.column_history("team-a", "db.orders", "amount", 10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn adding_comparisons_to_a_store_that_holds_iceberg_profiles_keeps_them() {
    let (store, config) = migrated_store().await;
    let job = job("team-a", "events");
    let first = iceberg_profile("glue://lake.events", "2026-11-03T12:00:00.000Z");
    let run_a = store_succeeded_run(&store, &job, 1, &first).await;
    // Back to the schema before comparisons, with the profile in it.
    sqlx::raw_sql("drop table profiler.comparison_findings; drop table profiler.profile_comparisons;")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("delete from _sqlx_migrations where version = $1")
        .bind(PROFILE_COMPARISONS)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(matches!(Store::open(&config).await.unwrap_err(), StoreError::SchemaBehind { .. }));

    assert_eq!(store.migrate().await.unwrap(), [PROFILE_COMPARISONS]);
    let upgraded = Store::open(&config).await.expect("up to date");
    assert_eq!(upgraded.latest_profile("team-a", "glue://lake.events").await.unwrap().unwrap().profile, first);
    let second = iceberg_profile("glue://lake.events", "2026-11-04T12:00:00.000Z");
    let run_b = store_succeeded_run(&upgraded, &job, 2, &second).await;
    let baseline = upgraded
        .previous_profile("team-a", "glue://lake.events", Utc.with_ymd_and_hms(2026, 11, 4, 12, 0, 0).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((baseline.run(), &baseline.profile), (run_a, &first));
    let comparison = comparison_with(&first, &second, all_kinds_of_findings());
    upgraded.record_comparison(run_b, &comparison, Some(run_a), Utc::now()).await.unwrap();
    assert_eq!(upgraded.comparison(run_b).await.unwrap(), Some(comparison));
}
