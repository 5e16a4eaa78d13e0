//! `profiler-controller run`: the HTTP endpoint, leader election, the three controllers
//! (ProfilerRuntime, ProfileJob, ProfileSchedule), graceful shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use kube::runtime::controller::{self, Action, Controller};
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, Resource, ResourceExt};
use profiler_crds::resources::{ProfileJob, ProfileSchedule, ProfilerRuntime};
use profiler_store::DatabaseConfig;
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::aws::Aws;
use crate::backoff::ErrorBackoff;
use crate::error::Error;
use crate::events::EventPublisher;
use crate::job::progress::ProgressLooks;
use crate::job::store_sync::StoreHandle;
use crate::job::tracker::ExecutionTracker;
use crate::job::{JobContext, job_key, reconcile as reconcile_job};
use crate::leader::{Leadership, LeaseConfig};
use crate::metrics::Metrics;
use crate::rate_limit::RateLimit;
use crate::runtime::{RuntimeContext, reconcile as reconcile_runtime};
use crate::schedule::{ScheduleContext, reconcile as reconcile_schedule, schedule_key};

/// ProfileJob reconciles run at once (per watched namespace). The others wait in the
/// controller's queue as object references, so a burst of 10,000 jobs does not hold 10,000
/// reconciles (each with its AWS request, serialized input and status) in memory while they
/// wait for the AWS budget; at about 0.1 s a reconcile this still carries over 2,000 a second.
const JOB_RECONCILE_CONCURRENCY: u16 = 256;

/// ProfileSchedule reconciles at once. A thousand schedules firing at the same minute were a
/// thousand reconciles at once, each with its connection to the API server and the answers it
/// waits on (the controller's memory rose by 65 MiB within seconds); queued, a schedule is a
/// reference. At a few API calls of tens of milliseconds a reconcile, 64 at once create a thousand
/// runs within seconds (the scale benchmark's Python API emulator, busy with 9,000 other creates,
/// took 26 s at p99 instead of 13 s: docs/benchmarks.md).
const SCHEDULE_RECONCILE_CONCURRENCY: u16 = 64;

/// Settings of a controller process.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Namespaces whose ProfileJobs and ProfileSchedules are watched; all when empty.
    pub namespaces: Vec<String>,
    /// Address of /healthz, /readyz and /metrics.
    pub http_address: String,
    /// The profile store, when configured.
    pub database: Option<DatabaseConfig>,
    /// How long a listing of running executions is reused.
    pub listing_max_age: Duration,
    /// Outbound AWS requests a second, shared by every client (and the burst saved up).
    pub aws_requests_per_second: f64,
    /// Requests that may go out at once after a quiet period.
    pub aws_burst: u32,
    /// AWS requests in flight at once.
    pub aws_max_in_flight: usize,
    /// Interval between two looks at a fanned-out attempt's groups (zero: never).
    pub group_progress_interval: Duration,
    /// The leader Lease; without it this process reconciles alone.
    pub leader_election: Option<LeaseConfig>,
}

