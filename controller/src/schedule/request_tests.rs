//! The ProfileSchedule reconciler's Kubernetes requests, checked one by one against a
//! tower-test mock API server: the schedule's jobs listed, the due run's ProfileJob created with
//! its owner, labels and scheduled time, an Event, the status; AlreadyExists taken as done; an
//! invalid schedule reported and nothing created.

use std::sync::Arc;

use http::{Request, Response, StatusCode};
use kube::Client;
use kube::client::Body;
use kube::runtime::controller::Action;
use kube::runtime::events::{Recorder, Reporter};
use profiler_crds::resources::ProfileSchedule;
use serde_json::{Value, json};
use tower_test::mock;

use super::reconcile::{ScheduleContext, reconcile};
use crate::metrics::Metrics;
use crate::mock_api::{ApiHandle, answer};

const JOBS: &str = "/apis/profiler.dev/v1alpha1/namespaces/team-a/profilejobs";
const UID: &str = "5c3b8e0a-1111-4d2a-9a57-1f0c2d3e4f50";

/// A schedule due every minute whose look back is the last minute: exactly one time is due.
fn schedule(extra_spec: Value) -> Value {
    let mut spec = json!({
        "schedule": "* * * * *",
        "timeZone": "UTC",
        "startingDeadlineSeconds": 60,
        "jobTemplate": {
            "metadata": {"labels": {"team": "sales"}, "annotations": {"owner": "data"}},
            "spec": {"source": {"athena": {"database": "sales", "table": "orders"}}},
        },
    });
    if let (Some(spec), Value::Object(extra)) = (spec.as_object_mut(), extra_spec) {
        spec.extend(extra);
    }
    json!({
        "apiVersion": "profiler.dev/v1alpha1",
        "kind": "ProfileSchedule",
        "metadata": {"name": "nightly", "namespace": "team-a", "uid": UID, "generation": 2,
            "resourceVersion": "9", "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": spec,
    })
}

/// The minute (Unix minutes) now falls in: the one time due. Away from the minute's end, so
/// the reconciler's own now falls in it too.
async fn due_minute() -> i64 {
    while jiff::Timestamp::now().as_second().rem_euclid(60) >= 55 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    jiff::Timestamp::now().as_second().div_euclid(60)
}

async fn no_jobs_yet(api: &mut ApiHandle) {
    answer(
        api,
        |method, uri, _| {
            assert_eq!(method, "GET");
            assert_eq!(uri, format!("{JOBS}?&labelSelector=profiler.dev%2Fschedule%3Dnightly"));
        },
        StatusCode::OK,
        json!({"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJobList", "metadata": {}, "items": []}),
    )
    .await;
}

async fn run(schedule: Value, server: impl AsyncFnOnce(ApiHandle)) -> Action {
    let (service, handle) = mock::pair::<Request<Body>, Response<Body>>();
    let client = Client::new(service, "default");
    let schedule: ProfileSchedule = serde_json::from_value(schedule).expect("a ProfileSchedule");
    let recorder = Recorder::new(client.clone(), Reporter { controller: "test".into(), instance: None });
    let ctx = Arc::new(ScheduleContext::new(client, recorder, Metrics::default()));
    let (action, ()) = tokio::join!(reconcile(Arc::new(schedule), ctx), server(handle));
    action.expect("the reconcile succeeds")
}

fn created_job(name: &str) -> Value {
    json!({"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob",
        "metadata": {"name": name, "namespace": "team-a", "uid": "job-uid-1"},
        "spec": {"source": {"athena": {"database": "sales", "table": "orders"}}}})
}

/// The status write: lastScheduleTime is the due minute, the job is active, Ready=True.
fn check_status(uri: &str, body: &Value, name: &str, minute: i64) {
    assert_eq!(uri, "/apis/profiler.dev/v1alpha1/namespaces/team-a/profileschedules/nightly/status");
    let status = &body["status"];
    let expected = jiff::Timestamp::from_second(minute * 60).unwrap();
    let written: jiff::Timestamp = status["lastScheduleTime"].as_str().unwrap().parse().unwrap();
    assert_eq!(written, expected);
    assert_eq!(
        status["active"],
        json!([{"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob", "name": name,
        "namespace": "team-a", "uid": "job-uid-1"}])
    );
    let ready = &status["conditions"][0];
    assert_eq!((ready["type"].as_str(), ready["status"].as_str()), (Some("Ready"), Some("True")));
    assert_eq!((ready["reason"].as_str(), ready["observedGeneration"].as_i64()), (Some("Scheduling"), Some(2)));
    assert_eq!(status["observedGeneration"], 2);
}

#[tokio::test]
async fn a_due_run_creates_an_owned_job_then_an_event_then_the_status() {
    let minute = due_minute().await;
    let name = format!("nightly-{minute}");
    let action = run(schedule(json!({})), async |mut api| {
        no_jobs_yet(&mut api).await;
        answer(
            &mut api,
            |method, uri, job| {
                assert_eq!((method, uri), ("POST", JOBS));
                let meta = &job["metadata"];
                assert_eq!(meta["name"], name.as_str());
                assert_eq!(meta["labels"], json!({"team": "sales", "profiler.dev/schedule": "nightly"}));
                let scheduled: jiff::Timestamp =
                    meta["annotations"]["profiler.dev/scheduled-time"].as_str().unwrap().parse().unwrap();
                assert_eq!(scheduled.as_second(), minute * 60);
                assert_eq!(meta["annotations"]["owner"], "data");
                assert_eq!(
                    meta["ownerReferences"],
                    json!([{"apiVersion": "profiler.dev/v1alpha1",
                    "kind": "ProfileSchedule", "name": "nightly", "uid": UID, "controller": true,
                    "blockOwnerDeletion": true}])
                );
                assert_eq!(
                    job["spec"]["source"],
                    json!({"athena": {"database": "sales", "table": "orders",
                    "catalog": "AwsDataCatalog", "workgroup": "primary", "method": "pushdown"}})
                );
            },
            StatusCode::CREATED,
            created_job(&name),
        )
        .await;
        answer(
            &mut api,
            |method, uri, event| {
                assert_eq!((method, uri), ("POST", "/apis/events.k8s.io/v1/namespaces/team-a/events"));
                assert_eq!(event["reason"], "SuccessfulCreate");
            },
            StatusCode::CREATED,
            json!({}),
        )
        .await;
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!(method, "PATCH");
                check_status(uri, &body, &name, minute);
            },
            StatusCode::OK,
            schedule(json!({})),
        )
        .await;
        assert!(api.next_request().await.is_none(), "nothing after the status");
    })
    .await;
    assert!(action != Action::await_change(), "looked at again at the next minute");
}

