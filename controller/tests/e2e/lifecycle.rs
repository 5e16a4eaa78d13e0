//! Two replicas with leader election: one leads, and when it stops the other takes over. On the
//! way, a running job is deleted (its execution is stopped, the cancellation recorded), a job
//! passes its activeDeadlineSeconds (stopped, Failed with reason DeadlineExceeded), and a suspended job is held until it
//! is resumed, then deleted after ttlSecondsAfterFinished.

use std::time::Duration;

use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use profiler_crds::JobPhase;
use serde_json::json;

use crate::support::*;

/// Waits until the execution is ABORTED. moto reflects a stop once the running state ends, that
/// is once the launcher has stopped the task's process (SIGTERM, SIGKILL 10 s later); on a machine
/// busy with a first build and the other e2e tests that has taken longer than 30 s. A failure says
/// what the execution did instead (FAILED would mean the worker's catalog timeout ended the
/// attempt before the deletion stopped it).
async fn wait_aborted(arn: &str) {
    let start = std::time::Instant::now();
    loop {
        let described = sfn().await.describe_execution().execution_arn(arn).send().await.unwrap();
        if described.status().as_str() == "ABORTED" {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{arn} is not ABORTED within 60 s: {} (error {:?}, cause {:?})",
            described.status().as_str(),
            described.error(),
            described.cause()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn replicas_elect_a_leader_that_stops_deletes_suspends_and_hands_over() {
    orders_table();
    let world = World::new("lifecycle").await;
    let ports = [free_port(), free_port()];
    let replica = |identity: &str, port: u16| {
        world.controller(
            &world.database,
            port,
            &[("PROFILER_LEADER_ELECTION", "true"), ("POD_NAMESPACE", "default"), ("POD_NAME", identity)],
        )
    };
    let mut replicas = [Some(replica("replica-0", ports[0])), Some(replica("replica-1", ports[1]))];

    // Exactly one leads; both are ready.
    let mut leader = None;
    eventually("one replica leads", Duration::from_secs(30), || {
        let leads: Vec<_> = ports.iter().map(|p| metric(*p, "profiler_operator_leader")).collect();
        leader = leads.iter().position(|l| *l == Some(1.0));
        let standby = leads.iter().filter(|l| **l == Some(0.0)).count();
        async move { leads.iter().filter(|l| **l == Some(1.0)).count() == 1 && standby == 1 }
    })
    .await;
    let leader = leader.unwrap();
    for port in ports {
        assert!(http_get(port, "/readyz").unwrap().starts_with("HTTP/1.1 200"), "replica on {port} not ready");
    }
    world.create_runtime().await;
    let jobs = world.jobs();

    // Deleting a running job stops its execution and records the cancellation.
    let silent = SilentCatalog::new();
    jobs.create(&PostParams::default(), &job("deleted", silent.source(), json!({}))).await.unwrap();
    let running = wait_for_phase(&jobs, "deleted", &[JobPhase::Running], Duration::from_secs(60)).await;
    let arn = running.status.unwrap().execution_arn.unwrap();
    jobs.delete("deleted", &DeleteParams::default()).await.unwrap();
    wait_until_gone(&jobs, "deleted", Duration::from_secs(60)).await;
    wait_aborted(&arn).await;
    assert_eq!(stored(&world.database, "deleted").await, (Some("Cancelled".into()), vec!["Cancelled".into()]));

    // Past activeDeadlineSeconds: stopped and Failed with reason DeadlineExceeded, as a Kubernetes Job.
    jobs.create(&PostParams::default(), &job("deadline", silent.source(), json!({"activeDeadlineSeconds": 3})))
        .await
        .unwrap();
    let stopped = wait_for_phase(
        &jobs,
        "deadline",
        &[JobPhase::Cancelled, JobPhase::Failed, JobPhase::Succeeded],
        Duration::from_secs(60),
    )
    .await;
    let status = stopped.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Failed), "{status:?}");
    assert!(
        status.conditions.iter().any(|c| c.type_ == "Failed" && c.reason == "DeadlineExceeded"),
        "{:?}",
        status.conditions
    );
    assert!(status.message.unwrap_or_default().contains("activeDeadlineSeconds (3 s)"));
    wait_aborted(&status.execution_arn.unwrap()).await;
    assert_eq!(stored(&world.database, "deadline").await, (Some("Failed".into()), vec!["Failed".into()]));

    // A suspended job is not submitted.
    let later = job("later", glue_source("orders"), json!({"suspend": true, "ttlSecondsAfterFinished": 0}));
    jobs.create(&PostParams::default(), &later).await.unwrap();
    let held = wait_for_phase(&jobs, "later", &[JobPhase::Pending], Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let held_status = jobs.get("later").await.unwrap().status.unwrap();
    assert_eq!((held_status.attempt, held_status.execution_arn.as_deref()), (0, None), "{held_status:?}");
    assert!(held.status.unwrap().conditions.iter().any(|c| c.type_ == "Suspended" && c.status == "True"));

    // The leader stops (SIGTERM releases the Lease); the standby takes over.
    let standby = 1 - leader;
    let exit = replicas[leader].take().unwrap().terminate();
    assert!(exit.success(), "the leader did not stop cleanly: {exit:?}");
    eventually("the standby leads", Duration::from_secs(30), || {
        let leads = metric(ports[standby], "profiler_operator_leader");
        async move { leads == Some(1.0) }
    })
    .await;

    // Resumed, it runs on the new leader, succeeds, and is deleted after its TTL.
    let resume = json!({"spec": {"suspend": false}});
    jobs.patch("later", &PatchParams::default(), &Patch::Merge(&resume)).await.unwrap();
    wait_until_gone(&jobs, "later", Duration::from_secs(180)).await;
    assert_eq!(stored(&world.database, "later").await, (Some("Succeeded".into()), vec!["Succeeded".into()]));
}
