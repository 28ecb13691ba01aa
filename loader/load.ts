/**
 * `loadBeam`: container, then each chunk in dependency order (atoms and
 * literals first, code last), then the tables whose labels need the code.
 */
import { type Atom, NIL, type Term } from "../terms/index.ts";
import { readAtoms } from "./atoms.ts";
import { readCode } from "./code.ts";
import { ErrorSite, LoadError } from "./errors.ts";
import { readChunks } from "./iff.ts";
import { readLines } from "./lines.ts";
import { InflateBudget, readLiterals, readTermChunk } from "./literals.ts";
import type { BeamModule, ChunkInfo, FunctionRef, LineTable, TypeTable } from "./module.ts";
import { Reader } from "./reader.ts";
import { type RawFunctionRef, readFunctionRefs, readFunRows, readImports } from "./tables.ts";
import { readTypes } from "./types.ts";

/** Chunks the loader interprets; each may appear at most once. */
const KNOWN = new Set([
  "AtU8",
  "Atom",
  "Code",
  "StrT",
  "ImpT",
  "ExpT",
  "FunT",
  "LitT",
  "LocT",
  "Line",
  "Attr",
  "CInf",
  "Type",
]);

/** A FunT entry while its label is unresolved. */
interface MutableFun {
  name: Atom;
  arity: number;
  label: number;
  entry: number;
  index: number;
  numFree: number;
  oldUniq: number;
}

/** How {@link loadBeam} treats the Code chunk. */
export interface LoadOptions {
  /**
   * Decode instructions on first use (one function at a time, through
   * `codeView`) instead of at load. The load still scans the whole chunk and
   * rejects bad structure and labels; a bad operand inside a function (an
   * index out of range, say) is then reported as the same LoadError, naming
   * the function, when that function is first decoded. The VM's code server
   * loads this way; the default (everything decoded and checked at load)
   * suits tools and deploys, which want every problem up front.
   */
  readonly lazy?: boolean;
}

/**
 * Loads a .beam file. Throws {@link LoadError} for any malformed input, and
 * nothing else.
 */
export function loadBeam(
  bytes: Uint8Array,
  fileName = "<memory>",
  options: LoadOptions = {},
): BeamModule {
  try {
    return load(bytes, fileName, options.lazy === true);
  } catch (e) {
    if (e instanceof LoadError) throw e;
    // Only a loader bug (or the engine running out of memory) gets here; the
    // contract is still a LoadError.
    throw new LoadError(fileName, "?", 0, `internal error: ${String(e)}`);
  }
}

function load(bytes: Uint8Array, file: string, lazy: boolean): BeamModule {
  const chunks = readChunks(bytes, file);
  const byId = new Map<string, ChunkInfo>();
  for (const c of chunks) {
    if (!KNOWN.has(c.id)) continue;
    if (byId.has(c.id)) throw new LoadError(file, c.id, c.offset - 8, "duplicate chunk");
    byId.set(c.id, c);
  }
  const reader = (c: ChunkInfo) =>
    new Reader(bytes, c.offset, c.offset + c.size, new ErrorSite(file, c.id, 0));
  const required = (id: string) => {
    const c = byId.get(id);
    if (c === undefined) throw new LoadError(file, id, 0, `missing ${id} chunk`);
    return c;
  };

  const atU8 = byId.get("AtU8");
  const oldAtom = byId.get("Atom");
  if (atU8 && oldAtom)
    throw new LoadError(file, "Atom", oldAtom.offset, "both AtU8 and Atom chunks");
  const atomChunk = atU8 ?? oldAtom;
  if (atomChunk === undefined) throw new LoadError(file, "AtU8", 0, "missing atom table chunk");
  const atoms = readAtoms(reader(atomChunk), atomChunk === atU8);
  const name = atoms[0]!;

  const budget = new InflateBudget();
  const litT = byId.get("LitT");
  const litTable = litT ? readLiterals(reader(litT), budget) : null;
  // Eager: every literal decoded (and checked) now, before the code as ever.
  let eagerLiterals = lazy ? null : (litTable?.all() ?? []);
  const literals = eagerLiterals ?? litTable ?? [];
  const imports = readImports(reader(required("ImpT")), atoms);
  const rawExports = readFunctionRefs(reader(required("ExpT")), atoms);
  const locT = byId.get("LocT");
  const rawLocals = locT ? readFunctionRefs(reader(locT), atoms) : [];
  const funT = byId.get("FunT");
  const funRows = funT ? readFunRows(reader(funT), atoms) : [];
  const strT = byId.get("StrT");
  const strings = strT ? strT.data : new Uint8Array(0);
  const typeChunk = byId.get("Type");
  const types: TypeTable | null = typeChunk ? readTypes(reader(typeChunk)) : null;
  const lineChunk = byId.get("Line");
  const lines: LineTable | null = lineChunk ? readLines(reader(lineChunk), name.name) : null;

  const funs: MutableFun[] = funRows.map((f) => ({
    name: f.nameAtom,
    arity: f.arity,
    label: f.label,
    entry: -1,
    index: f.index,
    numFree: f.numFree,
    oldUniq: f.oldUniq,
  }));

  const codeChunk = required("Code");
  const code = readCode(
    reader(codeChunk),
    {
      atoms,
      literals,
      imports,
      funs,
      strings,
      lineItems: lines ? lines.items.length - 1 : -1,
      typeCount: types ? types.count : 1,
    },
    (f) => `${name.name}:${f.name.name}/${f.arity}`,
  );

  // Table rows name entry labels; they must be labels the code defines.
  const entryOf = (label: number, chunk: string, at: number): number => {
    const idx = label < code.labelIndex.length ? code.labelIndex[label]! : -1;
    if (idx < 0) {
      throw new LoadError(file, chunk, at, `label ${label} is not defined in the code`);
    }
    return idx;
  };
  const refs = (raw: RawFunctionRef[], chunk: string): FunctionRef[] =>
    raw.map((e) => ({
      name: e.name,
      arity: e.arity,
      label: e.label,
      entry: entryOf(e.label, chunk, e.at),
    }));
  funs.forEach((f, i) => {
    f.entry = entryOf(f.label, "FunT", funRows[i]!.at);
  });

  const attr = byId.get("Attr");
  const cinf = byId.get("CInf");
  const attributes: Term = attr ? readTermChunk(reader(attr), budget) : NIL;
  const compileInfo: Term = cinf ? readTermChunk(reader(cinf), budget) : NIL;

  const decoder = code.lazy;
  // Eager: decode (and check) every instruction now.
  const eager = lazy ? null : decoder.all();
  const m: BeamModule = {
    file,
    name,
    atoms,
    imports,
    exports: refs(rawExports, "ExpT"),
    locals: refs(rawLocals, "LocT"),
    funs,
    get literals() {
      eagerLiterals ??= litTable?.all() ?? [];
      return eagerLiterals;
    },
    strings,
    codeHeader: code.header,
    get code() {
      return eager ?? decoder.all();
    },
    lazyCode: decoder,
    labelIndex: code.labelIndex,
    functions: code.functions,
    lines,
    lineAt: code.lineAt,
    attributes,
    compileInfo,
    types,
    chunks,
  };
  decoder.owner = m;
  return m;
}
