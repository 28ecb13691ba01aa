/**
 * Test instructions: each jumps to its fail label when the test is false.
 * Comparisons and type tests, `select_val`, `select_tuple_arity`, and
 * record/tagged-tuple tests.
 */

import type { Operand } from "../../../loader/module.ts";
import { Atom } from "../../../terms/atom.ts";
import { BitString } from "../../../terms/binary.ts";
import { compare, eq, exactEq } from "../../../terms/compare.ts";
import { MapTerm } from "../../../terms/map.ts";
import {
  Cons,
  ExportFun,
  Float,
  Fun,
  NIL,
  Pid,
  Port,
  Ref,
  type Term,
} from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import { failLabel, listItems, src, u } from "../adapt.ts";
import type { CompileCtx } from "../context.ts";
import { reader, type Src } from "../operand.ts";
import type { OpTable } from "./types.ts";

function test1(pred: (t: Term) => boolean): OpTable[string] {
  return (ctx, [fail, a]) => {
    const f = failLabel(ctx, fail!);
    const S = src(ctx, a!);
    if (S.k === "x") {
      const x = ctx.vm.x;
      const n = S.n;
      return (_p, pc) => (pred(x[n]!) ? pc + 1 : f);
    }
    const r = reader(ctx.vm, S);
    return (p, pc) => (pred(r(p)) ? pc + 1 : f);
  };
}

function test2(pred: (a: Term, b: Term) => boolean): OpTable[string] {
  return (ctx, [fail, a, b]) => {
    const f = failLabel(ctx, fail!);
    const ra = reader(ctx.vm, src(ctx, a!));
    const rb = reader(ctx.vm, src(ctx, b!));
    return (p, pc) => (pred(ra(p), rb(p)) ? pc + 1 : f);
  };
}

/** `is_eq_exact` against a constant atom or small int is a pointer compare. */
function eqExactOp(ctx: CompileCtx, [fail, a, b]: readonly Operand[], negate: boolean): Handler {
  const f = failLabel(ctx, fail!);
  const A = src(ctx, a!);
  const B = src(ctx, b!);
  const immediate = (s: Src) =>
    s.k === "c" && (s.v instanceof Atom || typeof s.v === "number" || s.v === NIL);
  if (A.k === "x" && immediate(B)) {
    const x = ctx.vm.x;
    const n = A.n;
    const v = (B as { v: Term }).v;
    return negate ? (_p, pc) => (x[n] !== v ? pc + 1 : f) : (_p, pc) => (x[n] === v ? pc + 1 : f);
  }
  const ra = reader(ctx.vm, A);
  const rb = reader(ctx.vm, B);
  return negate
    ? (p, pc) => (!exactEq(ra(p), rb(p)) ? pc + 1 : f)
    : (p, pc) => (exactEq(ra(p), rb(p)) ? pc + 1 : f);
}

/** Integer fast path for `<` and `>=`: both small ints compare natively. */
function lessOp(ge: boolean): OpTable[string] {
  return (ctx, [fail, a, b]) => {
    const f = failLabel(ctx, fail!);
    const ra = reader(ctx.vm, src(ctx, a!));
    const rb = reader(ctx.vm, src(ctx, b!));
    return (p, pc) => {
      const x = ra(p);
      const y = rb(p);
      const lt = typeof x === "number" && typeof y === "number" ? x < y : compare(x, y) < 0;
      return lt !== ge ? pc + 1 : f;
    };
  };
}

const isInteger = (t: Term) => typeof t === "number" || typeof t === "bigint";
const isFun = (t: Term) => t instanceof Fun || t instanceof ExportFun;

export const testOps: OpTable = {
  is_lt: lessOp(false),
  is_ge: lessOp(true),
  is_eq: test2(eq),
  is_ne: test2((a, b) => !eq(a, b)),
  is_eq_exact: (ctx, args) => eqExactOp(ctx, args, false),
  is_ne_exact: (ctx, args) => eqExactOp(ctx, args, true),

  is_integer: test1(isInteger),
  is_float: test1((t) => t instanceof Float),
  is_number: test1((t) => isInteger(t) || t instanceof Float),
  is_atom: test1((t) => t instanceof Atom),
  is_pid: test1((t) => t instanceof Pid),
  is_reference: test1((t) => t instanceof Ref),
  is_port: test1((t) => t instanceof Port),
  is_nil: test1((t) => t === NIL),
  is_binary: test1((t) => t instanceof BitString && t.isBinary),
  is_bitstr: test1((t) => t instanceof BitString),
  is_list: test1((t) => t instanceof Cons || t === NIL),
  is_nonempty_list: test1((t) => t instanceof Cons),
  is_tuple: test1((t) => Array.isArray(t)),
  is_map: test1((t) => t instanceof MapTerm),
  is_function: test1(isFun),
  is_boolean: test1((t) => t instanceof Atom && (t.name === "true" || t.name === "false")),

  is_function2(ctx, [fail, a, arity]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, a!));
    const ra = reader(ctx.vm, src(ctx, arity!));
    return (p, pc) => {
      const t = r(p);
      const n = ra(p);
      return (t instanceof Fun || t instanceof ExportFun) && t.arity === n ? pc + 1 : f;
    };
  },

  test_arity(ctx, [fail, a, arity]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, a!));
    const n = u(arity!);
    return (p, pc) => ((r(p) as Term[]).length === n ? pc + 1 : f);
  },

  is_tagged_tuple(ctx, [fail, a, arity, tag]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, a!));
    const n = u(arity!);
    const t = (src(ctx, tag!) as { v: Term }).v;
    return (p, pc) => {
      const v = r(p);
      return Array.isArray(v) && v.length === n && v[0] === t ? pc + 1 : f;
    };
  },

  select_val(ctx, [a, fail, list]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, a!));
    const items = listItems(list!);
    // Atoms and small ints go in a Map (identity == exact equality for them).
    const table = new Map<Term, number>();
    const slow: [Term, number][] = [];
    for (let i = 0; i < items.length; i += 2) {
      const v = (src(ctx, items[i]!) as { v: Term }).v;
      const target = ctx.labelPc(items[i + 1]!);
      if (v instanceof Atom || typeof v === "number") table.set(v, target);
      else slow.push([v, target]);
    }
    return (p) => {
      const v = r(p);
      const t = table.get(v);
      if (t !== undefined) return t;
      for (const [k, target] of slow) if (exactEq(k, v)) return target;
      return f;
    };
  },

  select_tuple_arity(ctx, [a, fail, list]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, a!));
    const items = listItems(list!);
    const table = new Map<number, number>();
    for (let i = 0; i < items.length; i += 2) {
      table.set(u(items[i]!), ctx.labelPc(items[i + 1]!));
    }
    return (p) => table.get((r(p) as Term[]).length) ?? f;
  },
};
