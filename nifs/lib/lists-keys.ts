/**
 * The `lists:key*` functions on lists of tuples (except the BIFs `keyfind`
 * and `keymember`, owned by nifs/erlang). Keys compare with `==`, as in OTP.
 */

import { A } from "../../terms/atom.ts";
import { compare, eq } from "../../terms/compare.ts";
import { listFromArray } from "../../terms/list.ts";
import { NIL, type Term } from "../../terms/term.ts";
import type { NativeFn } from "../../vm/index.ts";
import { otpKeySortPrefix } from "./lists-sort.ts";
import { at, badarg, fclause, listArg } from "./util.ts";

const arr = (t: Term): Term[] => listArg(t, fclause);
const mk = (xs: readonly Term[], tail: Term = NIL): Term => listFromArray(xs, tail);

function keyPos(n: Term): number {
  if (typeof n !== "number" || n < 1) return fclause();
  return n;
}

/** The key of `t` at 1-based `n`, or undefined when `t` is not a tuple that large. */
function keyOf(t: Term, n: number): Term | undefined {
  return Array.isArray(t) && t.length >= n ? t[n - 1] : undefined;
}

function findKey(xs: readonly Term[], key: Term, n: number): number {
  return xs.findIndex((t) => {
    const k = keyOf(t, n);
    return k !== undefined && eq(k, key);
  });
}

/** `otp`: keysort/2's own order of a leading `==` group (ukeysort/2 keeps the first tuple instead). */
function keySort(l: Term, nT: Term, otp: boolean): Term[] {
  const n = keyPos(nT);
  const xs = arr(l);
  // OTP returns lists of fewer than two elements without looking at them.
  if (xs.length < 2) return xs;
  for (const t of xs) if (keyOf(t, n) === undefined) badarg();
  const byKey = (a: Term, b: Term) => compare(keyOf(a, n)!, keyOf(b, n)!);
  if (otp) otpKeySortPrefix(xs, eq, byKey);
  return xs.sort(byKey);
}

/** Merges two key-sorted lists (descending with `desc`); ties keep `a`'s tuple first. */
function keyMerge(nT: Term, a: Term, b: Term, unique: boolean, desc = false): Term {
  const n = keyPos(nT);
  const xs = arr(a);
  const ys = arr(b);
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length && j < ys.length) {
    const kx = keyOf(xs[i]!, n) ?? badarg();
    const ky = keyOf(ys[j]!, n) ?? badarg();
    const c = desc ? compare(ky, kx) : compare(kx, ky);
    if (c <= 0) {
      out.push(xs[i++]!);
      if (unique && c === 0) j++;
    } else out.push(ys[j++]!);
  }
  return mk(out.concat(xs.slice(i), ys.slice(j)));
}

/** Natives merged into the `lists` module. */
export const listsKeyFns: Record<string, NativeFn> = {
  "keysort/2": (_p, n, l) => mk(keySort(l, n, true)),
  "ukeysort/2": (_p, n, l) => {
    const k = keyPos(n);
    const out: Term[] = [];
    for (const t of keySort(l, n, false)) {
      const prev = out[out.length - 1];
      if (prev === undefined || !eq(keyOf(prev, k)!, keyOf(t, k)!)) out.push(t);
    }
    return mk(out);
  },
  "keydelete/3": (_p, key, n, l) => {
    const xs = arr(l);
    const i = findKey(xs, key, keyPos(n));
    if (i >= 0) xs.splice(i, 1);
    return mk(xs);
  },
  "keyreplace/4": (_p, key, n, l, nt) => {
    if (!Array.isArray(nt)) return fclause();
    const xs = arr(l);
    const i = findKey(xs, key, keyPos(n));
    if (i >= 0) xs[i] = nt;
    return mk(xs);
  },
  "keystore/4": (_p, key, n, l, nt) => {
    if (!Array.isArray(nt)) return fclause();
    const xs = arr(l);
    const i = findKey(xs, key, keyPos(n));
    if (i >= 0) xs[i] = nt;
    else xs.push(nt);
    return mk(xs);
  },
  "keytake/3": (_p, key, n, l) => {
    const xs = arr(l);
    const i = findKey(xs, key, keyPos(n));
    if (i < 0) return A.false;
    const found = xs[i]!;
    return [at("value"), found, mk([...xs.slice(0, i), ...xs.slice(i + 1)])];
  },
  "keymerge/3": (_p, n, a, b) => keyMerge(n, a, b, false),
  "ukeymerge/3": (_p, n, a, b) => keyMerge(n, a, b, true),
  "rukeymerge/3": (_p, n, a, b) => keyMerge(n, a, b, true, true),
};
