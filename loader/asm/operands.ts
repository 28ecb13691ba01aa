/**
 * One operand of an assembly instruction to its compact encoding, as
 * beam_asm's `encode_arg/2` does it. The forms:
 *
 *   {x,N} {y,N}              registers (tags x, y)
 *   {tr,Reg,Type}            typed register: z5, the register, u type index
 *   {fr,N}                   float register: z2, u N
 *   {f,L}                    label (tag f)
 *   {atom,A}  nil            atoms (tag a; nil is atom index 0)
 *   {integer,N}              tag i, or a literal from 2^128 in magnitude
 *   {literal,T}  {float,F}   z4, u literal index ([]/atoms/integers inline)
 *   {list,[...]}             z1, u length, the items
 *   {commands,[...]}         bs_match's command tuples, flattened into a list
 *   {alloc,[{words,W},...]}  z3, u count, u kind/u amount pairs
 *   {field_flags,[...]}      u of the flag bits (little 2, signed 4, native 16)
 *   {string,<<...>>}         u offset into the string pool
 *   {extfunc,M,F,A}          u import index
 *   {char,C}                 tag h
 *   N (a bare integer)       tag u
 */
import { Atom, atom, BitString, Float, NIL, type Term } from "../../terms/index.ts";
import { OP } from "../opcodes.ts";
import { compact, EXT, ext, TAG } from "./compact.ts";
import type { AsmDict } from "./dict.ts";
import { atomName, isTagged, properList, smallNat } from "./terms.ts";

/** Thrown for a malformed operand; the caller adds the form and line. */
export class OperandError extends Error {}

const BIG = 1n << 128n;

const FLAG_BITS: Record<string, number> = { little: 2, big: 0, signed: 4, unsigned: 0, native: 16 };

/** Operands after each bs_match command name (genop.tab's bs_match/3). */
export const BS_MATCH_COMMANDS: Record<string, number> = {
  ensure_at_least: 2,
  ensure_exactly: 1,
  integer: 5,
  binary: 5,
  skip: 1,
  get_tail: 3,
  "=:=": 3,
};

function bad(msg: string): never {
  throw new OperandError(msg);
}

function nat(t: Term, what: string): number {
  const n = smallNat(t);
  return n === null ? bad(`${what} must be a non-negative integer`) : n;
}

function literal(dict: AsmDict, value: Term): number[] {
  if (value === NIL) return compact(TAG.a, 0);
  if (value instanceof Atom) return compact(TAG.a, dict.atom(value.name));
  if (typeof value === "number" || typeof value === "bigint") return integer(dict, value);
  return [...ext(EXT.literal), ...compact(TAG.u, dict.literal(value))];
}

function integer(dict: AsmDict, n: number | bigint): number[] {
  const b = BigInt(n);
  if (b >= BIG || b <= -BIG) return [...ext(EXT.literal), ...compact(TAG.u, dict.literal(n))];
  return compact(TAG.i, n);
}

function register(t: Term): number[] {
  if (isTagged(t, "x", 2)) return compact(TAG.x, nat(t[1]!, "x register"));
  if (isTagged(t, "y", 2)) return compact(TAG.y, nat(t[1]!, "y register"));
  return bad("a typed register must be {x,N} or {y,N}");
}

function items(t: Term, what: string): Term[] {
  const xs = properList(t);
  return xs ?? bad(`${what} must be a proper list`);
}

function fieldFlags(t: Term): number {
  let bits = 0;
  for (const f of items(t, "field_flags")) {
    if (isTagged(f, "anno")) continue;
    const name = atomName(f);
    const bit = name === null ? undefined : FLAG_BITS[name];
    if (bit === undefined) bad(`unknown field flag ${name ?? "?"}`);
    bits |= bit;
  }
  return bits;
}

