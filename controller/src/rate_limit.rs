//! One outbound rate limit for every AWS client of the process: the SDK's HTTP client is wrapped
//! so that each request (retries included) first takes one of a fixed number of in-flight slots,
//! then a token from a bucket, and only then goes out. A thousand jobs reconciled at once queue
//! here instead of meeting AWS throttling, and a slow endpoint holds at most `max_in_flight`
//! connections (a request waiting for a slot is a small future, not a socket in the endpoint's
//! listen backlog that times out and is retried). When AWS throttles anyway, the SDK's adaptive
//! retry slows down further. The time spent in each stage is counted in
//! `profiler_operator_aws_request_seconds_total{operation,stage}`.
//!
//! Step Functions throttles each API action with a bucket of its own, and a few actions have far
//! smaller quotas than `StartExecution`. Those actions (`DescribeExecution`, `ListExecutions`,
//! `StopExecution`) go through lanes of their own, sized from their documented quotas, with their
//! own slots: executions finishing by the thousand can use up `DescribeExecution`'s quota, but
//! neither the starts' budget nor their connections.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

use crate::metrics::{AwsStageLabels, Metrics};

/// Default requests a second (`--aws-requests-per-second`, the chart's `aws.requestsPerSecond`):
/// the smallest refill rate Step Functions documents for `StartExecution` (150 a second, in every
/// region but US East (N. Virginia), US West (Oregon) and Europe (Ireland), which have 300), so
/// the controller alone never outruns that quota in any region, and 10,000 new jobs are started
/// within about two minutes. The quota is per account and region, shared with every other caller.
pub const DEFAULT_REQUESTS_PER_SECOND: f64 = 150.0;

/// Default burst (`--aws-burst`, `aws.burst`): the smallest documented `StartExecution` bucket
/// (800; 1,300 in the three large regions).
pub const DEFAULT_BURST: u32 = 800;

/// Default AWS requests in flight at once (`--aws-max-in-flight`, `aws.maxInFlight`). At
/// Step Functions' usual latency (tens of milliseconds) 64 connections carry several times the
/// default 150 requests a second; a slower endpoint makes requests queue in the controller,
/// where they cost a few hundred bytes each, not a connection each.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 64;

/// The Step Functions actions with a lane of their own: the action, its bucket and refill a
/// second (the quota Step Functions documents for Standard workflows in every region but the three
/// largest, which have more), and the requests of the lane in flight at once.
pub const ACTION_QUOTAS: [(&str, u32, f64, usize); 3] =
    [("DescribeExecution", 250, 10.0, 8), ("ListExecutions", 100, 2.0, 4), ("StopExecution", 500, 25.0, 8)];

/// The outbound rate limit: a lane for every request but those of [`ACTION_QUOTAS`], which have
/// a lane each.
#[derive(Debug, Clone)]
pub struct RateLimit {
    shared: Arc<Lane>,
    actions: Arc<[(&'static str, Lane)]>,
    metrics: Option<Metrics>,
}

/// A token bucket (`per_second` tokens a second, at most `burst` saved up) and a cap on the
/// requests in flight.
#[derive(Debug)]
struct Lane {
    bucket: Mutex<Bucket>,
    in_flight: Arc<Semaphore>,
}

impl Lane {
    fn new(per_second: f64, burst: u32, max_in_flight: usize) -> Self {
        let burst = f64::from(burst.max(1));
        let per_second = if per_second > 0.0 { per_second } else { 1.0 };
        Self {
            bucket: Mutex::new(Bucket { per_second, burst, tokens: burst, refilled_at: Instant::now() }),
            in_flight: Arc::new(Semaphore::new(max_in_flight.clamp(1, Semaphore::MAX_PERMITS))),
        }
    }

    /// Waits for a token.
    async fn acquire(&self) {
        loop {
            let taken = match self.bucket.lock() {
                Ok(mut bucket) => bucket.take(Instant::now()),
                // A panic while holding this lock cannot leave the bucket inconsistent.
                Err(poisoned) => poisoned.into_inner().take(Instant::now()),
            };
            match taken {
                Ok(()) => return,
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
}

#[derive(Debug)]
struct Bucket {
    per_second: f64,
    burst: f64,
    tokens: f64,
    refilled_at: Instant,
}

impl Bucket {
    /// Takes a token at `now`, or says how long until one is there.
    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let earned = now.saturating_duration_since(self.refilled_at).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + earned).min(self.burst);
        self.refilled_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.per_second))
        }
    }
}

impl RateLimit {
    /// A limit whose shared lane refills `per_second` tokens a second, saves up to `burst` and
    /// sends `max_in_flight` requests at once (`per_second` must be positive; `burst` and
    /// `max_in_flight` are at least 1), and whose actions of [`ACTION_QUOTAS`] have their own
    /// lanes. Every bucket starts full.
    pub fn new(per_second: f64, burst: u32, max_in_flight: usize) -> Self {
        let actions = ACTION_QUOTAS
            .iter()
            .map(|&(action, burst, per_second, in_flight)| (action, Lane::new(per_second, burst, in_flight)))
            .collect();
        Self { shared: Arc::new(Lane::new(per_second, burst, max_in_flight)), actions, metrics: None }
    }

    /// The lane of `operation`.
    fn lane(&self, operation: &str) -> &Lane {
        self.actions.iter().find(|(action, _)| *action == operation).map_or(&*self.shared, |(_, lane)| lane)
    }

