/**
 * `ets` natives: tables per VM (a WeakMap keyed by the VM), identified by a
 * reference or, for `named_table`, by their name. Supported: new/2,
 * insert/2, insert_new/2, lookup/2, lookup_element/3, member/2, take/2,
 * delete/1,2, delete_object/2, delete_all_objects/1, tab2list/1,
 * first/last/next/prev, update_counter/3,4, update_element/3, match/2,
 * match_object/2, match_delete/2, select/2, select_count/2,
 * select_delete/2, info/1,2, whereis/1, all/0, rename/2. Folds are Erlang
 * code (nifs/stdlib/ets.erl). Tables are not deleted when their owner dies.
 */

import { A, Atom } from "../../terms/atom.ts";
import { compare } from "../../terms/compare.ts";
import { intAdd } from "../../terms/integer.ts";
import { listFromArray } from "../../terms/list.ts";
import { Ref, type Term } from "../../terms/term.ts";
import { defineNatives, type Machine, type NativeModule, type Process } from "../../vm/index.ts";
import { type Bindings, bindingList, matchPattern, parseSpec, runSpec } from "./ets-match.ts";
import { Table, type TableType } from "./ets-table.ts";
import { at, badarg, listArg } from "./util.ts";

interface Registry {
  byRef: Map<bigint, Table>;
  byName: Map<Atom, Table>;
}

const registries = new WeakMap<Machine, Registry>();

function registry(p: Process): Registry {
  let r = registries.get(p.vm);
  if (r === undefined) {
    r = { byRef: new Map(), byName: new Map() };
    registries.set(p.vm, r);
  }
  return r;
}

function table(p: Process, t: Term): Table {
  const r = registry(p);
  const found =
    t instanceof Ref ? r.byRef.get(t.id) : t instanceof Atom ? r.byName.get(t) : undefined;
  return found ?? badarg();
}

function newTable(p: Process, name: Term, opts: Term): Term {
  if (!(name instanceof Atom)) return badarg();
  let type: TableType = "set";
  let keypos = 1;
  let named = false;
  for (const o of listArg(opts)) {
    if (o instanceof Atom) {
      if (
        o.name === "set" ||
        o.name === "ordered_set" ||
        o.name === "bag" ||
        o.name === "duplicate_bag"
      )
        type = o.name;
      else if (o.name === "named_table") named = true;
      // public/protected/private, compressed...: accepted, not enforced.
    } else if (Array.isArray(o) && o.length === 2 && o[0] === at("keypos")) {
      const k = o[1];
      if (typeof k !== "number" || k < 1) return badarg();
      keypos = k;
    }
  }
  const r = registry(p);
  if (named && r.byName.has(name)) return badarg();
  const id: Term = named ? name : p.vm.makeRef();
  const t = new Table(id, name, type, keypos, named, p.pid);
  if (id instanceof Ref) r.byRef.set(id.id, t);
  if (named) r.byName.set(name, t);
  return id;
}

/** Objects from an insert argument (one tuple or a list of tuples). */
function objects(t: Table, arg: Term): Term[][] {
  const objs = Array.isArray(arg) ? [arg] : listArg(arg);
  return objs.map((o) => (Array.isArray(o) && o.length >= t.keypos ? o : badarg()));
}

function deleteTable(p: Process, tab: Term): Term {
  const t = table(p, tab);
  const r = registry(p);
  if (t.id instanceof Ref) r.byRef.delete(t.id.id);
  if (t.named && t.name instanceof Atom) r.byName.delete(t.name);
  return A.true;
}

