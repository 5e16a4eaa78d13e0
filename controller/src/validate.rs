//! `profiler-controller validate`: checks manifests offline exactly as the controller checks them
//! before it runs anything — a ProfileJob's spec and the job document built from it, a
//! ProfileSchedule's schedule, time zone and limits and its job template as a ProfileJob, a
//! ProfilerRuntime's spec — so a CI pipeline (or the admission parity test) can ask the
//! controller's own rules about a manifest without a cluster.

use profiler_crds::resources::{ProfileJob, ProfileSchedule, ProfilerRuntime};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::job::document::job_document;

/// The uid a manifest is checked with (the API server gives the real one).
const PLACEHOLDER_UID: &str = "00000000-0000-0000-0000-000000000000";

/// The verdict on one manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `kind` of the manifest.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// Why the controller would refuse it; `None` when it would run it.
    pub error: Option<String>,
}

impl Verdict {
    /// One JSON line: `{"kind", "name", "valid", "error"}`.
    pub fn to_json(&self) -> Value {
        json!({"kind": self.kind, "name": self.name, "valid": self.error.is_none(), "error": self.error})
    }
}

/// Checks every document of a stream of JSON values, or else of a YAML stream.
pub fn validate_manifests(text: &str) -> Result<Vec<Verdict>, serde_yaml::Error> {
    let json: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(text).into_iter::<Value>().collect();
    let values = match json {
        Ok(values) => values,
        Err(_) => serde_yaml::Deserializer::from_str(text).map(Value::deserialize).collect::<Result<_, _>>()?,
    };
    Ok(values.iter().filter(|v| !v.is_null()).map(validate).collect())
}

/// The controller's verdict on one object.
pub fn validate(value: &Value) -> Verdict {
    let kind = value["kind"].as_str().unwrap_or_default().to_owned();
    let name = value["metadata"]["name"].as_str().unwrap_or_default().to_owned();
    let error = match kind.as_str() {
        "ProfileJob" => validate_job(value),
        "ProfileSchedule" => validate_schedule(value),
        "ProfilerRuntime" => validate_runtime(value),
        other => Err(format!("kind {other:?} is not a profiler.dev resource this controller checks")),
    };
    Verdict { kind, name, error: error.err() }
}

fn validate_job(value: &Value) -> Result<(), String> {
    let job: ProfileJob = serde_json::from_value(value.clone()).map_err(|e| format!("not a ProfileJob: {e}"))?;
    let namespace = job.metadata.namespace.clone().unwrap_or_else(|| "default".into());
    let rules = inline_rules(&job);
    job_document(&job, &namespace, PLACEHOLDER_UID, 1, &reference_runtime()?, rules)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn validate_schedule(value: &Value) -> Result<(), String> {
    let schedule: ProfileSchedule =
        serde_json::from_value(value.clone()).map_err(|e| format!("not a ProfileSchedule: {e}"))?;
    schedule.spec.validate().map_err(|e| e.to_string())?;
    crate::schedule::cron::Schedule::new(&schedule.spec.schedule, &schedule.spec.time_zone)
        .map_err(|e| e.to_string())?;
    // The template is a ProfileJob's spec: checked as the job it makes.
    let namespace = schedule.metadata.namespace.clone().unwrap_or_else(|| "default".into());
    let job = ProfileJob::new("check", schedule.spec.job_template.spec.clone());
    job_document(&job, &namespace, PLACEHOLDER_UID, 1, &reference_runtime()?, inline_rules(&job))
        .map(|_| ())
        .map_err(|e| format!("spec.jobTemplate: {e}"))
}

fn validate_runtime(value: &Value) -> Result<(), String> {
    let runtime: ProfilerRuntime =
        serde_json::from_value(value.clone()).map_err(|e| format!("not a ProfilerRuntime: {e}"))?;
    runtime.spec.validate().map_err(|e| e.to_string())?;
    // What the runtime hands every job document (bucket, prefix, database secret).
    job_document(&reference_job()?, "default", PLACEHOLDER_UID, 1, &runtime, None)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A job's inline rules as its document carries them (a ConfigMap's rules are read only when the
/// job is submitted; offline, its reference is checked for its form).
fn inline_rules(job: &ProfileJob) -> Option<profiler_crds::quality::RuleSet> {
    job.spec.rules.as_ref().and_then(|r| r.inline_set())
}

/// A valid runtime, to check a job against.
fn reference_runtime() -> Result<ProfilerRuntime, String> {
    serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1", "kind": "ProfilerRuntime", "metadata": {"name": "default"},
        "spec": {
            "ecs": {"cluster": "profiler", "subnets": ["subnet-0123456789abcdef0"], "securityGroups": ["sg-0123456789abcdef0"]},
            "taskRoleArn": "arn:aws:iam::123456789012:role/profiler-task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/profiler-execution",
            "stateMachineRoleArn": "arn:aws:iam::123456789012:role/profiler-states",
            "worker": {"image": "ghcr.io/profiler-operator/profiler-worker:latest"},
            "results": {"bucket": "profiler-results"}
        }
    }))
    .map_err(|e| format!("reference runtime: {e}"))
}

