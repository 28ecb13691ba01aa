/**
 * Finds the functions in scanned code. Each function is
 *
 *   {label,A}  {line,...}?  {func_info,{atom,M},{atom,F},Arity}  {label,Entry}  body...
 *
 * and runs until the next function's leading label (or `int_code_end`).
 * Both passes here need only the opcodes, the `label` and `line` values and
 * the `func_info` instructions, which the scan reads (code.ts).
 */
import type { Atom } from "../terms/index.ts";
import type { FunctionInfo, Instr } from "./module.ts";
import { OP } from "./opcodes.ts";
import type { Reader } from "./reader.ts";
import { MAX_ARITY } from "./tables.ts";

interface Found {
  name: Atom;
  arity: number;
  label: number;
  entry: number;
  start: number;
}

/**
 * Lists the functions. `ops[i]` is instruction i's opcode, `arg0[i]` a
 * label's number or a line's item, `code[i]` the instruction when it is
 * decoded (func_info always is), `offsets[i]` its byte offset (for errors).
 * The count must match the Code header's.
 */
export function findFunctions(
  ops: Uint8Array,
  arg0: Int32Array,
  code: readonly (Instr | undefined)[],
  offsets: Int32Array,
  expected: number,
  r: Reader,
): FunctionInfo[] {
  const found: Found[] = [];
  let floor = 0;
  for (let i = 0; i < ops.length; i++) {
    if (ops[i] !== OP.func_info) continue;
    const [m, f, a] = code[i]!.args;
    if (m?.kind !== "atom" || f?.kind !== "atom" || a?.kind !== "u") {
      throw r.error("func_info operands must be {atom,M}, {atom,F}, arity", offsets[i]);
    }
    if (a.value > MAX_ARITY) throw r.error(`func_info arity ${a.value} > ${MAX_ARITY}`, offsets[i]);
    if (ops[i + 1] !== OP.label) {
      throw r.error("func_info is not followed by a label", offsets[i]);
    }
    let start = i;
    while (start > floor && (ops[start - 1] === OP.label || ops[start - 1] === OP.line)) {
      start--;
    }
    found.push({
      name: f.value,
      arity: a.value,
      label: arg0[i + 1]!,
      entry: i + 1,
      start,
    });
    floor = i + 2;
  }
  if (found.length !== expected) {
    throw r.error(`Code header says ${expected} functions, found ${found.length}`, r.start);
  }
  const end = ops.length - 1; // the int_code_end instruction
  return found.map((p, k) => ({ ...p, end: k + 1 < found.length ? found[k + 1]!.start : end }));
}

/** For each instruction, the latest `line` item before it in its function. */
export function lineIndexMap(
  ops: Uint8Array,
  arg0: Int32Array,
  functions: readonly FunctionInfo[],
): Int32Array {
  const out = new Int32Array(ops.length);
  for (const fn of functions) {
    let cur = 0;
    for (let i = fn.start; i < fn.end; i++) {
      if (ops[i] === OP.line) cur = arg0[i]!;
      out[i] = cur;
    }
  }
  return out;
}
