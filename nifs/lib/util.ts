/**
 * Small helpers shared by the library natives: argument checks that raise the
 * errors OTP raises, and builders for the result shapes that recur
 * (`{ok, V}`, `{error, R}`, booleans).
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { Cons, Float, type Int, NIL, type Term } from "../../terms/term.ts";
import { ErlangError } from "../../vm/index.ts";

/** `error(badarg)`: what BIFs raise on a bad argument. */
export function badarg(): never {
  throw new ErlangError("error", A.badarg);
}

/**
 * `error(function_clause)`: what a library function written in Erlang raises
 * when no clause matches its arguments. Natives that replace such functions
 * raise it too, so callers that match on the reason see what OTP gives.
 */
export function fclause(): never {
  throw new ErlangError("error", A.function_clause);
}

/** `error(Reason)` with any reason term. */
export function raise(reason: Term): never {
  throw new ErlangError("error", reason);
}

/** Throws `error(badarith)`. */
export function badarith(): never {
  throw new ErlangError("error", A.badarith);
}

export const ok = (v: Term): Term => [A.ok, v];
export const err = (v: Term): Term => [A.error, v];

/** An atom from a JS string (interned). */
export const at = (name: string): Atom => atom(name);

/** The value of an integer argument, or the given failure. */
export function intArg(t: Term, fail: () => never = badarg): Int {
  if (typeof t === "number" || typeof t === "bigint") return t;
  return fail();
}

/** A small integer argument (JS number), or the given failure. */
export function smallArg(t: Term, fail: () => never = badarg): number {
  if (typeof t === "number") return t;
  return fail();
}

/** A non-negative small integer. */
export function natArg(t: Term, fail: () => never = badarg): number {
  if (typeof t === "number" && t >= 0) return t;
  return fail();
}

/** A number (integer or float) as a JS double, for `math`. */
export function numArg(t: Term, fail: () => never = badarg): number {
  if (typeof t === "number") return t;
  if (typeof t === "bigint") return Number(t);
  if (t instanceof Float) return t.value;
  return fail();
}

/** A binary (byte-aligned bitstring). */
export function binArg(t: Term, fail: () => never = badarg): BitString {
  if (t instanceof BitString && t.isBinary) return t;
  return fail();
}

export function atomArg(t: Term, fail: () => never = badarg): Atom {
  if (t instanceof Atom) return t;
  return fail();
}

/** The elements of a proper list, or the given failure. */
export function listArg(t: Term, fail: () => never = badarg): Term[] {
  const out: Term[] = [];
  while (t instanceof Cons) {
    out.push(t.head);
    t = t.tail;
  }
  if (t !== NIL) fail();
  return out;
}

/** A float term. Erlang floats are finite: overflow is `badarith`. */
export function mkFloat(v: number): Float {
  if (!Number.isFinite(v)) badarith();
  return new Float(v);
}

/** Walks a proper list calling `f` per element; fails on an improper tail. */
export function forEachList(t: Term, f: (x: Term) => void, fail: () => never = badarg): void {
  while (t instanceof Cons) {
    f(t.head);
    t = t.tail;
  }
  if (t !== NIL) fail();
}
