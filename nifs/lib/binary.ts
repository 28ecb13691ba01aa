/**
 * The `binary` module: searching, splitting and slicing byte strings.
 * All natives (OTP implements them as BIFs too); bad arguments are `badarg`.
 */

import { type BitString, binaryFromBytes } from "../../terms/binary.ts";
import { bytesToList } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, reserveHeap } from "../../vm/index.ts";
import { ioToBitString } from "../erlang/iolist.ts";
import { at, badarg, binArg, listArg } from "./util.ts";

const bin = (b: Uint8Array): BitString => binaryFromBytes(b);

/** The patterns of a `binary:match/split/replace` call (one binary or a list). */
function patterns(t: Term): Uint8Array[] {
  // A compiled pattern from compile_pattern/1 is `{bm, Pattern}`.
  if (Array.isArray(t) && t.length === 2 && t[0] === at("bm")) t = t[1]!;
  const ps = t instanceof Cons ? listArg(t) : [t];
  if (ps.length === 0) badarg();
  return ps.map((p) => {
    const b = binArg(p).bytes();
    if (b.length === 0) badarg();
    return b;
  });
}

interface Scope {
  start: number;
  end: number;
}

function scopeOf(h: Term, size: number): Scope {
  if (!Array.isArray(h) || h.length !== 2) return badarg();
  const [s, l] = h;
  if (typeof s !== "number" || typeof l !== "number") return badarg();
  const a = l >= 0 ? s : s + l;
  const b = l >= 0 ? s + l : s;
  if (a < 0 || b > size) return badarg();
  return { start: a, end: b };
}

/**
 * Leftmost-longest match at or after `from`: at the first position where any
 * pattern matches, the longest matching pattern wins (OTP's rule).
 */
function findAt(
  hay: Uint8Array,
  pats: Uint8Array[],
  from: number,
  end: number,
): [number, number] | null {
  for (let i = from; i < end; i++) {
    let best = -1;
    for (const p of pats) {
      if (p.length > best && i + p.length <= end && matches(hay, p, i)) best = p.length;
    }
    if (best > 0) return [i, best];
  }
  return null;
}

function matches(hay: Uint8Array, p: Uint8Array, i: number): boolean {
  for (let k = 0; k < p.length; k++) if (hay[i + k] !== p[k]) return false;
  return true;
}

interface Opts {
  global: boolean;
  trim: boolean;
  trimAll: boolean;
  scope: Scope;
  insert: number[];
}

/** `kind` says which options the function takes (OTP's BIFs reject the others). */
function parseOpts(t: Term, size: number, kind: "split" | "match" | "replace" = "split"): Opts {
  const o: Opts = {
    global: false,
    trim: false,
    trimAll: false,
    scope: { start: 0, end: size },
    insert: [],
  };
  for (const x of optionItems(t, kind)) {
    if (x === at("global") && kind !== "match") o.global = true;
    else if (x === at("trim") && kind === "split") o.trim = true;
    else if (x === at("trim_all") && kind === "split") o.trimAll = true;
    else if (Array.isArray(x) && x.length === 2 && x[0] === at("scope"))
      o.scope = scopeOf(x[1]!, size);
    else if (
      Array.isArray(x) &&
      x.length === 2 &&
      x[0] === at("insert_replaced") &&
      kind === "replace"
    ) {
      const v = x[1]!;
      const ns = typeof v === "number" ? [v] : listArg(v);
      o.insert = ns.map((n) => (typeof n === "number" && n >= 0 ? n : badarg()));
    } else badarg();
  }
  return o;
}

/**
 * The elements of an options list. split/3 is a C BIF in OTP 25 that walks
 * the list's cells and ignores an improper tail; the others need a proper list.
 */
function optionItems(t: Term, kind: "split" | "match" | "replace"): Term[] {
  if (kind !== "split") return listArg(t);
  const out: Term[] = [];
  let x = t;
  while (x instanceof Cons) {
    out.push(x.head);
    x = x.tail;
  }
  return x === NIL || out.length > 0 ? out : badarg();
}

function allMatches(
  hay: Uint8Array,
  pats: Uint8Array[],
  sc: Scope,
  global: boolean,
): [number, number][] {
  const out: [number, number][] = [];
  let i = sc.start;
  for (;;) {
    const m = findAt(hay, pats, i, sc.end);
    if (m === null) break;
    out.push(m);
    i = m[0] + m[1];
    if (!global) break;
  }
  return out;
}

