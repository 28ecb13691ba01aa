/**
 * Boolean operators `and or xor not` (strict: both operands are evaluated and
 * must be booleans, otherwise `badarg`).
 */

import { A } from "../../terms/atom.ts";
import type { Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";

const T = A.true;
const F = A.false;

const isBool = (t: Term): boolean => t === T || t === F;

/** The strict boolean operators. */
export const boolNatives: NativeModule = defineNatives("erlang", {
  "and/2": (_p, a, b) => {
    if (!isBool(a) || !isBool(b)) badarg();
    return a === T && b === T ? T : F;
  },
  "or/2": (_p, a, b) => {
    if (!isBool(a) || !isBool(b)) badarg();
    return a === T || b === T ? T : F;
  },
  "xor/2": (_p, a, b) => {
    if (!isBool(a) || !isBool(b)) badarg();
    return a !== b ? T : F;
  },
  "not/1": (_p, a) => (a === T ? F : a === F ? T : badarg()),
});
