/**
 * The order in which OTP 25 walks a map's pairs.
 *
 * Up to 32 keys BEAM stores a map as a "flatmap" sorted by key (our storage
 * order). Above 32 it is a hash trie (HAMT) keyed by ERTS' *internal* term
 * hash, 4 bits per level, low nibble first. `maps:to_list/keys/values` and
 * `term_to_binary` emit leaves in descending slot order; `maps:iterator`,
 * `maps:fold` and io_lib's printing walk ascending (the exact reverse).
 *
 * The internal hash mixes raw machine words for immediates. Small integers,
 * `[]`, floats, binaries, bignums, strings, lists and tuples of those hash
 * exactly as on a 64-bit OTP 25 node, so large maps with such keys (e.g.
 * Gleam dicts keyed by strings or ints) iterate in OTP's order. Atom words
 * depend on a node's atom-table index and pid/port words on its process
 * table, so keys containing atoms, pids, ports or export funs get a
 * deterministic order of our own that differs from OTP's.
 */
import { Atom } from "./atom.ts";
import { BitString } from "./binary.ts";
import { HC, hash1, hash2, hashBigDigits, hashBitString } from "./hash-core.ts";
import { MapTerm } from "./map.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "./term.ts";

/** Largest map BEAM keeps as a sorted flatmap. */
export const FLATMAP_LIMIT = 32;

/** ERTS starts the internal hash from this prime so it never equals phash2. */
const INTERNAL_SALT = 3432918353;
const TWO32 = 0x100000000;
/** Small integers are immediates in -2^59..2^59-1 on 64-bit BEAM. */
const SMALL_MIN = -(2n ** 59n);
const SMALL_MAX = 2n ** 59n - 1n;

class CdrMark {}
const CDR = new CdrMark();

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Mixes a 64-bit immediate word given as low/high halves. */
const word = (lo: number, hi: number, h: number): number => hash2(lo >>> 0, hi >>> 0, HC[1]!, h);

/** The tagged word of a small integer: `(x << 4) | 0xF`, two's complement. */
function smallWord(x: number, h: number): number {
  // x * 16 + 15 is exact for |x| < 2^53 / 16; beyond that go through BigInt.
  if (Math.abs(x) < 2 ** 48) {
    const w = x * 16 + 15;
    const hi = Math.floor(w / TWO32);
    return word(w - hi * TWO32, hi, h);
  }
  return bigWord(BigInt(x), h);
}
function bigWord(x: bigint, h: number): number {
  const w = BigInt.asUintN(64, (x << 4n) | 0xfn);
  return word(Number(w & 0xffffffffn), Number(w >> 32n), h);
}

/** Low word of an atom's tagged term: `(index << 6) | 0xB` (node-specific index). */
const atomWordLo = (a: Atom): number => ((a.index * 64) % TWO32) + 0xb;
const atomWordHi = (a: Atom): number => Math.floor((a.index * 64) / TWO32);

