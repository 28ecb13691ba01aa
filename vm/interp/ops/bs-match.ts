/**
 * `bs_match Fail Ctx {list, Commands}` (opcode 182, OTP 26+): several match
 * steps on one context in one instruction. The list is flat, each command an
 * atom followed by its operands:
 *
 *     ensure_at_least Bits Unit      at least Bits left, and (left - Bits) rem Unit = 0
 *     ensure_exactly Bits            exactly Bits left
 *     integer Live Flags Size Unit Dst
 *     binary Live Flags Size Unit Dst
 *     skip Bits
 *     get_tail Live Unit Dst         the rest (the position does not move)
 *     '=:=' Live Bits Value          the next Bits bits, unsigned, equal Value
 *
 * Size, Unit and Bits are load-time constants. The compiler puts an
 * `ensure_*` first so later steps need no bounds check, but every step checks
 * anyway: a hand-written or corrupt module must fail the match, not read past
 * the end.
 */
import type { Operand } from "../../../loader/module.ts";
import { BitString } from "../../../terms/binary.ts";
import type { Handler } from "../../code/code-area.ts";
import type { Process } from "../../process/process.ts";
import { CompileError, dst, failLabel, listItems, src, u } from "../adapt.ts";
import { segFlags } from "../bits/flags.ts";
import { readInt } from "../bits/int-bits.ts";
import { asCtx, type MatchContext } from "../bits/match-context.ts";
import type { CompileCtx } from "../context.ts";
import { reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

/** One compiled command: false fails the whole match. */
type Step = (p: Process, m: MatchContext) => boolean;

/** Operand count after the command atom. */
const ARITY: Record<string, number> = {
  ensure_at_least: 2,
  ensure_exactly: 1,
  integer: 5,
  binary: 5,
  skip: 1,
  get_tail: 3,
  "=:=": 3,
};

function compileStep(ctx: CompileCtx, name: string, a: readonly Operand[]): Step {
  switch (name) {
    case "ensure_at_least": {
      const bits = u(a[0]!);
      const unit = u(a[1]!);
      if (unit <= 1) return (_p, m) => m.end - m.pos >= bits;
      return (_p, m) => {
        const left = m.end - m.pos;
        return left >= bits && (left - bits) % unit === 0;
      };
    }
    case "ensure_exactly": {
      const bits = u(a[0]!);
      return (_p, m) => m.end - m.pos === bits;
    }
    case "integer": {
      const { little, signed } = segFlags(a[1]!);
      const bits = u(a[2]!) * u(a[3]!);
      const w = writer(ctx.vm, dst(a[4]!));
      return (p, m) => {
        if (m.end - m.pos < bits) return false;
        w(p, readInt(m.buf, m.pos, bits, little, signed));
        m.pos += bits;
        return true;
      };
    }
    case "binary": {
      const bits = u(a[2]!) * u(a[3]!);
      const w = writer(ctx.vm, dst(a[4]!));
      return (p, m) => {
        if (m.end - m.pos < bits) return false;
        w(p, new BitString(m.buf, m.pos, bits));
        m.pos += bits;
        return true;
      };
    }
    case "skip": {
      const bits = u(a[0]!);
      return (_p, m) => {
        if (m.end - m.pos < bits) return false;
        m.pos += bits;
        return true;
      };
    }
    case "get_tail": {
      const w = writer(ctx.vm, dst(a[2]!));
      return (p, m) => {
        w(p, m.tail());
        return true;
      };
    }
    case "=:=": {
      const bits = u(a[1]!);
      // beam_asm writes the value as an untagged number; accept a tagged
      // integer too.
      const vo = a[2]!;
      const v = vo.kind === "u" ? vo.value : src(ctx, vo);
      if (typeof v !== "number" && v.k !== "c")
        throw new CompileError("bs_match: =:= value is not a constant");
      const value = typeof v === "number" ? v : v.v;
      return (_p, m) => {
        if (m.end - m.pos < bits || readInt(m.buf, m.pos, bits, false, false) !== value)
          return false;
        m.pos += bits;
        return true;
      };
    }
  }
  throw new CompileError(`bs_match: unknown command ${name}`);
}

/** Parses the flat command list into steps. */
export function compileCommands(ctx: CompileCtx, items: readonly Operand[]): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < items.length) {
    const cmd = items[i]!;
    if (cmd.kind !== "atom") throw new CompileError(`bs_match: expected a command atom at ${i}`);
    const name = cmd.value.name;
    const n = ARITY[name];
    if (n === undefined) throw new CompileError(`bs_match: unknown command ${name}`);
    if (i + 1 + n > items.length) throw new CompileError(`bs_match: truncated ${name} command`);
    steps.push(compileStep(ctx, name, items.slice(i + 1, i + 1 + n)));
    i += 1 + n;
  }
  return steps;
}

export function compileBsMatch(
  ctx: CompileCtx,
  [failOp, ctxOp, listOp]: readonly Operand[],
): Handler {
  const fail = failLabel(ctx, failOp!);
  const rc = reader(ctx.vm, src(ctx, ctxOp!));
  const steps = compileCommands(ctx, listItems(listOp!));
  const n = steps.length;
  if (n === 1) {
    const s0 = steps[0]!;
    return (p, pc) => (s0(p, asCtx(rc(p))) ? pc + 1 : fail);
  }
  if (n === 2) {
    const s0 = steps[0]!;
    const s1 = steps[1]!;
    return (p, pc) => {
      const m = asCtx(rc(p));
      return s0(p, m) && s1(p, m) ? pc + 1 : fail;
    };
  }
  return (p, pc) => {
    const m = asCtx(rc(p));
    for (let i = 0; i < n; i++) if (!steps[i]!(p, m)) return fail;
    return pc + 1;
  };
}

export const matchOps: OpTable = {
  bs_match: compileBsMatch,
};
