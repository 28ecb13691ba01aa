/**
 * `math`: IEEE double functions. Erlang has no infinities or NaN, so a
 * result outside the finite doubles (log(0), sqrt(-1), pow overflow) raises
 * `badarith`, and a non-number argument raises `badarg`, as in OTP.
 */

import { Float, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeFn, type NativeModule } from "../../vm/index.ts";
import { erf, erfc } from "./erf.ts";
import { badarg, badarith } from "./util.ts";

function num(t: Term): number {
  let v: number;
  if (typeof t === "number") v = t;
  else if (typeof t === "bigint") v = Number(t);
  else if (t instanceof Float) v = t.value;
  else return badarg();
  // A bignum too large for a double gives badarith in OTP.
  if (!Number.isFinite(v)) badarith();
  return v;
}

function result(v: number): Float {
  if (!Number.isFinite(v)) return badarith();
  return new Float(v);
}

const f1 =
  (f: (x: number) => number): NativeFn =>
  (_p, x) =>
    result(f(num(x)));
const f2 =
  (f: (x: number, y: number) => number): NativeFn =>
  (_p, x, y) =>
    result(f(num(x), num(y)));

function pow(x: number, y: number): number {
  // C pow(0, negative) is a pole: OTP raises badarith.
  if (x === 0 && y < 0) return badarith();
  return x ** y;
}

function fmod(x: number, y: number): number {
  if (y === 0) return badarith();
  return x % y;
}

export const mathNatives: NativeModule = defineNatives("math", {
  "pi/0": () => new Float(Math.PI),
  "tau/0": () => new Float(2 * Math.PI),
  "sin/1": f1(Math.sin),
  "cos/1": f1(Math.cos),
  "tan/1": f1(Math.tan),
  "asin/1": f1(Math.asin),
  "acos/1": f1(Math.acos),
  "atan/1": f1(Math.atan),
  "atan2/2": f2(Math.atan2),
  "sinh/1": f1(Math.sinh),
  "cosh/1": f1(Math.cosh),
  "tanh/1": f1(Math.tanh),
  "asinh/1": f1(Math.asinh),
  "acosh/1": f1(Math.acosh),
  "atanh/1": f1(Math.atanh),
  "exp/1": f1(Math.exp),
  "log/1": f1(Math.log),
  "log2/1": f1(Math.log2),
  "log10/1": f1(Math.log10),
  "pow/2": f2(pow),
  "sqrt/1": f1(Math.sqrt),
  "erf/1": f1(erf),
  "erfc/1": f1(erfc),
  "ceil/1": f1(Math.ceil),
  "floor/1": f1(Math.floor),
  "fmod/2": f2(fmod),
});
