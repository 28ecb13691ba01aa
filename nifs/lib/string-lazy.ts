/**
 * OTP's lazy walk over chardata (`unicode_util:cp/1` and `gc/1`): the first
 * code point or grapheme cluster, and the rest of the argument in the shape
 * OTP leaves it, without decoding further than it must. On invalid UTF-8 the
 * `string` functions built on this walk fail only where they meet the bad
 * bytes, and return parts they never looked at untouched; string-walk.ts,
 * string-search.ts and the functions over them use it, so results and errors
 * there are OTP's (fixtures/conformance/sem_unicode.erl, sem_string_walk.erl,
 * sem_string_search.erl).
 *
 * The rest shapes follow OTP 25 exactly for `cp`: a list element is entered
 * and what follows is kept as `[Tail | Rest]`, and up to three further code
 * points of a list are brought to the front. `gc` is exact for control
 * characters, CR LF, Latin-1, clusters of a base with extending marks and
 * emoji ZWJ sequences; for the other cluster kinds (Hangul, regional
 * indicators, prepend) the cluster is right but the rest keeps `cp`'s shape.
 */
import { A } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { ErlangError } from "../../vm/index.ts";
import { Gcb, gcb, graphemeEnd, isPictographic } from "./grapheme.ts";
import { fclause } from "./util.ts";

/** `{error, Rest}` from the walk: the rest starts at bytes that are not UTF-8. */
export class WalkError {
  constructor(readonly rest: Term) {}
}

/** What `cp`/`gc` answer: `[]`, a cons `[First | Rest]`, or an error. */
export type Step = Term | WalkError;

const isInt = (t: Term): t is number => typeof t === "number";

/**
 * The character `<<C/utf8, _/binary>>` matches at `i`, and its byte length;
 * null when the bytes there are not one (bad lead or continuation byte,
 * overlong form, surrogate, above U+10FFFF, or cut short).
 */
export function utf8At(b: Uint8Array, i: number): { cp: number; size: number } | null {
  const c = b[i]!;
  if (c < 0x80) return { cp: c, size: 1 };
  const size =
    c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (size === 0 || i + size > b.length) return null;
  let v = c & (size === 2 ? 0x1f : size === 3 ? 0x0f : 0x07);
  for (let k = 1; k < size; k++) {
    const cc = b[i + k]!;
    if ((cc & 0xc0) !== 0x80) return null;
    v = (v << 6) | (cc & 0x3f);
  }
  const min = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
  return { cp: v, size };
}

/** The first UTF-8 character of a binary and the bytes after it, `null` when empty, or an error. */
function binFirst(b: BitString): { cp: number; rest: BitString } | null | WalkError {
  if (!b.isBinary) return fclause();
  const bytes = b.bytes();
  if (bytes.length === 0) return null;
  const d = utf8At(bytes, 0);
  if (d === null) return new WalkError(b);
  return { cp: d.cp, rest: binaryFromBytes(bytes.subarray(d.size)) };
}

/** `cp(L)`: the first code point of chardata and its rest. */
export function cp(t: Term): Step {
  let l = t;
  for (;;) {
    if (l === NIL) return NIL;
    if (l instanceof BitString) {
      const f = binFirst(l);
      if (f === null) return NIL;
      if (f instanceof WalkError) return f;
      return new Cons(f.cp, f.rest);
    }
    if (!(l instanceof Cons)) return fclause();
    if (isInt(l.head)) return l;
    if (l.tail === NIL) l = l.head;
    else return cpl(l.head, l.tail);
  }
}

/** `cpl(X, R)`: the first code point of element `X`, followed by list `R`. */
function cpl(x: Term, r: Term): Step {
  for (;;) {
    if (x instanceof Cons) {
      if (isInt(x.head)) return new Cons(x.head, cont(1, x.tail, r));
      if (x.tail !== NIL) r = new Cons(x.tail, r);
      x = x.head;
      continue;
    }
    if (x === NIL) return cp(r);
    if (x instanceof BitString) {
      const f = binFirst(x);
      if (f === null) return cp(r);
      if (f instanceof WalkError) return new WalkError(new Cons(x, r));
      return new Cons(f.cp, new Cons(f.rest, r));
    }
    return fclause();
  }
}

