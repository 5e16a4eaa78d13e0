//! Kubernetes conditions: set one, keeping its transition time when its status does not change.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::jiff::Timestamp;

/// Sets condition `kind` in `conditions` (added when missing).
pub fn set(
    conditions: &mut Vec<Condition>,
    kind: &str,
    status: bool,
    reason: &str,
    message: impl Into<String>,
    generation: Option<i64>,
    now: Timestamp,
) {
    let status = if status { "True" } else { "False" }.to_owned();
    let message = message.into();
    match conditions.iter_mut().find(|c| c.type_ == kind) {
        Some(c) => {
            if c.status != status {
                c.last_transition_time = Time(now);
            }
            c.status = status;
            c.reason = reason.to_owned();
            c.message = message;
            c.observed_generation = generation;
        }
        None => conditions.push(Condition {
            type_: kind.to_owned(),
            status,
            reason: reason.to_owned(),
            message,
            observed_generation: generation,
            last_transition_time: Time(now),
        }),
    }
}

/// Whether condition `kind` is True.
pub fn is_true(conditions: &[Condition], kind: &str) -> bool {
    conditions.iter().any(|c| c.type_ == kind && c.status == "True")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_time_moves_only_when_the_status_changes() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let t1 = Timestamp::from_second(1_800_000_100).unwrap();
        let mut c = Vec::new();
        set(&mut c, "Ready", false, "Pending", "wait", Some(1), t0);
        set(&mut c, "Ready", false, "Pending", "still", Some(2), t1);
        assert_eq!((c.len(), c[0].last_transition_time.0, c[0].message.as_str()), (1, t0, "still"));
        set(&mut c, "Ready", true, "Ready", "ok", Some(2), t1);
        assert_eq!(c[0].last_transition_time.0, t1);
        assert!(is_true(&c, "Ready"));
    }
}
