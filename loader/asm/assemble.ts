/**
 * `assemble`: an assembly listing (the `erlc -S` text format) to .beam bytes.
 *
 *   listing text --sreader--> forms --listing--> header + functions
 *     --code (instructions, operands, tables in dict)--> Code bytes
 *     --container--> chunks --> FOR1/BEAM form
 *
 * Like beam_asm, the `vsn` attribute (when the listing sets none) is the MD5
 * of the essential chunks, whose first 27 bits also become every fun's old
 * uniq value; `on_load` moves from the attributes into the code.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import {
  Atom,
  atom,
  encodeExternalTerm,
  listFromArray,
  normBig,
  stringToList,
  type Term,
} from "../../terms/index.ts";
import { encodeCode } from "./code.ts";
import {
  atomChunk,
  Bytes,
  type Chunk,
  form,
  lineChunk,
  literalChunk,
  tripleChunk,
  typeChunk,
} from "./container.ts";
import { AsmDict } from "./dict.ts";
import { AsmError } from "./errors.ts";
import { type Listing, parseListing } from "./listing.ts";
import { readListingForms } from "./sreader.ts";
import { isTagged, properList } from "./terms.ts";

export interface AsmOptions {
  /** Name used in errors (and `{source,...}` compile info). */
  readonly file?: string;
  /** Write OTP 28's container forms: negative-count AtU8 and uncompressed LitT. */
  readonly otp28?: boolean;
  /** Override just the atom-table form. */
  readonly longAtoms?: boolean;
  /** Override just the literal-table form. */
  readonly uncompressedLiterals?: boolean;
  /** Opcode 1..185 to write as the header's max opcode instead of the highest used. */
  readonly maxOpcode?: number;
}

/** The opcode beam_asm always counts as used (swap/2: shared fun wrappers, OTP 23+). */
const BASELINE_OPCODE = 169;

/** The name of the `on_load` function, removing the attribute (beam_asm moves it into code). */
function takeOnLoad(attrs: readonly Term[]): { onLoad: string | null; rest: Term[] } {
  let onLoad: string | null = null;
  const rest: Term[] = [];
  for (const a of attrs) {
    if (isTagged(a, "on_load", 2)) {
      const fa = properList(a[1]!)?.[0];
      if (Array.isArray(fa) && fa[0] instanceof Atom) onLoad = fa[0].name;
      continue;
    }
    rest.push(a);
  }
  return { onLoad, rest };
}

/** FunT rows: name, arity, label, index, free count, old uniq. */
function funRows(listing: Listing, dict: AsmDict, uniq: number): number[][] {
  const byLabel = new Map(listing.functions.map((f) => [f.entry, f]));
  return dict.lambdas.map((l) => {
    const f = byLabel.get(l.label)!;
    return [dict.atom(f.name), f.arity, l.label, l.index, l.numFree, uniq];
  });
}

function md5(chunks: readonly Chunk[]): Uint8Array {
  const h = createHash("md5");
  for (const c of chunks) h.update(c.data);
  return new Uint8Array(h.digest());
}

/** Assembles a listing; throws {@link AsmError} for anything wrong with it. */
export function assemble(text: string, opts: AsmOptions = {}): Uint8Array {
  const file = opts.file ?? "<listing>";
  const listing = parseListing(readListingForms(text, file), file);
  const dict = new AsmDict(listing.module);
  const { onLoad, rest: attributes } = takeOnLoad(listing.attributes);
  const code = encodeCode(listing, dict, file, onLoad);

  const maxOpcode = opts.maxOpcode ?? Math.max(dict.highestOpcode, BASELINE_OPCODE);
  const codeChunk: Chunk = {
    id: "Code",
    data: new Bytes()
      .u32(16)
      .u32(0)
      .u32(maxOpcode)
      .u32(listing.labelCount)
      .u32(listing.functions.length)
      .bytes(code)
      .done(),
  };
  // FunT rows name their functions: intern those atoms before the atom table is written.
  funRows(listing, dict, 0);
  const long = opts.longAtoms ?? opts.otp28 ?? false;
  const compressed = !(opts.uncompressedLiterals ?? opts.otp28 ?? false);
  const head: Chunk[] = [
    atomChunk(dict.atoms, long),
    codeChunk,
    { id: "StrT", data: dict.stringPool },
    tripleChunk("ImpT", dict.imports),
    // beam_dict prepends each function, so the tables list them last to first.
    tripleChunk("ExpT", dict.exports.toReversed()),
  ];
  const lits = dict.literals.length > 0 ? [literalChunk(dict.literals, compressed)] : [];
  const hasFuns = dict.lambdas.length > 0;
  const digest = md5([
    ...head,
    ...(hasFuns ? [tripleChunk("FunT", funRows(listing, dict, 0))] : []),
    ...lits,
  ]);
  const uniq =
    ((digest[0]! << 19) | (digest[1]! << 11) | (digest[2]! << 3) | (digest[3]! >> 5)) >>> 0;
  const funs = hasFuns ? [tripleChunk("FunT", funRows(listing, dict, uniq))] : [];

  const hasVsn = attributes.some((a) => isTagged(a, "vsn"));
  const vsn: Term[] = hasVsn
    ? []
    : [[atom("vsn"), listFromArray([normBig(BigInt(`0x${Buffer.from(digest).toString("hex")}`))])]];
  const attr = encodeExternalTerm(listFromArray([...vsn, ...attributes]));
  const cinf = encodeExternalTerm(
    listFromArray([
      [atom("version"), stringToList("aion-asm")],
      [atom("options"), listFromArray([])],
      // The base name only, so output does not depend on the directory it was made in.
      [atom("source"), stringToList(basename(file))],
    ]),
  );
  const lines =
    dict.lines.length > 0 || dict.lineInstructions > 0
      ? [lineChunk(dict.lineInstructions, dict.lines, dict.fileNames)]
      : [];
  return form([
    ...head,
    ...funs,
    ...lits,
    tripleChunk("LocT", dict.locals.toReversed()),
    { id: "Attr", data: attr },
    { id: "CInf", data: cinf },
    ...lines,
    typeChunk(dict.types),
  ]);
}

export { AsmError };
