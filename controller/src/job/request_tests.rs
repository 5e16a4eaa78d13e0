//! The ProfileJob reconciler's Kubernetes requests, checked one by one against a tower-test mock
//! API server: which requests it sends, in which order, with which bodies. (No AWS call is made
//! on these paths; the AWS clients point nowhere.)

use std::sync::Arc;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use http::{Request, Response, StatusCode};
use kube::Client;
use kube::client::Body;
use kube::runtime::controller::Action;
use kube::runtime::events::Reporter;
use profiler_crds::resources::ProfileJob;
use serde_json::{Value, json};
use tower_test::mock;

use super::reconcile::{FINALIZER, JobContext, reconcile};
use super::tracker::ExecutionTracker;
use crate::aws::Aws;
use crate::backoff::ErrorBackoff;
use crate::events::EventPublisher;
use crate::metrics::Metrics;
use crate::mock_api::{ApiHandle, answer};

fn context(client: Client) -> Arc<JobContext> {
    let region = Region::new("us-east-1");
    let sfn = aws_sdk_sfn::Client::from_conf(
        aws_sdk_sfn::Config::builder().behavior_version(BehaviorVersion::latest()).region(region.clone()).build(),
    );
    let ecs = aws_sdk_ecs::Client::from_conf(
        aws_sdk_ecs::Config::builder().behavior_version(BehaviorVersion::latest()).region(region.clone()).build(),
    );
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::builder().behavior_version(BehaviorVersion::latest()).region(region).build(),
    );
    Arc::new(JobContext {
        client: client.clone(),
        aws: Aws { sfn: sfn.clone(), ecs, s3 },
        tracker: ExecutionTracker::new(sfn, Duration::from_secs(5)),
        progress: super::progress::ProgressLooks::new(Duration::ZERO),
        store: None,
        recorder: EventPublisher::new(client, Reporter { controller: "test".into(), instance: None }),
        metrics: Metrics::default(),
        backoff: ErrorBackoff::default(),
        runtimes: None,
    })
}

fn profile_job(extra_spec: Value, status: Value, finalizers: &[&str]) -> Value {
    let mut spec = json!({
        "source": {"athena": {"database": "sales", "table": "orders"}},
        "runtimeRef": {"name": "default"},
    });
    if let (Some(spec), Value::Object(extra)) = (spec.as_object_mut(), extra_spec) {
        spec.extend(extra);
    }
    json!({
        "apiVersion": "profiler.dev/v1alpha1",
        "kind": "ProfileJob",
        "metadata": {
            "name": "orders", "namespace": "team-a", "uid": "0b5e6a8e-3c1f-4d2a-9a57-1f0c2d3e4f50",
            "generation": 1, "resourceVersion": "7", "finalizers": finalizers,
            "creationTimestamp": "2026-11-20T10:00:00Z",
        },
        "spec": spec,
        "status": status,
    })
}

fn not_found(what: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404,
           "message": format!("{what} not found")})
}

/// Answers the reconciler's lookup of the ProfilerRuntime `default`: it does not exist.
async fn runtime_is_missing(api: &mut ApiHandle) {
    answer(
        api,
        |method, uri, _| assert_eq!((method, uri), ("GET", "/apis/profiler.dev/v1alpha1/profilerruntimes/default")),
        StatusCode::NOT_FOUND,
        not_found("profilerruntimes.profiler.dev \"default\""),
    )
    .await;
}

async fn run(job: Value, server: impl AsyncFnOnce(ApiHandle)) -> Action {
    let (service, handle) = mock::pair::<Request<Body>, Response<Body>>();
    let client = Client::new(service, "default");
    let job: ProfileJob = serde_json::from_value(job).expect("a ProfileJob");
    let ctx = context(client);
    let (action, ()) = tokio::join!(reconcile(Arc::new(job), ctx), server(handle));
    action.expect("the reconcile succeeds")
}

