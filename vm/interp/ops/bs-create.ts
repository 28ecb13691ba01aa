/**
 * `bs_create_bin` (OTP 25+): build a bitstring from a segment list in one
 * instruction.
 *
 *     bs_create_bin Fail Alloc Live Unit Dst {list, [Type, Seg, Unit, Flags, Src, Size, ...]}
 *
 * Six operands per segment; Type is one of integer, float, binary, utf8,
 * utf16, utf32, string, append, private_append (the last two only first).
 *
 * Error order matters because the cause names a segment, and OTP 25 checks
 * in three passes (observed with real erl): first every explicit size, then
 * the type of every `all`-sized binary (their sizes are needed to allocate),
 * then each segment in order while writing. So `<<a:8, a/binary>>` blames
 * segment 2 and `<<a/binary, 1:(-1)>>` blames the size of segment 2.
 *
 * The append forms (`<<Acc/binary, ...>>`) extend Acc in place through
 * `appendGrow` when Acc is the tip of a growable buffer, so building a
 * binary by appending in a loop is linear overall.
 */
import type { Operand } from "../../../loader/module.ts";
import { type Atom, atom } from "../../../terms/atom.ts";
import { appendGrow, BitString } from "../../../terms/binary.ts";
import type { Term } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import { ErlangError } from "../../errors.ts";
import type { Process } from "../../process/process.ts";
import { CompileError, dst, failLabel, listItems, src, u } from "../adapt.ts";
import { bsFail, bsLimit, PROBLEM, SEG } from "../bits/bs-error.ts";
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

// Segment kinds (plain numbers: the write loop switches on them).
const INT = 0;
const FLOAT = 1;
const BIN = 2;
const BIN_ALL = 3;
const UTF8 = 4;
const UTF16 = 5;
const UTF32 = 6;
const STR = 7;

interface Segment {
  readonly kind: number;
  /** Segment number for error causes. */
  readonly seg: number;
  readonly unit: number;
  readonly little: boolean;
  readonly value: Reader;
  /** Size term reader when the size is not a load-time constant. */
  readonly size: Reader | null;
  /** Bits when known at load time, else -1. */
  readonly bits: number;
  readonly bytes: Uint8Array | null;
  readonly type: Atom;
}

const KINDS: Record<string, number> = {
  integer: INT,
  float: FLOAT,
  binary: BIN,
  utf8: UTF8,
  utf16: UTF16,
  utf32: UTF32,
  string: STR,
};

const TYPE_OF = [
  SEG.integer,
  SEG.float,
  SEG.binary,
  SEG.binary,
  SEG.utf8,
  SEG.utf16,
  SEG.utf32,
  SEG.binary,
];

const NO_VALUE: Reader = () => 0;

function compileSegment(ctx: CompileCtx, ops: readonly Operand[]): Segment {
  const [typeOp, segOp, unitOp, flagsOp, srcOp, sizeOp] = ops as [
    Operand,
    Operand,
    Operand,
    Operand,
    Operand,
    Operand,
  ];
  if (typeOp.kind !== "atom") throw new CompileError("bs_create_bin: segment type is not an atom");
  let kind = KINDS[typeOp.value.name];
  if (kind === undefined)
    throw new CompileError(`bs_create_bin: unknown segment type ${typeOp.value.name}`);
  const seg = u(segOp);
  const unit = u(unitOp);
  const { little } = segFlags(flagsOp);
  if (kind === STR) {
    if (srcOp.kind !== "string")
      throw new CompileError("bs_create_bin: string segment without string");
    const bytes = srcOp.bytes;
    return {
      kind,
      seg,
      unit,
      little,
      value: NO_VALUE,
      size: null,
      bits: bytes.length * 8,
      bytes,
      type: SEG.binary,
    };
  }
  const value = reader(ctx.vm, src(ctx, srcOp));
  let size: Reader | null = null;
  let bits = -1;
  if (kind === UTF8 || kind === UTF16 || kind === UTF32) {
    // Size is `undefined`: it depends on the code point.
  } else if (sizeOp.kind === "atom" && sizeOp.value.name === "all") {
    if (kind !== BIN) throw new CompileError("bs_create_bin: `all` size on a non-binary segment");
    kind = BIN_ALL;
  } else if (sizeOp.kind === "int" && typeof sizeOp.value === "number" && sizeOp.value >= 0) {
    bits = sizeOp.value * unit;
  } else {
    size = reader(ctx.vm, src(ctx, sizeOp));
  }
  return { kind, seg, unit, little, value, size, bits, bytes: null, type: TYPE_OF[kind]! };
}

/** The base binary of an append, checked as BEAM does (type, then unit). */
function appendBase(v: Term, unit: number, seg: number): BitString {
  if (!(v instanceof BitString)) return bsFail(seg, SEG.binary, PROBLEM.type, v);
  if (unit > 1 && v.size % unit !== 0) bsFail(seg, SEG.binary, PROBLEM.unit, v);
  return v;
}

