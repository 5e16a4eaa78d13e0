//! The three AWS resources of a runtime, each made to match the spec idempotently.

use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, KeyValuePair, LogConfiguration, LogDriver, NetworkMode, Tag,
};
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter,
    Transition, TransitionStorageClass,
};
use aws_sdk_sfn::types::StateMachineType;
use profiler_crds::resources::ProfilerRuntimeSpec;
use tracing::info;

use crate::aws::{Aws, failed};
use crate::error::Error;
use crate::state_machine::{StateMachineParams, WORKER_CONTAINER, definition};

/// Days before results move to Standard-IA, and before they expire.
const INFREQUENT_ACCESS_AFTER_DAYS: i32 = 30;
const EXPIRE_AFTER_DAYS: i32 = 365;

/// ECS task definition family of a runtime.
pub fn task_family(runtime: &str) -> String {
    format!("profiler-worker-{runtime}")
}

/// The latest revision of the runtime's task definition when it matches the spec, else a new one.
pub async fn ensure_task_definition(aws: &Aws, runtime: &str, spec: &ProfilerRuntimeSpec) -> Result<String, Error> {
    let family = task_family(runtime);
    let cpu = spec.worker.size.cpu.to_string();
    let memory = spec.worker.size.memory.to_string();
    if let Ok(current) = aws.ecs.describe_task_definition().task_definition(&family).send().await
        && let Some(td) = current.task_definition()
    {
        let container = td.container_definitions().first();
        let same = container.is_some_and(|c| {
            c.name() == Some(WORKER_CONTAINER)
                && c.image() == Some(spec.worker.image.as_str())
                && c.log_configuration()
                    .and_then(|l| l.options())
                    .and_then(|o| o.get("awslogs-group"))
                    .map(String::as_str)
                    == spec.worker.log_group.as_deref()
        }) && td.cpu() == Some(cpu.as_str())
            && td.memory() == Some(memory.as_str())
            && td.task_role_arn() == Some(spec.task_role_arn.as_str())
            && td.execution_role_arn() == Some(spec.execution_role_arn.as_str());
        if same && let Some(arn) = td.task_definition_arn() {
            return Ok(arn.to_owned());
        }
    }
    let log_configuration = spec.worker.log_group.as_ref().map(|group| {
        LogConfiguration::builder()
            .log_driver(LogDriver::Awslogs)
            .options("awslogs-group", group)
            .options("awslogs-stream-prefix", "profiler")
            .build()
    });
    let container = ContainerDefinition::builder()
        .name(WORKER_CONTAINER)
        .image(&spec.worker.image)
        .essential(true)
        .memory(spec.worker.size.memory as i32)
        .environment(KeyValuePair::builder().name("PROFILER_LOG").value("info").build())
        .set_log_configuration(log_configuration.transpose().ok().flatten())
        .build();
    let registered = aws
        .ecs
        .register_task_definition()
        .family(&family)
        .network_mode(NetworkMode::Awsvpc)
        .requires_compatibilities(Compatibility::Fargate)
        .cpu(cpu)
        .memory(memory)
        .task_role_arn(&spec.task_role_arn)
        .execution_role_arn(&spec.execution_role_arn)
        .container_definitions(container)
        .tags(Tag::builder().key("app.kubernetes.io/managed-by").value("profiler-operator").build())
        .send()
        .await
        .map_err(|e| failed("ECS", "RegisterTaskDefinition", &e))?;
    let arn = registered
        .task_definition()
        .and_then(|t| t.task_definition_arn())
        .ok_or_else(|| Error::Malformed("ECS RegisterTaskDefinition returned no ARN".into()))?;
    info!(arn, "registered a task definition revision");
    Ok(arn.to_owned())
}

