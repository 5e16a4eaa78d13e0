//! Verified rules in the profile store on a real Postgres: the whole check.json round trips, one
//! row per rule, the latest checks of a table, idempotent rewrites, what deleting a run does,
//! what the store and the schema refuse, and row-level security by namespace.

mod support;

use chrono::{DateTime, TimeZone, Utc};
use profiler_crds::quality::{CHECK_FORMAT_VERSION, CheckReport, CheckSummary, RuleOutcome, RuleResult, RuleType};
use profiler_crds::{SourceInfo, SourceKind};
use profiler_store::{CheckRecord, RunKey, Store, StoreError};
use support::*;

fn time(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap()
}

fn result(name: &str, rule_type: RuleType, outcome: RuleOutcome) -> RuleResult {
    RuleResult {
        name: name.into(),
        rule_type,
        column: (rule_type != RuleType::RowCount).then(|| "amount".to_owned()),
        outcome,
        expected: "within 0..=100".into(),
        observed: "min -3, max 120".into(),
        observed_value: (outcome != RuleOutcome::Error).then_some(0.973_125),
        failing_rows: (outcome == RuleOutcome::Failed).then_some(27),
        error: (outcome == RuleOutcome::Error).then(|| "the table has no column \"amount\"".to_owned()),
    }
}

fn report(table: &str, results: Vec<RuleResult>) -> CheckReport {
    CheckReport {
        format_version: CHECK_FORMAT_VERSION,
        profiler_version: "0.1.0".into(),
        source: SourceInfo {
            kind: SourceKind::Iceberg,
            location: table.into(),
            files: 3,
            snapshot_id: Some(42),
            iceberg: None,
        },
        row_count: 1000,
        started_at: "2026-11-03T10:00:00.000Z".into(),
        duration_ms: 1234,
        summary: CheckSummary::of(&results),
        results,
    }
}

fn mixed() -> Vec<RuleResult> {
    vec![
        result("rows", RuleType::RowCount, RuleOutcome::Passed),
        result("amount-range", RuleType::Range, RuleOutcome::Failed),
        result("amount-complete", RuleType::Completeness, RuleOutcome::Passed),
        result("amount-email", RuleType::ContentType, RuleOutcome::Error),
    ]
}

/// A job of `namespace` with a started run (attempt `attempt`); no profile needed.
async fn run_of(store: &Store, namespace: &str, attempt: u32) -> RunKey {
    let job = job(namespace, "orders");
    store.record_job(&job).await.unwrap();
    let run = RunKey { job_uid: job.uid, attempt };
    store.start_run(run, None, time(10)).await.unwrap();
    run
}

#[derive(sqlx::FromRow, Debug, PartialEq)]
struct ResultSql {
    position: i32,
    name: String,
    rule_type: String,
    column_name: Option<String>,
    outcome: String,
    observed_value: Option<f64>,
    failing_rows: Option<i64>,
    error: Option<String>,
}

