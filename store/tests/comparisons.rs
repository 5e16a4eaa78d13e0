//! Drift comparisons in the profile store on a real Postgres: round trips of the whole document,
//! the latest comparisons of a table, idempotent rewrites, what deleting runs does, the previous
//! profile of a table, and what the store and the schema refuse.

mod support;

use chrono::{DateTime, TimeZone, Utc};
use profiler_crds::{
    DriftSummary, Figure, FindingKind, MAX_DRIFTED_COLUMNS, ProfileComparison, Severity, SeverityCounts, TableProfile,
};
use profiler_store::{ComparisonRecord, FailureKind, RunKey, RunOutcome, RunStatus, Store, StoreError};
use support::*;

/// `engine_profile` of `table` taken at `at`.
fn profile_at(table: &str, at: &str) -> TableProfile {
    engine_profile(table, at)
}

fn time(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap()
}

/// Two succeeded runs of one job in team-a (attempts 1 and 2) profiling `db.orders` at 10:00 and
/// 11:00; returns them with their profiles.
async fn two_runs(store: &Store) -> ((RunKey, TableProfile), (RunKey, TableProfile)) {
    let job = job("team-a", "orders");
    let a = profile_at("db.orders", "2026-11-03T10:00:00.000Z");
    let b = profile_at("db.orders", "2026-11-03T11:00:00.000Z");
    let run_a = store_succeeded_run(store, &job, 1, &a).await;
    let run_b = store_succeeded_run(store, &job, 2, &b).await;
    ((run_a, a), (run_b, b))
}

#[tokio::test]
async fn a_comparison_reads_back_equal_with_its_summary_and_one_row_per_finding() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    let comparison = comparison_with(&a, &b, all_kinds_of_findings());
    assert!(comparison.summary.drift);
    assert_eq!(comparison.summary.findings, SeverityCounts { info: 3, warning: 2, critical: 3 });
    store.record_comparison(run_b, &comparison, Some(run_a), time(12)).await.unwrap();

    assert_eq!(store.comparison(run_b).await.unwrap(), Some(comparison.clone()), "the whole document");
    assert_eq!(store.comparison(run_a).await.unwrap(), None, "the baseline has no comparison of its own");
    let latest = store.latest_comparisons("team-a", "db.orders", 10).await.unwrap();
    let expected = ComparisonRecord {
        run: run_b,
        baseline_run: Some(run_a),
        table_ref: "db.orders".into(),
        baseline_location: "db.orders".into(),
        baseline_started_at: time(10),
        compared_at: time(12),
        summary: comparison.summary.clone(),
        comparison: comparison.clone(),
    };
    assert_eq!(latest, vec![expected]);

    // The findings as SQL sees them, in the document's order.
    let rows: Vec<FindingSql> = sqlx::query_as(
        "select position, kind, severity, column_name, field_id, previous_name, statistic, threshold, message,
                a, b, detail
         from profiler.comparison_findings order by position",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), comparison.findings.len());
    for (row, finding) in rows.iter().zip(&comparison.findings) {
        assert_eq!(row.kind, finding.kind.as_str());
        assert_eq!(row.severity, finding.severity.as_str());
        assert_eq!(row.column_name, finding.column.as_ref().map(|c| c.name.clone()));
        assert_eq!(row.field_id, finding.column.as_ref().and_then(|c| c.field_id));
        assert_eq!(row.previous_name, finding.column.as_ref().and_then(|c| c.previous_name.clone()));
        assert_eq!(row.statistic, finding.statistic, "exact f64");
        assert_eq!(row.threshold, finding.threshold);
        assert_eq!(row.message, finding.message);
        assert_eq!(row.detail, finding.detail);
        let figure = |f: &Option<Figure>| f.as_ref().map(|f| serde_json::to_value(f).unwrap());
        assert_eq!(row.a, figure(&finding.a));
        assert_eq!(row.b, figure(&finding.b));
    }
    assert_eq!(rows[0].column_name, None, "the row count is a table-level finding");
    assert_eq!(rows[5].previous_name.as_deref(), Some("email"));
    assert_eq!(rows[1].a, Some(serde_json::json!("Int64")));

    // The summary columns, for dashboards.
    let (drift, highest, columns, count): (bool, Option<String>, Vec<String>, i64) = sqlx::query_as(
        "select drift, highest_severity, drifted_columns, drifted_column_count from profiler.profile_comparisons",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(drift);
    assert_eq!(highest.as_deref(), Some("critical"));
    assert_eq!(columns, ["legacy", "amount", "price"]);
    assert_eq!(count, 3);
}

#[derive(sqlx::FromRow, Debug)]
struct FindingSql {
    #[allow(dead_code)]
    position: i32,
    kind: String,
    severity: String,
    column_name: Option<String>,
    field_id: Option<i32>,
    previous_name: Option<String>,
    statistic: Option<f64>,
    threshold: Option<f64>,
    message: String,
    a: Option<serde_json::Value>,
    b: Option<serde_json::Value>,
    detail: Option<String>,
}

#[tokio::test]
async fn comparisons_without_findings_with_only_info_and_without_a_stored_baseline_read_back_equal() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    let quiet = comparison_with(&a, &b, Vec::new());
    assert_eq!(quiet.summary, DriftSummary::default());
    store.record_comparison(run_b, &quiet, Some(run_a), time(12)).await.unwrap();
    assert_eq!(store.comparison(run_b).await.unwrap(), Some(quiet));
    let record = &store.latest_comparisons("team-a", "db.orders", 1).await.unwrap()[0];
    assert_eq!(record.summary.highest_severity, None);
    assert!(!record.summary.drift);

    // Info only: no drift; and a baseline from a profile.json that is not in the store.
    let info_only: Vec<_> = all_kinds_of_findings().into_iter().filter(|f| f.severity == Severity::Info).collect();
    let mut elsewhere = a.clone();
    elsewhere.source.location = "s3://bucket/old/orders.parquet".into();
    elsewhere.source.snapshot_id = Some(-7);
    elsewhere.row_count = u64::from(u32::MAX) * 4;
    let info = comparison_with(&elsewhere, &b, info_only);
    store.record_comparison(run_b, &info, None, time(13)).await.unwrap();
    let record = &store.latest_comparisons("team-a", "db.orders", 5).await.unwrap()[0];
    assert_eq!(record.comparison, info);
    assert_eq!(record.baseline_run, None);
    assert_eq!(record.baseline_location, "s3://bucket/old/orders.parquet");
    assert_eq!(record.summary.highest_severity, Some(Severity::Info));
    assert!(!record.summary.drift && record.summary.drifted_columns.is_empty());
}

