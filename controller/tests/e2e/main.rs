//! End to end: the `profiler-controller` binary against the emulated Kubernetes API
//! (tests/emulators/kube_apiserver.py), moto with Step Functions really executing the generated
//! state machine and each ECS task run as the real `profiler-task` process (started by
//! scripts/test.sh with PROFILER_TEST_WORKER_BIN), an Iceberg table pyiceberg wrote to moto's S3,
//! and the real Postgres. Each scenario has its own API emulator, AWS resources and database.

mod evolution;
mod lifecycle;
mod profile_jobs;
mod restart;
mod rules;
mod schedules;
mod support;
