/**
 * What generated code may reference besides its captured constants: term
 * classes for type tests and the generic comparisons used off the fast path.
 * Passed in once per region instance (see compile.ts), so generated source
 * never imports anything.
 */
import { A, Atom } from "../../../terms/atom.ts";
import { BitString } from "../../../terms/binary.ts";
import { compare, eq, exactEq } from "../../../terms/compare.ts";
import { MapTerm } from "../../../terms/map.ts";
import { Cons, ExportFun, Float, Fun, NIL } from "../../../terms/term.ts";

export const JIT_RUNTIME = {
  Atom,
  Cons,
  NIL,
  MapTerm,
  BitString,
  Float,
  Fun,
  ExportFun,
  A_TRUE: A.true,
  A_FALSE: A.false,
  exactEq,
  eq,
  compare,
} as const;
