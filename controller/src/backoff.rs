//! Requeue delays after failed reconciles: 5 s for an object's first failure, doubling with
//! each further one in a row, at most 5 minutes; a successful reconcile starts it over. A
//! broken AWS account or API server is then asked less and less often instead of in a loop.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

const FIRST: Duration = Duration::from_secs(5);
const LONGEST: Duration = Duration::from_secs(300);

/// Consecutive failures per object (by uid).
#[derive(Debug, Default)]
pub struct ErrorBackoff {
    failures: Mutex<HashMap<String, u32>>,
}

impl ErrorBackoff {
    /// Notes a failed reconcile of `key`; the delay before the next try.
    pub fn failed(&self, key: &str) -> Duration {
        let failures = match self.failures.lock() {
            Ok(mut map) => {
                let n = map.entry(key.to_owned()).or_default();
                *n = n.saturating_add(1);
                *n
            }
            Err(_) => 1,
        };
        FIRST.saturating_mul(1 << failures.saturating_sub(1).min(10)).min(LONGEST)
    }

    /// Notes a successful reconcile of `key`.
    pub fn succeeded(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_per_failure_up_to_five_minutes_and_a_success_resets_them() {
        let backoff = ErrorBackoff::default();
        let delays: Vec<u64> = (0..9).map(|_| backoff.failed("a").as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(backoff.failed("b").as_secs(), 5, "objects are counted apart");
        backoff.succeeded("a");
        assert_eq!(backoff.failed("a").as_secs(), 5);
    }
}
