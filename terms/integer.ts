/**
 * Exact integer arithmetic across the small (number) / big (bigint) boundary.
 * Every function returns a normalised integer: a `number` whenever the value
 * is a safe integer, otherwise a `bigint`.
 */
import type { Int } from "./term.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

export function normBig(b: bigint): Int {
  return b >= MIN_SAFE && b <= MAX_SAFE ? Number(b) : b;
}

export function toBig(i: Int): bigint {
  return typeof i === "bigint" ? i : BigInt(i);
}

// The sum or product of two safe integers is exact whenever the rounded JS
// result is itself safe, because any true result above 2^53 rounds to >= 2^53.
export function intAdd(a: Int, b: Int): Int {
  if (typeof a === "number" && typeof b === "number") {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normBig(toBig(a) + toBig(b));
}

export function intSub(a: Int, b: Int): Int {
  if (typeof a === "number" && typeof b === "number") {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normBig(toBig(a) - toBig(b));
}

export function intMul(a: Int, b: Int): Int {
  if (typeof a === "number" && typeof b === "number") {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r; // no -0
  }
  return normBig(toBig(a) * toBig(b));
}

/** `div`: truncates toward zero. Caller checks for zero divisor. */
export function intDiv(a: Int, b: Int): Int {
  if (typeof a === "number" && typeof b === "number") {
    // For |a| < 2^53 the rounding error of a/b is below 1/|b|, the smallest
    // distance from a non-integral quotient to an integer, so trunc is exact.
    const r = Math.trunc(a / b);
    return r === 0 ? 0 : r;
  }
  return normBig(toBig(a) / toBig(b));
}

/** `rem`: result takes the dividend's sign. Caller checks for zero divisor. */
export function intRem(a: Int, b: Int): Int {
  if (typeof a === "number" && typeof b === "number") {
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  return normBig(toBig(a) % toBig(b));
}

export function intNeg(a: Int): Int {
  if (typeof a === "number") return a === 0 ? 0 : -a;
  return normBig(-a);
}

// Bitwise operators: JS `&|^` are 32-bit, so only the int32 range takes the
// fast path; BigInt ops already act on infinite two's complement like Erlang.
const isI32 = (x: Int): x is number => typeof x === "number" && (x | 0) === x;

export function intBand(a: Int, b: Int): Int {
  if (isI32(a) && isI32(b)) return a & b;
  return normBig(toBig(a) & toBig(b));
}
export function intBor(a: Int, b: Int): Int {
  if (isI32(a) && isI32(b)) return a | b;
  return normBig(toBig(a) | toBig(b));
}
export function intBxor(a: Int, b: Int): Int {
  if (isI32(a) && isI32(b)) return a ^ b;
  return normBig(toBig(a) ^ toBig(b));
}
export function intBnot(a: Int): Int {
  if (isI32(a)) return ~a;
  return normBig(~toBig(a));
}

/** Shift left by `n` (negative shifts right), arithmetic like Erlang's `bsl`. */
export function intBsl(a: Int, n: Int): Int {
  if (typeof n === "bigint") {
    if (a === 0) return 0;
    if (n < 0n) return (typeof a === "number" ? a < 0 : a < 0n) ? -1 : 0;
    throw new RangeError("system_limit");
  }
  if (n < 0) return intBsr(a, -n);
  if (typeof a === "number" && n < 31 && Math.abs(a) < 2 ** (52 - n)) return a * 2 ** n;
  if (n > 1 << 24 && a !== 0) throw new RangeError("system_limit");
  return normBig(toBig(a) << BigInt(n));
}

export function intBsr(a: Int, n: Int): Int {
  if (typeof n === "bigint") {
    if (n > 0n) return (typeof a === "number" ? a < 0 : a < 0n) ? -1 : 0;
    return intBsl(a, -n);
  }
  if (n < 0) return intBsl(a, -n);
  if (isI32(a)) return n >= 32 ? (a < 0 ? -1 : 0) : a >> n;
  return normBig(toBig(a) >> BigInt(n));
}

export function intCompare(a: Int, b: Int): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parses an integer in base 2..36; returns null if the text is not one. */
export function parseInt36(text: string, base: number): Int | null {
  let i = 0;
  let neg = false;
  if (text[0] === "-" || text[0] === "+") {
    neg = text[0] === "-";
    i = 1;
  }
  if (i >= text.length) return null;
  let acc = 0n;
  const B = BigInt(base);
  let small = 0;
  let useSmall = true;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 90) d = c - 55;
    else if (c >= 97 && c <= 122) d = c - 87;
    else return null;
    if (d >= base) return null;
    if (useSmall) {
      const next = small * base + d;
      if (next <= Number.MAX_SAFE_INTEGER) {
        small = next;
        continue;
      }
      useSmall = false;
      acc = BigInt(small);
    }
    acc = acc * B + BigInt(d);
  }
  if (useSmall) return neg ? (small === 0 ? 0 : -small) : small;
  return normBig(neg ? -acc : acc);
}

/** Integer to text in base 2..36, upper-case digits as Erlang prints them. */
export function intToString(i: Int, base = 10): string {
  return i.toString(base).toUpperCase();
}
