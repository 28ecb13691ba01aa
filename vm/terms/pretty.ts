/**
 * `~p` / `~tp`: OTP 25's io_lib_pretty layout, for `io_lib:format`'s
 * defaults (no depth or character limit, no record definitions).
 *
 * Two passes, as in io_lib_pretty: build a size-annotated tree of the term
 * (leaves already rendered), then lay it out. A term that fits in the
 * remaining line width is written on one line; otherwise lists and tuples
 * fill lines with their atomic elements and break before anything compound,
 * tagged tuples (`{atom, ...}`) indent the rest past the tag, and maps
 * break `Key =>` / value onto two lines when a pair does not fit. The
 * comparisons (`<` vs `=<`, the off-by-ones, which width counter is used)
 * are kept exactly, because they decide every line break.
 */
import { Atom } from "./atom.ts";
import { BitString, readBitsSmall } from "./binary.ts";
import { formatAtomic } from "./format.ts";
import { MapTerm } from "./map.ts";
import { mapIteratorOrder } from "./map-order.ts";
import { Cons, NIL, type Term } from "./term.ts";
import { CharMode, isPrintableLatin1, quoteCodePoints } from "./text.ts";

/** Options for {@link formatP}. */
export interface PrettyOptions {
  /** `~tp`: atoms keep non-latin1 characters, UTF-8 binaries print as `<<"..."/utf8>>`. */
  unicode?: boolean;
  /** Line length (`~Np` field width); default 80; 0 writes everything on one line. */
  lineLength?: number;
  /** Characters already on the line before the term (io_lib_format's indentation). */
  indent?: number;
}

enum K {
  Leaf,
  Bin,
  List,
  Tuple,
  Tagged,
  Map,
  Pair,
}

