/**
 * `string` functions that walk their argument lazily as OTP 25 does (over
 * string-lazy.ts's `cp`/`gc`): `next_codepoint/1`, `next_grapheme/1`,
 * `prefix/2`, `equal/2`, `titlecase/1`, `slice/2,3`. They decode only as far
 * as they must, so invalid UTF-8 beyond that point is returned untouched and
 * invalid UTF-8 before it fails with OTP's error (`{badarg, Rest}`, or the
 * `case_clause` of `equal/2`); mixed lists and binaries come back in OTP's
 * shapes. Recorded from erl: fixtures/conformance/sem_unicode.erl and
 * sem_string_walk.erl.
 */
import { A, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { ErlangError } from "../../vm/index.ts";
import { chardataCps, cpsToUtf8 } from "./chardata.ts";
import { cp, gc, type Step, WalkError } from "./string-lazy.ts";
import { fclause } from "./util.ts";

/** A walk step as the caller sees it: `{error, Rest}` is a tuple there. */
export function stepTerm(s: Step): Term {
  return s instanceof WalkError ? [A.error, s.rest] : s;
}

const NOMATCH = atom("nomatch");

function badargAt(e: WalkError): never {
  throw new ErlangError("error", [A.badarg, e.rest]);
}

/** `string:is_empty/1`: structural, no decoding. */
export function isEmptyText(t: Term): boolean {
  const todo: Term[] = [t];
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (x === NIL) continue;
    if (x instanceof BitString) {
      if (x.size !== 0) return false;
      continue;
    }
    if (!(x instanceof Cons)) return false;
    todo.push(x.tail, x.head);
  }
  return true;
}

/** `prefix(Str, Prefix)`: the rest after `Prefix`, or `nomatch`. */
export function prefix(str: Term, pre: Term): Term {
  const p = chardataCps(pre);
  if (p.length === 0) return str;
  let cs = str;
  for (let i = 0; i < p.length; i++) {
    const want = p[i]!;
    let next: Step;
    // The last code point must be a whole grapheme cluster of the string.
    if (i === p.length - 1) next = gc(cs);
    else if (cs instanceof Cons && typeof cs.head === "number") next = cs;
    else next = cp(cs);
    if (!(next instanceof Cons) || next.head !== want) return NOMATCH;
    cs = next.tail;
  }
  return cs === NIL && str instanceof BitString ? binaryFromBytes(new Uint8Array(0)) : cs;
}

