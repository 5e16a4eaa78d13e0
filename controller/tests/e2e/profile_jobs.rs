//! A job succeeds with its result in status and its rows in Postgres; a missing table fails at
//! once; a column list too long for the task's environment reaches the worker through S3; an
//! unreachable catalog is retried as new executions until backoffLimit is spent.

use std::time::Duration;

use kube::api::{Api, PostParams};
use profiler_crds::JobPhase;
use profiler_crds::fan_out::GroupProgress;
use profiler_crds::resources::ProfilerRuntime;
use serde_json::json;

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_job_runs_through_step_functions_and_fargate_into_s3_and_postgres() {
    let table = orders_table();
    let world = World::new("jobs").await;
    let http_port = free_port();
    let _controller = world.controller(&world.database, http_port, &[]);
    world.create_runtime().await;
    let jobs = world.jobs();
    let bucket = world.aws["bucket"].as_str().unwrap();

    jobs.create(&PostParams::default(), &job("orders", glue_source("orders"), json!({}))).await.unwrap();
    let done =
        wait_for_phase(&jobs, "orders", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Succeeded), "{status:?}");
    let result = status.result.unwrap();
    assert_eq!(result.rows, table["whole"]["rows"].as_u64().unwrap());
    assert_eq!((status.attempt, result.columns), (1, 6));
    assert!(result.profile_uri.starts_with(&format!("s3://{bucket}/profiles/default/orders/")));
    assert!(status.conditions.iter().any(|c| c.type_ == "Succeeded" && c.status == "True"));
    assert!(
        status.conditions.iter().any(|c| c.type_ == "StoreSynced" && c.status == "True"),
        "{:?}",
        status.conditions
    );
    let runtimes: Api<ProfilerRuntime> = Api::all(world.client.clone());
    let runtime = runtimes.get("default").await.unwrap().status.unwrap();
    assert!(runtime.state_machine_arn.unwrap().ends_with(&format!(":stateMachine:{}-profiler", world.tag)));
    assert_eq!(stored(&world.database, "orders").await, (Some("Succeeded".into()), vec!["Succeeded".into()]));

    // A missing table is bad input: Failed at once, with the worker's message, no retry.
    jobs.create(&PostParams::default(), &job("missing", glue_source("nope"), json!({}))).await.unwrap();
    let failed =
        wait_for_phase(&jobs, "missing", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = failed.status.unwrap();
    assert_eq!((status.phase, status.attempt), (Some(JobPhase::Failed), 1), "{status:?}");
    let message = status.message.unwrap_or_default();
    assert!(message.contains("table not found: fixtures.nope in the Glue catalog"), "{message}");

    // A column list too long for the task's environment travels as job.json in S3: the worker
    // reads all of it (it names the first column the table lacks).
    let columns: Vec<String> = std::iter::once("id".to_owned())
        .chain((0..200).map(|i| format!("a_column_this_table_does_not_have_{i:03}")))
        .collect();
    jobs.create(&PostParams::default(), &job("wide", glue_source("orders"), json!({"columns": columns})))
        .await
        .unwrap();
    let failed =
        wait_for_phase(&jobs, "wide", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = failed.status.unwrap();
    assert_eq!((status.phase, status.attempt), (Some(JobPhase::Failed), 1), "{status:?}");
    let message = status.message.unwrap_or_default();
    assert!(message.contains("unknown column \"a_column_this_table_does_not_have_000\""), "{message}");

    // A catalog that cannot be reached is transient: retried as new attempts (new executions),
    // then Failed once backoffLimit is spent.
    let source = json!({"iceberg": {"catalog": {"rest": {"uri": "http://127.0.0.1:1"}}, "namespace": "fixtures", "table": "orders"}});
    jobs.create(&PostParams::default(), &job("unreachable", source, json!({"backoffLimit": 1}))).await.unwrap();
    let failed =
        wait_for_phase(&jobs, "unreachable", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(240)).await;
    let status = failed.status.unwrap();
    assert_eq!((status.phase, status.attempt), (Some(JobPhase::Failed), 2), "{status:?}");
    let message = status.message.unwrap_or_default();
    assert!(message.contains("attempt 2 of 2 failed") && message.contains("no attempts left"), "{message}");
    assert!(status.execution_arn.unwrap().ends_with("-2"), "the retry ran as a new execution");
    let (_, runs) = stored(&world.database, "unreachable").await;
    assert_eq!(runs, vec!["Failed", "Failed"], "both attempts are recorded as failed runs");

    // Every AWS call is counted; the job gauges follow the phases.
    let metrics = http_get(http_port, "/metrics").unwrap();
    assert!(
        metrics.contains("profiler_operator_aws_calls_total{service=\"SFN\",operation=\"StartExecution\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("profiler_operator_jobs{phase=\"Failed\"} 3"), "{metrics}");
    assert!(metrics.contains("profiler_operator_jobs{phase=\"Succeeded\"} 1"), "{metrics}");
    assert_eq!(metric(http_port, "profiler_operator_leader"), Some(1.0));
}

/// `parallelism: 3` on a table of two data files in five row groups: the execution's first task
/// cuts the files at their row groups and plans three groups (more than the files), the Map state
/// runs a task for each and the merge task writes the job's profile, the same in every count and
/// bound as the one-task job's (every row group read once); the store holds one run of the job.
#[tokio::test(flavor = "multi_thread")]
async fn a_fanned_out_job_runs_a_task_per_group_and_merges_their_profiles() {
    let table = orders_table();
    let world = World::new("fanout").await;
    let _controller = world.controller(&world.database, free_port(), &[]);
    world.create_runtime().await;
    let jobs = world.jobs();
    for (name, parallelism) in [("fanned", json!(3)), ("single", json!(1))] {
        let spec = json!({"parallelism": parallelism});
        jobs.create(&PostParams::default(), &job(name, glue_source("orders"), spec)).await.unwrap();
    }
    let (mut results, mut groups) = (Vec::new(), Vec::new());
    for name in ["fanned", "single"] {
        let done =
            wait_for_phase(&jobs, name, &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(240)).await;
        let status = done.status.unwrap();
        assert_eq!(status.phase, Some(JobPhase::Succeeded), "{name}: {status:?}");
        results.push(status.result.unwrap());
        groups.push(status.groups);
    }
    let (fanned, single) = (&results[0], &results[1]);
    assert_eq!(fanned.rows, table["whole"]["rows"].as_u64().unwrap());
    assert_eq!((fanned.groups, single.groups), (Some(3), None), "three groups of two data files");
    assert_eq!(groups, [Some(GroupProgress::new(3, 3)), None]);
    let prefix = fanned.profile_uri.strip_suffix("profile.json").unwrap();
    for group in 0..3 {
        let partial = s3_json(&format!("{prefix}groups/{group}/profile.json")).await;
        assert!(partial["rowCount"].as_u64().unwrap() > 0, "group {group} read rows");
    }
    let (merged, one) = (s3_json(&fanned.profile_uri).await, s3_json(&single.profile_uri).await);
    assert_eq!(merged["rowCount"], one["rowCount"]);
    assert_eq!(merged["source"], one["source"], "the merged profile reports the whole snapshot");
    for (m, o) in merged["columns"].as_array().unwrap().iter().zip(one["columns"].as_array().unwrap()) {
        for field in ["name", "count", "nulls", "min", "max", "distinct"] {
            assert_eq!(m[field], o[field], "{} {field}", o["name"]);
        }
    }
    assert_eq!(stored(&world.database, "fanned").await, (Some("Succeeded".into()), vec!["Succeeded".into()]));
}

/// A group that fails for good fails the job with the group and the worker's words: two Parquet
/// objects on S3, the second's data pages overwritten (its footer intact, so the plan reads it);
/// its group's task exits 3, is run again twice by the Map state, and the attempt fails with
/// `group 1 of 2: …` in the job's status. While the broken group waits to run again, the
/// controller (looking every second) sees the plan and the good group done: the status keeps
/// `1/2` and a FannedOut event tells of the two groups.
#[tokio::test(flavor = "multi_thread")]
async fn a_group_that_fails_for_good_fails_the_job_with_the_groups_words() {
    let world = World::new("fanfail").await;
    let _controller = world.controller(&world.database, free_port(), &[("PROFILER_GROUP_PROGRESS_INTERVAL", "1")]);
    world.create_runtime().await;
    let source = half_broken_parquet(&world).await;
    let jobs = world.jobs();
    jobs.create(&PostParams::default(), &job("broken", source, json!({"parallelism": 2, "backoffLimit": 0})))
        .await
        .unwrap();
    let done =
        wait_for_phase(&jobs, "broken", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(240)).await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Failed), "{status:?}");
    let message = status.message.unwrap_or_default();
    assert!(message.contains("group 1 of 2: ") && message.contains("b.parquet"), "{message}");
    assert_eq!(status.groups, Some(GroupProgress::new(1, 2)), "the progress seen while the groups ran");
    let fanned_out = event_notes(&world, "broken", "FannedOut").await;
    assert_eq!(fanned_out, ["Attempt 1 split the table into 2 groups, one task each"]);
    // The broken group ran three times (its failure is transient), the good one once.
    let history = sfn()
        .await
        .get_execution_history()
        .execution_arn(status.execution_arn.unwrap())
        .max_results(1000)
        .send()
        .await
        .unwrap();
    let group_runs = history
        .events()
        .iter()
        .filter_map(|e| e.state_entered_event_details())
        .filter(|d| d.name() == "RunGroup")
        .count();
    assert_eq!(group_runs, 4, "one run of the good group, three of the broken one");
}

