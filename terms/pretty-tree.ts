/**
 * First pass of `~p` (io_lib_pretty's `print_length`): the term as a tree of
 * nodes that know their one-line length, with atomic parts, strings and
 * printable binaries already rendered, cut at the print depth (`~P`); plus
 * the width tests the layout passes share.
 */
import { Atom } from "./atom.ts";
import { BitString, readBitsSmall } from "./binary.ts";
import { TermTooDeepError } from "./depth.ts";
import { formatAtomic } from "./format.ts";
import { MapTerm } from "./map.ts";
import { mapIteratorOrder } from "./map-order.ts";
import { Cons, NIL, type Term } from "./term.ts";
import { CharMode, isPrintableLatin1, quoteCodePoints } from "./text.ts";

export enum K {
  Leaf,
  Bin,
  List,
  Tuple,
  Tagged,
  Map,
  Pair,
}

/** io_lib_pretty's intermediate format: a rendered leaf or a container with its length. */
export interface Node {
  k: K;
  /** Printed length in characters of the one-line form. */
  len: number;
  /** Leaf text, or a binary's one-line text. */
  text: string;
  /** Elements (lists, tuples), pairs (maps), or [key, value] (pairs). */
  items: Node[];
  /** What follows the elements: an improper list tail, {@link DOTS} where the depth cut it, or null. */
  tail: Node | null;
  /** A binary's pieces: byte texts, then `X:N` for trailing bits or `...` where the depth cut it. */
  bytes: string[] | null;
}

/** How {@link build} renders: the `~p` variant and the print depth. */
export interface BuildOptions {
  /** `~tp`: atoms keep non-latin1 characters, UTF-8 binaries may print as `<<"..."/utf8>>`. */
  unicode: boolean;
  /** Show printable lists and binaries as strings (false for `~lp`). */
  strings: boolean;
  /** Atom text; defaults to `~w`'s quoting. */
  atom?: ((a: Atom) => string) | undefined;
}

function leaf(text: string): Node {
  return { k: K.Leaf, len: charsLength(text), text, items: [], tail: null, bytes: null };
}

/** The `...` that ends a sequence cut at the print depth. */
export const DOTS: Node = leaf("...");

function charsLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--; // low surrogate: second half of one character
  }
  return n;
}

function seq(k: K, items: Node[], tail: Node | null, open: number): Node {
  let len = open + Math.max(0, items.length - 1);
  for (const n of items) len += n.len;
  if (tail !== null) len += (items.length > 0 ? 1 : 0) + tail.len;
  return { k, len, text: "", items, tail, bytes: null };
}

/** Code points of a printable flat string, or null (`io_lib:printable_latin1_list`). */
function printableList(t: Cons): number[] | null {
  const cps: number[] = [];
  let l: Term = t;
  while (l instanceof Cons) {
    const c = l.head;
    if (typeof c !== "number" || !isPrintableLatin1(c)) return null;
    cps.push(c);
    l = l.tail;
  }
  return l === NIL ? cps : null;
}

/**
 * The deepest nesting `~p` lays out. Its passes (this tree, then indentation
 * and layout) recurse in step with one another, several JS frames per level,
 * so past this the term is refused with {@link TermTooDeepError} (Erlang's
 * `system_limit`) rather than risking a JS stack overflow. `~w` has no limit.
 */
export const PRETTY_MAX_NESTING = 2000;

/**
 * First pass (`print_length`): the annotated tree of `t` at depth `d` (-1:
 * unlimited). `nest` counts the containers around `t`.
 */
export function build(t: Term, d: number, o: BuildOptions, nest = 0): Node {
  if (t instanceof Atom && o.atom) return leaf(o.atom(t));
  const atomic = formatAtomic(t, o.unicode);
  if (atomic !== null) return leaf(atomic);
  if (t === NIL) return leaf("[]");
  if (++nest > PRETTY_MAX_NESTING && d !== 1) throw new TermTooDeepError("~p", PRETTY_MAX_NESTING);
  if (t instanceof Cons) {
    if (o.strings && d !== 1) {
      const cps = printableList(t);
      if (cps !== null) {
        return leaf(quoteCodePoints(cps, 34, o.unicode ? CharMode.Unicode : CharMode.Latin1));
      }
    }
    const items: Node[] = [];
    let tail: Node | null = null;
    let l: Term = t;
    for (let dd = d; l !== NIL; dd--) {
      if (dd === 1) {
        tail = DOTS;
        break;
      }
      if (!(l instanceof Cons)) {
        tail = build(l, dd - 1, o, nest);
        break;
      }
      items.push(build(l.head, dd - 1, o, nest));
      l = l.tail;
    }
    return seq(K.List, items, tail, 2);
  }
  if (Array.isArray(t)) {
    if (t.length === 0) return leaf("{}");
    if (d === 1) return leaf("{...}");
    const items: Node[] = [];
    let tail: Node | null = null;
    for (let i = 0, dd = d; i < t.length; i++, dd--) {
      if (dd === 1) {
        tail = DOTS;
        break;
      }
      items.push(build(t[i]!, dd - 1, o, nest));
    }
    const tagged = t.length > 1 && t[0] instanceof Atom;
    return seq(tagged ? K.Tagged : K.Tuple, items, tail, 2);
  }
  if (t instanceof MapTerm) {
    if (t.size === 0) return leaf("#{}");
    if (d === 1) return leaf("#{...}");
    const order = mapIteratorOrder(t);
    const items: Node[] = [];
    let tail: Node | null = null;
    for (let i = 0, dd = d; i < order.length; i++, dd--) {
      if (dd === 1) {
        tail = DOTS;
        break;
      }
      // Keys and values all get one less than the map's depth, as in OTP.
      const key = build(t.keys[order[i]!]!, d - 1, o, nest);
      const value = build(t.values[order[i]!]!, d - 1, o, nest);
      items.push({
        k: K.Pair,
        len: key.len + 4 + value.len,
        text: "",
        items: [key, value],
        tail: null,
        bytes: null,
      });
    }
    return seq(K.Map, items, tail, 3);
  }
  if (t instanceof BitString) return binaryNode(t, d, o);
  throw new TypeError(`not a term: ${String(t)}`);
}

