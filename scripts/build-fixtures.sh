#!/usr/bin/env bash
# Regenerate every committed fixture artefact from its Erlang source.
#
#   bash scripts/build-fixtures.sh
#
# Needs erlc/erl (OTP 25 is what the committed artefacts were built with).
# For every fixtures/**/*.erl it writes, next to the source:
#   x.beam  (erlc +deterministic x.erl, run inside the file's directory)
#   x.S     (erlc -S +deterministic x.erl, same directory)
# Then, for every module under fixtures/conformance/ that exports t_*/0,
# it records fixtures/conformance/<module>.expected by running the module in
# real erl, and it records fixtures/terms/*.expected from etf_cases.erl.
# The formats are documented in fixtures/README.md.
#
# The script is idempotent: running it twice gives byte-identical output.
# It stops with a non-zero status on any compile error or runner failure.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$ROOT/fixtures"
HELPERS="$ROOT/scripts/fixtures"

die() {
  echo "build-fixtures: ERROR: $*" >&2
  exit 1
}
note() { echo "build-fixtures: $*"; }

command -v erlc >/dev/null 2>&1 || die "erlc not found on PATH (install Erlang/OTP)"
command -v erl >/dev/null 2>&1 || die "erl not found on PATH (install Erlang/OTP)"

OTP_RELEASE="$(erl -noshell -eval 'io:put_chars(erlang:system_info(otp_release)), halt().')"
if [[ "$OTP_RELEASE" != "25" ]]; then
  echo "build-fixtures: WARNING: running OTP $OTP_RELEASE; committed fixtures were recorded with OTP 25." >&2
  echo "build-fixtures: WARNING: expect diffs in .beam/.S and possibly in .expected files." >&2
fi

[[ -d "$FIX" ]] || die "no fixtures directory at $FIX"

# Deterministic ordering regardless of the caller's locale.
export LC_ALL=C

TMP="$(mktemp -d "${TMPDIR:-/tmp}/aion-fixtures.XXXXXX")"
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

