/**
 * utf8/utf16/utf32 segments: sizes, encoding at any bit offset, and decoding
 * with BEAM's strictness (no overlong UTF-8, no surrogates, nothing above
 * U+10FFFF; a lone UTF-16 surrogate fails).
 */
import { readBitsSmall, writeBitsSmall } from "../../../terms/binary.ts";
import type { Term } from "../../../terms/term.ts";

/** The code point `t` stands for, or -1 if it cannot be encoded. */
export function codePointOf(t: Term): number {
  if (typeof t !== "number") return -1;
  if (t < 0 || t > 0x10ffff || (t >= 0xd800 && t <= 0xdfff)) return -1;
  return t;
}

/** Bits `cp` takes in UTF-8 (any value; validity is checked on write). */
export function utf8Bits(cp: number): number {
  return cp < 0x80 ? 8 : cp < 0x800 ? 16 : cp < 0x10000 ? 24 : 32;
}

export function utf16Bits(cp: number): number {
  return cp < 0x10000 ? 16 : 32;
}

/** Writes valid code point `cp` as UTF-8 at bit `pos`; returns the bits written. */
export function writeUtf8(buf: Uint8Array, pos: number, cp: number): number {
  if (cp < 0x80) {
    writeBitsSmall(buf, pos, 8, cp);
    return 8;
  }
  if (cp < 0x800) {
    writeBitsSmall(buf, pos, 16, ((0xc0 | (cp >> 6)) << 8) | (0x80 | (cp & 0x3f)));
    return 16;
  }
  if (cp < 0x10000) {
    writeBitsSmall(buf, pos, 8, 0xe0 | (cp >> 12));
    writeBitsSmall(buf, pos + 8, 16, ((0x80 | ((cp >> 6) & 0x3f)) << 8) | (0x80 | (cp & 0x3f)));
    return 24;
  }
  writeBitsSmall(buf, pos, 16, ((0xf0 | (cp >> 18)) << 8) | (0x80 | ((cp >> 12) & 0x3f)));
  writeBitsSmall(buf, pos + 16, 16, ((0x80 | ((cp >> 6) & 0x3f)) << 8) | (0x80 | (cp & 0x3f)));
  return 32;
}

function write16(buf: Uint8Array, pos: number, unit: number, little: boolean): void {
  writeBitsSmall(buf, pos, 16, little ? ((unit & 0xff) << 8) | (unit >> 8) : unit);
}

/** Writes valid `cp` as UTF-16; returns the bits written. */
export function writeUtf16(buf: Uint8Array, pos: number, cp: number, little: boolean): number {
  if (cp < 0x10000) {
    write16(buf, pos, cp, little);
    return 16;
  }
  const c = cp - 0x10000;
  write16(buf, pos, 0xd800 | (c >> 10), little);
  write16(buf, pos + 16, 0xdc00 | (c & 0x3ff), little);
  return 32;
}

/** Writes valid `cp` as UTF-32; returns 32. */
export function writeUtf32(buf: Uint8Array, pos: number, cp: number, little: boolean): number {
  if (little) {
    writeBitsSmall(buf, pos, 16, ((cp & 0xff) << 8) | ((cp >> 8) & 0xff));
    writeBitsSmall(buf, pos + 16, 16, (((cp >> 16) & 0xff) << 8) | (cp >>> 24));
  } else {
    writeBitsSmall(buf, pos, 32, cp);
  }
  return 32;
}

/**
 * `bits`: what the last successful `decode*` call consumed. Shared state so
 * decoding returns one number and allocates nothing.
 */
export const decoded = { bits: 0 };

/** Decodes UTF-8 at bit `pos` with `avail` bits left: the code point, or -1. */
export function decodeUtf8(buf: Uint8Array, pos: number, avail: number): number {
  if (avail < 8) return -1;
  const b0 = readBitsSmall(buf, pos, 8);
  if (b0 < 0x80) {
    decoded.bits = 8;
    return b0;
  }
  let n: number;
  let cp: number;
  let min: number;
  if ((b0 & 0xe0) === 0xc0) {
    n = 2;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if ((b0 & 0xf0) === 0xe0) {
    n = 3;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if ((b0 & 0xf8) === 0xf0) {
    n = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return -1;
  }
  if (avail < n * 8) return -1;
  for (let i = 1; i < n; i++) {
    const b = readBitsSmall(buf, pos + i * 8, 8);
    if ((b & 0xc0) !== 0x80) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  decoded.bits = n * 8;
  return cp;
}

function read16(buf: Uint8Array, pos: number, little: boolean): number {
  const v = readBitsSmall(buf, pos, 16);
  return little ? ((v & 0xff) << 8) | (v >> 8) : v;
}

/** Decodes UTF-16 at bit `pos`: the code point, or -1. */
export function decodeUtf16(buf: Uint8Array, pos: number, avail: number, little: boolean): number {
  if (avail < 16) return -1;
  const w1 = read16(buf, pos, little);
  if (w1 < 0xd800 || w1 > 0xdfff) {
    decoded.bits = 16;
    return w1;
  }
  if (w1 > 0xdbff || avail < 32) return -1;
  const w2 = read16(buf, pos + 16, little);
  if (w2 < 0xdc00 || w2 > 0xdfff) return -1;
  decoded.bits = 32;
  return 0x10000 + ((w1 - 0xd800) << 10) + (w2 - 0xdc00);
}

/** Decodes UTF-32 at bit `pos`: the code point, or -1. */
export function decodeUtf32(buf: Uint8Array, pos: number, avail: number, little: boolean): number {
  if (avail < 32) return -1;
  let cp: number;
  if (little) {
    const lo = read16(buf, pos, true);
    const hi = read16(buf, pos + 16, true);
    cp = hi * 0x10000 + lo;
  } else {
    cp = readBitsSmall(buf, pos, 32);
  }
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  decoded.bits = 32;
  return cp;
}
