//! Leader election on a coordination.k8s.io Lease (kube-lease-manager), so that of several
//! replicas exactly one reconciles. A replica that loses the Lease stops at once (its
//! Deployment starts it again as a standby) rather than reconciling next to the new leader.

use kube::Client;
use kube_lease_manager::{LeaseManagerBuilder, LeaseManagerError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{info, warn};

/// Seconds a Lease holds without renewal.
const LEASE_SECONDS: u64 = 15;
/// Seconds before expiry at which the holder renews it.
const GRACE_SECONDS: u64 = 5;

/// Where the Lease lives and who this replica is.
#[derive(Debug, Clone)]
pub struct LeaseConfig {
    /// Lease name.
    pub name: String,
    /// Its namespace (the controller's own).
    pub namespace: String,
    /// This replica's identity (its pod name).
    pub identity: String,
}

/// A held (or awaited) Lease; dropping it releases the Lease.
pub struct Leadership {
    state: watch::Receiver<bool>,
    task: JoinHandle<Result<kube_lease_manager::LeaseManager, LeaseManagerError>>,
}

impl Leadership {
    /// Starts competing for the Lease (creating it when missing).
    pub async fn compete(client: Client, config: &LeaseConfig) -> Result<Self, LeaseManagerError> {
        let manager = LeaseManagerBuilder::new(client, &config.name)
            .with_namespace(&config.namespace)
            .with_identity(&config.identity)
            .with_duration(LEASE_SECONDS)
            .with_grace(GRACE_SECONDS)
            .with_field_manager("profiler-operator")
            .build()
            .await?;
        let (state, task) = manager.watch().await;
        info!(lease = %config.name, namespace = %config.namespace, identity = %config.identity, "waiting to lead");
        Ok(Self { state, task })
    }

    /// Returns once this replica holds the Lease.
    pub async fn acquired(&mut self) -> bool {
        self.state.wait_for(|leading| *leading).await.is_ok()
    }

    /// Returns once this replica no longer holds the Lease.
    pub async fn lost(&mut self) {
        if self.state.wait_for(|leading| !*leading).await.is_err() {
            warn!("the Lease watcher stopped");
        }
    }

    /// Gives the Lease up so a standby takes over without waiting for it to expire.
    pub async fn release(self) {
        let Self { state, task } = self;
        drop(state);
        match tokio::time::timeout(std::time::Duration::from_secs(5), task).await {
            Ok(Ok(Ok(_))) => info!("released the Lease"),
            Ok(Ok(Err(e))) => warn!(error = %e, "could not release the Lease; it expires by itself"),
            Ok(Err(e)) => warn!(error = %e, "the Lease watcher failed"),
            Err(_) => warn!("releasing the Lease timed out; it expires by itself"),
        }
    }
}
