/**
 * First-order `lists` functions as natives. Functions that take a fun are
 * Erlang code in nifs/stdlib/lists.erl; `reverse/2`, `keyfind/3`,
 * `keymember/3` and `member/2` are BIFs owned by nifs/erlang.
 *
 * In OTP most of these are Erlang code, so bad arguments raise
 * `function_clause` (or what the failing BIF raises); we raise the same.
 */

import { A, Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { compare, eq, exactEq } from "../../terms/compare.ts";
import { formatFloatDefault } from "../../terms/float.ts";
import { intAdd, intSub } from "../../terms/integer.ts";
import { listFromArray, listLength } from "../../terms/list.ts";
import { Cons, Float, type Int, NIL, type Term } from "../../terms/term.ts";
import {
  defineNatives,
  type NativeModule,
  type Process,
  reserveHeap,
  type Trap,
} from "../../vm/index.ts";
import { listsKeyFns } from "./lists-keys.ts";
import { CHUNK, listsLongFns, longDuplicate, longSeq } from "./lists-long.ts";
import { otpSort } from "./lists-sort.ts";
import { addNumbers } from "./numbers.ts";
import { badarg, fclause, listArg } from "./util.ts";

const arr = (t: Term): Term[] => listArg(t, fclause);
const mk = (xs: readonly Term[], tail: Term = NIL): Term => listFromArray(xs, tail);

/** How many elements `seq(From, To, Step)` has (arguments already checked, step non-zero). */
function seqLength(from: Int, to: Int, step: Int): number {
  return Number((BigInt(to) - BigInt(from)) / BigInt(step)) + 1;
}

function seq(p: Process, from: Term, to: Term, step: Term): Term | Trap {
  if (typeof from !== "number" && typeof from !== "bigint") return fclause();
  if (typeof to !== "number" && typeof to !== "bigint") return fclause();
  if (typeof step !== "number" && typeof step !== "bigint") return fclause();
  // OTP: seq(F, T, S) needs T >= F - S when S > 0, T <= F - S when S < 0.
  if (step > 0) {
    if (to < intSub(from, step)) return fclause();
  } else if (step < 0) {
    if (to > intSub(from, step)) return fclause();
  } else {
    if (from !== to) return badarg();
    return mk([from]);
  }
  reserveHeap(p, 2 * seqLength(from, to, step));
  if (typeof from === "number" && typeof to === "number" && typeof step === "number") {
    const n = Math.floor((to - from) / step) + 1;
    if (n > CHUNK) return longSeq(p, from, step, n);
    const out = new Array<Term>(Math.max(n, 0));
    for (let i = 0; i < n; i++) out[i] = from + i * step;
    return mk(out);
  }
  const out: Term[] = [];
  for (let x: Int = from; step > 0 ? x <= to : x >= to; x = intAdd(x, step)) out.push(x);
  return mk(out);
}

/** Appends the elements of deep list `t` to `out`; an explicit stack of pending tails keeps deep nesting off the JS stack. */
function flattenInto(t: Term, out: Term[]): void {
  const tails: Term[] = [];
  for (;;) {
    while (t instanceof Cons) {
      const h = t.head;
      if (h instanceof Cons) {
        tails.push(t.tail);
        t = h;
        continue;
      }
      if (h !== NIL) out.push(h);
      t = t.tail;
    }
    if (t !== NIL) fclause();
    const next = tails.pop();
    if (next === undefined) return;
    t = next;
  }
}

function flatten(t: Term, tail: Term): Term {
  const out: Term[] = [];
  flattenInto(t, out);
  return mk(out, tail);
}

/**
 * A stable sort by the standard order (1 and 1.0 keep their order): what
 * `usort/1`, `merge/1` and `umerge/1` give. `sort/1` is not stable: otpSort.
 */
export function sortTerms(xs: Term[]): Term[] {
  return xs.sort(compare);
}

/** Removes neighbours that compare equal, keeping the first of each run. */
export function dedupSorted(xs: readonly Term[], same: (a: Term, b: Term) => boolean): Term[] {
  const out: Term[] = [];
  for (const x of xs) if (out.length === 0 || !same(out[out.length - 1]!, x)) out.push(x);
  return out;
}

function nth(n: Term, l: Term): Term {
  if (typeof n !== "number" || n < 1) return fclause();
  let i = 1;
  while (l instanceof Cons) {
    if (i === n) return l.head;
    l = l.tail;
    i++;
  }
  return fclause();
}

function nthtail(n: Term, l: Term): Term {
  if (typeof n !== "number" || n < 0) return fclause();
  for (let i = 0; i < n; i++) {
    if (!(l instanceof Cons)) return fclause();
    l = l.tail;
  }
  return l;
}

function sublist(l: Term, start: Term, len: Term): Term {
  if (typeof start !== "number" || start < 1 || typeof len !== "number" || len < 0)
    return fclause();
  const xs = arr(l);
  return mk(xs.slice(start - 1, start - 1 + len));
}

function extreme(l: Term, wantMax: boolean): Term {
  if (!(l instanceof Cons)) return fclause();
  const xs = arr(l);
  let best = xs[0]!;
  for (let i = 1; i < xs.length; i++) {
    const c = compare(xs[i]!, best);
    if (wantMax ? c > 0 : c < 0) best = xs[i]!;
  }
  return best;
}

/** Text of one `lists:concat/1` element, as `atom_to_list`/`integer_to_list`/... would give. */
function concatPiece(t: Term): Term[] {
  if (typeof t === "number" || typeof t === "bigint")
    return [...String(t)].map((c) => c.charCodeAt(0));
  if (t instanceof Float) return [...formatFloatDefault(t.value)].map((c) => c.charCodeAt(0));
  if (t instanceof Cons || t === NIL) return arr(t);
  if (t instanceof BitString) return badarg();
  if (t instanceof Atom) return [...t.name].map((c) => c.codePointAt(0)!);
  return badarg();
}

/** `lists:subtract/2` is `A -- B` in OTP: a non-list or improper list is `badarg`. */
function subtract(a: Term, b: Term): Term {
  const xs = listArg(a, badarg);
  const ys = listArg(b, badarg);
  for (const y of ys) {
    const i = xs.findIndex((x) => exactEq(x, y));
    if (i >= 0) xs.splice(i, 1);
  }
  return mk(xs);
}

function zip(...ls: Term[]): Term {
  const arrs = ls.map(arr);
  const n = arrs[0]!.length;
  if (arrs.some((a) => a.length !== n)) return fclause();
  const out: Term[] = [];
  for (let i = 0; i < n; i++) out.push(arrs.map((a) => a[i]!));
  return mk(out);
}

function unzip(l: Term, width: number): Term {
  const cols: Term[][] = Array.from({ length: width }, () => []);
  for (const t of arr(l)) {
    if (!Array.isArray(t) || t.length !== width) return fclause();
    for (let k = 0; k < width; k++) cols[k]!.push(t[k]!);
  }
  return cols.map((c) => mk(c));
}

/**
 * Merges two sorted lists (descending ones with `desc`). On a tie the
 * element of `a` comes first; `unique` then drops the one of `b`.
 */
function mergeSorted(a: Term[], b: Term[], unique: boolean, desc = false): Term[] {
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = desc ? compare(b[j]!, a[i]!) : compare(a[i]!, b[j]!);
    if (c <= 0) {
      out.push(a[i++]!);
      if (unique && c === 0) j++;
    } else out.push(b[j++]!);
  }
  return out.concat(a.slice(i), b.slice(j));
}

