/**
 * Opcode-specific operand resolution, applied as each instruction is decoded:
 * the `u` operands that index the import table, the fun table or the string
 * table become {@link ImportOp}, {@link LambdaOp} and {@link StringOp}, and line
 * indices are range-checked. Which operand is which comes from the opcode
 * table (`importArg`, `lambdaArg`) and, for string operands, from the few
 * instructions that carry them.
 */

import type { FunEntry, Import, ImportOp, LambdaOp, Operand, StringOp } from "./module.ts";
import type { OpcodeInfo } from "./opcodes.ts";
import { OP } from "./opcodes.ts";
import type { Reader } from "./reader.ts";

/** The tables instructions may refer to. */
export interface ResolveTables {
  readonly imports: readonly Import[];
  readonly funs: readonly FunEntry[];
  readonly strings: Uint8Array;
  /** Number of Line chunk items, or -1 when there is no Line chunk. */
  readonly lineItems: number;
}

/** Per-module caches so each table entry has one operand object. */
export class Resolver {
  private readonly importOps: (ImportOp | undefined)[];
  private readonly lambdaOps: (LambdaOp | undefined)[];

  constructor(
    private readonly t: ResolveTables,
    private readonly r: Reader,
  ) {
    this.importOps = new Array(t.imports.length);
    this.lambdaOps = new Array(t.funs.length);
  }

  /** Rewrites `args` in place for instruction `info` that started at byte `at`. */
  resolve(info: OpcodeInfo, args: Operand[], at: number): void {
    if (info.importArg !== undefined)
      args[info.importArg] = this.importOp(args[info.importArg]!, at);
    if (info.lambdaArg !== undefined) {
      const a = args[info.lambdaArg]!;
      // call_fun2's first operand is a fun index only when the target is known.
      if (a.kind === "u" || info.number !== OP.call_fun2)
        args[info.lambdaArg] = this.lambdaOp(a, at);
    }
    switch (info.number) {
      case OP.bs_put_string:
        args[1] = this.stringOp(args[1]!, this.u(args[0]!, "string length", at), at);
        break;
      case OP.bs_match_string:
        args[3] = this.stringOp(args[3]!, Math.ceil(this.u(args[2]!, "bit count", at) / 8), at);
        break;
      case OP.bs_create_bin:
        args[5] = this.segments(args[5]!, at);
        break;
      case OP.line:
        this.lineIndex(args[0]!, at);
        break;
      case OP.executable_line:
        this.lineIndex(args[0]!, at);
        break;
      case OP.debug_line:
        this.lineIndex(args[1]!, at);
        break;
    }
  }

  private u(a: Operand, what: string, at: number): number {
    if (a.kind !== "u") throw this.r.error(`${what}: expected a u operand, got ${a.kind}`, at);
    return a.value;
  }

  private importOp(a: Operand, at: number): ImportOp {
    const i = this.u(a, "import index", at);
    const mfa = this.t.imports[i];
    if (mfa === undefined) {
      throw this.r.error(`import index ${i} out of range (${this.t.imports.length} imports)`, at);
    }
    let op = this.importOps[i];
    if (op === undefined) this.importOps[i] = op = Object.freeze({ kind: "import", index: i, mfa });
    return op;
  }

  private lambdaOp(a: Operand, at: number): LambdaOp {
    const i = this.u(a, "fun index", at);
    const fun = this.t.funs[i];
    if (fun === undefined) {
      throw this.r.error(`fun index ${i} out of range (${this.t.funs.length} funs)`, at);
    }
    let op = this.lambdaOps[i];
    if (op === undefined) this.lambdaOps[i] = op = Object.freeze({ kind: "lambda", index: i, fun });
    return op;
  }

  private stringOp(a: Operand, length: number, at: number): StringOp {
    const offset = this.u(a, "string offset", at);
    const strings = this.t.strings;
    if (offset + length > strings.length) {
      throw this.r.error(
        `string ${offset}+${length} outside the ${strings.length}-byte string table`,
        at,
      );
    }
    return { kind: "string", offset, bytes: strings.subarray(offset, offset + length) };
  }

  /**
   * bs_create_bin's segment list: six operands per segment (type, segment
   * number, unit, flags, source, size). A `string` segment's source is a
   * string-table offset and its size counts units.
   */
  private segments(a: Operand, at: number): Operand {
    if (a.kind !== "list") throw this.r.error("bs_create_bin: segments are not a list", at);
    const items = a.items;
    if (items.length % 6 !== 0) {
      throw this.r.error(`bs_create_bin: ${items.length} operands is not whole segments`, at);
    }
    let out: Operand[] | null = null;
    for (let g = 0; g < items.length; g += 6) {
      const type = items[g]!;
      if (type.kind !== "atom" || type.value.name !== "string") continue;
      const unit = this.u(items[g + 2]!, "string segment unit", at);
      const size = items[g + 5]!;
      if (size.kind !== "int" || typeof size.value !== "number" || size.value < 0) {
        throw this.r.error("bs_create_bin: string segment size is not a small integer", at);
      }
      out ??= items.slice();
      out[g + 4] = this.stringOp(items[g + 4]!, Math.ceil((size.value * unit) / 8), at);
    }
    return out === null ? a : { kind: "list", items: out };
  }

  private lineIndex(a: Operand, at: number): void {
    const i = this.u(a, "line index", at);
    const n = this.t.lineItems;
    if (n >= 0 && i > n) throw this.r.error(`line index ${i} out of range (${n} items)`, at);
  }
}
