/**
 * The Code chunk: header, then instructions until `int_code_end`.
 *
 * Header words (layouts.ts): sub-header size (bytes after that word, 16 so
 * far), instruction set number (0), highest opcode used, label count,
 * function count. Each instruction is an opcode byte and `arity` compact
 * operands, arity taken from the opcode table — the same table the VM's
 * handlers are keyed by.
 *
 * One linear pass decodes and resolves operands; a second short pass fills in
 * label indices (labels may be referenced before they are defined).
 */
import type { Atom, Term } from "../terms/index.ts";
import { findFunctions, lineIndexMap } from "./functions.ts";
import { CODE_HEADER } from "./layouts.ts";
import type { CodeHeader, FunctionInfo, Instr, Operand } from "./module.ts";
import { MAX_OPCODE, OP, OPCODES } from "./opcodes.ts";
import { OperandDecoder } from "./operands.ts";
import type { Reader } from "./reader.ts";
import { Resolver, type ResolveTables } from "./resolve.ts";

/** Everything instructions may refer to. */
export interface CodeTables extends ResolveTables {
  readonly atoms: readonly Atom[];
  readonly literals: readonly Term[];
  /** Number of Type chunk entries (1 when there is no Type chunk: "any"). */
  readonly typeCount: number;
}

/** The decoded Code chunk. */
export interface DecodedCode {
  readonly header: CodeHeader;
  readonly code: Instr[];
  readonly labelIndex: Int32Array;
  readonly functions: FunctionInfo[];
  readonly lineAt: Int32Array;
}

const NO_ARGS: readonly Operand[] = Object.freeze([]);

/** Decodes a Code chunk. */
export function readCode(r: Reader, t: CodeTables): DecodedCode {
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
  const code: Instr[] = [];
  const offsets: number[] = [];
  let ended = false;
  while (r.pos < r.end) {
    const at = r.pos;
    const op = r.u8("opcode");
    const info = OPCODES[op];
    if (info === undefined) throw r.error(`unknown opcode ${op}`, at);
    let args: Operand[] | readonly Operand[] = NO_ARGS;
    if (info.arity > 0) {
      const a: Operand[] = new Array(info.arity);
      for (let i = 0; i < info.arity; i++) a[i] = dec.read();
      resolver.resolve(info, a, at);
      args = a;
    }
    if (op === OP.label) defineLabel(r, args[0]!, labelIndex, code.length, at);
    code.push({ op, args });
    offsets.push(at);
    if (op === OP.int_code_end) {
      ended = true;
      break;
    }
  }
  if (!ended) throw r.error("code ends without int_code_end");

  for (let n = 1; n < dec.labels.length; n++) {
    const pending = dec.labels[n];
    if (pending === undefined) continue;
    const idx = labelIndex[n]!;
    if (idx < 0) throw r.error(`label ${n} is used but never defined`, dec.firstUse[n]);
    pending.index = idx;
  }

  const functions = findFunctions(code, offsets, h.functionCount, r);
  return {
    header: {
      format: h.format,
      maxOpcode: h.maxOpcode,
      labelCount: h.labelCount,
      functionCount: h.functionCount,
    },
    code,
    labelIndex,
    functions,
    lineAt: lineIndexMap(code, functions),
  };
}

function defineLabel(
  r: Reader,
  a: Operand,
  labelIndex: Int32Array,
  index: number,
  at: number,
): void {
  if (a.kind !== "u") throw r.error(`label operand is ${a.kind}, not u`, at);
  const n = a.value;
  if (n === 0 || n >= labelIndex.length) {
    throw r.error(`label ${n} out of range 1..${labelIndex.length - 1}`, at);
  }
  if (labelIndex[n] !== -1) throw r.error(`label ${n} defined twice`, at);
  labelIndex[n] = index;
}
