/**
 * The `maps` functions that are BIFs in OTP (plus `get/3`, a trivial wrapper
 * there): `get/2,3`, `find/2`, `is_key/2`, `put/3`, `remove/2`, `update/3`,
 * `keys/1`, `values/1`, `to_list/1`, `from_list/1`, `merge/2`.
 *
 * A non-map argument is `{badmap, M}`, a missing key for `get/2` and
 * `update/3` is `{badkey, K}`, and `from_list/1` of anything but a proper
 * list of pairs is `badarg`. Keys, values and pairs are listed in OTP's
 * `maps:to_list` order (see terms/map-order.ts).
 */

import { A } from "../../terms/atom.ts";
import { MapTerm, mapFromPairs } from "../../terms/map.ts";
import { mapListOrder } from "../../terms/map-order.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, raiseTagged } from "../../vm/index.ts";

const OK = A.ok;
const ERROR = A.error;

function mapArg(m: Term): MapTerm {
  return m instanceof MapTerm ? m : raiseTagged(A.badmap, m);
}

/** Builds a list from the map's entries in iteration order, mapping each index. */
function listOf(m: MapTerm, item: (i: number) => Term): Term {
  const order = mapListOrder(m);
  let l: Term = NIL;
  for (let k = order.length - 1; k >= 0; k--) l = new Cons(item(order[k]!), l);
  return l;
}

function fromList(l: Term): Term {
  const pairs: [Term, Term][] = [];
  while (l instanceof Cons) {
    const p = l.head;
    if (!Array.isArray(p) || p.length !== 2) return badarg();
    pairs.push([p[0]!, p[1]!]);
    l = l.tail;
  }
  if (l !== NIL) return badarg();
  return mapFromPairs(pairs);
}

/** `merge(A, B)`: B's values win. The smaller map is folded into the larger. */
function merge(a: Term, b: Term): Term {
  const x = mapArg(a);
  const y = mapArg(b);
  if (y.size === 0) return x;
  if (x.size === 0) return y;
  const pairs: [Term, Term][] = [];
  if (y.size <= x.size) {
    for (let i = 0; i < y.size; i++) pairs.push([y.keys[i]!, y.values[i]!]);
    return x.putMany(pairs);
  }
  // Keep B's values: add only A's keys that B lacks.
  for (let i = 0; i < x.size; i++) if (!y.has(x.keys[i]!)) pairs.push([x.keys[i]!, x.values[i]!]);
  return y.putMany(pairs);
}

/** The BIFs of module `maps`. */
export const mapsBifNatives: NativeModule = defineNatives("maps", {
  "get/2": (_p, k, m) => mapArg(m).get(k) ?? raiseTagged(A.badkey, k),
  "get/3": (_p, k, m, d) => mapArg(m).get(k) ?? d,
  "find/2": (_p, k, m) => {
    const v = mapArg(m).get(k);
    return v === undefined ? ERROR : [OK, v];
  },
  "is_key/2": (_p, k, m) => (mapArg(m).has(k) ? A.true : A.false),
  "put/3": (_p, k, v, m) => mapArg(m).put(k, v),
  "remove/2": (_p, k, m) => mapArg(m).remove(k),
  "update/3": (_p, k, v, m) => mapArg(m).update(k, v) ?? raiseTagged(A.badkey, k),
  "keys/1": (_p, m) => {
    const x = mapArg(m);
    return listOf(x, (i) => x.keys[i]!);
  },
  "values/1": (_p, m) => {
    const x = mapArg(m);
    return listOf(x, (i) => x.values[i]!);
  },
  "to_list/1": (_p, m) => {
    const x = mapArg(m);
    return listOf(x, (i) => [x.keys[i]!, x.values[i]!]);
  },
  "from_list/1": (_p, l) => fromList(l),
  "merge/2": (_p, a, b) => merge(a, b),
});
