/**
 * The pre-OTP 25 construction family, still found in modules compiled by
 * OTP 24 and earlier (and by OTP 25 with `+no_bs_create_bin`):
 *
 *     bs_add Fail Src1 Src2 Unit Dst          Dst = Src1 + Src2 * Unit
 *     bs_utf8_size / bs_utf16_size Fail Src Dst   (bytes)
 *     bs_init2 Fail Bytes Words Live Flags Dst
 *     bs_init_bits Fail Bits Words Live Flags Dst
 *     bs_append Fail Bits Words Live Unit Bin Flags Dst
 *     bs_private_append Fail Bits Unit Bin Flags Dst
 *     bs_init_writable                        X0 = empty growable binary
 *     bs_put_integer/binary/float Fail Size Unit Flags Src
 *     bs_put_string Len {string}
 *     bs_put_utf8/utf16/utf32 Fail Flags Src
 *
 * The opening instruction sizes the result; the puts then write into it at
 * the position kept in the VM's {@link BuildState}. These releases raised a
 * plain `badarg`; the segment number in our error cause is 0.
 */
import type { Operand } from "../../../loader/module.ts";
import type { Atom } from "../../../terms/atom.ts";
import { appendGrow, BitString, GrowBuffer } from "../../../terms/binary.ts";
import type { Term } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import { badarg, ErlangError, systemLimit } from "../../errors.ts";
import type { Process } from "../../process/process.ts";
import { CompileError, dst, failLabel, src, u } from "../adapt.ts";
import { bsFail, PROBLEM, SEG } from "../bits/bs-error.ts";
import { buildState } from "../bits/build-state.ts";
import { segFlags } from "../bits/flags.ts";
import {
  MAX_BITS,
  putAll,
  putBinary,
  putBytes,
  putFloat,
  putInteger,
  segmentBits,
} from "../bits/segments.ts";
import {
  codePointOf,
  utf8Bits,
  utf16Bits,
  writeUtf8,
  writeUtf16,
  writeUtf32,
} from "../bits/utf.ts";
import type { CompileCtx } from "../context.ts";
import { type Reader, reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

/** Runs `body`; with a fail label, an Erlang error jumps there instead of raising. */
function guarded(fail: number, body: (p: Process) => void): Handler {
  if (fail < 0) {
    return (p, pc) => {
      body(p);
      return pc + 1;
    };
  }
  return (p, pc) => {
    try {
      body(p);
    } catch (e) {
      if (e instanceof ErlangError) return fail;
      throw e;
    }
    return pc + 1;
  };
}

function isAll(o: Operand): boolean {
  return o.kind === "atom" && o.value.name === "all";
}

/** A non-negative size term as a number of units, or badarg/system_limit. */
function count(t: Term): number {
  if (typeof t === "number" && t >= 0) return t;
  if (typeof t === "bigint" && t > 0n) return systemLimit();
  return badarg();
}

function readerOf(ctx: CompileCtx, o: Operand): Reader {
  return reader(ctx.vm, src(ctx, o));
}

/** Opens a fresh buffer of `bits` bits and makes it the build target. */
function open(
  ctx: CompileCtx,
  fail: number,
  sizeOp: Operand,
  unit: number,
  dstOp: Operand,
): Handler {
  const size = readerOf(ctx, sizeOp);
  const w = writer(ctx.vm, dst(dstOp));
  const st = buildState(ctx.vm);
  return guarded(fail, (p) => {
    const bits = count(size(p)) * unit;
    if (bits > MAX_BITS) systemLimit();
    const buf = new Uint8Array((bits + 7) >>> 3);
    st.buf = buf;
    st.pos = 0;
    w(p, new BitString(buf, 0, bits));
  });
}

/** `bs_append`/`bs_private_append`: extend Bin by Bits, possibly in place. */
function append(
  ctx: CompileCtx,
  fail: number,
  sizeOp: Operand,
  unit: number,
  binOp: Operand,
  dstOp: Operand,
): Handler {
  const size = readerOf(ctx, sizeOp);
  const bin = readerOf(ctx, binOp);
  const w = writer(ctx.vm, dst(dstOp));
  const st = buildState(ctx.vm);
  return guarded(fail, (p) => {
    const bits = count(size(p));
    const base = bin(p);
    if (!(base instanceof BitString)) return bsFail(0, SEG.binary, PROBLEM.type, base);
    if (unit > 1 && base.size % unit !== 0) bsFail(0, SEG.binary, PROBLEM.unit, base);
    if (base.size + bits > MAX_BITS) systemLimit();
    const out = appendGrow(base, bits);
    st.buf = out.buf;
    st.pos = out.offset + base.size;
    w(p, out);
  });
}

/** A `bs_put_*` with a Size and Unit: `put(buf, pos, bits, value)`. */
function sizedPut(
  ctx: CompileCtx,
  [failOp, sizeOp, unitOp, flagsOp, srcOp]: readonly Operand[],
  type: Atom,
  put: (buf: Uint8Array, pos: number, bits: number, v: Term, little: boolean) => void,
): Handler {
  const fail = failLabel(ctx, failOp!);
  const unit = u(unitOp!);
  const { little } = segFlags(flagsOp!);
  const value = readerOf(ctx, srcOp!);
  const st = buildState(ctx.vm);
  const sizeO = sizeOp!;
  if (sizeO.kind === "int" && typeof sizeO.value === "number" && sizeO.value >= 0) {
    const bits = sizeO.value * unit;
    return guarded(fail, (p) => {
      put(st.buf, st.pos, bits, value(p), little);
      st.pos += bits;
    });
  }
  const size = readerOf(ctx, sizeO);
  return guarded(fail, (p) => {
    const bits = segmentBits(0, type, size(p), unit);
    put(st.buf, st.pos, bits, value(p), little);
    st.pos += bits;
  });
}

function utfPut(
  ctx: CompileCtx,
  [failOp, flagsOp, srcOp]: readonly Operand[],
  which: 8 | 16 | 32,
): Handler {
  const fail = failLabel(ctx, failOp!);
  const { little } = segFlags(flagsOp!);
  const value = readerOf(ctx, srcOp!);
  const st = buildState(ctx.vm);
  const type = which === 8 ? SEG.utf8 : which === 16 ? SEG.utf16 : SEG.utf32;
  return guarded(fail, (p) => {
    const v = value(p);
    const cp = codePointOf(v);
    if (cp < 0) bsFail(0, type, PROBLEM.type, v);
    if (which === 8) st.pos += writeUtf8(st.buf, st.pos, cp);
    else if (which === 16) st.pos += writeUtf16(st.buf, st.pos, cp, little);
    else st.pos += writeUtf32(st.buf, st.pos, cp, little);
  });
}

/** `bs_utf8_size`/`bs_utf16_size`: bytes the code point will take (checked later by the put). */
function utfSize(
  ctx: CompileCtx,
  [failOp, srcOp, dstOp]: readonly Operand[],
  bitsOf: (cp: number) => number,
): Handler {
  const fail = failLabel(ctx, failOp!);
  const value = readerOf(ctx, srcOp!);
  const w = writer(ctx.vm, dst(dstOp!));
  return guarded(fail, (p) => {
    const v = value(p);
    w(p, typeof v === "number" && v >= 0 ? bitsOf(v) >>> 3 : 4);
  });
}

export const putOps: OpTable = {
  bs_add(ctx, [failOp, aOp, bOp, unitOp, dstOp]) {
    const a = readerOf(ctx, aOp!);
    const b = readerOf(ctx, bOp!);
    const unit = u(unitOp!);
    const w = writer(ctx.vm, dst(dstOp!));
    return guarded(failLabel(ctx, failOp!), (p) => {
      const r = count(a(p)) + count(b(p)) * unit;
      if (r > Number.MAX_SAFE_INTEGER) systemLimit();
      w(p, r);
    });
  },
  bs_utf8_size: (ctx, args) => utfSize(ctx, args, utf8Bits),
  bs_utf16_size: (ctx, args) => utfSize(ctx, args, utf16Bits),

  bs_init2(ctx, [failOp, sizeOp, , , , dstOp]) {
    return open(ctx, failLabel(ctx, failOp!), sizeOp!, 8, dstOp!);
  },
  bs_init_bits(ctx, [failOp, sizeOp, , , , dstOp]) {
    return open(ctx, failLabel(ctx, failOp!), sizeOp!, 1, dstOp!);
  },
  bs_append(ctx, [failOp, sizeOp, , , unitOp, binOp, , dstOp]) {
    return append(ctx, failLabel(ctx, failOp!), sizeOp!, u(unitOp!), binOp!, dstOp!);
  },
  bs_private_append(ctx, [failOp, sizeOp, unitOp, binOp, , dstOp]) {
    return append(ctx, failLabel(ctx, failOp!), sizeOp!, u(unitOp!), binOp!, dstOp!);
  },
  bs_init_writable(ctx) {
    // X0 holds a size hint in bytes; the result is an empty binary that
    // later appends can grow in place.
    const x = ctx.vm.x;
    return (_p, pc) => {
      const hint = x[0];
      const bytes = typeof hint === "number" && hint > 0 && hint < 1 << 24 ? hint : 0;
      const buf = new Uint8Array(Math.max(bytes, 64));
      x[0] = new BitString(buf, 0, 0, new GrowBuffer(buf, 0));
      return pc + 1;
    };
  },

  bs_put_integer: (ctx, args) =>
    sizedPut(ctx, args, SEG.integer, (buf, pos, bits, v, little) =>
      putInteger(buf, pos, bits, v, little, 0),
    ),
  bs_put_float: (ctx, args) =>
    sizedPut(ctx, args, SEG.float, (buf, pos, bits, v, little) =>
      putFloat(buf, pos, bits, v, little, 0),
    ),
  bs_put_binary(ctx, args) {
    const [failOp, sizeOp, unitOp, , srcOp] = args;
    if (!isAll(sizeOp!))
      return sizedPut(ctx, args, SEG.binary, (buf, pos, bits, v) =>
        putBinary(buf, pos, bits, v, 0),
      );
    const unit = u(unitOp!);
    const value = readerOf(ctx, srcOp!);
    const st = buildState(ctx.vm);
    return guarded(failLabel(ctx, failOp!), (p) => {
      const v = value(p);
      if (!(v instanceof BitString)) return bsFail(0, SEG.binary, PROBLEM.type, v);
      putAll(st.buf, st.pos, v, unit, 0);
      st.pos += v.size;
    });
  },
  bs_put_string(ctx, [, strOp]) {
    if (strOp!.kind !== "string") throw new CompileError("bs_put_string without a string operand");
    const bytes = strOp!.bytes;
    const st = buildState(ctx.vm);
    return (_p, pc) => {
      putBytes(st.buf, st.pos, bytes);
      st.pos += bytes.length * 8;
      return pc + 1;
    };
  },
  bs_put_utf8: (ctx, args) => utfPut(ctx, args, 8),
  bs_put_utf16: (ctx, args) => utfPut(ctx, args, 16),
  bs_put_utf32: (ctx, args) => utfPut(ctx, args, 32),
};
