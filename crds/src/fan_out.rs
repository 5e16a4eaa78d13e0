//! Fan-out: how many worker tasks profile one table (`spec.parallelism`), and the names the
//! state machine and the worker share for the steps of a fanned-out run.
//!
//! A run always starts with one task. When the job may fan out and the planned bytes call for
//! more than one group, that task plans the groups instead of profiling, the state machine runs
//! one task per group (a Map state) and a final task merges the groups' partial profiles.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most groups a job may ask for, and the largest `maxParallelism` a runtime may set.
pub const MAX_PARALLELISM: u32 = 100;

/// Iterations an Inline Map state runs at once (Step Functions' limit), and a runtime's
/// `worker.distributedMapAbove` when it sets none: more groups run in a Distributed Map.
pub const INLINE_MAP_CONCURRENCY: u32 = 40;

/// A runtime's `worker.maxParallelism` when it sets none.
pub const DEFAULT_MAX_PARALLELISM: u32 = 10;

/// Bytes (compressed, of the projected columns) one task of an `auto` job is planned to read.
pub const AUTO_BYTES_PER_GROUP: u64 = 1 << 30;

/// Environment variable that tells a task which step of a fanned-out run it is: absent for the
/// first task (which plans, or profiles the whole table), `group-N` for group N, `merge`.
pub const TASK_STEP_ENV: &str = "PROFILER_TASK_STEP";

/// Value of [`TASK_STEP_ENV`] for the task that merges the groups' profiles.
pub const MERGE_STEP: &str = "merge";

/// Object name of the plan under the attempt's output prefix.
pub const PLAN_OBJECT: &str = "plan.json";

/// Object name of a group's partial profile under the group's prefix; written once the group
/// is profiled, so its presence marks a group done.
pub const PARTIAL_PROFILE_OBJECT: &str = "profile.json";

/// Key of group `index`'s objects under the attempt's output prefix: `groups/<index>/`.
pub fn group_prefix(index: u32) -> String {
    format!("groups/{index}/")
}

/// Value of [`TASK_STEP_ENV`] for group `index`.
pub fn group_step(index: u32) -> String {
    format!("group-{index}")
}

/// Which step a task is, from the value of [`TASK_STEP_ENV`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStep {
    /// The first task: plans the groups, or profiles the whole table when one task is enough.
    First,
    /// Profiles group N of the plan.
    Group(u32),
    /// Merges the groups' partial profiles into the job's outputs.
    Merge,
}

impl TaskStep {
    /// The step `value` names (`None`: the first task).
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value {
            None | Some("") => Ok(TaskStep::First),
            Some(MERGE_STEP) => Ok(TaskStep::Merge),
            Some(other) => other
                .strip_prefix("group-")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n < MAX_PARALLELISM)
                .map(TaskStep::Group)
                .ok_or_else(|| format!("{TASK_STEP_ENV}={other:?} is not a step: expected group-N or {MERGE_STEP}")),
        }
    }
}

/// How many tasks profile the table: `auto` (default) or a number of groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parallelism {
    /// One group per [`AUTO_BYTES_PER_GROUP`] of planned bytes, at most the runtime's
    /// `maxParallelism`; one task for a source that cannot split, a job with rules or a
    /// reservoir sample.
    #[default]
    Auto,
    /// At most this many groups (fewer when the table has fewer row groups or data files).
    Groups(u32),
}

impl Parallelism {
    /// Whether the job asks for more than one group.
    pub fn is_fixed_fan_out(self) -> bool {
        matches!(self, Parallelism::Groups(n) if n > 1)
    }

    /// Checks the range (the CRD's rule).
    pub fn validate(self) -> Result<(), String> {
        match self {
            Parallelism::Groups(n) if !(1..=MAX_PARALLELISM).contains(&n) => {
                Err(format!("must be auto or 1 to {MAX_PARALLELISM}, got {n}"))
            }
            _ => Ok(()),
        }
    }
}

impl Serialize for Parallelism {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Parallelism::Auto => serializer.serialize_str("auto"),
            Parallelism::Groups(n) => serializer.serialize_u32(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Parallelism {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Number(u32),
            Text(String),
            /// `null`, which the API server keeps for a nullable field: the default.
            Null(()),
        }
        match Written::deserialize(deserializer)? {
            Written::Null(()) => Ok(Parallelism::Auto),
            Written::Number(n) => Ok(Parallelism::Groups(n)),
            Written::Text(t) if t == "auto" => Ok(Parallelism::Auto),
            Written::Text(t) => Err(serde::de::Error::custom(format!(
                "parallelism must be auto or a number of tasks (1 to {MAX_PARALLELISM}), got {t:?}"
            ))),
        }
    }
}