function uniq(l: Term): Term {
  const seen: Term[] = [];
  const out: Term[] = [];
  for (const x of arr(l)) {
    if (!seen.some((s) => exactEq(s, x))) {
      seen.push(x);
      out.push(x);
    }
  }
  return mk(out);
}

function isPrefix(p: Term, l: Term): Term {
  while (p instanceof Cons) {
    if (!(l instanceof Cons) || !exactEq(p.head, l.head)) return A.false;
    p = p.tail;
    l = l.tail;
  }
  return p === NIL ? A.true : fclause();
}

export const listsNatives: NativeModule = defineNatives("lists", {
  "seq/2": (p, f, t) => seq(p, f, t, 1),
  "seq/3": (p, f, t, s) => seq(p, f, t, s),
  "reverse/1": (p, l) => {
    if (!(l instanceof Cons) && l !== NIL) return fclause();
    if (p.maxHeap.size > 0) reserveHeap(p, 2 * Math.max(0, listLength(l)));
    let out: Term = NIL;
    let x = l;
    while (x instanceof Cons) {
      out = new Cons(x.head, out);
      x = x.tail;
    }
    if (x === NIL) return out;
    // OTP's reverse/1 matches up to two cells in Erlang and hands the rest to
    // the reverse/2 BIF: a shorter improper list fails its clauses, a longer
    // one fails inside the BIF.
    return l instanceof Cons && l.tail instanceof Cons ? badarg() : fclause();
  },
  "append/2": (_p, a, b) => {
    const xs = listArg(a);
    return mk(xs, b);
  },
  "append/1": (_p, ls) => {
    const parts = arr(ls);
    if (parts.length === 0) return NIL;
    const out: Term[] = [];
    for (let i = 0; i < parts.length - 1; i++) out.push(...listArg(parts[i]!));
    return mk(out, parts[parts.length - 1]!);
  },
  "concat/1": (_p, l) => mk(arr(l).flatMap(concatPiece)),
  "flatten/1": (_p, l) => flatten(l, NIL),
  "flatten/2": (_p, l, tail) => flatten(l, tail),
  "flatlength/1": (_p, l) => {
    const out: Term[] = [];
    flattenInto(l, out);
    return out.length;
  },
  "nth/2": (_p, n, l) => nth(n, l),
  "nthtail/2": (_p, n, l) => nthtail(n, l),
  "sublist/2": (_p, l, n) => {
    if (typeof n !== "number" || n < 0) return fclause();
    const xs: Term[] = [];
    let x = l;
    while (xs.length < n && x instanceof Cons) {
      xs.push(x.head);
      x = x.tail;
    }
    if (xs.length < n && x !== NIL) return fclause();
    return mk(xs);
  },
  "sublist/3": (_p, l, s, n) => sublist(l, s, n),
  "split/2": (_p, n, l) => {
    if (typeof n !== "number" || n < 0) return badarg();
    const xs: Term[] = [];
    let x = l;
    while (xs.length < n) {
      if (!(x instanceof Cons)) return badarg();
      xs.push(x.head);
      x = x.tail;
    }
    return [mk(xs), x];
  },
  "last/1": (_p, l) => {
    if (!(l instanceof Cons)) return fclause();
    const xs = arr(l);
    return xs[xs.length - 1]!;
  },
  "droplast/1": (_p, l) => {
    if (!(l instanceof Cons)) return fclause();
    return mk(arr(l).slice(0, -1));
  },
  "sum/1": (_p, l) => arr(l).reduce<Term>((acc, x) => addNumbers(acc, x), 0),
  "max/1": (_p, l) => extreme(l, true),
  "min/1": (_p, l) => extreme(l, false),
  "duplicate/2": (p, n, x) => {
    if (typeof n !== "number" || n < 0) return fclause();
    reserveHeap(p, 2 * n);
    if (n > CHUNK) return longDuplicate(p, n, x!);
    return mk(new Array<Term>(n).fill(x));
  },
  "delete/2": (_p, x, l) => {
    const xs = arr(l);
    const i = xs.findIndex((y) => exactEq(x, y));
    if (i >= 0) xs.splice(i, 1);
    return mk(xs);
  },
  "subtract/2": (_p, a, b) => subtract(a, b),
  "enumerate/1": (_p, l) => mk(arr(l).map((x, i) => [i + 1, x])),
  "enumerate/2": (_p, s, l) => {
    if (typeof s !== "number" && typeof s !== "bigint") return fclause();
    let k: Int = s;
    return mk(
      arr(l).map((x) => {
        const e: Term = [k, x];
        k = intAdd(k, 1);
        return e;
      }),
    );
  },
  "zip/2": (_p, a, b) => zip(a, b),
  "zip3/3": (_p, a, b, c) => zip(a, b, c),
  "unzip/1": (_p, l) => unzip(l, 2),
  "unzip3/1": (_p, l) => unzip(l, 3),
  "sort/1": (_p, l) => mk(otpSort(arr(l), compare)),
  "usort/1": (_p, l) => mk(dedupSorted(sortTerms(arr(l)), eq)),
  "merge/1": (_p, ls) => mk(sortTerms(arr(ls).flatMap(arr))),
  "merge/2": (_p, a, b) => mk(mergeSorted(arr(a), arr(b), false)),
  "merge3/3": (_p, a, b, c) => mk(mergeSorted(mergeSorted(arr(a), arr(b), false), arr(c), false)),
  "umerge/1": (_p, ls) => mk(dedupSorted(sortTerms(arr(ls).flatMap(arr)), eq)),
  "umerge/2": (_p, a, b) => mk(mergeSorted(arr(a), arr(b), true)),
  "umerge3/3": (_p, a, b, c) => mk(mergeSorted(arr(a), mergeSorted(arr(b), arr(c), true), true)),
  "rumerge/2": (_p, a, b) => mk(mergeSorted(arr(a), arr(b), true, true)),
  "rumerge3/3": (_p, a, b, c) =>
    mk(mergeSorted(arr(a), mergeSorted(arr(b), arr(c), true, true), true, true)),
  "uniq/1": (_p, l) => uniq(l),
  "prefix/2": (_p, p, l) => isPrefix(p, l),
  "suffix/2": (_p, s, l) => {
    const xs = arr(s);
    const ys = arr(l);
    if (xs.length > ys.length) return A.false;
    const off = ys.length - xs.length;
    return xs.every((x, i) => exactEq(x, ys[off + i]!)) ? A.true : A.false;
  },
  "join/2": (_p, sep, l) => {
    const xs = arr(l);
    const out: Term[] = [];
    xs.forEach((x, i) => {
      if (i > 0) out.push(sep);
      out.push(x);
    });
    return mk(out);
  },
  ...listsKeyFns,
  ...listsLongFns,
});
