/**
 * JSON decoding for the OTP 27 `json` module (absent from OTP 25; behaviour
 * taken from the OTP 27 reference documentation and source comments):
 *
 * - objects become maps with binary keys (on duplicate keys the first one
 *   wins, because pairs are accumulated in reverse and fed to
 *   `maps:from_list/1`), arrays lists, strings binaries, `null` the atom
 *   `null`, numbers integers or floats (`1e5` is read as `1.0e5`).
 * - errors are raised with `error/1`: `unexpected_end` when the input stops
 *   inside a value, `{invalid_byte, Byte}` for a byte that cannot start or
 *   continue what is being read (including invalid UTF-8 and control
 *   characters in strings), `{unexpected_sequence, Bin}` for a bad `\u`
 *   escape (lone or mismatched surrogates, non-hex digits) or a float that
 *   does not fit a double.
 * - a keyword or escape that is cut short reports `unexpected_end` only when
 *   the input really ends within the token's expected length, otherwise
 *   the byte just after the token's first character (e.g. `truex` fails on
 *   `r`, as OTP does).
 *
 * {@link parseValue} returns a neutral tree so that `json:decode/3` (Erlang
 * code, nifs/stdlib/json.erl) can apply user callbacks to it.
 */
import { A } from "../../terms/atom.ts";
import { binaryFromBytes } from "../../terms/binary.ts";
import { parseInt36 } from "../../terms/integer.ts";
import { listFromArray } from "../../terms/list.ts";
import { mapFromPairs } from "../../terms/map.ts";
import { Float, NIL, type Term } from "../../terms/term.ts";
import { at, raise } from "./util.ts";

/** Parsed JSON before callbacks: what decode/1 turns into terms directly. */
export type JsonNode =
  | { t: "lit"; v: "true" | "false" | "null" }
  | { t: "int"; text: string }
  | { t: "float"; text: string }
  | { t: "str"; bytes: Uint8Array }
  | { t: "arr"; items: JsonNode[] }
  | { t: "obj"; pairs: [Uint8Array, JsonNode][] };

/** An array or object being parsed: its values so far, and an object's pending key. */
interface OpenContainer {
  readonly arr: JsonNode[] | null;
  readonly pairs: [Uint8Array, JsonNode][] | null;
  key: Uint8Array | null;
}

const isWs = (b: number) => b === 32 || b === 9 || b === 10 || b === 13;
const isDigit = (b: number | undefined) => b !== undefined && b >= 48 && b <= 57;

function invalidByte(b: number): never {
  return raise([at("invalid_byte"), b]);
}
function unexpectedEnd(): never {
  return raise(at("unexpected_end"));
}
function unexpectedSequence(bytes: Uint8Array): never {
  return raise([at("unexpected_sequence"), binaryFromBytes(bytes.slice())]);
}

/**
 * Length of the multi-byte UTF-8 sequence starting at `i`; an invalid byte or
 * a cut sequence raises as OTP's json encoder and decoder do.
 */
export function utf8Len(b: Uint8Array, i: number): number {
  const c = b[i]!;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 2;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 3;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  } else return invalidByte(c);
  for (let k = 1; k <= n; k++) {
    if (i + k >= b.length) unexpectedEnd();
    const cc = b[i + k]!;
    if (cc < (k === 1 ? lo : 0x80) || cc > (k === 1 ? hi : 0xbf)) invalidByte(cc);
  }
  return n + 1;
}

class Parser {
  i = 0;
  constructor(readonly s: Uint8Array) {}

  /** OTP's rule: end of input within `need` bytes after `pos` is `unexpected_end`. */
  fail(pos: number, need = 0): never {
    if (this.s.length <= pos + need) unexpectedEnd();
    return invalidByte(this.s[pos]!);
  }

  ws(): void {
    while (this.i < this.s.length && isWs(this.s[this.i]!)) this.i++;
  }

  /**
   * One value. Open arrays and objects wait on an explicit stack, so nesting
   * depth costs heap, not JS stack; bytes are checked in input order, so
   * errors are those of a recursive descent.
   */
  value(): JsonNode {
    const s = this.s;
    const open: OpenContainer[] = [];
    for (;;) {
      this.ws();
      if (this.i >= s.length) unexpectedEnd();
      const b = s[this.i]!;
      let node: JsonNode;
      if (b === 91 || b === 123) {
        this.i++;
        this.ws();
        if (this.i >= s.length) unexpectedEnd();
        if (s[this.i] === b + 2) {
          // `]` and `}` are two past `[` and `{`.
          this.i++;
          node = b === 91 ? { t: "arr", items: [] } : { t: "obj", pairs: [] };
        } else {
          open.push(
            b === 91
              ? { arr: [], pairs: null, key: null }
              : { arr: null, pairs: [], key: this.key() },
          );
          continue;
        }
      } else node = this.scalar(b);
      // Hand the value to its container; close the containers it completes.
      for (;;) {
        const top = open[open.length - 1];
        if (top === undefined) return node;
        if (top.arr !== null) top.arr.push(node);
        else top.pairs!.push([top.key!, node]);
        this.ws();
        if (this.i >= s.length) unexpectedEnd();
        const c = s[this.i]!;
        this.i++;
        if (c === (top.arr !== null ? 93 : 125)) {
          open.pop();
          node = top.arr !== null ? { t: "arr", items: top.arr } : { t: "obj", pairs: top.pairs! };
          continue;
        }
        if (c !== 44) invalidByte(c);
        if (top.pairs !== null) top.key = this.key();
        break;
      }
    }
  }

