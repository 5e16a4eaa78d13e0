//! The Amazon States Language definition of a runtime's state machine, generated here (never
//! hand-written): validate the input, run the worker as a Fargate task (`ecs:runTask.sync`) with
//! the job document in its environment, read the task's `result.json` from S3 and succeed with
//! it; a worker failure ends in a Fail state whose error is the failure kind (`badInput`,
//! `transient`, `internal`) and whose cause is the worker's own message.
//!
//! When the first task planned a fan-out (its result is `planned`), a Map state runs one task per
//! group with the group's step in its environment, each retried by itself, and a last task
//! merges the groups' profiles; its result.json is the job's, read as before. The Map runs
//! Inline up to the runtime's `distributedMapAbove` groups and in Distributed mode (a child
//! execution per group) above. A group that fails for good copies its failure to the attempt's
//! result.json, so the attempt fails with the group's words in either mode (a Distributed Map
//! reports only that a child failed).

use profiler_crds::JOB_DOCUMENT_ENV;
use profiler_crds::fan_out::{INLINE_MAP_CONCURRENCY, MERGE_STEP, TASK_STEP_ENV};
use serde_json::{Value, json};

/// Name of the worker container in the task definition.
pub const WORKER_CONTAINER: &str = "worker";

/// Execution input field: the job document, as a JSON string.
pub const INPUT_JOB_DOCUMENT: &str = "jobDocument";
/// Execution input field: the bucket of the task's `result.json`.
pub const INPUT_RESULT_BUCKET: &str = "resultBucket";
/// Execution input field: the key of the task's `result.json`.
pub const INPUT_RESULT_KEY: &str = "resultKey";
/// Execution input field: the task's CPU units, as a string (the runtime's, or the job's
/// override).
pub const INPUT_TASK_CPU: &str = "taskCpu";
/// Execution input field: the task's memory in MiB, as a string.
pub const INPUT_TASK_MEMORY: &str = "taskMemory";

/// Fail state error when the execution input is malformed (a controller bug).
pub const ERROR_INVALID_INPUT: &str = "InvalidInput";
/// Fail state error when the task failed without leaving a result (killed, out of memory, lost).
pub const ERROR_WORKER_LOST: &str = "WorkerLost";

/// Fail state error when a group's task could not be launched.
pub const ERROR_GROUP_LAUNCH_FAILED: &str = "GroupLaunchFailed";
/// Fail state error when Step Functions failed the groups' Map state itself.
pub const ERROR_MAP_FAILED: &str = "MapFailed";

/// ECS errors worth retrying inside the execution (throttling, service trouble).
const RETRYABLE_ECS_ERRORS: [&str; 4] =
    ["ECS.AmazonECSException", "ECS.ServerException", "ECS.ThrottlingException", "ECS.LimitExceededException"];

/// Where the worker task runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateMachineParams {
    /// ECS cluster ARN (or name).
    pub cluster: String,
    /// Task definition ARN.
    pub task_definition: String,
    /// awsvpc subnets.
    pub subnets: Vec<String>,
    /// awsvpc security groups.
    pub security_groups: Vec<String>,
    /// Give the task a public IP.
    pub assign_public_ip: bool,
    /// Groups above which the Map state runs in Distributed mode.
    pub distributed_map_above: u32,
}