/// Runs until SIGTERM or Ctrl-C.
pub async fn run(config: RunConfig) -> Result<(), Error> {
    crate::install_crypto_provider();
    let client = Client::try_default().await?;
    let metrics = Metrics::default();
    let ready = Arc::new(AtomicBool::new(false));
    let listener = TcpListener::bind(&config.http_address)
        .await
        .map_err(|e| Error::Malformed(format!("cannot listen on {}: {e}", config.http_address)))?;
    tokio::spawn(crate::http::serve(listener, metrics.clone(), ready.clone()));

    let leadership = match &config.leader_election {
        Some(lease) => {
            let mut leadership = Leadership::compete(client.clone(), lease).await.map_err(|e| {
                Error::LeaderElection(format!("cannot use Lease {}/{}: {e}", lease.namespace, lease.name))
            })?;
            // A standby is ready: it serves, and takes over when the leader goes.
            ready.store(true, Ordering::Relaxed);
            tokio::select! {
                acquired = leadership.acquired() => if !acquired {
                    return Err(Error::LeaderElection("the Lease watcher stopped before this replica led".into()));
                },
                _ = shutdown_signal() => {
                    leadership.release().await;
                    return Ok(());
                }
            }
            info!("leading");
            Some(leadership)
        }
        None => None,
    };
    metrics.leader.set(1);
    let limit = RateLimit::new(config.aws_requests_per_second, config.aws_burst, config.aws_max_in_flight)
        .with_metrics(metrics.clone());
    let aws = Aws::from_env(&metrics, &limit).await;

    let runtime_controller = Controller::new(Api::<ProfilerRuntime>::all(client.clone()), watcher::Config::default());
    let reporter = Reporter { controller: "profiler-operator".into(), instance: std::env::var("POD_NAME").ok() };
    let job_ctx = Arc::new(JobContext {
        client: client.clone(),
        aws: aws.clone(),
        tracker: ExecutionTracker::new(aws.sfn.clone(), config.listing_max_age),
        progress: ProgressLooks::new(config.group_progress_interval),
        store: config.database.map(StoreHandle::new),
        recorder: EventPublisher::new(client.clone(), reporter.clone()),
        metrics: metrics.clone(),
        backoff: ErrorBackoff::default(),
        runtimes: Some(runtime_controller.store()),
    });
    let schedule_ctx =
        Arc::new(ScheduleContext::new(client.clone(), Recorder::new(client.clone(), reporter), metrics.clone()));
    let runtime_ctx = Arc::new(RuntimeContext {
        client: client.clone(),
        aws,
        metrics: metrics.clone(),
        backoff: ErrorBackoff::default(),
    });

    let runtimes = runtime_controller
        .graceful_shutdown_on(shutdown_signal())
        .run(
            reconcile_runtime,
            |runtime, e, ctx| retry_later("ProfilerRuntime", e, ctx.backoff.failed(&runtime.name_any())),
            runtime_ctx,
        )
        .for_each(|_| async {});
    let job_apis: Vec<Api<ProfileJob>> = namespaced_apis(&client, &config.namespaces);
    let jobs = futures::future::join_all(job_apis.into_iter().map(|api| {
        job_controller(api)
            .with_config(controller::Config::default().concurrency(JOB_RECONCILE_CONCURRENCY))
            .graceful_shutdown_on(shutdown_signal())
            .run(
                reconcile_job,
                |job, e, ctx| retry_later("ProfileJob", e, ctx.backoff.failed(&job_key(&job))),
                job_ctx.clone(),
            )
            .for_each(|_| async {})
    }));
    // Schedules: woken by their own changes and their jobs' (owned ProfileJobs), and at each
    // scheduled time by the requeue.
    let schedule_apis: Vec<Api<ProfileSchedule>> = namespaced_apis(&client, &config.namespaces);
    let mut schedule_stores = Vec::new();
    let schedules = futures::future::join_all(
        schedule_apis.into_iter().zip(namespaced_apis::<ProfileJob>(&client, &config.namespaces)).map(
            |(api, owned)| {
                let controller = Controller::new(api, watcher::Config::default())
                    .owns(owned, watcher::Config::default().labels(profiler_crds::resources::SCHEDULE_LABEL));
                schedule_stores.push(controller.store());
                controller
                    .with_config(controller::Config::default().concurrency(SCHEDULE_RECONCILE_CONCURRENCY))
                    .graceful_shutdown_on(shutdown_signal())
                    .run(
                        reconcile_schedule,
                        |schedule, e, ctx| {
                            retry_later("ProfileSchedule", e, ctx.backoff.failed(&schedule_key(&schedule)))
                        },
                        schedule_ctx.clone(),
                    )
                    .for_each(|_| async {})
            },
        ),
    );
    tokio::spawn(count_schedules(schedule_stores, metrics.clone()));
    ready.store(true, Ordering::Relaxed);
    info!(namespaces = ?config.namespaces, "controllers running");
    let controllers = async {
        tokio::join!(runtimes, jobs, schedules);
    };
    let Some(mut leadership) = leadership else {
        controllers.await;
        info!("stopped");
        return Ok(());
    };
    tokio::select! {
        _ = controllers => {
            leadership.release().await;
            info!("stopped");
            Ok(())
        }
        _ = leadership.lost() => {
            metrics.leader.set(0);
            Err(Error::LeaderElection("lost the leader Lease; stopping so only the new leader reconciles".into()))
        }
    }
}

/// The ProfileJob controller of `api`, whose store keeps each job without what no reconcile reads:
/// `managedFields` (on a real API server often larger than the spec) and the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation (a second copy of the spec).
/// With 10,000 jobs in flight the store holds 10,000 jobs.
fn job_controller(api: Api<ProfileJob>) -> Controller<ProfileJob> {
    let (reader, writer) = reflector::store();
    let jobs =
        watcher(api, watcher::Config::default()).default_backoff().modify(slim).reflect(writer).applied_objects();
    Controller::for_stream(jobs, reader)
}

/// Drops from a watched object what the controller never reads.
fn slim<K: Resource>(object: &mut K) {
    object.managed_fields_mut().clear();
    object.annotations_mut().remove(LAST_APPLIED);
}

/// The annotation `kubectl apply` keeps its last applied manifest in.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// One Api per watched namespace, or one for all.
fn namespaced_apis<K>(client: &Client, namespaces: &[String]) -> Vec<Api<K>>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope>,
    <K as kube::Resource>::DynamicType: Default,
{
    if namespaces.is_empty() {
        vec![Api::all(client.clone())]
    } else {
        namespaces.iter().map(|ns| Api::namespaced(client.clone(), ns)).collect()
    }
}

/// Keeps the schedule gauge in step with the watched ProfileSchedules (deleted ones included,
/// which no reconcile sees).
async fn count_schedules(stores: Vec<Store<ProfileSchedule>>, metrics: Metrics) {
    loop {
        let all: Vec<_> = stores.iter().flat_map(|s| s.state()).collect();
        let suspended = all.iter().filter(|s| s.spec.suspend).count() as i64;
        metrics.set_schedules(all.len() as i64 - suspended, suspended);
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

fn retry_later<E: std::fmt::Display>(kind: &str, error: &E, delay: Duration) -> Action {
    warn!(kind, error = %error, retry_in_seconds = delay.as_secs(), "reconcile failed; retrying");
    Action::requeue(delay)
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
