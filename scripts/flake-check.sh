#!/usr/bin/env bash
# Runs `bun test` (or the given test files) N times and reports every test that
# failed in at least one run: how many times, and in which runs. A test that
# fails only sometimes is a defect (it depends on timing or machine load), so
# the script exits non-zero if anything failed even once.
#
# Usage: scripts/flake-check.sh [--load] [--out DIR] N [bun test arguments...]
#   N           how many runs (a positive integer)
#   arguments   passed to every `bun test` (test files, --timeout, -t PATTERN...)
#   --load      meanwhile keep the CPU busy with a second `bun test` looping in
#               the background (stopped when the check ends)
#   --out DIR   keep each run's output in DIR/run-<i>.log (default: a new
#               temporary directory; its path is printed at the end)
#
# Exit status: 0 when every run passed, 1 when any test failed (or a run
# failed without naming a test: a crash, an error between tests), 2 on bad usage.
# Interrupted (SIGINT/SIGTERM), it stops the current run and reports the runs
# that finished (exit 130 if none of them failed).
#
# Failures are read from bun test's "(fail) <describe> > <test> [time]" lines,
# attributed to the test file whose "<path>:" header precedes them; an
# "# Unhandled error between tests" counts as a failure of its file. The recap
# bun prints after "N tests failed:" repeats lines already counted, so it is
# skipped. Bash and coreutils only, no colours, so it runs the same on CI.
set -uo pipefail

usage() {
  sed -n '/^# Usage:/,/^# that finished/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

load=0
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --load) load=1; shift ;;
    --out) [[ $# -ge 2 ]] || usage; out="$2"; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[[ $# -ge 1 && "$1" =~ ^[1-9][0-9]*$ ]] || usage
runs="$1"
shift
test_args=("$@")

cd "$(dirname "$0")/.." || exit 2
if [[ -z "$out" ]]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/flake-check.XXXXXX")" || exit 2
else
  mkdir -p "$out" || exit 2
fi

# Plain output: no colours or cursor tricks in the logs we parse.
export NO_COLOR=1 FORCE_COLOR=0

load_pid=""
stop_load() {
  [[ -n "$load_pid" ]] || return 0
  kill "$load_pid" 2>/dev/null
  wait "$load_pid" 2>/dev/null
  # The loop's current `bun test`, which outlives the loop's shell.
  if [[ -s "$out/load.pid" ]]; then kill "$(<"$out/load.pid")" 2>/dev/null; fi
  load_pid=""
}
interrupted=0
trap 'stop_load' EXIT
# Stopped early (Ctrl-C, a CI job's timeout): still report the runs that finished.
run_pid=""
trap 'interrupted=1; [[ -z "$run_pid" ]] || kill "$run_pid" 2>/dev/null' INT TERM

if [[ $load -eq 1 ]]; then
  (
    while :; do
      bun test >/dev/null 2>&1 &
      echo $! >"$out/load.pid"
      wait $!
    done
  ) &
  load_pid=$!
  echo "flake-check: background load: a looping \`bun test\` (pid $load_pid)"
fi

declare -A fail_count=()  # test -> number of runs it failed in
declare -A fail_runs=()   # test -> "1 4 5"
declare -a order=()       # tests in the order first seen
bad_runs=()               # runs that exited non-zero without naming a test

strip_ansi() {
  local s="$1" esc=$'\e'
  while [[ "$s" =~ (.*)"$esc"\[[0-9\;]*[A-Za-z](.*) ]]; do s="${BASH_REMATCH[1]}${BASH_REMATCH[2]}"; done
  printf '%s' "$s"
}

# Prints one line per failing test of a run log (each test once).
failures_of() {
  local log="$1" line file="" name
  declare -A seen=()
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%$'\r'}"
    [[ "$line" == *$'\e'* ]] && line="$(strip_ansi "$line")"
    # The recap after "N tests failed:" repeats what was already counted.
    [[ "$line" =~ ^[0-9]+\ tests?\ failed:$ ]] && break
    if [[ "$line" =~ ^([^[:space:]\(][^[:space:]]*\.(test|spec)\.[cm]?[jt]sx?):$ ]]; then
      file="${BASH_REMATCH[1]}"
    elif [[ "$line" =~ ^\(fail\)\ (.*)$ ]]; then
      name="${BASH_REMATCH[1]}"
      # Drop the duration, which differs from run to run.
      [[ "$name" =~ ^(.*)\ \[[0-9.]+m?s\]$ ]] && name="${BASH_REMATCH[1]}"
      name="${file:-?}: $name"
      [[ -n "${seen[$name]:-}" ]] || { seen[$name]=1; printf '%s\n' "$name"; }
    elif [[ "$line" == "# Unhandled error between tests" ]]; then
      name="${file:-?}: (unhandled error between tests)"
      [[ -n "${seen[$name]:-}" ]] || { seen[$name]=1; printf '%s\n' "$name"; }
    fi
  done <"$log"
}

cmd_text="bun test"
[[ ${#test_args[@]} -eq 0 ]] || printf -v cmd_text 'bun test%s' "$(printf ' %q' "${test_args[@]}")"
echo "flake-check: $runs run(s) of: $cmd_text"
done_runs=0
for ((i = 1; i <= runs && interrupted == 0; i++)); do
  log="$out/run-$i.log"
  started=$SECONDS
  # In the background so that a signal to this script is handled at once.
  bun test "${test_args[@]}" >"$log" 2>&1 &
  run_pid=$!
  wait "$run_pid"
  code=$?
  [[ $interrupted -eq 0 ]] || wait "$run_pid" 2>/dev/null
  run_pid=""
  # A run cut short by the interruption proves nothing either way.
  if [[ $interrupted -ne 0 ]]; then
    echo "flake-check: run $i/$runs: interrupted, not counted"
    break
  fi
  done_runs=$i
  n=0
  while IFS= read -r t; do
    [[ -n "$t" ]] || continue
    n=$((n + 1))
    if [[ -z "${fail_count[$t]:-}" ]]; then
      order+=("$t")
      fail_count[$t]=0
      fail_runs[$t]=""
    fi
    fail_count[$t]=$((fail_count[$t] + 1))
    fail_runs[$t]="${fail_runs[$t]:+${fail_runs[$t]} }$i"
  done < <(failures_of "$log")
  if [[ $code -ne 0 && $n -eq 0 ]]; then bad_runs+=("$i:$code"); fi
  echo "flake-check: run $i/$runs: exit $code, $n failing test(s), $((SECONDS - started))s"
done
stop_load

echo
echo "flake-check: logs in $out"
[[ $interrupted -eq 0 ]] || echo "flake-check: interrupted: $done_runs of $runs run(s) finished"
if [[ ${#order[@]} -eq 0 && ${#bad_runs[@]} -eq 0 ]]; then
  echo "flake-check: no failures in $done_runs run(s)"
  [[ $interrupted -eq 0 ]] && exit 0
  exit 130
fi
if [[ ${#order[@]} -gt 0 ]]; then
  echo "flake-check: ${#order[@]} test(s) failed at least once (failed/runs, runs, test):"
  for t in "${order[@]}"; do
    printf '  %d/%d  runs %s  %s\n' "${fail_count[$t]}" "$done_runs" "${fail_runs[$t]// /,}" "$t"
  done
fi
for r in "${bad_runs[@]}"; do
  echo "flake-check: run ${r%%:*} exited ${r#*:} without a (fail) line (crash or load error): see $out/run-${r%%:*}.log"
done
exit 1
