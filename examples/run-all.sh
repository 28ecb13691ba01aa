#!/usr/bin/env bash
# Builds, deploys and runs every example through the command line on a
# temporary database, with a worker per example. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
aion() { bun bin/aion.ts "$@"; }
tmp=$(mktemp -d)
worker=""
cleanup() { [ -n "$worker" ] && kill "$worker" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

run_example() { # name input [signal payload...]
  local name=$1 input=$2 db="$tmp/$1.db"
  aion package "examples/$name" -o "$tmp/$name.aion" >/dev/null
  aion deploy "$tmp/$name.aion" --db "$db" >/dev/null
  bun bin/aion.ts worker --db "$db" "examples/$name/activities.ts" >/dev/null 2>&1 &
  worker=$!
  until [ -f "$db.worker.json" ]; do sleep 0.1; done
  local id
  id=$(aion start "$name" "$input" --db "$db")
  shift 2
  while [ $# -gt 0 ]; do aion signal "$id" "$1" "$2" --db "$db" >/dev/null; shift 2; done
  echo "== $name ($id)"
  until aion describe "$id" --db "$db" | grep -qE 'status: +(Completed|Failed|Cancelled|TimedOut)'; do sleep 0.1; done
  aion describe "$id" --db "$db"
  kill "$worker"; wait "$worker" || true; worker=""
}

run_example hello '{"name":"Ada"}'
run_example saga '{"trip":"Oslo","fail_at":"charge_card"}'
run_example approval '{"request":"laptop","approvers":1}' decision '{"by":"alice","approved":true}'
echo "all examples completed"
