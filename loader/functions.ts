/**
 * Finds the functions in decoded code. Each function is
 *
 *   {label,A}  {line,...}?  {func_info,{atom,M},{atom,F},Arity}  {label,Entry}  body...
 *
 * and runs until the next function's leading label (or `int_code_end`).
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
 * Lists the functions of `code`. `offsets[i]` is the byte offset of
 * instruction i, for errors. The count must match the Code header's.
 */
export function findFunctions(
  code: readonly Instr[],
  offsets: readonly number[],
  expected: number,
  r: Reader,
): FunctionInfo[] {
  const found: Found[] = [];
  let floor = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i]!.op !== OP.func_info) continue;
    const [m, f, a] = code[i]!.args;
    if (m?.kind !== "atom" || f?.kind !== "atom" || a?.kind !== "u") {
      throw r.error("func_info operands must be {atom,M}, {atom,F}, arity", offsets[i]);
    }
    if (a.value > MAX_ARITY) throw r.error(`func_info arity ${a.value} > ${MAX_ARITY}`, offsets[i]);
    const next = code[i + 1];
    if (next?.op !== OP.label) throw r.error("func_info is not followed by a label", offsets[i]);
    const entryLabel = next.args[0]!;
    let start = i;
    while (start > floor && (code[start - 1]!.op === OP.label || code[start - 1]!.op === OP.line)) {
      start--;
    }
    found.push({
      name: f.value,
      arity: a.value,
      label: entryLabel.kind === "u" ? entryLabel.value : 0,
      entry: i + 1,
      start,
    });
    floor = i + 2;
  }
  if (found.length !== expected) {
    throw r.error(`Code header says ${expected} functions, found ${found.length}`, r.start);
  }
  const end = code.length - 1; // the int_code_end instruction
  return found.map((p, k) => ({ ...p, end: k + 1 < found.length ? found[k + 1]!.start : end }));
}

/** For each instruction, the latest `line` item before it in its function. */
export function lineIndexMap(
  code: readonly Instr[],
  functions: readonly FunctionInfo[],
): Int32Array {
  const out = new Int32Array(code.length);
  for (const fn of functions) {
    let cur = 0;
    for (let i = fn.start; i < fn.end; i++) {
      const ins = code[i]!;
      if (ins.op === OP.line) {
        const a = ins.args[0]!;
        if (a.kind === "u") cur = a.value;
      }
      out[i] = cur;
    }
  }
  return out;
}
