/**
 * Integer segments at any bit offset, any size, either endianness, signed or
 * unsigned: the arithmetic behind `<<X:N/little-signed>>` in both directions.
 *
 * Layout facts (checked on OTP 25): a big-endian N-bit field is the value's
 * low N bits, most significant first. A little-endian field is the low N
 * bits cut into whole bytes least significant first, followed by the
 * remaining N rem 8 high bits: `<<16#123:12/little>>` is `<<16#23, 1:4>>`.
 *
 * Values below 2^53 stay JS numbers throughout (no bigint work in the common
 * case); wider fields go through bigint.
 */
import { readBitsBig, readBitsSmall } from "../../../terms/binary.ts";
import { normBig } from "../../../terms/integer.ts";
import type { Int } from "../../../terms/term.ts";

const TWO32 = 2 ** 32;

/** Reads an N-bit big-endian unsigned field. */
function readBigEndian(buf: Uint8Array, pos: number, bits: number): Int {
  if (bits <= 32) {
    if ((pos & 7) === 0 && (bits & 7) === 0) {
      const i = pos >>> 3;
      let v = 0;
      for (let k = 0; k < bits; k += 8) v = v * 256 + buf[i + (k >>> 3)]!;
      return v;
    }
    return readBitsSmall(buf, pos, bits);
  }
  if (bits <= 53) {
    const hi = readBitsSmall(buf, pos, bits - 32);
    return hi * TWO32 + readBitsSmall(buf, pos + bits - 32, 32);
  }
  return normBig(readBitsBig(buf, pos, bits));
}

/** Reads an N-bit little-endian unsigned field (see the layout note above). */
function readLittleEndian(buf: Uint8Array, pos: number, bits: number): Int {
  const whole = bits >>> 3;
  const rest = bits & 7;
  if (bits <= 53) {
    let v = rest ? readBitsSmall(buf, pos + whole * 8, rest) : 0;
    if ((pos & 7) === 0) {
      const at = pos >>> 3;
      for (let i = whole - 1; i >= 0; i--) v = v * 256 + buf[at + i]!;
    } else {
      for (let i = whole - 1; i >= 0; i--) v = v * 256 + readBitsSmall(buf, pos + i * 8, 8);
    }
    return v;
  }
  let v = rest ? BigInt(readBitsSmall(buf, pos + whole * 8, rest)) : 0n;
  for (let i = whole - 1; i >= 0; i--) v = (v << 8n) | BigInt(readBitsSmall(buf, pos + i * 8, 8));
  return normBig(v);
}

/** Reads an integer field of `bits` bits starting at absolute bit `pos` of `buf`. */
export function readInt(
  buf: Uint8Array,
  pos: number,
  bits: number,
  little: boolean,
  signed: boolean,
): Int {
  if (bits === 8 && (pos & 7) === 0) {
    const b = buf[pos >>> 3]!;
    return signed && b >= 128 ? b - 256 : b;
  }
  if (bits === 0) return 0;
  const u = little && bits > 8 ? readLittleEndian(buf, pos, bits) : readBigEndian(buf, pos, bits);
  if (!signed) return u;
  if (typeof u === "number") {
    // Top bit set means negative; both operands are exact doubles below 2^54.
    return u >= 2 ** (bits - 1) ? u - 2 ** bits : u;
  }
  return normBig(BigInt.asIntN(bits, u));
}

/**
 * Writes the low `n` (<= 32) bits of the uint32 `lo` big-endian at bit
 * `pos`, keeping the neighbouring bits. Shifts only: no division per chunk.
 */
function put32(buf: Uint8Array, pos: number, n: number, lo: number): void {
  if ((pos & 7) === 0 && (n & 7) === 0) {
    let i = pos >>> 3;
    for (let s = n - 8; s >= 0; s -= 8) buf[i++] = (lo >>> s) & 255;
    return;
  }
  while (n > 0) {
    const room = 8 - (pos & 7);
    const take = Math.min(room, n);
    const shift = room - take;
    const ones = (1 << take) - 1;
    const i = pos >>> 3;
    buf[i] = (buf[i]! & ~(ones << shift)) | (((lo >>> (n - take)) & ones) << shift);
    pos += take;
    n -= take;
  }
}

/** Sets `n` bits at `pos` to all ones (negative) or all zeros. */
function fillSign(buf: Uint8Array, pos: number, n: number, negative: boolean): void {
  const v = negative ? 0xffffffff : 0;
  while (n > 0) {
    const take = Math.min(n, 32);
    put32(buf, pos, take, v);
    pos += take;
    n -= take;
  }
}

/** Writes the low `bits` bits of a safe integer big-endian (two's complement). */
function writeNumberBig(buf: Uint8Array, pos: number, bits: number, v: number): void {
  // `>>> 0` is the value modulo 2^32 for any safe integer, negatives included.
  if (bits <= 32) {
    put32(buf, pos, bits, v >>> 0);
    return;
  }
  const hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  // Above bit 64 a safe integer has only sign bits.
  const fill = bits > 64 ? bits - 64 : 0;
  fillSign(buf, pos, fill, v < 0);
  put32(buf, pos + fill, bits - fill - 32, hi >>> 0);
  put32(buf, pos + bits - 32, 32, lo);
}

/** Writes the low `bits` bits of a bigint big-endian. */
function writeBigintBig(buf: Uint8Array, pos: number, bits: number, v: bigint): void {
  let u = BigInt.asUintN(bits, v);
  let end = pos + bits;
  while (end > pos) {
    const take = Math.min(end - pos, 32);
    put32(buf, end - take, take, Number(u & 0xffffffffn));
    u >>= 32n;
    end -= take;
  }
}

/** Byte `k` (least significant first) of a safe integer in two's complement. */
function byteOf(v: number, k: number): number {
  if (k < 4) return (v >>> (k * 8)) & 255;
  if (k >= 8) return v < 0 ? 255 : 0;
  // |v| < 2^53, so the high word fits an int32 and `>>` sign-extends it.
  return (Math.floor(v / TWO32) >> ((k - 4) * 8)) & 255;
}

function writeLittle(buf: Uint8Array, pos: number, bits: number, v: Int): void {
  const whole = bits >>> 3;
  const rest = bits & 7;
  if (typeof v === "number") {
    if ((pos & 7) === 0) {
      const i = pos >>> 3;
      for (let k = 0; k < whole; k++) buf[i + k] = byteOf(v, k);
    } else {
      for (let k = 0; k < whole; k++) put32(buf, pos + k * 8, 8, byteOf(v, k));
    }
    if (rest) put32(buf, pos + whole * 8, rest, byteOf(v, whole));
    return;
  }
  let u = BigInt.asUintN(bits, v);
  for (let k = 0; k < whole; k++) {
    put32(buf, pos + k * 8, 8, Number(u & 255n));
    u >>= 8n;
  }
  if (rest) put32(buf, pos + whole * 8, rest, Number(u));
}

/**
 * Writes the low `bits` bits of integer `v` at absolute bit `pos`. Values
 * wider than the field are truncated, negatives are two's complement, exactly
 * as BEAM does (signedness does not matter when writing).
 */
export function writeInt(
  buf: Uint8Array,
  pos: number,
  bits: number,
  v: Int,
  little: boolean,
): void {
  if (bits === 8 && (pos & 7) === 0 && typeof v === "number") {
    buf[pos >>> 3] = v & 255;
    return;
  }
  if (bits === 0) return;
  if (little && bits > 8) writeLittle(buf, pos, bits, v);
  else if (typeof v === "number") writeNumberBig(buf, pos, bits, v);
  else writeBigintBig(buf, pos, bits, v);
}
