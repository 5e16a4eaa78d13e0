//! API types shared by every part of profiler-operator.
//!
//! This crate holds data only: the profile document that the profiler writes (`profile.json`),
//! the sampling options a run is asked for and the phases of a job's life. It does no I/O and
//! links neither Arrow nor a Kubernetes client, so the controller and the worker can both depend
//! on it.

pub mod phase;
pub mod profile;
pub mod sampling;

pub use phase::JobPhase;
pub use profile::*;
pub use sampling::{Sampling, SamplingReport};
