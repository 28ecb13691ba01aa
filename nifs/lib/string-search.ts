/**
 * The searching machinery under OTP 25's `string:find/split/replace/trim/
 * lexemes` (string-find.ts, string-trim.ts). OTP does not decode a binary
 * before searching it: it looks for the UTF-8 bytes of the first code point
 * of each separator with `binary:match`, decodes only around a hit, and
 * returns sub-binaries of the original. So bytes that are not UTF-8 pass
 * through untouched unless a hit lands next to them, and the errors (a
 * `badmatch`, `case_clause` or `{badarg, Rest}`) come from the exact place
 * that decodes them. The functions here follow those steps one for one, so
 * results and errors are OTP's (fixtures/conformance/sem_string_search.erl).
 *
 * Lists built here are Erlang lists (accumulators are reversed at the end, as
 * OTP does), because the shapes of results depend on them.
 */
import { A } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { exactEq } from "../../terms/compare.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { ErlangError } from "../../vm/index.ts";
import { cpsToUtf8, isScalar } from "./chardata.ts";
import { cp, gc, type Step, utf8At, WalkError } from "./string-lazy.ts";
import { equal, stepTerm } from "./string-walk.ts";
import { badarg, fclause } from "./util.ts";

/** `nomatch` from a search, with what OTP carries along with it. */
export const NOMATCH = Symbol("nomatch");

export function badmatch(v: Term | Step): never {
  throw new ErlangError("error", [A.badmatch, v instanceof WalkError ? stepTerm(v) : v]);
}

export function caseClause(v: Term | Step): never {
  throw new ErlangError("error", [A.case_clause, v instanceof WalkError ? stepTerm(v) : v]);
}

/** `[H | T] = Step`: the cons, or OTP's badmatch. */
export function consOf(s: Step): Cons {
  if (s instanceof Cons) return s;
  return badmatch(s);
}

export const isBin = (t: Term): t is BitString => t instanceof BitString && t.isBinary;
export const isList = (t: Term): boolean => t === NIL || t instanceof Cons;
export const byteSize = (b: BitString): number => b.size >>> 3;
export const EMPTY = new BitString(new Uint8Array(0), 0, 0);

/** `<<_:N/binary, Rest/binary>> = B` (badmatch when `B` is not a binary that long). */
export function dropBytes(b: Term, n: number): BitString {
  if (!isBin(b) || n > byteSize(b)) return badmatch(b);
  return n === 0 ? b : b.slice(n * 8, b.size - n * 8);
}

/** `<<Keep:N/binary, _/binary>> = B`. */
export function keepBytes(b: BitString, n: number): BitString {
  return n === byteSize(b) ? b : b.slice(0, n * 8);
}

/** `<<_/utf8, Rest/binary>> = B`. */
export function dropUtf8(b: Term): BitString {
  if (!isBin(b)) return badmatch(b);
  const d = byteSize(b) > 0 ? utf8At(b.bytes(), 0) : null;
  if (d === null) return badmatch(b);
  return dropBytes(b, d.size);
}

/** `<<C/utf8>>`: badarg for what is not a Unicode scalar value. */
export function utf8Of(c: Term): Uint8Array {
  if (typeof c !== "number" || !Number.isInteger(c) || !isScalar(c)) return badarg();
  return cpsToUtf8([c]);
}

/** The leading code point of a binary's bytes at `i`, or null. */
export function cpAt(b: Uint8Array, i: number): number | null {
  if (i >= b.length) return null;
  const d = utf8At(b, i);
  return d === null ? null : d.cp;
}

/** A term `< 256` in Erlang's term order (numbers only; everything else sorts after). */
function below256(t: Term): boolean {
  if (typeof t === "number") return t < 256;
  if (typeof t === "bigint") return t < 256n;
  return t instanceof Float && t.value < 256;
}

/** OTP's `?ASCII_LIST(C1, C2)`: `C1` is a grapheme cluster by itself. */
export function asciiPair(c1: Term, c2: Term): boolean {
  return below256(c1) && below256(c2) && c1 !== 13;
}