#[tokio::test]
async fn a_check_reads_back_equal_with_its_summary_and_one_row_per_rule() {
    let (store, _) = migrated_store().await;
    let run = run_of(&store, "team-a", 1).await;
    let check = report("lake.orders", mixed());
    store.record_check(run, &check, time(11)).await.unwrap();

    assert_eq!(store.check(run).await.unwrap(), Some(check.clone()), "the whole document");
    let latest = store.latest_checks("team-a", "lake.orders", 10).await.unwrap();
    let expected = CheckRecord {
        run,
        table_ref: "lake.orders".into(),
        checked_at: time(11),
        summary: check.summary.clone(),
        report: check.clone(),
    };
    assert_eq!(latest, vec![expected]);

    let rows: Vec<ResultSql> = sqlx::query_as(
        "select position, name, rule_type, column_name, outcome, observed_value, failing_rows, error
         from profiler.rule_results order by position",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[1],
        ResultSql {
            position: 1,
            name: "amount-range".into(),
            rule_type: "range".into(),
            column_name: Some("amount".into()),
            outcome: "failed".into(),
            observed_value: Some(0.973_125),
            failing_rows: Some(27),
            error: None,
        }
    );
    assert_eq!((rows[0].rule_type.as_str(), rows[0].column_name.as_deref()), ("rowCount", None));
    assert_eq!((rows[3].outcome.as_str(), rows[3].error.is_some()), ("error", true));

    let (counts, all_passed, failing): ((i32, i32, i32, i32), bool, Vec<String>) = {
        let row: (i32, i32, i32, i32, bool, Vec<String>) = sqlx::query_as(
            "select rule_count, passed_count, failed_count, error_count, all_passed, failing from profiler.rule_checks",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        ((row.0, row.1, row.2, row.3), row.4, row.5)
    };
    assert_eq!(counts, (4, 2, 1, 1));
    assert!(!all_passed);
    assert_eq!(failing, ["amount-range", "amount-email"]);
}

#[tokio::test]
async fn a_check_is_replaced_not_duplicated_and_goes_with_its_run() {
    let (store, _) = migrated_store().await;
    let run = run_of(&store, "team-a", 1).await;
    store.record_check(run, &report("lake.orders", mixed()), time(11)).await.unwrap();
    let passing = report("lake.orders", vec![result("rows", RuleType::RowCount, RuleOutcome::Passed)]);
    store.record_check(run, &passing, time(12)).await.unwrap();
    assert_eq!(store.check(run).await.unwrap(), Some(passing));
    let count = |table: &'static str| {
        let store = &store;
        async move {
            sqlx::query_scalar::<_, i64>(&format!("select count(*) from profiler.{table}"))
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!((count("rule_checks").await, count("rule_results").await), (1, 1));

    // The newest first, per table.
    let later = run_of(&store, "team-a", 2).await;
    store.record_check(later, &report("lake.orders", mixed()), time(13)).await.unwrap();
    let latest = store.latest_checks("team-a", "lake.orders", 10).await.unwrap();
    assert_eq!(latest.iter().map(|c| c.run).collect::<Vec<_>>(), vec![later, run]);
    assert_eq!(store.latest_checks("team-a", "lake.orders", 1).await.unwrap().len(), 1);
    assert!(store.latest_checks("team-b", "lake.orders", 10).await.unwrap().is_empty());

    sqlx::query("delete from profiler.profile_runs where job_uid = $1 and attempt = 1")
        .bind(run.job_uid)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(store.check(run).await.unwrap(), None);
    assert_eq!((count("rule_checks").await, count("rule_results").await), (1, 4));
}

#[tokio::test]
async fn what_the_store_refuses() {
    let (store, _) = migrated_store().await;
    let run = run_of(&store, "team-a", 1).await;
    let missing = RunKey { job_uid: uuid::Uuid::new_v4(), attempt: 1 };
    let err = store.record_check(missing, &report("t", mixed()), time(11)).await.unwrap_err();
    assert!(matches!(err, StoreError::RunNotFound(_)), "{err}");

    let mut lying = report("t", mixed());
    lying.summary.failed = 0;
    let err = store.record_check(run, &lying, time(11)).await.unwrap_err();
    assert!(matches!(&err, StoreError::InvalidCheck { field, .. } if field == "summary"), "{err}");

    let mut names = report("t", mixed());
    names.summary.failing = vec!["rows".into()];
    let err = store.record_check(run, &names, time(11)).await.unwrap_err();
    assert!(matches!(&err, StoreError::InvalidCheck { field, .. } if field == "summary.failing"), "{err}");

    let mut twice = mixed();
    twice[2].name = "rows".into();
    let err = store.record_check(run, &report("t", twice), time(11)).await.unwrap_err();
    assert!(matches!(&err, StoreError::InvalidCheck { field, .. } if field == "results[2].name"), "{err}");

    let mut nan = mixed();
    nan[0].observed_value = Some(f64::NAN);
    let err = store.record_check(run, &report("t", nan), time(11)).await.unwrap_err();
    assert!(matches!(&err, StoreError::InvalidCheck { field, .. } if field == "results[0].observedValue"), "{err}");
    assert_eq!(store.check(run).await.unwrap(), None, "nothing was written");

    // The schema refuses columns that disagree with the document.
    store.record_check(run, &report("t", mixed()), time(11)).await.unwrap();
    let refused = sqlx::query("update profiler.rule_checks set passed_count = 3, rule_count = 5")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("rule_checks_document_agrees"), "{refused}");
    let refused = sqlx::query("update profiler.rule_results set error = 'x' where outcome = 'passed'")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("rule_results_error"), "{refused}");
}

#[tokio::test]
async fn tenants_read_the_checks_of_their_namespaces_only() {
    let (store, _) = migrated_store().await;
    for namespace in ["team-a", "team-b"] {
        let run = run_of(&store, namespace, 1).await;
        store.record_check(run, &report("lake.orders", mixed()), time(11)).await.unwrap();
    }
    for table in ["rule_checks", "rule_results"] {
        let mut tx = store.pool().begin().await.unwrap();
        sqlx::query("set local role authenticated").execute(&mut *tx).await.unwrap();
        let claims =
            serde_json::json!({"role": "authenticated", "sub": "u-1", "app_metadata": {"namespaces": ["team-a"]}});
        sqlx::query("select set_config('request.jwt.claims', $1, true)")
            .bind(claims.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        let seen: Vec<String> = sqlx::query_scalar(&format!("select distinct namespace from profiler.{table}"))
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        assert_eq!(seen, ["team-a"], "{table}");
        let write = sqlx::query(&format!("delete from profiler.{table}")).execute(&mut *tx).await;
        assert!(write.is_err(), "authenticated users cannot write {table}");
        tx.rollback().await.unwrap();
    }
    let mut tx = store.pool().begin().await.unwrap();
    sqlx::query("set local role anon").execute(&mut *tx).await.unwrap();
    assert!(sqlx::query("select * from profiler.rule_checks").fetch_all(&mut *tx).await.is_err(), "anon reads nothing");
}

#[tokio::test]
async fn adding_rule_checks_to_a_store_that_holds_profiles_keeps_them() {
    const RULE_CHECKS: i64 = 20261202150000;
    let (store, config) = migrated_store().await;
    let orders = job("team-a", "orders");
    let first = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    store_profile(&store, &orders, &first).await;
    // Back to the schema before rule checks, with the profile in it.
    sqlx::raw_sql("drop table profiler.rule_results; drop table profiler.rule_checks;")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("delete from _sqlx_migrations where version = $1")
        .bind(RULE_CHECKS)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(matches!(Store::open(&config).await.unwrap_err(), StoreError::SchemaBehind { .. }));

    assert_eq!(store.migrate().await.unwrap(), [RULE_CHECKS]);
    let upgraded = Store::open(&config).await.expect("up to date");
    assert_eq!(upgraded.latest_profile("team-a", "db.orders").await.unwrap().unwrap().profile, first);
    let run = RunKey { job_uid: orders.uid, attempt: 1 };
    upgraded.record_check(run, &report("db.orders", mixed()), time(13)).await.unwrap();
    assert_eq!(upgraded.latest_checks("team-a", "db.orders", 5).await.unwrap().len(), 1);
}
