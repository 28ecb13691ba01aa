/**
 * Term comparison operators (`== /= =:= =/= < > =< >=`) and `min/2`, `max/2`.
 * Two small integers compare without leaving the fast path; everything else
 * uses the standard term order of terms/compare.ts.
 */

import { A } from "../../terms/atom.ts";
import { compare, eq, exactEq } from "../../terms/compare.ts";
import type { Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";

const T = A.true;
const F = A.false;

function lt(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") return a < b ? T : F;
  return compare(a, b) < 0 ? T : F;
}
function gt(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") return a > b ? T : F;
  return compare(a, b) > 0 ? T : F;
}
function le(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") return a <= b ? T : F;
  return compare(a, b) <= 0 ? T : F;
}
function ge(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") return a >= b ? T : F;
  return compare(a, b) >= 0 ? T : F;
}

/** The comparison operators, `min/2` and `max/2`. */
export const compareNatives: NativeModule = defineNatives("erlang", {
  "==/2": (_p, a, b) => (eq(a, b) ? T : F),
  "/=/2": (_p, a, b) => (eq(a, b) ? F : T),
  "=:=/2": (_p, a, b) => (exactEq(a, b) ? T : F),
  "=/=/2": (_p, a, b) => (exactEq(a, b) ? F : T),
  "</2": lt,
  ">/2": gt,
  "=</2": le,
  ">=/2": ge,
  // On a tie (1 vs 1.0) both return their first argument, as OTP does.
  "min/2": (_p, a, b) => (compare(a, b) <= 0 ? a : b),
  "max/2": (_p, a, b) => (compare(a, b) >= 0 ? a : b),
});
