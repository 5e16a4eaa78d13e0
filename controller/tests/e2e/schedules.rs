//! ProfileSchedules on the wall clock (`* * * * *`, so each scenario takes minutes, run side by
//! side): a schedule fires three times in a row, each run a ProfileJob owned by it that succeeds
//! (its result in the schedule's status), and keeps only the newest jobs its history limit
//! allows; a Forbid schedule skips the next run while one is active; a controller stopped across
//! a scheduled time is replaced, and the run it had already created is adopted, not doubled.
//! The rest of CronJob's rules are unit tests of `decide`.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use k8s_openapi::api::events::v1::Event;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Resource, ResourceExt};
use profiler_crds::JobPhase;
use profiler_crds::resources::{ProfileJob, ProfileSchedule};
use serde_json::{Value, json};

use crate::support::*;

fn schedule(name: &str, template_spec: Value, extra_spec: Value) -> ProfileSchedule {
    let mut spec = json!({
        "schedule": "* * * * *",
        "jobTemplate": {"metadata": {"labels": {"team": "data"}}, "spec": template_spec},
    });
    if let (Some(spec), Value::Object(extra)) = (spec.as_object_mut(), extra_spec) {
        spec.extend(extra);
    }
    serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1",
        "kind": "ProfileSchedule",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }))
    .unwrap()
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Sleeps until the wall clock is `second` seconds into a minute (within 3 s after it).
async fn at_second(second: u64) {
    loop {
        let s = unix_now() % 60;
        if (second..second + 3).contains(&s) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The jobs of schedule `name`.
async fn jobs_of(jobs: &Api<ProfileJob>, name: &str) -> Vec<ProfileJob> {
    let mut found =
        jobs.list(&ListParams::default().labels(&format!("profiler.dev/schedule={name}"))).await.unwrap().items;
    found.sort_by_key(|j| j.name_any());
    found
}

/// The scheduled minute a job's name ends with.
fn minute(job_name: &str) -> u64 {
    job_name.rsplit('-').next().unwrap().parse().unwrap()
}

fn ready(schedule: &ProfileSchedule) -> Option<(String, String)> {
    let c = schedule.status.as_ref()?.conditions.iter().find(|c| c.type_ == "Ready")?;
    Some((c.status.clone(), c.reason.clone()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_fires_every_minute_keeps_its_history_and_reports_the_last_profile() {
    let table = orders_table();
    let world = World::new("schedules").await;
    let http_port = free_port();
    let _controller = world.controller(&world.database, http_port, &[]);
    world.create_runtime().await;
    world.state_machine_arn().await;
    let schedules: Api<ProfileSchedule> = Api::namespaced(world.client.clone(), "default");
    let jobs = world.jobs();

    // Created just before a minute starts, so three runs take a little over two minutes.
    at_second(50).await;
    let created = unix_now();
    let spec = json!({"successfulJobsHistoryLimit": 2, "concurrencyPolicy": "Allow"});
    schedules
        .create(&PostParams::default(), &schedule("minutely", json!({"source": glue_source("orders")}), spec))
        .await
        .unwrap();
    let uid = schedules.get("minutely").await.unwrap().uid().unwrap();

    // Pruning deletes the oldest jobs, so every name seen counts.
    let mut seen = BTreeSet::new();
    let start = std::time::Instant::now();
    while seen.len() < 3 {
        assert!(start.elapsed() < Duration::from_secs(240), "three runs within 240 s; seen {seen:?}");
        seen.extend(jobs_of(&jobs, "minutely").await.iter().map(|j| j.name_any()));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let names: Vec<&String> = seen.iter().take(3).collect();
    let minutes: Vec<u64> = names.iter().map(|n| minute(n)).collect();
    assert_eq!(minutes[0], created / 60 + 1, "the first run is the first minute after creation: {names:?}");
    assert_eq!((minutes[1], minutes[2]), (minutes[0] + 1, minutes[0] + 2), "one run a minute: {names:?}");

    // Each job: the template's labels, the schedule's label, the scheduled time, owned by it.
    let third = jobs.get(names[2]).await.unwrap();
    assert_eq!(third.labels().get("team").map(String::as_str), Some("data"));
    assert_eq!(third.labels().get("profiler.dev/schedule").map(String::as_str), Some("minutely"));
    let scheduled: jiff::Timestamp = third.annotations()["profiler.dev/scheduled-time"].parse().unwrap();
    assert_eq!(scheduled.as_second() as u64, minutes[2] * 60);
    let owner = &third.owner_references()[0];
    assert_eq!((owner.kind.as_str(), owner.uid.as_str()), ("ProfileSchedule", uid.as_str()));
    assert_eq!((owner.controller, owner.block_owner_deletion), (Some(true), Some(true)));

    // The third succeeds; history keeps the two newest succeeded jobs.
    wait_for_phase(&jobs, names[2], &[JobPhase::Succeeded], Duration::from_secs(180)).await;
    eventually("history of two", Duration::from_secs(150), || {
        let jobs = jobs.clone();
        let oldest = names[0].clone();
        async move {
            let left = jobs_of(&jobs, "minutely").await;
            let succeeded =
                left.iter().filter(|j| j.status.as_ref().and_then(|s| s.phase) == Some(JobPhase::Succeeded));
            succeeded.count() == 2 && !left.iter().any(|j| j.name_any() == oldest)
        }
    })
    .await;

    // The schedule's status: last schedule, last profile of the newest succeeded run.
    eventually("the last profile is the third run's", Duration::from_secs(150), || {
        let schedules = schedules.clone();
        let third = names[2].clone();
        async move {
            let status = schedules.get("minutely").await.unwrap().status.unwrap_or_default();
            status.last_profile.is_some_and(|p| p.job_name >= third)
        }
    })
    .await;
    let stored = schedules.get("minutely").await.unwrap();
    let status = stored.status.clone().unwrap();
    let profile = status.last_profile.unwrap();
    assert_eq!(profile.rows, table["whole"]["rows"].as_u64().unwrap());
    assert!(profile.profile_uri.starts_with("s3://") && profile.report_uri.ends_with("report.html"), "{profile:?}");
    assert!(status.last_successful_time.is_some() && status.last_schedule_time.is_some());
    assert_eq!(ready(&stored), Some(("True".into(), "Scheduling".into())));
    assert_eq!(status.observed_generation, stored.meta().generation);

    // Suspended: Ready=False, reason Suspended; the gauge follows.
    let suspend = json!({"spec": {"suspend": true}});
    schedules.patch("minutely", &PatchParams::default(), &Patch::Merge(&suspend)).await.unwrap();
    eventually("suspended", Duration::from_secs(60), || {
        let schedules = schedules.clone();
        async move { ready(&schedules.get("minutely").await.unwrap()) == Some(("False".into(), "Suspended".into())) }
    })
    .await;
    eventually("the schedule gauge", Duration::from_secs(30), || async {
        http_get(http_port, "/metrics")
            .is_some_and(|m| m.contains("profiler_operator_schedules{state=\"Suspended\"} 1"))
    })
    .await;
    let runs = metric(http_port, "profiler_operator_schedule_runs_total").unwrap_or(0.0);
    assert!(runs >= 3.0, "runs created: {runs}");
}

#[tokio::test(flavor = "multi_thread")]
async fn forbid_skips_while_a_run_is_active_and_a_replaced_controller_adopts_the_run_it_created() {
    orders_table();
    tokio::join!(forbid_skips(), restart_adopts());
}

/// A Forbid schedule whose run hangs on a catalog that never answers: the next minute's run is
/// skipped (Event JobSkipped), and no second job exists.
async fn forbid_skips() {
    let world = World::new("schedforbid").await;
    let http_port = free_port();
    let _controller = world.controller(&world.database, http_port, &[]);
    world.create_runtime().await;
    world.state_machine_arn().await;
    let schedules: Api<ProfileSchedule> = Api::namespaced(world.client.clone(), "default");
    let jobs = world.jobs();
    let silent = SilentCatalog::new();

    at_second(50).await;
    let template = json!({"source": silent.source(), "backoffLimit": 5});
    schedules.create(&PostParams::default(), &schedule("slow", template, json!({}))).await.unwrap();
    eventually("the first run", Duration::from_secs(30), || {
        let jobs = jobs.clone();
        async move { !jobs_of(&jobs, "slow").await.is_empty() }
    })
    .await;
    let first = jobs_of(&jobs, "slow").await[0].name_any();
    let events: Api<Event> = Api::namespaced(world.client.clone(), "default");
    eventually("a JobSkipped event", Duration::from_secs(90), || {
        let events = events.clone();
        async move {
            let listed = events.list(&ListParams::default()).await.unwrap().items;
            listed.iter().any(|e| e.reason.as_deref() == Some("JobSkipped"))
        }
    })
    .await;
    let left: Vec<String> = jobs_of(&jobs, "slow").await.iter().map(|j| j.name_any()).collect();
    assert_eq!(left, vec![first.clone()], "Forbid: no second job while the first is active");
    let status = schedules.get("slow").await.unwrap().status.unwrap();
    assert_eq!(status.active.iter().map(|a| a.name.clone().unwrap()).collect::<Vec<_>>(), vec![first.clone()]);
    assert!(metric(http_port, "profiler_operator_schedule_skipped_runs_total").unwrap_or(0.0) >= 1.0);

    // Suspended, then the hanging run deleted: its execution stops, nothing new starts.
    let suspend = json!({"spec": {"suspend": true}});
    schedules.patch("slow", &PatchParams::default(), &Patch::Merge(&suspend)).await.unwrap();
    jobs.delete(&first, &DeleteParams::default()).await.unwrap();
    wait_until_gone(&jobs, &first, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(jobs_of(&jobs, "slow").await.is_empty());
}

/// The controller is stopped before a scheduled time, after it created that time's job (the
/// job is created here, as it would have been, and the status not written); its replacement
/// adopts the job: one job for the time, lastScheduleTime set, no run created.
async fn restart_adopts() {
    let world = World::new("schedrestart").await;
    let first = world.controller(&world.database, free_port(), &[]);
    world.create_runtime().await;
    world.state_machine_arn().await;
    let schedules: Api<ProfileSchedule> = Api::namespaced(world.client.clone(), "default");
    let jobs = world.jobs();

    at_second(20).await;
    schedules
        .create(&PostParams::default(), &schedule("restarted", json!({"source": glue_source("orders")}), json!({})))
        .await
        .unwrap();
    let uid = schedules.get("restarted").await.unwrap().uid().unwrap();
    let due = unix_now() / 60 + 1;
    at_second(45).await;
    drop(first);

    // What the stopped controller created for the minute that is now due.
    at_second(3).await;
    let name = format!("restarted-{due}");
    let job: ProfileJob = serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob",
        "metadata": {
            "name": name, "namespace": "default",
            "labels": {"team": "data", "profiler.dev/schedule": "restarted"},
            "annotations": {"profiler.dev/scheduled-time": jiff::Timestamp::from_second(due as i64 * 60).unwrap().to_string()},
            "ownerReferences": [{"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileSchedule", "name": "restarted",
                "uid": uid, "controller": true, "blockOwnerDeletion": true}],
        },
        "spec": {"source": glue_source("orders")},
    }))
    .unwrap();
    let job_uid = jobs.create(&PostParams::default(), &job).await.unwrap().uid();

    let http_port = free_port();
    let _second = world.controller(&world.database, http_port, &[]);
    eventually("the replacement records the run", Duration::from_secs(40), || {
        let schedules = schedules.clone();
        async move {
            let status = schedules.get("restarted").await.unwrap().status.unwrap_or_default();
            status.last_schedule_time.is_some_and(|t| t.0.as_second() as u64 == due * 60)
        }
    })
    .await;
    let all = jobs_of(&jobs, "restarted").await;
    assert_eq!(all.iter().map(|j| j.name_any()).collect::<Vec<_>>(), vec![name.clone()], "one job for the time");
    assert_eq!(all[0].uid(), job_uid, "the same job, not a new one");
    assert_eq!(metric(http_port, "profiler_operator_schedule_runs_total"), Some(0.0), "no run created");
    let done = wait_for_phase(&jobs, &name, &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(120)).await;
    assert_eq!(done.status.and_then(|s| s.phase), Some(JobPhase::Succeeded));
    let suspend = json!({"spec": {"suspend": true}});
    schedules.patch("restarted", &PatchParams::default(), &Patch::Merge(&suspend)).await.unwrap();
}
