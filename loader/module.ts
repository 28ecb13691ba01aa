/**
 * The loaded form of a .beam file: what `loadBeam` returns and the VM consumes.
 *
 * Conventions, so the interpreter needs no further decoding:
 * - `code` is the Code chunk as an array of {@link Instr}, in file order,
 *   including `label`, `line` and the final `int_code_end` instruction, so an
 *   index into `code` is a stable program counter and disassembly lines up.
 * - Labels are resolved: `labelIndex[L]` is the index in `code` of the
 *   `{label,L}` instruction (execution may start at that index or the next;
 *   `label` is a no-op), and every label operand carries the same index.
 * - Atoms, literals, imports, fun-table entries and string-table slices that
 *   instructions refer to are resolved into the operands themselves.
 * - Operands are immutable and may be shared between instructions (small
 *   registers, labels and atoms are interned per module), so never mutate one.
 */
import type { Atom, Int, Term } from "../terms/index.ts";
import type { LazyCode } from "./lazy-code.ts";

// ---------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------

/**
 * An x register. `type` is an index into {@link BeamModule.types} when the
 * compiler attached a type (OTP 25+ typed register), otherwise -1.
 */
export interface XReg {
  readonly kind: "x";
  readonly n: number;
  readonly type: number;
}

/** A y (stack) register; `type` as for {@link XReg}. */
export interface YReg {
  readonly kind: "y";
  readonly n: number;
  readonly type: number;
}

/** A float register `{fr,N}`. */
export interface FReg {
  readonly kind: "fr";
  readonly n: number;
}

/**
 * A label reference `{f,L}`. `index` is `labelIndex[L]`, or -1 for label 0,
 * which means "no failure label" (raise instead of jumping).
 */
export interface LabelOp {
  readonly kind: "f";
  readonly label: number;
  readonly index: number;
}

/** An integer operand `{integer,N}` (a bigint outside the safe range). */
export interface IntOp {
  readonly kind: "int";
  readonly value: Int;
}

/** An atom operand `{atom,A}`. */
export interface AtomOp {
  readonly kind: "atom";
  readonly value: Atom;
}

/** The empty list `nil` (compact atom index 0). */
export interface NilOp {
  readonly kind: "nil";
}

/** A literal from LitT, already decoded; `index` is its position in the table. */
export interface LiteralOp {
  readonly kind: "literal";
  readonly index: number;
  readonly value: Term;
}

/** An untagged unsigned value (`u`): counts, arities, sizes, flags, indices. */
export interface UOp {
  readonly kind: "u";
  readonly value: number;
}

/** An extended list `{list,[...]}` (select lists, map pairs, segment lists...). */
export interface ListOp {
  readonly kind: "list";
  readonly items: readonly Operand[];
}

/** An allocation list `{alloc,[{words,W},{floats,F},{funs,N}]}`. */
export interface AllocOp {
  readonly kind: "alloc";
  readonly words: number;
  readonly floats: number;
  readonly funs: number;
}

/** An inline float (the old extended float tag; modern compilers use literals). */
export interface FloatOp {
  readonly kind: "float";
  readonly value: number;
}

/** A character operand (`h` tag); no current compiler emits it. */
export interface CharOp {
  readonly kind: "char";
  readonly value: number;
}

/** An import-table operand of a call or BIF, resolved. */
export interface ImportOp {
  readonly kind: "import";
  readonly index: number;
  readonly mfa: Import;
}

/** A fun-table operand of `make_fun2/3` or `call_fun2`, resolved. */
export interface LambdaOp {
  readonly kind: "lambda";
  readonly index: number;
  readonly fun: FunEntry;
}

/** A slice of the string table (`bs_match_string`, `bs_put_string`, string segments). */
export interface StringOp {
  readonly kind: "string";
  readonly offset: number;
  /** A view into {@link BeamModule.strings}; do not mutate. */
  readonly bytes: Uint8Array;
}

/** Every operand form. Discriminate on `kind`. */
export type Operand =
  | XReg
  | YReg
  | FReg
  | LabelOp
  | IntOp
  | AtomOp
  | NilOp
  | LiteralOp
  | UOp
  | ListOp
  | AllocOp
  | FloatOp
  | CharOp
  | ImportOp
  | LambdaOp
  | StringOp;

