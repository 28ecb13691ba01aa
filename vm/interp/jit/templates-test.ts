/**
 * Templates for test instructions (type tests, comparisons, arity and tag
 * tests) and the two switches, `select_val` and `select_tuple_arity`. A test
 * is an `if` whose false branch leaves the block for the fail label; the
 * predicates mirror ops/tests.ts exactly.
 */
import { Atom } from "../../../terms/atom.ts";
import type { Emitter, JitInstr } from "./emitter.ts";
import type { Template } from "./templates.ts";
import { bothNumbers } from "./templates-bif.ts";

/** Emits `if (!(cond)) goto fail`, where `cond` is built from operand expressions. */
function guard(e: Emitter, ins: JitInstr, operands: number[], cond: (...v: string[]) => string) {
  const fail = e.label(ins.args[0]!);
  if (fail === null) return null;
  const vs: string[] = [];
  for (const i of operands) {
    const v = e.srcTmp(ins.args[i]!);
    if (v === null) return null;
    vs.push(v);
  }
  e.emit(`if (!(${cond(...vs)})) { ${e.exitTo(fail)} }`);
  return true;
}

const type1 =
  (cond: (v: string) => string): Template =>
  (e, ins) =>
    guard(e, ins, [1], cond);

/** Atoms, small ints and [] are equal exactly when identical. */
function immediate(e: Emitter, ins: JitInstr, i: number): boolean {
  const c = e.constValue(ins.args[i]!);
  return (
    c !== null && (c.v instanceof Atom || typeof c.v === "number" || ins.args[i]!.kind === "nil")
  );
}

function eqExact(negate: boolean): Template {
  return (e, ins) => {
    const fast = immediate(e, ins, 1) || immediate(e, ins, 2);
    return guard(e, ins, [1, 2], (a, b) => {
      // Primitives (small integers, bignums) are equal exactly when `===`:
      // only objects need the structural comparison (and its call).
      const same = fast
        ? `${a} === ${b}`
        : `(${a} === ${b} || (typeof ${a} === "object" && exactEq(${a}, ${b})))`;
      return negate ? `!(${same})` : same;
    });
  };
}

/** `==` as an expression: two small integers need no call (1 == 1.0 involves a Float object). */
function looseEq(a: string, b: string): string {
  return `(${a} === ${b} || ((typeof ${a} !== "number" || typeof ${b} !== "number") && eq(${a}, ${b})))`;
}

function less(ge: boolean): Template {
  return (e, ins) =>
    guard(e, ins, [1, 2], (a, b) => {
      const lt = `(${bothNumbers(a, b)} ? ${a} < ${b} : compare(${a}, ${b}) < 0)`;
      return ge ? `!${lt}` : lt;
    });
}

export const testTemplates: Record<string, Template> = {
  is_lt: less(false),
  is_ge: less(true),
  is_eq: (e, ins) => guard(e, ins, [1, 2], (a, b) => looseEq(a, b)),
  is_ne: (e, ins) => guard(e, ins, [1, 2], (a, b) => `!${looseEq(a, b)}`),
  is_eq_exact: eqExact(false),
  is_ne_exact: eqExact(true),
  is_integer: type1((v) => `typeof ${v} === "number" || typeof ${v} === "bigint"`),
  is_float: type1((v) => `${v} instanceof Float`),
  is_number: type1(
    (v) => `typeof ${v} === "number" || typeof ${v} === "bigint" || ${v} instanceof Float`,
  ),
  is_atom: type1((v) => `${v} instanceof Atom`),
  is_nil: type1((v) => `${v} === NIL`),
  is_binary: type1((v) => `${v} instanceof BitString && ${v}.isBinary`),
  is_bitstr: type1((v) => `${v} instanceof BitString`),
  is_list: type1((v) => `${v} instanceof Cons || ${v} === NIL`),
  is_nonempty_list: type1((v) => `${v} instanceof Cons`),
  is_tuple: type1((v) => `Array.isArray(${v})`),
  is_map: type1((v) => `${v} instanceof MapTerm`),
  is_function: type1((v) => `${v} instanceof Fun || ${v} instanceof ExportFun`),
  is_boolean: type1((v) => `${v} === A_TRUE || ${v} === A_FALSE`),
  test_arity(e, ins) {
    const n = ins.args[2];
    if (n?.kind !== "u") return null;
    return guard(e, ins, [1], (v) => `${v}.length === ${n.value}`);
  },
  is_tagged_tuple(e, ins) {
    const n = ins.args[2];
    const tag = e.constValue(ins.args[3]!);
    if (n?.kind !== "u" || tag === null) return null;
    const k = e.konst(tag.v);
    return guard(
      e,
      ins,
      [1],
      (v) => `Array.isArray(${v}) && ${v}.length === ${n.value} && ${v}[0] === ${k}`,
    );
  },

  select_val(e, ins) {
    const [s, failOp, list] = ins.args;
    const fail = e.label(failOp!);
    if (fail === null || list?.kind !== "list") return null;
    const cases: string[] = [];
    const targets: number[] = [];
    for (let i = 0; i < list.items.length; i += 2) {
      const c = e.constValue(list.items[i]!);
      const to = e.label(list.items[i + 1]!);
      if (c === null || to === null) return null;
      // Only identity-comparable values; anything else keeps the closure.
      if (typeof c.v === "number") cases.push(`case ${c.v < 0 ? `(${c.v})` : c.v}:`);
      else if (c.v instanceof Atom) cases.push(`case ${e.konst(c.v)}:`);
      else return null;
      targets.push(to);
    }
    const v = e.src(s!);
    if (v === null) return null;
    for (let i = 0; i < cases.length; i++) cases[i] += ` ${e.exitTo(targets[i]!)}`;
    e.emit(`switch (${v}) { ${cases.join(" ")} default: ${e.exitTo(fail)} }`);
    return false;
  },
  select_tuple_arity(e, ins) {
    const [s, failOp, list] = ins.args;
    const fail = e.label(failOp!);
    if (fail === null || list?.kind !== "list") return null;
    const cases: string[] = [];
    const targets: number[] = [];
    for (let i = 0; i < list.items.length; i += 2) {
      const n = list.items[i]!;
      const to = e.label(list.items[i + 1]!);
      if (n.kind !== "u" || to === null) return null;
      cases.push(`case ${n.value}:`);
      targets.push(to);
    }
    const v = e.src(s!);
    if (v === null) return null;
    for (let i = 0; i < cases.length; i++) cases[i] += ` ${e.exitTo(targets[i]!)}`;
    e.emit(`switch (${v}.length) { ${cases.join(" ")} default: ${e.exitTo(fail)} }`);
    return false;
  },
};
