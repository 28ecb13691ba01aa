/**
 * `proplists`: property lists, where an atom `A` stands for `{A, true}`
 * and the first entry for a key wins. All first-order, so all natives.
 * Keys compare exactly (OTP matches with `=:=` patterns).
 */

import { A, Atom } from "../../terms/atom.ts";
import { compare, exactEq } from "../../terms/compare.ts";
import { listFromArray } from "../../terms/list.ts";
import { MapTerm, mapFromPairs } from "../../terms/map.ts";
import { mapIterationOrder } from "../../terms/map-order.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { at, fclause, listArg, raise } from "./util.ts";

const arr = (t: Term): Term[] => listArg(t, fclause);
const mk = (xs: Term[]): Term => listFromArray(xs);

/** The key of an entry, or undefined for entries that are not properties. */
function keyOf(e: Term): Term | undefined {
  if (e instanceof Atom) return e;
  if (Array.isArray(e) && e.length >= 1) return e[0];
  return undefined;
}

const is = (e: Term, k: Term) => {
  const key = keyOf(e);
  return key !== undefined && exactEq(key, k);
};

/** `{K, V}` gives V, an atom gives true; other tuples have no value. */
function propValue(e: Term): Term | undefined {
  if (e instanceof Atom) return A.true;
  const t = e as Term[];
  return t.length === 2 ? t[1]! : undefined;
}

const values = (k: Term, l: Term): Term[] =>
  arr(l)
    .filter((e) => is(e, k))
    .map(propValue)
    .filter((v): v is Term => v !== undefined);

function lookup(k: Term, l: Term): Term | undefined {
  return arr(l).find((e) => is(e, k));
}

function property(e: Term): Term {
  if (Array.isArray(e) && e.length === 2 && e[1] === A.true && e[0] instanceof Atom) return e[0];
  return e;
}

/** A list comprehension's input: `{bad_generator, T}` when not a list. */
function generator(t: Term): Term[] {
  return listArg(t, () => raise([at("bad_generator"), t]));
}

/** `substitute_aliases/2`: `{K, V}` for `{K2, K}` in the aliases becomes `{K2, V}`. */
function substituteAliases(as: Term, l: Term): Term[] {
  const aliases = arr(as).map((a) => (Array.isArray(a) && a.length === 2 ? a : fclause()));
  return arr(l).map((e) => {
    const k = keyOf(e);
    const hit = aliases.find((a) => k !== undefined && exactEq(a[0]!, k));
    if (hit === undefined) return e;
    if (e instanceof Atom) return hit[1]!;
    const t = (e as Term[]).slice();
    t[0] = hit[1]!;
    return property(t);
  });
}

/**
 * `substitute_negations/2`: for `{K, K2}` in the negations, `K` and
 * `{K, true}` become `{K2, false}`, any other entry of key K becomes `K2`.
 */
function substituteNegations(ns: Term, l: Term): Term[] {
  const negs = arr(ns).map((n) => (Array.isArray(n) && n.length === 2 ? n : fclause()));
  return generator(l).map((e) => {
    const k = keyOf(e);
    const hit = negs.find((n) => k !== undefined && exactEq(n[0]!, k));
    if (hit === undefined) return e;
    const isTrue = e instanceof Atom || ((e as Term[]).length === 2 && (e as Term[])[1] === A.true);
    return isTrue ? [hit[1]!, A.false] : hit[1]!;
  });
}

/**
 * `expand/2`, expansion by expansion: the first entry with the property's
 * key, when it is the same property, is replaced by the expansion's terms
 * and the later entries of that key are dropped (otherwise it is only
 * compacted). Inserted terms are never matched again. Entries that are lists
 * are spliced into the result, as OTP does.
 */
function expand(es: Term, l: Term): Term[] {
  let items = arr(l).map((term) => ({ term, inserted: false }));
  for (const e of generator(es)) {
    if (!Array.isArray(e) || e.length !== 2) continue;
    const [prop, exp] = e as [Term, Term];
    const k = prop instanceof Atom || Array.isArray(prop) ? keyOf(prop) : undefined;
    if (k === undefined) continue;
    const i = items.findIndex((it) => !it.inserted && is(it.term, k));
    if (i < 0) continue;
    const first = items[i]!.term;
    if (!exactEq(property(first), property(prop))) {
      items[i] = { term: property(first), inserted: false };
      continue;
    }
    const add = (exp instanceof Cons || exp === NIL ? listArg(exp) : [exp]).map((term) => ({
      term,
      inserted: true,
    }));
    const after = items.slice(i + 1).filter((it) => it.inserted || !is(it.term, k));
    items = [...items.slice(0, i), ...add, ...after];
  }
  return items.flatMap(({ term, inserted }) =>
    !inserted && (term instanceof Cons || term === NIL) ? listArg(term) : [term],
  );
}

