/**
 * Integers as text: `integer_to_binary/1,2`, `integer_to_list/1,2`,
 * `binary_to_integer/1,2`, `list_to_integer/1,2`. Bases 2..36, digits above
 * 9 written upper case and read in either case; an optional sign, nothing else
 * (no spaces, no underscores).
 */

import { BitString, binaryFromString } from "../../terms/binary.ts";
import { parseInt36 } from "../../terms/integer.ts";
import { stringToList } from "../../terms/list.ts";
import type { Int, Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";
import { binaryBytes, charListToString, decodeLatin1 } from "./text.ts";

function checkInt(i: Term): Int {
  return typeof i === "number" || typeof i === "bigint" ? i : badarg();
}

function checkBase(b: Term): number {
  return typeof b === "number" && b >= 2 && b <= 36 ? b : badarg();
}

function intText(i: Term, base: number): string {
  const n = checkInt(i);
  return base === 10 ? String(n) : n.toString(base).toUpperCase();
}

function parse(text: string | null, base: number): Int {
  if (text === null) return badarg();
  return parseInt36(text, base) ?? badarg();
}

function binaryToInt(b: Term, base: number): Int {
  if (!(b instanceof BitString)) return badarg();
  const bytes = binaryBytes(b);
  return parse(bytes === null ? null : decodeLatin1(bytes), base);
}

function listToInt(l: Term, base: number): Int {
  return parse(charListToString(l, 255), base);
}

/** The integer-to-text and text-to-integer BIFs. */
export const intTextNatives: NativeModule = defineNatives("erlang", {
  "integer_to_binary/1": (_p, i) => binaryFromString(intText(i, 10)),
  "integer_to_binary/2": (_p, i, b) => binaryFromString(intText(i, checkBase(b))),
  "integer_to_list/1": (_p, i) => stringToList(intText(i, 10)),
  "integer_to_list/2": (_p, i, b) => stringToList(intText(i, checkBase(b))),
  "binary_to_integer/1": (_p, b) => binaryToInt(b, 10),
  "binary_to_integer/2": (_p, b, base) => binaryToInt(b, checkBase(base)),
  "list_to_integer/1": (_p, l) => listToInt(l, 10),
  "list_to_integer/2": (_p, l, base) => listToInt(l, checkBase(base)),
});
