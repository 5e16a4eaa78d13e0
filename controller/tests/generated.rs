//! Generated artefacts: the CRD YAML the chart ships must be what the code generates, and the
//! state machine definition must be valid Amazon States Language according to a real validator
//! (npm `asl-validator`, installed by scripts/test.sh).

use std::path::PathBuf;
use std::process::Command;

use profiler_controller::crd_yaml::crds_yaml;
use profiler_controller::state_machine::{StateMachineParams, definition};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn the_chart_ships_the_generated_crds() {
    let committed = std::fs::read_to_string(root().join("charts/profiler-operator/crds/profiler.dev.yaml")).unwrap();
    assert!(
        committed == crds_yaml().unwrap(),
        "charts/profiler-operator/crds/profiler.dev.yaml is stale: run \
         `cargo run -p profiler-controller -- crds > charts/profiler-operator/crds/profiler.dev.yaml`"
    );
}

/// Runs asl-validator on `definition`; returns whether it accepted it, and its output.
fn validate(definition: &serde_json::Value, name: &str) -> (bool, String) {
    let validator = std::env::var("PROFILER_TEST_ASL_VALIDATOR")
        .expect("PROFILER_TEST_ASL_VALIDATOR is not set: run scripts/test.sh, which installs npm asl-validator");
    let path = std::env::temp_dir().join(format!("profiler-asl-{}-{name}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec_pretty(definition).unwrap()).unwrap();
    let out = Command::new(&validator).arg("--json-path").arg(&path).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn the_state_machine_is_valid_amazon_states_language() {
    let params = StateMachineParams {
        cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/profiler".into(),
        task_definition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/profiler-worker:7".into(),
        subnets: vec!["subnet-0a".into(), "subnet-0b".into()],
        security_groups: vec!["sg-0a".into()],
        assign_public_ip: true,
        distributed_map_above: 40,
    };
    let good = definition(&params);
    let (valid, output) = validate(&good, "good");
    assert!(valid, "{output}");

    // The validator really checks: a dangling transition is refused.
    let mut broken = good.clone();
    broken["States"].as_object_mut().unwrap().remove("Succeeded");
    let (valid, output) = validate(&broken, "broken");
    assert!(!valid, "asl-validator accepted a machine without its Succeeded state: {output}");
}