function allocList(t: Term): number[] {
  const kinds: Record<string, number> = { words: 0, floats: 1, funs: 2 };
  const xs = items(t, "alloc");
  const out = [...ext(EXT.alloc), ...compact(TAG.u, xs.length)];
  for (const x of xs) {
    const kind = Array.isArray(x) && x.length === 2 ? atomName(x[0]!) : null;
    if (kind === null || !(kind in kinds)) bad("alloc items are {words,N}, {floats,N} or {funs,N}");
    out.push(...compact(TAG.u, kinds[kind]!), ...compact(TAG.u, nat((x as Term[])[1]!, kind)));
  }
  return out;
}

/** bs_match's `{commands,[{Name,Args...},...]}`: a flat list of `{atom,Name}` and the args. */
function commands(t: Term): Term[] {
  const flat: Term[] = [];
  for (const c of items(t, "commands")) {
    const name = Array.isArray(c) && c.length > 0 ? atomName(c[0]!) : null;
    if (name === null) bad("a bs_match command is a tuple starting with its name");
    const n = BS_MATCH_COMMANDS[name];
    if (n === undefined) bad(`unknown bs_match command ${name}`);
    const args = (c as Term[]).slice(1);
    if (args.length !== n) bad(`bs_match command ${name} takes ${n} operands, not ${args.length}`);
    flat.push([atom("atom"), atom(name)], ...args);
  }
  return flat;
}

/** Encodes one operand; `dict` collects the table entries it refers to. */
export function encodeOperand(dict: AsmDict, t: Term): number[] {
  if (typeof t === "number" || typeof t === "bigint") return compact(TAG.u, t);
  if (t instanceof Atom) {
    if (t.name === "nil") return compact(TAG.a, 0);
    return bad(`bare atom '${t.name}' is not an operand (write {atom,${t.name}})`);
  }
  if (!Array.isArray(t) || t.length === 0 || !(t[0] instanceof Atom))
    return bad("not an operand form");
  const tag = t[0].name;
  const arg = t[1]!;
  switch (`${tag}/${t.length}`) {
    case "x/2":
    case "y/2":
      return register(t);
    case "tr/3":
      // As beam_asm does: typed registers make the module need OTP 25's call_fun2 era.
      dict.opcode(OP.call_fun2);
      return [...ext(EXT.typed), ...register(arg), ...compact(TAG.u, dict.type(t[2]!))];
    case "fr/2":
      return [...ext(EXT.fr), ...compact(TAG.u, nat(arg, "float register"))];
    case "f/2": {
      const label = nat(arg, "label");
      dict.labelUses.push(label);
      return compact(TAG.f, label);
    }
    case "atom/2": {
      const name = atomName(arg);
      return name === null ? bad("{atom,A} needs an atom") : compact(TAG.a, dict.atom(name));
    }
    case "integer/2":
      if (typeof arg !== "number" && typeof arg !== "bigint") bad("{integer,N} needs an integer");
      return integer(dict, arg);
    case "literal/2":
      return literal(dict, arg);
    case "float/2":
      return arg instanceof Float ? literal(dict, arg) : bad("{float,F} needs a float");
    case "list/2":
      return encodeList(dict, items(arg, "list"));
    case "commands/2":
      return encodeList(dict, commands(arg));
    case "alloc/2":
      return allocList(arg);
    case "field_flags/2":
      return compact(TAG.u, typeof arg === "number" ? nat(arg, "field_flags") : fieldFlags(arg));
    case "string/2":
      if (!(arg instanceof BitString) || !arg.isBinary) bad("{string,B} needs a binary");
      return compact(TAG.u, dict.string(arg.bytes()));
    case "extfunc/4": {
      const m = atomName(arg);
      const f = atomName(t[2]!);
      if (m === null || f === null) bad("{extfunc,M,F,A} needs atoms M and F");
      return compact(TAG.u, dict.import(m, f, nat(t[3]!, "arity")));
    }
    case "char/2":
      return compact(TAG.h, nat(arg, "character"));
  }
  return bad(`unknown operand {${tag},...}/${t.length}`);
}

function encodeList(dict: AsmDict, xs: Term[]): number[] {
  const out = [...ext(EXT.list), ...compact(TAG.u, xs.length)];
  for (const x of xs) out.push(...encodeOperand(dict, x));
  return out;
}
