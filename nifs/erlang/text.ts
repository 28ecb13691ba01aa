/**
 * Text helpers for the conversion BIFs: strict UTF-8 decoding without
 * exceptions, and reading Erlang strings (code-point lists) into JS text.
 */
import type { BitString } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";

/**
 * Decodes UTF-8 as OTP accepts it (no overlong forms, no surrogates, nothing
 * above U+10FFFF); null if the bytes are not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string | null {
  let s = "";
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i++;
      continue;
    }
    let cp: number;
    let len: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      cp = b & 0x1f;
      len = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      cp = b & 0x0f;
      len = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      cp = b & 0x07;
      len = 4;
      min = 0x10000;
    } else return null;
    if (i + len > n) return null;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    s += String.fromCodePoint(cp);
    i += len;
  }
  return s;
}

/** Each byte as the code point of the same value (latin-1). */
export function decodeLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** The whole bytes of a binary, or null for a bitstring that is not a binary. */
export function binaryBytes(b: BitString): Uint8Array | null {
  return (b.size & 7) === 0 ? b.bytes() : null;
}

/**
 * JS text from a proper list of Unicode code points (no surrogates), or null.
 * `maxChar` narrows the accepted range (255 for the latin-1 string BIFs).
 */
export function charListToString(l: Term, maxChar = 0x10ffff): string | null {
  let s = "";
  while (l instanceof Cons) {
    const c = l.head;
    if (typeof c !== "number" || c < 0 || c > maxChar || (c >= 0xd800 && c <= 0xdfff)) {
      return null;
    }
    s += c < 0x10000 ? String.fromCharCode(c) : String.fromCodePoint(c);
    l = l.tail;
  }
  return l === NIL ? s : null;
}