/// A valid job, to check a runtime with.
fn reference_job() -> Result<ProfileJob, String> {
    serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob", "metadata": {"name": "check", "namespace": "default"},
        "spec": {"source": {"athena": {"database": "sales", "table": "orders"}}}
    }))
    .map_err(|e| format!("reference job: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_and_a_bad_manifest() {
        let text = r#"
apiVersion: profiler.dev/v1alpha1
kind: ProfileJob
metadata: {name: orders}
spec:
  source: {athena: {database: sales, table: orders}}
---
apiVersion: profiler.dev/v1alpha1
kind: ProfileJob
metadata: {name: bad}
spec:
  source: {athena: {database: sales, table: orders}}
  sampling: {method: bernoulli, fraction: 0.1, seed: 1}
"#;
        let verdicts = validate_manifests(text).unwrap();
        assert_eq!(verdicts.len(), 2);
        assert_eq!(verdicts[0].error, None);
        assert!(verdicts[1].error.as_deref().unwrap().contains("pushdown profiles the whole table"), "{verdicts:?}");
    }

    #[test]
    fn schedules_are_checked_with_their_template() {
        let text = r#"
apiVersion: profiler.dev/v1alpha1
kind: ProfileSchedule
metadata: {name: nightly}
spec:
  schedule: "30 2 * * *"
  timeZone: Europe/Paris
  jobTemplate: {spec: {source: {athena: {database: sales, table: orders}}}}
---
apiVersion: profiler.dev/v1alpha1
kind: ProfileSchedule
metadata: {name: bad-cron}
spec:
  schedule: "30 2 * *"
  jobTemplate: {spec: {source: {athena: {database: sales, table: orders}}}}
---
apiVersion: profiler.dev/v1alpha1
kind: ProfileSchedule
metadata: {name: bad-template}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      source: {athena: {database: sales, table: orders}}
      sampling: {method: bernoulli, fraction: 0.1, seed: 1}
"#;
        let verdicts = validate_manifests(text).unwrap();
        assert_eq!(verdicts[0].error, None);
        assert!(
            verdicts[1].error.as_deref().unwrap().starts_with("spec.schedule: \"30 2 * *\" must be a cron schedule")
        );
        let template = verdicts[2].error.as_deref().unwrap();
        assert!(template.starts_with("spec.jobTemplate: ") && template.contains("pushdown"), "{template}");
    }

    #[test]
    fn the_reference_objects_are_valid() {
        assert!(reference_runtime().unwrap().spec.validate().is_ok());
        assert_eq!(validate(&serde_json::to_value(reference_job().unwrap()).unwrap()).error, None);
    }
}
