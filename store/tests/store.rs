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
    for index in ["table_profiles_by_table", "profile_jobs_by_namespace_phase", "profile_runs_by_namespace_started"] {
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
    let profile = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    let run = store_profile(&store, &job, &profile).await;
    let once = row_counts(&store).await;
    assert!(once.iter().all(|(_, n)| *n > 0), "every table has rows: {once:?}");

    // A retried controller and worker do everything again.
    store.record_job(&job).await.unwrap();
    store.start_run(run, Some("arn:aws:states:us-east-1:123456789012:execution:sm:exec-1"), Utc::now()).await.unwrap();
    store.write_profile(run, &profile).await.unwrap();
    store.write_profile(run, &profile).await.unwrap();
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