/** One instruction: an opcode from `OPCODES` and exactly `arity` operands. */
export interface Instr {
  readonly op: number;
  readonly args: readonly Operand[];
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/** An ImpT entry: a function of another module (or a BIF). */
export interface Import {
  readonly module: Atom;
  readonly name: Atom;
  readonly arity: number;
}

/** An ExpT or LocT entry. */
export interface FunctionRef {
  readonly name: Atom;
  readonly arity: number;
  /** Entry label. */
  readonly label: number;
  /** `labelIndex[label]`. */
  readonly entry: number;
}

/** A FunT entry: the code of a fun (lambda) defined in this module. */
export interface FunEntry {
  /** The generated function implementing the fun, e.g. `'-f/1-fun-0-'`. */
  readonly name: Atom;
  /** Total arity: the fun's own arity plus `numFree`. */
  readonly arity: number;
  readonly label: number;
  /** `labelIndex[label]`. */
  readonly entry: number;
  /** The FunT `index` field (OTP assigns it; funs refer to entries by position). */
  readonly index: number;
  /** Number of captured variables. */
  readonly numFree: number;
  readonly oldUniq: number;
}

/** A function found in the code: `func_info` plus its body. */
export interface FunctionInfo {
  readonly name: Atom;
  readonly arity: number;
  /** The entry label (the one after `func_info`). */
  readonly label: number;
  /** Index in `code` of the entry label instruction. */
  readonly entry: number;
  /** Index of the function's first instruction (its leading label). */
  readonly start: number;
  /** Index one past its last instruction. */
  readonly end: number;
}

/** One source location of the Line chunk. */
export interface LineLocation {
  readonly file: string;
  readonly line: number;
}

/** The decoded Line chunk. */
export interface LineTable {
  readonly version: number;
  /** Header flag bits (OTP 27+: executable-line information). */
  readonly flags: number;
  /** Number of `line` instructions the compiler emitted. */
  readonly instrCount: number;
  /** Source file names by file index: 0 is the implicit `<module>.erl`, the rest from the chunk. */
  readonly files: readonly string[];
  /**
   * Locations by the index a `line` instruction carries. Entry 0 is `null`:
   * the compiler uses it for "no location".
   */
  readonly items: readonly (LineLocation | null)[];
}

/** Primitive types the Type chunk can state a register may hold. */
export type BeamTypeKind =
  | "atom"
  | "bitstring"
  | "bs_matchstate"
  | "cons"
  | "float"
  | "fun"
  | "integer"
  | "map"
  | "nil"
  | "pid"
  | "port"
  | "reference"
  | "tuple"
  | "record";

/** One decoded Type chunk entry (the compiler's external type format). */
export interface TypeEntry {
  /** The union of primitive types; all kinds for `any`. */
  readonly kinds: readonly BeamTypeKind[];
  /** Integer lower bound, if known. */
  readonly min: Int | null;
  /** Integer upper bound, if known. */
  readonly max: Int | null;
  /** Bitstring size unit, if known (OTP 26+). */
  readonly unit: number | null;
}

/** The Type chunk: raw bytes always, entries when the version is understood. */
export interface TypeTable {
  readonly version: number;
  readonly count: number;
  /** Entries after the header, undecoded. */
  readonly raw: Uint8Array;
  /** Decoded entries (versions 1 to 4), or null for an unknown version. */
  readonly entries: readonly TypeEntry[] | null;
}

/** A chunk of the container, as found. */
export interface ChunkInfo {
  readonly id: string;
  /** Absolute offset of the chunk's data. */
  readonly offset: number;
  /** Data size (padding excluded). */
  readonly size: number;
  /** A view of the data into the loaded bytes. */
  readonly data: Uint8Array;
}

/** The Code chunk header. */
export interface CodeHeader {
  /** Instruction set (format number); 0 for every OTP release so far. */
  readonly format: number;
  /** Highest opcode the module uses, as the compiler recorded it. */
  readonly maxOpcode: number;
  readonly labelCount: number;
  readonly functionCount: number;
}

// ---------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------

/** A loaded .beam file. */
export interface BeamModule {
  /** The file name given to `loadBeam`. */
  readonly file: string;
  /** Module name (atom 1). */
  readonly name: Atom;
  /** The atom table; compact atom index `i` (1-based) is `atoms[i - 1]`. */
  readonly atoms: readonly Atom[];
  readonly imports: readonly Import[];
  readonly exports: readonly FunctionRef[];
  readonly locals: readonly FunctionRef[];
  readonly funs: readonly FunEntry[];
  readonly literals: readonly Term[];
  /** The StrT chunk (empty when absent). */
  readonly strings: Uint8Array;
  readonly codeHeader: CodeHeader;
  /**
   * Every instruction. A module loaded with `lazy` decodes its code on the
   * first read of this field; read it through `codeView` to decode one
   * function at a time.
   */
  readonly code: readonly Instr[];
  /** The on-demand decoder behind `code` (absent on modules built by hand). */
  readonly lazyCode?: LazyCode;
  /** Label number to index in `code` (-1 for label 0 and unused numbers). */
  readonly labelIndex: Int32Array;
  /** Functions in code order. */
  readonly functions: readonly FunctionInfo[];
  /** The Line chunk, or null when the module has none. */
  readonly lines: LineTable | null;
  /**
   * For each instruction, the line item (index into `lines.items`) of the
   * latest `line` instruction before it in the same function, or 0.
   */
  readonly lineAt: Int32Array;
  /** The Attr chunk (a proplist), or `[]` when absent. */
  readonly attributes: Term;
  /** The CInf chunk (a proplist), or `[]` when absent. */
  readonly compileInfo: Term;
  /** The Type chunk, or null when absent. */
  readonly types: TypeTable | null;
  /** Every chunk in file order, including ones the loader does not interpret. */
  readonly chunks: readonly ChunkInfo[];
}