#[tokio::test]
async fn a_job_that_already_exists_counts_as_created() {
    let minute = due_minute().await;
    let name = format!("nightly-{minute}");
    run(schedule(json!({})), async |mut api| {
        no_jobs_yet(&mut api).await;
        let exists = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "AlreadyExists",
            "code": 409, "message": format!("profilejobs.profiler.dev \"{name}\" already exists")});
        answer(&mut api, |method, _, _| assert_eq!(method, "POST"), StatusCode::CONFLICT, exists).await;
        answer(
            &mut api,
            |method, uri, _| assert_eq!((method, uri), ("GET", format!("{JOBS}/{name}").as_str())),
            StatusCode::OK,
            created_job(&name),
        )
        .await;
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!(method, "PATCH", "no Event: nothing was created");
                check_status(uri, &body, &name, minute);
            },
            StatusCode::OK,
            schedule(json!({})),
        )
        .await;
        assert!(api.next_request().await.is_none());
    })
    .await;
}

#[tokio::test]
async fn an_unknown_time_zone_is_reported_and_nothing_is_created() {
    let action = run(schedule(json!({"timeZone": "Mars/Olympus"})), async |mut api| {
        no_jobs_yet(&mut api).await;
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!((method, uri.ends_with("/profileschedules/nightly/status")), ("PATCH", true));
                let ready = &body["status"]["conditions"][0];
                assert_eq!(
                    (ready["status"].as_str(), ready["reason"].as_str()),
                    (Some("False"), Some("InvalidSchedule"))
                );
                let message = ready["message"].as_str().unwrap();
                assert!(message.starts_with("spec.timeZone: \"Mars/Olympus\" must be an IANA time zone"), "{message}");
                assert!(body["status"].get("lastScheduleTime").is_none());
            },
            StatusCode::OK,
            schedule(json!({})),
        )
        .await;
        assert!(api.next_request().await.is_none());
    })
    .await;
    assert_eq!(action, Action::await_change());
}

