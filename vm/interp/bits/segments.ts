/**
 * Writing one construction segment, shared by `bs_create_bin` and the
 * pre-OTP 25 `bs_put_*` instructions: value checks with BEAM's error causes,
 * then the bits. `seg` is the segment number reported in the error cause.
 */

import type { Atom } from "../../../terms/atom.ts";
import { BitString, copyBits } from "../../../terms/binary.ts";
import { Float, type Term } from "../../../terms/term.ts";
import { bsFail, bsLimit, PROBLEM, SEG } from "./bs-error.ts";
import { isFloatSize, writeFloat } from "./float-bits.ts";
import { writeInt } from "./int-bits.ts";

/**
 * Largest bitstring we build (4 GiB). BEAM's own limit is far higher, but a
 * request above this could only fail to allocate; `system_limit` says so.
 */
export const MAX_BITS = 2 ** 35;

/** Bits of a segment from its size term and unit, or the size error BEAM raises. */
export function segmentBits(seg: number, type: Atom, size: Term, unit: number): number {
  if (typeof size === "number") {
    if (size < 0) return bsFail(seg, type, PROBLEM.size, size);
    const bits = size * unit;
    if (bits > MAX_BITS) return bsLimit(seg, type, size);
    return bits;
  }
  if (typeof size === "bigint" && size > 0n) return bsLimit(seg, type, size);
  return bsFail(seg, type, PROBLEM.size, size);
}

export function putInteger(
  buf: Uint8Array,
  pos: number,
  bits: number,
  v: Term,
  little: boolean,
  seg: number,
): void {
  if (typeof v !== "number" && typeof v !== "bigint") bsFail(seg, SEG.integer, PROBLEM.type, v);
  writeInt(buf, pos, bits, v, little);
}

export function putFloat(
  buf: Uint8Array,
  pos: number,
  bits: number,
  v: Term,
  little: boolean,
  seg: number,
): void {
  if (!isFloatSize(bits)) bsFail(seg, SEG.float, PROBLEM.invalid, bits);
  let f: number;
  if (v instanceof Float) f = v.value;
  else if (typeof v === "number") f = v;
  else if (typeof v === "bigint") {
    f = Number(v);
    if (!Number.isFinite(f)) bsFail(seg, SEG.float, PROBLEM.no_float, v);
  } else {
    bsFail(seg, SEG.float, PROBLEM.type, v);
  }
  writeFloat(buf, pos, bits, f, little);
}

/** A binary segment with an explicit size: the first `bits` bits of `v`. */
export function putBinary(buf: Uint8Array, pos: number, bits: number, v: Term, seg: number): void {
  if (!(v instanceof BitString)) bsFail(seg, SEG.binary, PROBLEM.type, v);
  if (v.size < bits) bsFail(seg, SEG.binary, PROBLEM.short, v);
  copyBits(v.buf, v.offset, buf, pos, bits);
}

/** A `binary`/`bitstring` segment of size `all` (`v` already known to be a bitstring). */
export function putAll(
  buf: Uint8Array,
  pos: number,
  v: BitString,
  unit: number,
  seg: number,
): void {
  if (unit > 1 && v.size % unit !== 0) bsFail(seg, SEG.binary, PROBLEM.unit, v);
  copyBits(v.buf, v.offset, buf, pos, v.size);
}

/** Bytes of the string table (or any byte array) at bit `pos`. */
export function putBytes(buf: Uint8Array, pos: number, bytes: Uint8Array): void {
  if ((pos & 7) === 0) buf.set(bytes, pos >>> 3);
  else copyBits(bytes, 0, buf, pos, bytes.length * 8);
}
