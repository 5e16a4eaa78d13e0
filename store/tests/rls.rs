//! Row-level security as Supabase users meet it: `authenticated` with JWT claims granting
//! namespaces, `anon`, and `service_role`, on a real Postgres. Tenancy is the namespace.

mod support;

use chrono::Utc;
use profiler_store::{DatabaseConfig, RunKey, RunOutcome, RunStatus, Store};
use serde_json::json;
use sqlx::{Postgres, Transaction};
use support::*;

/// A store with two full profiles (a Parquet table and a partitioned Iceberg table) in each of
/// team-a and team-b, and a second profile of the Parquet table compared with the first (with
/// findings of every severity) in each.
async fn two_tenants() -> (Store, DatabaseConfig) {
    let (store, config) = migrated_store().await;
    for (namespace, hour) in [("team-a", 12), ("team-b", 13)] {
        let orders = job(namespace, "orders");
        let first = engine_profile("db.orders", &format!("2026-11-03T{hour}:00:00.000Z"));
        let second = engine_profile("db.orders", &format!("2026-11-04T{hour}:00:00.000Z"));
        let baseline = store_profile(&store, &orders, &first).await;
        let run = store_succeeded_run(&store, &orders, 2, &second).await;
        let comparison = comparison_with(&first, &second, all_kinds_of_findings());
        store.record_comparison(run, &comparison, Some(baseline), Utc::now()).await.unwrap();
    }
    let events = |at| iceberg_profile("glue://lake.events", at);
    store_profile(&store, &job("team-a", "events"), &events("2026-11-03T12:00:00.000Z")).await;
    store_profile(&store, &job("team-b", "events"), &events("2026-11-03T13:00:00.000Z")).await;
    (store, config)
}

