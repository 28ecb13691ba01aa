/**
 * The fixed-width tables: ImpT, ExpT, LocT and FunT. Each is a 32-bit count
 * followed by rows of 32-bit words (layouts.ts). Atom references are checked
 * and resolved here; labels are resolved once the code is decoded.
 */
import type { Atom } from "../terms/index.ts";
import { FUN_ROWS, type FunRow, type TableLayout, TRIPLES } from "./layouts.ts";
import type { Import } from "./module.ts";
import type { Reader } from "./reader.ts";

/** BEAM's limit on function arity. */
export const MAX_ARITY = 255;

/** An ExpT/LocT row with its atom resolved but its label not yet. */
export interface RawFunctionRef {
  readonly name: Atom;
  readonly arity: number;
  readonly label: number;
  /** Absolute offset of the row, for errors found later. */
  readonly at: number;
}

/** A FunT row with its name resolved but its label not yet. */
export interface RawFunEntry extends FunRow {
  readonly nameAtom: Atom;
  readonly at: number;
}

function atomAt(r: Reader, atoms: readonly Atom[], index: number, at: number): Atom {
  if (index < 1 || index > atoms.length) {
    throw r.error(`atom index ${index} out of range 1..${atoms.length}`, at);
  }
  return atoms[index - 1]!;
}

function checkArity(r: Reader, arity: number, at: number): void {
  if (arity > MAX_ARITY) throw r.error(`arity ${arity} exceeds ${MAX_ARITY}`, at);
}

/** Reads a count-prefixed table, checking the count before parsing. */
function rows<T>(r: Reader, layout: TableLayout<T>, what: string): { rows: T[]; at: number } {
  const at = r.pos;
  const count = r.u32(`${what} count`);
  r.checkCount(count, layout.rowSize, what);
  r.pos += count * layout.rowSize;
  return { rows: layout.parse(r.buf, at, count), at: at + 4 };
}

/** ImpT: (module, function, arity) atom-index rows. */
export function readImports(r: Reader, atoms: readonly Atom[]): Import[] {
  const t = rows(r, TRIPLES, "import");
  return t.rows.map((row, i) => {
    const at = t.at + i * TRIPLES.rowSize;
    checkArity(r, row.c, at);
    return { module: atomAt(r, atoms, row.a, at), name: atomAt(r, atoms, row.b, at), arity: row.c };
  });
}

/** ExpT or LocT: (function, arity, label) rows. */
export function readFunctionRefs(r: Reader, atoms: readonly Atom[]): RawFunctionRef[] {
  const t = rows(r, TRIPLES, "entry");
  return t.rows.map((row, i) => {
    const at = t.at + i * TRIPLES.rowSize;
    checkArity(r, row.b, at);
    return { name: atomAt(r, atoms, row.a, at), arity: row.b, label: row.c, at };
  });
}

/** FunT: (function, arity, label, index, free, old uniq) rows. */
export function readFunRows(r: Reader, atoms: readonly Atom[]): RawFunEntry[] {
  const t = rows(r, FUN_ROWS, "fun");
  return t.rows.map((row, i) => {
    const at = t.at + i * FUN_ROWS.rowSize;
    checkArity(r, row.arity, at);
    if (row.numFree > row.arity) {
      throw r.error(`fun ${i} has ${row.numFree} free variables but arity ${row.arity}`, at);
    }
    return { ...row, nameAtom: atomAt(r, atoms, row.name, at), at };
  });
}