/** `equal(A, B)`: code point by code point; two undecodable rests are OTP's `case_clause`. */
export function equal(a: Term, b: Term): boolean {
  if (a instanceof BitString && b instanceof BitString && a.isBinary && b.isBinary) {
    const x = a.bytes();
    const y = b.bytes();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  let x = a;
  let y = b;
  for (;;) {
    if (x instanceof Cons && y instanceof Cons && typeof x.head === "number") {
      if (typeof y.head === "number") {
        if (x.head !== y.head) return false;
        x = x.tail;
        y = y.tail;
        continue;
      }
    }
    if (x === NIL) return isEmptyText(y);
    const p = cp(x);
    const q = cp(y);
    if (p instanceof Cons && q instanceof Cons && p.head === q.head) {
      x = p.tail;
      y = q.tail;
      continue;
    }
    if (p === NIL && q === NIL) return true;
    if (!(p instanceof WalkError) && !(q instanceof WalkError)) return false;
    throw new ErlangError("error", [A.case_clause, [stepTerm(p), stepTerm(q)]]);
  }
}

/** A grapheme (integer or list of code points) put in front of `rest`, as OTP's `append/2`. */
function append(g: Term, rest: Term): Term {
  if (rest instanceof BitString && rest.size === 0)
    return typeof g === "number" ? new Cons(g, NIL) : g;
  if (rest instanceof BitString) return new Cons(g, new Cons(rest, NIL));
  if (typeof g === "number") return new Cons(g, rest);
  return listAppend(g, rest);
}

function listAppend(a: Term, b: Term): Term {
  const items: Term[] = [];
  for (let l = a; l instanceof Cons; l = l.tail) items.push(l.head);
  let out = b;
  for (let i = items.length - 1; i >= 0; i--) out = new Cons(items[i]!, out);
  return out;
}

/** `titlecase(Str)`: the first code point title-cased, the rest untouched. */
export function titlecase(s: Term, titleCp: (c: number) => number[]): Term {
  const first = cp(s);
  if (first instanceof WalkError) return badargAt(first);
  if (first === NIL) return s instanceof BitString ? binaryFromBytes(new Uint8Array(0)) : NIL;
  const f = first as Cons;
  const t = titleCp(f.head as number);
  if (s instanceof BitString) {
    const head = cpsToUtf8(t);
    const tail = (f.tail as BitString).bytes();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    return binaryFromBytes(out);
  }
  const g: Term = t.length === 1 ? t[0]! : listOf(t);
  return append(g, f.tail);
}

function listOf(cps: readonly number[]): Term {
  let l: Term = NIL;
  for (let i = cps.length - 1; i >= 0; i--) l = new Cons(cps[i]!, l);
  return l;
}

/** `<<C/utf8, Rest/binary>>` at the front of `t`, or null. */
function binCp(t: Term): Cons | null {
  if (!(t instanceof BitString)) return null;
  const c = cp(t);
  return c instanceof Cons ? c : null;
}

/** OTP's `?ASCII_LIST(C1, C2)`: the cheap case where `C1` is a cluster by itself. */
const asciiPair = (c1: number, c2: number) => c1 < 256 && c2 < 256 && c1 !== 13;

/** The rest of a binary after `n` > 0 clusters (OTP's `slice_lb`: clusters taken as `gc([C | Bin])`). */
function dropBinary(c1: number, bin: Term, n: number): Term {
  for (let k = n; ; k--) {
    const next = k > 1 ? binCp(bin) : null;
    if (next !== null && asciiPair(c1, next.head as number)) {
      c1 = next.head as number;
      bin = next.tail;
      continue;
    }
    const rest = (gc(new Cons(c1, bin)) as Cons).tail;
    if (k === 1) return rest;
    const c = cp(rest);
    if (c instanceof WalkError) return badargAt(c);
    if (c === NIL) return binaryFromBytes(new Uint8Array(0));
    c1 = (c as Cons).head as number;
    bin = (c as Cons).tail;
  }
}

/** The rest after `n` grapheme clusters (OTP's `slice_l0`). */
function dropClusters(s: Term, n: number): Term {
  const first = n > 0 ? binCp(s) : null;
  if (first !== null) return dropBinary(first.head as number, first.tail, n);
  let cs = s;
  for (let k = n; k > 0; k--) {
    if (cs instanceof Cons && typeof cs.head === "number") {
      const t = cs.tail;
      if (t instanceof Cons && typeof t.head === "number" && asciiPair(cs.head, t.head)) {
        cs = t;
        continue;
      }
    }
    const g = gc(cs);
    if (g instanceof WalkError) return badargAt(g);
    if (g === NIL) return NIL;
    cs = (g as Cons).tail;
  }
  return cs;
}

/** Bytes left after `n` clusters from `c1` then `bin` (OTP's `slice_bin`). */
function bytesAfter(c1: number, bin: Term, n: number): number {
  for (let k = n; ; k--) {
    if (k === 0) return (bin as BitString).bytes().length + cpsToUtf8([c1]).length;
    const next = binCp(bin);
    if (next !== null && asciiPair(c1, next.head as number)) {
      c1 = next.head as number;
      bin = next.tail;
      continue;
    }
    const rest = (gc(new Cons(c1, bin)) as Cons).tail;
    const c = cp(rest);
    if (c instanceof WalkError) return badargAt(c);
    if (c === NIL) return 0;
    c1 = (c as Cons).head as number;
    bin = (c as Cons).tail;
  }
}

/** The first `n` clusters of a binary, as a binary (OTP's `slice_trail` on binaries). */
function takeBinary(orig: BitString, n: number): Term {
  const first = binCp(orig);
  if (first === null) {
    if (orig.size > 0) return badargAt(new WalkError(orig));
    return orig;
  }
  const total = orig.bytes().length;
  const left = bytesAfter(first.head as number, first.tail, n);
  return binaryFromBytes(orig.bytes().slice(0, total - left));
}

/** The first `n` clusters of chardata as a list (OTP's `slice_list`). */
function takeList(s: Term, n: number): Term {
  const gs: Term[] = [];
  let cs = s;
  for (let k = n; k > 0; k--) {
    if (cs instanceof Cons && typeof cs.head === "number" && cs.head !== 13 && cs.head < 256) {
      const t = cs.tail;
      if (t instanceof Cons && typeof t.head === "number" && t.head < 256) {
        gs.push(cs.head);
        cs = t;
        continue;
      }
    }
    const g = gc(cs);
    if (g instanceof WalkError) return badargAt(g);
    if (g === NIL) break;
    gs.push((g as Cons).head);
    cs = (g as Cons).tail;
  }
  let out: Term = NIL;
  for (let i = gs.length - 1; i >= 0; i--) out = append(gs[i]!, out);
  return out;
}

/** `slice(Str, Start, Len)`; `len` null is `infinity`. */
export function slice(s: Term, start: Term, len: Term | null): Term {
  const empty = () => (s instanceof BitString ? binaryFromBytes(new Uint8Array(0)) : NIL);
  // OTP's slice(_, _, 0) clause looks at neither the string nor the start.
  if (len === 0) return empty();
  if (typeof start !== "number" || start < 0) return fclause();
  if (len !== null && (typeof len !== "number" || len < 0)) return fclause();
  const rest = dropClusters(s, start);
  if (rest === NIL && s instanceof BitString) return empty();
  if (len === null) return rest;
  return rest instanceof BitString ? takeBinary(rest, len) : takeList(rest, len);
}
