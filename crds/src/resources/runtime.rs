//! `ProfilerRuntime`: where jobs run on AWS. The controller reconciles it into an ECS task
//! definition, a Step Functions state machine and the results bucket's lifecycle rules.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use serde::{Deserialize, Serialize};

use super::{FARGATE_SIZE_MESSAGE, TaskSize};
use crate::JobDocumentError;
use crate::rules::{self, StringRule};

/// An AWS environment that runs ProfileJobs.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "profiler.dev",
    version = "v1alpha1",
    kind = "ProfilerRuntime",
    status = "ProfilerRuntimeStatus",
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"State Machine","type":"string","jsonPath":".status.stateMachineArn","priority":1}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct ProfilerRuntimeSpec {
    /// The ECS cluster and the network of the worker tasks.
    pub ecs: EcsNetwork,
    /// IAM role the worker assumes (Athena, Redshift Data, Glue, S3 read of the data, S3 write of
    /// the results prefix).
    #[schemars(schema_with = "rules::schema::iam_role_arn")]
    pub task_role_arn: String,
    /// IAM role ECS uses to pull the image and write logs.
    #[schemars(schema_with = "rules::schema::iam_role_arn")]
    pub execution_role_arn: String,
    /// The worker's container image and default task size.
    pub worker: WorkerSpec,
    /// Where profiles go: `s3://bucket/prefix/<namespace>/<name>/<uid>/attempt-<n>/`.
    pub results: ResultsLocation,
    /// Name of the Step Functions state machine the controller creates or adopts.
    #[serde(default = "default_state_machine_name")]
    #[schemars(schema_with = "rules::schema::state_machine_name")]
    pub state_machine_name: String,
    /// IAM role Step Functions assumes to run the worker task (ecs:RunTask, iam:PassRole for the
    /// two task roles, s3:GetObject on the results prefix).
    #[schemars(schema_with = "rules::schema::iam_role_arn")]
    pub state_machine_role_arn: String,
    /// Secrets Manager secret with the profile store's connection (url, or RDS-style fields).
    /// Without it, profiles go to S3 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "rules::schema::optional_secret_arn")]
    pub database_secret_arn: Option<String>,
}

impl ProfilerRuntimeSpec {
    /// Checks every value the controller relies on: exactly what the CRD checks at admission.
    pub fn validate(&self) -> Result<(), JobDocumentError> {
        let fail = |field: &str, message: String| JobDocumentError { field: field.to_owned(), message };
        rules::check_list(&self.ecs.subnets, 1, rules::MAX_SUBNETS, &rules::AWS_NAME)
            .map_err(|m| fail("spec.ecs.subnets", m))?;
        rules::check_list(&self.ecs.security_groups, 1, rules::MAX_SECURITY_GROUPS, &rules::AWS_NAME)
            .map_err(|m| fail("spec.ecs.securityGroups", m))?;
        let strings: [(&str, &str, &StringRule); 8] = [
            ("spec.ecs.cluster", &self.ecs.cluster, &rules::AWS_NAME),
            ("spec.worker.image", &self.worker.image, &rules::IMAGE),
            ("spec.taskRoleArn", &self.task_role_arn, &rules::IAM_ROLE_ARN),
            ("spec.executionRoleArn", &self.execution_role_arn, &rules::IAM_ROLE_ARN),
            ("spec.stateMachineRoleArn", &self.state_machine_role_arn, &rules::IAM_ROLE_ARN),
            ("spec.stateMachineName", &self.state_machine_name, &rules::STATE_MACHINE_NAME),
            ("spec.results.bucket", &self.results.bucket, &rules::BUCKET),
            ("spec.results.prefix", &self.results.prefix, &rules::KEY_PREFIX),
        ];
        let optional = [
            self.database_secret_arn.as_deref().map(|a| ("spec.databaseSecretArn", a, &rules::SECRET_ARN)),
            self.worker.log_group.as_deref().map(|g| ("spec.worker.logGroup", g, &rules::LOG_GROUP)),
        ];
        for (field, value, rule) in strings.into_iter().chain(optional.into_iter().flatten()) {
            rule.check(value).map_err(|message| fail(field, message))?;
        }
        if !self.worker.size.is_fargate_size() {
            return Err(JobDocumentError { field: "spec.worker.size".into(), message: FARGATE_SIZE_MESSAGE.into() });
        }
        let max = crate::fan_out::MAX_PARALLELISM;
        if !(1..=max).contains(&self.worker.max_parallelism) {
            return Err(JobDocumentError {
                field: "spec.worker.maxParallelism".into(),
                message: format!("must be 1 to {max}, got {}", self.worker.max_parallelism),
            });
        }
        if self.worker.distributed_map_above > max {
            return Err(JobDocumentError {
                field: "spec.worker.distributedMapAbove".into(),
                message: format!("must be 0 to {max}, got {}", self.worker.distributed_map_above),
            });
        }
        Ok(())
    }
}

