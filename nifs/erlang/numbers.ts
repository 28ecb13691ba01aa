/**
 * Number conversions shared by the arithmetic BIFs.
 */

import { Float, type Int, type Term } from "../../terms/term.ts";
import { badarith } from "../../vm/index.ts";

const DIGIT_BITS = 64n;
const DIGIT_MASK = (1n << 64n) - 1n;
const TWO_64 = 2 ** 64;

/**
 * An integer as a double the way BEAM converts it: a bignum is folded from its
 * most significant 64-bit digit down, `d = d * 2^64 + digit`, rounding at each
 * step. That is not always the correctly rounded value (`2^1024 - 2^969`
 * overflows in OTP although it rounds to the largest double), and mixed
 * arithmetic must agree with OTP on such edges. May return ±Infinity.
 */
export function intToDouble(i: Int): number {
  if (typeof i === "number") return i;
  const neg = i < 0n;
  let x = neg ? -i : i;
  if (x <= DIGIT_MASK) return neg ? -Number(x) : Number(x);
  const digits: bigint[] = [];
  while (x > 0n) {
    digits.push(x & DIGIT_MASK);
    x >>= DIGIT_BITS;
  }
  let d = 0;
  for (let k = digits.length - 1; k >= 0; k--) d = d * TWO_64 + Number(digits[k]!);
  return neg ? -d : d;
}

/** A number term as a double (±Infinity on bignum overflow); null if not a number. */
export function numberToDouble(t: Term): number | null {
  if (typeof t === "number") return t;
  if (t instanceof Float) return t.value;
  if (typeof t === "bigint") return intToDouble(t);
  return null;
}

/** Boxes an arithmetic result; non-finite results are `badarith` as in BEAM. */
export function floatResult(v: number): Float {
  if (v - v !== 0) badarith(); // true exactly for ±Infinity and NaN
  return new Float(v);
}

/** A float's integral value (already integral) as a normalised integer. */
export function integralToInt(v: number): Int {
  if (v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER) return v === 0 ? 0 : v;
  return BigInt(v);
}