interface AppendSpec {
  readonly value: Reader;
  readonly unit: number;
  readonly seg: number;
}

/** Builds the whole handler body: returns the new bitstring or throws. */
function builder(segs: readonly Segment[], append: AppendSpec | null): (p: Process) => BitString {
  const n = segs.length;
  // Bits of each segment for the current execution; constant ones preset.
  // Reused across executions: building never re-enters itself.
  const bits = new Float64Array(n);
  let constTotal = 0;
  const dynamic: number[] = [];
  const late: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = segs[i]!;
    if (s.bits >= 0) {
      bits[i] = s.bits;
      constTotal += s.bits;
    } else if (s.size !== null) dynamic.push(i);
    else late.push(i);
  }

  return (p) => {
    let total = constTotal;
    for (let k = 0; k < dynamic.length; k++) {
      const i = dynamic[k]!;
      const s = segs[i]!;
      const b = segmentBits(s.seg, s.type, s.size!(p), s.unit);
      bits[i] = b;
      total += b;
    }
    const base = append === null ? null : appendBase(append.value(p), append.unit, append.seg);
    for (let k = 0; k < late.length; k++) {
      const i = late[k]!;
      const s = segs[i]!;
      const v = s.value(p);
      let b: number;
      if (s.kind === BIN_ALL) {
        if (!(v instanceof BitString)) return bsFail(s.seg, SEG.binary, PROBLEM.type, v);
        b = v.size;
      } else {
        // An invalid code point is reported by the write pass, in order.
        const cp = codePointOf(v);
        b = cp < 0 ? 0 : s.kind === UTF8 ? utf8Bits(cp) : s.kind === UTF16 ? utf16Bits(cp) : 32;
      }
      bits[i] = b;
      total += b;
    }
    if (total > MAX_BITS) bsLimit(segs[n - 1]?.seg ?? 1, SEG.binary, total);

    let out: BitString;
    let pos: number;
    if (base !== null) {
      out = appendGrow(base, total);
      pos = out.offset + base.size;
    } else {
      out = new BitString(new Uint8Array((total + 7) >>> 3), 0, total);
      pos = 0;
    }
    const buf = out.buf;
    for (let i = 0; i < n; i++) {
      const s = segs[i]!;
      const b = bits[i]!;
      switch (s.kind) {
        case INT:
          putInteger(buf, pos, b, s.value(p), s.little, s.seg);
          break;
        case FLOAT:
          putFloat(buf, pos, b, s.value(p), s.little, s.seg);
          break;
        case BIN:
          putBinary(buf, pos, b, s.value(p), s.seg);
          break;
        case BIN_ALL:
          putAll(buf, pos, s.value(p) as BitString, s.unit, s.seg);
          break;
        case STR:
          putBytes(buf, pos, s.bytes!);
          break;
        default: {
          const v = s.value(p);
          const cp = codePointOf(v);
          if (cp < 0) bsFail(s.seg, s.type, PROBLEM.type, v);
          if (s.kind === UTF8) writeUtf8(buf, pos, cp);
          else if (s.kind === UTF16) writeUtf16(buf, pos, cp, s.little);
          else writeUtf32(buf, pos, cp, s.little);
        }
      }
      pos += b;
    }
    return out;
  };
}

const APPEND = atom("append");
const PRIVATE_APPEND = atom("private_append");

export function compileCreateBin(ctx: CompileCtx, args: readonly Operand[]): Handler {
  const [failOp, , , unitOp, dstOp, listOp] = args as [
    Operand,
    Operand,
    Operand,
    Operand,
    Operand,
    Operand,
  ];
  const fail = failLabel(ctx, failOp);
  const w = writer(ctx.vm, dst(dstOp));
  const items = listItems(listOp);
  if (items.length % 6 !== 0)
    throw new CompileError("bs_create_bin: segment list length is not a multiple of 6");
  let append: AppendSpec | null = null;
  const segs: Segment[] = [];
  for (let g = 0; g < items.length; g += 6) {
    const t = items[g]!;
    if (t.kind === "atom" && (t.value === APPEND || t.value === PRIVATE_APPEND)) {
      if (g !== 0) throw new CompileError("bs_create_bin: append segment not first");
      append = {
        value: reader(ctx.vm, src(ctx, items[g + 4]!)),
        unit: u(unitOp),
        seg: u(items[g + 1]!),
      };
      continue;
    }
    segs.push(compileSegment(ctx, items.slice(g, g + 6)));
  }
  const build = builder(segs, append);
  if (fail < 0) {
    return (p, pc) => {
      w(p, build(p));
      return pc + 1;
    };
  }
  // In a guard a failed construction takes the fail branch.
  return (p, pc) => {
    let out: BitString;
    try {
      out = build(p);
    } catch (e) {
      if (e instanceof ErlangError) return fail;
      throw e;
    }
    w(p, out);
    return pc + 1;
  };
}

export const createOps: OpTable = {
  bs_create_bin: compileCreateBin,
};
