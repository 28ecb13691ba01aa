/**
 * The atom table: `AtU8` (UTF-8, OTP 20+) or the old `Atom` (Latin-1).
 *
 * Layout: a signed 32-bit count, then the atoms. With a non-negative count each
 * atom is a length byte and its text. OTP 28 writes a negative count, -N, to
 * say that each length is a compact-encoded `u` value instead, which allows
 * atoms longer than 255 bytes (255 characters of up to 4 UTF-8 bytes each).
 */
import { ATOM_TABLE_LIMIT, type Atom, atom, atomFits, MAX_ATOM_CHARS } from "../terms/index.ts";
import { CompactReader } from "./compact.ts";
import type { Reader } from "./reader.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes an atom chunk. `utf8Names` is true for `AtU8`, false for `Atom`. */
export function readAtoms(r: Reader, utf8Names: boolean): Atom[] {
  const count = r.i32("atom count");
  const compactLengths = count < 0;
  if (compactLengths && !utf8Names) throw r.error("negative atom count in an Atom chunk", r.start);
  const n = compactLengths ? -count : count;
  if (n === 0) throw r.error("empty atom table (the module name is atom 1)", r.start);
  if (n > ATOM_TABLE_LIMIT) throw r.error(`atom count ${n} exceeds the atom table limit`, r.start);
  r.checkCount(n, 1, "atom");
  const cr = compactLengths ? new CompactReader(r) : null;
  const atoms: Atom[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const len = cr ? cr.nextU("atom length") : r.u8("atom length");
    const bytes = r.bytes(len, "atom text");
    let name: string;
    if (utf8Names) {
      try {
        name = utf8.decode(bytes);
      } catch {
        throw r.error(`atom ${i + 1} is not valid UTF-8`, at);
      }
    } else {
      // True Latin-1 (byte = code point); TextDecoder("latin1") is windows-1252.
      name = String.fromCharCode(...bytes);
    }
    if (!atomFits(name)) {
      const tooLong = Array.from(name).length > MAX_ATOM_CHARS;
      throw r.error(
        tooLong ? `atom ${i + 1} is longer than 255 characters` : "atom table full",
        at,
      );
    }
    atoms[i] = atom(name);
  }
  return atoms;
}
