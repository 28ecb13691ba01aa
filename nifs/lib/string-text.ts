/**
 * The text model behind the `string` natives that still decode their whole
 * argument (length, reverse, to_graphemes, pad, case mapping): a chardata
 * argument decoded to code points, remembering whether it came as a binary
 * so results keep the caller's type (binary in, binary out; lists come back
 * as flat lists). Bad UTF-8 anywhere raises `{badarg, Rest}`, which is what
 * OTP does for these functions, since they walk the whole string.
 *
 * The functions that OTP walks lazily or searches byte-wise (find, split,
 * replace, trim, lexemes, take, slice, prefix, ...) live in string-walk.ts,
 * string-find.ts, string-trim.ts and string-take.ts and return OTP's shapes.
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