#[tokio::test]
async fn numbers_at_the_edges_of_f64_and_u64_survive_jsonb() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    let mut comparison = comparison_with(&a, &b, all_kinds_of_findings());
    let edges = [
        0.1,
        1.0 / 3.0,
        -0.0,
        5e-324,
        2.2250738585072014e-308,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        1e15,
        1e21,
        123456789.12345679,
        9007199254740993.0,
    ];
    for (i, x) in edges.iter().enumerate() {
        let mut f = finding(FindingKind::Psi, Severity::Info, Some(column_ref("amount", Some(2), None)), "edge");
        f.statistic = Some(*x);
        f.a = Some(Figure::Number(-x));
        f.detail = Some(format!("edge {i}"));
        comparison.findings.push(f);
    }
    comparison.summary = DriftSummary::of(&comparison.findings, MAX_DRIFTED_COLUMNS);
    comparison.a.sampling = profiler_crds::Sampling::Reservoir { size: u64::MAX, seed: u64::MAX };
    comparison.b.sampling = profiler_crds::Sampling::Bernoulli { fraction: 0.1 + 0.2, seed: 0 };
    comparison.thresholds.psi_warning = 0.1 + 0.2;
    store.record_comparison(run_b, &comparison, Some(run_a), time(12)).await.unwrap();
    let back = store.comparison(run_b).await.unwrap().unwrap();
    assert_eq!(back, comparison);
    for (f, x) in back.findings.iter().rev().zip(edges.iter().rev()) {
        if *x != 0.0 {
            assert_eq!(f.statistic.map(f64::to_bits), Some(x.to_bits()), "{x:e} exactly");
        }
    }
}

