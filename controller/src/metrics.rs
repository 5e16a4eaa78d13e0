//! The controller's Prometheus metrics: every outbound AWS call (counted by an SDK interceptor,
//! so no call site can forget it), reconciles and their failures.

use std::sync::Arc;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

/// Labels of an AWS call.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct AwsCallLabels {
    /// Service, e.g. `SFN`.
    pub service: String,
    /// Operation, e.g. `ListExecutions`.
    pub operation: String,
}

/// Labels of a reconcile.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReconcileLabels {
    /// `ProfileJob` or `ProfilerRuntime`.
    pub kind: String,
}

/// All metrics, registered once.
#[derive(Clone, Debug)]
pub struct Metrics {
    registry: Arc<Registry>,
    /// Outbound AWS calls (each attempt, retries included).
    pub aws_calls: Family<AwsCallLabels, Counter>,
    /// Reconciles run.
    pub reconciles: Family<ReconcileLabels, Counter>,
    /// Reconciles that ended in an error (retried with backoff).
    pub reconcile_errors: Family<ReconcileLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("profiler_operator");
        let aws_calls = Family::<AwsCallLabels, Counter>::default();
        let reconciles = Family::<ReconcileLabels, Counter>::default();
        let reconcile_errors = Family::<ReconcileLabels, Counter>::default();
        registry.register("aws_calls", "Outbound AWS API calls, retries included", aws_calls.clone());
        registry.register("reconciles", "Reconciles run", reconciles.clone());
        registry.register("reconcile_errors", "Reconciles that failed and were requeued", reconcile_errors.clone());
        Self { registry: Arc::new(registry), aws_calls, reconciles, reconcile_errors }
    }
}

impl Metrics {
    /// The metrics in the Prometheus text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// Counts one reconcile of `kind`.
    pub fn reconciled(&self, kind: &str, failed: bool) {
        let labels = ReconcileLabels { kind: kind.to_owned() };
        self.reconciles.get_or_create(&labels).inc();
        if failed {
            self.reconcile_errors.get_or_create(&labels).inc();
        }
    }
}