function split(subject: Term, pat: Term, optsT: Term): Term {
  const b = binArg(subject);
  const hay = b.bytes();
  const o = parseOpts(optsT, hay.length);
  const ms = allMatches(hay, patterns(pat), o.scope, o.global);
  let parts: Uint8Array[] = [];
  let from = 0;
  for (const [s, l] of ms) {
    parts.push(hay.subarray(from, s));
    from = s + l;
  }
  parts.push(hay.subarray(from));
  if (o.trimAll) parts = parts.filter((p) => p.length > 0);
  else if (o.trim) while (parts.length > 0 && parts[parts.length - 1]!.length === 0) parts.pop();
  return toList(parts.map((p) => bin(p)));
}

function replace(subject: Term, pat: Term, repT: Term, optsT: Term): Term {
  const hay = binArg(subject).bytes();
  const rep = binArg(repT).bytes();
  const o = parseOpts(optsT, hay.length, "replace");
  // Insert positions are checked against the replacement even when nothing matches.
  if (o.insert.some((pos) => pos > rep.length)) badarg();
  const ms = allMatches(hay, patterns(pat), o.scope, o.global);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const [s, l] of ms) {
    chunks.push(hay.subarray(from, s));
    if (o.insert.length === 0) chunks.push(rep);
    else {
      // Insert the matched part at each given position of the replacement.
      const matched = hay.subarray(s, s + l);
      let last = 0;
      for (const pos of [...o.insert].sort((x, y) => x - y)) {
        if (pos > rep.length) badarg();
        chunks.push(rep.subarray(last, pos), matched);
        last = pos;
      }
      chunks.push(rep.subarray(last));
    }
    from = s + l;
  }
  chunks.push(hay.subarray(from));
  return bin(concatAll(chunks));
}

