# shellcheck shell=bash
# A throwaway PostgreSQL server for the tests: installed from Debian's packages when the machine has
# none, initialised in a temporary directory, listening on 127.0.0.1 at a free port, with password
# authentication (scram-sha-256) for the superuser `postgres`. Sourced by scripts/test.sh.
#   postgres_start   starts it and exports PROFILER_TEST_DATABASE_URL
#   postgres_stop    stops it and removes its directory

postgres_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

postgres_install() {
  postgres_bin_dir >/dev/null && return 0
  echo "PostgreSQL server not found: installing Debian's postgresql package"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  postgres_bin_dir >/dev/null || { echo "error: postgresql installed but initdb not found" >&2; return 1; }
}

postgres_start() {
  postgres_install
  local bin port
  bin=$(postgres_bin_dir)
  PROFILER_PG_DIR=$(mktemp -d /tmp/profiler-pg.XXXXXX)
  PROFILER_PG_PASSWORD="test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' "$PROFILER_PG_PASSWORD" >"$PROFILER_PG_DIR/pwfile"
  # The server refuses to run as root: run it as an unprivileged user then.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    chown -R postgres "$PROFILER_PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PROFILER_PG_DIR/data" -U postgres --auth=scram-sha-256 \
    --pwfile="$PROFILER_PG_DIR/pwfile" -E UTF8 --locale=C.UTF-8 >"$PROFILER_PG_DIR/initdb.log" 2>&1 \
    || { cat "$PROFILER_PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PROFILER_PG_DIR/data" -l "$PROFILER_PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PROFILER_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PROFILER_PG_DIR/server.log" >&2; return 1; }
  PROFILER_PG_BIN=$bin
  export PROFILER_TEST_DATABASE_URL="postgres://postgres:$PROFILER_PG_PASSWORD@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PROFILER_PG_DIR)"
}

postgres_stop() {
  [ -n "${PROFILER_PG_DIR:-}" ] || return 0
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$PROFILER_PG_BIN/pg_ctl" -D "$PROFILER_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PROFILER_PG_DIR"
  PROFILER_PG_DIR=
}