  /** A value that is not an array or object, starting with byte `b`. */
  scalar(b: number): JsonNode {
    switch (b) {
      case 34:
        this.i++;
        return { t: "str", bytes: this.string() };
      case 116:
        return this.keyword("true");
      case 102:
        return this.keyword("false");
      case 110:
        return this.keyword("null");
    }
    if (b === 45 || isDigit(b)) return this.number();
    return invalidByte(b);
  }

  /** An object key and its colon. */
  key(): Uint8Array {
    this.ws();
    if (this.i >= this.s.length) unexpectedEnd();
    if (this.s[this.i] !== 34) invalidByte(this.s[this.i]!);
    this.i++;
    const key = this.string();
    this.ws();
    if (this.i >= this.s.length) unexpectedEnd();
    if (this.s[this.i] !== 58) invalidByte(this.s[this.i]!);
    this.i++;
    return key;
  }

  keyword(word: "true" | "false" | "null"): JsonNode {
    const start = this.i;
    for (let k = 1; k < word.length; k++) {
      if (this.s[start + k] !== word.charCodeAt(k)) this.fail(start + 1, word.length - 1);
    }
    this.i = start + word.length;
    return { t: "lit", v: word };
  }

  number(): JsonNode {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s[i] === 45) {
      i++;
      if (!isDigit(s[i])) this.fail(start + 1);
    }
    if (s[i] === 48) i++;
    else while (isDigit(s[i])) i++;
    let isFloat = false;
    let text: string;
    if (s[i] === 46) {
      isFloat = true;
      i++;
      if (!isDigit(s[i])) this.fail(i);
      while (isDigit(s[i])) i++;
    }
    const mantEnd = i;
    if (s[i] === 101 || s[i] === 69) {
      i++;
      if (s[i] === 43 || s[i] === 45) i++;
      if (!isDigit(s[i])) this.fail(i);
      while (isDigit(s[i])) i++;
      const mant = latin1(s, start, mantEnd);
      // An exponent without a fraction is read as "M.0eE", as OTP does.
      text = isFloat ? latin1(s, start, i) : `${mant}.0e${latin1(s, mantEnd + 1, i)}`;
      isFloat = true;
    } else text = latin1(s, start, i);
    this.i = i;
    if (isFloat) {
      const v = Number(text.replace(/E/, "e"));
      if (!Number.isFinite(v)) unexpectedSequence(new TextEncoder().encode(text));
    }
    return isFloat ? { t: "float", text } : { t: "int", text };
  }

  /** A string body after the opening quote; returns its UTF-8 bytes. */
  string(): Uint8Array {
    const s = this.s;
    const out: number[] = [];
    const start = this.i - 1;
    for (;;) {
      if (this.i >= s.length) return this.fail(start, s.length);
      const b = s[this.i]!;
      if (b === 34) {
        this.i++;
        return Uint8Array.from(out);
      }
      if (b === 92) {
        this.escape(out);
        continue;
      }
      if (b < 32) invalidByte(b);
      if (b < 128) {
        out.push(b);
        this.i++;
        continue;
      }
      this.utf8Char(out);
    }
  }

  utf8Char(out: number[]): void {
    const s = this.s;
    const i = this.i;
    const n = utf8Len(s, i);
    for (let k = 0; k < n; k++) out.push(s[i + k]!);
    this.i = i + n;
  }

  escape(out: number[]): void {
    const s = this.s;
    const i = this.i;
    if (i + 1 >= s.length) unexpectedEnd();
    const e = s[i + 1]!;
    const simple: Record<number, number> = {
      98: 8,
      102: 12,
      110: 10,
      114: 13,
      116: 9,
      34: 34,
      92: 92,
      47: 47,
    };
    if (simple[e] !== undefined) {
      out.push(simple[e]!);
      this.i = i + 2;
      return;
    }
    if (e !== 117) invalidByte(e);
    if (i + 6 > s.length) unexpectedEnd();
    const cp = hex4(s, i + 2);
    if (cp === null) unexpectedSequence(s.subarray(i, i + 6));
    if (cp >= 0xd800 && cp <= 0xdbff) {
      // A high surrogate must be followed by \u and a low surrogate.
      if (s[i + 6] !== 92 || s[i + 7] !== 117) this.fail(i + 6, 5);
      if (i + 12 > s.length) unexpectedEnd();
      const low = hex4(s, i + 8);
      if (low === null || low < 0xdc00 || low > 0xdfff) unexpectedSequence(s.subarray(i, i + 12));
      pushUtf8(out, 0x10000 + ((cp & 0x3ff) << 10) + (low & 0x3ff));
      this.i = i + 12;
      return;
    }
    if (cp >= 0xdc00 && cp <= 0xdfff) unexpectedSequence(s.subarray(i, i + 6));
    pushUtf8(out, cp);
    this.i = i + 6;
  }
}

