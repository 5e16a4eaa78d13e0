//! Live progress of a fanned-out attempt: how many of its planned groups are profiled, read from
//! the attempt's outputs in S3 (the first task's `plan.json`, then each group's partial profile).
//!
//! Looks are rationed so that jobs in flight by the thousand cannot crowd out starts: a running
//! job that may fan out is looked at no sooner than one interval after the controller first saw
//! its attempt running and then once an interval, and the whole process makes at most
//! [`LOOKS_PER_SECOND`] looks a second (a look that finds no budget waits for the job's next
//! reconcile). A look is one S3 request: `GetObject` of the plan until it is known (an absent plan
//! means the attempt has not fanned out yet), then `ListObjectsV2` of the groups' objects.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use profiler_crds::fan_out::{GroupProgress, PLAN_OBJECT, finished_group};
use serde::Deserialize;

use crate::aws::{Aws, failed};
use crate::error::Error;

/// Most progress looks the process makes a second, over every job (and the burst saved up).
pub const LOOKS_PER_SECOND: f64 = 5.0;

/// Default interval between two looks at one attempt (`--group-progress-interval`).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);

/// When each running attempt may be looked at next, and the process-wide budget.
pub struct ProgressLooks {
    interval: Option<Duration>,
    state: Mutex<LookState>,
}

struct LookState {
    next_look: HashMap<String, Instant>,
    tokens: f64,
    refilled: Instant,
}

impl ProgressLooks {
    /// Looks at most once per `interval` per attempt; a zero interval turns looks off.
    pub fn new(interval: Duration) -> Self {
        let state = LookState { next_look: HashMap::new(), tokens: LOOKS_PER_SECOND, refilled: Instant::now() };
        Self { interval: (!interval.is_zero()).then_some(interval), state: Mutex::new(state) }
    }

    /// Whether the attempt whose execution is `execution_arn` is due a look now; when it is, the
    /// look is counted (its next one is an interval away). The first call only starts its clock.
    pub fn due(&self, execution_arn: &str) -> bool {
        let Some(interval) = self.interval else { return false };
        let Ok(mut state) = self.state.lock() else { return false };
        let now = Instant::now();
        let Some(next) = state.next_look.get(execution_arn).copied() else {
            state.next_look.insert(execution_arn.to_owned(), now + interval);
            return false;
        };
        let elapsed = now.duration_since(state.refilled).as_secs_f64();
        state.tokens = (state.tokens + elapsed * LOOKS_PER_SECOND).min(LOOKS_PER_SECOND);
        state.refilled = now;
        if now < next || state.tokens < 1.0 {
            return false;
        }
        state.tokens -= 1.0;
        state.next_look.insert(execution_arn.to_owned(), now + interval);
        true
    }

    /// Forgets the attempt whose execution is `execution_arn` (it finished, or its job is gone).
    pub fn forget(&self, execution_arn: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.next_look.remove(execution_arn);
        }
    }
}

/// The groups of the attempt whose outputs are under `prefix` in `bucket`: None while it has not
/// planned a fan-out. `known` is what the status already shows (its total is not read again).
pub async fn look(
    aws: &Aws,
    bucket: &str,
    prefix: &str,
    known: Option<&GroupProgress>,
) -> Result<Option<GroupProgress>, Error> {
    let total = match known {
        Some(known) => known.total,
        None => match planned_groups(aws, bucket, &format!("{prefix}{PLAN_OBJECT}")).await? {
            Some(total) => total,
            None => return Ok(None),
        },
    };
    let listed = aws
        .s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(format!("{prefix}groups/"))
        .send()
        .await
        .map_err(|e| failed("S3", "ListObjectsV2", &e))?;
    let done = listed
        .contents()
        .iter()
        .filter_map(|object| object.key()?.strip_prefix(prefix))
        .filter_map(finished_group)
        .filter(|index| *index < total)
        .count() as u32;
    Ok(Some(GroupProgress::new(done, total)))
}

/// The number of groups in the plan at `key`, or None when there is no plan.
async fn planned_groups(aws: &Aws, bucket: &str, key: &str) -> Result<Option<u32>, Error> {
    #[derive(Deserialize)]
    struct Plan {
        groups: Vec<serde::de::IgnoredAny>,
    }
    let object = match aws.s3.get_object().bucket(bucket).key(key).send().await {
        Ok(object) => object,
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
        Err(e) => return Err(failed("S3", "GetObject", &e)),
    };
    let body = object
        .body
        .collect()
        .await
        .map_err(|e| Error::Progress(format!("cannot read s3://{bucket}/{key}: {e}")))?
        .into_bytes();
    let plan: Plan = serde_json::from_slice(&body)
        .map_err(|e| Error::Progress(format!("s3://{bucket}/{key} is not a fan-out plan: {e}")))?;
    Ok(Some(plan.groups.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attempt_is_first_looked_at_one_interval_after_it_was_seen() {
        let looks = ProgressLooks::new(Duration::from_millis(300));
        assert!(!looks.due("a"), "the first sight starts the clock");
        assert!(!looks.due("a"));
        std::thread::sleep(Duration::from_millis(350));
        assert!(looks.due("a"));
        assert!(!looks.due("a"), "the next look is an interval away");
        looks.forget("a");
        assert!(!looks.due("a"), "a forgotten attempt starts again");
    }

    #[test]
    fn the_process_makes_at_most_its_budget_of_looks() {
        let looks = ProgressLooks::new(Duration::from_millis(1));
        let names: Vec<String> = (0..20).map(|i| format!("e{i}")).collect();
        for name in &names {
            looks.due(name);
        }
        std::thread::sleep(Duration::from_millis(5));
        let granted = names.iter().filter(|name| looks.due(name)).count();
        assert_eq!(granted, LOOKS_PER_SECOND as usize, "the burst, then nothing until it refills");
    }

    #[test]
    fn a_zero_interval_never_looks() {
        let looks = ProgressLooks::new(Duration::ZERO);
        assert!(!looks.due("a"));
        assert!(!looks.due("a"));
    }
}
