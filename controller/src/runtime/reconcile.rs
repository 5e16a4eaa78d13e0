//! Reconciles one ProfilerRuntime: its AWS resources, then its status.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::{Client, ResourceExt};
use profiler_crds::resources::{ProfilerRuntime, ProfilerRuntimeStatus};
use serde_json::json;
use tracing::{info, instrument, warn};

use super::aws_resources::{ensure_lifecycle, ensure_state_machine, ensure_task_definition};
use crate::aws::Aws;
use crate::backoff::ErrorBackoff;
use crate::conditions;
use crate::error::Error;
use crate::metrics::Metrics;

/// How often a Ready runtime is checked against AWS again (drift, deleted resources).
const RESYNC: Duration = Duration::from_secs(600);

/// What the runtime reconciler needs.
pub struct RuntimeContext {
    /// Kubernetes client.
    pub client: Client,
    /// AWS clients.
    pub aws: Aws,
    /// Metrics.
    pub metrics: Metrics,
    /// Requeue delays after failures.
    pub backoff: ErrorBackoff,
}

/// Makes the runtime's AWS resources match its spec and reports them in status.
#[instrument(skip_all, fields(runtime = %runtime.name_any()))]
pub async fn reconcile(runtime: Arc<ProfilerRuntime>, ctx: Arc<RuntimeContext>) -> Result<Action, Error> {
    let name = runtime.name_any();
    let spec = &runtime.spec;
    let outcome = async {
        let task_definition = ensure_task_definition(&ctx.aws, &name, spec).await?;
        let state_machine = ensure_state_machine(&ctx.aws, spec, &task_definition).await?;
        ensure_lifecycle(&ctx.aws, &name, spec).await?;
        Ok::<_, Error>((task_definition, state_machine))
    }
    .await;
    let mut status = runtime.status.clone().unwrap_or_default();
    let generation = runtime.metadata.generation;
    let now = Timestamp::now();
    let result = match outcome {
        Ok((task_definition, state_machine)) => {
            status.task_definition_arn = Some(task_definition);
            status.state_machine_arn = Some(state_machine);
            conditions::set(
                &mut status.conditions,
                "Ready",
                true,
                "ResourcesReady",
                "task definition, state machine and bucket lifecycle are in place",
                generation,
                now,
            );
            Ok(Action::requeue(RESYNC))
        }
        Err(e) => {
            warn!(error = %e, "runtime not ready");
            conditions::set(&mut status.conditions, "Ready", false, "AwsError", e.to_string(), generation, now);
            Err(e)
        }
    };
    status.observed_generation = generation;
    if runtime.status.as_ref() != Some(&status) {
        write_status(&ctx.client, &name, &status).await?;
        info!(ready = result.is_ok(), "runtime status written");
    }
    ctx.metrics.reconciled("ProfilerRuntime", result.is_err());
    if result.is_ok() {
        ctx.backoff.succeeded(&name);
    }
    result
}

async fn write_status(client: &Client, name: &str, status: &ProfilerRuntimeStatus) -> Result<(), Error> {
    let api: Api<ProfilerRuntime> = Api::all(client.clone());
    api.patch_status(name, &PatchParams::default(), &Patch::Merge(json!({ "status": status }))).await?;
    Ok(())
}

/// The runtime `name` when it exists and is Ready: its spec and state machine ARN; otherwise
/// why not, for the job's condition.
pub async fn ready_runtime(client: &Client, name: &str) -> Result<Result<(ProfilerRuntime, String), String>, Error> {
    let api: Api<ProfilerRuntime> = Api::all(client.clone());
    let Some(runtime) = api.get_opt(name).await? else {
        return Ok(Err(format!("ProfilerRuntime {name:?} does not exist; create it or set spec.runtimeRef.name")));
    };
    let status = runtime.status.clone().unwrap_or_default();
    match (conditions::is_true(&status.conditions, "Ready"), status.state_machine_arn.clone()) {
        (true, Some(arn)) => Ok(Ok((runtime, arn))),
        _ => {
            let why = status
                .conditions
                .iter()
                .find(|c| c.type_ == "Ready")
                .map(|c| c.message.clone())
                .unwrap_or_else(|| "not reconciled yet".into());
            Ok(Err(format!("ProfilerRuntime {name:?} is not Ready: {why}")))
        }
    }
}
