//! `profiler-controller run`: both controllers, the HTTP endpoint, graceful shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::watcher;
use kube::{Api, Client};
use profiler_crds::resources::{ProfileJob, ProfilerRuntime};
use profiler_store::DatabaseConfig;
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::aws::Aws;
use crate::error::Error;
use crate::job::store_sync::StoreHandle;
use crate::job::tracker::ExecutionTracker;
use crate::job::{JobContext, reconcile as reconcile_job};
use crate::metrics::Metrics;
use crate::runtime::{RuntimeContext, reconcile as reconcile_runtime};

/// Settings of a controller process.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Namespaces whose ProfileJobs are watched; all when empty.
    pub namespaces: Vec<String>,
    /// Address of /healthz, /readyz and /metrics.
    pub http_address: String,
    /// The profile store, when configured.
    pub database: Option<DatabaseConfig>,
    /// How long a listing of running executions is reused.
    pub listing_max_age: Duration,
}

/// Runs until SIGTERM or Ctrl-C.
pub async fn run(config: RunConfig) -> Result<(), Error> {
    crate::install_crypto_provider();
    let client = Client::try_default().await?;
    let metrics = Metrics::default();
    let aws = Aws::from_env(&metrics).await;
    let ready = Arc::new(AtomicBool::new(false));
    let listener = TcpListener::bind(&config.http_address)
        .await
        .map_err(|e| Error::Malformed(format!("cannot listen on {}: {e}", config.http_address)))?;
    tokio::spawn(crate::http::serve(listener, metrics.clone(), ready.clone()));

    let reporter = Reporter { controller: "profiler-operator".into(), instance: std::env::var("POD_NAME").ok() };
    let job_ctx = Arc::new(JobContext {
        client: client.clone(),
        aws: aws.clone(),
        tracker: ExecutionTracker::new(aws.sfn.clone(), config.listing_max_age),
        store: config.database.map(StoreHandle::new),
        recorder: Recorder::new(client.clone(), reporter),
        metrics: metrics.clone(),
    });
    let runtime_ctx = Arc::new(RuntimeContext { client: client.clone(), aws, metrics });

    let runtimes = Controller::new(Api::<ProfilerRuntime>::all(client.clone()), watcher::Config::default())
        .graceful_shutdown_on(shutdown_signal())
        .run(reconcile_runtime, |_, e, _| retry_later("ProfilerRuntime", e), runtime_ctx)
        .for_each(|_| async {});
    let job_apis: Vec<Api<ProfileJob>> = if config.namespaces.is_empty() {
        vec![Api::all(client.clone())]
    } else {
        config.namespaces.iter().map(|ns| Api::namespaced(client.clone(), ns)).collect()
    };
    let jobs = futures::future::join_all(job_apis.into_iter().map(|api| {
        Controller::new(api, watcher::Config::default())
            .graceful_shutdown_on(shutdown_signal())
            .run(reconcile_job, |_, e, _| retry_later("ProfileJob", e), job_ctx.clone())
            .for_each(|_| async {})
    }));
    ready.store(true, Ordering::Relaxed);
    info!(namespaces = ?config.namespaces, "controllers running");
    tokio::join!(runtimes, jobs);
    info!("stopped");
    Ok(())
}

fn retry_later<E: std::fmt::Display>(kind: &str, error: &E) -> Action {
    warn!(kind, error = %error, "reconcile failed; retrying");
    Action::requeue(Duration::from_secs(15))
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            return;
        }
    }
    let _ = ctrl_c.await;
}
