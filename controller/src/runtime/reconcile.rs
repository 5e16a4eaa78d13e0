//! Reconciles one ProfilerRuntime: its AWS resources, then its status.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::jiff::Timestamp;
use kube::api::Api;
use kube::runtime::controller::Action;
use kube::runtime::reflector::{ObjectRef, Store};
use kube::{Client, ResourceExt};
use profiler_crds::resources::{ProfilerRuntime, ProfilerRuntimeSpec};
use tracing::{info, instrument, warn};

use super::aws_resources::{ensure_lifecycle, ensure_state_machine, ensure_task_definition};
use crate::aws::Aws;
use crate::backoff::ErrorBackoff;
use crate::conditions::{self, ConditionType, Update, reason};
use crate::error::Error;
use crate::metrics::Metrics;
use crate::status::patch_status;

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
    let mut status = runtime.status.clone().unwrap_or_default();
    let generation = runtime.metadata.generation;
    let now = Timestamp::now();
    let result = match spec.validate() {
        // The API server admits no such spec; one stored before the CRD said so is refused here
        // with the same words, and looked at again only when it changes.
        Err(e) => {
            warn!(error = %e, "runtime spec refused");
            let message = format!("{}: {}; fix the ProfilerRuntime", e.field, e.message);
            conditions::set(
                &mut status.conditions,
                Update::runtime_failed(reason::INVALID_SPEC, message),
                generation,
                now,
            );
            Ok(Action::await_change())
        }
        Ok(()) => match ensure_resources(&ctx.aws, &name, spec).await {
            Ok((task_definition, state_machine)) => {
                status.task_definition_arn = Some(task_definition);
                status.state_machine_arn = Some(state_machine);
                conditions::set(&mut status.conditions, Update::resources_ready(), generation, now);
                Ok(Action::requeue(RESYNC))
            }
            Err(e) => {
                warn!(error = %e, "runtime not ready");
                let update = Update::runtime_failed(reason::AWS_ERROR, e.to_string());
                conditions::set(&mut status.conditions, update, generation, now);
                Err(e)
            }
        },
    };
    status.observed_generation = generation;
    if runtime.status.as_ref() != Some(&status) {
        let api: Api<ProfilerRuntime> = Api::all(ctx.client.clone());
        patch_status(&api, &name, &status).await?;
        info!(ready = conditions::is_true(&status.conditions, ConditionType::Ready), "runtime status written");
    }
    ctx.metrics.reconciled("ProfilerRuntime", result.is_err());
    if result.is_ok() {
        ctx.backoff.succeeded(&name);
    }
    result
}

/// The task definition, the state machine and the bucket lifecycle: their ARNs.
async fn ensure_resources(aws: &Aws, name: &str, spec: &ProfilerRuntimeSpec) -> Result<(String, String), Error> {
    let task_definition = ensure_task_definition(aws, name, spec).await?;
    let state_machine = ensure_state_machine(aws, spec, &task_definition).await?;
    ensure_lifecycle(aws, name, spec).await?;
    Ok((task_definition, state_machine))
}

/// The runtime `name` when it exists and is Ready: its spec and state machine ARN; otherwise
/// why not, for the job's condition. A runtime Ready in `known` (the runtime controller's store,
/// kept by its watch) is taken from there: every ProfileJob reconcile needs it, and 10,000 jobs in
/// flight would otherwise cost 10,000s of GETs. Anything else (not there yet, not Ready there) is
/// read from the API server, so a runtime that just became Ready is not missed.
pub async fn ready_runtime(
    client: &Client,
    known: Option<&Store<ProfilerRuntime>>,
    name: &str,
) -> Result<Result<(ProfilerRuntime, String), String>, Error> {
    if let Some(runtime) = known.and_then(|store| store.get(&ObjectRef::new(name)))
        && let Ok(arn) = readiness(&runtime)
    {
        return Ok(Ok((ProfilerRuntime::clone(&runtime), arn)));
    }
    let api: Api<ProfilerRuntime> = Api::all(client.clone());
    let Some(runtime) = api.get_opt(name).await? else {
        return Ok(Err(format!("ProfilerRuntime {name:?} does not exist; create it or set spec.runtimeRef.name")));
    };
    Ok(readiness(&runtime).map(|arn| (runtime, arn)))
}

/// The state machine ARN of a Ready runtime, or why it is not Ready.
fn readiness(runtime: &ProfilerRuntime) -> Result<String, String> {
    let status = runtime.status.clone().unwrap_or_default();
    match (conditions::is_true(&status.conditions, ConditionType::Ready), status.state_machine_arn) {
        (true, Some(arn)) => Ok(arn),
        _ => {
            let why = conditions::find(&status.conditions, ConditionType::Ready)
                .map(|c| c.message.clone())
                .unwrap_or_else(|| "not reconciled yet".into());
            Err(format!("ProfilerRuntime {:?} is not Ready: {why}", runtime.name_any()))
        }
    }
}
