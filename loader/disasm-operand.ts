/**
 * Operands as the terms `erlc -S` prints: `{x,0}`, `{f,3}`, `{atom,a}`,
 * `{literal,T}`, `{extfunc,M,F,A}`... Typed registers print as
 * `{tr,Reg,Type}` with the type from the Type chunk (see typeTerm).
 */
import {
  atom,
  binaryFromBytes,
  Float,
  listFromArray,
  NIL,
  stringToList,
  type Term,
} from "../terms/index.ts";
import type { BeamModule, Operand, TypeEntry } from "./module.ts";

const A = {
  x: atom("x"),
  y: atom("y"),
  fr: atom("fr"),
  f: atom("f"),
  tr: atom("tr"),
  integer: atom("integer"),
  atom: atom("atom"),
  nil: atom("nil"),
  literal: atom("literal"),
  float: atom("float"),
  list: atom("list"),
  alloc: atom("alloc"),
  words: atom("words"),
  floats: atom("floats"),
  funs: atom("funs"),
  char: atom("char"),
  extfunc: atom("extfunc"),
  string: atom("string"),
  any: atom("any"),
  type: atom("type"),
  union: atom("union"),
  location: atom("location"),
  inf_neg: atom("-inf"),
  inf_pos: atom("+inf"),
} as const;

/** The -S term for one operand. */
export function operandTerm(m: BeamModule, a: Operand): Term {
  switch (a.kind) {
    case "x":
    case "y": {
      const reg: Term = [a.kind === "x" ? A.x : A.y, a.n];
      return a.type < 0 ? reg : [A.tr, reg, typeTerm(m, a.type)];
    }
    case "fr":
      return [A.fr, a.n];
    case "f":
      return [A.f, a.label];
    case "int":
      return [A.integer, a.value];
    case "atom":
      return [A.atom, a.value];
    case "nil":
      return A.nil;
    case "literal":
      // -S shows float literals as {float,F}; the encoding is the same.
      return a.value instanceof Float ? [A.float, a.value] : [A.literal, a.value];
    case "u":
      return a.value;
    case "list":
      return [A.list, listFromArray(a.items.map((i) => operandTerm(m, i)))];
    case "alloc":
      return [
        A.alloc,
        listFromArray([
          [A.words, a.words],
          [A.floats, a.floats],
          [A.funs, a.funs],
        ]),
      ];
    case "float":
      return [A.float, new Float(a.value)];
    case "char":
      return [A.char, a.value];
    case "import":
      return [A.extfunc, a.mfa.module, a.mfa.name, a.mfa.arity];
    case "lambda":
      return [A.f, a.fun.label];
    case "string":
      return [A.string, binaryFromBytes(a.bytes)];
  }
}

/**
 * `[{location,File,Line}]` for a line index, `[]` for index 0 ("no location"),
 * or the bare index when the module has no Line chunk.
 */
export function locationTerm(m: BeamModule, index: number): Term {
  if (m.lines === null) return index;
  const loc = m.lines.items[index];
  return loc ? listFromArray([[A.location, stringToList(loc.file), loc.line]]) : NIL;
}

/**
 * A Type chunk entry as a term: `any`, one kind (`integer`, `{integer,{0,255}}`,
 * `{bitstring,8}`), or `{union,[...]}`. `{type,N}` when the chunk's version
 * is not understood.
 */
export function typeTerm(m: BeamModule, index: number): Term {
  const e = m.types?.entries?.[index];
  if (e === undefined) return [A.type, index];
  const all = m.types!.entries!.length > 0 && isAny(e, m.types!.version);
  if (all) return A.any;
  const parts = e.kinds.map((k) => kindTerm(k, e));
  return parts.length === 1 ? parts[0]! : [A.union, listFromArray(parts)];
}

function isAny(e: TypeEntry, version: number): boolean {
  const n = version === 1 || version === 2 || version === 4 ? 13 : 12;
  return e.kinds.length === n && e.min === null && e.max === null;
}

function kindTerm(k: string, e: TypeEntry): Term {
  const name = atom(k);
  if (k === "integer" && (e.min !== null || e.max !== null)) {
    return [name, [e.min ?? A.inf_neg, e.max ?? A.inf_pos]];
  }
  if (k === "bitstring" && e.unit !== null) return [name, e.unit];
  return name;
}
