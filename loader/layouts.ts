/**
 * Fixed-layout structures of a .beam file, declared with `binary-parser`.
 *
 * binary-parser fits the parts of the format that are plain big-endian records:
 * the IFF headers, the Code/Line/Type/LitT sub-headers and the fixed-width
 * tables (ImpT, ExpT, LocT, FunT). It does not fit the compact term encoding
 * (bit-level tags and self-describing lengths; see compact.ts) or the atom
 * tables (per-entry length prefixes in two encodings); those are hand-written.
 *
 * binary-parser reads past the end of its input by throwing a RangeError, so
 * every caller checks sizes with its {@link Reader} first: a `Layout` is only
 * ever applied to bytes that are known to be there.
 */
// The ambient declaration must travel with this import: a project that type-checks
// the installed package sees only the files its imports reach (see test/package/).
/// <reference path="./binary-parser.d.ts" />
import { Parser } from "binary-parser";

/** A compiled record layout of a known byte size. */
export interface Layout<T> {
  /** Bytes the record occupies. */
  readonly size: number;
  /** Parses the record at `at`; the caller guarantees `size` bytes exist there. */
  parse(bytes: Uint8Array, at: number): T;
}

function layout<T>(size: number, parser: Parser): Layout<T> {
  return {
    size,
    // binary-parser's `parse` is typed `any`; the field names and types below
    // are exactly those of T, which is the contract this wrapper states.
    parse: (bytes, at) => parser.parse(bytes.subarray(at, at + size)) as T,
  };
}

/**
 * A count-prefixed table of fixed-size rows (ImpT, ExpT, LocT, FunT): a
 * 32-bit count, then the rows, parsed in one call.
 */
export interface TableLayout<T> {
  readonly rowSize: number;
  /** Parses the table whose count word is at `at`; the caller has checked that all rows fit. */
  parse(bytes: Uint8Array, at: number, count: number): T[];
}

function table<T>(rowSize: number, row: Parser): TableLayout<T> {
  const parser = new Parser().uint32be("count").array("rows", { type: row, length: "count" });
  return {
    rowSize,
    // As in `layout`: the row parser's fields are exactly T's.
    parse: (bytes, at, count) =>
      (parser.parse(bytes.subarray(at, at + 4 + count * rowSize)) as { rows: T[] }).rows,
  };
}

/** `FOR1` <size> `BEAM`: the IFF form header. */
export interface FormHeader {
  magic: string;
  size: number;
  formType: string;
}
export const FORM_HEADER = layout<FormHeader>(
  12,
  new Parser()
    .string("magic", { length: 4, encoding: "latin1" })
    .uint32be("size")
    .string("formType", { length: 4, encoding: "latin1" }),
);

/** A chunk header: four-letter id and data size (padding excluded). */
export interface ChunkHeader {
  id: string;
  size: number;
}
export const CHUNK_HEADER = layout<ChunkHeader>(
  8,
  new Parser().string("id", { length: 4, encoding: "latin1" }).uint32be("size"),
);

/** The Code chunk's header words. `subSize` counts the bytes after itself. */
export interface CodeHeader {
  subSize: number;
  format: number;
  maxOpcode: number;
  labelCount: number;
  functionCount: number;
}
export const CODE_HEADER = layout<CodeHeader>(
  20,
  new Parser()
    .uint32be("subSize")
    .uint32be("format")
    .uint32be("maxOpcode")
    .uint32be("labelCount")
    .uint32be("functionCount"),
);

/** ImpT (module, function, arity) and ExpT/LocT (function, arity, label) rows. */
export interface Triple {
  a: number;
  b: number;
  c: number;
}
export const TRIPLES = table<Triple>(12, new Parser().uint32be("a").uint32be("b").uint32be("c"));

/** A FunT row. */
export interface FunRow {
  name: number;
  arity: number;
  label: number;
  index: number;
  numFree: number;
  oldUniq: number;
}
export const FUN_ROWS = table<FunRow>(
  24,
  new Parser()
    .uint32be("name")
    .uint32be("arity")
    .uint32be("label")
    .uint32be("index")
    .uint32be("numFree")
    .uint32be("oldUniq"),
);

/** The Line chunk's header. */
export interface LineHeader {
  version: number;
  flags: number;
  instrCount: number;
  itemCount: number;
  nameCount: number;
}
export const LINE_HEADER = layout<LineHeader>(
  20,
  new Parser()
    .uint32be("version")
    .uint32be("flags")
    .uint32be("instrCount")
    .uint32be("itemCount")
    .uint32be("nameCount"),
);

/** The Type chunk's header. */
export interface TypeHeader {
  version: number;
  count: number;
}
export const TYPE_HEADER = layout<TypeHeader>(
  8,
  new Parser().uint32be("version").uint32be("count"),
);