#[tokio::test]
async fn a_new_job_first_gets_the_finalizer_and_nothing_else() {
    let job = profile_job(json!({}), Value::Null, &[]);
    let action = run(job.clone(), async |mut api| {
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!(
                    (method, uri),
                    ("PATCH", "/apis/profiler.dev/v1alpha1/namespaces/team-a/profilejobs/orders")
                );
                let ops = body.as_array().expect("a JSON patch");
                assert!(
                    ops.iter().any(|op| op["op"] == "add"
                        && (op["value"] == json!([FINALIZER]) || op["value"] == json!(FINALIZER))),
                    "{body}"
                );
            },
            StatusCode::OK,
            profile_job(json!({}), Value::Null, &[FINALIZER]),
        )
        .await;
        assert!(api.next_request().await.is_none(), "nothing is sent after the finalizer");
    })
    .await;
    assert_eq!(action, Action::await_change());
}

#[tokio::test]
async fn a_missing_runtime_is_reported_in_status_and_looked_at_again_later() {
    let job = profile_job(json!({}), Value::Null, &[FINALIZER]);
    let action = run(job.clone(), async |mut api| {
        runtime_is_missing(&mut api).await;
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!(
                    (method, uri),
                    ("PATCH", "/apis/profiler.dev/v1alpha1/namespaces/team-a/profilejobs/orders/status")
                );
                let status = &body["status"];
                assert_eq!(status["phase"], "Pending");
                assert_eq!(status["attempt"], 0);
                assert!(status.get("executionArn").is_none_or(Value::is_null), "{status}");
                let ready = status["conditions"].as_array().unwrap().iter().find(|c| c["type"] == "Ready").unwrap();
                assert_eq!(
                    (ready["status"].as_str(), ready["reason"].as_str()),
                    (Some("False"), Some("RuntimeNotReady"))
                );
                let message = ready["message"].as_str().unwrap();
                assert!(message.contains("ProfilerRuntime \"default\" does not exist"), "{message}");
                assert_eq!(ready["observedGeneration"], 1);
            },
            StatusCode::OK,
            job.clone(),
        )
        .await;
        assert!(api.next_request().await.is_none());
    })
    .await;
    assert_eq!(action, Action::requeue(Duration::from_secs(30)));
}

#[tokio::test]
async fn a_finished_job_past_its_ttl_is_deleted_in_the_background() {
    let status = json!({"phase": "Succeeded", "attempt": 1, "observedGeneration": 1,
        "startTime": "2026-11-20T10:00:00Z", "completionTime": "2026-11-20T10:05:00Z"});
    let job = profile_job(json!({"ttlSecondsAfterFinished": 60}), status, &[FINALIZER]);
    let action = run(job.clone(), async |mut api| {
        runtime_is_missing(&mut api).await;
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!(
                    (method, uri),
                    ("DELETE", "/apis/profiler.dev/v1alpha1/namespaces/team-a/profilejobs/orders")
                );
                assert_eq!(body["propagationPolicy"], "Background");
            },
            StatusCode::OK,
            job.clone(),
        )
        .await;
        assert!(api.next_request().await.is_none());
    })
    .await;
    assert_eq!(action, Action::await_change());
}

#[tokio::test]
async fn a_finished_job_that_is_up_to_date_sends_nothing_but_the_runtime_lookup() {
    let status = json!({"phase": "Failed", "attempt": 1, "observedGeneration": 1,
        "startTime": "2026-11-20T10:00:00Z", "completionTime": "2026-11-20T10:05:00Z"});
    let job = profile_job(json!({}), status, &[FINALIZER]);
    let action = run(job, async |mut api| {
        runtime_is_missing(&mut api).await;
        assert!(api.next_request().await.is_none(), "no status write when nothing changed");
    })
    .await;
    assert_eq!(action, Action::await_change());
}

/// Answers the reconciler's lookup of the ProfilerRuntime `default`: it is Ready.
async fn runtime_is_ready(api: &mut ApiHandle) {
    let runtime = json!({
        "apiVersion": "profiler.dev/v1alpha1", "kind": "ProfilerRuntime", "metadata": {"name": "default"},
        "spec": {
            "ecs": {"cluster": "profiler", "subnets": ["subnet-0123456789abcdef0"], "securityGroups": ["sg-0123456789abcdef0"]},
            "taskRoleArn": "arn:aws:iam::123456789012:role/profiler-task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/profiler-execution",
            "stateMachineRoleArn": "arn:aws:iam::123456789012:role/profiler-states",
            "worker": {"image": "ghcr.io/profiler-operator/profiler-worker:latest"},
            "results": {"bucket": "profiler-results"}
        },
        "status": {
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:profiler",
            "conditions": [{"type": "Ready", "status": "True", "reason": "ResourcesReady", "message": "",
                            "lastTransitionTime": "2026-11-20T09:00:00Z"}]
        }
    });
    answer(
        api,
        |method, uri, _| assert_eq!((method, uri), ("GET", "/apis/profiler.dev/v1alpha1/profilerruntimes/default")),
        StatusCode::OK,
        runtime,
    )
    .await;
}