/** `lists:member/2` over an Erlang list held as an array (badarg past an improper end). */
export class TermList {
  constructor(
    readonly items: readonly Term[],
    readonly proper: boolean,
  ) {}

  static of(t: Term): TermList {
    const items: Term[] = [];
    let l = t;
    while (l instanceof Cons) {
      items.push(l.head);
      l = l.tail;
    }
    return new TermList(items, l === NIL);
  }

  has(x: Term): boolean {
    for (const y of this.items) if (x === y || exactEq(x, y)) return true;
    if (!this.proper) badarg();
    return false;
  }

  /** `[Sep]`: the one element of a one-element list, else undefined. */
  get single(): Term | undefined {
    return this.proper && this.items.length === 1 ? this.items[0] : undefined;
  }
}

/**
 * OTP's `search_pattern/1` result `{GCs, CPs, Compiled}`: the separators as
 * given, the first code point of each, and (once compiled) their UTF-8 bytes.
 */
export class Seps {
  private pats: Uint8Array[] | null = null;
  private constructor(
    readonly gcs: TermList,
    readonly cps: TermList,
  ) {}

  static of(t: Term): Seps {
    const cps: Term[] = [];
    let l = t;
    while (l instanceof Cons) {
      const h = l.head;
      if (typeof h === "number" || typeof h === "bigint") cps.push(h);
      else cps.push(consOf(cp(h)).head);
      l = l.tail;
    }
    if (l !== NIL) fclause();
    return new Seps(TermList.of(t), new TermList(cps, true));
  }

  /** `search_compile/1`: encodes the code points (badarg on one that has no UTF-8 form). */
  compile(): Uint8Array[] {
    if (this.pats === null) {
      if (this.cps.items.length === 0) badarg();
      this.pats = this.cps.items.map(utf8Of);
    }
    return this.pats;
  }
}

/** `binary:match(B, Patterns)` from byte `from`: the first position any pattern starts at, or -1. */
export function matchBytes(b: Uint8Array, from: number, pats: readonly Uint8Array[]): number {
  for (let i = from; i < b.length; i++) {
    const c = b[i];
    for (const p of pats) {
      if (p[0] !== c || i + p.length > b.length) continue;
      let k = 1;
      while (k < p.length && b[i + k] === p[k]) k++;
      if (k === p.length) return i;
    }
  }
  return -1;
}

/** A search that found (the chardata from the hit on) or did not (with what OTP carries). */
export type Found = { hit: true; at: Term } | { hit: false; cont: Term };

const hit = (at: Term): Found => ({ hit: true, at });
const miss = (cont: Term): Found => ({ hit: false, cont });

/**
 * OTP's `bin_search/3`: the first separator cluster in binary `bin0`
 * followed by `cont`. A hit is `[Rest]` (no `cont`) or `[Rest | Cont]`.
 */
export function binSearch(bin0: Term, cont: Term, seps: Seps): Found {
  const pats = seps.compile();
  let start = 0;
  for (;;) {
    if (bin0 instanceof BitString && byteSize(bin0) <= start) return miss(cont);
    dropBytes(bin0, start);
    const bytes = (bin0 as BitString).bytes();
    const where = matchBytes(bytes, start, pats);
    if (where < 0) return miss(cont);
    const from = dropBytes(bin0, where);
    if (cont === NIL) {
      const g = consOf(gc(from));
      if (seps.gcs.has(g.head)) return hit(new Cons(from, NIL));
      if (g.tail === NIL) return miss(NIL);
      if (!(g.tail instanceof BitString)) return badarg();
      start = byteSize(bin0 as BitString) - byteSize(g.tail);
      continue;
    }
    const at = new Cons(from, cont);
    const g = consOf(gc(at));
    if (seps.gcs.has(g.head)) return hit(at);
    const r = g.tail;
    if (r instanceof Cons && isBin(r.head) && (r.tail === cont || exactEq(r.tail, cont))) {
      start = byteSize(bin0 as BitString) - byteSize(r.head);
      continue;
    }
    return miss(r);
  }
}

