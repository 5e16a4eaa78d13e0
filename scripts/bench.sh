#!/usr/bin/env bash
# The speed and memory benchmark: builds the release binaries, installs DuckDB 2.0 (Python, the
# reference figure) and pyiceberg (the incremental figure's Iceberg table) into .cache/bench-venv
# (its own venv: the test suite's .venv pins an older DuckDB for Soda), then runs
# `profiler-bench run`. Extra arguments go to profiler-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.cache/bench-venv
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c 'import duckdb, sys; sys.exit(not duckdb.__version__.startswith("2.0"))' 2>/dev/null \
  || "$VENV/bin/python" -m pip install --quiet 'duckdb==2.0.*'
"$VENV/bin/python" -c 'import pyiceberg.catalog.sql, pyarrow' 2>/dev/null \
  || "$VENV/bin/python" -m pip install --quiet 'pyiceberg[sql-sqlite,pyarrow]==0.12.*'
cargo build --release --locked -p profiler-worker --bin profiler-bench
exec "${CARGO_TARGET_DIR:-target}/release/profiler-bench" run --python "$VENV/bin/python" "$@"