#[tokio::test]
async fn the_latest_comparisons_of_a_table_come_newest_first_up_to_the_limit() {
    let (store, _) = migrated_store().await;
    let job_a = job("team-a", "orders");
    let mut runs = Vec::new();
    for hour in 1..=4 {
        let profile = profile_at("db.orders", &format!("2026-11-03T{hour:02}:00:00.000Z"));
        runs.push((store_succeeded_run(&store, &job_a, hour, &profile).await, profile));
    }
    // Runs 2, 3 and 4 compared with their predecessor, recorded out of order.
    for i in [2, 1, 3] {
        let (base, a) = &runs[i - 1];
        let (run, b) = &runs[i];
        let findings = all_kinds_of_findings().into_iter().take(i).collect();
        store
            .record_comparison(*run, &comparison_with(a, b, findings), Some(*base), time(10 + i as u32))
            .await
            .unwrap();
    }
    // Another table of team-a and the same table of team-b are not listed.
    let other = profile_at("db.customers", "2026-11-03T05:00:00.000Z");
    let other_job = job("team-a", "customers");
    let o1 = store_succeeded_run(&store, &other_job, 1, &other).await;
    let mut later = other.clone();
    later.started_at = "2026-11-03T06:00:00.000Z".into();
    let o2 = store_succeeded_run(&store, &other_job, 2, &later).await;
    store.record_comparison(o2, &comparison_with(&other, &later, Vec::new()), Some(o1), time(20)).await.unwrap();
    let job_b = job("team-b", "orders");
    let b1 = store_succeeded_run(&store, &job_b, 1, &runs[0].1).await;
    let b2 = store_succeeded_run(&store, &job_b, 2, &runs[1].1).await;
    store
        .record_comparison(b2, &comparison_with(&runs[0].1, &runs[1].1, Vec::new()), Some(b1), time(21))
        .await
        .unwrap();

    let latest = store.latest_comparisons("team-a", "db.orders", 10).await.unwrap();
    let order: Vec<(RunKey, Option<RunKey>, usize)> =
        latest.iter().map(|r| (r.run, r.baseline_run, r.comparison.findings.len())).collect();
    assert_eq!(
        order,
        [(runs[3].0, Some(runs[2].0), 3), (runs[2].0, Some(runs[1].0), 2), (runs[1].0, Some(runs[0].0), 1)]
    );
    let two = store.latest_comparisons("team-a", "db.orders", 2).await.unwrap();
    assert_eq!(two, latest[..2]);
    assert!(store.latest_comparisons("team-a", "db.nothing", 10).await.unwrap().is_empty());
    assert!(store.latest_comparisons("team-c", "db.orders", 10).await.unwrap().is_empty());
    assert_eq!(store.latest_comparisons("team-b", "db.orders", 10).await.unwrap()[0].run, b2);
}

#[tokio::test]
async fn recording_a_runs_comparison_again_replaces_it() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    let first = comparison_with(&a, &b, all_kinds_of_findings());
    store.record_comparison(run_b, &first, Some(run_a), time(12)).await.unwrap();
    let once = row_counts(&store).await;
    store.record_comparison(run_b, &first, Some(run_a), time(12)).await.unwrap();
    assert_eq!(row_counts(&store).await, once, "the same call twice leaves one copy");

    let second = comparison_with(&a, &b, all_kinds_of_findings().into_iter().skip(5).collect());
    store.record_comparison(run_b, &second, None, time(13)).await.unwrap();
    let latest = store.latest_comparisons("team-a", "db.orders", 10).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!((latest[0].compared_at, latest[0].baseline_run), (time(13), None));
    assert_eq!(latest[0].comparison, second);
    let findings: i64 =
        sqlx::query_scalar("select count(*) from profiler.comparison_findings").fetch_one(store.pool()).await.unwrap();
    assert_eq!(findings, 3, "the earlier findings are gone");

    store.record_comparison(run_b, &first, Some(run_a), time(12)).await.unwrap();
    assert_eq!(row_counts(&store).await, once);
}

