//! A job succeeds with its result in status and its rows in Postgres; a missing table fails at
//! once; a column list too long for the task's environment reaches the worker through S3; an
//! unreachable catalog is retried as new executions until backoffLimit is spent.

use std::time::Duration;

use kube::api::{Api, PostParams};
use profiler_crds::JobPhase;
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
