#!/usr/bin/env bash
# Regenerate every committed fixture artefact from its Erlang source.
#
#   bash scripts/build-fixtures.sh
#
# Needs erlc/erl (OTP 25 is what the committed artefacts were built with).
# 1. Compiles each fixtures/**/*.erl from inside its directory, writing what
#    the table ARTEFACTS below says its directory commits:
#      x.beam  (erlc +deterministic x.erl)
#      x.S     (erlc -S +deterministic x.erl)
#    Directories built by other scripts (fixtures/workflows, fixtures/projects,
#    fixtures/elixir, the hand-assembled fixtures/asm) are left alone; an .erl
#    in a directory the table does not know stops the script.
# 2. Records fixtures/conformance/<module>.expected for every conformance
#    module that exports t_*/0, by running the module in real erl.
# 3. Records fixtures/terms/*.expected from etf_cases.erl.
# 4. Runs every recorder scripts/fixtures/*.sh (the helpers marked
#    "# build-fixtures: not a recorder" are skipped).
# The formats are documented in fixtures/README.md.
#
# The script is idempotent: running it twice gives byte-identical output, and
# running it on a clean checkout leaves `git status` clean.
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
# 1. Compile the fixture sources, from inside their directories.
# ---------------------------------------------------------------------------
# What each directory of fixtures/ commits next to its .erl sources (paths are
# relative to fixtures/). Every directory that holds an .erl must be listed:
#   beam+S  x.beam and x.S (the listings feed the disassembler/assembler tests)
#   beam    x.beam only
#   none    nothing: its recorder compiles into a scratch directory
#   other   built by another script (named in the note); not touched here
# A directory listed as other covers its subdirectories too.
declare -A ARTEFACTS=(
  [bifs]=none               # scripts/fixtures/bifs.sh
  [cli]=beam
  [cli/crashy]=beam
  [conformance]=beam+S
  [deep]=beam+S             # .expected: scripts/fixtures/deep_terms.sh
  [lib]=none                # scripts/fixtures/lib.sh
  [loader]=beam+S
  [otp]=beam+S
  [otp/appenv]=beam+S
  [otp/behaviours]=beam
  [otp/compile_file]=beam+S
  [otp/logger]=beam+S
  [packages/hello]=beam+S
  [packages/minimal]=beam+S
  [projects]=other          # scripts/fixtures/projects.sh (each project's rebuild.sh)
  [terms]=beam+S
  [vm]=beam+S
  [workflows]=other         # scripts/build-workflow-fixtures.sh (with engine/erlang and the Elixir beams)
)
# Sources whose artefacts differ from their directory's.
declare -A FILE_ARTEFACTS=(
  [vm/host_calls.erl]=beam
  [vm/max_heap_report.erl]=beam
)
# Not in the table because they hold no .erl: fixtures/asm (hand-written .S,
# .beam from loader/asm), fixtures/elixir (fixtures/elixir/record.sh),
# fixtures/otp/compiler (scripts/fixtures/otp-compiler.sh), fixtures/packages/foreign.

# Prints the table entry for a directory relative to fixtures/ ("" if none).
dir_artefacts() {
  local d="$1"
  if [[ -n "${ARTEFACTS[$d]+x}" ]]; then
    echo "${ARTEFACTS[$d]}"
    return
  fi
  while [[ "$d" == */* ]]; do
    d="${d%/*}"
    if [[ "${ARTEFACTS[$d]-}" == other ]]; then
      echo other
      return
    fi
  done
  echo ""
}

# Prints the artefacts of one source, relative to fixtures/ ("" if unknown).
src_artefacts() {
  local rel="$1"
  if [[ -n "${FILE_ARTEFACTS[$rel]+x}" ]]; then
    echo "${FILE_ARTEFACTS[$rel]}"
  elif [[ "$rel" == */* ]]; then
    dir_artefacts "${rel%/*}"
  else
    dir_artefacts .
  fi
}

