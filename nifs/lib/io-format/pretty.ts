/**
 * `~p` / `~P`: terms laid out the way io_lib_pretty does it. The term is
 * first measured into a tree of nodes with their one-line lengths (cut at
 * the print depth); a term that fits on the rest of the line is written on
 * one line, otherwise containers break after elements with the same rules as
 * OTP: elements that are plain text are packed onto a line while they fit,
 * containers go on lines of their own, tagged tuples (`{atom, ...}`) indent
 * their elements after the tag (or by 4 when the tag is long), map values
 * that do not fit go under their key indented by 4.
 *
 * Not supported (not reachable from io_lib:format): record printing and the
 * `chars_limit` option.
 */
import { Atom } from "../../../vm/terms/atom.ts";
import { BitString } from "../../../vm/terms/binary.ts";
import { MapTerm } from "../../../vm/terms/map.ts";
import { mapIterationOrder } from "../../../vm/terms/map-order.ts";
import { Cons, ExportFun, Fun, NIL, type Term } from "../../../vm/terms/term.ts";
import { type Enc, writeAtom, writeBinary, writeString, writeTerm } from "./write.ts";

/** The end of a sequence: proper, cut by depth (`...`), or an improper tail. */
type SeqEnd = null | "dots" | Node;

type Node =
  | { k: "s"; s: string; len: number }
  | { k: "bin"; s: string; items: string[]; len: number }
  | { k: "list"; els: Node[]; end: SeqEnd; len: number }
  | { k: "tuple"; tagged: boolean; els: Node[]; end: SeqEnd; len: number }
  | { k: "map"; els: Node[]; end: SeqEnd; len: number }
  | { k: "pair"; key: Node; val: Node; len: number };

/** Length in code points (what io_lib:chars_length counts). */
export function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

const str = (s: string): Node => ({ k: "s", s, len: cpLength(s) });
const DOTS_LEN = 3;

function seqLength(els: Node[], end: SeqEnd, open: number): number {
  let n = open;
  els.forEach((e, i) => {
    n += (i > 0 ? 1 : 0) + e.len;
  });
  if (end !== null) n += (els.length > 0 ? 1 : 0) + (end === "dots" ? DOTS_LEN : end.len);
  return n;
}

