#!/usr/bin/env bash
# Recompile the engine's Erlang: fixture workflows (fixtures/workflows/*.erl)
# and the engine's own support module (engine/erlang/*.erl), each .beam next
# to its source.
#
#   bash scripts/build-workflow-fixtures.sh
#
# Needs erlc (OTP 25 built the committed .beam files). Idempotent: +deterministic
# gives byte-identical output on a second run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v erlc >/dev/null 2>&1 || { echo "build-workflow-fixtures: erlc not found" >&2; exit 1; }

for dir in "$ROOT/fixtures/workflows" "$ROOT/engine/erlang"; do
  for src in "$dir"/*.erl; do
    (cd "$dir" && erlc +deterministic "$(basename "$src")")
    echo "build-workflow-fixtures: $(basename "$src" .erl).beam"
  done
done
