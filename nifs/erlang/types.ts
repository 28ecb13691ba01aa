/**
 * Type-test BIFs (`is_atom/1` ... `is_record/3`). They never fail except on
 * a malformed second argument (`is_function/2` arity, `is_record` tag/size).
 */

import { A, Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { MapTerm } from "../../terms/map.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, raiseTagged } from "../../vm/index.ts";

const T = A.true;
const F = A.false;

/** `is_function(F, Arity)`: a non-integer or negative arity is `badarg`; a huge one is just false. */
function isFunctionArity(f: Term, arity: Term): Term {
  if (typeof arity === "bigint") {
    if (arity < 0n) badarg();
    return F;
  }
  if (typeof arity !== "number" || arity < 0) return badarg();
  return (f instanceof Fun || f instanceof ExportFun) && f.arity === arity ? T : F;
}

/** `is_record(Term, Tag)`: a tuple whose first element is the atom `Tag`. */
function isRecord(t: Term, tag: Term): Term {
  if (!(tag instanceof Atom)) badarg();
  return Array.isArray(t) && t.length > 0 && t[0] === tag ? T : F;
}

/** `is_record(Term, Tag, Size)` */
function isRecordSized(t: Term, tag: Term, size: Term): Term {
  if (!(tag instanceof Atom) || (typeof size !== "number" && typeof size !== "bigint")) badarg();
  return Array.isArray(t) && t.length === size && t.length > 0 && t[0] === tag ? T : F;
}

/** The type-test BIFs. */
export const typeNatives: NativeModule = defineNatives("erlang", {
  "is_atom/1": (_p, t) => (t instanceof Atom ? T : F),
  "is_binary/1": (_p, t) => (t instanceof BitString && (t.size & 7) === 0 ? T : F),
  "is_bitstring/1": (_p, t) => (t instanceof BitString ? T : F),
  "is_boolean/1": (_p, t) => (t === T || t === F ? T : F),
  "is_float/1": (_p, t) => (t instanceof Float ? T : F),
  "is_function/1": (_p, t) => (t instanceof Fun || t instanceof ExportFun ? T : F),
  "is_function/2": (_p, t, n) => isFunctionArity(t, n),
  "is_integer/1": (_p, t) => (typeof t === "number" || typeof t === "bigint" ? T : F),
  "is_list/1": (_p, t) => (t instanceof Cons || t === NIL ? T : F),
  "is_map/1": (_p, t) => (t instanceof MapTerm ? T : F),
  "is_map_key/2": (_p, k, m) => {
    if (!(m instanceof MapTerm)) raiseTagged(A.badmap, m);
    return m.has(k) ? T : F;
  },
  "is_number/1": (_p, t) =>
    typeof t === "number" || typeof t === "bigint" || t instanceof Float ? T : F,
  "is_pid/1": (_p, t) => (t instanceof Pid ? T : F),
  "is_port/1": (_p, t) => (t instanceof Port ? T : F),
  "is_reference/1": (_p, t) => (t instanceof Ref ? T : F),
  "is_tuple/1": (_p, t) => (Array.isArray(t) ? T : F),
  "is_record/2": (_p, t, tag) => isRecord(t, tag),
  "is_record/3": (_p, t, tag, size) => isRecordSized(t, tag, size),
});