# ---------------------------------------------------------------------------
# 1. Compile every fixture source: .beam and .S, from inside its directory.
# ---------------------------------------------------------------------------
mapfile -d '' SOURCES < <(find "$FIX" -type f -name '*.erl' -print0 | sort -z)
[[ ${#SOURCES[@]} -gt 0 ]] || die "no .erl files under $FIX"

WARNED=()
for src in "${SOURCES[@]}"; do
  dir="$(dirname "$src")"
  base="$(basename "$src")"
  rel="${src#"$ROOT"/}"
  log="$TMP/erlc.log"
  if ! (cd "$dir" && erlc +deterministic "$base") >"$log" 2>&1; then
    cat "$log" >&2
    die "compile failed: $rel"
  fi
  if [[ -s "$log" ]]; then
    echo "build-fixtures: erlc output for $rel:" >&2
    sed 's/^/    /' "$log" >&2
    WARNED+=("$rel")
  fi
  if ! (cd "$dir" && erlc -S +deterministic "$base") >"$log" 2>&1; then
    cat "$log" >&2
    die "assembly listing failed: $rel"
  fi
  [[ -f "$dir/${base%.erl}.beam" ]] || die "erlc produced no ${base%.erl}.beam for $rel"
  [[ -f "$dir/${base%.erl}.S" ]] || die "erlc -S produced no ${base%.erl}.S for $rel"
done
note "compiled ${#SOURCES[@]} source file(s) to .beam and .S"

# Remove generated artefacts whose source no longer exists (loudly).
while IFS= read -r -d '' art; do
  stem="${art%.*}"
  if [[ ! -f "$stem.erl" ]]; then
    note "removing orphaned ${art#"$ROOT"/} (no ${stem#"$ROOT"/}.erl)"
    rm -f "$art"
  fi
done < <(find "$FIX" -type f \( -name '*.beam' -o -name '*.S' \) -print0 | sort -z)
if [[ -d "$FIX/conformance" ]]; then
  while IFS= read -r -d '' art; do
    stem="${art%.expected}"
    if [[ ! -f "$stem.erl" ]]; then
      note "removing orphaned ${art#"$ROOT"/} (no ${stem#"$ROOT"/}.erl)"
      rm -f "$art"
    fi
  done < <(find "$FIX/conformance" -type f -name '*.expected' -print0 | sort -z)
fi

# ---------------------------------------------------------------------------
# 2. Build the helper modules (into a scratch directory, never into fixtures/).
# ---------------------------------------------------------------------------
for helper in "$HELPERS"/*.erl; do
  [[ -f "$helper" ]] || die "no helper modules in $HELPERS"
  erlc -o "$TMP" "$helper" || die "compile failed: ${helper#"$ROOT"/}"
done

# Run erl on a helper entry point; the helper halts with 0 on success.
run_helper() {
  erl -noshell -noinput -pa "$TMP" -run "$@"
}

# ---------------------------------------------------------------------------
# 3. Conformance expectations: one erl run per module.
# ---------------------------------------------------------------------------
if [[ -d "$FIX/conformance" ]]; then
  mapfile -d '' CONF < <(find "$FIX/conformance" -type f -name '*.erl' -print0 | sort -z)
  n_mod=0
  for src in "${CONF[@]}"; do
    beam="${src%.erl}.beam"
    out="${src%.erl}.expected"
    rel="${src#"$ROOT"/}"
    # Modules whose expectations cannot come from OTP 25 (e.g. the OTP 27 json
    # module) carry this marker and keep their hand-written .expected.
    if grep -q '^%% expected: hand-written' "$src"; then
      note "keeping hand-written ${out#"$ROOT"/}"
      continue
    fi
    tmp_out="$TMP/$(basename "$out")"
    rm -f "$tmp_out"
    if ! run_helper fixture_runner main "$beam" "$tmp_out" "$FIX/conformance"; then
      die "runner failed for $rel"
    fi
    if [[ -f "$tmp_out" ]]; then
      mv "$tmp_out" "$out"
      note "$(wc -l <"$out" | tr -d ' ') results -> ${out#"$ROOT"/}"
      n_mod=$((n_mod + 1))
    else
      note "NOTE: ${rel} exports no t_*/0 function; no .expected written (helper module?)"
      if [[ -f "$out" ]]; then
        note "removing stale ${out#"$ROOT"/}"
        rm -f "$out"
      fi
    fi
  done
  note "recorded expectations for $n_mod conformance module(s)"
else
  note "NOTE: no fixtures/conformance directory; skipping conformance expectations"
fi

# ---------------------------------------------------------------------------
# 4. Term / float / order expectations from fixtures/terms/etf_cases.erl.
# ---------------------------------------------------------------------------
if [[ -f "$FIX/terms/etf_cases.erl" ]]; then
  if ! run_helper gen_terms main "$FIX/terms/etf_cases.beam" "$FIX/terms"; then
    die "term expectation generator failed"
  fi
else
  die "fixtures/terms/etf_cases.erl is missing"
fi

# ---------------------------------------------------------------------------
# 5. The other recorders (BIF tables, library tables, extra term cases):
#    each scripts/fixtures/*.sh regenerates its own fixtures.
# ---------------------------------------------------------------------------
for recorder in "$ROOT"/scripts/fixtures/*.sh; do
  [[ -f "$recorder" ]] || continue
  note "running ${recorder#"$ROOT"/}"
  bash "$recorder" || die "recorder failed: ${recorder#"$ROOT"/}"
done

if [[ ${#WARNED[@]} -gt 0 ]]; then
  echo "build-fixtures: WARNING: erlc printed warnings for ${#WARNED[@]} file(s):" >&2
  printf '    %s\n' "${WARNED[@]}" >&2
fi
note "done"