function latin1(s: Uint8Array, a: number, b: number): string {
  return String.fromCharCode(...s.subarray(a, b));
}

function hex4(s: Uint8Array, i: number): number | null {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = s[i + k]!;
    const d =
      c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return null;
    v = v * 16 + d;
  }
  return v;
}

function pushUtf8(out: number[], c: number): void {
  if (c < 0x80) out.push(c);
  else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
  else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  else
    out.push(
      0xf0 | (c >> 18),
      0x80 | ((c >> 12) & 0x3f),
      0x80 | ((c >> 6) & 0x3f),
      0x80 | (c & 0x3f),
    );
}

/** Parses one value; returns it and the offset after trailing whitespace. */
export function parseValue(bytes: Uint8Array): { node: JsonNode; rest: number } {
  const p = new Parser(bytes);
  const node = p.value();
  p.ws();
  return { node, rest: p.i };
}

/** A node's children, for the post-order walk of {@link foldNode}. */
function childCount(n: JsonNode): number {
  return n.t === "arr" ? n.items.length : n.t === "obj" ? n.pairs.length : 0;
}
function child(n: JsonNode, i: number): JsonNode {
  return n.t === "arr" ? n.items[i]! : (n as { pairs: [Uint8Array, JsonNode][] }).pairs[i]![1];
}

/**
 * Builds a term from a node bottom-up with an explicit stack (deep JSON must
 * not overflow the JS stack): `leaf` makes scalars and empty containers,
 * `container` makes a non-empty array or object from its children's terms.
 */
function foldNode(
  root: JsonNode,
  leaf: (n: JsonNode) => Term,
  container: (n: JsonNode, children: Term[]) => Term,
): Term {
  const frames: { n: JsonNode; done: Term[] }[] = [];
  let cur = root;
  for (;;) {
    if (childCount(cur) > 0) {
      frames.push({ n: cur, done: [] });
      cur = child(cur, 0);
      continue;
    }
    let v = leaf(cur);
    for (;;) {
      const f = frames[frames.length - 1];
      if (f === undefined) return v;
      f.done.push(v);
      if (f.done.length < childCount(f.n)) {
        cur = child(f.n, f.done.length);
        break;
      }
      frames.pop();
      v = container(f.n, f.done);
    }
  }
}

/** The default Erlang term of a node (what `json:decode/1` returns). */
export function nodeToTerm(n: JsonNode): Term {
  return foldNode(n, scalarTerm, (c, vs) => {
    if (c.t === "arr") return listFromArray(vs);
    // The first of duplicate keys wins (mapFromPairs keeps the last).
    const pairs = (c as { pairs: [Uint8Array, JsonNode][] }).pairs;
    return mapFromPairs(
      pairs.map(([k], i): [Term, Term] => [binaryFromBytes(k), vs[i]!]).reverse(),
    );
  });
}

function scalarTerm(n: JsonNode): Term {
  switch (n.t) {
    case "lit":
      return n.v === "null" ? A.null : n.v === "true" ? A.true : A.false;
    case "int":
      return parseInt36(n.text, 10)!;
    case "float":
      return new Float(Number(n.text));
    case "str":
      return binaryFromBytes(n.bytes);
    case "arr":
      return NIL;
    case "obj":
      return mapFromPairs([]);
  }
}

/** The neutral tree as a term, for json:decode/3 in Erlang. */
export function nodeToTree(n: JsonNode): Term {
  return foldNode(n, scalarTree, (c, vs) => {
    if (c.t === "arr") return [at("array"), listFromArray(vs)];
    const pairs = (c as { pairs: [Uint8Array, JsonNode][] }).pairs;
    return [at("object"), listFromArray(pairs.map(([k], i) => [binaryFromBytes(k), vs[i]!]))];
  });
}

function scalarTree(n: JsonNode): Term {
  switch (n.t) {
    case "lit":
      return [at("lit"), at(n.v)];
    case "int":
      return [at("integer"), binaryFromBytes(new TextEncoder().encode(n.text))];
    case "float":
      return [at("float"), binaryFromBytes(new TextEncoder().encode(n.text))];
    case "str":
      return [at("string"), binaryFromBytes(n.bytes)];
    case "arr":
      return [at("array"), NIL];
    case "obj":
      return [at("object"), NIL];
  }
}