/**
 * OTP's `bin_search_inv/3`: skips the clusters of binary `bin` (then of
 * `cont`) that are in `seps`; a hit is the chardata from the first that is
 * not, a miss carries what is left after them. `{badarg, Bin}` where the
 * bytes do not decode.
 */
export function binSearchInv(bin: Term, cont: Term, seps: TermList): Found {
  if (bin instanceof BitString && bin.size === 0) return miss(cont);
  const one = seps.single;
  const member = (x: Term) => (one !== undefined ? x === one || exactEq(x, one) : seps.has(x));
  let b = bin;
  for (;;) {
    const first = isBin(b) ? cpAt(b.bytes(), 0) : null;
    if (first === null) {
      if ((b instanceof BitString && b.size === 0) || b === NIL) return miss(cont);
      throw new ErlangError("error", [A.badarg, b]);
    }
    const bytes = (b as BitString).bytes();
    const size = utf8At(bytes, 0)!.size;
    const second = cpAt(bytes, size);
    if (second !== null && asciiPair(first, second)) {
      if (!member(first)) return hit(new Cons(b, cont));
      b = dropBytes(b, size);
      continue;
    }
    if (cont === NIL) {
      const g = gc(b);
      if (one === undefined) {
        const c = consOf(g);
        if (!member(c.head)) return hit(new Cons(b, cont));
        b = c.tail;
        continue;
      }
      if (g instanceof Cons && member(g.head)) {
        b = g.tail;
        continue;
      }
      return hit(new Cons(b, cont));
    }
    const g = gc(new Cons(b, cont));
    if (one === undefined) consOf(g);
    if (!(g instanceof Cons) || !member(g.head)) return hit(new Cons(b, cont));
    const r = g.tail;
    if (r instanceof Cons && isBin(r.head) && (r.tail === cont || exactEq(r.tail, cont))) {
      b = r.head;
      continue;
    }
    return miss(r);
  }
}

/** A hit of `binSearchStr`: bytes before it, `[Rest | Cont]` from it, what follows the needle. */
export type StrFound =
  | { hit: true; before: BitString; at: Cons; after: Term }
  | { hit: false; size: number; cont: Term };

/**
 * OTP's `bin_search_str/4`: the needle (code points) in binary `bin0` from
 * byte `start`, possibly continuing into `cont`.
 */
export function binSearchStr(bin0: Term, start: number, cont: Term, needle: Term): StrFound {
  if (cont === NIL) {
    const whole = needleBytes(needle);
    dropBytes(bin0, start);
    const b = bin0 as BitString;
    const cps = needle as Cons;
    let from = start;
    for (;;) {
      const where = matchBytes(b.bytes(), from, [whole]);
      if (where < 0) return { hit: false, size: byteSize(b), cont: NIL };
      const at = dropBytes(b, where);
      const r = prefix1(at, cps);
      if (r === NOMATCH) {
        from = byteSize(b) - byteSize(dropUtf8(at));
        continue;
      }
      const after = r === NIL ? EMPTY : r;
      return { hit: true, before: keepBytes(b, where), at: new Cons(at, NIL), after };
    }
  }
  if (!(needle instanceof Cons)) return fclause();
  const first = utf8Of(needle.head);
  dropBytes(bin0, start);
  const b = bin0 as BitString;
  let from = start;
  for (;;) {
    const where = matchBytes(b.bytes(), from, [first]);
    if (where < 0) return { hit: false, size: byteSize(b), cont };
    const at = dropBytes(b, where);
    const g = consOf(gc(at));
    const r = prefix1(stack(at, cont), needle);
    if (r === NOMATCH) {
      if (g.tail instanceof BitString && g.tail.isBinary) {
        from = byteSize(b) - byteSize(g.tail);
        continue;
      }
      return { hit: false, size: where, cont: stack(g, cont) };
    }
    const after = r === NIL ? EMPTY : r;
    return { hit: true, before: keepBytes(b, where), at: new Cons(at, cont), after };
  }
}