const isLatin1Printable = (c: number) =>
  (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c === 27;

/** The characters of a flat, printable (latin1 range) list, or null. */
function printableList(t: Term): number[] | null {
  const out: number[] = [];
  while (t instanceof Cons) {
    const c = t.head;
    if (typeof c !== "number" || !isLatin1Printable(c)) return null;
    out.push(c);
    t = t.tail;
  }
  return t === NIL ? out : null;
}

interface Opts {
  enc: Enc;
  /** Detect strings (`~p`); false for `~lp`. */
  strings: boolean;
}

/** Measures a term into a node (OTP's print_length), at depth `d` (-1 = all). */
function measure(t: Term, d: number, o: Opts): Node {
  if (t === NIL) return str("[]");
  if (Array.isArray(t) && t.length === 0) return str("{}");
  if (t instanceof MapTerm && t.size === 0) return str("#{}");
  if (t instanceof Atom) return str(writeAtom(t, o.enc));
  if (t instanceof Cons) {
    if (o.strings && d !== 1) {
      const cps = printableList(t);
      if (cps !== null)
        return str(writeString(cps, 34, o.enc === "latin1" ? "latin1" : "unicode_as_unicode"));
    }
    return measureList(t, d, o);
  }
  if (t instanceof Fun || t instanceof ExportFun) return str(writeTerm(t, -1, o.enc));
  if (Array.isArray(t)) {
    if (d === 1) return str("{...}");
    const els: Node[] = [];
    let end: SeqEnd = null;
    let dd = d;
    for (const e of t) {
      if (dd === 1) {
        end = "dots";
        break;
      }
      els.push(measure(e, dd - 1, o));
      dd--;
    }
    const tagged = t[0] instanceof Atom && t.length > 1;
    return { k: "tuple", tagged, els, end, len: seqLength(els, end, 2) };
  }
  if (t instanceof MapTerm) return measureMap(t, d, o);
  if (t instanceof BitString) return measureBinary(t, d, o);
  return str(writeTerm(t, -1, o.enc));
}

function measureList(t: Cons, d: number, o: Opts): Node {
  const els: Node[] = [];
  let end: SeqEnd = null;
  let l: Term = t;
  let dd = d;
  for (;;) {
    if (l === NIL) break;
    if (dd === 1) {
      end = "dots";
      break;
    }
    if (l instanceof Cons) {
      els.push(measure(l.head, dd - 1, o));
      l = l.tail;
      dd--;
    } else {
      end = measure(l, dd - 1, o);
      break;
    }
  }
  return { k: "list", els, end, len: seqLength(els, end, 2) };
}

function measureMap(m: MapTerm, d: number, o: Opts): Node {
  if (d === 1) return str("#{...}");
  const order = mapIterationOrder(m);
  const els: Node[] = [];
  let end: SeqEnd = null;
  let dd = d;
  for (let i = 0; i < order.length; i++) {
    if (dd === 1) {
      end = "dots";
      break;
    }
    const key = measure(m.keys[order[i]!]!, d - 1, o);
    const val = measure(m.values[order[i]!]!, d - 1, o);
    els.push({ k: "pair", key, val, len: key.len + 4 + val.len });
    dd--;
  }
  return { k: "map", els, end, len: seqLength(els, end, 3) };
}

/** Printable binaries print as strings (`<<"abc">>`); others as bytes. */
function measureBinary(b: BitString, d: number, o: Opts): Node {
  if (b.size === 0) return str("<<>>");
  if (d === 1) return str("<<...>>");
  if (o.strings && b.isBinary) {
    const s = printableBinary(b.bytes(), d - 1, o.enc);
    if (s !== null) return str(s);
  }
  const text = writeBinary(b, d);
  return { k: "bin", s: text, items: text.slice(2, -2).split(","), len: cpLength(text) };
}

function latin1Run(bytes: Uint8Array, n: number): number {
  let i = 0;
  while (i < n && isLatin1Printable(bytes[i]!)) i++;
  return i;
}

/** OTP's printable_bin: the text of a printable (prefix of a) binary, or null. */
function printableBinary(bytes: Uint8Array, d: number, enc: Enc): string | null {
  const size = bytes.length;
  const len = d >= 0 ? Math.min(4 * d, size) : size;
  if (len === 0) return null;
  if (enc === "unicode") {
    const u = unicodePrefix(bytes, len);
    if (u !== null) {
      const { cps, used, all } = u;
      const asText = writeString(cps, 34, "unicode_as_unicode");
      const utf8 = used !== cps.length ? "/utf8" : "";
      if (all) return `<<${asText}${utf8}>>`;
      if (d > 0 && cps.length >= d) return `<<${asText}${utf8}...>>`;
      return null;
    }
  }
  const ok = latin1Run(bytes, len);
  const text = (n: number) => writeString(bytes.subarray(0, n), 34, "unicode_as_unicode");
  if (ok === len && len === size) return `<<${text(size)}>>`;
  if (ok === len) return d > 0 && len >= d ? `<<${text(len)}...>>` : null;
  return d > 0 && ok >= d ? `<<${text(ok)}...>>` : null;
}

/** Up to `len` printable characters of valid UTF-8, or null when the UTF-8 is invalid. */
function unicodePrefix(
  bytes: Uint8Array,
  len: number,
): { cps: number[]; used: number; all: boolean } | null {
  const cps: number[] = [];
  let i = 0;
  while (i < bytes.length && cps.length < len) {
    const c = bytes[i]!;
    let cp: number;
    let n: number;
    if (c < 0x80) [cp, n] = [c, 1];
    else if (c >= 0xc2 && c < 0xe0) [cp, n] = [c & 0x1f, 2];
    else if (c >= 0xe0 && c < 0xf0) [cp, n] = [c & 0x0f, 3];
    else if (c >= 0xf0 && c < 0xf5) [cp, n] = [c & 0x07, 4];
    else return null;
    if (i + n > bytes.length) return null;
    for (let k = 1; k < n; k++) {
      const cc = bytes[i + k]!;
      if ((cc & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (!isLatin1Printable(cp)) return { cps, used: i, all: false };
    cps.push(cp);
    i += n;
  }
  return { cps, used: i, all: i === bytes.length };
}

// ---- one-line writing of measured nodes ---------------------------------------

function write(n: Node): string {
  switch (n.k) {
    case "s":
    case "bin":
      return n.s;
    case "pair":
      return `${write(n.key)} => ${write(n.val)}`;
    case "list":
      return `[${writeSeq(n.els, n.end, "|")}]`;
    case "tuple":
      return `{${writeSeq(n.els, n.end, ",")}}`;
    case "map":
      return `#{${writeSeq(n.els, n.end, ",")}}`;
  }
}

function writeSeq(els: Node[], end: SeqEnd, sep: string): string {
  let s = els.map(write).join(",");
  if (end === "dots") s += els.length ? `${sep}...` : "...";
  else if (end !== null) s += `${sep}${write(end)}`;
  return s;
}

/** ATM in OTP: a node whose text is plain characters (no container, no byte list). */
const atm = (n: Node) => n.k === "s";
const atmPair = (n: Node) => n.k === "pair" && atm(n.key) && atm(n.val);

// ---- layout -----------------------------------------------------------------

interface Ctx {
  ll: number;
  m: number;
}

const spaces = (n: number) => (n > 0 ? " ".repeat(n) : "");
const lastDepth = (rest: number, end: SeqEnd, ld: number) =>
  rest > 0 ? 0 : end === null ? ld + 1 : ld + 1;

function fits(n: Node, c: Ctx, col: number, ld: number, w: number): boolean {
  return n.len < c.ll - col - ld && n.len + w + ld <= c.m;
}

function fitsTail(e: Node, c: Ctx, col: number, ld1: number, w: number, ok: boolean): boolean {
  const eLen = 1 + e.len;
  if (!ok) return false;
  if (ld1 === 0) return eLen + 1 < c.ll - col && w + eLen + 1 <= c.m;
  return eLen < c.ll - col - ld1 && w + eLen + ld1 <= c.m;
}

function pp(
  n: Node,
  col: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  w: number,
): string {
  if (fits(n, c, col, ld, w)) return write(n);
  switch (n.k) {
    case "list":
      return `[${ppList(n.els, n.end, col + 1, c, tInd, ` ${ind}`, ld, "|", w + 1)}]`;
    case "tuple":
      if (n.tagged) return `{${ppTagTuple(n, col, c, tInd, ind, ld, w + 1)}}`;
      return `{${ppList(n.els, n.end, col + 1, c, tInd, ` ${ind}`, ld, ",", w + 1)}}`;
    case "map":
      return `#{${ppMap(n.els, n.end, col + 2, c, tInd, `  ${ind}`, ld, w + 1)}}`;
    case "bin":
      return ppBinary(n, col + 2, c, `  ${ind}`, ld, w);
    default:
      return write(n);
  }
}

function ppTagTuple(
  n: Node & { k: "tuple" },
  col: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  w: number,
): string {
  const [tag, ...rest] = n.els;
  const tagInd = tag!.len + 2;
  const tcol = col + tagInd;
  if (tInd > 0 && tagInd > tInd) {
    const indent = spaces(tInd) + ind;
    return (
      write(tag!) + ppTail(rest, n.end, col + tInd, tcol, c, tInd, indent, ld, ",", w + tag!.len)
    );
  }
  const indent = spaces(tagInd) + ind;
  return `${write(tag!)},${ppList(rest, n.end, tcol, c, tInd, indent, ld, ",", w + tag!.len + 1)}`;
}

function ppList(
  els: Node[],
  end: SeqEnd,
  col0: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  sep: string,
  w: number,
): string {
  if (els.length === 0) {
    if (end === "dots") return "...";
    if (end === null) return "";
    return pp(end, col0, c, tInd, ind, ld, w);
  }
  const [first, ...rest] = els;
  const [es, we] = ppElement(first!, col0, c, tInd, ind, lastDepth(rest.length, end, ld), w);
  return es + ppTail(rest, end, col0, col0 + we, c, tInd, ind, ld, sep, w + we);
}

function ppTail(
  els: Node[],
  end: SeqEnd,
  col0: number,
  col: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  sep: string,
  w: number,
): string {
  let out = "";
  for (let i = 0; i < els.length; i++) {
    const e = els[i]!;
    const ld1 = lastDepth(els.length - i - 1, end, ld);
    if (fitsTail(e, c, col, ld1, w, atm(e))) {
      out += `,${write(e)}`;
      col += 1 + e.len;
      w += 1 + e.len;
    } else {
      const [es, we] = ppElement(e, col0, c, tInd, ind, ld1, 0);
      out += `,\n${ind}${es}`;
      col = col0 + we;
      w = we;
    }
  }
  if (end === "dots") return `${out}${sep}...`;
  if (end === null) return out;
  const lenT = end.len + 1;
  if (lenT < c.ll - col - (ld + 1) && lenT + w + (ld + 1) <= c.m && atm(end))
    return `${out}${sep}${write(end)}`;
  return `${out}${sep}\n${ind}${pp(end, col0, c, tInd, ind, ld + 1, 0)}`;
}

function ppElement(
  e: Node,
  col: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  w: number,
): [string, number] {
  if (fits(e, c, col, ld, w) && atm(e)) return [write(e), e.len];
  return [pp(e, col, c, tInd, ind, ld, w), c.ll];
}

function ppMap(
  els: Node[],
  end: SeqEnd,
  col: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  w: number,
): string {
  if (els.length === 0) return end === "dots" ? "..." : "";
  const [first, ...rest] = els;
  const [ps, pw] = ppPair(first!, col, c, tInd, ind, lastDepth(rest.length, end, ld), w);
  let out = ps;
  let cur = col + pw;
  let ww = pw;
  for (let i = 0; i < rest.length; i++) {
    const p = rest[i]!;
    const ld1 = lastDepth(rest.length - i - 1, end, ld);
    if (fitsTail(p, c, cur, ld1, ww, atmPair(p))) {
      out += `,${write(p)}`;
      cur += 1 + p.len;
      ww += 1 + p.len;
    } else {
      const [s, w2] = ppPair(p, col, c, tInd, ind, ld1, 0);
      out += `,\n${ind}${s}`;
      cur = col + w2;
      ww = w2;
    }
  }
  return end === "dots" ? `${out},...` : out;
}

function ppPair(
  p: Node,
  col: number,
  c: Ctx,
  tInd: number,
  ind: string,
  ld: number,
  w: number,
): [string, number] {
  if (fits(p, c, col, ld, w)) return [write(p), atmPair(p) ? p.len : c.ll];
  if (p.k !== "pair") return [write(p), c.ll];
  const i = tInd > 0 ? tInd : 4;
  const ind2 = spaces(i) + ind;
  return [
    `${pp(p.key, col, c, tInd, ind, ld, w)} =>\n${ind2}${pp(p.val, col + i, c, tInd, ind2, ld, 0)}`,
    c.ll,
  ];
}

function ppBinary(
  n: Node & { k: "bin" },
  col: number,
  c: Ctx,
  ind: string,
  ld: number,
  w: number,
): string {
  const n0 = Math.max(8, Math.min(c.ll - col, c.m - 4 - w) - ld);
  let room = n0;
  let out = "";
  const items = n.items;
  for (let i = 0; i < items.length; i++) {
    const bs = items[i]!;
    if (i < items.length - 1) {
      const len = cpLength(bs) + 1;
      if (room - len < 0) {
        out += `\n${ind}${bs},`;
        room = n0 - len;
      } else {
        out += `${bs},`;
        room -= len;
      }
    } else out += cpLength(bs) > room ? `\n${ind}${bs}` : bs;
  }
  return `<<${out}>>`;
}

// ---- indentation for tagged tuples (OTP's cind) -----------------------------

class NoGood extends Error {}

function cind(n: Node, col: number, c: Ctx, ind: number, ld: number, w: number): number {
  if (fits(n, c, col, ld, w)) return ind;
  switch (n.k) {
    case "list":
      return cindList(n.els, n.end, col + 1, c, ind, ld, w + 1);
    case "tuple":
      if (n.tagged) return cindTagTuple(n, col, c, ind, ld, w + 1);
      return cindList(n.els, n.end, col + 1, c, ind, ld, w + 1);
    case "map":
      return cindMap(n.els, n.end, col + 2, c, ind, ld, w + 2);
    default:
      return ind;
  }
}

function cindTagTuple(
  n: Node & { k: "tuple" },
  col: number,
  c: Ctx,
  ind: number,
  ld: number,
  w: number,
): number {
  const [tag, ...rest] = n.els;
  const tagInd = tag!.len + 2;
  const tcol = col + tagInd;
  const half = Math.floor(c.ll / 2);
  if (ind > 0 && tagInd > ind) {
    const col1 = col + ind;
    if (c.m + col1 <= c.ll || col1 <= half)
      return cindTail(rest, n.end, col1, tcol, c, ind, ld, w + tag!.len);
    throw new NoGood();
  }
  if (c.m + tcol < c.ll || tcol < half)
    return cindList(rest, n.end, tcol, c, ind, ld, w + tag!.len + 1);
  throw new NoGood();
}

function cindList(
  els: Node[],
  end: SeqEnd,
  col0: number,
  c: Ctx,
  ind: number,
  ld: number,
  w: number,
): number {
  if (els.length === 0) return ind;
  const [first, ...rest] = els;
  const we = cindElement(first!, col0, c, ind, lastDepth(rest.length, end, ld), w);
  return cindTail(rest, end, col0, col0 + we, c, ind, ld, w + we);
}

function cindTail(
  els: Node[],
  end: SeqEnd,
  col0: number,
  col: number,
  c: Ctx,
  ind: number,
  ld: number,
  w: number,
): number {
  for (let i = 0; i < els.length; i++) {
    const e = els[i]!;
    const ld1 = lastDepth(els.length - i - 1, end, ld);
    if (fitsTail(e, c, col, ld1, w, atm(e))) {
      col += 1 + e.len;
      w += 1 + e.len;
    } else {
      const we = cindElement(e, col0, c, ind, ld1, 0);
      col = col0 + we;
      w = we;
    }
  }
  if (end === null || end === "dots") return ind;
  const lenT = end.len + 1;
  if (lenT < c.ll - col - (ld + 1) && lenT + w + (ld + 1) <= c.m && atm(end)) return ind;
  return cind(end, col, c, ind, ld + 1, 0);
}

function cindElement(e: Node, col: number, c: Ctx, ind: number, ld: number, w: number): number {
  if (fits(e, c, col, ld, w) && atm(e)) return e.len;
  cind(e, col, c, ind, ld, w);
  return c.ll;
}

function cindMap(
  els: Node[],
  end: SeqEnd,
  col: number,
  c: Ctx,
  ind: number,
  ld: number,
  w: number,
): number {
  if (els.length === 0) return ind;
  const [first, ...rest] = els;
  const pw = cindPair(first!, col, c, ind, lastDepth(rest.length, end, ld), w);
  let cur = col + pw;
  let ww = w + pw;
  for (let i = 0; i < rest.length; i++) {
    const p = rest[i]!;
    const ld1 = lastDepth(rest.length - i - 1, end, ld);
    if (fitsTail(p, c, cur, ld1, ww, atmPair(p))) {
      cur += 1 + p.len;
      ww += 1 + p.len;
    } else {
      const w2 = cindPair(p, col, c, ind, ld1, 0);
      cur = col + w2;
      ww = w2;
    }
  }
  return ind;
}

function cindPair(p: Node, col: number, c: Ctx, ind: number, ld: number, w: number): number {
  if (fits(p, c, col, ld, w)) return atmPair(p) ? p.len : c.ll;
  if (p.k !== "pair") return c.ll;
  cind(p.key, col, c, ind, ld, w);
  cind(p.val, col + (ind > 0 ? ind : 4), c, ind, ld, 0);
  return c.ll;
}

/**
 * io_lib_pretty:print/2 for io_lib:format: `col` is the 1-based column where
 * the term starts, `ll` the line length, `depth` -1 for unlimited.
 */
export function prettyPrint(
  t: Term,
  col: number,
  ll: number,
  depth: number,
  enc: Enc,
  strings: boolean,
): string {
  if (depth === 0) return "...";
  if (col <= 0) col = 1;
  if (t instanceof Atom) return writeAtom(t, enc);
  const container =
    Array.isArray(t) ||
    t instanceof Cons ||
    t === NIL ||
    t instanceof MapTerm ||
    t instanceof BitString;
  if (!container) return writeTerm(t, -1, enc);
  const n = measure(t, depth, { enc, strings });
  const c: Ctx = { ll, m: n.len };
  if (ll === 0 || n.len < ll - col) return write(n);
  let tInd = 1;
  for (const tryInd of [-1, 4]) {
    try {
      tInd = cind(n, col, c, tryInd, 0, 0);
      break;
    } catch (e) {
      if (!(e instanceof NoGood)) throw e;
    }
  }
  return pp(n, col, c, tInd, spaces(col - 1), 0, 0);
}
