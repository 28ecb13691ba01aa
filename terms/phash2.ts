/**
 * `erlang:phash2/1,2`: the portable term hash, bit-for-bit as ERTS computes it
 * (`make_hash2`), so sharding keys chosen by user code agree with real BEAM.
 *
 * Walks the term with an explicit stack (no recursion) in the same visiting
 * order as ERTS, because the hash is order-sensitive except inside maps,
 * whose key/value pairs are hashed independently and xor-ed together.
 */
import { Atom } from "./atom.ts";
import { BitString } from "./binary.ts";
import { atomTextHash, HC, hash1, hash2, hashBigDigits, hashBitString } from "./hash-core.ts";
import { MapTerm } from "./map.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "./term.ts";

/** Hash of `[]` when it is the first thing hashed (an ERTS constant). */
const NIL_FIRST = 3468870702;
/** ERTS' type code for `[]`, mixed in when `[]` is not first. */
const NIL_DEF = 2;

/** Marks the end of a map: restores the enclosing hash and pair accumulator. */
class MapTail {
  constructor(
    readonly hash: number,
    readonly xorPairs: number,
  ) {}
}
/** Marks the end of one key/value pair. */
const PAIR = new (class Pair {})();

type Item = Term | MapTail | typeof PAIR;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The full 32-bit `make_hash2` value of a term. */
export function makeHash2(root: Term): number {
  const stack: Item[] = [];
  let h = 0;
  let xorPairs = 0;
  let t: Item = root;
  for (;;) {
    // Hash `t`; compound terms either continue with a child (`continue`) or fall
    // through to popping the next pending item.
    if (typeof t === "number") {
      if (t >= -0x8000000 && t < 0x8000000) {
        if (t < 0) h = hash1(-t, HC[1]!, h);
        h = hash1(t >>> 0, HC[1]!, h);
      } else h = hashBigDigits(t, h);
    } else if (typeof t === "bigint") {
      h = hashBigDigits(t, h);
    } else if (t instanceof Atom) {
      const a = atomTextHash(t.name);
      h = h === 0 ? a : hash1(a, HC[3]!, h);
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
      if (c > 0) h = hash1(sh, HC[4]!, h);
      if (rest instanceof Cons) {
        stack.push(cell.tail);
        t = cell.head;
      } else t = rest;
      continue;
    } else if (t === NIL) {
      h = h === 0 ? NIL_FIRST : hash1(NIL_DEF, HC[2]!, h);
    } else if (Array.isArray(t)) {
      h = hash1(t.length, HC[9]!, h);
      if (t.length > 0) {
        for (let i = t.length - 1; i > 0; i--) stack.push(t[i]!);
        t = t[0]!;
        continue;
      }
    } else if (t instanceof Float) {
      f64[0] = t.value === 0 ? 0 : t.value;
      const hi = LITTLE ? u32[1]! : u32[0]!;
      const lo = LITTLE ? u32[0]! : u32[1]!;
      h = hash2(hi, lo, HC[12]!, h);
    } else if (t instanceof BitString) {
      h = hashBitString(t, h);
    } else if (t instanceof MapTerm) {
      h = hash1(t.size, HC[16]!, h);
      if (t.size > 0) {
        stack.push(new MapTail(h, xorPairs));
        h = 0;
        xorPairs = 0;
        for (let i = t.size - 1; i >= 0; i--) {
          stack.push(PAIR);
          stack.push(t.values[i]!);
          stack.push(t.keys[i]!);
        }
      }
    } else if (t instanceof Pid) {
      h = hash1(t.id, HC[5]!, h);
    } else if (t instanceof Port) {
      h = hash2(Number(t.id & 0xffffffffn), Number((t.id >> 32n) & 0xffffffffn), HC[6]!, h);
    } else if (t instanceof Ref) {
      const w0 = t.words.length > 0 ? t.words[0]! : Number(t.id & 0x3ffffn);
      h = hash1(w0, HC[7]!, h);
    } else if (t instanceof ExportFun) {
      h = hash2(t.arity, atomTextHash(t.module.name), HC[1]!, h);
      h = hash1(atomTextHash(t.name.name), HC[14]!, h);
    } else if (t instanceof Fun) {
      h = hash2(t.env.length, atomTextHash(t.module.name), HC[1]!, h);
      h = hash2(t.index, t.uniq >>> 0, HC[1]!, h);
      if (t.env.length > 0) {
        for (let i = t.env.length - 1; i > 0; i--) stack.push(t.env[i]!);
        t = t.env[0]!;
        continue;
      }
    }
    // Pop the next pending item, applying map bookkeeping markers.
    for (;;) {
      const next = stack.pop();
      if (next === undefined) return h;
      if (next === PAIR) {
        xorPairs = (xorPairs ^ h) >>> 0;
        h = 0;
      } else if (next instanceof MapTail) {
        h = hash1(xorPairs, HC[19]!, next.hash);
        xorPairs = next.xorPairs;
      } else {
        t = next;
        break;
      }
    }
  }
}

/** `erlang:phash2(Term)`: a hash in 0..2^27-1. */
export function phash2(t: Term): number {
  return makeHash2(t) & 0x7ffffff;
}

/** `erlang:phash2(Term, Range)` for 1 <= range <= 2^32: a hash in 0..range-1. */
export function phash2Range(t: Term, range: number): number {
  return makeHash2(t) % range;
}
