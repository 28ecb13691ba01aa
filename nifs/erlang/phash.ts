/**
 * `erlang:phash/2`: OTP's older portable hash (deprecated, still used by old
 * code and some libraries). A multiplicative hash: each piece of data is
 * added after multiplying the running hash by a prime chosen per type; bytes
 * of integers are fed least significant first. Maps use the `phash2` hash.
 * Arithmetic is modulo 2^32.
 */
import { Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { atomTextHash } from "../../terms/hash-core.ts";
import { MapTerm } from "../../terms/map.ts";
import { makeHash2 } from "../../terms/phash2.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "../../terms/term.ts";

const P1 = 268440163;
const P2 = 268439161;
const P3 = 268435459;
const P4 = 268436141;
const P5 = 268438633;
const P6 = 268437017;
const P8 = 268437511;
const P9 = 268439627;
const P10 = 268440479;
const P11 = 268440577;
const P12 = 268440581;
const P13 = 268440593;
const P14 = 268440611;

/** `hash * p + x` modulo 2^32. */
const step = (hash: number, p: number, x: number): number => (Math.imul(hash, p) + x) | 0;

/** The four bytes of a 32-bit word, least significant first. */
function word(hash: number, x: number, p: number): number {
  hash = step(hash, p, x & 0xff);
  hash = step(hash, p, (x >>> 8) & 0xff);
  hash = step(hash, p, (x >>> 16) & 0xff);
  return step(hash, p, x >>> 24);
}

/** OTP's smalls are 60-bit; larger integers are bignums with 64-bit digits. Both hash alike. */
function hashInteger(v: bigint, hash: number): number {
  const neg = v < 0n;
  let m = neg ? -v : v;
  // Every digit but the last contributes eight bytes; the last one four when its top half is zero.
  while (m > 0xffffffffffffffffn) {
    const d = m & 0xffffffffffffffffn;
    hash = word(hash, Number(d & 0xffffffffn), P2);
    hash = word(hash, Number(d >> 32n), P2);
    m >>= 64n;
  }
  hash = word(hash, Number(m & 0xffffffffn), P2);
  if (m > 0xffffffffn) hash = word(hash, Number(m >> 32n), P2);
  return Math.imul(hash, neg ? P4 : P3);
}

function hashBinary(b: BitString, hash: number): number {
  const whole = b.size >>> 3;
  for (let i = 0; i < whole; i++) hash = step(hash, P1, b.byteAt(i));
  const rest = b.size & 7;
  if (rest > 0) {
    hash = step(hash, P1, b.byteAt(whole) >>> (8 - rest));
    hash = step(hash, P12, rest);
  }
  return step(hash, P4, whole);
}

/** Work-stack markers: the rest of a list, the end of a list, the end of a tuple. */
class ListRest {
  constructor(readonly rest: Term) {}
}
const LIST_END = Symbol("list end");
class TupleEnd {
  constructor(readonly arity: number) {}
}
type Work = Term | ListRest | typeof LIST_END | TupleEnd;

const view = new DataView(new ArrayBuffer(8));

/** The first (lowest) 32-bit word of a reference's number, which OTP hashes. */
function refFirstWord(r: Ref): number {
  if (r.words.length > 0) return r.words[0]! | 0;
  return Number(r.id & 0x3ffffn);
}

/** OTP's `make_hash` as an unsigned 32-bit value. */
export function makeHash(term: Term): number {
  let hash = 0;
  const stack: Work[] = [];
  let t: Term = term;
  for (;;) {
    if (typeof t === "number" || typeof t === "bigint") {
      hash = hashInteger(BigInt(t), hash);
    } else if (t instanceof Atom) {
      hash = step(hash, P1, atomTextHash(t.name));
    } else if (t === NIL) {
      hash = step(hash, P3, 1);
    } else if (t instanceof Cons) {
      // Elements in order (bytes inline), then the tail, then one final multiply.
      let l: Term = t;
      while (l instanceof Cons && typeof l.head === "number" && l.head >= 0 && l.head <= 255) {
        hash = step(hash, P2, l.head);
        l = l.tail;
      }
      if (l instanceof Cons) {
        stack.push(new ListRest(l.tail));
        t = l.head;
        continue;
      }
      stack.push(LIST_END);
      t = l;
      continue;
    } else if (Array.isArray(t)) {
      stack.push(new TupleEnd(t.length));
      for (let i = t.length - 1; i >= 0; i--) stack.push(t[i]!);
    } else if (t instanceof Float) {
      view.setFloat64(0, t.value === 0 ? 0 : t.value);
      hash = step(hash, P6, view.getInt32(0) ^ view.getInt32(4));
    } else if (t instanceof BitString) {
      hash = hashBinary(t, hash);
    } else if (t instanceof MapTerm) {
      hash = (Math.imul(hash, P13) + P14 + makeHash2(t)) | 0;
    } else if (t instanceof ExportFun) {
      hash = step(hash, P11, t.arity);
      hash = step(hash, P1, atomTextHash(t.module.name));
      hash = step(hash, P1, atomTextHash(t.name.name));
    } else if (t instanceof Fun) {
      hash = step(hash, P10, t.env.length);
      hash = step(hash, P1, atomTextHash(t.module.name));
      hash = step(hash, P2, t.index);
      hash = step(hash, P2, t.oldUniq);
      for (let i = t.env.length - 1; i >= 0; i--) stack.push(t.env[i]!);
    } else if (t instanceof Pid) {
      hash = Math.imul(word(hash, t.id, P5), P6);
    } else if (t instanceof Port) {
      hash = Math.imul(word(hash, Number(t.id & 0xffffffffn), P9), P10);
    } else if (t instanceof Ref) {
      hash = Math.imul(word(hash, refFirstWord(t), P9), P10);
    }
    for (;;) {
      if (stack.length === 0) return hash >>> 0;
      const w = stack.pop()!;
      if (w === LIST_END) hash = Math.imul(hash, P8);
      else if (w instanceof TupleEnd) hash = step(hash, P9, w.arity);
      else if (w instanceof ListRest) {
        // The list goes on, or its tail is hashed and then the list is closed.
        if (!(w.rest instanceof Cons)) stack.push(LIST_END);
        t = w.rest;
        break;
      } else {
        t = w as Term;
        break;
      }
    }
  }
}
