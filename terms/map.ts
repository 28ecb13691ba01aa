/**
 * Erlang maps: immutable, keys compared exactly (`1` and `1.0` are distinct).
 *
 * Stored as two parallel arrays sorted in map key order (`compareExact`:
 * integers before floats), like BEAM's flatmap for small maps. Lookups are a
 * binary search; updates copy (maps are values). BEAM switches to a hash trie
 * above 32 keys; map-order.ts computes that trie's iteration order when OTP's
 * order is observable (`maps:keys`, `term_to_binary`, printing).
 */
import { Atom } from "./atom.ts";
import { compareExact } from "./compare.ts";
import { MapStorage, type Term } from "./term.ts";

export class MapTerm extends MapStorage {
  /** Index of `key`, or `-(insertion point) - 1` when absent. */
  indexOf(key: Term): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    // Identity check first: atom keys (the common case) hit without comparing.
    // Two distinct atoms (interned) or small integers never compare equal,
    // and order by name or value without the general comparison.
    const atomKey = key instanceof Atom;
    const intKey = typeof key === "number";
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k === key) return mid;
      const c =
        atomKey && k instanceof Atom
          ? k.name < (key as Atom).name
            ? -1
            : 1
          : intKey && typeof k === "number"
            ? k < key
              ? -1
              : 1
            : compareExact(k, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  get(key: Term): Term | undefined {
    const i = this.indexOf(key);
    return i >= 0 ? this.values[i] : undefined;
  }

  has(key: Term): boolean {
    return this.indexOf(key) >= 0;
  }

  /** A map with `key` set to `value` (`M#{K => V}`). */
  put(key: Term, value: Term): MapTerm {
    const i = this.indexOf(key);
    if (i >= 0) {
      if (this.values[i] === value) return this;
      const vs = this.values.slice();
      vs[i] = value;
      return new MapTerm(this.keys, vs);
    }
    // Copied by hand: slice + splice copy twice and are slow in cold code.
    const at = -i - 1;
    const { keys, values } = this;
    const n = keys.length;
    const ks: Term[] = new Array(n + 1);
    const vs: Term[] = new Array(n + 1);
    for (let j = 0; j < at; j++) {
      ks[j] = keys[j]!;
      vs[j] = values[j]!;
    }
    ks[at] = key;
    vs[at] = value;
    for (let j = at; j < n; j++) {
      ks[j + 1] = keys[j]!;
      vs[j + 1] = values[j]!;
    }
    return new MapTerm(ks, vs);
  }

  /** `M#{K := V}`: undefined when the key is absent. */
  update(key: Term, value: Term): MapTerm | undefined {
    const i = this.indexOf(key);
    if (i < 0) return undefined;
    const vs = this.values.slice();
    vs[i] = value;
    return new MapTerm(this.keys, vs);
  }

  remove(key: Term): MapTerm {
    const i = this.indexOf(key);
    if (i < 0) return this;
    const { keys, values } = this;
    const n = keys.length - 1;
    // Copied by hand: slice + splice copy twice and are slow in cold code.
    const ks: Term[] = new Array(n);
    const vs: Term[] = new Array(n);
    for (let j = 0; j < i; j++) {
      ks[j] = keys[j]!;
      vs[j] = values[j]!;
    }
    for (let j = i; j < n; j++) {
      ks[j] = keys[j + 1]!;
      vs[j] = values[j + 1]!;
    }
    return new MapTerm(ks, vs);
  }

  /** Applies many puts at once: one sort instead of one copy per key. */
  putMany(pairs: readonly (readonly [Term, Term])[]): MapTerm {
    if (pairs.length === 0) return this;
    if (pairs.length === 1) return this.put(pairs[0]![0], pairs[0]![1]);
    const all: [Term, Term][] = [];
    for (let i = 0; i < this.keys.length; i++) all.push([this.keys[i]!, this.values[i]!]);
    for (const p of pairs) all.push([p[0], p[1]]);
    return mapFromPairs(all);
  }
}

export const EMPTY_MAP = new MapTerm([], []);

/** Builds a map from pairs; on duplicate keys the last one wins (as `maps:from_list`). */
export function mapFromPairs(pairs: [Term, Term][]): MapTerm {
  // Stable sort keeps insertion order among duplicates, so the last wins below.
  const sorted = pairs
    .map((p, i) => [p[0], p[1], i] as const)
    .sort((x, y) => compareExact(x[0], y[0]) || x[2] - y[2]);
  const ks: Term[] = [];
  const vs: Term[] = [];
  for (const [k, v] of sorted) {
    const n = ks.length;
    if (n > 0 && compareExact(ks[n - 1]!, k) === 0) vs[n - 1] = v;
    else {
      ks.push(k);
      vs.push(v);
    }
  }
  return new MapTerm(ks, vs);
}
