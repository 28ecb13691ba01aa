/**
 * Templates for the hot binary-matching instructions: the context position
 * ops, the tail/unit tests, and byte-aligned integer fields of 8..32 bits
 * (anything else, e.g. unaligned or wider fields, calls the closure). The
 * register holds a MatchContext here, as the closures assume (see
 * bits/match-context.ts).
 */
import type { Operand } from "../../../loader/module.ts";
import { segFlags } from "../bits/flags.ts";
import type { Emitter } from "./emitter.ts";
import type { Template } from "./templates.ts";

/** A constant field size in bits, or -1. */
function constBits(size: Operand, unit: Operand): number {
  if ((size.kind !== "int" && size.kind !== "u") || typeof size.value !== "number") return -1;
  if (unit.kind !== "u") return -1;
  return size.value >= 0 ? size.value * unit.value : -1;
}

/** The integer in `bytes` whole bytes at byte index `i` of `b`, as an expression. */
function intExpr(bytes: number, little: boolean, signed: boolean): string {
  const parts: string[] = [];
  for (let k = 0; k < bytes; k++) {
    const idx = little ? bytes - 1 - k : k;
    const shift = 8 * (bytes - 1 - k);
    const at = idx === 0 ? "b[i]" : `b[i + ${idx}]`;
    parts.push(shift ? `(${at} << ${shift})` : at);
  }
  const u = parts.join(" | ");
  const pad = 32 - 8 * bytes;
  if (signed) return pad ? `((${u}) << ${pad}) >> ${pad}` : `(${u}) | 0`;
  return bytes === 4 ? `(${u}) >>> 0` : `(${u})`;
}

function ctxTest(cond: (m: string) => string): Template {
  return (e, ins) => {
    const fail = e.label(ins.args[0]!);
    const m = e.srcTmp(ins.args[1]!);
    if (fail === null || m === null) return null;
    e.emit(`if (!(${cond(m)})) { ${e.exitTo(fail)} }`);
    return true;
  };
}

function getInteger(e: Emitter, ins: Parameters<Template>[1]): boolean | null {
  const [failOp, ctxOp, , sizeOp, unitOp, flagsOp, d] = ins.args;
  const fail = e.label(failOp!);
  const bits = constBits(sizeOp!, unitOp!);
  if (fail === null || !e.isReg(d!) || (bits !== 8 && bits !== 16 && bits !== 24 && bits !== 32))
    return null;
  const { little, signed } = segFlags(flagsOp!);
  const m = e.srcTmp(ctxOp!);
  if (m === null) return null;
  e.emit(`if (${m}.end - ${m}.pos < ${bits}) { ${e.exitTo(fail)} }`);
  e.withSlowPath(ins, (ok) => {
    e.emit(`if ((${m}.pos & 7) === 0) { const b = ${m}.buf, i = ${m}.pos >>> 3;`);
    e.emit(`const v = ${intExpr(bits >>> 3, little, signed)}; ${m}.pos += ${bits};`);
    e.dst(d!, "v");
    e.emit(`${ok} = true; }`);
  });
  return true;
}

export const bsTemplates: Record<string, Template> = {
  bs_get_integer2: getInteger,
  bs_get_position(e, { args: [c, d] }) {
    const m = e.src(c!);
    if (m === null || !e.isReg(d!)) return null;
    e.dst(d!, `${m}.pos`);
    return true;
  },
  bs_set_position(e, { args: [c, pos] }) {
    const m = e.srcTmp(c!);
    const v = e.src(pos!);
    if (m === null || v === null) return null;
    e.emit(`${m}.pos = ${v};`);
    return true;
  },
  bs_test_tail2(e, ins) {
    const bits = ins.args[2];
    if (bits?.kind !== "u") return null;
    return ctxTest((m) => `${m}.end - ${m}.pos === ${bits.value}`)(e, ins);
  },
  bs_test_unit(e, ins) {
    const unit = ins.args[2];
    if (unit?.kind !== "u") return null;
    return ctxTest((m) => `(${m}.end - ${m}.pos) % ${unit.value} === 0`)(e, ins);
  },
};
