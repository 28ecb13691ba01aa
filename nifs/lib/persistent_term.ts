/**
 * `persistent_term`: a VM-wide key/value store (one per VM, kept in a
 * WeakMap on the VM object so separate VMs never share terms). Keys compare
 * exactly. `get/1` of a missing key raises `badarg` like OTP.
 */

import { A } from "../../terms/atom.ts";
import { listFromArray } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { defineNatives, type Machine, type NativeModule, type Process } from "../../vm/index.ts";
import { termKey } from "./term-key.ts";
import { at, badarg } from "./util.ts";

type Store = Map<string, [Term, Term]>;
const stores = new WeakMap<Machine, Store>();

function store(p: Process): Store {
  let s = stores.get(p.vm);
  if (s === undefined) {
    s = new Map();
    stores.set(p.vm, s);
  }
  return s;
}

export const persistentTermNatives: NativeModule = defineNatives("persistent_term", {
  "put/2": (p, k, v) => {
    store(p).set(termKey(k), [k, v]);
    return A.ok;
  },
  "get/1": (p, k) => store(p).get(termKey(k))?.[1] ?? badarg(),
  "get/2": (p, k, d) => store(p).get(termKey(k))?.[1] ?? d,
  "get/0": (p) => listFromArray([...store(p).values()].map(([k, v]) => [k, v])),
  "erase/1": (p, k) => (store(p).delete(termKey(k)) ? A.true : A.false),
  "info/0": (p) => {
    const s = store(p);
    return listFromArray([
      [at("count"), s.size],
      [at("memory"), s.size * 64],
    ]);
  },
});
