//! The controller dies at the worst moments and the database is down, and nothing is lost or
//! done twice: a job whose status says "submitted" but whose execution was never started gets
//! exactly that execution; a controller killed while a job runs is replaced and the job ends
//! with one execution; the store writes that could not land while Postgres was unreachable land
//! once it is back (StoreSynced False, then True).

use std::time::Duration;

use kube::ResourceExt;
use kube::api::{Patch, PatchParams, PostParams};
use profiler_controller::job::execution_name::{execution_arn, execution_name};
use profiler_crds::JobPhase;
use profiler_store::{DatabaseConfig, Store};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};

use crate::support::*;

/// Forwards `listen_port` to Postgres once started: until then the database is unreachable.
async fn start_proxy(listen_port: u16, target: String) {
    let listener = TcpListener::bind(("127.0.0.1", listen_port)).await.unwrap();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(&target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
}

fn store_condition(job: &profiler_crds::resources::ProfileJob) -> Option<(String, String)> {
    job.status
        .as_ref()?
        .conditions
        .iter()
        .find(|c| c.type_ == "StoreSynced")
        .map(|c| (c.status.clone(), c.reason.clone()))
}

async fn stored_execution_arn(database: &str, name: &str) -> Option<String> {
    let store = Store::open(&DatabaseConfig::from_url(database).unwrap()).await.unwrap();
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "select r.execution_arn from profiler.profile_runs r join profiler.profile_jobs j on j.uid = r.job_uid
         where j.namespace = 'default' and j.name = $1 and r.attempt = 1",
    )
    .bind(name)
    .fetch_optional(store.pool())
    .await
    .unwrap();
    row.and_then(|r| r.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn restarts_start_no_second_execution_and_store_writes_land_when_the_database_returns() {
    orders_table();
    let world = World::new("restart").await;
    let first = world.controller(&world.database, free_port(), &[]);
    world.create_runtime().await;
    let machine = world.state_machine_arn().await;
    first.terminate();
    let jobs = world.jobs();

    // A controller wrote "attempt 1 submitted" and died before StartExecution.
    jobs.create(&PostParams::default(), &job("resumed", glue_source("orders"), json!({}))).await.unwrap();
    let uid = jobs.get("resumed").await.unwrap().uid().unwrap();
    let name = execution_name("default", "resumed", &uid, 1);
    let arn = execution_arn(&machine, &name).unwrap();
    let status = json!({"status": {"phase": "Submitted", "attempt": 1, "executionArn": arn,
        "startTime": "2026-01-01T00:00:00Z", "message": "attempt 1 submitted"}});
    jobs.patch_status("resumed", &PatchParams::default(), &Patch::Merge(&status)).await.unwrap();

    // The next controller finds Postgres unreachable (nothing listens on its port yet).
    let proxy_port = free_port();
    // postgres://user:password@host:port/database
    let (credentials, rest) = world.database.rsplit_once('@').unwrap();
    let (address, database) = rest.split_once('/').unwrap();
    let through_proxy = format!("{credentials}@127.0.0.1:{proxy_port}/{database}");
    let second = world.controller(&through_proxy, free_port(), &[]);

    let done =
        wait_for_phase(&jobs, "resumed", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    assert_eq!(done.status.as_ref().and_then(|s| s.phase), Some(JobPhase::Succeeded), "{:?}", done.status);
    assert_eq!(executions(&machine, &name).await, vec![(name.clone(), "SUCCEEDED".to_owned())]);
    assert_eq!(store_condition(&done), Some(("False".into(), "StorePending".into())));

    // Killed while a job runs; the replacement follows the same execution.
    jobs.create(&PostParams::default(), &job("killed", glue_source("orders"), json!({}))).await.unwrap();
    let submitted = wait_for_phase(
        &jobs,
        "killed",
        &[JobPhase::Submitted, JobPhase::Running, JobPhase::Succeeded],
        Duration::from_secs(60),
    )
    .await;
    drop(second);
    let killed_arn = submitted.status.unwrap().execution_arn.unwrap();
    let _third = world.controller(&through_proxy, free_port(), &[]);
    let done =
        wait_for_phase(&jobs, "killed", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    assert_eq!(done.status.as_ref().and_then(|s| s.phase), Some(JobPhase::Succeeded), "{:?}", done.status);
    let killed_name = killed_arn.rsplit(':').next().unwrap().to_owned();
    let prefix = killed_name.trim_end_matches("-1");
    assert_eq!(executions(&machine, prefix).await, vec![(killed_name, "SUCCEEDED".to_owned())]);
    assert_eq!(store_condition(&done), Some(("False".into(), "StorePending".into())));

    // Postgres is back: the pending writes land, once.
    start_proxy(proxy_port, address.to_owned()).await;
    for job_name in ["resumed", "killed"] {
        eventually(&format!("{job_name}'s store write lands"), Duration::from_secs(60), || {
            let jobs = jobs.clone();
            async move {
                let job = jobs.get(job_name).await.unwrap();
                store_condition(&job) == Some(("True".into(), "Recorded".into()))
            }
        })
        .await;
        assert_eq!(stored(&world.database, job_name).await, (Some("Succeeded".into()), vec!["Succeeded".into()]));
        let expected = jobs.get(job_name).await.unwrap().status.unwrap().execution_arn;
        assert_eq!(stored_execution_arn(&world.database, job_name).await, expected, "the controller's run row");
    }
}
