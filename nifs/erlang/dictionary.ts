/**
 * The process dictionary BIFs on `p.dict`: `get/0,1`, `put/2`, `erase/0,1`,
 * `get_keys/0,1`. Missing keys read as `undefined`; keys and values compare
 * exactly (`1` and `1.0` are different keys).
 *
 * Listing order: BEAM walks its hash table, so `get/0` has no documented
 * order. We list newest entries first (keys other than atoms and integers
 * before those, as the dictionary stores them apart), which is what OTP gives
 * for the common case of consecutive small integer keys; otherwise OTP's order
 * depends on its atom table and hashing and will differ.
 */

import { A } from "../../terms/atom.ts";
import { exactEq } from "../../terms/compare.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";

/** Entries as a list, newest first (entries() lists oldest first). */
function pairList(entries: [Term, Term][]): Term {
  let l: Term = NIL;
  for (const [k, v] of entries) l = new Cons([k, v], l);
  return l;
}

function keysWhere(p: Process, pred: (v: Term) => boolean): Term {
  let l: Term = NIL;
  for (const [k, v] of p.dict.entries()) if (pred(v)) l = new Cons(k, l);
  return l;
}

/** The process dictionary BIFs. */
export const dictionaryNatives: NativeModule = defineNatives("erlang", {
  "get/0": (p) => pairList(p.dict.entries()),
  "get/1": (p, k) => p.dict.get(k) ?? A.undefined,
  "put/2": (p, k, v) => p.dict.put(k, v) ?? A.undefined,
  "erase/0": (p) => pairList(p.dict.clear()),
  "erase/1": (p, k) => p.dict.erase(k) ?? A.undefined,
  "get_keys/0": (p) => keysWhere(p, () => true),
  "get_keys/1": (p, v) => keysWhere(p, (x) => exactEq(x, v)),
});