fn default_state_machine_name() -> String {
    "profiler-operator".to_owned()
}

/// ECS cluster and awsvpc network configuration of the worker tasks.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EcsNetwork {
    /// ECS cluster name or ARN.
    #[schemars(schema_with = "rules::schema::aws_name")]
    pub cluster: String,
    /// Subnets of the tasks (at least one; they need a route to the AWS APIs and the database).
    #[schemars(schema_with = "rules::schema::subnets")]
    pub subnets: Vec<String>,
    /// Security groups of the tasks (at least one, at most 5).
    #[schemars(schema_with = "rules::schema::security_groups")]
    pub security_groups: Vec<String>,
    /// Give tasks a public IP (needed in public subnets without a NAT gateway).
    #[serde(default)]
    pub assign_public_ip: bool,
}

/// The worker container.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WorkerSpec {
    /// Container image of `profiler-task`, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/profiler-worker:0.1.0`.
    #[schemars(schema_with = "rules::schema::image")]
    pub image: String,
    /// Default Fargate size of a task (a ProfileJob may override it): 1 vCPU, 2 GiB.
    #[serde(default = "default_task_size")]
    pub size: TaskSize,
    /// CloudWatch Logs group of the worker (created by you; default none: no log configuration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "rules::schema::optional_log_group")]
    pub log_group: Option<String>,
    /// Most worker tasks one job with `parallelism: auto` is split into (1 to 100, default 10).
    #[serde(default = "default_max_parallelism")]
    #[schemars(range(min = 1, max = crate::fan_out::MAX_PARALLELISM))]
    pub max_parallelism: u32,
    /// Groups above which a fan-out's Map state runs in Distributed mode (a child execution per
    /// group, no cap on concurrent tasks) instead of Inline (at most 40 tasks at once); 0 to 100,
    /// default 40, 0: always Distributed.
    #[serde(default = "default_distributed_map_above")]
    #[schemars(range(max = crate::fan_out::MAX_PARALLELISM))]
    pub distributed_map_above: u32,
}

fn default_max_parallelism() -> u32 {
    crate::fan_out::DEFAULT_MAX_PARALLELISM
}

fn default_distributed_map_above() -> u32 {
    crate::fan_out::INLINE_MAP_CONCURRENCY
}

fn default_task_size() -> TaskSize {
    TaskSize { cpu: 1024, memory: 2048 }
}

/// The results bucket and key prefix.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ResultsLocation {
    /// Existing S3 bucket; the controller sets its lifecycle (Standard-IA after 30 days, expiry
    /// after 365) on the prefix.
    #[schemars(schema_with = "rules::schema::bucket")]
    pub bucket: String,
    /// Key prefix (default `profiles`).
    #[serde(default = "default_prefix")]
    #[schemars(schema_with = "rules::schema::key_prefix")]
    pub prefix: String,
}

fn default_prefix() -> String {
    "profiles".to_owned()
}

/// The AWS resources the controller manages for this runtime.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProfilerRuntimeStatus {
    /// Registered task definition revision in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    /// The state machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_machine_arn: Option<String>,
    /// The generation the status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Ready (all resources in place) with a reason and message when not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