#[tokio::test]
async fn deleting_runs_removes_their_comparisons_and_unlinks_them_as_baselines() {
    let (store, _) = migrated_store().await;
    let base_job = job("team-a", "orders-base");
    let a = profile_at("db.orders", "2026-11-03T10:00:00.000Z");
    let b = profile_at("db.orders", "2026-11-03T11:00:00.000Z");
    let c = profile_at("db.orders", "2026-11-03T12:00:00.000Z");
    let run_a = store_succeeded_run(&store, &base_job, 1, &a).await;
    let later_job = job("team-a", "orders");
    let run_b = store_succeeded_run(&store, &later_job, 1, &b).await;
    let run_c = store_succeeded_run(&store, &later_job, 2, &c).await;
    let ab = comparison_with(&a, &b, all_kinds_of_findings());
    store.record_comparison(run_b, &ab, Some(run_a), time(13)).await.unwrap();
    let bc = comparison_with(&b, &c, all_kinds_of_findings());
    store.record_comparison(run_c, &bc, Some(run_b), time(14)).await.unwrap();

    // The baseline's job goes: the comparison stays, without its link.
    sqlx::query("delete from profiler.profile_jobs where uid = $1")
        .bind(base_job.uid)
        .execute(store.pool())
        .await
        .unwrap();
    let latest = store.latest_comparisons("team-a", "db.orders", 10).await.unwrap();
    assert_eq!(
        latest.iter().map(|r| (r.run, r.baseline_run)).collect::<Vec<_>>(),
        [(run_c, Some(run_b)), (run_b, None)]
    );
    assert_eq!(latest[1].comparison, ab, "the document still describes the baseline");

    // Rewriting a run's profile drops the comparison made of the old one.
    store.write_profile(run_c, &c).await.unwrap();
    assert_eq!(store.comparison(run_c).await.unwrap(), None);
    store.record_comparison(run_c, &bc, Some(run_b), time(14)).await.unwrap();

    // Deleting a run removes its comparison and findings.
    sqlx::query("delete from profiler.profile_runs where job_uid = $1 and attempt = 1")
        .bind(later_job.uid)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(store.comparison(run_b).await.unwrap(), None);
    let left: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "select (select count(*) from profiler.comparison_findings), baseline_run_id from profiler.profile_comparisons",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(left, [(bc.findings.len() as i64, None)], "only run c's comparison, its baseline gone");
    sqlx::query("delete from profiler.profile_jobs").execute(store.pool()).await.unwrap();
    assert!(row_counts(&store).await.iter().all(|(_, n)| *n == 0));
}

#[tokio::test]
async fn the_previous_profile_is_the_newest_succeeded_one_before_the_given_time() {
    let (store, _) = migrated_store().await;
    let job_a = job("team-a", "orders");
    let at = |hour: u32| profile_at("db.orders", &format!("2026-11-03T{hour:02}:00:00.000Z"));
    let first = store_succeeded_run(&store, &job_a, 1, &at(8)).await;
    let second = store_succeeded_run(&store, &job_a, 2, &at(9)).await;
    // A run with a profile that failed afterwards, and one still running: never baselines.
    let failed = store_succeeded_run(&store, &job_a, 3, &at(10)).await;
    let outcome = RunOutcome {
        status: RunStatus::Failed,
        finished_at: time(11),
        error: Some(("upload failed".into(), FailureKind::Transient)),
        profile_uri: None,
        report_uri: None,
    };
    store.finish_run(failed, &outcome).await.unwrap();
    let running = RunKey { job_uid: job_a.uid, attempt: 4 };
    store.start_run(running, None, time(11)).await.unwrap();
    store.write_profile(running, &at(11)).await.unwrap();
    // Another namespace and another table.
    store_succeeded_run(&store, &job("team-b", "orders"), 1, &at(10)).await;
    store_succeeded_run(&store, &job("team-a", "customers"), 1, &profile_at("db.customers", "2026-11-03T10:30:00Z"))
        .await;

    let previous = |before| store.previous_profile("team-a", "db.orders", before);
    let found = previous(time(12)).await.unwrap().unwrap();
    assert_eq!((found.run(), found.status), (second, RunStatus::Succeeded));
    assert_eq!(found.profile, at(9));
    assert_eq!(previous(time(9)).await.unwrap().unwrap().run(), first, "strictly before");
    assert_eq!(previous(time(9) + chrono::Duration::milliseconds(1)).await.unwrap().unwrap().run(), second);
    assert!(previous(time(8)).await.unwrap().is_none());
    assert!(store.previous_profile("team-c", "db.orders", time(12)).await.unwrap().is_none());
    assert_eq!(store.latest_profile("team-a", "db.orders").await.unwrap().unwrap().run(), running);
}

