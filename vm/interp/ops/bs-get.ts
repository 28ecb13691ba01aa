/**
 * Field extraction from a match context (OTP 25 family):
 *
 *     bs_get_integer2 / bs_get_float2 / bs_get_binary2  Fail Ctx Live Size Unit Flags Dst
 *     bs_skip_bits2                                     Fail Ctx Size Unit Flags
 *     bs_get_utf8 / utf16 / utf32                       Fail Ctx Live Flags Dst
 *     bs_skip_utf8 / utf16 / utf32                      Fail Ctx Live Flags
 *     bs_match_string                                   Fail Ctx Bits {string}
 *
 * A match never raises: a size that is not a non-negative integer, too few
 * bits left, a float that is not finite, an invalid code point or a string
 * mismatch all jump to Fail, leaving the position where it was.
 */
import type { Operand } from "../../../loader/module.ts";
import { BitString, readBitsSmall } from "../../../terms/binary.ts";
import { Float } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import type { Process } from "../../process/process.ts";
import { CompileError, dst, failLabel, src, u } from "../adapt.ts";
import { segFlags } from "../bits/flags.ts";
import { isFloatSize, readFloat } from "../bits/float-bits.ts";
import { readInt } from "../bits/int-bits.ts";
import { asCtx, type MatchContext } from "../bits/match-context.ts";
import { decoded, decodeUtf8, decodeUtf16, decodeUtf32 } from "../bits/utf.ts";
import type { CompileCtx } from "../context.ts";
import { reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

/** Bits a field takes in this execution, or -1 to fail the match. */
type BitsOf = (p: Process, m: MatchContext) => number;

/** Size operand × unit as a closure; `null` when the size is a load-time constant (see `constBits`). */
function bitsOf(ctx: CompileCtx, sizeOp: Operand, unit: number): BitsOf | null {
  if (sizeOp.kind === "atom" && sizeOp.value.name === "all") {
    return (_p, m) => {
      const r = m.end - m.pos;
      return r % unit === 0 ? r : -1;
    };
  }
  if (constBits(sizeOp, unit) >= 0) return null;
  const r = reader(ctx.vm, src(ctx, sizeOp));
  return (p) => {
    const t = r(p);
    return typeof t === "number" && t >= 0 ? t * unit : -1;
  };
}

function constBits(sizeOp: Operand, unit: number): number {
  if (
    (sizeOp.kind === "int" || sizeOp.kind === "u") &&
    typeof sizeOp.value === "number" &&
    sizeOp.value >= 0
  ) {
    return sizeOp.value * unit;
  }
  return -1;
}

/**
 * A handler that finds the field's bits, checks they are there, and hands
 * them to `take` (which returns false to fail, e.g. a non-finite float).
 * `take` advances the context itself on success.
 */
function field(
  ctx: CompileCtx,
  failOp: Operand,
  ctxOp: Operand,
  sizeOp: Operand,
  unit: number,
  take: (p: Process, m: MatchContext, bits: number) => boolean,
): Handler {
  const fail = failLabel(ctx, failOp);
  const rc = reader(ctx.vm, src(ctx, ctxOp));
  const dyn = bitsOf(ctx, sizeOp, unit);
  if (dyn === null) {
    const bits = constBits(sizeOp, unit);
    return (p, pc) => {
      const m = asCtx(rc(p));
      if (m.end - m.pos < bits) return fail;
      return take(p, m, bits) ? pc + 1 : fail;
    };
  }
  return (p, pc) => {
    const m = asCtx(rc(p));
    const bits = dyn(p, m);
    if (bits < 0 || m.end - m.pos < bits) return fail;
    return take(p, m, bits) ? pc + 1 : fail;
  };
}

function getInteger(
  ctx: CompileCtx,
  [failOp, ctxOp, , sizeOp, unitOp, flagsOp, dstOp]: readonly Operand[],
): Handler {
  const { little, signed } = segFlags(flagsOp!);
  const w = writer(ctx.vm, dst(dstOp!));
  return field(ctx, failOp!, ctxOp!, sizeOp!, u(unitOp!), (p, m, bits) => {
    w(p, readInt(m.buf, m.pos, bits, little, signed));
    m.pos += bits;
    return true;
  });
}

function getFloat(
  ctx: CompileCtx,
  [failOp, ctxOp, , sizeOp, unitOp, flagsOp, dstOp]: readonly Operand[],
): Handler {
  const { little } = segFlags(flagsOp!);
  const w = writer(ctx.vm, dst(dstOp!));
  return field(ctx, failOp!, ctxOp!, sizeOp!, u(unitOp!), (p, m, bits) => {
    if (!isFloatSize(bits)) return false;
    const v = readFloat(m.buf, m.pos, bits, little);
    if (Number.isNaN(v)) return false;
    w(p, new Float(v));
    m.pos += bits;
    return true;
  });
}

function getBinary(
  ctx: CompileCtx,
  [failOp, ctxOp, , sizeOp, unitOp, , dstOp]: readonly Operand[],
): Handler {
  const w = writer(ctx.vm, dst(dstOp!));
  return field(ctx, failOp!, ctxOp!, sizeOp!, u(unitOp!), (p, m, bits) => {
    w(p, m.pos === m.src.offset && bits === m.src.size ? m.src : new BitString(m.buf, m.pos, bits));
    m.pos += bits;
    return true;
  });
}

function skipBits(ctx: CompileCtx, [failOp, ctxOp, sizeOp, unitOp]: readonly Operand[]): Handler {
  return field(ctx, failOp!, ctxOp!, sizeOp!, u(unitOp!), (_p, m, bits) => {
    m.pos += bits;
    return true;
  });
}

type Decode = (buf: Uint8Array, pos: number, avail: number, little: boolean) => number;

const DECODERS: Record<8 | 16 | 32, Decode> = {
  8: (buf, pos, avail) => decodeUtf8(buf, pos, avail),
  16: decodeUtf16,
  32: decodeUtf32,
};

/** `bs_get_utf*` (with a Dst) and `bs_skip_utf*` (without). */
function utf(
  ctx: CompileCtx,
  failOp: Operand,
  ctxOp: Operand,
  flagsOp: Operand,
  dstOp: Operand | null,
  which: 8 | 16 | 32,
): Handler {
  const fail = failLabel(ctx, failOp);
  const rc = reader(ctx.vm, src(ctx, ctxOp));
  const { little } = segFlags(flagsOp);
  const decode = DECODERS[which];
  const w = dstOp === null ? null : writer(ctx.vm, dst(dstOp));
  return (p, pc) => {
    const m = asCtx(rc(p));
    const cp = decode(m.buf, m.pos, m.end - m.pos, little);
    if (cp < 0) return fail;
    m.pos += decoded.bits;
    if (w !== null) w(p, cp);
    return pc + 1;
  };
}

/** True if the `bits` bits at `pos` of `buf` equal the first `bits` bits of `bytes`. */
export function bitsMatch(buf: Uint8Array, pos: number, bytes: Uint8Array, bits: number): boolean {
  let i = 0;
  if ((pos & 7) === 0) {
    const start = pos >>> 3;
    const whole = bits >>> 3;
    for (; i < whole; i++) if (buf[start + i] !== bytes[i]) return false;
    i *= 8;
  }
  while (i < bits) {
    const take = Math.min(bits - i, 24);
    if (readBitsSmall(buf, pos + i, take) !== readBitsSmall(bytes, i, take)) return false;
    i += take;
  }
  return true;
}

export const getOps: OpTable = {
  bs_get_integer2: getInteger,
  bs_get_float2: getFloat,
  bs_get_binary2: getBinary,
  bs_skip_bits2: skipBits,
  bs_get_utf8: (ctx, [f, c, , fl, d]) => utf(ctx, f!, c!, fl!, d!, 8),
  bs_get_utf16: (ctx, [f, c, , fl, d]) => utf(ctx, f!, c!, fl!, d!, 16),
  bs_get_utf32: (ctx, [f, c, , fl, d]) => utf(ctx, f!, c!, fl!, d!, 32),
  bs_skip_utf8: (ctx, [f, c, , fl]) => utf(ctx, f!, c!, fl!, null, 8),
  bs_skip_utf16: (ctx, [f, c, , fl]) => utf(ctx, f!, c!, fl!, null, 16),
  bs_skip_utf32: (ctx, [f, c, , fl]) => utf(ctx, f!, c!, fl!, null, 32),
  bs_match_string(ctx, [failOp, ctxOp, bitsOp, strOp]) {
    const fail = failLabel(ctx, failOp!);
    const rc = reader(ctx.vm, src(ctx, ctxOp!));
    const bits = u(bitsOp!);
    if (strOp!.kind !== "string")
      throw new CompileError("bs_match_string without a string operand");
    const bytes = strOp!.bytes;
    return (p, pc) => {
      const m = asCtx(rc(p));
      if (m.end - m.pos < bits || !bitsMatch(m.buf, m.pos, bytes, bits)) return fail;
      m.pos += bits;
      return pc + 1;
    };
  },
};