/// The state machine definition for `params`.
pub fn definition(params: &StateMachineParams) -> Value {
    let input = |field: &str| format!("$.{field}");
    let mut read_result = read_result_state(
        "Reads the task's result.json: the job's summary, or the plan of a fanned-out run.",
        "Planned",
    );
    read_result["ResultPath"] = json!("$.outcome");
    read_result["Retry"] = json!([{
        "ErrorEquals": ["S3.SdkClientException", "S3.S3Exception"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0
    }]);
    let mut read_failure = read_result_state(
        "The worker leaves result.json with its error's kind and message before it exits non-zero.",
        "WorkerFailed",
    );
    read_failure["ResultPath"] = json!("$.failure");
    read_failure["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.readError", "Next": "WorkerLost"}]);
    let mut read_groups_outcome = read_result_state(
        "Reads the attempt's result.json after a Distributed Map, or a Map that failed with a States.* error: a group's failure when one failed for good, else still the plan.",
        "GroupsOutcome",
    );
    read_groups_outcome["ResultPath"] = json!("$.failure");
    read_groups_outcome["Catch"] =
        json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.readError", "Next": "MapFailed"}]);
    let mut run_worker = run_task_state(
        params,
        "Runs profiler-task on Fargate and waits for it to stop; a non-zero exit fails with States.TaskFailed. It profiles the table, or plans the groups of a fan-out.",
        None,
    );
    run_worker["Catch"] = json!([
        {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "ReadFailure"},
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "LaunchFailed"}
    ]);
    run_worker["Next"] = json!("ReadResult");
    let mut run_merge = run_task_state(
        params,
        "Merges the groups' partial profiles into the job's profile, report and store rows.",
        Some(json!(MERGE_STEP)),
    );
    run_merge["Catch"] = run_worker["Catch"].clone();
    run_merge["Next"] = json!("ReadResult");
    json!({
        "Comment": "profiler-operator: one ProfileJob attempt. Generated by profiler-controller; do not edit.",
        "StartAt": "ValidateInput",
        "States": {
            "ValidateInput": {
                "Type": "Choice",
                "Choices": [{
                    "And": [
                        {"Variable": input(INPUT_JOB_DOCUMENT), "IsString": true},
                        {"Variable": input(INPUT_RESULT_BUCKET), "IsString": true},
                        {"Variable": input(INPUT_RESULT_KEY), "IsString": true},
                        {"Variable": input(INPUT_TASK_CPU), "IsString": true},
                        {"Variable": input(INPUT_TASK_MEMORY), "IsString": true}
                    ],
                    "Next": "RunWorker"
                }],
                "Default": "InvalidInput"
            },
            "InvalidInput": {
                "Type": "Fail",
                "Error": ERROR_INVALID_INPUT,
                "Cause": format!(
                    "the execution input needs the strings {INPUT_JOB_DOCUMENT}, {INPUT_RESULT_BUCKET}, {INPUT_RESULT_KEY}, {INPUT_TASK_CPU} and {INPUT_TASK_MEMORY}"
                )
            },
            "RunWorker": run_worker,
            "ReadResult": read_result,
            "Planned": {
                "Type": "Choice",
                "Comment": "A first task that planned a fan-out leaves the groups to run; any other result is the job's.",
                "Choices": [{"Variable": "$.outcome.result.status", "StringEquals": "planned", "Next": "CountGroups"}],
                "Default": "Succeeded"
            },
            "Succeeded": {"Type": "Succeed", "OutputPath": "$.outcome.result"},
            "CountGroups": {
                "Type": "Pass",
                "Parameters": {"count.$": "States.ArrayLength($.outcome.result.groups)"},
                "ResultPath": "$.plan",
                "Next": "MapMode"
            },
            "MapMode": {
                "Type": "Choice",
                "Comment": format!(
                    "An Inline Map runs at most {INLINE_MAP_CONCURRENCY} iterations at once; more groups than the runtime's distributedMapAbove run in a Distributed Map."
                ),
                "Choices": [{"Variable": "$.plan.count", "NumericGreaterThan": params.distributed_map_above, "Next": "RunGroupsDistributed"}],
                "Default": "RunGroups"
            },
            "RunGroups": run_groups_state(params, MapMode::Inline),
            "RunGroupsDistributed": run_groups_state(params, MapMode::Distributed),
            "GroupsFailed": {
                "Type": "Choice",
                "Comment": "An Inline Map fails with the failed group's kind and message; a States.* error (a Distributed Map's child failed, or Step Functions failed the Map) is explained by the attempt's result.json, where a group that failed for good copied its failure.",
                "Choices": [{"Variable": "$.error.Error", "StringMatches": "States.*", "Next": "ReadGroupsOutcome"}],
                "Default": "AttemptFailedInGroup"
            },
            "AttemptFailedInGroup": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"},
            "ReadGroupsOutcome": read_groups_outcome,
            "GroupsOutcome": {
                "Type": "Choice",
                "Comment": "A group's failure fails the attempt with its words; else a failed Map fails it as such, and a Map that ran every group goes on to the merge.",
                "Choices": [
                    {"Variable": "$.failure.result.status", "StringEquals": "failed", "Next": "WorkerFailed"},
                    {"Variable": "$.error", "IsPresent": true, "Next": "MapFailed"}
                ],
                "Default": "RunMerge"
            },
            "MapFailed": {"Type": "Fail", "Error": ERROR_MAP_FAILED, "CausePath": "$.error.Cause"},
            "RunMerge": run_merge,
            "ReadFailure": read_failure,
            "WorkerFailed": {
                "Type": "Fail",
                "ErrorPath": "$.failure.result.error.kind",
                "CausePath": "$.failure.result.error.message"
            },
            "WorkerLost": worker_lost("the worker task"),
            "LaunchFailed": {
                "Type": "Fail",
                "ErrorPath": "$.error.Error",
                "CausePath": "$.error.Cause"
            }
        }
    })
}