/// A job whose rules are in ConfigMap `orders-rules`, key `rules.yaml`, answered with
/// `config_map` (404 when None): it fails before any AWS call, with a Warning event and a Failed
/// condition whose message contains `expected`.
async fn rules_fail_before_submission(config_map: Option<Value>, expected: &str) {
    let spec = json!({"rules": {"configMapRef": {"name": "orders-rules"}}});
    let job = profile_job(spec, Value::Null, &[FINALIZER]);
    let action = run(job.clone(), async |mut api| {
        runtime_is_ready(&mut api).await;
        let status = if config_map.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
        let reply = config_map.clone().unwrap_or_else(|| not_found("configmaps \"orders-rules\""));
        answer(
            &mut api,
            |method, uri, _| assert_eq!((method, uri), ("GET", "/api/v1/namespaces/team-a/configmaps/orders-rules")),
            status,
            reply,
        )
        .await;
        answer(
            &mut api,
            |method, uri, event| {
                assert_eq!((method, uri), ("POST", "/apis/events.k8s.io/v1/namespaces/team-a/events"));
                assert_eq!((event["type"].as_str(), event["reason"].as_str()), (Some("Warning"), Some("InvalidRules")));
                let note = event["note"].as_str().unwrap_or_default();
                assert!(note.contains(expected), "{note}");
            },
            StatusCode::CREATED,
            json!({}),
        )
        .await;
        answer(
            &mut api,
            |method, uri, body| {
                assert_eq!(
                    (method, uri),
                    ("PATCH", "/apis/profiler.dev/v1alpha1/namespaces/team-a/profilejobs/orders/status")
                );
                let status = &body["status"];
                assert_eq!(status["phase"], "Failed");
                assert_eq!(status["attempt"], 0, "nothing was submitted");
                let failed = status["conditions"].as_array().unwrap().iter().find(|c| c["type"] == "Failed").unwrap();
                assert_eq!(failed["reason"], "InvalidRules");
                assert!(failed["message"].as_str().unwrap().contains(expected), "{failed}");
            },
            StatusCode::OK,
            job.clone(),
        )
        .await;
        assert!(api.next_request().await.is_none(), "no AWS call, nothing else");
    })
    .await;
    assert_eq!(action, Action::requeue(Duration::from_secs(1)));
}

fn config_map(key: &str, text: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "orders-rules", "namespace": "team-a"}, "data": {key: text}})
}

#[tokio::test]
async fn a_missing_rules_config_map_fails_the_job_before_any_aws_call() {
    rules_fail_before_submission(None, "ConfigMap team-a/orders-rules does not exist").await;
}

#[tokio::test]
async fn a_rules_config_map_without_the_key_fails_the_job_naming_its_keys() {
    let cm = config_map("checks.yaml", "formatVersion: 1\nrules: []\n");
    rules_fail_before_submission(Some(cm), "has no key \"rules.yaml\" (its keys: checks.yaml)").await;
}

#[tokio::test]
async fn an_invalid_rule_in_the_config_map_fails_the_job_naming_the_rule_and_field() {
    let text = "formatVersion: 1\nrules:\n  - {name: amount-range, type: range, column: amount, min: 5, max: 1}\n";
    let expected = "ConfigMap team-a/orders-rules key rules.yaml: rules[0] (amount-range, range): max: must be >= min";
    rules_fail_before_submission(Some(config_map("rules.yaml", text)), expected).await;
}

#[tokio::test]
async fn a_rules_yaml_that_does_not_parse_names_the_config_map_and_the_place() {
    let text = "formatVersion: 1\nrules:\n  - {name: a, type: completeness, colum: id}\n";
    rules_fail_before_submission(Some(config_map("rules.yaml", text)), "key rules.yaml: rules[0].colum: unknown field")
        .await;
}
