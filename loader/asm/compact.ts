/**
 * The compact term encoding, writing side (loader/compact.ts reads it).
 *
 * A value with a 3-bit tag: below 16 in one byte, below 2048 in two, else a
 * byte count (2..8 in the first byte, or 9+ as a nested `u` value) followed
 * by the value's big-endian two's-complement bytes. Negative values always
 * take the byte form. Extended tags (`z`) prefix lists, float registers,
 * allocation lists, literals and typed registers.
 *
 * The byte choices follow beam_asm's `encode/2`: negatives from -32768 up use
 * exactly two bytes, other values the fewest bytes that keep the sign bit.
 */

/** The 3-bit tags. */
export const TAG = { u: 0, i: 1, a: 2, x: 3, y: 4, f: 5, h: 6, z: 7 } as const;

/** Extended (`z`) sub-tags. */
export const EXT = { list: 1, fr: 2, alloc: 3, literal: 4, typed: 5 } as const;

/** Big-endian two's-complement bytes of `v`, as beam_asm chooses them. */
function valueBytes(v: bigint): number[] {
  if (v < 0n && v >= -0x8000n) return [Number((v >> 8n) & 255n), Number(v & 255n)];
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.unshift(Number(x & 255n));
    x >>= 8n;
    const top = out[0]! & 0x80;
    if ((x === 0n && !top) || (x === -1n && top)) return out;
  }
}

/** One tagged value. */
export function compact(tag: number, value: number | bigint): number[] {
  if (typeof value === "number" && value >= 0 && value < 16) return [(value << 4) | tag];
  if (typeof value === "number" && value >= 0 && value < 0x800)
    return [((value >> 3) & 0xe0) | tag | 0x08, value & 0xff];
  const bytes = valueBytes(BigInt(value));
  if (bytes.length < 2) bytes.unshift(0);
  if (bytes.length <= 8) return [((bytes.length - 2) << 5) | 0x18 | tag, ...bytes];
  return [0xf8 | tag, ...compact(TAG.u, bytes.length - 9), ...bytes];
}

/** The header of an extended-tag operand. */
export function ext(sub: number): number[] {
  return compact(TAG.z, sub);
}