function binaryNode(b: BitString, d: number, o: BuildOptions): Node {
  if (b.size === 0) return leaf("<<>>");
  if (d === 1) return leaf("<<...>>");
  if (o.strings && (b.size & 7) === 0) {
    const text = printableBinary(b.bytes(), d - 1, o.unicode);
    if (text !== null) return leaf(text);
  }
  const whole = b.size >>> 3;
  const parts: string[] = [];
  let i = 0;
  for (let dd = d; i < whole && dd !== 1; i++, dd--) parts.push(String(b.byteAt(i)));
  const rest = b.size & 7;
  if (i < whole || (rest && d - i === 1)) parts.push("...");
  else if (rest) parts.push(`${readBitsSmall(b.buf, b.offset + whole * 8, rest)}:${rest}`);
  const text = `<<${parts.join(",")}>>`;
  return { k: K.Bin, len: text.length, text, items: [], tail: null, bytes: parts };
}

/**
 * io_lib_pretty's `printable_bin`: a binary (or, under a depth `d` >= 0, a
 * long enough printable prefix of it, ended by `...`) as a string, or null.
 * Only the first `min(4 * d, size)` bytes are looked at. `~tp` takes the
 * bytes as UTF-8 when they are valid UTF-8 that far, else as latin1.
 */
function printableBinary(bytes: Uint8Array, d: number, unicode: boolean): string | null {
  const len = d >= 0 ? Math.min(4 * d, bytes.length) : bytes.length;
  if (len === 0) return null;
  if (unicode) {
    const cps = utf8Prefix(bytes, len);
    if (cps !== null) {
      let used = 0;
      let n = 0;
      while (n < cps.length && isPrintableLatin1(cps[n]!)) used += utf8Size(cps[n++]!);
      const q = quoteCodePoints(cps.slice(0, n), 34, CharMode.Unicode);
      const tag = used === n ? "" : "/utf8";
      if (used === bytes.length) return `<<${q}${tag}>>`;
      return d > 0 && n >= d ? `<<${q}${tag}...>>` : null;
    }
  }
  let ok = 0;
  while (ok < len && isPrintableLatin1(bytes[ok]!)) ok++;
  const q = (n: number) => quoteCodePoints(bytes.subarray(0, n), 34, CharMode.Unicode);
  if (ok === bytes.length) return `<<${q(ok)}>>`;
  return d > 0 && ok >= d ? `<<${q(ok)}...>>` : null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

const utf8Size = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * The first `count` characters of `bytes` (all of them if there are fewer)
 * when those are well-formed UTF-8, else null.
 */
function utf8Prefix(bytes: Uint8Array, count: number): number[] | null {
  const cps: number[] = [];
  let end = 0;
  while (end < bytes.length && cps.length < count) {
    const b = bytes[end]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : 4;
    let s: string;
    try {
      s = utf8.decode(bytes.subarray(end, end + n));
    } catch {
      return null;
    }
    if (s.length === 0) return null;
    cps.push(s.codePointAt(0)!);
    end += n;
  }
  return cps;
}

export const isLeaf = (n: Node): boolean => n.k === K.Leaf;
export const isLeafPair = (p: Node): boolean => isLeaf(p.items[0]!) && isLeaf(p.items[1]!);

/** One-line text of a node. */
export function write(n: Node): string {
  switch (n.k) {
    case K.Leaf:
    case K.Bin:
      return n.text;
    case K.Pair:
      return `${write(n.items[0]!)} => ${write(n.items[1]!)}`;
    case K.Map:
      return `#{${writeSeq(n, ",")}}`;
    case K.List:
      return `[${writeSeq(n, "|")}]`;
    default:
      return `{${writeSeq(n, ",")}}`;
  }
}

function writeSeq(n: Node, sep: string): string {
  const body = n.items.map(write).join(",");
  if (n.tail === null) return body;
  return n.items.length > 0 ? `${body}${sep}${write(n.tail)}` : write(n.tail);
}

/** Layout parameters fixed for one call: line length, the total length cap, the tagged-tuple indent. */
export interface Ctx {
  ll: number;
  m: number;
  tind: number;
}

export const spaces = (n: number): string => (n > 0 ? " ".repeat(n) : "");

/**
 * The `LD` passed on for an element: 0 unless no proper element follows it
 * (an improper tail does not count), so the closing brackets fit after it.
 */
export const lastDepth = (hasMore: boolean, ld: number): number => (hasMore ? 0 : ld + 1);

export function fits(n: Node, c: Ctx, col: number, ld: number, w: number): boolean {
  return n.len < c.ll - col - ld && n.len + w + ld <= c.m;
}

/** Whether the next element can follow on the current line. */
export function fitsInline(elen: number, c: Ctx, col: number, ld1: number, w: number): boolean {
  return ld1 === 0
    ? elen + 1 < c.ll - col && w + elen + 1 <= c.m
    : elen < c.ll - col - ld1 && w + elen + ld1 <= c.m;
}

/** Whether an improper tail `|T` stays on the line after the last element. */
export function tailFits(tail: Node, c: Ctx, col: number, ld1: number, w: number): boolean {
  return isLeaf(tail) && tail.len + 1 < c.ll - col - ld1 && tail.len + 1 + w + ld1 <= c.m;
}
