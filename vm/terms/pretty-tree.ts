/**
 * First pass of `~p` (io_lib_pretty's `print_length`): the term as a tree of
 * nodes that know their one-line length, with atomic parts, strings and
 * printable binaries already rendered; plus the width tests the layout
 * passes share.
 */
import { Atom } from "./atom.ts";
import { BitString, readBitsSmall } from "./binary.ts";
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
  /** Improper list tail. */
  tail: Node | null;
  /** A binary's byte texts, then "X:N" pieces for trailing bits. */
  bytes: string[] | null;
  trail: [string, string] | null;
}

function leaf(text: string): Node {
  return {
    k: K.Leaf,
    len: charsLength(text),
    text,
    items: [],
    tail: null,
    bytes: null,
    trail: null,
  };
}

function charsLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--; // low surrogate: second half of one character
  }
  return n;
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

const utf8 = new TextDecoder("utf-8", { fatal: true });

function binaryNode(b: BitString, unicode: boolean): Node {
  if (b.size === 0) return leaf("<<>>");
  if ((b.size & 7) === 0) {
    const bytes = b.bytes();
    // undefined: not UTF-8, so the latin1 rules decide; null: print the bytes.
    let text = unicode ? utf8Text(bytes) : undefined;
    if (text === undefined) {
      text = bytes.every(isPrintableLatin1)
        ? `<<${quoteCodePoints(bytes, 34, CharMode.Unicode)}>>`
        : null;
    }
    if (text !== null) return leaf(text);
  }
  const whole = b.size >>> 3;
  const rest = b.size & 7;
  const parts: string[] = [];
  for (let i = 0; i < whole; i++) parts.push(String(b.byteAt(i)));
  const trail: [string, string] | null = rest
    ? [String(readBitsSmall(b.buf, b.offset + whole * 8, rest)), String(rest)]
    : null;
  let text = parts.join(",");
  if (trail) text += `${whole ? "," : ""}${trail[0]}:${trail[1]}`;
  text = `<<${text}>>`;
  return { k: K.Bin, len: text.length, text, items: [], tail: null, bytes: parts, trail };
}

/**
 * `~tp` on a valid UTF-8 binary whose characters are all printable (in the
 * default latin1 printable range): `<<"...">>` if every character is one
 * byte, else `<<"..."/utf8>>`. Null when it must print as bytes; undefined when
 * it is not UTF-8 and the latin1 rules apply instead.
 */
function utf8Text(bytes: Uint8Array): string | null | undefined {
  let s: string;
  try {
    s = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  if (!cps.every(isPrintableLatin1)) return null;
  const q = quoteCodePoints(cps, 34, CharMode.Unicode);
  return cps.length === bytes.length ? `<<${q}>>` : `<<${q}/utf8>>`;
}

/** First pass (`print_length`): the annotated tree of `t`. */
export function build(t: Term, unicode: boolean): Node {
  const atomic = formatAtomic(t, unicode);
  if (atomic !== null) return leaf(atomic);
  if (t === NIL) return leaf("[]");
  if (t instanceof Cons) {
    const cps = printableList(t);
    if (cps !== null) {
      return leaf(quoteCodePoints(cps, 34, unicode ? CharMode.Unicode : CharMode.Latin1));
    }
    const items: Node[] = [];
    let len = 2;
    let l: Term = t;
    while (l instanceof Cons) {
      const n = build(l.head, unicode);
      len += n.len + (items.length ? 1 : 0);
      items.push(n);
      l = l.tail;
    }
    let tail: Node | null = null;
    if (l !== NIL) {
      tail = build(l, unicode);
      len += 1 + tail.len;
    }
    return { k: K.List, len, text: "", items, tail, bytes: null, trail: null };
  }
  if (Array.isArray(t)) {
    if (t.length === 0) return leaf("{}");
    const items = t.map((e) => build(e, unicode));
    let len = 1 + items.length;
    for (const n of items) len += n.len;
    const tagged = t.length > 1 && t[0] instanceof Atom;
    return {
      k: tagged ? K.Tagged : K.Tuple,
      len,
      text: "",
      items,
      tail: null,
      bytes: null,
      trail: null,
    };
  }
  if (t instanceof MapTerm) {
    if (t.size === 0) return leaf("#{}");
    const order = mapIteratorOrder(t);
    const items: Node[] = [];
    let len = 2 + order.length;
    for (let i = 0; i < order.length; i++) {
      const key = build(t.keys[order[i]!]!, unicode);
      const value = build(t.values[order[i]!]!, unicode);
      const pair: Node = {
        k: K.Pair,
        len: key.len + 4 + value.len,
        text: "",
        items: [key, value],
        tail: null,
        bytes: null,
        trail: null,
      };
      len += pair.len;
      items.push(pair);
    }
    return { k: K.Map, len, text: "", items, tail: null, bytes: null, trail: null };
  }
  if (t instanceof BitString) return binaryNode(t, unicode);
  throw new TypeError(`not a term: ${String(t)}`);
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
      return `#{${n.items.map(write).join(",")}}`;
    case K.List: {
      const body = n.items.map(write).join(",");
      return `[${body}${n.tail ? `|${write(n.tail)}` : ""}]`;
    }
    default:
      return `{${n.items.map(write).join(",")}}`;
  }
}

/** Layout parameters fixed for one call: line length and the total length cap. */
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
