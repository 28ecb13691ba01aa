/**
 * Float/integer conversions: `float/1`, `trunc/1`, `round/1`, `ceil/1`,
 * `floor/1`. All are BIFs, so a non-number is `badarg`. Integers pass through
 * the rounding functions unchanged.
 */

import { Float, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { integralToInt, intToDouble } from "./numbers.ts";

/** `float/1`: a bignum too large for a double is `badarg`. */
function toFloat(_p: Process, a: Term): Term {
  if (typeof a === "number") return new Float(a);
  if (a instanceof Float) return a;
  if (typeof a === "bigint") {
    const d = intToDouble(a);
    if (d - d !== 0) badarg();
    return new Float(d);
  }
  return badarg();
}

/** Applies an integral-valued rounding to a number term. */
function rounded(a: Term, f: (v: number) => number): Term {
  if (typeof a === "number" || typeof a === "bigint") return a;
  if (!(a instanceof Float)) return badarg();
  return integralToInt(f(a.value));
}

/** C's `round`: halves go away from zero (`round(-2.5) = -3`), unlike `Math.round`. */
function roundHalfAway(v: number): number {
  const t = Math.trunc(v);
  // v - t is exact for every double, so this compares the true fraction.
  const frac = v - t;
  if (frac >= 0.5) return t + 1;
  if (frac <= -0.5) return t - 1;
  return t;
}

/** `float/1` and the float-to-integer rounding BIFs. */
export const roundingNatives: NativeModule = defineNatives("erlang", {
  "float/1": toFloat,
  "trunc/1": (_p, a) => rounded(a, Math.trunc),
  "round/1": (_p, a) => rounded(a, roundHalfAway),
  "ceil/1": (_p, a) => rounded(a, Math.ceil),
  "floor/1": (_p, a) => rounded(a, Math.floor),
});
