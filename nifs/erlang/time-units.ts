/**
 * Erlang time units: the atoms (`second`, `millisecond`, `microsecond`,
 * `nanosecond`, `native`, `perf_counter` and the deprecated plural forms) and
 * positive integer units (parts per second, bignums included). One place for
 * `erlang:monotonic_time/1`, `system_time/1`, `time_offset/1`,
 * `convert_time_unit/3` and `os:system_time/1` / `perf_counter/1`, so they
 * agree on which units exist and on rounding (toward negative infinity).
 */
import { Atom } from "../../terms/atom.ts";
import type { Term } from "../../terms/term.ts";
import { badarg } from "../../vm/index.ts";

/** `native` and `perf_counter` are nanoseconds, as on Linux BEAM. */
const NAMED: Record<string, bigint> = {
  second: 1n,
  seconds: 1n,
  millisecond: 1_000n,
  milli_seconds: 1_000n,
  microsecond: 1_000_000n,
  micro_seconds: 1_000_000n,
  nanosecond: 1_000_000_000n,
  nano_seconds: 1_000_000_000n,
  native: 1_000_000_000n,
  perf_counter: 1_000_000_000n,
};

/** Parts per second of a time unit term; `badarg` for anything else. */
export function unitsPerSecond(u: Term): bigint {
  if (typeof u === "number" && Number.isInteger(u) && u > 0) return BigInt(u);
  if (typeof u === "bigint" && u > 0n) return u;
  if (u instanceof Atom) {
    const n = NAMED[u.name];
    if (n !== undefined) return n;
  }
  return badarg();
}

/** Floor division of bigints (toward negative infinity). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** A bigint as a term: a JS number when it is a safe integer. */
function intTerm(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n;
}

/** `value` in unit `from` converted to unit `to`, rounded down. */
export function convertTimeUnit(value: Term, from: Term, to: Term): number | bigint {
  if (typeof value !== "number" && typeof value !== "bigint") return badarg();
  if (typeof value === "number" && !Number.isInteger(value)) return badarg();
  const f = unitsPerSecond(from);
  const t = unitsPerSecond(to);
  return intTerm(floorDiv(BigInt(value) * t, f));
}

/**
 * A clock reading in (fractional) milliseconds as a whole count of `unit`.
 * The reading is taken to the microsecond first (the clocks are no finer),
 * then scaled exactly: nanosecond wall-clock values exceed 2^53.
 */
export function msInUnit(ms: number, unit: Term): number | bigint {
  const perSecond = unitsPerSecond(unit);
  const micros = BigInt(Math.floor(ms * 1000));
  return intTerm(floorDiv(micros * perSecond, 1_000_000n));
}
