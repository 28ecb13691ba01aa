#!/usr/bin/env bash
# Recompile the engine's Erlang: fixture workflows (fixtures/workflows/*.erl)
# and the engine's own support module (engine/erlang/*.erl), each .beam next
# to its source.
#
#   bash scripts/build-workflow-fixtures.sh
#
# Needs erlc (OTP 25 built the committed .beam files). Idempotent: +deterministic
# gives byte-identical output on a second run. Elixir sources (*.ex: the
# engine's Aion.Workflow and its fixtures) are compiled with elixirc when it
# is on PATH (Elixir 1.14 built the committed ones), after the Erlang ones.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v erlc >/dev/null 2>&1 || { echo "build-workflow-fixtures: erlc not found" >&2; exit 1; }

for dir in "$ROOT/fixtures/workflows" "$ROOT/engine/erlang"; do
  for src in "$dir"/*.erl; do
    (cd "$dir" && erlc +deterministic "$(basename "$src")")
    echo "build-workflow-fixtures: $(basename "$src" .erl).beam"
  done
done

if command -v elixirc >/dev/null 2>&1; then
  for dir in "$ROOT/engine/erlang" "$ROOT/fixtures/workflows"; do
    for src in "$dir"/*.ex; do
      [ -e "$src" ] || continue
      (cd "$dir" && ERL_COMPILER_OPTIONS=deterministic elixirc --ignore-module-conflict \
        -pa "$ROOT/engine/erlang" -o . "$(basename "$src")" >/dev/null)
      echo "build-workflow-fixtures: $(basename "$src") (elixirc)"
    done
  done
else
  echo "build-workflow-fixtures: elixirc not found; the Elixir .beam files were left as they are" >&2
fi