/// A Task state that runs profiler-task on Fargate with the job document and, for a step of a
/// fan-out, its [`TASK_STEP_ENV`] (`step`: a value, or `{"path": ...}` read from the input).
fn run_task_state(params: &StateMachineParams, comment: &str, step: Option<Value>) -> Value {
    let input = |field: &str| format!("$.{field}");
    let mut environment = vec![json!({"Name": JOB_DOCUMENT_ENV, "Value.$": input(INPUT_JOB_DOCUMENT)})];
    match step {
        Some(Value::String(value)) => environment.push(json!({"Name": TASK_STEP_ENV, "Value": value})),
        Some(path) => environment.push(json!({"Name": TASK_STEP_ENV, "Value.$": path["path"]})),
        None => {}
    }
    json!({
        "Type": "Task",
        "Comment": comment,
        "Resource": "arn:aws:states:::ecs:runTask.sync",
        "Parameters": {
            "Cluster": params.cluster,
            "TaskDefinition": params.task_definition,
            "LaunchType": "FARGATE",
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {
                    "Subnets": params.subnets,
                    "SecurityGroups": params.security_groups,
                    "AssignPublicIp": if params.assign_public_ip { "ENABLED" } else { "DISABLED" }
                }
            },
            "Overrides": {
                "Cpu.$": input(INPUT_TASK_CPU),
                "Memory.$": input(INPUT_TASK_MEMORY),
                "ContainerOverrides": [{"Name": WORKER_CONTAINER, "Environment": environment}]
            }
        },
        "ResultSelector": {"taskArn.$": "$.TaskArn"},
        "ResultPath": "$.task",
        "Retry": [{
            "ErrorEquals": RETRYABLE_ECS_ERRORS,
            "IntervalSeconds": 5,
            "MaxAttempts": 4,
            "BackoffRate": 2.0,
            "JitterStrategy": "FULL"
        }]
    })
}

/// Tries of a group's task whose failure is `transient` (the worker's kind) before the group
/// fails the attempt.
pub const GROUP_TRIES: u32 = 3;

/// Seconds between two tries of a group's task.
const GROUP_RETRY_SECONDS: u32 = 10;

/// How a Map state runs its iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapMode {
    /// In the execution itself, at most [`INLINE_MAP_CONCURRENCY`] at once.
    Inline,
    /// As child executions of a Map Run, without that cap.
    Distributed,
}

