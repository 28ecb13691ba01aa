/**
 * The text model behind the `string` natives: a chardata argument decoded to
 * code points, remembering whether it came as a binary so results keep the
 * caller's type (binary in, binary out; lists come back as flat lists).
 *
 * Known difference from OTP: OTP's `string` walks deep/mixed chardata lazily
 * and often returns the untouched parts in their original nesting (e.g.
 * `string:trim(["  a", <<"b  ">>])` is `[97|<<98>>]`); we flatten mixed input
 * to a list of code points. Binaries and flat lists, which is what Gleam and
 * almost all Erlang code pass, give exactly OTP's shapes.
 */

import { A } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { ErlangError } from "../../vm/index.ts";
import { cpsToBinary, cpsToList, decodeChardata } from "./chardata.ts";
import { graphemeEnd } from "./grapheme.ts";
import { fclause } from "./util.ts";

export interface Text {
  readonly cps: number[];
  /** The argument was a binary: results are binaries. */
  readonly bin: boolean;
}

/** Decodes a `string` argument; bad UTF-8 raises `{badarg, Rest}` like OTP. */
export function textArg(t: Term): Text {
  if (!(t instanceof BitString) && !(t instanceof Cons) && t !== NIL) fclause();
  let d: ReturnType<typeof decodeChardata>;
  try {
    d = decodeChardata(t);
  } catch {
    return fclause();
  }
  if (d.stop !== null) {
    // OTP names the binary it stopped in, without the list around it.
    const r = d.stop.rest;
    const rest = r instanceof Cons && r.head instanceof BitString ? r.head : r;
    throw new ErlangError("error", [A.badarg, rest]);
  }
  return { cps: d.cps, bin: t instanceof BitString };
}

/** Builds a result of the same kind as the input. */
export function mk(t: Text, cps: readonly number[]): Term {
  return t.bin ? cpsToBinary(cps) : cpsToList(cps);
}

/** One grapheme as `string` returns it: an integer, or a list of code points. */
export function gcTerm(cps: readonly number[]): Term {
  return cps.length === 1 ? cps[0]! : cpsToList(cps);
}

/** Start offsets of the grapheme clusters of `cps`, plus `cps.length` at the end. */
export function clusterStarts(cps: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < cps.length) {
    out.push(i);
    i = graphemeEnd(cps, i);
  }
  out.push(cps.length);
  return out;
}

/**
 * Positions where a search may start or end: grapheme boundaries, plus the
 * point inside CR LF (OTP's search splits `"\r\n"` on `"\n"`).
 */
export function searchBoundaries(cps: readonly number[]): Uint8Array {
  const b = new Uint8Array(cps.length + 1);
  for (const s of clusterStarts(cps)) b[s] = 1;
  for (let i = 0; i + 1 < cps.length; i++) {
    if (cps[i] === 13 && cps[i + 1] === 10) b[i + 1] = 1;
  }
  return b;
}

/** Indexes where `pat` occurs in `cps` on boundaries, non-overlapping, left to right. */
export function findAll(cps: readonly number[], pat: readonly number[]): number[] {
  const out: number[] = [];
  if (pat.length === 0) return out;
  const b = searchBoundaries(cps);
  let i = 0;
  while (i + pat.length <= cps.length) {
    if (b[i] && b[i + pat.length] && matchAt(cps, pat, i)) {
      out.push(i);
      i += pat.length;
    } else i++;
  }
  return out;
}

/** Index of the last boundary-aligned occurrence of `pat`, or -1. */
export function findLast(cps: readonly number[], pat: readonly number[]): number {
  if (pat.length === 0) return -1;
  const b = searchBoundaries(cps);
  for (let i = cps.length - pat.length; i >= 0; i--) {
    if (b[i] && b[i + pat.length] && matchAt(cps, pat, i)) return i;
  }
  return -1;
}

export function matchAt(cps: readonly number[], pat: readonly number[], i: number): boolean {
  for (let k = 0; k < pat.length; k++) if (cps[i + k] !== pat[k]) return false;
  return true;
}

/**
 * A set of graphemes as `trim/3`, `take/2` and `lexemes/2` accept it: a list
 * whose elements are code points or lists of code points (one cluster each).
 */
export class GraphemeSet {
  private readonly singles = new Set<number>();
  private readonly multi: number[][] = [];
  constructor(t: Term) {
    let l = t;
    while (l instanceof Cons) {
      const h = l.head;
      if (typeof h === "number") this.singles.add(h);
      else {
        const d = decodeChardata(h);
        if (d.stop !== null) fclause();
        if (d.cps.length === 1) this.singles.add(d.cps[0]!);
        else if (d.cps.length > 1) this.multi.push(d.cps);
      }
      l = l.tail;
    }
    if (l !== NIL) fclause();
  }

  /** Whether the cluster `cps[s..e)` is in the set. */
  has(cps: readonly number[], s: number, e: number): boolean {
    if (e - s === 1) return this.singles.has(cps[s]!);
    return this.multi.some((m) => m.length === e - s && matchAt(cps, m, s));
  }
}

/** OTP's default whitespace for `trim`: CR LF plus the Pattern_White_Space characters. */
export const WHITESPACE_CPS: readonly (number | number[])[] = [
  [13, 10],
  9,
  10,
  11,
  12,
  13,
  32,
  133,
  8206,
  8207,
  8232,
  8233,
];

/** The default whitespace set as an Erlang term (`unicode_util:whitespace()`). */
export function whitespaceTerm(): Term {
  let l: Term = NIL;
  for (let i = WHITESPACE_CPS.length - 1; i >= 0; i--) {
    const w = WHITESPACE_CPS[i]!;
    l = new Cons(typeof w === "number" ? w : cpsToList(w), l);
  }
  return l;
}
