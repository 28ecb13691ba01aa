#!/usr/bin/env bash
# Records fixtures/otp/otp_cases.expected from real erl (OTP 25).
#
#   bash scripts/otp-compat/record.sh
#
# Compiles fixtures/otp/otp_funs.erl (in place, as scripts/build-fixtures.sh
# does, so the committed .beam is the one erl ran) and otp_cases.erl (into a
# scratch directory), then runs otp_cases:record/1. Deterministic: running
# it twice gives the same file. test/otp/otp-stdlib.test.ts replays it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FIX="$ROOT/fixtures/otp"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/aion-otpfx.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

command -v erlc >/dev/null || { echo "record.sh: erlc not found" >&2; exit 1; }
release="$(erl -noshell -eval 'io:put_chars(erlang:system_info(otp_release)), halt().')"
[[ "$release" == 25 ]] || echo "record.sh: WARNING: OTP $release; the committed file was recorded with OTP 25" >&2

(cd "$FIX" && erlc +deterministic otp_funs.erl && erlc -S +deterministic otp_funs.erl)
erlc -o "$TMP" "$ROOT/scripts/otp-compat/otp_cases.erl"
# Run from the scratch directory so no stray .beam in the cwd shadows OTP.
(cd "$TMP" && erl -noshell -noinput -pa "$TMP" -pa "$FIX" -run otp_cases record "$FIX/otp_cases.expected")
echo "record.sh: $(wc -l <"$FIX/otp_cases.expected" | tr -d ' ') cases -> fixtures/otp/otp_cases.expected"
