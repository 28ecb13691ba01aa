#!/usr/bin/env bash
# Compiles our own Erlang library modules (nifs/stdlib/*.erl) into .beam
# files next to their sources, which the VM loads from STDLIB_DIR.
#
#   bash scripts/build-stdlib.sh
#
# Needs erlc (OTP 25 made the committed .beam files). Compiles with
# +deterministic so rebuilding gives byte-identical files. erlc runs in a
# scratch directory: our modules are named like OTP's (lists, maps...), and
# a lists.beam in erlc's working directory would shadow OTP's own and break
# the compiler itself.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/nifs/stdlib"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/aion-stdlib.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

command -v erlc >/dev/null || { echo "build-stdlib: erlc not found" >&2; exit 1; }

mkdir -p "$TMP/cwd" "$TMP/out"
n=0
for src in "$SRC"/*.erl; do
  # Empty working directory, separate output directory: nothing we compile
  # is ever on erlc's own code path.
  (cd "$TMP/cwd" && erlc +deterministic -o "$TMP/out" "$src")
  n=$((n + 1))
done
for beam in "$TMP/out"/*.beam; do
  cp "$beam" "$SRC/$(basename "$beam")"
done
# Drop .beam files whose source is gone.
for beam in "$SRC"/*.beam; do
  [[ -f "${beam%.beam}.erl" ]] || { echo "build-stdlib: removing orphan $(basename "$beam")"; rm -f "$beam"; }
done
echo "build-stdlib: compiled $n module(s) into nifs/stdlib"
