//! A Glue table whose schema evolves between two runs of a ProfileJob: the second run reads the
//! current snapshot under the current schema, so the renamed column keeps its field id and its
//! data, the added column reads as null in the older files, and the promoted types are the new
//! ones; each profile says which schema it was read under. Then the data shifts and a run with
//! the previous profile as its drift baseline finds the change (DriftDetected, status, metrics),
//! and a rerun on unchanged data finds none. The runs are incremental (`incremental: true`): the
//! first has no base and scans; the second's base predates the schema change and scans; the
//! third reads only the appended file and merges it into its base; the fourth reads nothing.

use std::time::Duration;

use k8s_openapi::api::events::v1::Event;
use kube::api::{Api, ListParams, PostParams};
use profiler_crds::JobPhase;
use serde_json::{Value, json};

use crate::support::*;

fn column<'a>(profile: &'a Value, name: &str) -> &'a Value {
    profile["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| {
        panic!(
            "no column {name} in {:?}",
            profile["columns"].as_array().unwrap().iter().map(|c| &c["name"]).collect::<Vec<_>>()
        )
    })
}

/// Runs `name` with `extra` spec fields; its task summary (status.result) and profile.json.
async fn run(world: &World, name: &str, extra: Value) -> (Value, Value) {
    let jobs = world.jobs();
    let source = json!({"iceberg": {"catalog": {"glue": {}}, "namespace": "evolution", "table": "accounts"}});
    jobs.create(&PostParams::default(), &job(name, source, extra)).await.unwrap();
    let done = wait_for_phase(&jobs, name, &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Succeeded), "{status:?}");
    let result = status.result.unwrap();
    let profile = s3_json(&result.profile_uri).await;
    (serde_json::to_value(result).unwrap(), profile)
}

/// The reasons of the events of ProfileJob `name`.
async fn event_reasons(world: &World, name: &str) -> Vec<String> {
    let events: Api<Event> = Api::namespaced(world.client.clone(), "default");
    let listed = events.list(&ListParams::default()).await.unwrap().items;
    listed
        .into_iter()
        .filter(|e| e.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some(name))
        .filter_map(|e| e.reason)
        .collect()
}

/// A min or max as compared: numbers by value (Python writes 29975.0 where Rust writes 29975),
/// other text as it is.
fn figure(value: &Value) -> Value {
    match value.as_str().map(str::parse::<f64>) {
        Some(Ok(number)) => json!(number),
        _ => value.clone(),
    }
}

