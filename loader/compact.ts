/**
 * The compact term encoding's low level: one tag and one value at a time.
 *
 * The first byte holds a 3-bit tag in its low bits. Then:
 *   xxxx0ttt              value = xxxx (0..15)
 *   xxx01ttt yyyyyyyy     value = xxx << 8 | yyyyyyyy (0..2047)
 *   nnn11ttt <n+2 bytes>  a big-endian two's-complement value of 2..8 bytes
 *   11111ttt <u> <bytes>  more than 8 bytes: the byte count minus 9 follows as
 *                         a compact `u` value, then the bytes
 * Tag 7 (`z`) is an extended tag whose number (0..5) sits in the 4-bit form;
 * what follows depends on it (see operands.ts).
 *
 * Hand-written rather than declared with binary-parser: tags live in bit
 * fields, lengths describe themselves and values may be bignums.
 *
 * The reader keeps the decoded value in fields instead of returning objects,
 * so decoding allocates nothing for the common small values.
 */
import { normBig } from "../terms/index.ts";
import type { Reader } from "./reader.ts";

export const TAG_U = 0;
export const TAG_I = 1;
export const TAG_A = 2;
export const TAG_X = 3;
export const TAG_Y = 4;
export const TAG_F = 5;
export const TAG_H = 6;
export const TAG_Z = 7;

const TAG_NAMES = ["u", "i", "a", "x", "y", "f", "h", "z"] as const;

/** Longest integer operand accepted, in bytes (a 64 Ki-bit bignum). */
const MAX_INT_BYTES = 8192;

export class CompactReader {
  /** Tag of the last value read (TAG_U..TAG_Z). */
  tag = 0;
  /** The value when it is a safe integer (always for tag z and small forms). */
  value = 0;
  /** The value when it is outside the safe integer range, else null. */
  big: bigint | null = null;
  /** Position of the first byte of the last value read. */
  at = 0;

  constructor(readonly r: Reader) {}

  /** Reads one tag and value. */
  next(): void {
    const r = this.r;
    this.at = r.pos;
    const b = r.u8("operand");
    const tag = b & 7;
    this.tag = tag;
    this.big = null;
    if ((b & 0x08) === 0) {
      this.value = b >>> 4;
      return;
    }
    if (tag === TAG_Z) throw r.error(`extended tag with a long value form (byte ${b})`, this.at);
    if ((b & 0x10) === 0) {
      this.value = ((b & 0xe0) << 3) | r.u8("operand");
      return;
    }
    let len = (b >>> 5) + 2;
    if (len === 9) len = this.lengthOfLength() + 9;
    // Signed for `i`; the other tags must come out non-negative (their
    // encoder adds a leading zero byte when the top bit would be set).
    this.readInteger(len, tag === TAG_I);
  }

  /** Reads one value that must be a non-negative safe `u`. */
  nextU(what: string): number {
    this.next();
    if (this.tag !== TAG_U) {
      throw this.r.error(`${what}: expected a u operand, got tag ${TAG_NAMES[this.tag]}`, this.at);
    }
    return this.safeValue(what);
  }

  /** The current value as a non-negative safe integer, or an error. */
  safeValue(what: string): number {
    if (this.big !== null || this.value < 0) {
      throw this.r.error(`${what}: value out of range`, this.at);
    }
    return this.value;
  }

  /** The byte count of a > 8 byte integer: a nested `u` in short or medium form. */
  private lengthOfLength(): number {
    const r = this.r;
    const b = r.u8("integer length");
    if ((b & 7) !== TAG_U) throw r.error("integer length is not a u operand", r.pos - 1);
    if ((b & 0x08) === 0) return b >>> 4;
    if ((b & 0x10) === 0) return ((b & 0xe0) << 3) | r.u8("integer length");
    // A length that itself needs 2+ bytes means an integer of >= 2057 bytes
    // described at length; accept lengths up to 8 bytes, then cap below.
    const n = (b >>> 5) + 2;
    if (n > 8) throw r.error("integer length too long", r.pos - 1);
    r.need(n, "integer length");
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + r.buf[r.pos + i]!;
    r.pos += n;
    if (v > MAX_INT_BYTES) throw r.error(`integer operand of ${v + 9} bytes is too long`, this.at);
    return v;
  }

  private readInteger(len: number, signed: boolean): void {
    const r = this.r;
    if (len > MAX_INT_BYTES) throw r.error(`integer operand of ${len} bytes is too long`, this.at);
    r.need(len, "integer operand");
    const buf = r.buf;
    const p = r.pos;
    r.pos += len;
    const negative = signed && buf[p]! >= 0x80;
    if (len <= 6) {
      // Up to 48 bits: exact in a double.
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + buf[p + i]!;
      if (negative) v -= 2 ** (8 * len);
      else if (!signed && buf[p]! >= 0x80) v = -1; // flagged as out of range by safeValue
      this.value = v;
      return;
    }
    let hex = "";
    for (let i = 0; i < len; i++) hex += HEX[buf[p + i]!];
    let v = BigInt(`0x${hex}`);
    if (negative) v -= 1n << BigInt(8 * len);
    else if (!signed && buf[p]! >= 0x80) v = -1n;
    const n = normBig(v);
    if (typeof n === "number") this.value = n;
    else {
      this.value = 0;
      this.big = n;
    }
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The printable name of a tag number. */
export function tagName(tag: number): string {
  return TAG_NAMES[tag] ?? "?";
}