    /// The same limit, counting each request's time per stage in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    fn record(&self, operation: &str, stage: &str, spent: Duration) {
        if let Some(metrics) = &self.metrics {
            let labels = AwsStageLabels { operation: operation.to_owned(), stage: stage.to_owned() };
            metrics.aws_request_seconds.get_or_create(&labels).inc_by(spent.as_secs_f64());
        }
    }

    /// Waits for a token of `operation`'s lane.
    pub async fn acquire(&self, operation: &str) {
        self.lane(operation).acquire().await;
    }

    /// `inner` with every request waiting for a token of this bucket first.
    pub fn wrap(&self, inner: SharedHttpClient) -> SharedHttpClient {
        SharedHttpClient::new(LimitedClient { inner, limit: self.clone() })
    }
}

#[derive(Debug)]
struct LimitedClient {
    inner: SharedHttpClient,
    limit: RateLimit,
}

impl HttpClient for LimitedClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(LimitedConnector {
            inner: self.inner.http_connector(settings, components),
            limit: self.limit.clone(),
        })
    }
}

#[derive(Debug)]
struct LimitedConnector {
    inner: SharedHttpConnector,
    limit: RateLimit,
}

impl HttpConnector for LimitedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let limit = self.limit.clone();
        let operation = operation_of(request.headers().get("x-amz-target"));
        HttpConnectorFuture::new(async move {
            let queued = Instant::now();
            // A slot first, then a token: the token is taken when the request can go out, so
            // what is sent never outruns the bucket, however long the endpoint stalled. The
            // semaphore is never closed; were it, the request would go out without a slot.
            let lane = limit.lane(operation);
            let _slot = lane.in_flight.clone().acquire_owned().await.ok();
            let slotted = Instant::now();
            lane.acquire().await;
            let sent = Instant::now();
            let answer = inner.call(request).await;
            limit.record(operation, "slot", slotted - queued);
            limit.record(operation, "budget", sent - slotted);
            limit.record(operation, "service", sent.elapsed());
            answer
        })
    }
}

/// The operation of a JSON-protocol request (`X-Amz-Target: AWSStepFunctions.StartExecution`);
/// `S3` for the REST calls, which carry no target.
fn operation_of(target: Option<&str>) -> &'static str {
    const KNOWN: [&str; 8] = [
        "StartExecution",
        "DescribeExecution",
        "ListExecutions",
        "StopExecution",
        "CreateStateMachine",
        "UpdateStateMachine",
        "DescribeStateMachine",
        "RegisterTaskDefinition",
    ];
    match target.and_then(|t| t.rsplit_once('.')) {
        Some((_, op)) => KNOWN.into_iter().find(|k| *k == op).unwrap_or("other"),
        None => "S3",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(per_second: f64, burst: f64, at: Instant) -> Bucket {
        Bucket { per_second, burst, tokens: burst, refilled_at: at }
    }

    #[test]
    fn a_full_bucket_gives_its_burst_then_one_token_per_interval() {
        let start = Instant::now();
        let mut b = bucket(10.0, 3.0, start);
        assert!((0..3).all(|_| b.take(start).is_ok()));
        let wait = b.take(start).unwrap_err();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        assert!(b.take(start + Duration::from_millis(50)).is_err());
        assert!(b.take(start + Duration::from_millis(100)).is_ok());
    }

    #[test]
    fn an_idle_bucket_saves_up_no_more_than_its_burst() {
        let start = Instant::now();
        let mut b = bucket(10.0, 2.0, start);
        let later = start + Duration::from_secs(60);
        assert!(b.take(later).is_ok() && b.take(later).is_ok());
        assert!(b.take(later).is_err());
    }

    #[tokio::test]
    async fn waiters_get_tokens_at_the_configured_rate() {
        let limit = RateLimit::new(100.0, 1, 4);
        let start = Instant::now();
        for _ in 0..6 {
            limit.acquire("StartExecution").await;
        }
        // One token at once, five more at 10 ms each.
        assert!(start.elapsed() >= Duration::from_millis(45), "{:?}", start.elapsed());
    }

    #[tokio::test]
    async fn small_quota_actions_spend_their_own_budget_not_the_starts() {
        let limit = RateLimit::new(1.0, 5, 4);
        // DescribeExecution's whole documented bucket, and more: its lane waits, the shared one
        // is untouched.
        for _ in 0..250 {
            limit.acquire("DescribeExecution").await;
        }
        let waited = tokio::time::timeout(Duration::from_millis(20), limit.acquire("DescribeExecution")).await;
        assert!(waited.is_err(), "DescribeExecution past its bucket did not wait");
        let start = Instant::now();
        for _ in 0..5 {
            limit.acquire("StartExecution").await;
        }
        assert!(start.elapsed() < Duration::from_millis(20), "{:?}", start.elapsed());
        // S3 and ECS share the starts' lane: its burst is spent now.
        let waited = tokio::time::timeout(Duration::from_millis(20), limit.acquire("S3")).await;
        assert!(waited.is_err(), "the shared lane gave more than its burst");
    }

    #[test]
    fn each_small_quota_action_has_a_lane_with_its_own_slots() {
        let limit = RateLimit::new(150.0, 800, 64);
        for (action, _, _, in_flight) in ACTION_QUOTAS {
            let lane = limit.lane(action);
            assert!(!std::ptr::eq(lane, &*limit.shared), "{action}");
            assert_eq!(lane.in_flight.available_permits(), in_flight, "{action}");
        }
        assert!(std::ptr::eq(limit.lane("StartExecution"), &*limit.shared));
        assert_eq!(limit.lane("S3").in_flight.available_permits(), 64);
    }

    #[test]
    fn operations_are_named_from_the_target_header() {
        assert_eq!(operation_of(Some("AWSStepFunctions.StartExecution")), "StartExecution");
        assert_eq!(operation_of(Some("AmazonEC2ContainerServiceV20141113.RunTask")), "other");
        assert_eq!(operation_of(None), "S3");
    }
}
