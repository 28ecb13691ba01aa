/**
 * The structure of an assembly listing: the header forms `{module, M}`,
 * `{exports, [{F,A}]}`, `{attributes, [...]}`, `{labels, N}`, then for each
 * function `{function, Name, Arity, Entry}` followed by its instructions.
 */
import { formatPSingleLine as formatTerm, NIL, type Term } from "../../terms/index.ts";
import { AsmError } from "./errors.ts";
import type { SourceForm } from "./sreader.ts";
import { atomName, isTagged, properList, smallNat } from "./terms.ts";

export interface ListingFunction {
  readonly name: string;
  readonly arity: number;
  readonly entry: number;
  /** Line of the `{function,...}` form. */
  readonly line: number;
  readonly body: SourceForm[];
}

export interface Listing {
  readonly module: string;
  readonly exports: readonly {
    readonly name: string;
    readonly arity: number;
    readonly line: number;
  }[];
  /** The attribute list as written (a proper list of terms). */
  readonly attributes: readonly Term[];
  readonly labelCount: number;
  readonly functions: readonly ListingFunction[];
}

const HEADERS = ["module", "exports", "attributes", "labels"] as const;

/** Splits the forms of a listing into header and functions, checking their shapes. */
export function parseListing(forms: readonly SourceForm[], file: string): Listing {
  const fail: (msg: string, f?: SourceForm) => never = (msg, f) => {
    throw new AsmError(msg, file, f?.line ?? 0, f ? formatTerm(f.term) : "");
  };
  const header = new Map<string, SourceForm>();
  const functions: ListingFunction[] = [];
  for (const f of forms) {
    const t = f.term;
    if (isTagged(t, "function", 4)) {
      const name = atomName(t[1]!);
      const arity = smallNat(t[2]!);
      const entry = smallNat(t[3]!);
      if (name === null || arity === null || entry === null)
        fail("a function header is {function, Name, Arity, EntryLabel}", f);
      functions.push({ name, arity, entry, line: f.line, body: [] });
      continue;
    }
    const key = HEADERS.find((h) => isTagged(t, h, 2));
    if (key !== undefined && functions.length === 0) {
      if (header.has(key)) fail(`duplicate {${key}, ...} form`, f);
      header.set(key, f);
    } else if (functions.length > 0) functions.at(-1)!.body.push(f);
    else fail("instruction before the first {function, ...} form", f);
  }
  const need = (key: (typeof HEADERS)[number]): [Term, SourceForm] => {
    const f = header.get(key) ?? fail(`the listing has no {${key}, ...} form`);
    return [(f.term as Term[])[1]!, f];
  };
  const [modT, modF] = need("module");
  const module = atomName(modT) ?? fail("{module, M} needs an atom", modF);
  const [expT, expF] = need("exports");
  const exports = (properList(expT) ?? fail("{exports, [...]} needs a list", expF)).map((e) => {
    const name = Array.isArray(e) && e.length === 2 ? atomName(e[0]!) : null;
    const arity = Array.isArray(e) && e.length === 2 ? smallNat(e[1]!) : null;
    if (name === null || arity === null) fail("exports are {Name,Arity}", expF);
    return { name, arity, line: expF.line };
  });
  const attrF = header.get("attributes");
  const attributes = attrF
    ? (properList((attrF.term as Term[])[1]!) ?? fail("{attributes, [...]} needs a list", attrF))
    : properList(NIL)!;
  const [labT, labF] = need("labels");
  const labelCount = smallNat(labT) ?? fail("{labels, N} needs an integer", labF);
  return { module, exports, attributes, labelCount, functions };
}
