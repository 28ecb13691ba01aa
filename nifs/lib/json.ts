/**
 * The OTP 27 `json` module's natives: `decode/1`, `encode/1`, and the
 * scalar encoders gleam_json calls (`encode_binary/1`, `encode_integer/1`,
 * `encode_float/1`). Encoders return one binary (valid iodata; OTP returns
 * nested iodata that flattens to the same bytes). Callback-taking functions
 * (`encode/2`, `encode_value/2`, `decode/3`...) are Erlang code in
 * nifs/stdlib/json.erl, which uses `'$aion_parse'/1` for the syntax.
 */

import { A, Atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { formatFloatShort } from "../../terms/float.ts";
import { MapTerm } from "../../terms/map.ts";
import { mapIterationOrder } from "../../terms/map-order.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { nodeToTerm, nodeToTree, parseValue, utf8Len } from "./json-decode.ts";
import { at, badarg, fclause, raise } from "./util.ts";

const HEX = "0123456789ABCDEF";

/** Appends the JSON string literal of UTF-8 `b`, validating the UTF-8. */
function escapeBinary(b: Uint8Array, out: number[], asciiOnly: boolean): void {
  out.push(34);
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 34 || c === 92) out.push(92, c);
      else if (c >= 32) out.push(c);
      else {
        const short: Record<number, number> = { 8: 98, 9: 116, 10: 110, 12: 102, 13: 114 };
        if (short[c] !== undefined) out.push(92, short[c]!);
        else out.push(92, 117, 48, 48, HEX.charCodeAt(c >> 4), HEX.charCodeAt(c & 15));
      }
      i++;
      continue;
    }
    const n = utf8Len(b, i);
    if (!asciiOnly) for (let k = 0; k < n; k++) out.push(b[i + k]!);
    else escapeCodePoint(decodeAt(b, i, n), out);
    i += n;
  }
  out.push(34);
}

function decodeAt(b: Uint8Array, i: number, n: number): number {
  let cp = b[i]! & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let k = 1; k < n; k++) cp = (cp << 6) | (b[i + k]! & 0x3f);
  return cp;
}

function escapeCodePoint(cp: number, out: number[]): void {
  const unit = (u: number) => {
    out.push(92, 117);
    for (const sh of [12, 8, 4, 0]) out.push(HEX.charCodeAt((u >> sh) & 15));
  };
  if (cp < 0x10000) unit(cp);
  else {
    const v = cp - 0x10000;
    unit(0xd800 | (v >> 10));
    unit(0xdc00 | (v & 0x3ff));
  }
}

const ascii = (s: string, out: number[]) => {
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
};

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Encodes a term with the default encoder (`json:encode/1`). */
function encodeValue(t: Term, out: number[]): void {
  if (t instanceof Atom) {
    if (t === A.null || t === A.true || t === A.false) ascii(t.name, out);
    else escapeBinary(utf8(t.name), out, false);
  } else if (t instanceof BitString) {
    if (!t.isBinary) raise([at("unsupported_type"), t]);
    escapeBinary(t.bytes(), out, false);
  } else if (typeof t === "number" || typeof t === "bigint") ascii(String(t), out);
  else if (t instanceof Float) ascii(formatFloatShort(t.value), out);
  else if (t === NIL) ascii("[]", out);
  else if (t instanceof Cons) {
    out.push(91);
    let l: Term = t;
    let first = true;
    while (l instanceof Cons) {
      if (!first) out.push(44);
      encodeValue(l.head, out);
      first = false;
      l = l.tail;
    }
    if (l !== NIL) fclause();
    out.push(93);
  } else if (t instanceof MapTerm) {
    if (t.size === 0) {
      ascii("{}", out);
      return;
    }
    out.push(123);
    const order = mapIterationOrder(t);
    for (let n = 0; n < order.length; n++) {
      if (n > 0) out.push(44);
      encodeKey(t.keys[order[n]!]!, out);
      out.push(58);
      encodeValue(t.values[order[n]!]!, out);
    }
    out.push(125);
  } else raise([at("unsupported_type"), t]);
}

function encodeKey(k: Term, out: number[]): void {
  if (k instanceof BitString && k.isBinary) escapeBinary(k.bytes(), out, false);
  else if (k instanceof Atom) escapeBinary(utf8(k.name), out, false);
  else if (typeof k === "number" || typeof k === "bigint") ascii(`"${k}"`, out);
  else if (k instanceof Float) ascii(`"${formatFloatShort(k.value)}"`, out);
  else fclause();
}

const bin = (out: number[]) => binaryFromBytes(Uint8Array.from(out));

function decode(t: Term): Term {
  if (!(t instanceof BitString) || !t.isBinary) return fclause();
  const bytes = t.bytes();
  const { node, rest } = parseValue(bytes);
  if (rest < bytes.length) raise([at("invalid_byte"), bytes[rest]!]);
  return nodeToTerm(node);
}

export const jsonNatives: NativeModule = defineNatives("json", {
  "decode/1": (_p, b) => decode(b),
  "encode/1": (_p, t) => {
    const out: number[] = [];
    encodeValue(t, out);
    return bin(out);
  },
  "encode_binary/1": (_p, b) => {
    if (!(b instanceof BitString) || !b.isBinary) return fclause();
    const out: number[] = [];
    escapeBinary(b.bytes(), out, false);
    return bin(out);
  },
  "encode_binary_escape_all/1": (_p, b) => {
    if (!(b instanceof BitString) || !b.isBinary) return fclause();
    const out: number[] = [];
    escapeBinary(b.bytes(), out, true);
    return bin(out);
  },
  "encode_integer/1": (_p, i) => {
    if (typeof i !== "number" && typeof i !== "bigint") return badarg();
    return binaryFromBytes(utf8(String(i)));
  },
  "encode_float/1": (_p, f) => {
    if (!(f instanceof Float)) return badarg();
    return binaryFromBytes(utf8(formatFloatShort(f.value)));
  },
  "$aion_parse/1": (_p, b) => {
    if (!(b instanceof BitString) || !b.isBinary) return fclause();
    const bytes = b.bytes();
    const { node, rest } = parseValue(bytes);
    return [nodeToTree(node), b.slice(rest * 8, (bytes.length - rest) * 8)];
  },
});
