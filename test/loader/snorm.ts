/**
 * Test helper: the normalisation applied to both an `erlc -S` listing and our
 * disassembly before comparing them (documented in docs/loader.md). It maps
 * each `-S` form to what the assembler encodes, dropping what the .beam does
 * not carry:
 *
 * - `{'%',...}` annotations are dropped; `on_load` (inserted by the assembler) too.
 * - `{tr,Reg,Type}` becomes `{tr,Reg}`: the beam's external type is a coarse
 *   projection of the compiler's type, so only "typed" is compared.
 * - `{literal,[]}` is `nil`, `{literal,Atom}` `{atom,Atom}`, `{literal,Float}`
 *   `{float,Float}`, `{literal,Int}` `{integer,Int}` below 2^128 and
 *   `{integer,Int}` from 2^128 is `{literal,Int}`: the encodings coincide.
 * - `{field_flags,[...]}` becomes the flag bits (little 2, signed 4, native 16).
 * - `{line,Locs}` keeps only the first `{location,_,_}`.
 * - `{bif,raise,_,Args,_}` gets fail `{f,0}` and dst `{x,0}`; a zero-argument
 *   `bif` gets fail `{f,0}`: the opcodes keep neither.
 * - `make_fun2/3` drop the index and old-uniq placeholders `-S` prints.
 * - `{kill,Y}` is `{init,Y}`.
 */
import { Atom, atom, Cons, Float, listFromArray, NIL, type Term } from "../../terms/index.ts";

const a = (s: string) => atom(s);
const BIG = 1n << 128n;

const isTuple = (t: Term, tag: string, size?: number): t is Term[] =>
  Array.isArray(t) && t.length > 0 && t[0] === a(tag) && (size === undefined || t.length === size);

function mapList(l: Term, f: (t: Term) => Term): Term {
  const out: Term[] = [];
  while (l instanceof Cons) {
    out.push(f(l.head));
    l = l.tail;
  }
  return listFromArray(out, l);
}

function listItems(l: Term): Term[] {
  const out: Term[] = [];
  while (l instanceof Cons) {
    out.push(l.head);
    l = l.tail;
  }
  return out;
}

const FLAG_BITS: Record<string, number> = { little: 2, signed: 4, native: 16 };

/** Normalises an operand (recursing through tuples and lists, not into literals). */
export function normOperand(t: Term): Term {
  if (isTuple(t, "tr", 3)) return [a("tr"), t[1]!];
  if (isTuple(t, "literal", 2)) {
    const v = t[1]!;
    if (v === NIL) return a("nil");
    if (v instanceof Atom) return [a("atom"), v];
    if (v instanceof Float) return [a("float"), v];
    if (typeof v === "number" || (typeof v === "bigint" && v < BIG && v > -BIG)) {
      return [a("integer"), v];
    }
    return t;
  }
  if (isTuple(t, "integer", 2) && typeof t[1] === "bigint" && (t[1] >= BIG || t[1] <= -BIG)) {
    return [a("literal"), t[1]];
  }
  if (isTuple(t, "field_flags", 2) && (t[1] instanceof Cons || t[1] === NIL)) {
    let bits = 0;
    for (const f of listItems(t[1]!)) if (f instanceof Atom) bits |= FLAG_BITS[f.name] ?? 0;
    return [a("field_flags"), bits];
  }
  if (Array.isArray(t)) return t.map(normOperand);
  if (t instanceof Cons) return mapList(t, normOperand);
  return t;
}

/** Normalises one instruction form; null means "drop it". */
export function normInstr(t: Term): Term | null {
  if (isTuple(t, "%") || t === a("on_load")) return null;
  if (!Array.isArray(t)) return t;
  let ins = t;
  if (isTuple(ins, "line", 2)) {
    const loc = listItems(ins[1]!).find((l) => isTuple(l, "location", 3));
    ins = [a("line"), loc ? listFromArray([loc]) : NIL];
  } else if (isTuple(ins, "bif", 5) && ins[1] === a("raise")) {
    ins = [a("bif"), a("raise"), [a("f"), 0], ins[3]!, [a("x"), 0]];
  } else if (isTuple(ins, "bif", 5) && ins[3] === NIL) {
    ins = [a("bif"), ins[1]!, [a("f"), 0], NIL, ins[4]!];
  } else if (isTuple(ins, "make_fun3", 6)) {
    ins = [ins[0]!, ins[1]!, ins[4]!, ins[5]!];
  } else if (isTuple(ins, "make_fun2", 5)) {
    ins = [ins[0]!, ins[1]!, ins[4]!];
  } else if (isTuple(ins, "kill", 2)) {
    ins = [a("init"), ins[1]!];
  }
  return [ins[0]!, ...ins.slice(1).map(normOperand)];
}