#[tokio::test]
async fn comparisons_the_store_cannot_keep_are_refused_by_name_and_change_nothing() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    let good = comparison_with(&a, &b, all_kinds_of_findings());
    store.record_comparison(run_b, &good, Some(run_a), time(12)).await.unwrap();
    let before = row_counts(&store).await;
    let record = |run, comparison: ProfileComparison, baseline| {
        let store = store.clone();
        async move { store.record_comparison(run, &comparison, baseline, time(13)).await.unwrap_err() }
    };
    let invalid_at = |err: &StoreError| match err {
        StoreError::InvalidComparison { field, .. } => field.clone(),
        other => panic!("not an invalid comparison: {other}"),
    };

    let unknown = RunKey { job_uid: uuid::Uuid::new_v4(), attempt: 1 };
    assert!(matches!(record(unknown, good.clone(), None).await, StoreError::RunNotFound(_)));
    let no_profile = RunKey { job_uid: run_a.job_uid, attempt: 3 };
    store.start_run(no_profile, None, time(14)).await.unwrap();
    let err = record(no_profile, good.clone(), None).await;
    assert!(matches!(err, StoreError::ProfileNotFound(_)), "{err}");
    assert!(err.to_string().contains("write its profile"), "{err}");
    let err = record(run_b, good.clone(), Some(no_profile)).await;
    assert!(matches!(err, StoreError::ProfileNotFound(ref r) if r.contains("attempt 3")), "{err}");
    assert_eq!(invalid_at(&record(run_b, good.clone(), Some(run_b)).await), "a");

    // A baseline of another namespace.
    let other = store_succeeded_run(&store, &job("team-b", "orders"), 1, &a).await;
    let err = record(run_b, good.clone(), Some(other)).await;
    assert!(err.to_string().contains("team-b"), "{err}");

    // Sides that are not the runs named.
    let mut wrong = good.clone();
    wrong.b.location = "db.other".into();
    assert_eq!(invalid_at(&record(run_b, wrong, Some(run_a)).await), "b.location");
    let mut wrong = good.clone();
    wrong.b.started_at = "2026-11-03T11:00:00.001Z".into();
    assert_eq!(invalid_at(&record(run_b, wrong, Some(run_a)).await), "b.startedAt");
    let mut wrong = good.clone();
    wrong.a.started_at = "yesterday".into();
    assert_eq!(invalid_at(&record(run_b, wrong, Some(run_a)).await), "a.startedAt");
    // The same instant written another way is the same profile.
    let mut same = good.clone();
    same.b.started_at = "2026-11-03T12:00:00+01:00".into();
    store.record_comparison(run_b, &same, Some(run_a), time(12)).await.unwrap();
    same.b.started_at = "2026-11-03T11:00:00.000000400Z".into();
    store.record_comparison(run_b, &same, Some(run_a), time(12)).await.unwrap();
    store.record_comparison(run_b, &good, Some(run_a), time(12)).await.unwrap();

    // Numbers JSON cannot hold, and a summary that miscounts.
    let mut nan = good.clone();
    nan.findings[3].statistic = Some(f64::NAN);
    assert_eq!(invalid_at(&record(run_b, nan, Some(run_a)).await), "findings[3]");
    let mut infinite = good.clone();
    infinite.columns[0].statistics.psi = Some(f64::INFINITY);
    assert_eq!(invalid_at(&record(run_b, infinite, Some(run_a)).await), "columns[0].statistics");
    let mut infinite = good.clone();
    infinite.thresholds.ks_critical = f64::NEG_INFINITY;
    assert_eq!(invalid_at(&record(run_b, infinite, Some(run_a)).await), "thresholds");
    let mut huge = good.clone();
    huge.a.row_count = u64::MAX;
    let err = record(run_b, huge, None).await;
    assert_eq!(invalid_at(&err), "a.rowCount");
    assert!(err.to_string().contains("exceeds 2^63"), "{err}");
    let mut miscounted = good.clone();
    miscounted.summary.findings.info += 1;
    let err = record(run_b, miscounted, Some(run_a)).await;
    assert_eq!(invalid_at(&err), "summary.findings");
    assert!(err.to_string().contains("4 info"), "{err}");
    // The schema refuses a summary that disagrees with itself.
    let mut no_drift = good.clone();
    no_drift.summary.drift = false;
    no_drift.summary.drifted_columns.clear();
    no_drift.summary.drifted_column_count = 0;
    let err = record(run_b, no_drift, Some(run_a)).await;
    assert!(err.to_string().contains("profile_comparisons_summary_drift"), "{err}");
    let mut lower = good.clone();
    lower.summary.highest_severity = Some(Severity::Warning);
    let err = record(run_b, lower, Some(run_a)).await;
    assert!(err.to_string().contains("profile_comparisons_summary_highest"), "{err}");

    assert_eq!(row_counts(&store).await[9..11], before[9..11], "comparisons and findings unchanged");
    assert_eq!(store.comparison(run_b).await.unwrap(), Some(good));
}