mapfile -d '' ALL_SOURCES < <(find "$FIX" -type f -name '*.erl' -print0 | sort -z)
[[ ${#ALL_SOURCES[@]} -gt 0 ]] || die "no .erl files under $FIX"

# Check the whole table before compiling anything.
SOURCES=()
KINDS=()
for src in "${ALL_SOURCES[@]}"; do
  kind="$(src_artefacts "${src#"$FIX"/}")"
  case "$kind" in
    beam+S | beam)
      SOURCES+=("$src")
      KINDS+=("$kind")
      ;;
    none | other) ;;
    *) die "${src#"$ROOT"/}: its directory is not in the ARTEFACTS table of scripts/build-fixtures.sh (say whether it commits beam+S, beam, none, or is built by another script)" ;;
  esac
done

WARNED=()
n_beam=0
n_asm=0
for i in "${!SOURCES[@]}"; do
  src="${SOURCES[$i]}"
  kind="${KINDS[$i]}"
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
  [[ -f "$dir/${base%.erl}.beam" ]] || die "erlc produced no ${base%.erl}.beam for $rel"
  n_beam=$((n_beam + 1))
  if [[ "$kind" == beam+S ]]; then
    if ! (cd "$dir" && erlc -S +deterministic "$base") >"$log" 2>&1; then
      cat "$log" >&2
      die "assembly listing failed: $rel"
    fi
    [[ -f "$dir/${base%.erl}.S" ]] || die "erlc -S produced no ${base%.erl}.S for $rel"
    n_asm=$((n_asm + 1))
  fi
done
note "compiled $n_beam source file(s) to .beam, $n_asm of them also to .S"

# In the directories of the table that this script builds (beam+S, beam,
# none; never elsewhere), remove (loudly) the artefacts no source produces: a
# .beam/.S whose .erl is gone, a .S next to a source that commits no listing,
# a .beam next to a source that commits none.
mapfile -t BUILT_DIRS < <(for d in "${!ARTEFACTS[@]}"; do
  [[ "${ARTEFACTS[$d]}" != other && -d "$FIX/$d" ]] && echo "$d"
done | sort)
for d in "${BUILT_DIRS[@]}"; do
  while IFS= read -r -d '' art; do
    stem="${art%.*}"
    if [[ ! -f "$stem.erl" ]]; then
      note "removing orphaned ${art#"$ROOT"/} (no ${stem#"$ROOT"/}.erl)"
      rm -f "$art"
      continue
    fi
    kind="$(src_artefacts "${stem#"$FIX"/}.erl")"
    if [[ "$art" == *.S && "$kind" != beam+S ]] || [[ "$art" == *.beam && "$kind" == none ]]; then
      note "removing ${art#"$ROOT"/} (${stem#"$ROOT"/}.erl commits no .${art##*.})"
      rm -f "$art"
    fi
  done < <(find "$FIX/$d" -maxdepth 1 -type f \( -name '*.beam' -o -name '*.S' \) -print0 | sort -z)
done
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
# 5. The other recorders (BIF tables, library tables, extra term cases, OTP
#    behaviours, the fixture projects, the compiler corpus...): each
#    scripts/fixtures/*.sh regenerates its own fixtures when run without
#    arguments. Helpers that are not recorders (e.g. conformance-one.sh, which
#    takes module names) carry the line "# build-fixtures: not a recorder".
# ---------------------------------------------------------------------------
for recorder in "$ROOT"/scripts/fixtures/*.sh; do
  [[ -f "$recorder" ]] || continue
  if grep -q '^# build-fixtures: not a recorder' "$recorder"; then
    continue
  fi
  note "running ${recorder#"$ROOT"/}"
  bash "$recorder" || die "recorder failed: ${recorder#"$ROOT"/}"
done

note "not rebuilt here (other scripts): fixtures/workflows (scripts/build-workflow-fixtures.sh), fixtures/elixir (fixtures/elixir/record.sh), fixtures/asm (hand-written)"

if [[ ${#WARNED[@]} -gt 0 ]]; then
  echo "build-fixtures: WARNING: erlc printed warnings for ${#WARNED[@]} file(s):" >&2
  printf '    %s\n' "${WARNED[@]}" >&2
fi
note "done"
