/**
 * Constant-key map instructions with a one-entry inline cache on the map's
 * key array. Maps are stored as sorted key and value arrays (terms/map.ts),
 * and maps built by the same instruction share one key array, so a program
 * that makes many maps of one shape (records as maps: `#{id => I, name =>
 * N}`, then `#{id := Id} = M`, `M#{score := S}`) keeps meeting the same
 * array: the positions of the instruction's keys in it are found once and
 * reused, making a lookup or an update an index instead of a search.
 */
import { compareExact } from "../../../terms/compare.ts";
import { MapTerm } from "../../../terms/map.ts";
import type { Term } from "../../../terms/term.ts";

/** Positions of a fixed list of keys in the last key array seen. */
export class KeyIndexCache {
  private keysSeen: readonly Term[] | null = null;
  private at: Int32Array;

  constructor(private readonly wanted: readonly Term[]) {
    this.at = new Int32Array(wanted.length);
  }

  /**
   * Positions of the wanted keys in `m` (index i for wanted key i), or null
   * when one is missing. Valid until the next call.
   */
  positions(m: MapTerm): Int32Array | null {
    if (m.keys === this.keysSeen) return this.at;
    this.keysSeen = null;
    const at = this.at;
    for (let i = 0; i < this.wanted.length; i++) {
      const j = m.indexOf(this.wanted[i]!);
      if (j < 0) return null;
      at[i] = j;
    }
    this.keysSeen = m.keys;
    return at;
  }
}

/**
 * The keys of a constant-key `put_map_assoc` into an empty map, in map key
 * order, with the permutation from instruction order: building such a map
 * is then one array of values, sharing the key array with every other map
 * the instruction builds. Null if two keys are the same.
 */
export function emptyMapShape(keys: readonly Term[]): { keys: Term[]; order: number[] } | null {
  const order = keys.map((_, i) => i).sort((a, b) => compareExact(keys[a]!, keys[b]!));
  for (let i = 1; i < order.length; i++)
    if (compareExact(keys[order[i - 1]!]!, keys[order[i]!]!) === 0) return null;
  return { keys: order.map((i) => keys[i]!), order };
}

/** `m` with the values at `at` replaced (keys unchanged, key array shared). */
export function withValuesAt(m: MapTerm, at: Int32Array, vals: readonly Term[]): MapTerm {
  const vs = m.values.slice();
  for (let i = 0; i < at.length; i++) vs[at[i]!] = vals[i]!;
  return new MapTerm(m.keys, vs);
}
