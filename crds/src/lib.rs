//! API types shared by every part of profiler-operator.
//!
//! This crate holds data only: the profile document that the profiler writes (`profile.json`)
//! and the sampling options a run is asked for. It does no I/O and links neither Arrow nor a
//! Kubernetes client, so the controller and the worker can both depend on it.

pub mod profile;
pub mod sampling;

pub use profile::*;
pub use sampling::{Sampling, SamplingReport};
