//! Data quality rules on Kubernetes: a ProfileJob with inline rules (one of them failing) runs
//! through Step Functions and the worker, which verifies them in the profile's scan; the job
//! Succeeds, its status scores the rules and names the failing one, a RulesFailed event lists it,
//! the counters count it, check.json is in S3 and the check is in Postgres. Rules kept in a
//! ConfigMap are read when the job is submitted; an invalid rule there fails the job before any
//! AWS call, naming the ConfigMap, key, rule and field.

use std::time::Duration;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams};
use profiler_crds::JobPhase;
use profiler_store::{DatabaseConfig, Store};
use serde_json::{Value, json};

use crate::support::*;

/// Five rules on `fixtures.orders` (5,000 rows; every tenth amount is null): all pass but
/// `amount-complete`.
fn rules() -> Value {
    json!([
        {"name": "rows", "type": "rowCount", "min": 5000, "max": 5000},
        {"name": "id-unique", "type": "uniqueness", "column": "id"},
        {"name": "status-values", "type": "allowedValues", "column": "status", "values": ["new", "paid", "shipped"]},
        {"name": "amount-complete", "type": "completeness", "column": "amount"},
        {"name": "amount-range", "type": "range", "column": "amount", "min": 0, "max": 150},
    ])
}

async fn config_map(world: &World, name: &str, text: &str) {
    let api: Api<ConfigMap> = Api::namespaced(world.client.clone(), "default");
    let cm: ConfigMap = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"},
        "data": {"rules.yaml": text},
    }))
    .unwrap();
    api.create(&PostParams::default(), &cm).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_job_verifies_its_rules_in_the_same_run_and_reports_the_failing_one() {
    orders_table();
    let world = World::new("rules").await;
    let http_port = free_port();
    let _controller = world.controller(&world.database, http_port, &[]);
    world.create_runtime().await;
    let jobs = world.jobs();

    let spec = json!({"rules": {"inline": rules()}});
    jobs.create(&PostParams::default(), &job("checked", glue_source("orders"), spec)).await.unwrap();
    let done =
        wait_for_phase(&jobs, "checked", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Succeeded), "a failed rule does not fail the job: {status:?}");
    let result = status.result.unwrap();
    let check = result.check.expect("the check in status.result");
    assert_eq!(check.score, "4/5");
    assert_eq!((check.summary.rules, check.summary.passed, check.summary.failed, check.summary.errors), (5, 4, 1, 0));
    assert_eq!(check.summary.failing, ["amount-complete"]);
    assert!(status.message.unwrap_or_default().ends_with("; 4/5 rules passed"));

    // check.json beside profile.json, every rule with what it saw.
    assert_eq!(check.check_uri, result.profile_uri.replace("profile.json", "check.json"));
    let document = s3_json(&check.check_uri).await;
    let outcomes: Vec<(&str, &str)> = document["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), r["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("rows", "passed"),
            ("id-unique", "passed"),
            ("status-values", "passed"),
            ("amount-complete", "failed"),
            ("amount-range", "passed")
        ]
    );
    assert_eq!(document["results"][3]["failingRows"], 500, "{document}");

    // A Warning event naming the failing rule, and the counters.
    eventually("a RulesFailed event", Duration::from_secs(30), || async {
        event_notes(&world, "checked", "RulesFailed").await.iter().any(|n| n.contains("1 failed: amount-complete"))
    })
    .await;
    let metrics = http_get(http_port, "/metrics").unwrap();
    for line in [
        "profiler_operator_rule_results_total{namespace=\"default\",outcome=\"passed\"} 4",
        "profiler_operator_rule_results_total{namespace=\"default\",outcome=\"failed\"} 1",
        "profiler_operator_rule_checks_total{namespace=\"default\",outcome=\"failed\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in {metrics}");
    }

    // The check in Postgres: one row for the run, one per rule.
    let store = Store::open(&DatabaseConfig::from_url(&world.database).unwrap()).await.unwrap();
    let (passed, failed, failing): (i32, i32, Vec<String>) = sqlx::query_as(
        "select c.passed_count, c.failed_count, c.failing from profiler.rule_checks c
         join profiler.profile_runs r on r.id = c.run_id join profiler.profile_jobs j on j.uid = r.job_uid
         where j.namespace = 'default' and j.name = 'checked'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((passed, failed, failing), (4, 1, vec!["amount-complete".to_owned()]));
    let rows: Vec<(String, String)> =
        sqlx::query_as("select name, outcome from profiler.rule_results where namespace = 'default' order by position")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[3], ("amount-complete".to_owned(), "failed".to_owned()));

    // Rules in a ConfigMap: read when the job is submitted.
    let passing = "formatVersion: 1\nrules:\n  - {name: rows, type: rowCount, min: 1}\n";
    config_map(&world, "orders-rules", passing).await;
    let spec = json!({"rules": {"configMapRef": {"name": "orders-rules"}}});
    jobs.create(&PostParams::default(), &job("from-config-map", glue_source("orders"), spec)).await.unwrap();
    let done =
        wait_for_phase(&jobs, "from-config-map", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180))
            .await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Succeeded), "{status:?}");
    assert_eq!(status.result.unwrap().check.unwrap().score, "1/1");

    // An invalid rule in the ConfigMap fails the job before anything runs.
    let broken = "formatVersion: 1\nrules:\n  - {name: amount-range, type: range, column: amount, min: 5, max: 1}\n";
    config_map(&world, "broken-rules", broken).await;
    let spec = json!({"rules": {"configMapRef": {"name": "broken-rules"}}});
    jobs.create(&PostParams::default(), &job("broken", glue_source("orders"), spec)).await.unwrap();
    let done = wait_for_phase(&jobs, "broken", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(60)).await;
    let status = done.status.unwrap();
    assert_eq!((status.phase, status.attempt), (Some(JobPhase::Failed), 0), "{status:?}");
    let failed = status.conditions.iter().find(|c| c.type_ == "Failed").unwrap();
    assert_eq!(failed.reason, "InvalidRules");
    assert!(
        failed.message.contains("ConfigMap default/broken-rules key rules.yaml: rules[0] (amount-range, range): max"),
        "{}",
        failed.message
    );
    eventually("an InvalidRules event", Duration::from_secs(30), || async {
        !event_notes(&world, "broken", "InvalidRules").await.is_empty()
    })
    .await;
}
