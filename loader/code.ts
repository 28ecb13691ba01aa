/**
 * The Code chunk: header, then instructions until `int_code_end`.
 *
 * Header words (layouts.ts): sub-header size (bytes after that word, 16 so
 * far), instruction set number (0), highest opcode used, label count,
 * function count. Each instruction is an opcode byte and `arity` compact
 * operands, arity taken from the opcode table — the same table the VM's
 * handlers are keyed by.
 *
 * Two passes. The scan (this file) walks every instruction once without
 * building operands: it frames each operand, checks every label reference,
 * reads the values of `label` and `line` in place and decodes `func_info`,
 * so label positions, functions and the line map exist before anything
 * runs. Decoding the other instructions' operands (lazy-code.ts) is most of
 * the work and, for the VM, happens per function on first use: a program
 * seldom runs all of what it loads.
 */
import type { Atom } from "../terms/index.ts";
import { TAG_F, TAG_U, TAG_X, TAG_Y, TAG_Z, tagName } from "./compact.ts";
import { findFunctions, lineIndexMap } from "./functions.ts";
import { CODE_HEADER } from "./layouts.ts";
import { LazyCode } from "./lazy-code.ts";
import type { CodeHeader, FunctionInfo, Instr, Operand } from "./module.ts";
import { MAX_OPCODE, OP, OPCODES } from "./opcodes.ts";
import { type Literals, MAX_LIST_DEPTH, OperandDecoder } from "./operands.ts";
import type { Reader } from "./reader.ts";
import { Resolver, type ResolveTables } from "./resolve.ts";

/** Everything instructions may refer to. */
export interface CodeTables extends ResolveTables {
  readonly atoms: readonly Atom[];
  readonly literals: Literals;
  /** Number of Type chunk entries (1 when there is no Type chunk: "any"). */
  readonly typeCount: number;
}

/** The scanned Code chunk; `lazy` decodes the instructions. */
export interface DecodedCode {
  readonly header: CodeHeader;
  readonly lazy: LazyCode;
  readonly labelIndex: Int32Array;
  readonly functions: FunctionInfo[];
  readonly lineAt: Int32Array;
}

const NO_ARGS: readonly Operand[] = Object.freeze([]);

/** Scans a Code chunk (see the file comment); throws LoadError on bad structure. */
export function readCode(
  r: Reader,
  t: CodeTables,
  functionName: (f: FunctionInfo) => string,
): DecodedCode {
  r.need(CODE_HEADER.size, "Code header");
  const h = CODE_HEADER.parse(r.buf, r.pos);
  if (h.subSize < 16) throw r.error(`Code sub-header size ${h.subSize} < 16`);
  if (h.subSize > r.remaining - 4) throw r.error(`Code sub-header size ${h.subSize} too large`);
  if (h.format !== 0) throw r.error(`unknown instruction set ${h.format}`);
  if (h.maxOpcode > MAX_OPCODE) {
    throw r.error(
      `module uses opcodes up to ${h.maxOpcode}; this loader knows up to ${MAX_OPCODE}`,
    );
  }
  r.pos += 4 + h.subSize;
  const codeBytes = r.remaining;
  // A label is defined by a two-byte instruction at least: bound the tables
  // sized by the header before allocating them.
  if (h.labelCount > codeBytes / 2 + 1) throw r.error(`label count ${h.labelCount} too large`);
  if (h.functionCount > codeBytes) throw r.error(`function count ${h.functionCount} too large`);

  const dec = new OperandDecoder(r, t.atoms, t.literals, h.labelCount, t.typeCount);
  const resolver = new Resolver(t, r);
  const labelIndex = new Int32Array(h.labelCount).fill(-1);
  // Grown as needed: sized by the worst case (a byte per instruction) they
  // cost more to zero than the whole scan (OTP averages ~3 bytes).
  let cap = Math.max(64, codeBytes >>> 2);
  let ops = new Uint8Array(cap);
  let offsets = new Int32Array(cap);
  // A label's number, a line's item index.
  let arg0 = new Int32Array(cap);
  // Undecoded instructions are pushed as `undefined`, not left as holes: a
  // holey array written out of order turns into a slow sparse one.
  const code: (Instr | undefined)[] = [];
  let n = 0;
  let ended = false;
  const buf = r.buf;
  while (r.pos < r.end) {
    const at = r.pos;
    const op = buf[r.pos++]!;
    const info = OPCODES[op];
    if (info === undefined) throw r.error(`unknown opcode ${op}`, at);
    if (n === cap) {
      cap *= 2;
      ops = grown(ops, new Uint8Array(cap));
      offsets = grown(offsets, new Int32Array(cap));
      arg0 = grown(arg0, new Int32Array(cap));
    }
    ops[n] = op;
    offsets[n] = at;
    if ((op === OP.label || op === OP.line) && smallU(buf, r.pos, r.end)) {
      // The index needs these two's values now; read them in place.
      const b = buf[r.pos]!;
      const v = (b & 0x08) === 0 ? b >>> 4 : ((b & 0xe0) << 3) | buf[r.pos + 1]!;
      r.pos += (b & 0x08) === 0 ? 1 : 2;
      arg0[n] = v;
      if (op === OP.label) defineLabelNumber(r, v, labelIndex, n, at);
      else if (t.lineItems >= 0 && v > t.lineItems) {
        throw r.error(`line index ${v} out of range (${t.lineItems} items)`, at);
      }
      code.push(undefined);
    } else if (op === OP.label || op === OP.line || op === OP.func_info) {
      // Other forms (errors, mostly) and func_info: decoded as ever.
      const a: Operand[] = new Array(info.arity);
      for (let i = 0; i < info.arity; i++) a[i] = dec.read();
      resolver.resolve(info, a, at);
      if (op === OP.label) defineLabel(r, a[0]!, labelIndex, n, at);
      const first = a[0];
      if (op !== OP.func_info && first?.kind === "u") arg0[n] = first.value;
      code.push({ op, args: a });
    } else if (info.arity === 0) {
      code.push({ op, args: NO_ARGS });
    } else {
      code.push(undefined);
      skipOperands(dec, r, info.arity);
    }
    n++;
    if (op === OP.int_code_end) {
      ended = true;
      break;
    }
  }
  if (!ended) throw r.error("code ends without int_code_end");

  for (let l = 1; l < dec.labels.length; l++) {
    const pending = dec.labels[l];
    if (pending === undefined) continue;
    const idx = labelIndex[l]!;
    if (idx < 0) throw r.error(`label ${l} is used but never defined`, dec.firstUse[l]);
    pending.index = idx;
  }

  // Views, not copies: the chunk's bytes bound both.
  const opsN = ops.subarray(0, n);
  const offsetsN = offsets.subarray(0, n);
  const arg0N = arg0.subarray(0, n);
  const functions = findFunctions(opsN, arg0N, code, offsetsN, h.functionCount, r);
  return {
    header: {
      format: h.format,
      maxOpcode: h.maxOpcode,
      labelCount: h.labelCount,
      functionCount: h.functionCount,
    },
    lazy: new LazyCode(opsN, offsetsN, code, functions, dec, resolver, functionName),
    labelIndex,
    functions,
    lineAt: lineIndexMap(opsN, arg0N, functions),
  };
}

