/**
 * Binary BIFs of module erlang: sizes, slicing and conversions between binaries and lists.
 * `byte_size/1`, `bit_size/1`, `binary_part/2,3`, `split_binary/2`,
 * `binary_to_list/1,3`, `bitstring_to_list/1`, `list_to_binary/1`,
 * `list_to_bitstring/1`, `iolist_to_binary/1`, `iolist_size/1`,
 * `iolist_to_iovec/1`. Slices share the original's storage.
 */

import { BitString } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { ioSizeBits, ioToBitString } from "./iolist.ts";
import { iolistToIovec } from "./iovec.ts";

/** A binary (whole bytes) argument, else `badarg`. */
function binaryArg(b: Term): BitString {
  return b instanceof BitString && (b.size & 7) === 0 ? b : badarg();
}

/** `binary_part(Bin, Start, Len)`: a negative Len counts back from Start. */
function binaryPart(b: Term, start: Term, len: Term): Term {
  // Like BEAM, a bitstring is accepted as long as the requested bytes are whole.
  if (!(b instanceof BitString)) return badarg();
  const bin = b;
  if (typeof start !== "number" || typeof len !== "number") return badarg();
  const from = len < 0 ? start + len : start;
  const n = len < 0 ? -len : len;
  if (from < 0 || from + n > bin.size >>> 3) return badarg();
  return bin.slice(from * 8, n * 8);
}

/** Bytes `from` (inclusive) to `to` (exclusive) of `b` as a list, at any alignment. */
function bytesToList(b: BitString, from: number, to: number): Term {
  let l: Term = NIL;
  for (let i = to - 1; i >= from; i--) l = new Cons(b.byteAt(i), l);
  return l;
}

/** `binary_to_list(Bin, Start, Stop)`: 1-based, both inclusive. */
function binaryToListRange(b: Term, start: Term, stop: Term): Term {
  const bin = binaryArg(b);
  if (typeof start !== "number" || typeof stop !== "number") return badarg();
  if (start < 1 || stop < start || stop > bin.size >>> 3) return badarg();
  return bytesToList(bin, start - 1, stop);
}

/** The bytes of a bitstring, then a final bitstring of the leftover bits. */
function bitstringToList(_p: Process, b: Term): Term {
  if (!(b instanceof BitString)) return badarg();
  const whole = b.size >>> 3;
  const rest = b.size & 7;
  const tail: Term = rest === 0 ? NIL : new Cons(b.slice(whole * 8, rest), NIL);
  let l = tail;
  for (let i = whole - 1; i >= 0; i--) l = new Cons(b.byteAt(i), l);
  return l;
}

/** `split_binary(Bin, Pos)`: Pos counts whole bytes; the second part keeps any trailing bits. */
function splitBinary(_p: Process, b: Term, pos: Term): Term {
  if (!(b instanceof BitString) || typeof pos !== "number") return badarg();
  if (pos < 0 || pos > b.size >>> 3) return badarg();
  return [b.slice(0, pos * 8), b.slice(pos * 8, b.size - pos * 8)];
}

function listToBinary(l: Term, bits: boolean): Term {
  if (!(l instanceof Cons) && l !== NIL) return badarg();
  return ioToBitString(l, bits) ?? badarg();
}

function iolistToBinary(_p: Process, t: Term): Term {
  if (t instanceof BitString) return binaryArg(t);
  return listToBinary(t, false);
}

function iolistSize(_p: Process, t: Term): Term {
  if (!(t instanceof Cons) && t !== NIL && !(t instanceof BitString)) return badarg();
  const bits = ioSizeBits(t, false);
  return bits < 0 ? badarg() : bits >>> 3;
}

/** The binary size, slicing and conversion BIFs. */
export const erlangBinaryNatives: NativeModule = defineNatives("erlang", {
  "byte_size/1": (_p, b) => (b instanceof BitString ? (b.size + 7) >>> 3 : badarg()),
  "bit_size/1": (_p, b) => (b instanceof BitString ? b.size : badarg()),
  "binary_part/2": (_p, b, pl) =>
    Array.isArray(pl) && pl.length === 2 ? binaryPart(b, pl[0]!, pl[1]!) : badarg(),
  "binary_part/3": (_p, b, s, n) => binaryPart(b, s, n),
  "split_binary/2": splitBinary,
  "binary_to_list/1": (_p, b) => {
    const bin = binaryArg(b);
    return bytesToList(bin, 0, bin.size >>> 3);
  },
  "binary_to_list/3": (_p, b, s, e) => binaryToListRange(b, s, e),
  "bitstring_to_list/1": bitstringToList,
  "list_to_binary/1": (_p, l) => listToBinary(l, false),
  "list_to_bitstring/1": (_p, l) => listToBinary(l, true),
  "iolist_to_binary/1": iolistToBinary,
  "iolist_size/1": iolistSize,
  "iolist_to_iovec/1": (_p, t) => iolistToIovec(t) ?? badarg(),
});
