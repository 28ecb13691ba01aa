/**
 * First-order `maps` functions as natives. The BIF-backed ones (`get/2`,
 * `get/3`, `find/2`, `put/3`, `remove/2`, `update/3`, `keys/1`, `values/1`,
 * `to_list/1`, `from_list/1`, `merge/2`, `is_key/2`) live in nifs/erlang;
 * functions taking a fun are Erlang code in nifs/stdlib/maps.erl.
 *
 * Iterators: `iterator/1` returns `[Index | Map]` (an improper list, the same
 * shape OTP 25 uses; the contents are opaque either way) and `next/1` walks
 * the map in its iteration order.
 */

import { A } from "../../terms/atom.ts";
import { EMPTY_MAP, MapTerm, mapFromPairs } from "../../terms/map.ts";
import { mapIterationOrder } from "../../terms/map-order.ts";
import { Cons, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { at, badarg, listArg, raise } from "./util.ts";

/** A map argument, or `{badmap, T}` as the maps functions raise. */
export function mapArg(t: Term): MapTerm {
  if (t instanceof MapTerm) return t;
  return raise([A.badmap, t]);
}

function iterator(m: MapTerm, order: Term): Term {
  if (order === at("ordered") || order === at("undefined")) return new Cons(0, m);
  if (order === at("reversed")) return new Cons(at("reversed"), new Cons(0, m));
  return badarg();
}

/** `maps:next/1` on our iterator shapes. */
function next(it: Term): Term {
  if (it === at("none")) return at("none");
  if (!(it instanceof Cons)) return raise([at("badarg"), it]);
  let reversed = false;
  let cur: Cons = it;
  if (cur.head === at("reversed") && cur.tail instanceof Cons) {
    reversed = true;
    cur = cur.tail;
  }
  const i = cur.head;
  const m = cur.tail;
  if (typeof i !== "number" || !(m instanceof MapTerm)) return badarg();
  if (i >= m.size) return at("none");
  const order = mapIterationOrder(m);
  const k = reversed ? order[m.size - 1 - i]! : order[i]!;
  // The last pair comes with `none` as the next iterator, as in OTP.
  const more = i + 1 < m.size;
  const rest: Term = !more
    ? at("none")
    : reversed
      ? new Cons(at("reversed"), new Cons(i + 1, m))
      : new Cons(i + 1, m);
  return [m.keys[k]!, m.values[k]!, rest];
}

export const mapsNatives: NativeModule = defineNatives("maps", {
  "new/0": () => EMPTY_MAP,
  "size/1": (_p, m) => mapArg(m).size,
  "take/2": (_p, k, m) => {
    const mm = mapArg(m);
    const v = mm.get(k);
    return v === undefined ? A.error : [v, mm.remove(k)];
  },
  "with/2": (_p, ks, m) => {
    const mm = mapArg(m);
    const pairs: [Term, Term][] = [];
    for (const k of listArg(ks)) {
      const v = mm.get(k);
      if (v !== undefined) pairs.push([k, v]);
    }
    return mapFromPairs(pairs);
  },
  "without/2": (_p, ks, m) => {
    let mm = mapArg(m);
    for (const k of listArg(ks)) mm = mm.remove(k);
    return mm;
  },
  "from_keys/2": (_p, ks, v) => mapFromPairs(listArg(ks).map((k) => [k, v])),
  "intersect/2": (_p, a, b) => {
    const x = mapArg(a);
    const y = mapArg(b);
    const pairs: [Term, Term][] = [];
    for (let i = 0; i < x.size; i++) {
      const v = y.get(x.keys[i]!);
      if (v !== undefined) pairs.push([x.keys[i]!, v]);
    }
    return mapFromPairs(pairs);
  },
  "iterator/1": (_p, m) => iterator(mapArg(m), at("undefined")),
  "iterator/2": (_p, m, o) => iterator(mapArg(m), o),
  "next/1": (_p, it) => next(it),
});