/// The Map state of a fan-out: one task per planned group (all at once, up to the mode's limit;
/// the plan is already capped by the job's parallelism). A group whose task fails with a
/// `transient` kind runs again by itself ([`GROUP_TRIES`] tries in all, an explicit loop so bad
/// input is never retried); a group that fails for good copies its failure to the attempt's
/// result.json and fails the attempt. An iteration's output is its task's ARN only, so a hundred
/// groups stay far below the 256 KiB a state's output may hold.
fn run_groups_state(params: &StateMachineParams, mode: MapMode) -> Value {
    let mut run_group = run_task_state(
        params,
        "Profiles one group of the plan into groups/N/profile.json; a rerun overwrites the group's outputs.",
        Some(json!({"path": "$.step"})),
    );
    run_group["Catch"] = json!([
        {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "ReadGroupFailure"},
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "GroupLaunchFailed"}
    ]);
    run_group["End"] = json!(true);
    run_group["OutputPath"] = json!("$.task");
    let mut read_failure =
        read_result_state("The group's task leaves its result.json before it exits non-zero.", "RetryGroup");
    read_failure["ResultPath"] = json!("$.failure");
    read_failure["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.readError", "Next": "GroupLost"}]);
    let item = |field: &str| format!("$$.Map.Item.Value.{field}");
    let mut group_input = json!({
        "jobDocument.$": format!("$.{INPUT_JOB_DOCUMENT}"),
        "taskCpu.$": format!("$.{INPUT_TASK_CPU}"),
        "taskMemory.$": format!("$.{INPUT_TASK_MEMORY}"),
        "resultBucket.$": format!("$.{INPUT_RESULT_BUCKET}"),
        "resultKey.$": "$.resultKey",
        "attemptResultKey.$": "$.attemptResultKey",
        "step.$": "$.step",
        "tries.$": "States.MathAdd($.tries, 1)"
    });
    let next_try = group_input.clone();
    group_input["resultKey.$"] = json!(item("resultKey"));
    group_input["attemptResultKey.$"] = json!("$.resultKey");
    group_input["step.$"] = json!(item("step"));
    if let Some(fields) = group_input.as_object_mut() {
        fields.remove("tries.$");
        fields.insert("tries".into(), json!(1));
    }
    let mut processor = json!({
            "StartAt": "RunGroup",
            "States": {
                "RunGroup": run_group,
                "ReadGroupFailure": read_failure,
                "RetryGroup": {
                    "Type": "Choice",
                    "Comment": "A transient failure (throttling, a network error, an unreadable object) runs the group again.",
                    "Choices": [{
                        "And": [
                            {"Variable": "$.failure.result.error.kind", "StringEquals": "transient"},
                            {"Variable": "$.tries", "NumericLessThan": GROUP_TRIES}
                        ],
                        "Next": "NextTry"
                    }],
                    "Default": "RecordGroupFailure"
                },
                "RecordGroupFailure": {
                    "Type": "Task",
                    "Comment": "Copies the group's failure to the attempt's result.json, where the attempt's failure is read.",
                    "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                    "Parameters": {
                        "Bucket.$": format!("$.{INPUT_RESULT_BUCKET}"),
                        "Key.$": "$.attemptResultKey",
                        "Body.$": "$.failure.result",
                        "ContentType": "application/json"
                    },
                    "ResultPath": null,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.recordError", "Next": "GroupFailed"}],
                    "Next": "GroupFailed"
                },
                "NextTry": {"Type": "Pass", "Parameters": next_try, "Next": "WaitToRetry"},
                "WaitToRetry": {"Type": "Wait", "Seconds": GROUP_RETRY_SECONDS, "Next": "RunGroup"},
                "GroupFailed": {
                    "Type": "Fail",
                    "ErrorPath": "$.failure.result.error.kind",
                    "CausePath": "$.failure.result.error.message"
                },
                "GroupLost": worker_lost("a group's task"),
                "GroupLaunchFailed": {"Type": "Fail", "Error": ERROR_GROUP_LAUNCH_FAILED, "CausePath": "$.error.Cause"}
            }
    });
    let comment = match mode {
        MapMode::Inline => {
            processor["ProcessorConfig"] = json!({"Mode": "INLINE"});
            "One Fargate task per group of the plan."
        }
        MapMode::Distributed => {
            // State names are unique across the whole machine, nested ones included.
            rename_states(&mut processor, "Child");
            processor["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
            "One child execution, and Fargate task, per group of the plan; the attempt's result.json then says whether a group failed."
        }
    };
    let next = match mode {
        MapMode::Inline => "RunMerge",
        MapMode::Distributed => "ReadGroupsOutcome",
    };
    json!({
        "Type": "Map",
        "Comment": comment,
        "ItemsPath": "$.outcome.result.groups",
        "ItemSelector": group_input,
        "ItemProcessor": processor,
        "ResultPath": null,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "GroupsFailed"}],
        "Next": next
    })
}

/// Appends `suffix` to the name of every state of `machine` (a machine or an item processor), and
/// to every transition's target.
fn rename_states(machine: &mut Value, suffix: &str) {
    let renamed = |name: &Value| json!(format!("{}{suffix}", name.as_str().unwrap_or_default()));
    machine["StartAt"] = renamed(&machine["StartAt"]);
    let Some(states) = machine.get_mut("States").and_then(Value::as_object_mut) else { return };
    let mut named = serde_json::Map::new();
    for (name, mut state) in std::mem::take(states) {
        for field in ["Next", "Default"] {
            if let Some(target) = state.get(field) {
                state[field] = renamed(target);
            }
        }
        for list in ["Choices", "Catch"] {
            for entry in state.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(target) = entry.get("Next") {
                    entry["Next"] = renamed(target);
                }
            }
        }
        named.insert(format!("{name}{suffix}"), state);
    }
    *states = named;
}

/// The Fail state of a task that stopped without leaving its result.
fn worker_lost(who: &str) -> Value {
    json!({
        "Type": "Fail",
        "Error": ERROR_WORKER_LOST,
        "Cause": format!("{who} stopped without leaving result.json (killed, out of memory, or it could not start); see the task's logs")
    })
}