/// The CRD's rule on `parallelism` (an int-or-string), the same range [`Parallelism::validate`]
/// checks.
pub const PARALLELISM_RULE: &str = "type(self) == string ? self == 'auto' : (self >= 1 && self <= 100)";

/// What a bad `parallelism` is told at admission.
pub const PARALLELISM_MESSAGE: &str = "parallelism must be auto or a number of tasks from 1 to 100";

impl JsonSchema for Parallelism {
    fn schema_name() -> Cow<'static, str> {
        "Parallelism".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Worker tasks that profile the table: auto (default: one per GiB of planned Parquet bytes, at most the runtime's worker.maxParallelism) or a number from 1 to 100. More than one task splits the table's data files and row groups into groups by bytes and merges the groups' profiles.",
            "x-kubernetes-int-or-string": true,
            "default": "auto",
            "x-kubernetes-validations": [{"rule": PARALLELISM_RULE, "message": PARALLELISM_MESSAGE}]
        })
    }
}

/// One group of a planned run, as the state machine's Map state iterates over them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupStep {
    /// The group's [`TASK_STEP_ENV`] value, `group-N`.
    pub step: String,
    /// Key of the group's `result.json` in the results bucket.
    pub result_key: String,
}

/// How far the groups of a fanned-out attempt are: what a job's status shows while they run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupProgress {
    /// Groups of the attempt's plan.
    pub total: u32,
    /// Groups whose partial profile is written.
    pub done: u32,
    /// `done/total`, e.g. `3/8` (the Groups printer column).
    pub progress: String,
}

impl GroupProgress {
    /// `done` of `total` groups profiled.
    pub fn new(done: u32, total: u32) -> Self {
        Self { total, done, progress: format!("{done}/{total}") }
    }
}

/// Group `index` of a plan whose objects under the attempt's output prefix include `name` (a key
/// relative to that prefix) has written its partial profile.
pub fn finished_group(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("groups/")?;
    let (index, object) = rest.split_once('/')?;
    (object == PARTIAL_PROFILE_OBJECT).then(|| index.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_finished_by_its_partial_profile_only() {
        assert_eq!(finished_group(&format!("{}{PARTIAL_PROFILE_OBJECT}", group_prefix(7))), Some(7));
        assert_eq!(finished_group("groups/7/result.json"), None);
        assert_eq!(finished_group("groups/x/profile.json"), None);
        assert_eq!(finished_group("profile.json"), None);
        assert_eq!(finished_group("groups/1/2/profile.json"), None);
        assert_eq!(GroupProgress::new(3, 8).progress, "3/8");
    }

    #[test]
    fn parallelism_reads_auto_or_a_number_and_writes_it_back() {
        let read = |s: &str| serde_json::from_str::<Parallelism>(s);
        assert_eq!(read("\"auto\"").unwrap(), Parallelism::Auto);
        assert_eq!(read("4").unwrap(), Parallelism::Groups(4));
        assert_eq!(read("null").unwrap(), Parallelism::Auto);
        assert!(read("\"four\"").unwrap_err().to_string().contains("auto or a number"));
        assert_eq!(serde_json::to_string(&Parallelism::Groups(3)).unwrap(), "3");
        assert_eq!(serde_json::to_string(&Parallelism::Auto).unwrap(), "\"auto\"");
        assert!(Parallelism::Groups(0).validate().is_err());
        assert!(Parallelism::Groups(101).validate().is_err());
        assert!(Parallelism::Groups(100).validate().is_ok());
    }

    #[test]
    fn task_steps_parse_from_the_environment_value() {
        assert_eq!(TaskStep::parse(None), Ok(TaskStep::First));
        assert_eq!(TaskStep::parse(Some("group-7")), Ok(TaskStep::Group(7)));
        assert_eq!(TaskStep::parse(Some(&group_step(3))), Ok(TaskStep::Group(3)));
        assert_eq!(TaskStep::parse(Some("merge")), Ok(TaskStep::Merge));
        assert!(TaskStep::parse(Some("group-x")).unwrap_err().contains("group-N or merge"));
    }
}