#[tokio::test]
async fn the_schema_refuses_inconsistent_comparison_rows() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    store
        .record_comparison(run_b, &comparison_with(&a, &b, all_kinds_of_findings()), Some(run_a), time(12))
        .await
        .unwrap();
    // Check constraints are tested in the order of their names, and the document_agrees one
    // comes early: statements that break a summary column change the document alike.
    let refusals = [
        (
            "set drift = false, drifted_columns = '{}', drifted_column_count = 0,
                 document = jsonb_set(jsonb_set(jsonb_set(document, '{summary,drift}', 'false'),
                   '{summary,driftedColumns}', '[]'), '{summary,driftedColumnCount}', '0')",
            "profile_comparisons_summary_drift",
        ),
        (
            "set highest_severity = 'warning', document = jsonb_set(document, '{summary,highestSeverity}', '\"warning\"')",
            "profile_comparisons_summary_highest",
        ),
        (
            "set highest_severity = 'fatal', document = jsonb_set(document, '{summary,highestSeverity}', '\"fatal\"')",
            "profile_comparisons_highest_severity_check",
        ),
        (
            "set highest_severity = null, document = document #- '{summary,highestSeverity}'",
            "profile_comparisons_summary_highest",
        ),
        (
            "set info_count = -1, critical_count = 7,
                 document = jsonb_set(jsonb_set(document, '{summary,findings,info}', '-1'),
                   '{summary,findings,critical}', '7')",
            "profile_comparisons_info_count_check",
        ),
        (
            "set drifted_column_count = 2, document = jsonb_set(document, '{summary,driftedColumnCount}', '2')",
            "profile_comparisons_summary_columns",
        ),
        (
            "set drifted_columns = array['a', null, 'b'],
                 document = jsonb_set(document, '{summary,driftedColumns}', '[\"a\", null, \"b\"]')",
            "profile_comparisons_summary_columns",
        ),
        (
            "set drifted_columns = '{{a},{b}}', document = jsonb_set(document, '{summary,driftedColumns}', '[[\"a\"], [\"b\"]]')",
            "profile_comparisons_summary_columns",
        ),
        ("set baseline_row_count = -5", "profile_comparisons_baseline_row_count_check"),
        ("set baseline_run_id = run_id", "profile_comparisons_baseline_other_run"),
        (
            "set format_version = 0, document = jsonb_set(document, '{formatVersion}', '0')",
            "profile_comparisons_format_version_check",
        ),
        (
            "set thresholds = '[]', document = jsonb_set(document, '{thresholds}', '[]')",
            "profile_comparisons_thresholds_check",
        ),
        ("set document = '[]'", "profile_comparisons_document_"),
        ("set document = document - 'summary'", "profile_comparisons_document_agrees"),
        ("set document = jsonb_set(document, '{findings}', '{}')", "profile_comparisons_document_agrees"),
        ("set thresholds = thresholds || '{\"ksWarning\": 0.5}'", "profile_comparisons_document_agrees"),
        ("set document = document - 'findings'", "profile_comparisons_document_agrees"),
        ("set document = jsonb_set(document, '{summary,findings,info}', '2')", "profile_comparisons_document_agrees"),
        ("set document = jsonb_set(document, '{b,location}', '\"db.x\"')", "profile_comparisons_document_agrees"),
        ("set document = jsonb_set(document, '{a,rowCount}', '1')", "profile_comparisons_document_agrees"),
        ("set baseline_snapshot_id = 5", "profile_comparisons_document_agrees"),
        (
            "set table_ref = '', document = jsonb_set(document, '{b,location}', '\"\"')",
            "profile_comparisons_table_ref_check",
        ),
        ("set baseline_run_id = 999999", "profile_comparisons_baseline"),
        ("set namespace = 'team-b'", "fkey"),
    ]
    .map(|(set, constraint)| (format!("update profiler.profile_comparisons {set}"), constraint))
    .into_iter()
    .chain(
        [
            ("set severity = 'fatal'", "comparison_findings_severity_check"),
            ("set kind = 'Not a kind'", "comparison_findings_kind_check"),
            ("set position = -1 where position = 0", "comparison_findings_position_check"),
            ("set column_name = null where field_id is not null", "comparison_findings_column"),
            ("set previous_name = column_name where previous_name is not null", "comparison_findings_renamed"),
            ("set column_name = '' where position = 1", "comparison_findings_column_name_check"),
            ("set statistic = 'NaN' where position = 0", "comparison_findings_statistic_check"),
            ("set threshold = '-Infinity' where position = 0", "comparison_findings_threshold_check"),
            ("set a = '{\"x\": 1}' where position = 0", "comparison_findings_a_check"),
            ("set b = '[1]' where position = 0", "comparison_findings_b_check"),
            ("set namespace = 'team-b'", "fkey"),
        ]
        .map(|(set, constraint)| (format!("update profiler.comparison_findings {set}"), constraint)),
    );
    let before = row_counts(&store).await;
    for (statement, constraint) in refusals {
        let err = sqlx::query(&statement).execute(store.pool()).await.expect_err(&statement);
        assert!(err.to_string().contains(constraint), "{statement}: {err}");
    }
    // A baseline must be a profile of the comparison's own namespace.
    let other = store_succeeded_run(&store, &job("team-b", "orders"), 1, &a).await;
    let other_id: i64 =
        sqlx::query_scalar("select id from profiler.profile_runs r where r.job_uid = $1 and r.attempt = $2")
            .bind(other.job_uid)
            .bind(other.attempt as i32)
            .fetch_one(store.pool())
            .await
            .unwrap();
    let err = sqlx::query("update profiler.profile_comparisons set baseline_run_id = $1")
        .bind(other_id)
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("profile_comparisons_baseline"), "{err}");
    assert_eq!(row_counts(&store).await[9..11], before[9..11]);
}

#[tokio::test]
async fn a_baseline_named_by_its_profile_uri_is_found_to_link_the_comparison() {
    let (store, _) = migrated_store().await;
    let ((run_a, a), (run_b, b)) = two_runs(&store).await;
    let uri = "s3://profiles/team-a/orders/1/profile.json";
    let outcome = RunOutcome {
        status: RunStatus::Succeeded,
        finished_at: time(10) + chrono::Duration::seconds(5),
        error: None,
        profile_uri: Some(uri.into()),
        report_uri: None,
    };
    store.finish_run(run_a, &outcome).await.unwrap();
    let baseline = store.run_by_profile_uri(uri).await.unwrap();
    assert_eq!(baseline, Some(run_a));
    assert_eq!(store.run_by_profile_uri("s3://profiles/elsewhere/profile.json").await.unwrap(), None);
    let comparison = comparison_with(&a, &b, all_kinds_of_findings());
    store.record_comparison(run_b, &comparison, baseline, time(12)).await.unwrap();
    assert_eq!(store.latest_comparisons("team-a", "db.orders", 1).await.unwrap()[0].baseline_run, Some(run_a));
}