/// A transaction acting as `role` with the given JWT claims (as PostgREST sets them).
async fn acting_as(store: &Store, role: &str, claims: Option<serde_json::Value>) -> Transaction<'static, Postgres> {
    let mut tx = store.pool().begin().await.unwrap();
    sqlx::query(&format!("set local role {role}")).execute(&mut *tx).await.unwrap();
    if let Some(claims) = claims {
        sqlx::query("select set_config('request.jwt.claims', $1, true)")
            .bind(claims.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx
}

fn user_of(namespaces: &[&str]) -> Option<serde_json::Value> {
    Some(json!({"role": "authenticated", "sub": "u-1", "app_metadata": {"namespaces": namespaces}}))
}

/// Namespaces visible in `table`, with their row counts.
async fn visible(tx: &mut Transaction<'static, Postgres>, table: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(&format!("select namespace, count(*) from profiler.{table} group by namespace order by namespace"))
        .fetch_all(&mut **tx)
        .await
}

async fn namespaces_seen(tx: &mut Transaction<'static, Postgres>, table: &str) -> Vec<String> {
    visible(tx, table).await.unwrap().into_iter().map(|(ns, _)| ns).collect()
}

fn is_permission_denied(result: Result<impl std::fmt::Debug, sqlx::Error>) -> bool {
    match result {
        Err(sqlx::Error::Database(e)) => e.code().as_deref() == Some("42501"),
        _ => false,
    }
}

#[tokio::test]
async fn a_user_of_namespace_a_reads_only_namespace_a_in_every_table() {
    let (store, _) = two_tenants().await;
    let mut owner = store.pool().begin().await.unwrap();
    let mut tx = acting_as(&store, "authenticated", user_of(&["team-a"])).await;
    for table in TABLES {
        let all = visible(&mut owner, table).await.unwrap();
        let seen = visible(&mut tx, table).await.unwrap();
        assert_eq!(all.len(), 2, "{table}: both tenants have rows");
        assert_eq!(seen, all.into_iter().filter(|(ns, _)| ns == "team-a").collect::<Vec<_>>(), "{table}");
    }
}

#[tokio::test]
async fn a_user_granted_two_namespaces_reads_both() {
    let (store, _) = two_tenants().await;
    let mut tx = acting_as(&store, "authenticated", user_of(&["team-a", "team-b", "team-c"])).await;
    for table in TABLES {
        assert_eq!(namespaces_seen(&mut tx, table).await, ["team-a", "team-b"], "{table}");
    }
}

#[tokio::test]
async fn a_user_without_a_valid_namespaces_claim_reads_nothing() {
    let (store, _) = two_tenants().await;
    let claims = [
        None,
        Some(json!({"role": "authenticated", "sub": "u-1"})),
        Some(json!({"role": "authenticated", "app_metadata": {"namespaces": "team-a"}})),
        Some(json!({"role": "authenticated", "app_metadata": {"namespaces": {"team-a": true}}})),
        Some(json!({"role": "authenticated", "app_metadata": {"namespaces": []}})),
        // Only app_metadata counts: users can edit their own user_metadata.
        Some(json!({"role": "authenticated", "user_metadata": {"namespaces": ["team-a"]}})),
    ];
    for claim in claims {
        let mut tx = acting_as(&store, "authenticated", claim.clone()).await;
        for table in TABLES {
            assert!(namespaces_seen(&mut tx, table).await.is_empty(), "{table} with {claim:?}");
        }
    }
}

#[tokio::test]
async fn anon_reads_nothing_and_writes_nothing() {
    let (store, _) = two_tenants().await;
    for table in TABLES {
        let mut tx = acting_as(&store, "anon", Some(json!({"role": "anon"}))).await;
        assert!(is_permission_denied(visible(&mut tx, table).await), "anon read {table}");
    }
    let mut tx = acting_as(&store, "anon", Some(json!({"role": "anon"}))).await;
    let insert = sqlx::query(
        "insert into profiler.profile_jobs (uid, namespace, name, spec, phase) values (gen_random_uuid(), 'team-a', 'x', '{}', 'Pending')",
    )
    .execute(&mut *tx)
    .await;
    assert!(is_permission_denied(insert));
    let mut tx = acting_as(&store, "anon", None).await;
    assert!(is_permission_denied(sqlx::query("select * from _sqlx_migrations").fetch_all(&mut *tx).await));
}

#[tokio::test]
async fn a_user_cannot_insert_even_into_its_own_namespace() {
    let (store, _) = two_tenants().await;
    for namespace in ["team-a", "team-b"] {
        let mut tx = acting_as(&store, "authenticated", user_of(&["team-a"])).await;
        let insert = sqlx::query(
            "insert into profiler.profile_jobs (uid, namespace, name, spec, phase) values (gen_random_uuid(), $1, 'x', '{}', 'Pending')",
        )
        .bind(namespace)
        .execute(&mut *tx)
        .await;
        assert!(is_permission_denied(insert), "insert into {namespace}");
    }
}

#[tokio::test]
async fn a_user_cannot_update_or_delete_any_row() {
    let (store, _) = two_tenants().await;
    let statements = [
        "update profiler.profile_jobs set phase = 'Succeeded', completed_at = now()",
        "update profiler.column_profiles set null_fraction = 0",
        "delete from profiler.table_profiles",
        "delete from profiler.profile_runs",
        "delete from profiler.column_sketches",
        "delete from profiler.partition_counts",
        "delete from profiler.profile_comparisons",
        "delete from profiler.comparison_findings where namespace = 'team-a'",
        "update profiler.profile_comparisons set drift = drift",
        "update profiler.comparison_findings set message = 'x' where namespace = 'team-b'",
        "update profiler.partition_counts set row_count = 0 where namespace = 'team-a'",
        "update profiler.profile_runs set error = 'x', status = 'Failed', finished_at = now() where namespace = 'team-b'",
    ];
    for statement in statements {
        let mut tx = acting_as(&store, "authenticated", user_of(&["team-a", "team-b"])).await;
        assert!(is_permission_denied(sqlx::query(statement).execute(&mut *tx).await), "{statement}");
    }
    assert!(row_counts(&store).await.iter().all(|(_, n)| *n > 0));
}

#[tokio::test]
async fn a_user_cannot_read_the_migration_bookkeeping() {
    let (store, _) = two_tenants().await;
    let mut tx = acting_as(&store, "authenticated", user_of(&["team-a"])).await;
    assert!(is_permission_denied(sqlx::query("select * from _sqlx_migrations").fetch_all(&mut *tx).await));
}

#[tokio::test]
async fn the_service_role_reads_every_namespace_and_writes() {
    let (store, _) = two_tenants().await;
    let mut tx = acting_as(&store, "service_role", Some(json!({"role": "service_role"}))).await;
    for table in TABLES {
        assert_eq!(namespaces_seen(&mut tx, table).await, ["team-a", "team-b"], "{table}");
    }
    sqlx::query(
        "insert into profiler.profile_jobs (uid, namespace, name, spec, phase) values (gen_random_uuid(), 'team-c', 'x', '{}', 'Pending')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    let updated = sqlx::query("update profiler.profile_jobs set message = 'checked'").execute(&mut *tx).await.unwrap();
    assert_eq!(updated.rows_affected(), 5);
    let deleted =
        sqlx::query("delete from profiler.profile_jobs where namespace = 'team-b'").execute(&mut *tx).await.unwrap();
    assert_eq!(deleted.rows_affected(), 2);
    assert_eq!(namespaces_seen(&mut tx, "column_profiles").await, ["team-a"], "deleting a job removes its profile");
    assert_eq!(namespaces_seen(&mut tx, "partition_counts").await, ["team-a"], "and its partition counts");
    assert_eq!(namespaces_seen(&mut tx, "comparison_findings").await, ["team-a"], "and its comparisons");
}

#[tokio::test]
async fn a_login_role_in_service_role_runs_the_whole_data_layer() {
    let (owner, config) = migrated_store().await;
    let login = format!("profiler_writer_{}", std::process::id());
    let password = "writer-password";
    sqlx::query(&format!(
        "do $$ begin
           if not exists (select 1 from pg_roles where rolname = '{login}') then
             create role {login} login password '{password}' in role service_role;
           end if;
         end $$"
    ))
    .execute(owner.pool())
    .await
    .unwrap();
    let url = server_url();
    let rest = url.split_once('@').unwrap().1;
    let writer_config = DatabaseConfig::from_url(&format!("postgres://{login}:{password}@{rest}"))
        .unwrap()
        .with_database(&config.database());
    let writer = Store::open(&writer_config).await.expect("the service role can check the schema");

    let job = job("team-a", "orders");
    let profile = engine_profile("db.orders", "2026-11-03T12:00:00.000Z");
    let run = store_profile(&writer, &job, &profile).await;
    writer.write_profile(run, &profile).await.expect("rewrite (delete + insert) as the service role");
    let outcome = RunOutcome {
        status: RunStatus::Succeeded,
        finished_at: Utc::now(),
        error: None,
        profile_uri: None,
        report_uri: None,
    };
    writer.finish_run(run, &outcome).await.unwrap();
    writer.start_run(RunKey { job_uid: job.uid, attempt: 2 }, None, Utc::now()).await.unwrap();
    assert_eq!(writer.latest_profile("team-a", "db.orders").await.unwrap().unwrap().profile, profile);
    assert_eq!(writer.column_history("team-a", "db.orders", "id", 5).await.unwrap().len(), 1);

    // Comparisons too: record (delete + insert), rewrite, read, and find the baseline.
    let second = RunKey { job_uid: job.uid, attempt: 2 };
    let later = engine_profile("db.orders", "2026-11-04T12:00:00.000Z");
    writer.write_profile(second, &later).await.unwrap();
    let baseline = writer.previous_profile("team-a", "db.orders", Utc::now()).await.unwrap().unwrap();
    assert_eq!(baseline.run(), run);
    let comparison = comparison_with(&profile, &later, all_kinds_of_findings());
    for _ in 0..2 {
        writer.record_comparison(second, &comparison, Some(baseline.run()), Utc::now()).await.unwrap();
    }
    assert_eq!(writer.comparison(second).await.unwrap(), Some(comparison.clone()));
    assert_eq!(writer.latest_comparisons("team-a", "db.orders", 5).await.unwrap()[0].comparison, comparison);
}

#[tokio::test]
async fn a_user_of_another_namespace_cannot_read_the_partition_counts() {
    let (store, _) = two_tenants().await;
    let partitions = iceberg_read_info().partitioning.unwrap().partitions.len() as i64;
    let mut team_b = acting_as(&store, "authenticated", user_of(&["team-b"])).await;
    assert_eq!(visible(&mut team_b, "partition_counts").await.unwrap(), [("team-b".to_owned(), partitions)]);
    // Not through a join from a table it can see, nor by naming team-a's run.
    let leaked: i64 = sqlx::query_scalar(
        "select count(*) from profiler.partition_counts p
         join profiler.profile_runs r on r.id = p.run_id
         where p.namespace = 'team-a' or r.namespace = 'team-a'
            or p.run_id in (select run_id from profiler.table_profiles where namespace = 'team-a')",
    )
    .fetch_one(&mut *team_b)
    .await
    .unwrap();
    assert_eq!(leaked, 0);
    let mut owner = store.pool().begin().await.unwrap();
    let team_a_run: i64 =
        sqlx::query_scalar("select run_id from profiler.partition_counts where namespace = 'team-a' limit 1")
            .fetch_one(&mut *owner)
            .await
            .unwrap();
    let by_id: i64 = sqlx::query_scalar("select count(*) from profiler.partition_counts where run_id = $1")
        .bind(team_a_run)
        .fetch_one(&mut *team_b)
        .await
        .unwrap();
    assert_eq!(by_id, 0, "team-a's partition rows by run id");

    let mut team_a = acting_as(&store, "authenticated", user_of(&["team-a"])).await;
    let values: Vec<serde_json::Value> =
        sqlx::query_scalar("select partition_values from profiler.partition_counts order by position")
            .fetch_all(&mut *team_a)
            .await
            .unwrap();
    assert_eq!(values.len() as i64, partitions);
    assert_eq!(values[3], json!({"id_bucket": "15", "ts_day": null}));
    let mut anon = acting_as(&store, "anon", Some(json!({"role": "anon"}))).await;
    assert!(is_permission_denied(visible(&mut anon, "partition_counts").await));
}

#[tokio::test]
async fn a_user_of_another_namespace_cannot_read_the_comparisons_or_their_findings() {
    let (store, _) = two_tenants().await;
    let findings = all_kinds_of_findings().len() as i64;
    let mut team_b = acting_as(&store, "authenticated", user_of(&["team-b"])).await;
    assert_eq!(visible(&mut team_b, "profile_comparisons").await.unwrap(), [("team-b".to_owned(), 1)]);
    assert_eq!(visible(&mut team_b, "comparison_findings").await.unwrap(), [("team-b".to_owned(), findings)]);
    // Not through a join, nor by naming team-a's run, nor through the document.
    let leaked: i64 = sqlx::query_scalar(
        "select count(*) from profiler.comparison_findings f
         join profiler.profile_comparisons c on c.run_id = f.run_id
         where f.namespace = 'team-a' or c.namespace = 'team-a' or c.baseline_run_id in
           (select run_id from profiler.table_profiles where namespace = 'team-a')",
    )
    .fetch_one(&mut *team_b)
    .await
    .unwrap();
    assert_eq!(leaked, 0);
    let mut owner = store.pool().begin().await.unwrap();
    let team_a_run: i64 =
        sqlx::query_scalar("select run_id from profiler.profile_comparisons where namespace = 'team-a'")
            .fetch_one(&mut *owner)
            .await
            .unwrap();
    drop(owner);
    for table in ["profile_comparisons", "comparison_findings"] {
        let by_id: i64 = sqlx::query_scalar(&format!("select count(*) from profiler.{table} where run_id = $1"))
            .bind(team_a_run)
            .fetch_one(&mut *team_b)
            .await
            .unwrap();
        assert_eq!(by_id, 0, "team-a's {table} by run id");
    }
    let documents: Vec<serde_json::Value> =
        sqlx::query_scalar("select document -> 'b' from profiler.profile_comparisons")
            .fetch_all(&mut *team_b)
            .await
            .unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["startedAt"], "2026-11-04T13:00:00.000Z", "team-b's own");

    // The dashboard's question as a team-a user: its own comparison and findings only.
    let mut team_a = acting_as(&store, "authenticated", user_of(&["team-a"])).await;
    let renamed: Vec<(String, Option<String>)> = sqlx::query_as(
        "select c.namespace, f.previous_name
         from profiler.profile_comparisons c
         join profiler.comparison_findings f on f.run_id = c.run_id
         where c.table_ref = 'db.orders' and f.kind = 'columnRenamed'",
    )
    .fetch_all(&mut *team_a)
    .await
    .unwrap();
    assert_eq!(renamed, [("team-a".to_owned(), Some("email".to_owned()))]);
    drop((team_a, team_b));
    for table in ["profile_comparisons", "comparison_findings"] {
        let mut anon = acting_as(&store, "anon", Some(json!({"role": "anon"}))).await;
        assert!(is_permission_denied(visible(&mut anon, table).await), "anon read {table}");
    }
}
