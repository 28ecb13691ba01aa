/**
 * Checksums over iodata: CRC-32 (the zlib polynomial) and Adler-32, both
 * resumable from a previous value as `crc32/2` and `adler32/2` allow.
 */

const CRC_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `bytes` continuing from `crc` (0 to start). */
export function crc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const ADLER_MOD = 65521;
/** Bytes that can be summed before the 32-bit sums could overflow. */
const ADLER_RUN = 5552;

/** Adler-32 of `bytes` continuing from `adler` (1 to start). */
export function adler32(adler: number, bytes: Uint8Array): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  let i = 0;
  while (i < bytes.length) {
    const end = Math.min(i + ADLER_RUN, bytes.length);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** The reflected CRC-32 polynomial. */
const CRC_POLY = 0xedb88320;

/** Product of two polynomials over GF(2) modulo the CRC polynomial (bit-reflected). */
function gf2MulMod(a: number, b: number): number {
  let product = 0;
  let mask = 0x80000000;
  for (;;) {
    if ((a & mask) !== 0) {
      product ^= b;
      if ((a & (mask - 1)) === 0) break;
    }
    mask >>>= 1;
    if (mask === 0) break;
    b = b & 1 ? (b >>> 1) ^ CRC_POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31 (squaring x repeatedly). */
const X_POW2: Uint32Array = (() => {
  const t = new Uint32Array(32);
  let p = 0x40000000; // x^1 in reflected form
  for (let k = 0; k < 32; k++) {
    t[k] = p;
    p = gf2MulMod(p, p);
  }
  return t;
})();

/** x^(n * 2^k) modulo the polynomial: the effect of n zero units of 2^k bits on a CRC. */
function xPowMod(n: number, k: number): number {
  let p = 0x80000000; // x^0
  while (n > 0) {
    if (n % 2 === 1) p = gf2MulMod(X_POW2[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/**
 * The CRC-32 of A followed by B, given `crcA`, `crcB` and B's length in
 * bytes: A's CRC is carried over B's length of zero bits (a multiplication
 * by x^(8 * lenB) modulo the polynomial) and B's CRC is added.
 */
export function crc32Combine(crcA: number, crcB: number, lenB: number): number {
  return (gf2MulMod(xPowMod(lenB, 3), crcA) ^ crcB) >>> 0;
}

/**
 * The Adler-32 of A followed by B from `adlerA`, `adlerB` and B's length:
 * the second sum gains lenB times A's first sum. The reductions are the
 * conditional subtractions zlib does (not a full modulo), so values whose
 * halves are out of range combine to the same numbers as on BEAM.
 */
export function adler32Combine(adlerA: number, adlerB: number, lenB: number): number {
  const rem = lenB % ADLER_MOD;
  let sum1 = adlerA & 0xffff;
  let sum2 = (rem * sum1) % ADLER_MOD;
  sum1 += (adlerB & 0xffff) + ADLER_MOD - 1;
  sum2 += (adlerA >>> 16) + (adlerB >>> 16) + ADLER_MOD - rem;
  if (sum1 >= ADLER_MOD) sum1 -= ADLER_MOD;
  if (sum1 >= ADLER_MOD) sum1 -= ADLER_MOD;
  if (sum2 >= 2 * ADLER_MOD) sum2 -= 2 * ADLER_MOD;
  if (sum2 >= ADLER_MOD) sum2 -= ADLER_MOD;
  // An OR, not a sum: sum1 can still exceed 16 bits here, as in zlib.
  return (sum1 | (sum2 << 16)) >>> 0;
}
