/**
 * Tuple BIFs: `element/2`, `setelement/3`, `append_element/2`,
 * `delete_element/2`, `insert_element/3`, `make_tuple/2,3`, `tuple_size/1`,
 * `size/1`, `tuple_to_list/1`, `list_to_tuple/1`. Positions are 1-based;
 * anything out of range is `badarg`. Tuples are JS arrays and never mutated
 * once built, so every update copies.
 */

import { BitString } from "../../terms/binary.ts";
import { listFromArray, listToArray } from "../../terms/list.ts";
import { Cons, NIL, type Term, type Tuple } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, type Process } from "../../vm/index.ts";

/** OTP's largest tuple arity. */
const MAX_ARITY = 16_777_215;

function element(_p: Process, n: Term, t: Term): Term {
  // A non-number index or a non-array tuple falls through to badarg below.
  if (Array.isArray(t) && typeof n === "number" && n >= 1 && n <= t.length) {
    return t[n - 1]!;
  }
  return badarg();
}

function setelement(_p: Process, n: Term, t: Term, v: Term): Term {
  if (!Array.isArray(t) || typeof n !== "number" || n < 1 || n > t.length) return badarg();
  const c = t.slice();
  c[n - 1] = v;
  return c;
}

function deleteElement(_p: Process, n: Term, t: Term): Term {
  if (!Array.isArray(t) || typeof n !== "number" || n < 1 || n > t.length) return badarg();
  const c = t.slice();
  c.splice(n - 1, 1);
  return c;
}

function insertElement(_p: Process, n: Term, t: Term, v: Term): Term {
  if (!Array.isArray(t) || typeof n !== "number" || n < 1 || n > t.length + 1) return badarg();
  const c = t.slice();
  c.splice(n - 1, 0, v);
  return c;
}

function appendElement(_p: Process, t: Term, v: Term): Term {
  if (!Array.isArray(t) || t.length >= MAX_ARITY) return badarg();
  const c = t.slice();
  c.push(v);
  return c;
}

function checkArity(n: Term): number {
  return typeof n === "number" && n >= 0 && n <= MAX_ARITY ? n : badarg();
}

/** `make_tuple(N, Default, [{Pos, Value}])`: later pairs win. */
function makeTupleInit(_p: Process, n: Term, dflt: Term, init: Term): Term {
  const t: Tuple = new Array<Term>(checkArity(n)).fill(dflt);
  let l = init;
  while (l instanceof Cons) {
    const pair = l.head;
    if (!Array.isArray(pair) || pair.length !== 2) return badarg();
    const pos = pair[0];
    if (typeof pos !== "number" || pos < 1 || pos > t.length) return badarg();
    t[pos - 1] = pair[1]!;
    l = l.tail;
  }
  return l === NIL ? t : badarg();
}

function listToTuple(_p: Process, l: Term): Term {
  const items = listToArray(l);
  if (items === null || items.length > MAX_ARITY) return badarg();
  return items;
}

/** The tuple BIFs. */
export const tupleNatives: NativeModule = defineNatives("erlang", {
  "element/2": element,
  "setelement/3": setelement,
  "append_element/2": appendElement,
  "delete_element/2": deleteElement,
  "insert_element/3": insertElement,
  "make_tuple/2": (_p, n, v) => new Array<Term>(checkArity(n)).fill(v),
  "make_tuple/3": makeTupleInit,
  "tuple_size/1": (_p, t) => (Array.isArray(t) ? t.length : badarg()),
  // size/1 of a bitstring counts whole bytes only (byte_size rounds up).
  "size/1": (_p, t) =>
    Array.isArray(t) ? t.length : t instanceof BitString ? t.size >>> 3 : badarg(),
  "tuple_to_list/1": (_p, t) => (Array.isArray(t) ? listFromArray(t) : badarg()),
  "list_to_tuple/1": listToTuple,
});