/// The state machine named in the spec, created, adopted or updated to the generated definition.
pub async fn ensure_state_machine(
    aws: &Aws,
    spec: &ProfilerRuntimeSpec,
    task_definition: &str,
) -> Result<String, Error> {
    let params = StateMachineParams {
        cluster: spec.ecs.cluster.clone(),
        task_definition: task_definition.to_owned(),
        subnets: spec.ecs.subnets.clone(),
        security_groups: spec.ecs.security_groups.clone(),
        assign_public_ip: spec.ecs.assign_public_ip,
        distributed_map_above: spec.worker.distributed_map_above,
    };
    let wanted = definition(&params);
    let mut pages = aws.sfn.list_state_machines().into_paginator().send();
    let mut existing = None;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| failed("Step Functions", "ListStateMachines", &e))?;
        if let Some(m) = page.state_machines().iter().find(|m| m.name() == spec.state_machine_name) {
            existing = Some(m.state_machine_arn().to_owned());
            break;
        }
    }
    if let Some(arn) = existing {
        let current = aws
            .sfn
            .describe_state_machine()
            .state_machine_arn(&arn)
            .send()
            .await
            .map_err(|e| failed("Step Functions", "DescribeStateMachine", &e))?;
        let same_definition =
            serde_json::from_str::<serde_json::Value>(current.definition()).is_ok_and(|d| d == wanted);
        if !same_definition || current.role_arn() != spec.state_machine_role_arn {
            aws.sfn
                .update_state_machine()
                .state_machine_arn(&arn)
                .definition(wanted.to_string())
                .role_arn(&spec.state_machine_role_arn)
                .send()
                .await
                .map_err(|e| failed("Step Functions", "UpdateStateMachine", &e))?;
            info!(arn, "updated the state machine");
        }
        return Ok(arn);
    }
    let created = aws
        .sfn
        .create_state_machine()
        .name(&spec.state_machine_name)
        .definition(wanted.to_string())
        .role_arn(&spec.state_machine_role_arn)
        .r#type(StateMachineType::Standard)
        .send()
        .await
        .map_err(|e| failed("Step Functions", "CreateStateMachine", &e))?;
    info!(arn = created.state_machine_arn(), "created the state machine");
    Ok(created.state_machine_arn().to_owned())
}

/// The results prefix's lifecycle rule (Standard-IA after 30 days, expiry after 365), next to
/// the bucket's other rules, which are kept.
pub async fn ensure_lifecycle(aws: &Aws, runtime: &str, spec: &ProfilerRuntimeSpec) -> Result<(), Error> {
    let bucket = &spec.results.bucket;
    let id = format!("profiler-operator-{runtime}");
    let prefix = format!("{}/", spec.results.prefix.trim_end_matches('/'));
    let ours = LifecycleRule::builder()
        .id(&id)
        .filter(LifecycleRuleFilter::builder().prefix(&prefix).build())
        .status(ExpirationStatus::Enabled)
        .transitions(
            Transition::builder()
                .days(INFREQUENT_ACCESS_AFTER_DAYS)
                .storage_class(TransitionStorageClass::StandardIa)
                .build(),
        )
        .expiration(LifecycleExpiration::builder().days(EXPIRE_AFTER_DAYS).build())
        .build()
        .map_err(|e| Error::Malformed(format!("lifecycle rule: {e}")))?;
    let rules = match aws.s3.get_bucket_lifecycle_configuration().bucket(bucket).send().await {
        Ok(current) => current.rules().to_vec(),
        Err(e) if e.as_service_error().and_then(ProvideErrorMetadata::code) == Some("NoSuchLifecycleConfiguration") => {
            Vec::new()
        }
        Err(e) => return Err(failed("S3", "GetBucketLifecycleConfiguration", &e)),
    };
    if rules.iter().any(|r| r == &ours) {
        return Ok(());
    }
    let mut rules: Vec<LifecycleRule> = rules.into_iter().filter(|r| r.id() != Some(id.as_str())).collect();
    rules.push(ours);
    let configuration = BucketLifecycleConfiguration::builder()
        .set_rules(Some(rules))
        .build()
        .map_err(|e| Error::Malformed(format!("lifecycle configuration: {e}")))?;
    aws.s3
        .put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(configuration)
        .send()
        .await
        .map_err(|e| failed("S3", "PutBucketLifecycleConfiguration", &e))?;
    info!(bucket, prefix, "set the results lifecycle rule");
    Ok(())
}
