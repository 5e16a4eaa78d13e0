//! The `ProfileSchedule` reconciler: ProfileJobs on a cron schedule, with Kubernetes CronJob's
//! semantics. `cron` evaluates the schedule in its time zone, `decide` is the whole decision as
//! a plain function, `reconcile` carries it out.

pub mod cron;
