/**
 * `io_lib` (formatting to character lists) and `io_lib_format:fwrite_g/1`.
 * Results are flat lists of characters; OTP returns deep lists that flatten
 * to the same text.
 */

import { A, Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { formatFloatShort } from "../../terms/float.ts";
import { stringToList, walkDeepList } from "../../terms/list.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { ioLibFreadFns } from "./io_lib-fread.ts";
import { ioLibScanFns } from "./io_lib-scan.ts";
import { fwrite } from "./io-format/format.ts";
import { cpLength, prettyPrint } from "./io-format/pretty.ts";
import { stringChar, writeAtom, writeString, writeTerm } from "./io-format/write.ts";
import { badarg, listArg } from "./util.ts";

const text = (s: string): Term => stringToList(s);
const bool = (b: boolean): Term => (b ? A.true : A.false);

/** The code points of a flat list of integers, or null. */
function flatInts(t: Term): number[] | null {
  const out: number[] = [];
  while (t instanceof Cons) {
    if (typeof t.head !== "number") return null;
    out.push(t.head);
    t = t.tail;
  }
  return t === NIL ? out : null;
}

const printableLatin1 = (c: number) =>
  (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c === 27;
const printableUnicode = (c: number) =>
  (c >= 32 && c <= 126) ||
  (c >= 160 && c < 0xd800) ||
  (c > 0xdfff && c < 0xfffe) ||
  (c > 0xffff && c <= 0x10ffff) ||
  (c >= 8 && c <= 13) ||
  c === 27;

function allOf(t: Term, ok: (c: number) => boolean): Term {
  const cs = flatInts(t);
  return bool(cs?.every(ok) === true);
}

/** Whether `t` is a (deep) list of characters accepted by `ok`. */
function deepChars(t: Term, ok: (c: number) => boolean): boolean {
  return walkDeepList(
    t,
    (c) => typeof c === "number" && ok(c),
    () => false,
  );
}

const isChar = (c: number) => c >= 0 && c <= 0x10ffff;
const isLatin1 = (c: number) => c >= 0 && c <= 255;

function depthArg(t: Term): number {
  if (typeof t !== "number") return badarg();
  return t;
}

/** Options list of io_lib:write/2 and print/2: depth, encoding. */
function writeOpts(t: Term): { depth: number; unicode: boolean } {
  let depth = -1;
  let unicode = false;
  for (const o of listArg(t)) {
    if (Array.isArray(o) && o.length === 2 && o[0] instanceof Atom) {
      if (o[0].name === "depth") depth = depthArg(o[1]!);
      else if (o[0].name === "encoding") unicode = o[1] instanceof Atom && o[1].name === "unicode";
    }
  }
  return { depth, unicode };
}

export const ioLibNatives: NativeModule = defineNatives("io_lib", {
  "format/2": (_p, f, a) => text(fwrite(f, a)),
  "format/3": (_p, f, a, _o) => text(fwrite(f, a)),
  "fwrite/2": (_p, f, a) => text(fwrite(f, a)),
  "fwrite/3": (_p, f, a, _o) => text(fwrite(f, a)),
  "write/1": (_p, t) => text(writeTerm(t, -1, "latin1")),
  "write/2": (_p, t, d) => {
    if (typeof d === "number") return text(writeTerm(t, d, "latin1"));
    const o = writeOpts(d);
    return text(writeTerm(t, o.depth, o.unicode ? "unicode" : "latin1"));
  },
  "print/1": (_p, t) => text(prettyPrint(t, 1, 80, -1, "latin1", true)),
  "print/4": (_p, t, col, ll, d) => {
    if (typeof col !== "number" || typeof ll !== "number") return badarg();
    return text(prettyPrint(t, col, ll, depthArg(d), "latin1", true));
  },
  "write_atom/1": (_p, a) => (a instanceof Atom ? text(writeAtom(a, "unicode")) : badarg()),
  "write_atom_as_latin1/1": (_p, a) =>
    a instanceof Atom ? text(writeAtom(a, "latin1")) : badarg(),
  "write_string/1": (_p, s) => text(writeString(flatInts(s) ?? badarg(), 34, "unicode_as_unicode")),
  "write_string/2": (_p, s, q) =>
    text(
      writeString(
        flatInts(s) ?? badarg(),
        typeof q === "number" ? q : badarg(),
        "unicode_as_unicode",
      ),
    ),
  "write_latin1_string/1": (_p, s) => text(writeString(flatInts(s) ?? badarg(), 34, "latin1")),
  "write_string_as_latin1/1": (_p, s) =>
    text(writeString(flatInts(s) ?? badarg(), 34, "unicode_as_latin1")),
  "write_char/1": (_p, c) => {
    if (typeof c !== "number" || c < 0) return badarg();
    return text(c === 32 ? "$\\s" : `$${stringChar(c, -1, "unicode_as_unicode")}`);
  },
  "write_char_as_latin1/1": (_p, c) => {
    if (typeof c !== "number" || c < 0) return badarg();
    return text(c === 32 ? "$\\s" : `$${stringChar(c, -1, "unicode_as_latin1")}`);
  },
  "nl/0": () => text("\n"),
  "indentation/2": (_p, s, i) => {
    if (typeof i !== "number") return badarg();
    let col = i;
    // Improper tails and non-character elements are skipped, as OTP's loop does.
    walkDeepList(s, (h) => {
      if (h === 10) col = 0;
      else if (h === 9) col = (Math.floor(col / 8) + 1) * 8;
      else if (typeof h === "number") col++;
      return true;
    });
    return col;
  },
  "chars_length/1": (_p, s) => {
    let n = 0;
    const count = (t: Term): true => {
      if (t instanceof BitString) n += cpLength(new TextDecoder().decode(t.bytes()));
      else if (typeof t === "number") n++;
      return true;
    };
    if (s instanceof BitString) count(s);
    else walkDeepList(s, count);
    return n;
  },
  "printable_list/1": (_p, l) => allOf(l, printableLatin1),
  "printable_latin1_list/1": (_p, l) => allOf(l, printableLatin1),
  "printable_unicode_list/1": (_p, l) => allOf(l, printableUnicode),
  "char_list/1": (_p, l) => allOf(l, isChar),
  "latin1_char_list/1": (_p, l) => allOf(l, isLatin1),
  "deep_char_list/1": (_p, l) => bool(deepChars(l, isChar)),
  "deep_latin1_char_list/1": (_p, l) => bool(deepChars(l, isLatin1)),
  ...ioLibScanFns,
  ...ioLibFreadFns,
});

export const ioLibFormatNatives: NativeModule = defineNatives("io_lib_format", {
  "fwrite_g/1": (_p, f) => (f instanceof Float ? text(formatFloatShort(f.value)) : badarg()),
  "fwrite/2": (_p, f, a) => text(fwrite(f, a)),
});