/** io_lib_pretty's intermediate format: a rendered leaf or a container with its length. */
interface Node {
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
function build(t: Term, unicode: boolean): Node {
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

const isLeaf = (n: Node): boolean => n.k === K.Leaf;
const isLeafPair = (p: Node): boolean => isLeaf(p.items[0]!) && isLeaf(p.items[1]!);

/** One-line text of a node. */
function write(n: Node): string {
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
interface Ctx {
  ll: number;
  m: number;
  tind: number;
}

const spaces = (n: number): string => (n > 0 ? " ".repeat(n) : "");

/**
 * The `LD` passed on for an element: 0 unless no proper element follows it
 * (an improper tail does not count), so the closing brackets fit after it.
 */
const lastDepth = (hasMore: boolean, ld: number): number => (hasMore ? 0 : ld + 1);

function fits(n: Node, c: Ctx, col: number, ld: number, w: number): boolean {
  return n.len < c.ll - col - ld && n.len + w + ld <= c.m;
}

/** Whether the next element can follow on the current line. */
function fitsInline(elen: number, c: Ctx, col: number, ld1: number, w: number): boolean {
  return ld1 === 0
    ? elen + 1 < c.ll - col && w + elen + 1 <= c.m
    : elen < c.ll - col - ld1 && w + elen + ld1 <= c.m;
}

function pp(n: Node, c: Ctx, col: number, ind: string, ld: number, w: number): string {
  if (fits(n, c, col, ld, w)) return write(n);
  switch (n.k) {
    case K.List:
      return `[${ppList(n.items, n.tail, c, col + 1, ` ${ind}`, ld, "|", w + 1)}]`;
    case K.Tagged:
      return `{${ppTagTuple(n.items, c, col, ind, ld, w + 1)}}`;
    case K.Tuple:
      return `{${ppList(n.items, null, c, col + 1, ` ${ind}`, ld, ",", w + 1)}}`;
    case K.Map:
      return `#{${ppMap(n.items, c, col + 2, `  ${ind}`, ld, w + 1)}}`;
    case K.Bin:
      return ppBinary(n, c, col + 2, `  ${ind}`, ld, w);
    default:
      return n.text;
  }
}

function ppTagTuple(
  items: Node[],
  c: Ctx,
  col: number,
  ind: string,
  ld: number,
  w: number,
): string {
  const tag = items[0]!;
  const tagInd = tag.len + 2;
  const tcol = col + tagInd;
  const rest = items.slice(1);
  if (c.tind > 0 && tagInd > c.tind) {
    const indent = spaces(c.tind) + ind;
    return tag.text + ppTail(rest, 0, null, c, col + c.tind, tcol, indent, ld, ",", w + tag.len);
  }
  const indent = spaces(tagInd) + ind;
  return `${tag.text},${ppList(rest, null, c, tcol, indent, ld, ",", w + tag.len + 1)}`;
}

function ppMap(pairs: Node[], c: Ctx, col: number, ind: string, ld: number, w: number): string {
  const [s, pw] = ppPair(pairs[0]!, c, col, ind, lastDepth(pairs.length > 1, ld), w);
  let out = s;
  let cur = col + pw;
  let width = pw;
  for (let i = 1; i < pairs.length; i++) {
    const p = pairs[i]!;
    const ld1 = lastDepth(i + 1 < pairs.length, ld);
    const elen = 1 + p.len;
    if (isLeafPair(p) && fitsInline(elen, c, cur, ld1, width)) {
      out += `,${write(p)}`;
      cur += elen;
      width += elen;
    } else {
      const [ps, pw2] = ppPair(p, c, col, ind, ld1, 0);
      out += `,\n${ind}${ps}`;
      cur = col + pw2;
      width = pw2;
    }
  }
  return out;
}

/** A map pair and the width it leaves on its line (`ll` forces the next pair onto a new line). */
function ppPair(
  p: Node,
  c: Ctx,
  col: number,
  ind: string,
  ld: number,
  w: number,
): [string, number] {
  if (fits(p, c, col, ld, w)) return [write(p), isLeafPair(p) ? p.len : c.ll];
  const i = c.tind > 0 ? c.tind : 4;
  const ind2 = spaces(i) + ind;
  const k = pp(p.items[0]!, c, col, ind, ld, w);
  return [`${k} =>\n${ind2}${pp(p.items[1]!, c, col + i, ind2, ld, 0)}`, c.ll];
}

function ppList(
  items: Node[],
  tail: Node | null,
  c: Ctx,
  col0: number,
  ind: string,
  ld: number,
  sep: string,
  w: number,
): string {
  const [es, we] = ppElement(items[0]!, c, col0, ind, lastDepth(items.length > 1, ld), w);
  return es + ppTail(items, 1, tail, c, col0, col0 + we, ind, ld, sep, w + we);
}

/** Elements `from..` of a list or tuple, each preceded by a comma (and the improper tail by `sep`). */
function ppTail(
  items: Node[],
  from: number,
  tail: Node | null,
  c: Ctx,
  col0: number,
  col: number,
  ind: string,
  ld: number,
  sep: string,
  w: number,
): string {
  let out = "";
  for (let i = from; i < items.length; i++) {
    const e = items[i]!;
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const elen = 1 + e.len;
    if (isLeaf(e) && fitsInline(elen, c, col, ld1, w)) {
      out += `,${write(e)}`;
      col += elen;
      w += elen;
    } else {
      const [es, we] = ppElement(e, c, col0, ind, ld1, 0);
      out += `,\n${ind}${es}`;
      col = col0 + we;
      w = we;
    }
  }
  if (tail !== null) {
    const ld1 = ld + 1;
    if (isLeaf(tail) && tail.len + 1 < c.ll - col - ld1 && tail.len + 1 + w + ld1 <= c.m) {
      out += sep + write(tail);
    } else out += `${sep}\n${ind}${pp(tail, c, col0, ind, ld1, 0)}`;
  }
  return out;
}

function ppElement(
  e: Node,
  c: Ctx,
  col: number,
  ind: string,
  ld: number,
  w: number,
): [string, number] {
  if (isLeaf(e) && fits(e, c, col, ld, w)) return [write(e), e.len];
  return [pp(e, c, col, ind, ld, w), c.ll];
}

/** A binary of bytes wrapped to the space left, continuation lines at `ind`. */
function ppBinary(n: Node, c: Ctx, col: number, ind: string, ld: number, w: number): string {
  const width = Math.max(8, Math.min(c.ll - col, c.m - 4 - w) - ld);
  const bytes = n.bytes!;
  let left = width;
  let out = "";
  const lastByte = n.trail ? bytes.length : bytes.length - 1;
  for (let i = 0; i < lastByte; i++) {
    const bs = bytes[i]!;
    const len = bs.length + 1;
    if (left - len < 0) {
      out += `\n${ind}${bs},`;
      left = width - len;
    } else {
      out += `${bs},`;
      left -= len;
    }
  }
  let last: string;
  if (n.trail) {
    last = `${n.trail[0]}:${n.trail[1]}`;
    if (n.trail[0].length + n.trail[1].length + 1 > left) last = `\n${ind}${last}`;
  } else {
    last = bytes[bytes.length - 1]!;
    if (last.length > left) last = `\n${ind}${last}`;
  }
  return `<<${out}${last}>>`;
}

class NoGood {}
const NO_GOOD = new NoGood();

/** Checks whether the layout with tagged-tuple indent `ind` stays within bounds (`cind`). */
function cind(n: Node, c: Ctx, col: number, ld: number, w: number): void {
  if (fits(n, c, col, ld, w)) return;
  switch (n.k) {
    case K.List:
      cindList(n.items, 0, n.tail, c, col + 1, ld, w + 1);
      return;
    case K.Tagged:
      cindTagTuple(n.items, c, col, ld, w + 1);
      return;
    case K.Tuple:
      cindList(n.items, 0, null, c, col + 1, ld, w + 1);
      return;
    case K.Map:
      cindMap(n.items, c, col + 2, ld, w + 2);
      return;
  }
}

function cindTagTuple(items: Node[], c: Ctx, col: number, ld: number, w: number): void {
  const tlen = items[0]!.len;
  const tagInd = tlen + 2;
  const tcol = col + tagInd;
  const half = Math.floor(c.ll / 2);
  if (c.tind > 0 && tagInd > c.tind) {
    const col1 = col + c.tind;
    if (!(c.m + col1 <= c.ll || col1 <= half)) throw NO_GOOD;
    cindTail(items, 1, null, c, col1, tcol, ld, w + tlen);
  } else if (c.m + tcol < c.ll || tcol < half) {
    cindList(items, 1, null, c, tcol, ld, w + tlen + 1);
  } else throw NO_GOOD;
}

function cindMap(pairs: Node[], c: Ctx, col: number, ld: number, w: number): void {
  const pw = cindPair(pairs[0]!, c, col, lastDepth(pairs.length > 1, ld), w);
  let cur = col + pw;
  let width = w + pw;
  for (let i = 1; i < pairs.length; i++) {
    const p = pairs[i]!;
    const ld1 = lastDepth(i + 1 < pairs.length, ld);
    const elen = 1 + p.len;
    if (isLeafPair(p) && fitsInline(elen, c, cur, ld1, width)) {
      cur += elen;
      width += elen;
    } else {
      const pw2 = cindPair(p, c, col, ld1, 0);
      cur = col + pw2;
      width = pw2;
    }
  }
}

function cindPair(p: Node, c: Ctx, col: number, ld: number, w: number): number {
  if (fits(p, c, col, ld, w)) return isLeafPair(p) ? p.len : c.ll;
  cind(p.items[0]!, c, col, ld, w);
  cind(p.items[1]!, c, col + (c.tind > 0 ? c.tind : 4), ld, 0);
  return c.ll;
}

function cindList(
  items: Node[],
  from: number,
  tail: Node | null,
  c: Ctx,
  col0: number,
  ld: number,
  w: number,
): void {
  const we = cindElement(items[from]!, c, col0, lastDepth(from + 1 < items.length, ld), w);
  cindTail(items, from + 1, tail, c, col0, col0 + we, ld, w + we);
}

function cindTail(
  items: Node[],
  from: number,
  tail: Node | null,
  c: Ctx,
  col0: number,
  col: number,
  ld: number,
  w: number,
): void {
  for (let i = from; i < items.length; i++) {
    const e = items[i]!;
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const elen = 1 + e.len;
    if (isLeaf(e) && fitsInline(elen, c, col, ld1, w)) {
      col += elen;
      w += elen;
    } else {
      const we = cindElement(e, c, col0, ld1, 0);
      col = col0 + we;
      w = we;
    }
  }
  if (tail !== null) {
    const ld1 = ld + 1;
    if (!(isLeaf(tail) && tail.len + 1 < c.ll - col - ld1 && tail.len + 1 + w + ld1 <= c.m)) {
      // OTP checks the tail from the running column here, not the list's start column.
      cind(tail, c, col, ld1, 0);
    }
  }
}

function cindElement(e: Node, c: Ctx, col: number, ld: number, w: number): number {
  if (isLeaf(e) && fits(e, c, col, ld, w)) return e.len;
  cind(e, c, col, ld, w);
  return c.ll;
}

/** io_lib_pretty picks tagged-tuple indentation -1 (none) if it fits, else 4, else 1. */
function chooseTupleIndent(root: Node, ll: number, m: number, col: number): number {
  for (const tind of [-1, 4]) {
    try {
      cind(root, { ll, m, tind }, col, 0, 0);
      return tind;
    } catch (e) {
      if (e !== NO_GOOD) throw e;
    }
  }
  return 1;
}

/** `io_lib:format("~p", [T])` (or `~tp` with `unicode`), line breaking included. */
export function formatP(t: Term, opts?: PrettyOptions): string {
  const unicode = opts?.unicode ?? false;
  const ll = opts?.lineLength ?? 80;
  const col = Math.max(1, (opts?.indent ?? 0) + 1);
  const atomic = formatAtomic(t, unicode);
  if (atomic !== null) return atomic;
  const root = build(t, unicode);
  const m = root.len;
  if (ll === 0 || root.len < ll - col) return write(root);
  const tind = chooseTupleIndent(root, ll, m, col);
  return pp(root, { ll, m, tind }, col, spaces(col - 1), 0, 0);
}

/** `~p` forced onto one line (`~0p`-like; what `io_lib:write` plus string detection gives). */
export function formatPSingleLine(t: Term, unicode = false): string {
  return formatP(t, { unicode, lineLength: 0 });
}
