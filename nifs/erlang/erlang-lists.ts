/**
 * List BIFs of module erlang: `length/1`, `hd/1`, `tl/1`, `++/2`, `--/2`.
 */

import { compareExact, exactEq } from "../../terms/compare.ts";
import { listFromArray, listToArray } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, type Process } from "../../vm/index.ts";

function length(_p: Process, l: Term): Term {
  let n = 0;
  while (l instanceof Cons) {
    n++;
    l = l.tail;
  }
  return l === NIL ? n : badarg();
}

/** `A ++ B`: copies A (which must be a proper list) onto B, which can be anything. */
function append(_p: Process, a: Term, b: Term): Term {
  if (a === NIL) return b;
  if (!(a instanceof Cons)) return badarg();
  const first = new Cons(a.head, NIL);
  let last = first;
  let l = a.tail;
  while (l instanceof Cons) {
    const c = new Cons(l.head, NIL);
    last.tail = c;
    last = c;
    l = l.tail;
  }
  if (l !== NIL) badarg();
  last.tail = b;
  return first;
}

/** Below this many elements to remove, `--` scans; above, it sorts them once. */
const SCAN_LIMIT = 16;

/** `A -- B`: removes the first occurrence in A of each element of B (exact equality). */
function subtract(_p: Process, a: Term, b: Term): Term {
  const left = listToArray(a);
  const right = listToArray(b);
  if (left === null || right === null) return badarg();
  if (right.length === 0 || left.length === 0) return a;
  const keep = new Array<boolean>(left.length).fill(true);
  if (right.length <= SCAN_LIMIT) {
    for (const r of right) {
      for (let i = 0; i < left.length; i++) {
        if (keep[i] && exactEq(left[i]!, r)) {
          keep[i] = false;
          break;
        }
      }
    }
  } else removeSorted(left, right, keep);
  const out: Term[] = [];
  for (let i = 0; i < left.length; i++) if (keep[i]) out.push(left[i]!);
  return listFromArray(out);
}

/** The multiset form of `--`: O((n + m) log m) for long right-hand lists. */
function removeSorted(left: Term[], right: Term[], keep: boolean[]): void {
  right.sort(compareExact);
  const keys: Term[] = [];
  const counts: number[] = [];
  for (const r of right) {
    const n = keys.length;
    if (n > 0 && compareExact(keys[n - 1]!, r) === 0) counts[n - 1]! += 1;
    else {
      keys.push(r);
      counts.push(1);
    }
  }
  for (let i = 0; i < left.length; i++) {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareExact(keys[mid]!, left[i]!);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else {
        if (counts[mid]! > 0) {
          counts[mid]! -= 1;
          keep[i] = false;
        }
        break;
      }
    }
  }
}

/** `length/1`, `hd/1`, `tl/1`, `++/2` and `--/2`. */
export const erlangListNatives: NativeModule = defineNatives("erlang", {
  "length/1": length,
  "hd/1": (_p, l) => (l instanceof Cons ? l.head : badarg()),
  "tl/1": (_p, l) => (l instanceof Cons ? l.tail : badarg()),
  "++/2": append,
  "--/2": subtract,
});