/// The schedule's previous run, succeeded a minute ago with a profile compared with its own
/// baseline.
fn succeeded_job(minute: i64) -> Value {
    let scheduled = jiff::Timestamp::from_second((minute - 1) * 60).unwrap().to_string();
    json!({"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob",
        "metadata": {"name": format!("nightly-{}", minute - 1), "namespace": "team-a", "uid": "job-uid-0",
            "labels": {"profiler.dev/schedule": "nightly"},
            "annotations": {"profiler.dev/scheduled-time": scheduled},
            "ownerReferences": [{"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileSchedule",
                "name": "nightly", "uid": UID, "controller": true}]},
        "spec": {"source": {"athena": {"database": "sales", "table": "orders"}}},
        "status": {"phase": "Succeeded", "attempt": 1, "completionTime": scheduled,
            "result": {"rows": 10, "columns": 2, "sampledRows": 10, "durationMs": 5,
                "profileUri": "s3://results/runs/team-a/nightly-0/u/attempt-1/profile.json",
                "reportUri": "s3://results/runs/team-a/nightly-0/u/attempt-1/report.html",
                "drift": {"baseline": "s3://results/older/profile.json",
                    "summary": {"drift": true, "highestSeverity": "critical",
                        "findings": {"info": 0, "warning": 1, "critical": 1},
                        "driftedColumns": ["amount"], "driftedColumnCount": 1},
                    "diffUri": "s3://results/runs/team-a/nightly-0/u/attempt-1/diff.json"}}}})
}

#[tokio::test]
async fn each_run_is_compared_with_the_previous_successful_profile() {
    let minute = due_minute().await;
    let name = format!("nightly-{minute}");
    let template = json!({"jobTemplate": {"metadata": {},
        "spec": {"source": {"athena": {"database": "sales", "table": "orders"}},
                 "drift": {"thresholds": {"ksWarning": 0.2, "ksCritical": 0.4}}}}});
    run(schedule(template.clone()), async |mut api| {
        answer(
            &mut api,
            |method, _, _| assert_eq!(method, "GET"),
            StatusCode::OK,
            json!({"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJobList", "metadata": {},
                "items": [succeeded_job(minute)]}),
        )
        .await;
        answer(
            &mut api,
            |method, uri, job| {
                assert_eq!((method, uri), ("POST", JOBS));
                let drift = &job["spec"]["drift"];
                assert_eq!(drift["baseline"], "s3://results/runs/team-a/nightly-0/u/attempt-1/profile.json");
                assert_eq!(
                    (drift["thresholds"]["ksWarning"].as_f64(), drift["thresholds"]["ksCritical"].as_f64()),
                    (Some(0.2), Some(0.4))
                );
            },
            StatusCode::CREATED,
            created_job(&name),
        )
        .await;
        answer(&mut api, |_, _, event| assert_eq!(event["reason"], "SuccessfulCreate"), StatusCode::CREATED, json!({}))
            .await;
        answer(
            &mut api,
            |method, _, body| {
                assert_eq!(method, "PATCH");
                let comparison = &body["status"]["lastComparison"];
                assert_eq!(comparison["jobName"], format!("nightly-{}", minute - 1));
                assert_eq!(comparison["summary"]["highestSeverity"], "critical");
                assert_eq!(comparison["baseline"], "s3://results/older/profile.json");
                assert_eq!(body["status"]["lastProfile"]["rows"], 10);
            },
            StatusCode::OK,
            schedule(template.clone()),
        )
        .await;
    })
    .await;
}
