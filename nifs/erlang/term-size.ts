/**
 * `erts_debug:flat_size/1` and `erts_debug:size/1`: a term's size in words
 * as 64-bit BEAM (OTP 25) lays it out. Immediates (small integers in
 * -2^59..2^59-1, atoms, [], local pids and ports) cost nothing beyond the
 * word that holds them; a cons is 2 words, a tuple 1 + arity (the empty
 * tuple is a shared constant: 0), a float 2, a bignum 1 + its 64-bit digits,
 * a reference 3, a binary of up to 64 bytes 2 + its bytes in words and a
 * larger one a 6-word reference to off-heap data, a bitstring 5 more (the
 * sub-binary over its bytes), the result of an append always the off-heap
 * form (6, or 11 with trailing bits), a fun 5 + its free variables (an export fun 5),
 * a map of up to 32 keys 3 + one word per value + a keys tuple, and a larger
 * map a hash trie laid out from ERTS' internal hash of its keys (see
 * terms/map-order.ts): a 16-slot head 18 words or a bitmap head 2 + slots,
 * inner nodes 17 or 1 + slots, and a 2-word cons per key-value pair.
 *
 * `size/1` counts a subterm once however often it is referenced when it is
 * the same object in our heap (BEAM shares exactly what its heap shares;
 * here that is the same JS object, so terms BEAM would have copied, e.g.
 * across a message send, may count as shared here). Bignums are JS
 * primitives without identity and are never counted as shared.
 */
import { Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { internalHash } from "../../terms/map-order.ts";
import {
  Cons,
  ExportFun,
  Float,
  Fun,
  MapStorage,
  NIL,
  Pid,
  Port,
  Ref,
  type Term,
} from "../../terms/term.ts";

const SMALL_MIN = -(2n ** 59n);
const SMALL_MAX = 2n ** 59n - 1n;
/** Largest binary BEAM keeps on the process heap. */
const HEAP_BINARY_MAX = 64;
const FLATMAP_MAX = 32;
/** A reference to an off-heap binary (BEAM's ProcBin). */
const PROC_BIN = 6;
/** What a bitstring with trailing bits adds: the sub-binary over its bytes. */
const SUB_BIN = 5;

/** Words of an integer: 0 when small, else a header and its 64-bit digits. */
function intWords(n: number | bigint): number {
  const b = BigInt(n);
  if (b >= SMALL_MIN && b <= SMALL_MAX) return 0;
  const mag = b < 0n ? -b : b;
  return 1 + Math.ceil(mag.toString(2).length / 64);
}

function binaryWords(byteCount: number): number {
  return byteCount <= HEAP_BINARY_MAX ? 2 + Math.ceil(byteCount / 8) : PROC_BIN;
}

/**
 * Words of a bitstring's own cells. An append (`<<Acc/binary, ...>>`, a
 * binary comprehension) builds into a writable off-heap binary on BEAM
 * whatever its size; here those are the bitstrings that carry a growable
 * buffer (terms/binary.ts, appendGrow).
 */
function bitStringWords(b: BitString): number {
  if (b.grow !== null) return (b.size & 7) === 0 ? PROC_BIN : SUB_BIN + PROC_BIN;
  if ((b.size & 7) === 0) return binaryWords(b.size >>> 3);
  return SUB_BIN + binaryWords(Math.ceil(b.size / 8));
}

/** The 4-bit trie slot of `key` at trie level `level` (rehashed every 8 levels). */
function slotAt(key: Term, level: number): number {
  const depth = Math.floor(level / 8);
  const h = depth === 0 ? internalHash(key) : internalHash(new Cons(depth, key));
  return (h >>> (4 * (level % 8))) & 15;
}

/** Words of the trie nodes (not the pairs) holding `keys` from trie level `level`. */
function trieNodeWords(keys: readonly Term[], level: number, head: boolean): number {
  const groups = new Map<number, Term[]>();
  for (const k of keys) {
    const s = slotAt(k, level);
    const g = groups.get(s);
    if (g) g.push(k);
    else groups.set(s, [k]);
  }
  const full = groups.size === 16;
  let words = head ? (full ? 18 : 2 + groups.size) : full ? 17 : 1 + groups.size;
  // 64 levels exhaust eight rehashes: keys still together are a collision list.
  for (const g of groups.values())
    if (g.length > 1) words += level < 63 ? trieNodeWords(g, level + 1, false) : 1 + g.length;
  return words;
}

/** Words of a map's own structure, without its keys' and values' contents. */
function mapWords(m: MapStorage): number {
  if (m.size <= FLATMAP_MAX) return 3 + m.size + (m.size === 0 ? 0 : 1 + m.size);
  return trieNodeWords(m.keys, 0, true) + 2 * m.size;
}

/**
 * Words of `root` as BEAM would count them; with `shared`, an object
 * reached twice counts once (erts_debug:size/1), else every path counts
 * (erts_debug:flat_size/1). Iterative: no depth limit.
 */
export function termWords(root: Term, shared: boolean): number {
  let words = 0;
  const seen = shared ? new Set<object>() : null;
  const todo: Term[] = [root];
  // Flatmaps whose keys array is shared count their keys tuple once.
  const seenKeys = shared ? new Set<object>() : null;
  while (todo.length > 0) {
    const t = todo.pop()!;
    if (typeof t === "number" || typeof t === "bigint") {
      words += intWords(t);
      continue;
    }
    if (t === NIL || t instanceof Atom) continue;
    if (seen !== null) {
      if (seen.has(t)) continue;
      seen.add(t);
    }
    if (t instanceof Cons) {
      words += 2;
      todo.push(t.tail, t.head);
    } else if (Array.isArray(t)) {
      if (t.length > 0) words += 1 + t.length;
      for (let i = t.length - 1; i >= 0; i--) todo.push(t[i]!);
    } else if (t instanceof Float) {
      words += 2;
    } else if (t instanceof BitString) {
      words += bitStringWords(t);
    } else if (t instanceof MapStorage) {
      let w = mapWords(t);
      if (seenKeys !== null && t.size > 0 && t.size <= FLATMAP_MAX) {
        if (seenKeys.has(t.keys)) w -= 1 + t.size;
        else seenKeys.add(t.keys);
      }
      words += w;
      for (let i = 0; i < t.size; i++) todo.push(t.values[i]!, t.keys[i]!);
    } else if (t instanceof Fun) {
      words += 5 + t.env.length;
      for (const v of t.env) todo.push(v);
    } else if (t instanceof ExportFun) {
      words += 5;
    } else if (t instanceof Ref) {
      words += 3;
    } else if (t instanceof Pid || t instanceof Port) {
      // Local pids and ports are immediates; a remote one is a 4-word external thing.
      if (t.node !== null) words += 4;
    }
  }
  return words;
}
