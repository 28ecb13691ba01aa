/**
 * Arithmetic operators: `+ - * / div rem` (and unary `-`/`+`), plus `abs/1`.
 *
 * Integers are exact at any size; a float operand makes the operation float,
 * and a non-finite float result (overflow, `1 / 0`) is `badarith`. The fast
 * paths take two small integers and allocate nothing.
 */

import { intAdd, intDiv, intMul, intNeg, intRem, intSub } from "../../terms/integer.ts";
import { Float, type Int, type Term } from "../../terms/term.ts";
import {
  badarg,
  badarith,
  defineNatives,
  type NativeModule,
  type Process,
} from "../../vm/index.ts";
import { floatResult, numberToDouble } from "./numbers.ts";

const MAX = Number.MAX_SAFE_INTEGER;

const isInt = (t: Term): t is Int => typeof t === "number" || typeof t === "bigint";

/**
 * Both operands as doubles for float arithmetic; `badarith` unless both are
 * numbers and any bignum fits in a double (`1 / (1 bsl 1024)` is `badarith`).
 */
function floatOperands(a: Term, b: Term): [number, number] {
  const x = numberToDouble(a);
  const y = numberToDouble(b);
  if (x === null || y === null || x - x !== 0 || y - y !== 0) badarith();
  return [x, y];
}

function addSlow(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) return intAdd(a, b);
  const [x, y] = floatOperands(a, b);
  return floatResult(x + y);
}

function subSlow(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) return intSub(a, b);
  const [x, y] = floatOperands(a, b);
  return floatResult(x - y);
}

function mulSlow(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) return intMul(a, b);
  const [x, y] = floatOperands(a, b);
  return floatResult(x * y);
}

/** `A + B` */
export function add(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return addSlow(a, b);
}

/** `A - B` */
export function sub(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return subSlow(a, b);
}

/** `A * B` */
export function mul(_p: Process, a: Term, b: Term): Term {
  if (typeof a === "number" && typeof b === "number") {
    const r = a * b;
    // A zero product of a negative and zero is -0 in JS; Erlang has no -0 integer.
    if (r <= MAX && r >= -MAX) return r === 0 ? 0 : r;
  }
  return mulSlow(a, b);
}

/** `A / B`: always a float; a zero divisor (integer or float) is `badarith`. */
export function fdiv(_p: Process, a: Term, b: Term): Term {
  const [x, y] = floatOperands(a, b);
  if (y === 0) badarith();
  return floatResult(x / y);
}

/** `A div B`: integers only, truncating toward zero. */
export function idiv(_p: Process, a: Term, b: Term): Term {
  if (!isInt(a) || !isInt(b) || b === 0) badarith();
  return intDiv(a, b);
}

/** `A rem B`: integers only, the result takes the dividend's sign. */
export function irem(_p: Process, a: Term, b: Term): Term {
  if (!isInt(a) || !isInt(b) || b === 0) badarith();
  return intRem(a, b);
}

/** Unary `-A`. */
export function neg(_p: Process, a: Term): Term {
  if (typeof a === "number") return a === 0 ? 0 : -a;
  if (typeof a === "bigint") return intNeg(a);
  if (a instanceof Float) return new Float(-a.value);
  return badarith();
}

/** Unary `+A`: the number itself. */
function plus(_p: Process, a: Term): Term {
  if (typeof a === "number" || typeof a === "bigint" || a instanceof Float) return a;
  return badarith();
}

/** `abs/1` (a BIF, so `badarg` rather than `badarith`). */
function abs(_p: Process, a: Term): Term {
  if (typeof a === "number") return a < 0 ? -a : a;
  if (typeof a === "bigint") return a < 0n ? -a : a;
  // OTP negates only values below zero, so abs(-0.0) stays -0.0.
  if (a instanceof Float) return a.value < 0 ? new Float(-a.value) : a;
  return badarg();
}

/** The arithmetic operators and `abs/1`. */
export const arithNatives: NativeModule = defineNatives("erlang", {
  "+/2": add,
  "-/2": sub,
  "*/2": mul,
  "//2": fdiv,
  "div/2": idiv,
  "rem/2": irem,
  "-/1": neg,
  "+/1": plus,
  "abs/1": abs,
});
