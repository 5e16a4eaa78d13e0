# shellcheck shell=bash
# moto's server (AWS emulator) for the tests, from the test venv, on 127.0.0.1 at a free port,
# started through tests/emulators/moto_launcher.py, which makes the Redshift Data API run its
# statements on the test Postgres (PROFILER_TEST_DATABASE_URL) and runs each ECS task as a local
# process of PROFILER_TEST_WORKER_BIN (when set) with moto as its AWS. Sourced by scripts/test.sh.
#   moto_start PYTHON   starts it and exports PROFILER_TEST_MOTO_URL
#   moto_stop           stops it

moto_start() {
  local py=$1 port
  port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PROFILER_MOTO_LOG=$(mktemp /tmp/profiler-moto.XXXXXX.log)
  # The environment of moto is also the environment of the worker tasks it starts. A REST
  # catalog request may take 120 s there, so that a task held on the e2e tests' silent catalog
  # runs until the scenario stops it, however busy the machine (it ends by itself after that).
  PROFILER_REDSHIFT_PG_URL="${PROFILER_TEST_DATABASE_URL:-}" PROFILER_ICEBERG_REST_TIMEOUT_SECONDS=120 \
    AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true PROFILER_S3_FORCE_PATH_STYLE=true \
    "$py" "$(dirname "${BASH_SOURCE[0]}")/../../tests/emulators/moto_launcher.py" 127.0.0.1 "$port" \
    >"$PROFILER_MOTO_LOG" 2>&1 &
  PROFILER_MOTO_PID=$!
  export PROFILER_TEST_MOTO_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if "$py" -c "import urllib.request; urllib.request.urlopen('$PROFILER_TEST_MOTO_URL/moto-api/data.json', timeout=1)" 2>/dev/null; then
      echo "moto $("$py" -c 'import moto; print(moto.__version__)') on $PROFILER_TEST_MOTO_URL"
      return 0
    fi
    sleep 0.2
  done
  echo "error: moto_server did not start:" >&2
  cat "$PROFILER_MOTO_LOG" >&2
  return 1
}

moto_stop() {
  [ -n "${PROFILER_MOTO_PID:-}" ] || return 0
  kill "$PROFILER_MOTO_PID" 2>/dev/null || true
  wait "$PROFILER_MOTO_PID" 2>/dev/null || true
  rm -f "$PROFILER_MOTO_LOG"
  PROFILER_MOTO_PID=
}
