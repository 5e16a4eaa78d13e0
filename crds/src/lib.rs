//! API types shared by every part of profiler-operator.
//!
//! This crate holds data only: the profile document that the profiler writes (`profile.json`),
//! the sampling options a run is asked for, the phases of a job's life, the job document the
//! controller hands to the worker and the result the worker leaves. It does no I/O and
//! links neither Arrow nor a Kubernetes client, so the controller and the worker can both depend
//! on it.

pub mod alerts;
pub mod comparison;
pub mod drift;
pub mod fan_out;
pub mod job;
pub mod names;
pub mod phase;
pub mod profile;
pub mod quality;
#[cfg(feature = "kubernetes")]
pub mod resources;
pub mod result;
pub mod rules;
pub mod sampling;

pub use alerts::{Alert, AlertKind, alert_counts};
pub use comparison::{
    COMPARISON_FORMAT_VERSION, ColumnComparison, ColumnMatch, ColumnRef, ColumnStatistics, DriftSummary,
    DriftThresholds, Figure, Finding, FindingKind, MAX_DRIFTED_COLUMNS, MAX_DRIFTED_COLUMNS_IN_STATUS,
    ProfileComparison, ProfileIdentity, Severity, SeverityCounts, SkippedCheck,
};
pub use job::*;
pub use phase::JobPhase;
pub use profile::*;
pub use result::{CheckResult, DriftResult, FailureKind, TASK_RESULT_OBJECT, TaskError, TaskResult, TaskSummary};
pub use sampling::{Sampling, SamplingReport};
