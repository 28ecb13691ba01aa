/**
 * The assembler's tables, filled as instructions are encoded (beam_dict's
 * role): atoms, imports, exports and local functions, the string pool, the
 * fun table, literals, line locations and types. Each lookup returns the
 * index an operand encodes, adding the entry the first time.
 */
import { encodeExternalTerm, type Term } from "../../terms/index.ts";
import { ANY_TYPE, externalType } from "./types.ts";

/** A function of the module: name, arity and entry label. */
export interface FunctionEntry {
  readonly name: string;
  readonly arity: number;
  readonly entry: number;
}

/** A fun-table row before the old-uniq value is known. */
export interface LambdaEntry {
  readonly index: number;
  readonly label: number;
  readonly numFree: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export class AsmDict {
  readonly atoms: string[] = [];
  private readonly atomIndex = new Map<string, number>();
  readonly imports: [number, number, number][] = [];
  private readonly importIndex = new Map<string, number>();
  readonly exports: [number, number, number][] = [];
  readonly locals: [number, number, number][] = [];
  private strings = new Uint8Array(0);
  readonly lambdas: LambdaEntry[] = [];
  private readonly lambdaIndex = new Map<number, number>();
  /** Literals as their external-format bytes, in index order. */
  readonly literals: Uint8Array[] = [];
  private readonly literalIndex = new Map<string, number>();
  /** Line items as [file index, line]; item i+1 is `lines[i]` (0 means "no location"). */
  readonly lines: [number, number][] = [];
  private readonly lineIndex = new Map<string, number>();
  /** File names of line items; index 0 is the implicit `<module>.erl`. */
  readonly fileNames: string[];
  private readonly fileIndex = new Map<string, number>();
  lineInstructions = 0;
  readonly types: Uint8Array[] = [];
  private readonly typeIndex = new Map<string, number>();
  /** Labels referenced by `{f,L}` operands since the caller last emptied it. */
  labelUses: number[] = [];
  /** Highest opcode number used, for the Code header. */
  highestOpcode = 0;

  constructor(module: string) {
    this.atom(module);
    this.fileNames = [`${module}.erl`];
    this.fileIndex.set(`${module}.erl`, 0);
    this.type(ANY_TYPE);
  }

  atom(name: string): number {
    let i = this.atomIndex.get(name);
    if (i === undefined) {
      this.atoms.push(name);
      this.atomIndex.set(name, (i = this.atoms.length));
    }
    return i;
  }

  import(m: string, f: string, a: number): number {
    const row: [number, number, number] = [this.atom(m), this.atom(f), a];
    const key = row.join("/");
    let i = this.importIndex.get(key);
    if (i === undefined) {
      i = this.imports.length;
      this.imports.push(row);
      this.importIndex.set(key, i);
    }
    return i;
  }

  /** Records a function in ExpT or LocT. */
  function(f: FunctionEntry, exported: boolean): void {
    (exported ? this.exports : this.locals).push([this.atom(f.name), f.arity, f.entry]);
  }

  /** Offset of `bytes` in the string pool, reusing an existing occurrence. */
  string(bytes: Uint8Array): number {
    if (bytes.length === 0) return 0;
    const at = Buffer.from(this.strings).indexOf(Buffer.from(bytes));
    if (at >= 0) return at;
    const offset = this.strings.length;
    const grown = new Uint8Array(offset + bytes.length);
    grown.set(this.strings);
    grown.set(bytes, offset);
    this.strings = grown;
    return offset;
  }

  get stringPool(): Uint8Array {
    return this.strings;
  }

  /** The fun-table index for the fun whose code starts at `label`. */
  lambda(label: number, numFree: number): number {
    let i = this.lambdaIndex.get(label);
    if (i === undefined) {
      i = this.lambdas.length;
      this.lambdas.push({ index: i, label, numFree });
      this.lambdaIndex.set(label, i);
    }
    return i;
  }

  /** Literal index; equal terms share one (keyed by encoding, so 0.0 and -0.0 stay apart). */
  literal(t: Term): number {
    const bytes = encodeExternalTerm(t, { minorVersion: 2 });
    const key = hex(bytes);
    let i = this.literalIndex.get(key);
    if (i === undefined) {
      i = this.literals.length;
      this.literals.push(bytes);
      this.literalIndex.set(key, i);
    }
    return i;
  }

  /** Line-item index for a location (`null`: none, index 0); counts one line instruction. */
  line(loc: { file: string; line: number } | null, counts = true): number {
    if (counts) this.lineInstructions++;
    if (loc === null) return 0;
    let f = this.fileIndex.get(loc.file);
    if (f === undefined) {
      f = this.fileNames.length;
      this.fileNames.push(loc.file);
      this.fileIndex.set(loc.file, f);
    }
    const key = `${f}:${loc.line}`;
    let i = this.lineIndex.get(key);
    if (i === undefined) {
      this.lines.push([f, loc.line]);
      this.lineIndex.set(key, (i = this.lines.length));
    }
    return i;
  }

  /** Type-chunk index for a compiler type. */
  type(t: Term): number {
    const bytes = externalType(t);
    const key = hex(bytes);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(bytes);
      this.typeIndex.set(key, i);
    }
    return i;
  }

  opcode(n: number): void {
    if (n > this.highestOpcode) this.highestOpcode = n;
  }
}
