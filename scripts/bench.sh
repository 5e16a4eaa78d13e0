#!/usr/bin/env bash
# The speed and memory benchmark: builds the release binaries, installs DuckDB (Python) into .venv
# for the reference figure, then runs `profiler-bench run`. Extra arguments go to profiler-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -c 'import duckdb' 2>/dev/null || .venv/bin/python -m pip install --quiet 'duckdb==2.0.*'
cargo build --release --locked -p profiler-worker --bin profiler-bench
exec "${CARGO_TARGET_DIR:-target}/release/profiler-bench" run --python .venv/bin/python "$@"
