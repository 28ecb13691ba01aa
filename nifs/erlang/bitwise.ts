/**
 * Bitwise operators `band bor bxor bnot bsl bsr` on integers of any size
 * (infinite two's complement, arithmetic shifts). Non-integers are `badarith`;
 * a result above OTP's bignum limit is `system_limit`.
 */

import { intBand, intBnot, intBor, intBxor, normBig, toBig } from "../../terms/integer.ts";
import type { Int, Term } from "../../terms/term.ts";
import {
  badarith,
  defineNatives,
  type NativeModule,
  type Process,
  systemLimit,
} from "../../vm/index.ts";

/**
 * Largest integer OTP can build, in bits: (2^19 - 1) 64-bit digits.
 * `1 bsl 33554367` works, `1 bsl 33554368` is `system_limit`.
 */
const MAX_INT_BITS = 33_554_368;

const isInt = (t: Term): t is Int => typeof t === "number" || typeof t === "bigint";
const isNeg = (a: Int): boolean => (typeof a === "number" ? a < 0 : a < 0n);

function bitLength(a: Int): number {
  const m = typeof a === "number" ? Math.abs(a) : a < 0n ? -a : a;
  if (m === 0) return 0;
  const hex = m.toString(16);
  // Four bits per hex digit, minus the leading zero bits of the first digit.
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0]!, 16)));
}

/** `a bsl n` for any integer shift (negative shifts right). */
function shiftLeft(a: Int, n: Int): Int {
  if (typeof n === "bigint") {
    // A shift this far either empties the number or cannot be represented.
    if (a === 0) return 0;
    if (n < 0n) return isNeg(a) ? -1 : 0;
    return systemLimit();
  }
  if (n < 0) return shiftRight(a, -n);
  if (a === 0 || n === 0) return a;
  if (typeof a === "number") {
    if (n < 31) {
      const r = a * (1 << n);
      if (r <= Number.MAX_SAFE_INTEGER && r >= -Number.MAX_SAFE_INTEGER) return r;
    }
    if (n > MAX_INT_BITS - 53 && bitLength(a) + n > MAX_INT_BITS) systemLimit();
  } else if (bitLength(a) + n > MAX_INT_BITS) systemLimit();
  return normBig(toBig(a) << BigInt(n));
}

/** `a bsr n` for any integer shift (negative shifts left). */
function shiftRight(a: Int, n: Int): Int {
  if (typeof n === "bigint") {
    if (n > 0n) return isNeg(a) ? -1 : 0;
    return shiftLeft(a, -n);
  }
  if (n < 0) return shiftLeft(a, -n);
  if (typeof a === "number") {
    if ((a | 0) === a) return n >= 32 ? (a < 0 ? -1 : 0) : a >> n;
    // Floor division is an arithmetic shift; exact below 2^53.
    return n >= 54 ? (a < 0 ? -1 : 0) : Math.floor(a / 2 ** n);
  }
  return normBig(a >> BigInt(n));
}

function band(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number" && (a | 0) === a && (b | 0) === b) {
    return a & b;
  }
  if (!isInt(a) || !isInt(b)) badarith();
  return intBand(a, b);
}

function bor(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number" && (a | 0) === a && (b | 0) === b) {
    return a | b;
  }
  if (!isInt(a) || !isInt(b)) badarith();
  return intBor(a, b);
}

function bxor(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number" && (a | 0) === a && (b | 0) === b) {
    return a ^ b;
  }
  if (!isInt(a) || !isInt(b)) badarith();
  return intBxor(a, b);
}

function bnot(_p: Process, a: Term): Term {
  if (!isInt(a)) badarith();
  return intBnot(a);
}

function bsl(_p: Process, a: Term, n: Term): Term {
  if (!isInt(a) || !isInt(n)) badarith();
  return shiftLeft(a, n);
}

function bsr(_p: Process, a: Term, n: Term): Term {
  if (!isInt(a) || !isInt(n)) badarith();
  return shiftRight(a, n);
}

/** The bitwise operators. */
export const bitwiseNatives: NativeModule = defineNatives("erlang", {
  "band/2": band,
  "bor/2": bor,
  "bxor/2": bxor,
  "bnot/1": bnot,
  "bsl/2": bsl,
  "bsr/2": bsr,
});
