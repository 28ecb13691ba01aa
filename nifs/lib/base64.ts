/**
 * `base64` (RFC 4648), with the OTP 26 options map
 * `#{mode => standard | urlsafe, padding => boolean()}` on encode/2 and
 * decode/2. Errors follow OTP 25: a character outside the alphabet is
 * `badarg`, a wrongly padded or truncated input is `function_clause`.
 */

import { A } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { bytesToList } from "../../terms/list.ts";
import { MapTerm } from "../../terms/map.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { ioToBitString } from "../erlang/iolist.ts";
import { at, badarg, fclause } from "./util.ts";

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

interface Options {
  urlsafe: boolean;
  padding: boolean;
}

function optionsArg(t: Term): Options {
  if (!(t instanceof MapTerm)) return badarg();
  const mode = t.get(at("mode"));
  const padding = t.get(at("padding"));
  if (mode !== undefined && mode !== at("standard") && mode !== at("urlsafe")) badarg();
  if (padding !== undefined && padding !== A.true && padding !== A.false) badarg();
  return { urlsafe: mode === at("urlsafe"), padding: padding !== A.false };
}

/** Input bytes: a binary or a list of bytes (as OTP accepts). */
function inputBytes(t: Term): Uint8Array {
  if (t instanceof BitString) {
    if (!t.isBinary) badarg();
    return t.bytes();
  }
  if (!(t instanceof Cons) && t !== NIL) return fclause();
  const b = ioToBitString(t, false);
  return b === null ? badarg() : b.bytes();
}

export function encodeBytes(b: Uint8Array, o: Options): Uint8Array {
  const alpha = o.urlsafe ? URL : STD;
  const out: number[] = [];
  let i = 0;
  for (; i + 3 <= b.length; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    out.push(
      alpha.charCodeAt(n >> 18),
      alpha.charCodeAt((n >> 12) & 63),
      alpha.charCodeAt((n >> 6) & 63),
      alpha.charCodeAt(n & 63),
    );
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = b[i]! << 16;
    out.push(alpha.charCodeAt(n >> 18), alpha.charCodeAt((n >> 12) & 63));
    if (o.padding) out.push(61, 61);
  } else if (rest === 2) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8);
    out.push(
      alpha.charCodeAt(n >> 18),
      alpha.charCodeAt((n >> 12) & 63),
      alpha.charCodeAt((n >> 6) & 63),
    );
    if (o.padding) out.push(61);
  }
  return Uint8Array.from(out);
}

function sextet(c: number, urlsafe: boolean): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === (urlsafe ? 45 : 43)) return 62;
  if (c === (urlsafe ? 95 : 47)) return 63;
  return -1;
}

const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Decodes base64. `mime` skips any character outside the alphabet (and stops
 * at the first padding), plain decoding skips only whitespace.
 */
export function decodeBytes(src: Uint8Array, o: Options, mime: boolean): Uint8Array {
  const vals: number[] = [];
  let pad = 0;
  for (const c of src) {
    if (c === 61) {
      pad++;
      if (mime) break;
      continue;
    }
    const v = sextet(c, o.urlsafe);
    if (v < 0) {
      if (mime || isWs(c)) continue;
      return badarg();
    }
    if (pad > 0) return badarg();
    vals.push(v);
  }
  const rem = vals.length % 4;
  if (rem === 1) return fclause();
  if (!mime) {
    if (pad > 2) fclause();
    if (pad > 0 && (vals.length + pad) % 4 !== 0) fclause();
    if (pad === 0 && rem !== 0 && o.padding) fclause();
  }
  const out: number[] = [];
  let i = 0;
  for (; i + 4 <= vals.length; i += 4) {
    const n = (vals[i]! << 18) | (vals[i + 1]! << 12) | (vals[i + 2]! << 6) | vals[i + 3]!;
    out.push(n >> 16, (n >> 8) & 255, n & 255);
  }
  if (rem === 2) out.push(((vals[i]! << 18) | (vals[i + 1]! << 12)) >> 16);
  else if (rem === 3) {
    const n = (vals[i]! << 18) | (vals[i + 1]! << 12) | (vals[i + 2]! << 6);
    out.push(n >> 16, (n >> 8) & 255);
  }
  return Uint8Array.from(out);
}

const DEFAULT: Options = { urlsafe: false, padding: true };

export const base64Natives: NativeModule = defineNatives("base64", {
  "encode/1": (_p, d) => binaryFromBytes(encodeBytes(inputBytes(d), DEFAULT)),
  "encode/2": (_p, d, o) => binaryFromBytes(encodeBytes(inputBytes(d), optionsArg(o))),
  "encode_to_string/1": (_p, d) => bytesToList(encodeBytes(inputBytes(d), DEFAULT)),
  "encode_to_string/2": (_p, d, o) => bytesToList(encodeBytes(inputBytes(d), optionsArg(o))),
  "decode/1": (_p, d) => binaryFromBytes(decodeBytes(inputBytes(d), DEFAULT, false)),
  "decode/2": (_p, d, o) => binaryFromBytes(decodeBytes(inputBytes(d), optionsArg(o), false)),
  "decode_to_string/1": (_p, d) => bytesToList(decodeBytes(inputBytes(d), DEFAULT, false)),
  "decode_to_string/2": (_p, d, o) => bytesToList(decodeBytes(inputBytes(d), optionsArg(o), false)),
  "mime_decode/1": (_p, d) => binaryFromBytes(decodeBytes(inputBytes(d), DEFAULT, true)),
  "mime_decode/2": (_p, d, o) => binaryFromBytes(decodeBytes(inputBytes(d), optionsArg(o), true)),
  "mime_decode_to_string/1": (_p, d) => bytesToList(decodeBytes(inputBytes(d), DEFAULT, true)),
  "mime_decode_to_string/2": (_p, d, o) =>
    bytesToList(decodeBytes(inputBytes(d), optionsArg(o), true)),
});