/**
 * OTP's `cpl_cont`/`cpl_cont2`/`cpl_cont3` (level 1..3): after a list's code
 * point, the rest `T` of that list followed by `R`, with code points of `T`
 * brought forward while the level allows.
 */
function cont(level: number, t: Term, r: Term): Term {
  for (;;) {
    if (t instanceof Cons) {
      if (isInt(t.head)) {
        if (level < 3) return new Cons(t.head, cont(level + 1, t.tail, r));
        return t.tail === NIL ? new Cons(t.head, r) : new Cons(t.head, new Cons(t.tail, r));
      }
      if (t.tail !== NIL) r = new Cons(t.tail, r);
      t = t.head;
      continue;
    }
    if (t === NIL) return cont1(level, r);
    return new Cons(t, r);
  }
}

/** OTP's `cpl_1_cont`/`2`/`3`: the same for a rest `R` that is already the outer list. */
function cont1(level: number, r: Term): Term {
  for (;;) {
    if (!(r instanceof Cons)) return r;
    if (isInt(r.head)) {
      if (level < 3) return new Cons(r.head, cont1(level + 1, r.tail));
      return r;
    }
    if (r.tail === NIL) r = r.head;
    else return cont(level, r.head, r.tail);
  }
}

/** `cp_no_bin`: as cp, but `null` as soon as a binary would have to be read. */
function cpNoBin(t: Term): Term | null {
  let l = t;
  for (;;) {
    if (l === NIL) return NIL;
    if (!(l instanceof Cons)) return null;
    if (isInt(l.head)) return l;
    if (l.tail === NIL) {
      l = l.head;
      continue;
    }
    let x = l.head;
    let r = l.tail;
    for (;;) {
      if (x instanceof Cons) {
        if (isInt(x.head)) return new Cons(x.head, cont(1, x.tail, r));
        if (x.tail !== NIL) r = new Cons(x.tail, r);
        x = x.head;
        continue;
      }
      if (x === NIL) {
        l = r;
        break;
      }
      return null;
    }
  }
}

/** `gc(L)`: the first grapheme cluster (an integer, or a list of code points) and the rest. */
export function gc(t: Term): Step {
  if (t === NIL) return NIL;
  if (t instanceof Cons && isInt(t.head)) {
    const c = t.head;
    if (t.tail === NIL) return t;
    if (c === 13) {
      const n = cp(t.tail);
      if (n instanceof Cons && n.head === 10)
        return new Cons(new Cons(13, new Cons(10, NIL)), n.tail);
      return new Cons(13, n instanceof WalkError ? errorTuple(n) : n);
    }
    if (c < 256) {
      const t1 = t.tail;
      if (t1 instanceof Cons && isInt(t1.head) && t1.head < 256) return t;
      const t3 = cpNoBin(t1);
      if (t3 instanceof Cons && isInt(t3.head) && t3.head < 256) return new Cons(c, t3);
      if (t3 === null) return gc1(t);
      return gc1(new Cons(c, t3));
    }
    return gc1(t);
  }
  if (t instanceof BitString) {
    const f = binFirst(t);
    if (f === null) return NIL;
    if (!(f instanceof WalkError) && f.cp < 256 && f.cp !== 13) {
      const g = binFirst(f.rest);
      if (g !== null && !(g instanceof WalkError) && g.cp < 256) return new Cons(f.cp, f.rest);
    }
    if (f instanceof WalkError) return f;
    return gc1(new Cons(f.cp, f.rest));
  }
  const s = cp(t);
  if (s instanceof WalkError) return s;
  return gc(s);
}

/** `{error, R}` as a term (only where OTP builds it into a result). */
function errorTuple(e: WalkError): Term {
  return [A.error, e.rest];
}

/** Whether `c` may continue a cluster after a base (Extend, ZWJ, SpacingMark). */
function extending(c: number): boolean {
  const k = gcb(c);
  return k === Gcb.Extend || k === Gcb.ZWJ || k === Gcb.SpacingMark;
}

