/**
 * A module's instructions, decoded on demand. The scan (code.ts) has
 * already checked the chunk's structure and every label and found the
 * functions; decoding an instruction builds its operands and resolves them
 * (atoms, literals, imports, funs, strings, types) with the same decoder and
 * the same range checks as ever, seeking to the instruction's byte offset.
 *
 * A problem found here is the same {@link LoadError} a full decode at load
 * reports (file, `Code`, byte offset), with the function named in the
 * message, since it may surface long after `loadBeam` returned.
 */
import { LoadError } from "./errors.ts";
import type { BeamModule, FunctionInfo, Instr, Operand } from "./module.ts";
import { OPCODES } from "./opcodes.ts";
import type { OperandDecoder } from "./operands.ts";
import type { Resolver } from "./resolve.ts";

/** What the VM reads a module's code through (see {@link codeView}). */
export interface CodeView {
  readonly length: number;
  /** Instruction `i`'s opcode, without decoding it. */
  op(i: number): number;
  /** Instruction `i`, decoded. */
  instr(i: number): Instr;
}

export class LazyCode implements CodeView {
  private decodedAll = false;
  /** The module object `loadBeam` built around this code (see {@link codeView}). */
  owner: BeamModule | null = null;

  constructor(
    /** Each instruction's opcode. */
    readonly ops: Uint8Array,
    /** Each instruction's absolute byte offset. */
    private readonly offsets: Int32Array,
    /** Instructions decoded so far (the scan decodes labels, lines and func_infos). */
    private readonly code: (Instr | undefined)[],
    private readonly functions: readonly FunctionInfo[],
    private readonly dec: OperandDecoder,
    private readonly resolver: Resolver,
    /** `module:name/arity` of a function, for errors. */
    private readonly functionName: (f: FunctionInfo) => string,
  ) {}

  get length(): number {
    return this.ops.length;
  }

  op(i: number): number {
    return this.ops[i]!;
  }

  /** Instruction `i`, decoding its whole function (or gap) if needed. */
  instr(i: number): Instr {
    const ins = this.code[i];
    if (ins !== undefined) return ins;
    const f = this.functionAt(i);
    if (f === undefined) this.decodeRange(i, i + 1);
    else this.decodeRange(f.start, f.end);
    return this.code[i]!;
  }

  /** Decodes instructions [from, to) that are not decoded yet. */
  decodeRange(from: number, to: number): void {
    const { code, ops, offsets, dec, resolver } = this;
    const r = dec.r;
    let i = from;
    try {
      for (; i < to; i++) {
        if (code[i] !== undefined) continue;
        const op = ops[i]!;
        const info = OPCODES[op]!;
        r.pos = offsets[i]! + 1;
        const a: Operand[] = new Array(info.arity);
        for (let k = 0; k < info.arity; k++) a[k] = dec.read();
        resolver.resolve(info, a, offsets[i]!);
        code[i] = { op, args: a };
      }
    } catch (e) {
      throw this.located(e, i);
    }
  }

  /** Every instruction (decoding the rest of the module once). */
  all(): Instr[] {
    if (!this.decodedAll) {
      this.decodeRange(0, this.ops.length);
      this.decodedAll = true;
    }
    return this.code as Instr[];
  }

  /** The function whose instructions include `i`, if any. */
  private functionAt(i: number): FunctionInfo | undefined {
    const fs = this.functions;
    let lo = 0;
    let hi = fs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = fs[mid]!;
      if (i < f.start) hi = mid - 1;
      else if (i >= f.end) lo = mid + 1;
      else return f;
    }
    return undefined;
  }

  private located(e: unknown, i: number): LoadError {
    const f = this.functionAt(i);
    const where = f === undefined ? "" : ` (in ${this.functionName(f)})`;
    if (e instanceof LoadError) {
      return new LoadError(e.file, e.chunk, e.offset, `${e.message}${where}`);
    }
    const site = this.dec.r.error("", this.offsets[i]);
    return new LoadError(
      site.file,
      site.chunk,
      site.offset,
      `internal error: ${String(e)}${where}`,
    );
  }
}

/** A plain instruction array as a {@link CodeView}. */
class ArrayView implements CodeView {
  constructor(private readonly code: readonly Instr[]) {}
  get length(): number {
    return this.code.length;
  }
  op(i: number): number {
    return this.code[i]!.op;
  }
  instr(i: number): Instr {
    return this.code[i]!;
  }
}

/**
 * How to read `beam`'s code: through its lazy decoder when `beam` is the
 * object `loadBeam` made, through `beam.code` otherwise. A module derived by
 * spreading (`{ ...beam, code }`, as deploy's renaming does) copies
 * `lazyCode` too, but its `code` may differ, so only the owner uses it.
 */
export function codeView(beam: BeamModule): CodeView {
  const lazy = beam.lazyCode;
  return lazy !== undefined && lazy.owner === beam ? lazy : new ArrayView(beam.code);
}