/** ERTS `make_internal_hash(Term, Salt)` as computed on a 64-bit OTP 25 node. */
export function internalHash(root: Term, salt = 0): number {
  let h = (salt ^ INTERNAL_SALT) >>> 0;
  const stack: (Term | CdrMark)[] = [];
  let t: Term | CdrMark = root;
  for (;;) {
    if (typeof t === "number") {
      h = smallWord(t, h);
    } else if (typeof t === "bigint") {
      h = t >= SMALL_MIN && t <= SMALL_MAX ? bigWord(t, h) : hashBigDigits(t, h);
    } else if (t instanceof Atom) {
      h = word(atomWordLo(t), atomWordHi(t), h);
    } else if (t === NIL) {
      h = word(0x3b, 0, h);
    } else if (t instanceof Cons) {
      let c = 0;
      let sh = 0;
      let cell: Cons = t;
      let rest: Term = t;
      for (;;) {
        const hd = cell.head;
        if (typeof hd !== "number" || hd < 0 || hd > 255) break;
        sh = ((sh << 8) + hd) >>> 0;
        if (c === 3) {
          h = hash1(sh, HC[4]!, h);
          c = sh = 0;
        } else c++;
        rest = cell.tail;
        if (!(rest instanceof Cons)) break;
        cell = rest;
      }
      if (c > 0) h = hash2(sh, c, HC[22]!, h);
      if (rest instanceof Cons) {
        h = constHash(HC[17]!, h);
        stack.push(cell.tail);
        if (!(cell.tail instanceof Cons)) stack.push(CDR);
        t = cell.head;
      } else t = rest;
      continue;
    } else if (Array.isArray(t)) {
      h = hash1(t.length, HC[9]!, h);
      if (t.length > 0) {
        for (let i = t.length - 1; i > 0; i--) stack.push(t[i]!);
        t = t[0]!;
        continue;
      }
    } else if (t instanceof Float) {
      f64[0] = t.value === 0 ? 0 : t.value;
      h = hash2(LITTLE ? u32[0]! : u32[1]!, LITTLE ? u32[1]! : u32[0]!, HC[12]!, h);
    } else if (t instanceof BitString) {
      h = hashBitString(t, h);
    } else if (t instanceof MapTerm) {
      h = hash1(t.size, HC[16]!, h);
      const order = mapListOrder(t);
      for (let i = order.length - 1; i >= 0; i--) {
        stack.push(t.values[order[i]!]!);
        stack.push(t.keys[order[i]!]!);
      }
    } else if (t instanceof Ref) {
      const w = t.words.length >= 3 ? t.words : refWords(t.id);
      h = hash1(w[0]!, HC[7]!, h);
      h = hash2(w[1]!, w[2]!, HC[8]!, h);
    } else if (t instanceof Pid) {
      // Not OTP's word (node-specific); deterministic stand-in.
      h = word(t.id * 16 + 3, t.serial, h);
    } else if (t instanceof Port) {
      h = word(Number(t.id & 0xfffffffn) * 16 + 7, Number(t.id >> 28n) >>> 0, h);
    } else if (t instanceof ExportFun) {
      // OTP hashes the export entry's address; use its name instead.
      h = hash2(atomWordLo(t.module), atomWordLo(t.name), HC[14]!, h);
      h = hash1(t.arity, HC[14]!, h);
    } else if (t instanceof Fun) {
      h = hash2(t.env.length, atomWordLo(t.module), HC[20]!, h);
      h = hash2(t.index, t.uniq >>> 0, HC[21]!, h);
      if (t.env.length > 0) {
        for (let i = t.env.length - 1; i > 0; i--) stack.push(t.env[i]!);
        t = t.env[0]!;
        continue;
      }
    }
    for (;;) {
      const next = stack.pop();
      if (next === undefined) return h;
      if (next === CDR) h = constHash(HC[18]!, h);
      else {
        t = next;
        break;
      }
    }
  }
}

function constHash(k: number, h: number): number {
  h = (h ^ k) >>> 0;
  return ((h << 17) | (h >>> 15)) >>> 0;
}

function refWords(id: bigint): number[] {
  return [
    Number(id & 0x3ffffn),
    Number((id >> 18n) & 0xffffffffn),
    Number((id >> 50n) & 0xffffffffn),
  ];
}

/** The 32 bits that place `key` at trie levels 8*depth .. 8*depth+7. */
function levelHash(key: Term, depth: number): number {
  // ERTS rehashes a colliding key as the cons [Depth | Key].
  return depth === 0 ? internalHash(key) : internalHash(new Cons(depth, key));
}

/** The hash with its nibbles reversed, so numeric order is trie slot order. */
function slotOrder(h: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    r = r * 16 + (h & 15);
    h >>>= 4;
  }
  return r;
}

const cache = new WeakMap<MapTerm, Int32Array>();

/**
 * Indexes into `m.keys`/`m.values` in `maps:iterator` order (ascending trie
 * slots for large maps, key order for small ones).
 */
export function mapIteratorOrder(m: MapTerm): ArrayLike<number> {
  const n = m.size;
  if (n <= FLATMAP_LIMIT) return identity(n);
  let order = cache.get(m);
  if (order !== undefined) return order;
  const slots = new Float64Array(n);
  for (let i = 0; i < n; i++) slots[i] = slotOrder(levelHash(m.keys[i]!, 0));
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => slots[a]! - slots[b]! || deepCompare(m.keys[a]!, m.keys[b]!));
  order = Int32Array.from(idx);
  cache.set(m, order);
  return order;
}

/** Tie-break for full 32-bit collisions: compare deeper levels until they differ. */
function deepCompare(a: Term, b: Term): number {
  for (let depth = 1; depth < 64; depth++) {
    const d = slotOrder(levelHash(a, depth)) - slotOrder(levelHash(b, depth));
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Indexes into `m.keys`/`m.values` in `maps:to_list`/`maps:keys`/`term_to_binary`
 * order: key order for small maps, descending trie slots for large ones.
 */
export function mapListOrder(m: MapTerm): ArrayLike<number> {
  const n = m.size;
  if (n <= FLATMAP_LIMIT) return identity(n);
  const it = mapIteratorOrder(m);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = it[n - 1 - i]!;
  return out;
}

let identityCache = new Int32Array(0);
function identity(n: number): Int32Array {
  if (identityCache.length < n) {
    identityCache = new Int32Array(Math.max(n, FLATMAP_LIMIT));
    for (let i = 0; i < identityCache.length; i++) identityCache[i] = i;
  }
  return identityCache.subarray(0, n);
}

/** `maps:iterator`/`maps:next` order; the name the VM's maps natives were written against. */
export const mapIterationOrder: (m: MapTerm) => ArrayLike<number> = mapIteratorOrder;
