/**
 * The `lists` functions that are BIFs in OTP: `member/2` (exact equality),
 * `reverse/2`, and `keyfind/3`, `keymember/3`, `keysearch/3` (arithmetic
 * equality on the key, so `1.0` finds `1`). An improper list is `badarg` when
 * the walk reaches its tail; a position below 1 is always `badarg`.
 */

import { A, atom } from "../../terms/atom.ts";
import { eq, exactEq } from "../../terms/compare.ts";
import { listLength } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import {
  badarg,
  defineNatives,
  type NativeModule,
  type Process,
  reserveHeap,
} from "../../vm/index.ts";

const VALUE = atom("value");

function member(_p: Process, x: Term, l: Term): Term {
  while (l instanceof Cons) {
    if (exactEq(l.head, x)) return A.true;
    l = l.tail;
  }
  return l === NIL ? A.false : badarg();
}

function reverse(p: Process, l: Term, tail: Term): Term {
  if (p.maxHeap.size > 0) reserveHeap(p, 2 * Math.max(0, listLength(l)));
  let acc = tail;
  while (l instanceof Cons) {
    acc = new Cons(l.head, acc);
    l = l.tail;
  }
  return l === NIL ? acc : badarg();
}

/** The first tuple whose `n`th element equals `key` (==), or null. */
function keyFind(key: Term, n: Term, l: Term): Term[] | null {
  if (typeof n !== "number" || n < 1) return badarg();
  const i = n - 1;
  // Atoms and small integers (the usual keys) match by identity first.
  while (l instanceof Cons) {
    const t = l.head;
    if (Array.isArray(t) && t.length > i) {
      const e = t[i]!;
      if (e === key || eq(e, key)) return t;
    }
    l = l.tail;
  }
  return l === NIL ? null : badarg();
}

/** The BIFs of module `lists`. */
export const listsBifNatives: NativeModule = defineNatives("lists", {
  "member/2": member,
  "reverse/2": reverse,
  "keyfind/3": (_p, k, n, l) => keyFind(k, n, l) ?? A.false,
  "keymember/3": (_p, k, n, l) => (keyFind(k, n, l) === null ? A.false : A.true),
  "keysearch/3": (_p, k, n, l) => {
    const t = keyFind(k, n, l);
    return t === null ? A.false : [VALUE, t];
  },
});