/** `gc_1([CP | R1])`: the cluster starting with a code point already in front. */
function gc1(r0: Cons): Step {
  const c = r0.head as number;
  const r1 = r0.tail;
  if (c === 13) {
    const n = cp(r1);
    if (n instanceof Cons && n.head === 10)
      return new Cons(new Cons(13, new Cons(10, NIL)), n.tail);
    return r0;
  }
  const k = gcb(c);
  if (k === Gcb.Control || k === Gcb.LF) return r0;
  if (isPictographic(c)) return extPict(c, r1);
  if (c < 256) {
    if (r1 instanceof Cons && isInt(r1.head) && r1.head < 256) return r0;
    return extend(c, r1);
  }
  if (k === Gcb.Other || k === Gcb.Extend || k === Gcb.ZWJ || k === Gcb.SpacingMark) {
    return extend(c, r1);
  }
  return special(r0);
}

/** A base `c0` followed by `r`: the marks that extend it join the cluster. */
function extend(c0: number, r: Term): Step {
  const first = cp(r);
  if (first === NIL) return new Cons(c0, r);
  if (first instanceof WalkError) return new Cons(c0, first.rest);
  const f = first as Cons;
  if (!extending(f.head as number)) return new Cons(c0, r);
  const acc = [c0, f.head as number];
  let tail = f.tail;
  for (;;) {
    const n = cp(tail);
    if (n instanceof WalkError) return new Cons(listOf(acc), new Cons(n.rest, NIL));
    if (n === NIL || !extending((n as Cons).head as number)) return new Cons(listOf(acc), tail);
    acc.push((n as Cons).head as number);
    tail = (n as Cons).tail;
  }
}

/**
 * An Extended_Pictographic base `c0` followed by `r`: marks, and ZWJ joining
 * a further pictograph, extend it (emoji ZWJ sequences). Where the walk meets
 * bad bytes, OTP appends the error rest after what it has with `++`, which
 * fails with badarg when that is not a proper list.
 */
function extPict(c0: number, r: Term): Step {
  const acc = [c0];
  let t = r;
  const done = (rest: Term): Cons => new Cons(acc.length === 1 ? acc[0]! : listOf(acc), rest);
  const doneErr = (rest: Term, e: WalkError): Term => appendOne(done(rest), e.rest);
  for (;;) {
    const n = cp(t);
    if (n === NIL) return done(t);
    if (n instanceof WalkError) return doneErr(t, n);
    const h = (n as Cons).head as number;
    const after = (n as Cons).tail;
    if (h === 0x200d) {
      acc.push(h);
      const m = cp(after);
      if (m instanceof WalkError) return doneErr(after, m);
      if (m instanceof Cons && isPictographic(m.head as number)) {
        acc.push(m.head as number);
        t = m.tail;
        continue;
      }
      return done(after);
    }
    if (!extending(h)) return done(t);
    acc.push(h);
    t = after;
  }
}

/** `L ++ [X]`: badarg when `L` is not a proper list. */
function appendOne(l: Term, x: Term): Term {
  const items: Term[] = [];
  let p = l;
  for (; p instanceof Cons; p = p.tail) items.push(p.head);
  if (p !== NIL) throw new ErlangError("error", A.badarg);
  let out: Term = new Cons(x, NIL);
  for (let i = items.length - 1; i >= 0; i--) out = new Cons(items[i]!, out);
  return out;
}

/**
 * Clusters of the other kinds: read code points ahead with `cp` (up to a
 * bad byte), let the grapheme rules decide how many form the cluster, and
 * keep the rest as `cp` left it.
 */
function special(r0: Cons): Step {
  const cps: number[] = [r0.head as number];
  const rests: Term[] = [r0.tail];
  let errorAt: WalkError | null = null;
  while (cps.length < 64) {
    const n = cp(rests.at(-1)!);
    if (n instanceof WalkError) {
      errorAt = n;
      break;
    }
    if (n === NIL) break;
    cps.push((n as Cons).head as number);
    rests.push((n as Cons).tail);
  }
  const end = graphemeEnd(cps, 0);
  const cluster: Term = end === 1 ? cps[0]! : listOf(cps.slice(0, end));
  if (end === cps.length && errorAt !== null) return new Cons(cluster, errorAt.rest);
  return new Cons(cluster, rests[end - 1]!);
}

function listOf(cps: readonly number[]): Term {
  let l: Term = NIL;
  for (let i = cps.length - 1; i >= 0; i--) l = new Cons(cps[i]!, l);
  return l;
}
