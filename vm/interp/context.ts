/**
 * What an instruction compiler needs to know about the module being loaded.
 */
import type { Operand } from "../../loader/module.ts";
import type { Atom } from "../../terms/atom.ts";
import type { Term } from "../../terms/term.ts";
import type { ExportEntry } from "../code/exports.ts";
import type { LocalFunInfo } from "../code/loaded-module.ts";
import type { Machine } from "../machine.ts";

export type { LocalFunInfo } from "../code/loaded-module.ts";

export interface CompileCtx {
  readonly vm: Machine;
  readonly module: Atom;
  /** pc of a label operand (labels are resolved before handlers run). */
  labelPc(label: Operand): number;
  /** pc of the instruction at index `i` of the module's code (or the next emitted one). */
  pcOfIndex(i: number): number;
  /** Export entry of an import-table index. */
  importEntry(index: number): ExportEntry;
  readonly funs: readonly LocalFunInfo[];
  /** StrT bytes. */
  readonly strings: Uint8Array;
  /** The pc the instruction being compiled will get. */
  readonly pc: number;
  /** Current function (for func_info and errors). */
  readonly fnName: Atom;
  readonly fnArity: number;
  literal(v: Term): Term;
}