/// Two Parquet objects on S3 as one source; the second's data pages are overwritten (its footer
/// intact, so a plan reads it and its group's task fails with a transient error).
async fn half_broken_parquet(world: &World) -> serde_json::Value {
    let bucket = world.aws["bucket"].as_str().unwrap().to_owned();
    let orders = std::fs::read(root().join("examples/data/orders.parquet")).unwrap();
    let mut broken = orders.clone();
    broken[1_000..200_000].fill(0xA5);
    put_s3(&bucket, "data/broken/a.parquet", orders).await;
    put_s3(&bucket, "data/broken/b.parquet", broken).await;
    json!({"parquet": {"uri": format!("s3://{bucket}/data/broken/")}})
}

/// A runtime whose `distributedMapAbove` is 1 runs two groups in a Distributed Map (the
/// execution's history has a Map Run): the fanned-out job merges its groups' profiles as the
/// Inline Map's does, and a group that fails for good still fails its job with the group's own
/// words (a Distributed Map reports only that a child failed; the group copied its failure to the
/// attempt's result.json).
#[tokio::test(flavor = "multi_thread")]
async fn a_distributed_map_runs_the_groups_and_keeps_a_failed_groups_words() {
    let table = orders_table();
    let world = World::new("distmap").await;
    let _controller = world.controller(&world.database, free_port(), &[]);
    world.create_runtime_with(json!({"distributedMapAbove": 1})).await;
    let jobs = world.jobs();
    let fanned = job("fanned", glue_source("orders"), json!({"parallelism": 2}));
    jobs.create(&PostParams::default(), &fanned).await.unwrap();
    let broken = job("broken", half_broken_parquet(&world).await, json!({"parallelism": 2, "backoffLimit": 0}));
    jobs.create(&PostParams::default(), &broken).await.unwrap();
    let done = |name: &'static str| {
        wait_for_phase(&jobs, name, &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(240))
    };
    let fanned = done("fanned").await.status.unwrap();
    assert_eq!(fanned.phase, Some(JobPhase::Succeeded), "{fanned:?}");
    let result = fanned.result.unwrap();
    assert_eq!((result.rows, result.groups), (table["whole"]["rows"].as_u64().unwrap(), Some(2)));
    let history = sfn()
        .await
        .get_execution_history()
        .execution_arn(fanned.execution_arn.unwrap())
        .max_results(1000)
        .send()
        .await
        .unwrap();
    let kinds: Vec<String> = history.events().iter().map(|e| e.r#type().as_str().to_owned()).collect();
    assert!(kinds.iter().any(|k| k == "MapRunStarted"), "no Map Run: {kinds:?}");
    assert!(kinds.iter().any(|k| k == "MapRunSucceeded"), "{kinds:?}");
    let broken = done("broken").await.status.unwrap();
    assert_eq!(broken.phase, Some(JobPhase::Failed), "{broken:?}");
    let message = broken.message.unwrap_or_default();
    assert!(message.contains("group 1 of 2: ") && message.contains("b.parquet"), "{message}");
}
