/**
 * Float register instructions. Float registers are a VM-wide Float64Array
 * (never live across a schedule-out), so float arithmetic allocates nothing
 * until the result is boxed back into a term by `fmove`.
 */

import { A } from "../../../terms/atom.ts";
import { Float, type Term } from "../../../terms/term.ts";
import { badarith, ErlangError } from "../../errors.ts";
import { dst, floatReg, isFloatReg, src } from "../adapt.ts";
import { reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

function toDouble(t: Term): number {
  if (typeof t === "number") return t;
  if (typeof t === "bigint") {
    const d = Number(t);
    if (!Number.isFinite(d)) badarith();
    return d;
  }
  if (t instanceof Float) return t.value;
  throw new ErlangError("error", A.badarith);
}

function arith(op: (a: number, b: number) => number): OpTable[string] {
  return (ctx, [, a, b, d]) => {
    const fr = ctx.vm.fr;
    const i = floatReg(a!);
    const j = floatReg(b!);
    const k = floatReg(d!);
    return (_p, pc) => {
      const r = op(fr[i]!, fr[j]!);
      if (!Number.isFinite(r)) badarith();
      fr[k] = r;
      return pc + 1;
    };
  };
}

export const floatOps: OpTable = {
  fclearerror() {
    return (_p, pc) => pc + 1;
  },
  fcheckerror() {
    return (_p, pc) => pc + 1;
  },
  fmove(ctx, [s, d]) {
    const fr = ctx.vm.fr;
    if (isFloatReg(s!) && isFloatReg(d!)) {
      const i = floatReg(s!);
      const k = floatReg(d!);
      return (_p, pc) => {
        fr[k] = fr[i]!;
        return pc + 1;
      };
    }
    if (isFloatReg(s!)) {
      const i = floatReg(s!);
      const w = writer(ctx.vm, dst(d!));
      return (p, pc) => {
        w(p, new Float(fr[i]!));
        return pc + 1;
      };
    }
    const r = reader(ctx.vm, src(ctx, s!));
    const k = floatReg(d!);
    return (p, pc) => {
      fr[k] = (r(p) as Float).value;
      return pc + 1;
    };
  },
  fconv(ctx, [s, d]) {
    const fr = ctx.vm.fr;
    const r = reader(ctx.vm, src(ctx, s!));
    const k = floatReg(d!);
    return (p, pc) => {
      fr[k] = toDouble(r(p));
      return pc + 1;
    };
  },
  fadd: arith((a, b) => a + b),
  fsub: arith((a, b) => a - b),
  fmul: arith((a, b) => a * b),
  fdiv: arith((a, b) => a / b),
  fnegate(ctx, [, a, d]) {
    const fr = ctx.vm.fr;
    const i = floatReg(a!);
    const k = floatReg(d!);
    return (_p, pc) => {
      fr[k] = -fr[i]!;
      return pc + 1;
    };
  },
};
