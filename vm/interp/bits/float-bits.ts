/**
 * Float segments: IEEE 754 half, single and double precision at any bit
 * offset, big or little endian.
 *
 * Facts (OTP 25): writing rounds to nearest even and a value too large for
 * 16 or 32 bits becomes infinity (`<<70000.0:16/float>>` is `<<124,0>>`);
 * reading infinity or NaN fails the match, since Erlang has neither.
 */
import { copyBits } from "../../../terms/binary.ts";

// One scratch word shared by every conversion: handlers never interleave.
const scratch = new Uint8Array(8);
const view = new DataView(scratch.buffer);

/** True for the sizes a float segment may have. */
export function isFloatSize(bits: number): boolean {
  return bits === 64 || bits === 32 || bits === 16;
}

/**
 * Writes `v` as a `bits`-bit float (16, 32 or 64; the caller checks) at
 * absolute bit `pos` of `buf`.
 */
export function writeFloat(
  buf: Uint8Array,
  pos: number,
  bits: number,
  v: number,
  little: boolean,
): void {
  if (bits === 64) view.setFloat64(0, v, little);
  else if (bits === 32) view.setFloat32(0, v, little);
  else view.setFloat16(0, v, little);
  copyBits(scratch, 0, buf, pos, bits);
}

/**
 * Reads a `bits`-bit float (16, 32 or 64) at absolute bit `pos`; returns NaN
 * when the bits are not a finite float (the caller fails the match).
 */
export function readFloat(buf: Uint8Array, pos: number, bits: number, little: boolean): number {
  copyBits(buf, pos, scratch, 0, bits);
  let v: number;
  if (bits === 64) v = view.getFloat64(0, little);
  else if (bits === 32) v = view.getFloat32(0, little);
  else v = view.getFloat16(0, little);
  return Number.isFinite(v) ? v : Number.NaN;
}
