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

/** Writes a term that is not a non-empty list or map; false (nothing written) for those. */
function encodeScalar(t: Term, out: number[]): boolean {
  if (t instanceof Atom) {
    if (t === A.null || t === A.true || t === A.false) ascii(t.name, out);
    else escapeBinary(utf8(t.name), out, false);
  } else if (t instanceof BitString) {
    if (!t.isBinary) raise([at("unsupported_type"), t]);
    escapeBinary(t.bytes(), out, false);
  } else if (typeof t === "number" || typeof t === "bigint") ascii(String(t), out);
  else if (t instanceof Float) ascii(formatFloatShort(t.value), out);
  else if (t === NIL) ascii("[]", out);
  else if (t instanceof MapTerm) {
    if (t.size > 0) return false;
    ascii("{}", out);
  } else if (t instanceof Cons) return false;
  else raise([at("unsupported_type"), t]);
  return true;
}

/** Where the encoder resumes a list: the cells after those already written. */
class ListRest {
  constructor(public rest: Term) {}
}
/** Where the encoder resumes a map: the pair at `n` of its iteration order. */
class MapRest {
  constructor(
    readonly m: MapTerm,
    readonly order: ArrayLike<number>,
    public n: number,
  ) {}
}

/**
 * Encodes a term with the default encoder (`json:encode/1`). The walk keeps an
 * explicit stack of where to resume each open array or object, so nesting
 * depth costs heap, not JS stack; values and errors come in output order.
 */
function encodeValue(root: Term, out: number[]): void {
  const stack: (ListRest | MapRest)[] = [];
  let t: Term = root;
  for (;;) {
    if (!encodeScalar(t, out)) {
      if (t instanceof Cons) {
        out.push(91);
        stack.push(new ListRest(t.tail));
        t = t.head;
      } else {
        const m = t as MapTerm;
        const order = mapIterationOrder(m);
        out.push(123);
        encodeKey(m.keys[order[0]!]!, out);
        out.push(58);
        stack.push(new MapRest(m, order, 1));
        t = m.values[order[0]!]!;
      }
      continue;
    }
    // The value is written: find the next one, closing finished containers.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return;
      if (top instanceof ListRest) {
        const l = top.rest;
        if (l instanceof Cons) {
          out.push(44);
          top.rest = l.tail;
          t = l.head;
          break;
        }
        if (l !== NIL) fclause();
        out.push(93);
      } else {
        const { m, order, n } = top;
        if (n < order.length) {
          out.push(44);
          encodeKey(m.keys[order[n]!]!, out);
          out.push(58);
          top.n = n + 1;
          t = m.values[order[n]!]!;
          break;
        }
        out.push(125);
      }
      stack.pop();
    }
  }
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