/// The profile's figures of `name` agree with pyiceberg's read of the same snapshot.
fn assert_matches(profile: &Value, reference: &Value) {
    assert_eq!(profile["rowCount"], reference["rows"]);
    assert_eq!(profile["source"]["snapshotId"], reference["snapshot_id"]);
    assert_eq!(profile["source"]["iceberg"]["schemaId"], reference["schema_id"]);
    let expected = reference["columns"].as_object().unwrap();
    assert_eq!(profile["columns"].as_array().unwrap().len(), expected.len());
    for (name, figures) in expected {
        let c = column(profile, name);
        assert_eq!(c["fieldId"], figures["field_id"], "{name}");
        assert_eq!(c["nulls"], figures["nulls"], "{name}");
        assert_eq!(figure(&c["min"]), figure(&figures["min"]), "{name}");
        assert_eq!(figure(&c["max"]), figure(&figures["max"]), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_glue_table_that_evolved_between_two_runs_is_profiled_under_its_current_schema() {
    let world = World::new("evolution").await;
    let http_port = free_port();
    let _controller = world.controller(&world.database, http_port, &[]);
    world.create_runtime().await;
    let moto = env("PROFILER_TEST_MOTO_URL");
    let dir = scratch_dir("evolution-table");
    let bucket = format!("e2e{}-evolution", std::process::id());
    let step = |name: &str| fixture("evolve_glue_table.py", &[dir.to_str().unwrap(), &moto, &bucket, name]);

    let before = step("create");
    // Incremental without a baseline (a schedule's first run): a full scan that says why.
    let (_, first) = run(&world, "accounts-1", json!({"incremental": true})).await;
    assert_matches(&first, &before);
    let read = &first["source"]["iceberg"]["incremental"];
    assert_eq!((&read["merged"], read.get("baseSnapshotId")), (&json!(false), None), "{read}");
    assert!(read["reason"].as_str().unwrap().starts_with("no base profile"), "{read}");
    assert_eq!(column(&first, "id")["dataType"], "Int32");
    assert_eq!(column(&first, "owner")["fieldId"], 3);

    let baseline = |name: &str| {
        let jobs = world.jobs();
        let name = name.to_owned();
        async move { jobs.get(&name).await.unwrap().status.unwrap().result.unwrap().profile_uri }
    };
    let after = step("evolve");
    // Built on the first profile: the schema changed since, so the whole snapshot is scanned.
    let incremental = json!({"incremental": true, "drift": {"baseline": baseline("accounts-1").await}});
    let (_, second) = run(&world, "accounts-2", incremental).await;
    assert_matches(&second, &after);
    let read = &second["source"]["iceberg"]["incremental"];
    assert_eq!((&read["merged"], &read["baseSnapshotId"]), (&json!(false), &before["snapshot_id"]), "{read}");
    assert!(read["reason"].as_str().unwrap().contains("written under another schema"), "{read}");
    assert_eq!(column(&second, "id")["dataType"], "Int64");
    assert_eq!(column(&second, "balance")["dataType"], "Float64");
    // The renamed column is the same column (field id 3) with all of its rows.
    assert_eq!(column(&second, "holder")["fieldId"], 3);
    assert_eq!(column(&second, "holder")["count"], after["rows"]);
    assert!(second["columns"].as_array().unwrap().iter().all(|c| c["name"] != "owner"));
    // The added column is null in the 500 rows written before it existed.
    let tier = column(&second, "tier");
    assert!(tier["nulls"].as_u64().unwrap() >= 500, "{tier}");

    // The data shifts by an append: a run built on the previous profile reads only the appended
    // file, profiles the table as a full scan would, and finds the drift.
    let shifted = step("shift");
    let drift = json!({"incremental": true, "drift": {"baseline": baseline("accounts-2").await}});
    let (result, third) = run(&world, "accounts-3", drift).await;
    assert_matches(&third, &shifted);
    let read = &third["source"]["iceberg"]["incremental"];
    assert_eq!((&read["merged"], &read["filesRead"]), (&json!(true), &json!(1)), "{read}");
    assert_eq!(read["baseSnapshotId"], after["snapshot_id"], "{read}");
    let summary = &result["drift"]["summary"];
    assert_eq!(summary["drift"], true, "{result}");
    assert_eq!(summary["highestSeverity"], "critical", "{result}");
    let drifted: Vec<&str> = summary["driftedColumns"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for name in ["balance", "holder"] {
        assert!(drifted.contains(&name), "{name} drifted: {drifted:?}");
    }
    assert!(!drifted.contains(&"id") || drifted.len() > 2, "{drifted:?}");
    let diff = s3_json(result["drift"]["diffUri"].as_str().unwrap()).await;
    let kinds: Vec<(&str, &str)> = diff["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["column"]["name"].as_str().unwrap_or("")))
        .collect();
    for expected in [("nullFractionChanged", "balance"), ("ksDistance", "balance"), ("topValueAppeared", "holder")] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
    eventually("a DriftDetected event", Duration::from_secs(30), || async {
        event_reasons(&world, "accounts-3").await.iter().any(|r| r == "DriftDetected")
    })
    .await;
    let metrics = http_get(http_port, "/metrics").unwrap();
    assert!(
        metrics.lines().any(|l| l.starts_with("profiler_operator_drift_comparisons_total{")
            && l.contains("outcome=\"drift\"")
            && l.contains("severity=\"critical\"")),
        "{metrics}"
    );

    // Unchanged data compared with that profile: no drift, and nothing read to build on it.
    let drift = json!({"incremental": true, "drift": {"baseline": baseline("accounts-3").await}});
    let (result, fourth) = run(&world, "accounts-4", drift).await;
    assert_eq!(result["drift"]["summary"]["drift"], false, "{result}");
    assert_matches(&fourth, &shifted);
    let read = &fourth["source"]["iceberg"]["incremental"];
    assert_eq!((&read["merged"], &read["filesRead"]), (&json!(true), &json!(0)), "{read}");
    eventually("a Compared event", Duration::from_secs(30), || async {
        event_reasons(&world, "accounts-4").await.iter().any(|r| r == "Compared")
    })
    .await;
}
