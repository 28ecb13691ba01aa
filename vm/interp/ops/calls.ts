/** Calls, returns, funs, BIF instructions and function headers. */

import type { Operand } from "../../../loader/module.ts";
import { A, Atom } from "../../../terms/atom.ts";
import { Fun, type Term } from "../../../terms/term.ts";
import { Control, type Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import { ErlangError } from "../../errors.ts";
import { type NativeFn, Raise } from "../../native.ts";
import type { Process } from "../../process/process.ts";
import { dst, failLabel, importIndex, listItems, src, u } from "../adapt.ts";
import { callFun, invoke } from "../apply.ts";
import { addBifFrame, bifInstructionHasFrame } from "../bif-frames.ts";
import type { CompileCtx } from "../context.ts";
import { type Reader, reader, writer } from "../operand.ts";
import { fastArith2 } from "./arith-fast.ts";
import type { OpTable } from "./types.ts";

/** Pops the current frame (the `Dealloc` operand of `call_last`). */
function popFrame(p: Process): void {
  const s = p.stack;
  s.length = p.yBase;
  p.yBase = s.pop() as number;
}

function localCall(target: number, arity: number, tail: boolean, dealloc: boolean): Handler {
  return (p, pc) => {
    if (dealloc) popFrame(p);
    if (!tail) p.ret.push(pc + 1);
    if (--p.reds <= 0) {
      p.vm.saveState(p, target, arity);
      return Control.Yield;
    }
    return target;
  };
}

/** Calls a native as a BIF instruction: arguments come from operands, not X registers. */
function bifHandler(
  entry: ExportEntry,
  args: Reader[],
  fail: number,
  write: (p: Process, v: Term) => void,
  frame: boolean,
): Handler {
  const call = (p: Process): Term => {
    const fn = entry.native as NativeFn | null;
    if (fn === null) {
      throw new ErlangError("error", A.undef);
    }
    let r: ReturnType<NativeFn>;
    switch (args.length) {
      case 0:
        r = fn(p);
        break;
      case 1:
        r = fn(p, args[0]!(p));
        break;
      case 2:
        r = fn(p, args[0]!(p), args[1]!(p));
        break;
      default:
        r = fn(p, ...args.map((a) => a(p)));
    }
    // A BIF instruction has no way to return a raise: it throws it (and a
    // guard takes its fail branch).
    if (r instanceof Raise) throw r.error;
    return r as Term;
  };
  if (fail >= 0) {
    // In a guard: any exception means "take the fail branch".
    return (p, pc) => {
      try {
        write(p, call(p));
        return pc + 1;
      } catch (e) {
        if (e instanceof ErlangError) return fail;
        throw e;
      }
    };
  }
  return (p, pc) => {
    try {
      write(p, call(p));
    } catch (e) {
      if (frame)
        addBifFrame(
          e,
          entry,
          args.map((a) => a(p)),
        );
      throw e;
    }
    return pc + 1;
  };
}

export const callOps: OpTable = {
  label() {
    return (_p, pc) => pc + 1;
  },
  func_info(ctx, [, , arity]) {
    // Reached when no clause matched: function_clause with the arguments.
    const n = u(arity!);
    const x = ctx.vm.x;
    return () => {
      const e = new ErlangError("error", A.function_clause);
      e.currentArgs = x.slice(0, n);
      throw e;
    };
  },
  int_code_end() {
    return () => {
      throw new ErlangError("error", A.undef);
    };
  },
  on_load() {
    return (_p, pc) => pc + 1;
  },
  nif_start() {
    return (_p, pc) => pc + 1;
  },
  executable_line() {
    return (_p, pc) => pc + 1;
  },
  debug_line() {
    return (_p, pc) => pc + 1;
  },

  call(ctx, [arity, label]) {
    return localCall(ctx.labelPc(label!), u(arity!), false, false);
  },
  call_only(ctx, [arity, label]) {
    return localCall(ctx.labelPc(label!), u(arity!), true, false);
  },
  call_last(ctx, [arity, label]) {
    return localCall(ctx.labelPc(label!), u(arity!), true, true);
  },
  call_ext(ctx, [arity, imp]) {
    const entry = ctx.importEntry(importIndex(imp!));
    const n = u(arity!);
    return (p, pc) => invoke(p, entry, n, pc + 1);
  },
  call_ext_only(ctx, [arity, imp]) {
    const entry = ctx.importEntry(importIndex(imp!));
    const n = u(arity!);
    return (p) => invoke(p, entry, n, -1);
  },
  call_ext_last(ctx, [arity, imp]) {
    const entry = ctx.importEntry(importIndex(imp!));
    const n = u(arity!);
    return (p) => {
      popFrame(p);
      return invoke(p, entry, n, -1);
    };
  },
  return() {
    return (p) => p.ret.pop()!;
  },

  apply(ctx, [arity]) {
    const n = u(arity!);
    const x = ctx.vm.x;
    return (p, pc) => applyX(p, x, n, pc + 1);
  },
  apply_last(ctx, [arity]) {
    const n = u(arity!);
    const x = ctx.vm.x;
    return (p) => {
      popFrame(p);
      return applyX(p, x, n, -1);
    };
  },

  call_fun(ctx, [arity]) {
    const n = u(arity!);
    const x = ctx.vm.x;
    return (p, pc) => callFun(p, x[n]!, n, pc + 1);
  },
  call_fun2(ctx, [_tag, arity, f]) {
    const n = u(arity!);
    const r = reader(ctx.vm, src(ctx, f!));
    return (p, pc) => callFun(p, r(p), n, pc + 1);
  },
  make_fun2(ctx, [index]) {
    return makeFun(ctx, u(index!), null, []);
  },
  make_fun3(ctx, [index, d, env]) {
    return makeFun(ctx, u(index!), d!, listItems(env!));
  },

  bif0(ctx, [imp, d]) {
    return bifHandler(ctx.importEntry(importIndex(imp!)), [], -1, writer(ctx.vm, dst(d!)), true);
  },
  bif1(ctx, [fail, imp, a, d]) {
    return compileBif(ctx, fail!, imp!, [a!], d!);
  },
  bif2(ctx, [fail, imp, a, b, d]) {
    return compileBif(ctx, fail!, imp!, [a!, b!], d!);
  },
  // OTP 29: a three-argument guard BIF (e.g. is_record/3 in a guard).
  bif3(ctx, [fail, imp, a, b, c, d]) {
    return compileBif(ctx, fail!, imp!, [a!, b!, c!], d!);
  },
  gc_bif1(ctx, [fail, , imp, a, d]) {
    return compileBif(ctx, fail!, imp!, [a!], d!);
  },
  gc_bif2(ctx, [fail, , imp, a, b, d]) {
    const args = [reader(ctx.vm, src(ctx, a!)), reader(ctx.vm, src(ctx, b!))];
    const entry = ctx.importEntry(importIndex(imp!));
    const w = writer(ctx.vm, dst(d!));
    const slow = bifHandler(
      entry,
      args,
      failLabel(ctx, fail!),
      w,
      bifInstructionHasFrame(entry, [a!, b!]),
    );
    return fastArith2(ctx.vm, entry, src(ctx, a!), src(ctx, b!), dst(d!), slow) ?? slow;
  },
  gc_bif3(ctx, [fail, , imp, a, b, c, d]) {
    return compileBif(ctx, fail!, imp!, [a!, b!, c!], d!);
  },
};

/** `bif`/`gc_bif` Fail Import Args... Dst: the BIF's native called with the argument readers. */
function compileBif(
  ctx: CompileCtx,
  fail: Operand,
  imp: Operand,
  argOps: readonly Operand[],
  d: Operand,
): Handler {
  const args = argOps.map((o) => reader(ctx.vm, src(ctx, o)));
  const entry = ctx.importEntry(importIndex(imp));
  return bifHandler(
    entry,
    args,
    failLabel(ctx, fail),
    writer(ctx.vm, dst(d)),
    bifInstructionHasFrame(entry, argOps),
  );
}

/** `apply/3` as an instruction: X(n) module, X(n+1) function, X0.. args. */
function applyX(p: Process, x: Term[], n: number, retPc: number): number {
  const m = x[n]!;
  const f = x[n + 1]!;
  if (!(m instanceof Atom) || !(f instanceof Atom)) throw new ErlangError("error", A.badarg);
  return invoke(p, p.vm.exports.get(m, f, n), n, retPc);
}

function makeFun(
  ctx: CompileCtx,
  index: number,
  d: Operand | null,
  env: readonly Operand[],
): Handler {
  const info = ctx.funs[index]!;
  const module = ctx.module;
  const x = ctx.vm.x;
  const readers = env.map((o) => reader(ctx.vm, src(ctx, o)));
  const w = d ? writer(ctx.vm, dst(d)) : (_p: Process, v: Term) => void (x[0] = v);
  const numFree = d ? readers.length : info.numFree;
  return (p, pc) => {
    const captured = new Array<Term>(numFree);
    if (d) for (let i = 0; i < numFree; i++) captured[i] = readers[i]!(p);
    else for (let i = 0; i < numFree; i++) captured[i] = x[i]!;
    const f = new Fun(
      module,
      info.name,
      info.arity - numFree,
      info.index,
      info.oldUniq,
      captured,
      info.oldUniq,
      p.pid,
    );
    f.code = info.pc;
    w(p, f);
    return pc + 1;
  };
}
