#!/usr/bin/env bash
# The controller's scale benchmark (controller/benches/scale.rs): starts a throwaway Postgres and
# moto, then prints apply -> StartExecution accepted p50/p99, schedule time -> job created p99,
# when the last execution started, AWS calls per job and the controller's peak memory next to the
# targets.
# Usage: scripts/bench-controller.sh [--schedules N] [--jobs-per-schedule M]
#          N ProfileSchedules firing at one minute (one run each) plus N x (M-1) ProfileJobs applied
#          at that minute (default 1000 x 10 = 10,000 jobs). Each ECS task writes a prepared result
#          at once (PROFILER_TEST_TASK_MODE=instant): the controller is measured, not the worker.
#        scripts/bench-controller.sh --jobs N [--instant-tasks]
#          N ProfileJobs applied at once; each task runs the real profiler-task, at most
#          PROFILER_BENCH_RUNNING_TASKS (4) at once as with a Fargate capacity limit, unless
#          --instant-tasks.
#        PROFILER_BENCH_PROFILE=dev scripts/bench-controller.sh --schedules 10   (skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PY="${PROFILER_TEST_PYTHON:-$ROOT/.venv/bin/python}"
if [ ! -x "$PY" ]; then
  PY="$ROOT/.venv/bin/python"
  python3 -m venv "$ROOT/.venv"
  "$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/tests/requirements.txt"
fi
export PROFILER_TEST_PYTHON="$PY"
PROFILE="${PROFILER_BENCH_PROFILE:-release}"
# The task mode: instant for the schedule shape and with --instant-tasks, the real worker for --jobs.
TASK_MODE=instant
for arg in "$@"; do
  if [ "$arg" = --jobs ]; then TASK_MODE=worker; fi
done
for arg in "$@"; do
  if [ "$arg" = --instant-tasks ]; then TASK_MODE=instant; fi
done
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/moto.sh
source "$ROOT/scripts/lib/moto.sh"
trap 'moto_stop; postgres_stop' EXIT
postgres_start
if [ "$PROFILE" = dev ]; then BIN_DIR=debug; else BIN_DIR=$PROFILE; fi
if [ "$TASK_MODE" = instant ]; then
  export PROFILER_TEST_TASK_MODE=instant
  # The end-to-end support code asks for a worker binary; instant tasks never start it.
  export PROFILER_TEST_WORKER_BIN="${PROFILER_TEST_WORKER_BIN:-/bin/false}"
else
  cargo build --locked --quiet --profile "$PROFILE" -p profiler-worker --bin profiler-task
  export PROFILER_TEST_WORKER_BIN="$CARGO_TARGET_DIR/$BIN_DIR/profiler-task"
  export PROFILER_TEST_MAX_RUNNING_TASKS="${PROFILER_BENCH_RUNNING_TASKS:-4}"
fi
moto_start "$PY"
cargo bench --locked --profile "$PROFILE" -p profiler-controller --bench scale -- "$@"
