/**
 * Typed registers: `{tr,Reg,Type}` carries the compiler's type of a register
 * as `-S` prints it (`{t_integer,{0,255}}`, `{t_union,...}`, `number`, ...).
 * The .beam keeps only a coarse "external" projection of it in the Type
 * chunk: which of 13 primary kinds the value may be, and an integer range when
 * both ends are small. This module makes that projection, writing entries in
 * the version 1 layout OTP 25 uses (16 kind bits, then min and max as signed
 * 64-bit; min > max meaning "no range").
 *
 * The projection follows beam_types:encode_ext/1 (a kind bit is set when the
 * type meets that kind). Type records this module does not know project to
 * `any`, which is always safe: it only withholds information.
 */
import { Atom, atom, type Term } from "../../terms/index.ts";
import { isTagged } from "./terms.ts";

const BIT = {
  atom: 1 << 0,
  bitstring: 1 << 1,
  bs_matchstate: 1 << 2,
  cons: 1 << 3,
  float: 1 << 4,
  fun: 1 << 5,
  integer: 1 << 6,
  map: 1 << 7,
  nil: 1 << 8,
  pid: 1 << 9,
  port: 1 << 10,
  reference: 1 << 11,
  tuple: 1 << 12,
} as const;
const ANY_BITS = (1 << 13) - 1;

/** Integers the runtime keeps unboxed on 64-bit machines (beam_types:is_small/1). */
const SMALL_MIN = -(1n << 59n);
const SMALL_MAX = (1n << 59n) - 1n;

const ATOM_TYPES: Record<string, number> = {
  any: ANY_BITS,
  none: 0,
  nil: BIT.nil,
  pid: BIT.pid,
  port: BIT.port,
  reference: BIT.reference,
  identifier: BIT.pid | BIT.port | BIT.reference,
  number: BIT.integer | BIT.float,
  other: BIT.fun | BIT.map | BIT.pid | BIT.port | BIT.reference | BIT.bitstring | BIT.bs_matchstate,
};

const RECORD_TYPES: Record<string, number> = {
  t_atom: BIT.atom,
  t_bitstring: BIT.bitstring,
  t_bs_context: BIT.bs_matchstate,
  t_bs_matchable: BIT.bitstring | BIT.bs_matchstate,
  t_cons: BIT.cons,
  t_float: BIT.float,
  t_fun: BIT.fun,
  t_integer: BIT.integer,
  t_number: BIT.integer | BIT.float,
  t_list: BIT.cons | BIT.nil,
  t_map: BIT.map,
  t_tuple: BIT.tuple,
};

function kindBits(t: Term): number {
  if (t instanceof Atom) return ATOM_TYPES[t.name] ?? ANY_BITS;
  if (isTagged(t, "t_union", 6)) {
    // #t_union{atom, list, number, tuple_set, other}: each part is a type or `none`;
    // the tuple set may also be a list of {{Size,Tag},Record} pairs.
    const [, a, l, n, tuples, other] = t;
    const tupleBits = tuples instanceof Atom && tuples.name === "none" ? 0 : BIT.tuple;
    return kindBits(a!) | kindBits(l!) | kindBits(n!) | tupleBits | kindBits(other!);
  }
  if (Array.isArray(t) && t[0] instanceof Atom) return RECORD_TYPES[t[0].name] ?? ANY_BITS;
  return ANY_BITS;
}

function integerRange(t: Term): [bigint, bigint] | null {
  if (isTagged(t, "t_union", 6)) return integerRange(t[3]!);
  if (!isTagged(t, "t_integer", 2) || !Array.isArray(t[1]) || t[1].length !== 2) return null;
  const [lo, hi] = t[1];
  if (
    (typeof lo !== "number" && typeof lo !== "bigint") ||
    (typeof hi !== "number" && typeof hi !== "bigint")
  )
    return null;
  const min = BigInt(lo);
  const max = BigInt(hi);
  return min >= SMALL_MIN && max <= SMALL_MAX ? [min, max] : null;
}

/** The 18-byte version 1 Type-chunk entry for a compiler type. */
export function externalType(t: Term): Uint8Array {
  const out = new Uint8Array(18);
  const v = new DataView(out.buffer);
  v.setUint16(0, kindBits(t));
  const range = integerRange(t);
  v.setBigInt64(2, range ? range[0] : 0n);
  v.setBigInt64(10, range ? range[1] : -1n);
  return out;
}

/** The entry for `any`, which the compiler always puts at index 0. */
export const ANY_TYPE: Term = atom("any");
