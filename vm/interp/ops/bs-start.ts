/**
 * Match context life cycle and cursor instructions (OTP 25 family, most of
 * them still emitted by OTP 26+ around `bs_match`):
 *
 *     bs_start_match2 Fail Src Live Slots Dst    (OTP < 22, with save slots)
 *     bs_start_match3 Fail Src Live Dst          (OTP 22)
 *     bs_start_match4 Fail Live Src Dst          (OTP 23+; Fail may be the
 *                                                 atom no_fail or resume)
 *     bs_get_position Ctx Dst Live / bs_set_position Ctx Pos
 *     bs_save2 Ctx Slot / bs_restore2 Ctx Slot   (Slot: N or the atom start)
 *     bs_get_tail Ctx Dst Live
 *     bs_context_to_binary Reg
 *     bs_test_tail2 Fail Ctx Bits / bs_test_unit Fail Ctx Unit
 *
 * Starting a match on a register that already holds a context reuses it with
 * its position: that is how the compiler passes a partly matched binary to
 * another function without materialising the tail.
 */
import type { Operand } from "../../../loader/module.ts";
import { BitString } from "../../../terms/binary.ts";
import type { Term } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import { CompileError, dst, failLabel, src, u } from "../adapt.ts";
import { asCtx, ctxTerm, MatchContext, savedOf, setSaved } from "../bits/match-context.ts";
import type { CompileCtx } from "../context.ts";
import { reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

/** The context for `t`: itself if it already is one, a new one for a bitstring, else null. */
function contextOf(t: Term): MatchContext | null {
  if (t instanceof MatchContext) return t;
  if (t instanceof BitString) return new MatchContext(t);
  return null;
}

function startMatch(ctx: CompileCtx, fail: number, srcOp: Operand, dstOp: Operand): Handler {
  const r = reader(ctx.vm, src(ctx, srcOp));
  const w = writer(ctx.vm, dst(dstOp));
  return (p, pc) => {
    const m = contextOf(r(p));
    if (m === null) return fail;
    w(p, ctxTerm(m));
    return pc + 1;
  };
}

/** `bs_save2`/`bs_restore2` slot index: `start` is 0, compiler slot N is N + 1. */
function slotIndex(o: Operand): number {
  if (o.kind === "atom") {
    if (o.value.name === "start") return 0;
    throw new CompileError(`bad match slot ${o.value.name}`);
  }
  return u(o) + 1;
}

export const startOps: OpTable = {
  bs_start_match2(ctx, [failOp, srcOp, , slotsOp, dstOp]) {
    const fail = failLabel(ctx, failOp!);
    const slots = u(slotsOp!) + 1;
    const r = reader(ctx.vm, src(ctx, srcOp!));
    const w = writer(ctx.vm, dst(dstOp!));
    return (p, pc) => {
      const m = contextOf(r(p));
      if (m === null) return fail;
      // Slot 0 remembers where this match started (bs_restore2 start,
      // bs_context_to_binary).
      const saved = savedOf(m);
      if (saved === undefined || saved.length < slots)
        setSaved(m, new Array<number>(slots).fill(m.pos));
      else saved[0] = m.pos;
      w(p, ctxTerm(m));
      return pc + 1;
    };
  },
  bs_start_match3(ctx, [failOp, srcOp, , dstOp]) {
    return startMatch(ctx, failLabel(ctx, failOp!), srcOp!, dstOp!);
  },
  bs_start_match4(ctx, [failOp, , srcOp, dstOp]) {
    // `no_fail` and `resume`: the compiler proved the source is a bitstring
    // or a context, so there is no failure branch.
    const fail = failOp!.kind === "atom" ? -1 : failLabel(ctx, failOp!);
    return startMatch(ctx, fail, srcOp!, dstOp!);
  },

  bs_get_position(ctx, [ctxOp, dstOp]) {
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const w = writer(ctx.vm, dst(dstOp!));
    return (p, pc) => {
      w(p, asCtx(r(p)).pos);
      return pc + 1;
    };
  },
  bs_set_position(ctx, [ctxOp, posOp]) {
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const pos = reader(ctx.vm, src(ctx, posOp!));
    return (p, pc) => {
      asCtx(r(p)).pos = pos(p) as number;
      return pc + 1;
    };
  },
  bs_save2(ctx, [ctxOp, slotOp]) {
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const i = slotIndex(slotOp!);
    return (p, pc) => {
      const m = asCtx(r(p));
      let saved = savedOf(m);
      if (saved === undefined) setSaved(m, (saved = [m.src.offset]));
      saved[i] = m.pos;
      return pc + 1;
    };
  },
  bs_restore2(ctx, [ctxOp, slotOp]) {
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const i = slotIndex(slotOp!);
    return (p, pc) => {
      const m = asCtx(r(p));
      m.pos = savedOf(m)?.[i] ?? m.src.offset;
      return pc + 1;
    };
  },
  bs_get_tail(ctx, [ctxOp, dstOp]) {
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const w = writer(ctx.vm, dst(dstOp!));
    return (p, pc) => {
      w(p, asCtx(r(p)).tail());
      return pc + 1;
    };
  },
  bs_context_to_binary(ctx, [regOp]) {
    // Turns a context back into the binary it matched, from where the match
    // started (slot 0) to the end; anything else is left alone.
    const r = reader(ctx.vm, src(ctx, regOp!));
    const w = writer(ctx.vm, dst(regOp!));
    return (p, pc) => {
      const t = r(p);
      if (t instanceof MatchContext) w(p, t.from(savedOf(t)?.[0] ?? t.src.offset));
      return pc + 1;
    };
  },

  bs_test_tail2(ctx, [failOp, ctxOp, bitsOp]) {
    const fail = failLabel(ctx, failOp!);
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const bits = u(bitsOp!);
    return (p, pc) => {
      const m = asCtx(r(p));
      return m.end - m.pos === bits ? pc + 1 : fail;
    };
  },
  bs_test_unit(ctx, [failOp, ctxOp, unitOp]) {
    const fail = failLabel(ctx, failOp!);
    const r = reader(ctx.vm, src(ctx, ctxOp!));
    const unit = u(unitOp!);
    return (p, pc) => {
      const m = asCtx(r(p));
      return (m.end - m.pos) % unit === 0 ? pc + 1 : fail;
    };
  },
};