/** `update_counter` operations: Incr, {Pos, Incr} or {Pos, Incr, Threshold, SetValue}, or a list of them. */
function updateCounter(t: Table, key: Term, op: Term, dflt: Term[] | null): Term {
  let obj = t.lookup(key)[0];
  if (obj === undefined) {
    if (dflt === null) return badarg();
    obj = dflt.slice();
    obj[t.keypos - 1] = key;
  } else obj = obj.slice();
  if (t.type === "bag" || t.type === "duplicate_bag") return badarg();
  const ops =
    Array.isArray(op) || typeof op === "number" || typeof op === "bigint" ? [op] : listArg(op);
  const results: Term[] = [];
  for (const o of ops) {
    let pos = t.keypos + 1;
    let incr: Term = o;
    let threshold: Term | null = null;
    let setValue: Term = 0;
    if (Array.isArray(o)) {
      if (o.length !== 2 && o.length !== 4) return badarg();
      pos = typeof o[0] === "number" ? o[0] : badarg();
      incr = o[1]!;
      if (o.length === 4) {
        threshold = o[2]!;
        setValue = o[3]!;
      }
    }
    if (pos === t.keypos || pos < 1 || pos > obj.length) return badarg();
    const cur = obj[pos - 1]!;
    if (
      (typeof cur !== "number" && typeof cur !== "bigint") ||
      (typeof incr !== "number" && typeof incr !== "bigint")
    ) {
      return badarg();
    }
    let next: Term = intAdd(cur, incr);
    if (threshold !== null) {
      if ((incr >= 0 && compare(next, threshold) > 0) || (incr < 0 && compare(next, threshold) < 0))
        next = setValue;
    }
    obj[pos - 1] = next;
    results.push(next);
  }
  t.insert(obj);
  return Array.isArray(op) || typeof op !== "object" ? results[0]! : listFromArray(results);
}

function step(t: Table, key: Term, dir: 1 | -1): Term {
  const keys = t.keys();
  if (t.type === "ordered_set") {
    const sorted = keys;
    if (dir === 1) return sorted.find((k) => compare(k, key) > 0) ?? at("$end_of_table");
    for (let i = sorted.length - 1; i >= 0; i--)
      if (compare(sorted[i]!, key) < 0) return sorted[i]!;
    return at("$end_of_table");
  }
  const i = keys.findIndex((k) => compare(k, key) === 0);
  if (i < 0) return badarg();
  return keys[i + dir] ?? at("$end_of_table");
}

function info(t: Table, item: string): Term {
  switch (item) {
    case "size":
      return t.size;
    case "type":
      return at(t.type);
    case "keypos":
      return t.keypos;
    case "named_table":
      return t.named ? A.true : A.false;
    case "name":
      return t.name;
    case "owner":
      return t.owner;
    case "protection":
      return at("protected");
    case "id":
      return t.id;
  }
  return badarg();
}

const INFO_ITEMS = ["id", "name", "named_table", "type", "keypos", "size", "owner", "protection"];

function matching(t: Table, pattern: Term): { obj: Term[]; b: Bindings }[] {
  const out: { obj: Term[]; b: Bindings }[] = [];
  for (const obj of t.all()) {
    const b: Bindings = new Map();
    if (matchPattern(pattern, obj, b)) out.push({ obj, b });
  }
  return out;
}