/** `normalize/2`: the stages in order, then `compact`. */
function normalize(l: Term, stages: Term): Term[] {
  let xs = l;
  for (const st of listArg(stages, fclause)) {
    if (!Array.isArray(st) || st.length !== 2 || !(st[0] instanceof Atom)) return fclause();
    const [kind, arg] = st as [Atom, Term];
    if (!(arg instanceof Cons) && arg !== NIL) return fclause();
    if (kind.name === "aliases") xs = mk(substituteAliases(arg, xs));
    else if (kind.name === "negations") xs = mk(substituteNegations(arg, xs));
    else if (kind.name === "expand") xs = mk(expand(arg, xs));
    else return fclause();
  }
  return arr(xs).map(property);
}

function toMap(l: Term): Term {
  // The first entry of a key wins, so feed pairs last-first to mapFromPairs.
  const pairs: [Term, Term][] = [];
  for (const e of arr(l)) {
    if (e instanceof Atom) pairs.push([e, A.true]);
    else if (Array.isArray(e) && e.length === 2) pairs.push([e[0]!, e[1]!]);
  }
  return mapFromPairs(pairs.reverse());
}

export const proplistsNatives: NativeModule = defineNatives("proplists", {
  "get_value/2": (_p, k, l) => {
    const e = lookup(k, l);
    return (e === undefined ? undefined : propValue(e)) ?? A.undefined;
  },
  "get_value/3": (_p, k, l, d) => {
    const e = lookup(k, l);
    return (e === undefined ? undefined : propValue(e)) ?? d;
  },
  "get_all_values/2": (_p, k, l) => mk(values(k, l)),
  "append_values/2": (_p, k, l) =>
    mk(values(k, l).flatMap((v) => (v instanceof Cons || v === NIL ? arr(v) : [v]))),
  "lookup/2": (_p, k, l) => {
    const e = lookup(k, l);
    if (e === undefined) return at("none");
    return e instanceof Atom ? [e, A.true] : e;
  },
  "lookup_all/2": (_p, k, l) =>
    mk(
      arr(l)
        .filter((e) => is(e, k))
        .map((e) => (e instanceof Atom ? [e, A.true] : e)),
    ),
  "is_defined/2": (_p, k, l) => (lookup(k, l) === undefined ? A.false : A.true),
  "get_bool/2": (_p, k, l) => {
    const e = lookup(k, l);
    return e !== undefined && propValue(e) === A.true ? A.true : A.false;
  },
  "get_keys/1": (_p, l) => {
    const keys: Term[] = [];
    for (const e of arr(l)) {
      const k = keyOf(e);
      if (k !== undefined && !keys.some((x) => exactEq(x, k))) keys.push(k);
    }
    return mk(keys.sort(compare));
  },
  "delete/2": (_p, k, l) => mk(arr(l).filter((e) => !is(e, k))),
  "compact/1": (_p, l) => mk(arr(l).map(property)),
  "property/1": (_p, e) => property(e),
  "property/2": (_p, k, v) => property([k, v]),
  "unfold/1": (_p, l) => mk(arr(l).map((e) => (e instanceof Atom ? [e, A.true] : e))),
  "from_map/1": (_p, m) => {
    if (!(m instanceof MapTerm)) return fclause();
    return mk(Array.from(mapIterationOrder(m), (i) => [m.keys[i]!, m.values[i]!]));
  },
  "to_map/1": (_p, l) => toMap(l),
  "to_map/2": (_p, l, st) => toMap(mk(normalize(l, st))),
  "split/2": (_p, l, ks) => {
    const keys = arr(ks);
    const groups: Term[][] = keys.map(() => []);
    const rest: Term[] = [];
    for (const e of arr(l)) {
      const i = keys.findIndex((k) => is(e, k));
      if (i >= 0) groups[i]!.push(e);
      else rest.push(e);
    }
    return [mk(groups.map(mk)), mk(rest)];
  },
  "substitute_aliases/2": (_p, as, l) => mk(substituteAliases(as, l)),
  "substitute_negations/2": (_p, ns, l) => mk(substituteNegations(ns, l)),
  "expand/2": (_p, es, l) => mk(expand(es, l)),
  "normalize/2": (_p, l, st) => mk(normalize(l, st)),
});
