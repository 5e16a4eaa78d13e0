//! A Glue table whose schema evolves between two runs of a ProfileJob: the second run reads the
//! current snapshot under the current schema, so the renamed column keeps its field id and its
//! data, the added column reads as null in the older files, and the promoted types are the new
//! ones; each profile says which schema it was read under.

use std::time::Duration;

use kube::api::PostParams;
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

/// Runs `name` on the Glue table `evolution.accounts` and returns its profile.json.
async fn profile(world: &World, name: &str) -> Value {
    let jobs = world.jobs();
    let source = json!({"iceberg": {"catalog": {"glue": {}}, "namespace": "evolution", "table": "accounts"}});
    jobs.create(&PostParams::default(), &job(name, source, json!({}))).await.unwrap();
    let done = wait_for_phase(&jobs, name, &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Succeeded), "{status:?}");
    s3_json(&status.result.unwrap().profile_uri).await
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
        assert_eq!(c["min"], figures["min"], "{name}");
        assert_eq!(c["max"], figures["max"], "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_glue_table_that_evolved_between_two_runs_is_profiled_under_its_current_schema() {
    let world = World::new("evolution").await;
    let _controller = world.controller(&world.database, free_port(), &[]);
    world.create_runtime().await;
    let moto = env("PROFILER_TEST_MOTO_URL");
    let dir = std::env::temp_dir().join(format!("profiler-e2e-evolution-{}", std::process::id()));
    let bucket = format!("e2e{}-evolution", std::process::id());
    let step = |name: &str| fixture("evolve_glue_table.py", &[dir.to_str().unwrap(), &moto, &bucket, name]);

    let before = step("create");
    let first = profile(&world, "accounts-1").await;
    assert_matches(&first, &before);
    assert_eq!(column(&first, "id")["dataType"], "Int32");
    assert_eq!(column(&first, "owner")["fieldId"], 3);

    let after = step("evolve");
    let second = profile(&world, "accounts-2").await;
    assert_matches(&second, &after);
    assert_eq!(column(&second, "id")["dataType"], "Int64");
    assert_eq!(column(&second, "balance")["dataType"], "Float64");
    // The renamed column is the same column (field id 3) with all of its rows.
    assert_eq!(column(&second, "holder")["fieldId"], 3);
    assert_eq!(column(&second, "holder")["count"], after["rows"]);
    assert!(second["columns"].as_array().unwrap().iter().all(|c| c["name"] != "owner"));
    // The added column is null in the 500 rows written before it existed.
    let tier = column(&second, "tier");
    assert!(tier["nulls"].as_u64().unwrap() >= 500, "{tier}");
}
