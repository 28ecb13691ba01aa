/**
 * Atom conversions: `atom_to_binary/1,2`, `atom_to_list/1`,
 * `binary_to_atom/1,2`, `binary_to_existing_atom/1,2`, `list_to_atom/1`,
 * `list_to_existing_atom/1`. Atoms hold at most 255 characters
 * (`system_limit` beyond); the encoding argument is `latin1`, `unicode` or
 * `utf8`, anything else is `badarg`.
 */

import { Atom, atom, existingAtom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes, binaryFromString } from "../../terms/binary.ts";
import { stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { atomFor, badarg, defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { binaryBytes, charListToString, decodeLatin1, decodeUtf8 } from "./text.ts";

const LATIN1 = atom("latin1");
const UNICODE = atom("unicode");
const UTF8 = atom("utf8");

/** Whether `enc` names UTF-8 (true), latin-1 (false); `badarg` otherwise. */
function isUtf8Encoding(enc: Term): boolean {
  if (enc === UTF8 || enc === UNICODE) return true;
  if (enc === LATIN1) return false;
  return badarg();
}

// Atoms never die, and binaries are values: one UTF-8 binary per atom is enough.
const utf8Cache = new Map<Atom, BitString>();

function atomToUtf8(a: Term): BitString {
  if (!(a instanceof Atom)) badarg();
  let b = utf8Cache.get(a);
  if (b === undefined) {
    b = binaryFromString(a.name);
    utf8Cache.set(a, b);
  }
  return b;
}

function atomToLatin1(a: Atom): BitString {
  const s = a.name;
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) badarg();
    out[i] = c;
  }
  return binaryFromBytes(out);
}

/**
 * The atom named `name`, creating it; `system_limit` if too long, the table
 * is full, or `p`'s process tree has used its budget of new atoms.
 */
function makeAtom(p: Process, name: string): Atom {
  return atomFor(p, name);
}

/** Text of a binary in the given encoding; `badarg` if it is not a binary or not valid UTF-8. */
function binaryText(b: Term, utf8: boolean): string {
  if (!(b instanceof BitString)) return badarg();
  const bytes = binaryBytes(b);
  if (bytes === null) return badarg();
  const s = utf8 ? decodeUtf8(bytes) : decodeLatin1(bytes);
  return s ?? badarg();
}

function binaryToAtom(p: Process, b: Term, enc: Term): Term {
  return makeAtom(p, binaryText(b, isUtf8Encoding(enc)));
}

function binaryToExistingAtom(b: Term, enc: Term): Term {
  return existingAtom(binaryText(b, isUtf8Encoding(enc))) ?? badarg();
}

function listText(l: Term): string {
  return charListToString(l) ?? badarg();
}

/** The atom conversion BIFs. */
export const atomNatives: NativeModule = defineNatives("erlang", {
  "atom_to_binary/1": (_p, a) => atomToUtf8(a),
  "atom_to_binary/2": (_p, a, enc) => {
    if (!(a instanceof Atom)) return badarg();
    return isUtf8Encoding(enc) ? atomToUtf8(a) : atomToLatin1(a);
  },
  "atom_to_list/1": (_p, a) => (a instanceof Atom ? stringToList(a.name) : badarg()),
  "binary_to_atom/1": (p, b) => binaryToAtom(p, b, UTF8),
  "binary_to_atom/2": (p, b, enc) => binaryToAtom(p, b, enc),
  "binary_to_existing_atom/1": (_p, b) => binaryToExistingAtom(b, UTF8),
  "binary_to_existing_atom/2": (_p, b, enc) => binaryToExistingAtom(b, enc),
  "list_to_atom/1": (p, l) => makeAtom(p, listText(l)),
  "list_to_existing_atom/1": (_p, l) => existingAtom(listText(l)) ?? badarg(),
});
