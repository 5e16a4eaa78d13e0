//! The `ProfileSchedule` reconciler: ProfileJobs on a cron schedule, with Kubernetes CronJob's
//! semantics. `cron` evaluates the schedule in its time zone, `decide` is the whole decision as
//! a plain function, `names` makes the deterministic job names, `reconcile` carries it out.

pub mod cron;
pub mod decide;
pub mod names;
pub mod reconcile;
#[cfg(test)]
mod request_tests;

pub use reconcile::{ScheduleContext, reconcile, schedule_key};
