#!/usr/bin/env bash
# The controller's scale benchmark (controller/benches/scale.rs): starts a throwaway Postgres and
# moto (each ECS task is the real profiler-task, at most PROFILER_BENCH_RUNNING_TASKS at once, as
# with a Fargate capacity limit), then applies N ProfileJobs at once and prints AWS calls per job,
# apply -> Submitted p50/p99 and the controller's peak memory next to the targets.
# Usage: scripts/bench-controller.sh [--jobs N]        (default 1000)
#        PROFILER_BENCH_PROFILE=dev scripts/bench-controller.sh --jobs 100   (skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PY="$ROOT/.venv/bin/python"
if [ ! -x "$PY" ]; then python3 -m venv "$ROOT/.venv"; fi
"$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/tests/requirements.txt"
export PROFILER_TEST_PYTHON="$PY"
PROFILE="${PROFILER_BENCH_PROFILE:-release}"
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/moto.sh
source "$ROOT/scripts/lib/moto.sh"
trap 'moto_stop; postgres_stop' EXIT
postgres_start
cargo build --locked --quiet --profile "$PROFILE" -p profiler-worker --bin profiler-task
if [ "$PROFILE" = dev ]; then BIN_DIR=debug; else BIN_DIR=$PROFILE; fi
export PROFILER_TEST_WORKER_BIN="$CARGO_TARGET_DIR/$BIN_DIR/profiler-task"
export PROFILER_TEST_MAX_RUNNING_TASKS="${PROFILER_BENCH_RUNNING_TASKS:-4}"
moto_start "$PY"
cargo bench --locked --profile "$PROFILE" -p profiler-controller --bench scale -- "$@"