/**
 * Moves past `count` operands. The one- and two-byte forms of plain tags
 * (nearly every operand) are stepped over inline, reading only labels'
 * values; anything else takes {@link skipOperand}, which raises the errors.
 */
function skipOperands(dec: OperandDecoder, r: Reader, count: number): void {
  const buf = r.buf;
  const end = r.end;
  let p = r.pos;
  for (let k = 0; k < count; k++) {
    const b = p < end ? buf[p]! : -1;
    const tag = b & 7;
    if (b < 0 || tag === TAG_Z || (b & 0x18) === 0x18 || ((b & 0x08) !== 0 && p + 1 >= end)) {
      r.pos = p;
      skipOperand(dec, r, 0);
      p = r.pos;
      continue;
    }
    if (tag === TAG_F) {
      dec.cr.at = p;
      dec.label((b & 0x08) === 0 ? b >>> 4 : ((b & 0xe0) << 3) | buf[p + 1]!);
    }
    p += (b & 0x08) === 0 ? 1 : 2;
  }
  r.pos = p;
}

/**
 * Moves past one operand, checking its framing exactly as
 * {@link OperandDecoder.read} does (so both accept the same bytes) and every
 * label reference; index ranges are left to the decode.
 */
function skipOperand(dec: OperandDecoder, r: Reader, depth: number): void {
  const cr = dec.cr;
  cr.next();
  const tag = cr.tag;
  if (tag === TAG_F) {
    dec.label(cr.safeValue("label"));
    return;
  }
  if (tag !== TAG_Z) return;
  const at = cr.at;
  switch (cr.value) {
    case 0:
      r.f64("float operand");
      return;
    case 1: {
      if (depth >= MAX_LIST_DEPTH) throw r.error("lists nested too deeply", at);
      const n = cr.nextU("list length");
      r.checkCount(n, 1, "list element");
      for (let i = 0; i < n; i++) skipOperand(dec, r, depth + 1);
      return;
    }
    case 2:
      cr.nextU("float register");
      return;
    case 3: {
      const n = cr.nextU("allocation list length");
      r.checkCount(n, 2, "allocation");
      for (let i = 0; i < n; i++) {
        cr.nextU("allocation kind");
        cr.nextU("allocation amount");
      }
      return;
    }
    case 4:
      cr.nextU("literal index");
      return;
    case 5: {
      cr.next();
      if (cr.tag !== TAG_X && cr.tag !== TAG_Y) {
        throw r.error(`typed register: expected x or y, got ${tagName(cr.tag)}`, cr.at);
      }
      cr.nextU("type index");
      return;
    }
  }
  throw r.error(`unknown extended tag ${cr.value}`, at);
}

function grown<T extends Uint8Array | Int32Array>(old: T, into: T): T {
  into.set(old);
  return into;
}

/** Whether a one- or two-byte `u` operand starts at `p` (the forms read in place). */
function smallU(buf: Uint8Array, p: number, end: number): boolean {
  if (p >= end) return false;
  const b = buf[p]!;
  if ((b & 7) !== TAG_U) return false;
  return (b & 0x08) === 0 || ((b & 0x10) === 0 && p + 1 < end);
}

function defineLabel(
  r: Reader,
  a: Operand,
  labelIndex: Int32Array,
  index: number,
  at: number,
): void {
  if (a.kind !== "u") throw r.error(`label operand is ${a.kind}, not u`, at);
  defineLabelNumber(r, a.value, labelIndex, index, at);
}

function defineLabelNumber(
  r: Reader,
  n: number,
  labelIndex: Int32Array,
  index: number,
  at: number,
): void {
  if (n === 0 || n >= labelIndex.length) {
    throw r.error(`label ${n} out of range 1..${labelIndex.length - 1}`, at);
  }
  if (labelIndex[n] !== -1) throw r.error(`label ${n} defined twice`, at);
  labelIndex[n] = index;
}
