/**
 * `catch`, `try` and the instructions that raise.
 *
 * A catch is a {@link CatchFrame} on the process plus a tag in a Y slot. When
 * an exception is caught, the VM puts the non-value in X0 and class, reason
 * and stack trace in X1..X3 before jumping to the handler (see VM.handleThrow).
 */

import type { Operand } from "../../../loader/module.ts";
import { A, atom } from "../../../terms/atom.ts";
import { NIL, type Term } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import { ErlangError, NON_VALUE, RawStacktrace, stacktraceList } from "../../errors.ts";
import type { Process } from "../../process/process.ts";
import { dst, src } from "../adapt.ts";
import type { CompileCtx } from "../context.ts";
import { reader } from "../operand.ts";
import type { OpTable } from "./types.ts";

const CATCH_TAG = atom("$catch");

function pushCatch(ctx: CompileCtx, [y, label]: readonly Operand[]): Handler {
  const slot = dst(y!).n;
  const handler = ctx.labelPc(label!);
  return (p, pc) => {
    p.stack[p.yBase + slot] = CATCH_TAG;
    (p.catches ??= []).push({
      handler,
      stackHeight: p.stack.length,
      yBase: p.yBase,
      retHeight: p.ret.length,
      slot,
    });
    return pc + 1;
  };
}

function popCatch(p: Process, slot: number): void {
  p.catches?.pop();
  p.stack[p.yBase + slot] = NIL;
}

/** Raises `cls:reason` keeping a given stack trace (erlang:raise/3, raw_raise). */
export function reraise(cls: Term, reason: Term, stack: Term): ErlangError | null {
  const c = cls === A.error ? "error" : cls === A.exit ? "exit" : cls === A.throw ? "throw" : null;
  if (c === null) return null;
  const e = new ErlangError(c, reason);
  e.stack_ = stack;
  return e;
}

function raiser(ctx: CompileCtx, a: Operand | undefined, tag: Term): Handler {
  const r = a ? reader(ctx.vm, src(ctx, a)) : null;
  return (p) => {
    throw new ErlangError("error", r ? [tag, r(p)] : tag);
  };
}

export const exceptionOps: OpTable = {
  catch: pushCatch,
  try: pushCatch,

  catch_end(ctx, [y]) {
    const slot = dst(y!).n;
    const x = ctx.vm.x;
    return (p, pc) => {
      if (x[0] !== NON_VALUE) {
        popCatch(p, slot);
        return pc + 1;
      }
      p.stack[p.yBase + slot] = NIL;
      const cls = x[1];
      if (cls === A.throw) x[0] = x[2]!;
      else if (cls === A.error) x[0] = [A.EXIT, [x[2]!, stacktraceList(x[3])]];
      else x[0] = [A.EXIT, x[2]!];
      return pc + 1;
    };
  },
  try_end(_ctx, [y]) {
    const slot = dst(y!).n;
    return (p, pc) => {
      popCatch(p, slot);
      return pc + 1;
    };
  },
  try_case(ctx, [y]) {
    const slot = dst(y!).n;
    const x = ctx.vm.x;
    return (p, pc) => {
      p.stack[p.yBase + slot] = NIL;
      x[0] = x[1]!;
      x[1] = x[2]!;
      x[2] = x[3]!;
      return pc + 1;
    };
  },
  try_case_end(ctx, [a]) {
    return raiser(ctx, a, A.try_clause);
  },
  badmatch(ctx, [a]) {
    return raiser(ctx, a, A.badmatch);
  },
  case_end(ctx, [a]) {
    return raiser(ctx, a, A.case_clause);
  },
  if_end(ctx) {
    return raiser(ctx, undefined, A.if_clause);
  },
  badrecord(ctx, [a]) {
    return raiser(ctx, a, A.badrecord);
  },

  build_stacktrace(ctx) {
    const x = ctx.vm.x;
    return (_p, pc) => {
      x[0] = stacktraceList(x[0]);
      return pc + 1;
    };
  },
  raw_raise(ctx) {
    const x = ctx.vm.x;
    return (_p, pc) => {
      const e = reraise(x[0]!, x[1]!, stacktraceList(x[2]));
      if (e === null) {
        x[0] = A.badarg;
        return pc + 1;
      }
      throw e;
    };
  },
  raise(ctx, [stack, value]) {
    const rs = reader(ctx.vm, src(ctx, stack!));
    const rv = reader(ctx.vm, src(ctx, value!));
    return (p) => {
      // The raw trace carries the original class (and the trace, still
      // unbuilt if no handler read it); a built list means `error`.
      const raw = rs(p) as unknown;
      if (raw instanceof RawStacktrace) {
        const e = new ErlangError(raw.error.cls, rv(p));
        e.shareStacktrace(raw.error);
        throw e;
      }
      const e = new ErlangError("error", rv(p));
      e.stack_ = raw as Term;
      throw e;
    };
  },
};
