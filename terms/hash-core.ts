/**
 * Primitives shared by `erlang:phash2` (phash2.ts) and the internal hash that
 * decides large-map order (map-order.ts): Bob Jenkins' 96-bit mix and his
 * lookup2 block hash, as ERTS uses them, the bignum and bitstring hashes the
 * two have in common, plus ERTS' atom text hash.
 *
 * All values are uint32 carried in JS numbers; every step re-normalises with
 * `>>> 0` so additions and subtractions wrap like C unsigned arithmetic.
 */
import type { BitString } from "./binary.ts";

/** The golden-ratio constant and its multiples 2..22 (mod 2^32), `HCONST_n` in ERTS. */
export const HC: readonly number[] = Array.from({ length: 23 }, (_, n) =>
  Number((0x9e3779b9n * BigInt(n === 0 ? 1 : n)) & 0xffffffffn),
);

// Scratch state of the mix: a and b are needed by block hashing, c is the result.
let ma = 0;
let mb = 0;

/** Jenkins' mix of (a, b, c); returns the new c and leaves a, b in scratch state. */
export function mix(a: number, b: number, c: number): number {
  a = (a - b - c) >>> 0;
  a = (a ^ (c >>> 13)) >>> 0;
  b = (b - c - a) >>> 0;
  b = (b ^ (a << 8)) >>> 0;
  c = (c - a - b) >>> 0;
  c = (c ^ (b >>> 13)) >>> 0;
  a = (a - b - c) >>> 0;
  a = (a ^ (c >>> 12)) >>> 0;
  b = (b - c - a) >>> 0;
  b = (b ^ (a << 16)) >>> 0;
  c = (c - a - b) >>> 0;
  c = (c ^ (b >>> 5)) >>> 0;
  a = (a - b - c) >>> 0;
  a = (a ^ (c >>> 3)) >>> 0;
  b = (b - c - a) >>> 0;
  b = (b ^ (a << 10)) >>> 0;
  c = (c - a - b) >>> 0;
  c = (c ^ (b >>> 15)) >>> 0;
  ma = a;
  mb = b;
  return c;
}

/** `UINT32_HASH_2(x, y, k)` applied to running hash `h`: returns the new hash. */
export function hash2(x: number, y: number, k: number, h: number): number {
  return mix((k + x) >>> 0, (k + y) >>> 0, h);
}

/** `UINT32_HASH(x, k)`. */
export function hash1(x: number, k: number, h: number): number {
  return mix((k + x) >>> 0, k, h);
}

const le32 = (k: Uint8Array, i: number): number =>
  (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24)) >>> 0;

/** Jenkins' lookup2 over `len` bytes of `k` (ERTS `block_hash`). */
export function blockHash(k: Uint8Array, len: number, init: number): number {
  let a = HC[1]!;
  let b = HC[1]!;
  let c = init >>> 0;
  let i = 0;
  let left = len;
  while (left >= 12) {
    a = (a + le32(k, i)) >>> 0;
    b = (b + le32(k, i + 4)) >>> 0;
    c = (c + le32(k, i + 8)) >>> 0;
    c = mix(a, b, c);
    a = ma;
    b = mb;
    i += 12;
    left -= 12;
  }
  c = (c + len) >>> 0;
  // The tail bytes fold into a, b and c (c's low byte is reserved for the length).
  if (left >= 11) c = (c + (k[i + 10]! << 24)) >>> 0;
  if (left >= 10) c = (c + (k[i + 9]! << 16)) >>> 0;
  if (left >= 9) c = (c + (k[i + 8]! << 8)) >>> 0;
  if (left >= 8) b = (b + (k[i + 7]! << 24)) >>> 0;
  if (left >= 7) b = (b + (k[i + 6]! << 16)) >>> 0;
  if (left >= 6) b = (b + (k[i + 5]! << 8)) >>> 0;
  if (left >= 5) b = (b + k[i + 4]!) >>> 0;
  if (left >= 4) a = (a + (k[i + 3]! << 24)) >>> 0;
  if (left >= 3) a = (a + (k[i + 2]! << 16)) >>> 0;
  if (left >= 2) a = (a + (k[i + 1]! << 8)) >>> 0;
  if (left >= 1) a = (a + k[i]!) >>> 0;
  return mix(a, b, c);
}

/**
 * An integer's magnitude as ERTS hashes bignums: 64-bit digits, least
 * significant first, each mixed as two 32-bit halves under the sign's constant.
 */
export function hashBigDigits(v: number | bigint, h: number): number {
  const neg = v < 0;
  const con = neg ? HC[10]! : HC[11]!;
  if (typeof v === "number") {
    const m = Math.abs(v);
    return hash2(m % 0x100000000, Math.floor(m / 0x100000000), con, h);
  }
  let m = neg ? -v : v;
  do {
    h = hash2(Number(m & 0xffffffffn), Number((m >> 32n) & 0xffffffffn), con, h);
    m >>= 64n;
  } while (m > 0n);
  return h;
}

/** A binary or bitstring: its whole bytes block-hashed, then any trailing bits with their count. */
export function hashBitString(b: BitString, h: number): number {
  const con = (HC[13]! + h) >>> 0;
  if (b.size === 0) return con;
  const whole = b.size >>> 3;
  const rest = b.size & 7;
  h = blockHash(b.bytes(), whole, con);
  if (rest > 0) {
    let v = 0;
    for (let i = 0; i < rest; i++) {
      const bit = b.offset + whole * 8 + i;
      v = (v << 1) | ((b.buf[bit >>> 3]! >>> (7 - (bit & 7))) & 1);
    }
    h = hash2(rest, v, HC[15]!, h);
  }
  return h;
}

const atomHashes = new Map<string, number>();
const utf8 = new TextEncoder();

/**
 * ERTS' atom hash (hashpjw over the UTF-8 name, with two-byte sequences led
 * by C2/C3 folded back into their latin1 byte). phash2 of an atom depends on it.
 */
export function atomTextHash(name: string): number {
  const cached = atomHashes.get(name);
  if (cached !== undefined) return cached;
  const p = utf8.encode(name);
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    let v = p[i]!;
    if (i + 1 < p.length && (v & 0xfe) === 0xc2 && (p[i + 1]! & 0xc0) === 0x80) {
      v = ((v << 6) | (p[i + 1]! & 0x3f)) & 0xff;
      i++;
    }
    h = ((h << 4) + v) >>> 0;
    const g: number = (h & 0xf0000000) >>> 0;
    if (g !== 0) h = (h ^ (g >>> 24) ^ g) >>> 0;
  }
  atomHashes.set(name, h);
  return h;
}
