/**
 * `term_to_binary/1,2`, `binary_to_term/1,2` and `external_size/1,2` over
 * the external term format codec of terms/etf.ts.
 *
 * Options: `compressed`, `{compressed, 0..9}`, `{minor_version, 0..2}` and
 * `deterministic` (our map encoding is always deterministic) for encoding;
 * `safe` and `used` for decoding. Anything else is `badarg`.
 */

import { atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import {
  type DecodeOptions,
  decodeExternalTermAt,
  type EncodeOptions,
  EtfError,
  encodeExternalTerm,
} from "../../terms/etf.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, chargingAtoms, defineNatives, type NativeModule } from "../../vm/index.ts";

const COMPRESSED = atom("compressed");
const MINOR_VERSION = atom("minor_version");
const DETERMINISTIC = atom("deterministic");
const SAFE = atom("safe");
const USED = atom("used");

function encodeOptions(opts: Term): EncodeOptions {
  const out: EncodeOptions = {};
  while (opts instanceof Cons) {
    const o = opts.head;
    if (o === COMPRESSED) out.compressed = true;
    else if (o === DETERMINISTIC) {
      // Maps are always written in one canonical order here.
    } else if (Array.isArray(o) && o.length === 2 && typeof o[1] === "number") {
      const n = o[1];
      if (o[0] === COMPRESSED && n >= 0 && n <= 9) out.compressed = n;
      else if (o[0] === MINOR_VERSION && (n === 0 || n === 1 || n === 2)) out.minorVersion = n;
      else badarg();
    } else badarg();
    opts = opts.tail;
  }
  if (opts !== NIL) badarg();
  return out;
}

/** `external_size/2` takes only `{minor_version, N}` (OTP rejects `compressed` there). */
function sizeOptions(opts: Term): EncodeOptions {
  const out = encodeOptions(opts);
  if (out.compressed !== undefined) badarg();
  return out;
}

function termToBinary(t: Term, opts: EncodeOptions | undefined): Term {
  return binaryFromBytes(encodeExternalTerm(t, opts));
}

function binaryToTerm(b: Term, opts: Term): Term {
  if (!(b instanceof BitString) || (b.size & 7) !== 0) return badarg();
  const decode: DecodeOptions = {};
  let used = false;
  while (opts instanceof Cons) {
    if (opts.head === SAFE) decode.safe = true;
    else if (opts.head === USED) used = true;
    else badarg();
    opts = opts.tail;
  }
  if (opts !== NIL) badarg();
  const bytes = b.bytes();
  let r: { term: Term; end: number };
  try {
    r = decodeExternalTermAt(bytes, 0, decode);
  } catch (e) {
    if (e instanceof EtfError) badarg();
    throw e;
  }
  return used ? [r.term, r.end] : r.term;
}

/** The external term format BIFs. */
export const etfNatives: NativeModule = defineNatives("erlang", {
  "external_size/1": (_p, t) => encodeExternalTerm(t).length,
  "external_size/2": (_p, t, o) => encodeExternalTerm(t, sizeOptions(o)).length,
  "term_to_binary/1": (_p, t) => termToBinary(t, undefined),
  "term_to_binary/2": (_p, t, o) => termToBinary(t, encodeOptions(o)),
  // Decoding may add atoms: they are charged to the caller's budget afterwards.
  "binary_to_term/1": (p, b) => chargingAtoms(p, () => binaryToTerm(b, NIL)),
  "binary_to_term/2": (p, b, o) => chargingAtoms(p, () => binaryToTerm(b, o)),
});
