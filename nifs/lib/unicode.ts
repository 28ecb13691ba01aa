/**
 * `unicode`: conversions between chardata encodings, with OTP's
 * `{error, Converted, Rest}` / `{incomplete, Converted, Rest}` results, and
 * normalisation forms (through JS `String.prototype.normalize`).
 */

import { A, Atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import {
  chardataText,
  cpsToList,
  cpsToUtf8,
  type DecodeStop,
  decodeChardata,
  type InEncoding,
  textToCps,
} from "./chardata.ts";
import { charactersToNonUtf8 } from "./unicode-convert.ts";
import { at, badarg, binArg } from "./util.ts";

/** Parses an encoding argument (`unicode`, `{utf16, little}`...). */
export function encodingArg(t: Term): InEncoding {
  if (t instanceof Atom) {
    switch (t.name) {
      case "latin1":
        return "latin1";
      case "unicode":
      case "utf8":
        return "utf8";
      case "utf16":
        return "utf16be";
      case "utf32":
        return "utf32be";
    }
  } else if (Array.isArray(t) && t.length === 2 && t[1] instanceof Atom) {
    const [kind, endian] = t;
    const little = endian.name === "little";
    if (!little && endian.name !== "big") badarg();
    if (kind === at("utf16")) return little ? "utf16le" : "utf16be";
    if (kind === at("utf32")) return little ? "utf32le" : "utf32be";
    if (kind === at("utf8") || kind === at("unicode")) return "utf8";
  }
  return badarg();
}

/** Encodes code points; returns the bytes and the index of the first unencodable one. */
export function encodeCps(
  cps: readonly number[],
  enc: InEncoding,
): { bytes: Uint8Array; bad: number } {
  if (enc === "utf8") return { bytes: cpsToUtf8(cps), bad: -1 };
  const out: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    switch (enc) {
      case "latin1":
        if (c > 255) return { bytes: Uint8Array.from(out), bad: i };
        out.push(c);
        break;
      case "utf16be":
      case "utf16le": {
        const units =
          c >= 0x10000 ? [0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)] : [c];
        for (const u of units) {
          if (enc === "utf16be") out.push(u >> 8, u & 0xff);
          else out.push(u & 0xff, u >> 8);
        }
        break;
      }
      case "utf32be":
        out.push((c >>> 24) & 0xff, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
        break;
      case "utf32le":
        out.push(c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, (c >>> 24) & 0xff);
        break;
    }
  }
  return { bytes: Uint8Array.from(out), bad: -1 };
}

function stopTuple(stop: DecodeStop, converted: Term): Term {
  return [stop.kind === "error" ? A.error : at("incomplete"), converted, stop.rest];
}

/** `unicode:characters_to_binary/3`. */
export function charactersToBinary(data: Term, inEnc: InEncoding, outEnc: InEncoding): Term {
  // To UTF-8 OTP uses a C BIF; to anything else its Erlang walk, whose rest shapes differ.
  if (outEnc !== "utf8") return charactersToNonUtf8(data, inEnc, outEnc);
  // OTP's BIF reads a UTF-8 `[Bin]` as `Bin`: an error rest is then bare, not `[Rest]`.
  const one = data instanceof Cons && data.tail === NIL && data.head instanceof BitString;
  const d = decodeChardata(one && inEnc === "utf8" ? (data as Cons).head : data, inEnc);
  const { bytes, bad } = encodeCps(d.cps, outEnc);
  if (bad >= 0) {
    // OTP reports the unencodable character wrapped in a list, then the rest.
    const rest = new Cons(new Cons(d.cps[bad]!, NIL), cpsToList(d.cps.slice(bad + 1)));
    return [A.error, binaryFromBytes(bytes), rest];
  }
  const bin = binaryFromBytes(bytes);
  return d.stop === null ? bin : stopTuple(d.stop, bin);
}

/** `unicode:characters_to_list/2`. */
export function charactersToList(data: Term, inEnc: InEncoding): Term {
  const d = decodeChardata(data, inEnc);
  const list = cpsToList(d.cps);
  return d.stop === null ? list : stopTuple(d.stop, list);
}

type Form = "NFC" | "NFD" | "NFKC" | "NFKD";

function normalize(form: Form, asBinary: boolean) {
  return (_p: unknown, data: Term): Term => {
    const d = decodeChardata(data);
    if (d.stop !== null) return [A.error, NIL, d.stop.rest];
    const cps = textToCps(chardataText(data).normalize(form));
    return asBinary ? binaryFromBytes(cpsToUtf8(cps)) : cpsToList(cps);
  };
}

const BOMS: [InEncoding, number[], Term][] = [
  ["utf8", [0xef, 0xbb, 0xbf], at("utf8")],
  ["utf32be", [0, 0, 0xfe, 0xff], [at("utf32"), at("big")]],
  ["utf32le", [0xff, 0xfe, 0, 0], [at("utf32"), at("little")]],
  ["utf16be", [0xfe, 0xff], [at("utf16"), at("big")]],
  ["utf16le", [0xff, 0xfe], [at("utf16"), at("little")]],
];

export const unicodeNatives: NativeModule = defineNatives("unicode", {
  "characters_to_binary/1": (_p, data) => charactersToBinary(data, "utf8", "utf8"),
  "characters_to_binary/2": (_p, data, inE) => charactersToBinary(data, encodingArg(inE), "utf8"),
  "characters_to_binary/3": (_p, data, inE, outE) =>
    charactersToBinary(data, encodingArg(inE), encodingArg(outE)),
  "characters_to_list/1": (_p, data) => charactersToList(data, "utf8"),
  "characters_to_list/2": (_p, data, inE) => charactersToList(data, encodingArg(inE)),
  "characters_to_nfc_binary/1": normalize("NFC", true),
  "characters_to_nfc_list/1": normalize("NFC", false),
  "characters_to_nfd_binary/1": normalize("NFD", true),
  "characters_to_nfd_list/1": normalize("NFD", false),
  "characters_to_nfkc_binary/1": normalize("NFKC", true),
  "characters_to_nfkc_list/1": normalize("NFKC", false),
  "characters_to_nfkd_binary/1": normalize("NFKD", true),
  "characters_to_nfkd_list/1": normalize("NFKD", false),
  "bom_to_encoding/1": (_p, bin) => {
    const b = binArg(bin).bytes();
    for (const [, bom, enc] of BOMS) {
      if (bom.every((x, i) => b[i] === x)) return [enc, bom.length];
    }
    return [at("latin1"), 0];
  },
  "encoding_to_bom/1": (_p, enc) => {
    const e = encodingArg(enc);
    const found = BOMS.find((b) => b[0] === e);
    if (found === undefined) return binaryFromBytes(new Uint8Array(0));
    return binaryFromBytes(Uint8Array.from(found[1]));
  },
});
