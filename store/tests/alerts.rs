//! A profile's alerts in the store: one `profile_alerts` row each, read back into the profile,
//! refused by name when they cannot be kept, and added to a store that already holds profiles.

mod support;

use profiler_crds::{Alert, AlertKind};
use profiler_store::{MIGRATOR, Store, StoreError};
use support::*;

/// The migration that added alerts.
const PROFILE_ALERTS: i64 = 20261202140000;

#[tokio::test]
async fn alerts_are_one_row_each_and_read_back_with_the_profile() {
    let (store, _) = migrated_store().await;
    let profile = engine_profile("s3://lake/orders/", "2026-11-03T12:34:56.789Z");
    let kinds: Vec<AlertKind> = profile.alerts.iter().map(|a| a.kind).collect();
    assert!(kinds.contains(&AlertKind::AllNull) && kinds.contains(&AlertKind::Unique), "fixture alerts: {kinds:?}");
    store_profile(&store, &job("team-a", "orders"), &profile).await;

    let rows: Vec<(i32, String, Option<String>, f64, f64, String)> = sqlx::query_as(
        "select position, kind, column_name, figure, threshold, message from profiler.profile_alerts
         where namespace = 'team-a' order by position",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), profile.alerts.len());
    for ((position, kind, column, figure, threshold, message), (i, alert)) in
        rows.iter().zip(profile.alerts.iter().enumerate())
    {
        assert_eq!(*position as usize, i);
        assert_eq!(
            (kind.as_str(), column, *figure, *threshold, message),
            (alert.kind.as_str(), &alert.column, alert.figure, alert.threshold, &alert.message)
        );
    }
    // SQL over alerts: the all-null columns of a namespace.
    let all_null: Vec<String> = sqlx::query_scalar(
        "select column_name from profiler.profile_alerts where namespace = 'team-a' and kind = 'allNull'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(all_null, ["nothing"]);

    let stored = store.latest_profile("team-a", "s3://lake/orders/").await.unwrap().unwrap();
    assert_eq!(stored.profile.alerts, profile.alerts);
    assert_eq!(stored.profile, profile);

    // Writing the run's profile again replaces its alerts.
    let before = row_counts(&store).await;
    store.write_profile(stored.run(), &profile).await.unwrap();
    assert_eq!(row_counts(&store).await, before);
}

#[tokio::test]
async fn alerts_the_store_cannot_keep_are_refused_by_name() {
    let (store, _) = migrated_store().await;
    let good = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    let run = store_profile(&store, &job("team-a", "orders"), &good).await;
    let before = row_counts(&store).await;
    let alert = |column: Option<&str>, figure: f64| Alert {
        kind: AlertKind::Zeros,
        column: column.map(str::to_owned),
        figure,
        threshold: 0.1,
        message: "zeros".into(),
    };
    for (bad, field) in [
        (alert(Some("no_such_column"), 0.5), "column"),
        (alert(Some("amount"), f64::NAN), "figure"),
        (alert(None, f64::INFINITY), "figure"),
    ] {
        let mut profile = good.clone();
        profile.alerts.push(bad);
        let err = store.write_profile(run, &profile).await.unwrap_err();
        let expected = format!("alerts[{}].{field}", good.alerts.len());
        assert!(matches!(&err, StoreError::InvalidValue { field, .. } if *field == expected), "{err}");
    }
    assert_eq!(row_counts(&store).await, before, "nothing changed");
    assert_eq!(store.latest_profile("team-a", "db.orders").await.unwrap().unwrap().profile, good);
}

#[tokio::test]
async fn adding_alerts_to_a_store_that_holds_profiles_keeps_them() {
    let (store, config) = migrated_store().await;
    // What the previous release wrote: a profile without alerts.
    let mut old = iceberg_profile("glue://lake.events", "2026-11-03T12:00:00.000Z");
    old.alerts.clear();
    store_profile(&store, &job("team-a", "events"), &old).await;
    sqlx::raw_sql("drop table profiler.profile_alerts").execute(store.pool()).await.unwrap();
    sqlx::query("delete from _sqlx_migrations where version = $1")
        .bind(PROFILE_ALERTS)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(MIGRATOR.iter().any(|m| m.version == PROFILE_ALERTS), "a migration of this binary");
    assert!(matches!(Store::open(&config).await.unwrap_err(), StoreError::SchemaBehind { .. }));

    assert_eq!(store.migrate().await.unwrap(), [PROFILE_ALERTS]);
    let upgraded = Store::open(&config).await.expect("up to date");
    assert_eq!(upgraded.latest_profile("team-a", "glue://lake.events").await.unwrap().unwrap().profile, old);
    let new = iceberg_profile("glue://lake.events", "2026-11-04T12:00:00.000Z");
    assert!(!new.alerts.is_empty());
    store_profile(&upgraded, &job("team-a", "events-2"), &new).await;
    assert_eq!(upgraded.latest_profile("team-a", "glue://lake.events").await.unwrap().unwrap().profile, new);
}