/** `unicode:characters_to_binary(Needle)` compiled as a pattern: badarg unless a non-empty list of code points. */
function needleBytes(needle: Term): Uint8Array {
  if (!(needle instanceof Cons)) return badarg();
  const cps: number[] = [];
  for (let l: Term = needle; l instanceof Cons; l = l.tail) cps.push(l.head as number);
  return cpsToUtf8(cps);
}

/**
 * OTP's `prefix_1/2`: the rest of `cs` after the code points of `needle`,
 * the last of which must be a whole grapheme cluster there; or NOMATCH.
 */
export function prefix1(cs: Term, needle: Cons): Term | typeof NOMATCH {
  let n: Term = needle;
  let s = cs;
  while (n instanceof Cons) {
    const want = n.head;
    if (n.tail === NIL) {
      const g = gc(s);
      return g instanceof Cons && g.head === want ? g.tail : NOMATCH;
    }
    let step: Step;
    if (s instanceof Cons && (typeof s.head === "number" || typeof s.head === "bigint")) step = s;
    else step = cp(s);
    if (!(step instanceof Cons) || step.head !== want) return NOMATCH;
    s = step.tail;
    n = n.tail;
  }
  return fclause();
}

/** `lists:reverse/1` of a proper list. */
export function reverse(l: Term, tail: Term = NIL): Term {
  let out = tail;
  for (let x = l; x instanceof Cons; x = x.tail) out = new Cons(x.head, out);
  return out;
}

/** OTP's `rev/1`: a one-binary list is that binary; a list reversed; an integer itself. */
export function rev(t: Term): Term {
  if (t instanceof Cons && t.tail === NIL && isBin(t.head)) return t.head;
  if (isList(t)) return reverse(t);
  if (typeof t === "number" || typeof t === "bigint") return t;
  return fclause();
}

/** OTP's `btoken/2`: a token from a binary part and the reversed code points before it. */
export function btoken(part: BitString, acc: Term): Term {
  if (acc === NIL) return part;
  if (acc instanceof Cons && acc.tail === NIL && typeof acc.head === "number") {
    const head = utf8Of(acc.head);
    const tail = part.bytes();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    return new BitString(out, 0, out.length * 8);
  }
  if (part.size === 0) return reverse(acc);
  return new Cons(reverse(acc), new Cons(part, NIL));
}

/** OTP's `append/2`: a grapheme (integer or list) put in front of chardata. */
export function append(g: Term, s: Term): Term {
  const isInt = typeof g === "number" || typeof g === "bigint";
  if (s instanceof BitString && s.size === 0 && s.isBinary) {
    if (isInt) return new Cons(g, NIL);
    if (isList(g)) return g;
    return fclause();
  }
  if (isBin(s)) return new Cons(g, new Cons(s, NIL));
  if (isInt) return new Cons(g, s);
  if (isList(g)) return reverse(reverse(g), s);
  return fclause();
}

/** OTP's `stack/2`: chardata in front of more, dropping empties. */
export function stack(b: Term, st: Term): Term {
  if (st === NIL) return b;
  if ((b instanceof BitString && b.size === 0) || b === NIL) return st;
  return new Cons(b, st);
}

/** OTP's `add_non_empty/2`. */
export function addNonEmpty(t: Term, l: Term): Term {
  return t instanceof BitString && t.size === 0 ? l : new Cons(t, l);
}

/**
 * OTP's `cp_prefix/2`: the code points of `orig` up to where `cont` (a rest
 * of it) starts, as a list.
 */
export function cpPrefix(orig: Term, cont: Term): Term {
  const c = cp(cont);
  if (c === NIL) return orig;
  if (!(c instanceof Cons)) return caseClause(c);
  const until = c.head;
  const out: Term[] = [];
  let o = orig;
  for (;;) {
    const s = cp(o);
    if (!(s instanceof Cons)) return caseClause(s);
    if (s.head === until && equal(s.tail, c.tail)) break;
    out.push(s.head);
    o = s.tail;
  }
  let l: Term = NIL;
  for (let i = out.length - 1; i >= 0; i--) l = new Cons(out[i]!, l);
  return l;
}