export const etsNatives: NativeModule = defineNatives("ets", {
  "new/2": (p, name, opts) => newTable(p, name, opts),
  "insert/2": (p, tab, objs) => {
    const t = table(p, tab);
    for (const o of objects(t, objs)) t.insert(o);
    return A.true;
  },
  "insert_new/2": (p, tab, objs) => {
    const t = table(p, tab);
    const os = objects(t, objs);
    if (os.some((o) => t.has(t.keyOf(o)))) return A.false;
    for (const o of os) t.insert(o);
    return A.true;
  },
  "lookup/2": (p, tab, k) => listFromArray(table(p, tab).lookup(k)),
  "lookup_element/3": (p, tab, k, pos) => {
    const t = table(p, tab);
    const objs = t.lookup(k);
    if (objs.length === 0 || typeof pos !== "number") return badarg();
    const pick = (o: Term[]) => (pos >= 1 && pos <= o.length ? o[pos - 1]! : badarg());
    return t.type === "set" || t.type === "ordered_set"
      ? pick(objs[0]!)
      : listFromArray(objs.map(pick));
  },
  "member/2": (p, tab, k) => (table(p, tab).has(k) ? A.true : A.false),
  "take/2": (p, tab, k) => listFromArray(table(p, tab).deleteKey(k)),
  "delete/1": (p, tab) => deleteTable(p, tab),
  "delete/2": (p, tab, k) => {
    table(p, tab).deleteKey(k);
    return A.true;
  },
  "delete_object/2": (p, tab, o) => {
    const t = table(p, tab);
    if (!Array.isArray(o)) return badarg();
    t.deleteObject(o);
    return A.true;
  },
  "delete_all_objects/1": (p, tab) => {
    table(p, tab).clear();
    return A.true;
  },
  "tab2list/1": (p, tab) => listFromArray(table(p, tab).all()),
  "first/1": (p, tab) => table(p, tab).keys()[0] ?? at("$end_of_table"),
  "last/1": (p, tab) => {
    const ks = table(p, tab).keys();
    return ks[ks.length - 1] ?? at("$end_of_table");
  },
  "next/2": (p, tab, k) => step(table(p, tab), k, 1),
  "prev/2": (p, tab, k) => step(table(p, tab), k, -1),
  "update_counter/3": (p, tab, k, op) => updateCounter(table(p, tab), k, op, null),
  "update_counter/4": (p, tab, k, op, d) =>
    updateCounter(table(p, tab), k, op, Array.isArray(d) ? d : badarg()),
  "update_element/3": (p, tab, k, upd) => {
    const t = table(p, tab);
    const obj = t.lookup(k)[0];
    if (obj === undefined) return A.false;
    const copy = obj.slice();
    const ups = Array.isArray(upd) ? [upd] : listArg(upd);
    for (const u of ups) {
      if (!Array.isArray(u) || u.length !== 2 || typeof u[0] !== "number") return badarg();
      const pos = u[0];
      if (pos < 1 || pos > copy.length || pos === t.keypos) return badarg();
      copy[pos - 1] = u[1]!;
    }
    t.insert(copy);
    return A.true;
  },
  "match/2": (p, tab, pat) =>
    listFromArray(matching(table(p, tab), pat).map((m) => listFromArray(bindingList(m.b)))),
  "match_object/2": (p, tab, pat) => listFromArray(matching(table(p, tab), pat).map((m) => m.obj)),
  "match_delete/2": (p, tab, pat) => {
    const t = table(p, tab);
    for (const m of matching(t, pat)) t.deleteObject(m.obj);
    return A.true;
  },
  "select/2": (p, tab, spec) => {
    const t = table(p, tab);
    const clauses = parseSpec(spec);
    const out: Term[] = [];
    for (const obj of t.all()) {
      const r = runSpec(clauses, obj);
      if (r !== undefined) out.push(r);
    }
    return listFromArray(out);
  },
  "select_count/2": (p, tab, spec) => {
    const clauses = parseSpec(spec);
    return table(p, tab)
      .all()
      .filter((o) => runSpec(clauses, o) === A.true).length;
  },
  "select_delete/2": (p, tab, spec) => {
    const t = table(p, tab);
    const clauses = parseSpec(spec);
    let n = 0;
    for (const o of t.all()) {
      if (runSpec(clauses, o) === A.true) {
        t.deleteObject(o);
        n++;
      }
    }
    return n;
  },
  "info/1": (p, tab) => {
    const r = registry(p);
    const t =
      tab instanceof Ref
        ? r.byRef.get(tab.id)
        : tab instanceof Atom
          ? r.byName.get(tab)
          : undefined;
    if (t === undefined) return A.undefined;
    return listFromArray(INFO_ITEMS.map((i) => [at(i), info(t, i)]));
  },
  "info/2": (p, tab, item) => {
    const r = registry(p);
    const t =
      tab instanceof Ref
        ? r.byRef.get(tab.id)
        : tab instanceof Atom
          ? r.byName.get(tab)
          : undefined;
    if (t === undefined) return A.undefined;
    return item instanceof Atom ? info(t, item.name) : badarg();
  },
  "whereis/1": (p, name) => {
    const t = name instanceof Atom ? registry(p).byName.get(name) : undefined;
    return t === undefined ? A.undefined : t.id instanceof Ref ? t.id : t.name;
  },
  "all/0": (p) => {
    const r = registry(p);
    return listFromArray(
      [...r.byRef.values()]
        .map((t) => t.id)
        .concat([...r.byName.values()].filter((t) => !(t.id instanceof Ref)).map((t) => t.id)),
    );
  },
  "rename/2": (p, tab, name) => {
    const t = table(p, tab);
    if (!(name instanceof Atom)) return badarg();
    const r = registry(p);
    if (t.named) {
      if (r.byName.has(name)) return badarg();
      if (t.name instanceof Atom) r.byName.delete(t.name);
      r.byName.set(name, t);
    }
    t.name = name;
    return name;
  },
});
