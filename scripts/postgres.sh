#!/usr/bin/env bash
# A throwaway PostgreSQL server for the Postgres store tests (and for trying
# `aion --db postgres://...` by hand): a fresh cluster in a temp directory,
# listening on a free loopback port, trusting local connections, with one
# database. Nothing outside the temp directory is touched, so it never
# interferes with a system PostgreSQL or with another copy of itself.
#
#   scripts/postgres.sh start [PID]    prints the connection URL, then the data directory;
#                                      with PID, the server is also stopped (and removed)
#                                      once process PID has exited, however it ended
#   scripts/postgres.sh stop DIR       stops that server and deletes DIR
#   scripts/postgres.sh run CMD...     start, run CMD with AION_TEST_POSTGRES_URL set, stop
#   scripts/postgres.sh available      exit 0 when PostgreSQL binaries are installed
#
# Durability settings are relaxed (fsync off) and memory kept small: the cluster
# is thrown away, and several test runs may each have one on a shared machine.
# Exit status 3 means PostgreSQL is not installed.
set -euo pipefail

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  fi
  # Debian keeps the server binaries off PATH, one directory per major version.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

# PostgreSQL refuses to run as root; run its programs as the `postgres` user then.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local owner=${1:-} bindir dir port attempt
  bindir=$(find_bindir) || { echo "postgres.sh: PostgreSQL is not installed" >&2; exit 3; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/aion-pg-XXXXXX")
  chmod 700 "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  }
  # A random port can be taken between choosing and binding it, so retry on failure.
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB" \
      >/dev/null 2>&1; then
      as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
        -c "CREATE DATABASE aion_test" >/dev/null
      if [[ -n "$owner" ]]; then watch_owner "$owner" "$dir"; fi
      echo "postgres://postgres@127.0.0.1:$port/aion_test"
      echo "$dir"
      return 0
    fi
    echo "postgres.sh: start on port $port failed (attempt $attempt)" >&2
    # A start that timed out may still come up later: make sure it is down before retrying.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  done
  cat "$dir/server.log" >&2 || true
  rm -rf "$dir"
  exit 1
}

# A detached watcher: a killed test run must not leave a server behind.
watch_owner() {
  local owner=$1 dir=$2
  # Its own session, so a signal to the test's process group does not kill it first.
  local SETSID=()
  if command -v setsid >/dev/null 2>&1; then SETSID=(setsid); fi
  "${SETSID[@]}" bash -c 'while kill -0 "$1" 2>/dev/null && [[ -d "$2" ]]; do sleep 1; done; exec bash "$3" stop "$2"' \
    _ "$owner" "$dir" "$(realpath "$0")" </dev/null >/dev/null 2>&1 &
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR} bindir
  case "$dir" in
    */aion-pg-*) ;;
    *) echo "postgres.sh: refusing to remove $dir (not made by postgres.sh start)" >&2; exit 2 ;;
  esac
  bindir=$(find_bindir) || exit 3
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

run() {
  local out url status=0
  # Watched by this shell too: a killed run still gets its server removed.
  out=$(start "$$")
  url=$(sed -n 1p <<<"$out")
  RUN_DIR=$(sed -n 2p <<<"$out")
  trap 'stop "$RUN_DIR"' EXIT
  echo "postgres.sh: $url" >&2
  AION_TEST_POSTGRES_URL=$url "$@" || status=$?
  return "$status"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  run) shift; run "$@" ;;
  available) find_bindir >/dev/null || exit 3 ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
