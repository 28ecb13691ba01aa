/**
 * Integers as text: `integer_to_binary/1,2`, `integer_to_list/1,2`,
 * `binary_to_integer/1,2`, `list_to_integer/1,2`. Bases 2..36, digits above
 * 9 written upper case and read in either case; an optional sign, nothing else
 * (no spaces, no underscores).
 */

import { BitString, binaryFromString } from "../../terms/binary.ts";
import { parseInt36 } from "../../terms/integer.ts";
import { stringToList } from "../../terms/list.ts";
import type { Int, Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";
import { binaryBytes, charListToString, decodeLatin1 } from "./text.ts";

function checkInt(i: Term): Int {
  return typeof i === "number" || typeof i === "bigint" ? i : badarg();
}

function checkBase(b: Term): number {
  return typeof b === "number" && b >= 2 && b <= 36 ? b : badarg();
}

function intText(i: Term, base: number): string {
  const n = checkInt(i);
  return base === 10 ? String(n) : n.toString(base).toUpperCase();
}

function parse(text: string | null, base: number): Int {
  if (text === null) return badarg();
  return parseInt36(text, base) ?? badarg();
}

/** Largest digit count that always fits a double exactly (10^15 < 2^53). */
const SAFE_DIGITS = 15;

/**
 * Fast path for the common case, a short decimal in an aligned binary: read
 * the digits straight from the bytes (no string, no bigint). Null when the
 * text needs the general parser (long, other base) or is malformed, which the
 * general parser then reports.
 */
function smallDecimal(b: BitString): number | null {
  if ((b.size & 7) !== 0 || (b.offset & 7) !== 0) return null;
  const buf = b.buf;
  let i = b.offset >>> 3;
  const end = i + (b.size >>> 3);
  let neg = false;
  if (i < end && (buf[i] === 45 || buf[i] === 43)) neg = buf[i++] === 45;
  if (i === end || end - i > SAFE_DIGITS) return null;
  let v = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? (v === 0 ? 0 : -v) : v;
}

/** 10^i for i = 0..16. */
const POW10 = Array.from({ length: 17 }, (_, i) => 10 ** i);

/**
 * The decimal text of a small integer as a binary, digits written straight
 * into the bytes: going through `String(n)` cost a string per call, which
 * made `integer_to_binary` loops slower cold and warm.
 */
function smallIntBinary(n: number): BitString {
  let v = n < 0 ? -n : n;
  let digits = 1;
  while (digits < 16 && v >= POW10[digits]!) digits++;
  // 16 digits and more can exceed 2^53: the general path is exact.
  if (digits === 16) return binaryFromString(String(n));
  const len = n < 0 ? digits + 1 : digits;
  const out = new Uint8Array(len);
  let i = len;
  // Digits above 2^31 by float division, the rest by int32 division, which
  // the JIT compiles to integer arithmetic (twice as fast warm).
  while (v >= 2147483648) {
    const q = Math.floor(v / 10);
    out[--i] = 48 + v - q * 10;
    v = q;
  }
  let w = v | 0;
  do {
    const q = (w / 10) | 0;
    out[--i] = 48 + w - q * 10;
    w = q;
  } while (w > 0);
  if (n < 0) out[0] = 45;
  return new BitString(out, 0, len * 8);
}

function binaryToInt(b: Term, base: number): Int {
  if (!(b instanceof BitString)) return badarg();
  if (base === 10) {
    const v = smallDecimal(b);
    if (v !== null) return v;
  }
  const bytes = binaryBytes(b);
  return parse(bytes === null ? null : decodeLatin1(bytes), base);
}

function listToInt(l: Term, base: number): Int {
  return parse(charListToString(l, 255), base);
}

/** The integer-to-text and text-to-integer BIFs. */
export const intTextNatives: NativeModule = defineNatives("erlang", {
  "integer_to_binary/1": (_p, i) =>
    typeof i === "number" ? smallIntBinary(i) : binaryFromString(intText(i, 10)),
  "integer_to_binary/2": (_p, i, b) => binaryFromString(intText(i, checkBase(b))),
  "integer_to_list/1": (_p, i) => stringToList(intText(i, 10)),
  "integer_to_list/2": (_p, i, b) => stringToList(intText(i, checkBase(b))),
  "binary_to_integer/1": (_p, b) => binaryToInt(b, 10),
  "binary_to_integer/2": (_p, b, base) => binaryToInt(b, checkBase(base)),
  "list_to_integer/1": (_p, l) => listToInt(l, 10),
  "list_to_integer/2": (_p, l, base) => listToInt(l, checkBase(base)),
});
