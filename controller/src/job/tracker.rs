//! Follows executions without one DescribeExecution per job per poll: the RUNNING executions of
//! each state machine are listed once (paged) and cached briefly for every job; only an
//! execution that is not in that list is described, which happens about once per attempt (when
//! it has just finished). An execution whose StartExecution failed is not described at all
//! before the start is sent again: the deterministic name makes the second StartExecution safe,
//! and its answer (accepted, or ExecutionAlreadyExists) says all a DescribeExecution would.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex as SyncMutex;
use std::time::{Duration, Instant};

use aws_sdk_sfn::types::{ExecutionStatus, ExecutionStatus as S};
use profiler_crds::TaskResult;
use tokio::sync::Mutex;

use super::decide::ExecutionState;
use crate::aws::failed;
use crate::error::Error;

/// Cached RUNNING listings, per state machine.
pub struct ExecutionTracker {
    sfn: aws_sdk_sfn::Client,
    max_age: Duration,
    running: Mutex<HashMap<String, (Instant, HashSet<String>)>>,
    /// Executions whose StartExecution failed and has not been sent again successfully.
    unconfirmed: SyncMutex<HashSet<String>>,
}

impl ExecutionTracker {
    /// A tracker whose listings are reused for `max_age`.
    pub fn new(sfn: aws_sdk_sfn::Client, max_age: Duration) -> Self {
        Self { sfn, max_age, running: Mutex::new(HashMap::new()), unconfirmed: SyncMutex::default() }
    }

    /// The state of `execution_arn` of `state_machine_arn`.
    pub async fn state(&self, state_machine_arn: &str, execution_arn: &str) -> Result<ExecutionState, Error> {
        if self.is_running(state_machine_arn, execution_arn).await? {
            return Ok(ExecutionState::Running);
        }
        self.describe(execution_arn).await
    }

    /// Notes that the StartExecution of `execution_arn` failed: until it is sent again, the
    /// execution counts as not started without asking Step Functions.
    pub fn start_failed(&self, execution_arn: &str) {
        if let Ok(mut set) = self.unconfirmed.lock() {
            set.insert(execution_arn.to_owned());
        }
    }

    /// Whether the last StartExecution of `execution_arn` failed.
    pub fn start_unconfirmed(&self, execution_arn: &str) -> bool {
        self.unconfirmed.lock().is_ok_and(|set| set.contains(execution_arn))
    }

    /// Forgets what is held for `execution_arn` (its job is gone).
    pub fn forget(&self, execution_arn: &str) {
        if let Ok(mut set) = self.unconfirmed.lock() {
            set.remove(execution_arn);
        }
    }

    /// The state of `execution_arn`, described directly (when its state machine is not known).
    pub async fn describe(&self, execution_arn: &str) -> Result<ExecutionState, Error> {
        let described = match self.sfn.describe_execution().execution_arn(execution_arn).send().await {
            Ok(d) => d,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_execution_does_not_exist()) => {
                return Ok(ExecutionState::NotStarted);
            }
            Err(e) => return Err(failed("Step Functions", "DescribeExecution", &e)),
        };
        Ok(match described.status() {
            S::Running | S::PendingRedrive => ExecutionState::Running,
            S::Succeeded => {
                let summary = described.output().and_then(|o| match serde_json::from_str::<TaskResult>(o) {
                    Ok(TaskResult::Succeeded(summary)) => Some(Box::new(summary)),
                    _ => None,
                });
                ExecutionState::Succeeded(summary)
            }
            S::Failed => ExecutionState::Failed {
                error: described.error().map(str::to_owned),
                cause: described.cause().map(str::to_owned),
            },
            S::TimedOut => ExecutionState::TimedOut,
            S::Aborted => ExecutionState::Aborted,
            other => {
                ExecutionState::Failed { error: None, cause: Some(format!("unexpected execution status {other}")) }
            }
        })
    }

    /// Notes an execution the controller just started, so it counts as running at once.
    pub async fn started(&self, state_machine_arn: &str, execution_arn: &str) {
        self.forget(execution_arn);
        if let Some((_, set)) = self.running.lock().await.get_mut(state_machine_arn) {
            set.insert(execution_arn.to_owned());
        }
    }

    /// Whether `execution_arn` is in the (possibly refreshed) listing of running executions.
    async fn is_running(&self, state_machine_arn: &str, execution_arn: &str) -> Result<bool, Error> {
        let mut cache = self.running.lock().await;
        if let Some((at, set)) = cache.get(state_machine_arn)
            && at.elapsed() < self.max_age
        {
            return Ok(set.contains(execution_arn));
        }
        let mut set = HashSet::new();
        let mut pages = self
            .sfn
            .list_executions()
            .state_machine_arn(state_machine_arn)
            .status_filter(ExecutionStatus::Running)
            .max_results(1000)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed("Step Functions", "ListExecutions", &e))?;
            set.extend(page.executions().iter().map(|e| e.execution_arn().to_owned()));
        }
        let running = set.contains(execution_arn);
        cache.insert(state_machine_arn.to_owned(), (Instant::now(), set));
        Ok(running)
    }
}