function concatAll(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function toList(items: Term[]): Term {
  let l: Term = NIL;
  for (let i = items.length - 1; i >= 0; i--) l = new Cons(items[i]!, l);
  return l;
}

function part(subject: Term, pos: Term, len: Term): Term {
  const b = binArg(subject);
  if (typeof pos !== "number" || typeof len !== "number") return badarg();
  const a = len >= 0 ? pos : pos + len;
  const e = len >= 0 ? pos + len : pos;
  if (a < 0 || e > b.size >>> 3) return badarg();
  return b.slice(a * 8, (e - a) * 8);
}

const HEX = "0123456789ABCDEF";
const hex = "0123456789abcdef";

function encodeHex(t: Term, lower: boolean): Term {
  const b = binArg(t).bytes();
  const digits = lower ? hex : HEX;
  const out = new Uint8Array(b.length * 2);
  for (let i = 0; i < b.length; i++) {
    out[2 * i] = digits.charCodeAt(b[i]! >> 4);
    out[2 * i + 1] = digits.charCodeAt(b[i]! & 15);
  }
  return bin(out);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return badarg();
}

function decodeHex(t: Term): Term {
  const b = binArg(t).bytes();
  if (b.length % 2 !== 0) return badarg();
  const out = new Uint8Array(b.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (hexVal(b[2 * i]!) << 4) | hexVal(b[2 * i + 1]!);
  return bin(out);
}

function commonLen(bins: Uint8Array[], fromEnd: boolean): number {
  if (bins.length === 0) return badarg();
  let n = Math.min(...bins.map((b) => b.length));
  const first = bins[0]!;
  for (let k = 0; k < n; k++) {
    const at1 = (b: Uint8Array) => (fromEnd ? b[b.length - 1 - k]! : b[k]!);
    const c = at1(first);
    if (!bins.every((b) => at1(b) === c)) {
      n = k;
      break;
    }
  }
  return n;
}

function binToList(t: Term, pos: number, len: number): Term {
  const b = binArg(t).bytes();
  const a = len >= 0 ? pos : pos + len;
  const e = len >= 0 ? pos + len : pos;
  if (a < 0 || e > b.length) return badarg();
  return bytesToList(b.subarray(a, e));
}

function matchResult(m: [number, number] | null): Term {
  return m === null ? at("nomatch") : [m[0], m[1]];
}

export const binaryModuleNatives: NativeModule = defineNatives("binary", {
  "split/2": (_p, s, pat) => split(s, pat, NIL),
  "split/3": (_p, s, pat, o) => split(s, pat, o),
  "replace/3": (_p, s, pat, r) => replace(s, pat, r, NIL),
  "replace/4": (_p, s, pat, r, o) => replace(s, pat, r, o),
  "match/2": (_p, s, pat) => {
    const h = binArg(s).bytes();
    return matchResult(findAt(h, patterns(pat), 0, h.length));
  },
  "match/3": (_p, s, pat, o) => {
    const h = binArg(s).bytes();
    const sc = parseOpts(o, h.length, "match").scope;
    return matchResult(findAt(h, patterns(pat), sc.start, sc.end));
  },
  "matches/2": (_p, s, pat) => {
    const h = binArg(s).bytes();
    return toList(allMatches(h, patterns(pat), { start: 0, end: h.length }, true));
  },
  "matches/3": (_p, s, pat, o) => {
    const h = binArg(s).bytes();
    return toList(allMatches(h, patterns(pat), parseOpts(o, h.length, "match").scope, true));
  },
  "part/2": (_p, s, pl) =>
    Array.isArray(pl) && pl.length === 2 ? part(s, pl[0]!, pl[1]!) : badarg(),
  "part/3": (_p, s, pos, len) => part(s, pos, len),
  "copy/1": (_p, s) => bin(binArg(s).bytes().slice()),
  "copy/2": (p, s, n) => {
    const b = binArg(s).bytes();
    if (typeof n !== "number" || n < 0) return badarg();
    reserveHeap(p, 2 + Math.ceil((b.length * n) / 8));
    const out = new Uint8Array(b.length * n);
    for (let i = 0; i < n; i++) out.set(b, i * b.length);
    return bin(out);
  },
  "encode_hex/1": (_p, s) => encodeHex(s, false),
  "encode_hex/2": (_p, s, c) => {
    if (c !== at("uppercase") && c !== at("lowercase")) return badarg();
    return encodeHex(s, c === at("lowercase"));
  },
  "decode_hex/1": (_p, s) => decodeHex(s),
  "bin_to_list/1": (_p, s) => bytesToList(binArg(s).bytes()),
  "bin_to_list/2": (_p, s, pl) =>
    Array.isArray(pl) && pl.length === 2 && typeof pl[0] === "number" && typeof pl[1] === "number"
      ? binToList(s, pl[0], pl[1])
      : badarg(),
  "bin_to_list/3": (_p, s, pos, len) =>
    typeof pos === "number" && typeof len === "number" ? binToList(s, pos, len) : badarg(),
  "list_to_bin/1": (_p, l) => {
    return ioToBitString(l!, false) ?? badarg();
  },
  "first/1": (_p, s) => {
    const b = binArg(s).bytes();
    return b.length ? b[0]! : badarg();
  },
  "last/1": (_p, s) => {
    const b = binArg(s).bytes();
    return b.length ? b[b.length - 1]! : badarg();
  },
  "at/2": (_p, s, i) => {
    const b = binArg(s).bytes();
    return typeof i === "number" && i >= 0 && i < b.length ? b[i]! : badarg();
  },
  "longest_common_prefix/1": (_p, l) =>
    commonLen(
      listArg(l).map((x) => binArg(x).bytes()),
      false,
    ),
  "longest_common_suffix/1": (_p, l) =>
    commonLen(
      listArg(l).map((x) => binArg(x).bytes()),
      true,
    ),
  "referenced_byte_size/1": (_p, s) => binArg(s).buf.length,
  "compile_pattern/1": (_p, pat) => {
    patterns(pat);
    return [at("bm"), pat];
  },
  "decode_unsigned/1": (_p, s) => decodeUnsigned(binArg(s).bytes(), false),
  "decode_unsigned/2": (_p, s, e) => decodeUnsigned(binArg(s).bytes(), endianArg(e)),
  "encode_unsigned/1": (_p, n) => encodeUnsigned(n, false),
  "encode_unsigned/2": (_p, n, e) => encodeUnsigned(n, endianArg(e)),
});

function endianArg(e: Term): boolean {
  if (e === at("little")) return true;
  if (e === at("big")) return false;
  return badarg();
}

function decodeUnsigned(b: Uint8Array, little: boolean): Term {
  let v = 0n;
  const n = b.length;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[little ? n - 1 - i : i]!);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function encodeUnsigned(n: Term, little: boolean): Term {
  if ((typeof n !== "number" && typeof n !== "bigint") || n < 0) return badarg();
  let v = BigInt(n);
  const out: number[] = [];
  do {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (!little) out.reverse();
  return bin(Uint8Array.from(out));
}
