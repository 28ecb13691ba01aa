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

/** `u`, an unsigned `bits`-bit value, reinterpreted as two's complement. */
function signedExpr(u: string, bits: number): string {
  return bits === 32 ? `${u} | 0` : `(${u} >= ${2 ** (bits - 1)} ? ${u} - ${2 ** bits} : ${u})`;
}

function getInteger(e: Emitter, ins: Parameters<Template>[1]): boolean | null {
  const [failOp, ctxOp, , sizeOp, unitOp, flagsOp, d] = ins.args;
  const fail = e.label(failOp!);
  const bits = constBits(sizeOp!, unitOp!);
  const { little, signed } = segFlags(flagsOp!);
  const whole = bits === 8 || bits === 16 || bits === 24 || bits === 32;
  // Big-endian fields of 1..32 bits at any alignment (sub-byte fields);
  // little-endian ones only whole and aligned.
  if (fail === null || !e.isReg(d!) || bits < 1 || bits > 32 || (little && !whole)) return null;
  const m = e.srcTmp(ctxOp!);
  if (m === null) return null;
  e.emit(`if (${m}.end - ${m}.pos < ${bits}) { ${e.exitTo(fail)} }`);
  if (!little) {
    // Every case is handled here: no closure needed.
    const u = e.fresh("u");
    if (whole) {
      e.emit(
        `let ${u}; if ((${m}.pos & 7) === 0) { const b = ${m}.buf, i = ${m}.pos >>> 3; ${u} = ${intExpr(bits >>> 3, false, false)}; } else ${u} = rt.readBitsSmall(${m}.buf, ${m}.pos, ${bits});`,
      );
    } else e.emit(`const ${u} = rt.readBitsSmall(${m}.buf, ${m}.pos, ${bits});`);
    e.emit(`${m}.pos += ${bits};`);
    e.dst(d!, signed ? signedExpr(u, bits) : u);
    return true;
  }
  e.withSlowPath(ins, (ok) => {
    e.emit(`if ((${m}.pos & 7) === 0) { const b = ${m}.buf, i = ${m}.pos >>> 3;`);
    e.emit(`const v = ${intExpr(bits >>> 3, little, signed)}; ${m}.pos += ${bits};`);
    e.dst(d!, "v");
    e.emit(`${ok} = true; }`);
  });
  return true;
}

/** `bs_get_binary2` with a constant, register or `all` size: a sub-binary sharing storage. */
function getBinary(e: Emitter, ins: Parameters<Template>[1]): boolean | null {
  const [failOp, ctxOp, , sizeOp, unitOp, , d] = ins.args;
  const fail = e.label(failOp!);
  if (fail === null || !e.isReg(d!) || unitOp?.kind !== "u" || unitOp.value < 1) return null;
  const unit = unitOp.value;
  const m = e.srcTmp(ctxOp!);
  if (m === null) return null;
  const n = e.fresh("n");
  if (sizeOp!.kind === "atom" && sizeOp!.value.name === "all") {
    e.emit(`const ${n} = ${m}.end - ${m}.pos;`);
    if (unit > 1) e.emit(`if (${n} % ${unit} !== 0) { ${e.exitTo(fail)} }`);
  } else {
    const sz = e.srcTmp(sizeOp!);
    if (sz === null) return null;
    e.emit(
      `const ${n} = typeof ${sz} === "number" && ${sz} >= 0 ? ${sz} * ${unit} : -1; if (${n} < 0 || ${m}.end - ${m}.pos < ${n}) { ${e.exitTo(fail)} }`,
    );
  }
  const v = e.fresh("v");
  e.emit(
    `const ${v} = ${m}.pos === ${m}.src.offset && ${n} === ${m}.src.size ? ${m}.src : new BitString(${m}.buf, ${m}.pos, ${n}); ${m}.pos += ${n};`,
  );
  e.dst(d!, v);
  return true;
}

/** `bs_start_match3/4`: reuse a context, wrap a bitstring, else fail (or, for `no_fail`, the closure). */
function startMatch(e: Emitter, ins: Parameters<Template>[1]): boolean | null {
  const four = ins.name === "bs_start_match4";
  const [failOp, a1, a2, a3] = ins.args;
  const srcOp = four ? a2 : a1;
  const d = a3;
  if (srcOp === undefined || d === undefined || !e.isReg(d)) return null;
  const fail = failOp!.kind === "atom" ? null : e.label(failOp!);
  if (failOp!.kind !== "atom" && fail === null) return null;
  const s = e.srcTmp(srcOp);
  if (s === null) return null;
  const c = e.fresh("c");
  e.emit(
    `const ${c} = ${s} instanceof rt.MatchContext ? ${s} : ${s} instanceof BitString ? new rt.MatchContext(${s}) : null;`,
  );
  if (fail !== null) {
    e.emit(`if (${c} === null) { ${e.exitTo(fail)} }`);
    e.dst(d, c);
    return true;
  }
  e.withSlowPath(ins, (ok) => {
    e.emit(`if (${c} !== null) {`);
    e.dst(d, c);
    e.emit(`${ok} = true; }`);
  });
  return true;
}

export const bsTemplates: Record<string, Template> = {
  bs_get_integer2: getInteger,
  bs_get_binary2: getBinary,
  bs_start_match3: startMatch,
  bs_start_match4: startMatch,
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