/// A Task state that reads the attempt's `result.json` from S3 and parses it into `result`.
fn read_result_state(comment: &str, next: &str) -> Value {
    json!({
        "Type": "Task",
        "Comment": comment,
        "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
        "Parameters": {"Bucket.$": format!("$.{INPUT_RESULT_BUCKET}"), "Key.$": format!("$.{INPUT_RESULT_KEY}")},
        "ResultSelector": {"result.$": "States.StringToJson($.Body)"},
        "Next": next
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> StateMachineParams {
        StateMachineParams {
            cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/c".into(),
            task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/w:3".into(),
            subnets: vec!["subnet-1".into(), "subnet-2".into()],
            security_groups: vec!["sg-1".into()],
            assign_public_ip: false,
            distributed_map_above: INLINE_MAP_CONCURRENCY,
        }
    }

    #[test]
    fn every_transition_names_an_existing_state() {
        let d = definition(&params());
        assert_transitions(&d);
        assert_transitions(&d["States"]["RunGroups"]["ItemProcessor"]);
        assert_transitions(&d["States"]["RunGroupsDistributed"]["ItemProcessor"]);
    }

    fn assert_transitions(d: &Value) {
        let states = d["States"].as_object().unwrap();
        assert!(states.contains_key(d["StartAt"].as_str().unwrap()));
        let mut targets = vec![];
        for state in states.values() {
            targets.extend(state.get("Next").and_then(Value::as_str));
            targets.extend(state.get("Default").and_then(Value::as_str));
            for list in ["Choices", "Catch"] {
                for entry in state.get(list).and_then(Value::as_array).into_iter().flatten() {
                    targets.extend(entry.get("Next").and_then(Value::as_str));
                }
            }
        }
        for t in targets {
            assert!(states.contains_key(t), "{t} is not a state");
        }
    }

    #[test]
    fn the_task_carries_the_network_and_the_job_document() {
        let d = definition(&StateMachineParams { assign_public_ip: true, ..params() });
        let p = &d["States"]["RunWorker"]["Parameters"];
        assert_eq!(p["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"], json!(["subnet-1", "subnet-2"]));
        assert_eq!(p["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"], "ENABLED");
        let env = &p["Overrides"]["ContainerOverrides"][0];
        assert_eq!(env["Name"], WORKER_CONTAINER);
        assert_eq!(env["Environment"], json!([{"Name": JOB_DOCUMENT_ENV, "Value.$": "$.jobDocument"}]));
    }

    #[test]
    fn a_planned_run_maps_its_groups_then_merges() {
        let d = definition(&params());
        let states = &d["States"];
        assert_eq!(states["Planned"]["Choices"][0]["Next"], "CountGroups");
        assert_eq!(states["MapMode"]["Choices"][0]["NumericGreaterThan"], INLINE_MAP_CONCURRENCY);
        assert_eq!(states["MapMode"]["Default"], "RunGroups");
        let (inline, distributed) = (&states["RunGroups"], &states["RunGroupsDistributed"]);
        assert_eq!(inline["ItemProcessor"]["ProcessorConfig"]["Mode"], "INLINE");
        assert_eq!(distributed["ItemProcessor"]["ProcessorConfig"]["Mode"], "DISTRIBUTED");
        let child = &distributed["ItemProcessor"];
        assert_eq!(child["StartAt"], "RunGroupChild");
        assert_eq!(child["States"]["RetryGroupChild"]["Choices"][0]["Next"], "NextTryChild");
        let mut renamed = inline["ItemProcessor"].clone();
        rename_states(&mut renamed, "Child");
        renamed["ProcessorConfig"] = child["ProcessorConfig"].clone();
        assert_eq!(&renamed, child, "one iteration, its states renamed");
        let map = &states["RunGroups"];
        assert_eq!(map["ItemsPath"], "$.outcome.result.groups");
        assert_eq!(map["Next"], "RunMerge");
        let group = &map["ItemProcessor"]["States"]["RunGroup"];
        let env = &group["Parameters"]["Overrides"]["ContainerOverrides"][0]["Environment"];
        assert_eq!(env[1], json!({"Name": TASK_STEP_ENV, "Value.$": "$.step"}));
        let retry = &map["ItemProcessor"]["States"]["RetryGroup"]["Choices"][0]["And"];
        assert_eq!(retry[0], json!({"Variable": "$.failure.result.error.kind", "StringEquals": "transient"}));
        assert_eq!(map["ItemSelector"]["tries"], 1);
        let merge_env = &states["RunMerge"]["Parameters"]["Overrides"]["ContainerOverrides"][0]["Environment"];
        assert_eq!(merge_env[1], json!({"Name": TASK_STEP_ENV, "Value": MERGE_STEP}));
        assert_eq!(states["RunMerge"]["Next"], "ReadResult");
        assert_eq!(states["Succeeded"]["OutputPath"], "$.outcome.result");
    }
}
