/**
 * `~p` / `~tp` / `~P`: OTP 25's io_lib_pretty layout, as `io_lib:format`
 * and `io_lib:print` use it (no character limit, no record definitions).
 *
 * Two passes, as in io_lib_pretty: build a size-annotated tree of the term
 * (leaves already rendered), then lay it out. A term that fits in the
 * remaining line width is written on one line; otherwise lists and tuples
 * fill lines with their atomic elements and break before anything compound,
 * tagged tuples (`{atom, ...}`) indent the rest past the tag, and maps
 * break `Key =>` / value onto two lines when a pair does not fit. The
 * comparisons (`<` vs `=<`, the off-by-ones, which width counter is used)
 * are kept exactly, because they decide every line break. A print depth
 * cuts the tree as `~P` does (`...`).
 */
import type { Atom } from "./atom.ts";
import { chooseTupleIndent } from "./pretty-indent.ts";
import {
  build,
  type Ctx,
  DOTS,
  fits,
  fitsInline,
  isLeaf,
  isLeafPair,
  K,
  lastDepth,
  type Node,
  spaces,
  tailFits,
  write,
} from "./pretty-tree.ts";
import type { Term } from "./term.ts";

/** Options for {@link formatP}. */
export interface PrettyOptions {
  /** `~tp`: atoms keep non-latin1 characters, UTF-8 binaries print as `<<"..."/utf8>>`. */
  unicode?: boolean;
  /** Line length (`~Np` field width); default 80; 0 writes everything on one line. */
  lineLength?: number;
  /** Characters already on the line before the term (io_lib_format's indentation). */
  indent?: number;
  /** Print depth (`~P`); -1 (default) for unlimited, 0 prints `...`. */
  depth?: number;
  /** Show printable lists and binaries as strings; default true, false for `~lp`. */
  strings?: boolean;
  /** Atom text, when the caller quotes atoms its own way; default as `~w`/`~tw`. */
  atom?: (a: Atom) => string;
}

function pp(n: Node, c: Ctx, col: number, ind: string, ld: number, w: number): string {
  if (fits(n, c, col, ld, w)) return write(n);
  switch (n.k) {
    case K.List:
      return `[${ppList(n.items, n.tail, c, col + 1, ` ${ind}`, ld, "|", w + 1)}]`;
    case K.Tagged:
      return `{${ppTagTuple(n.items, n.tail, c, col, ind, ld, w + 1)}}`;
    case K.Tuple:
      return `{${ppList(n.items, n.tail, c, col + 1, ` ${ind}`, ld, ",", w + 1)}}`;
    case K.Map:
      return `#{${ppMap(n.items, n.tail, c, col + 2, `  ${ind}`, ld, w + 1)}}`;
    case K.Bin:
      return ppBinary(n, c, col + 2, `  ${ind}`, ld, w);
    default:
      return n.text;
  }
}

function ppTagTuple(
  items: Node[],
  tail: Node | null,
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
    return tag.text + ppTail(rest, 0, tail, c, col + c.tind, tcol, indent, ld, ",", w + tag.len);
  }
  const indent = spaces(tagInd) + ind;
  return `${tag.text},${ppList(rest, tail, c, tcol, indent, ld, ",", w + tag.len + 1)}`;
}

function ppMap(
  pairs: Node[],
  tail: Node | null,
  c: Ctx,
  col: number,
  ind: string,
  ld: number,
  w: number,
): string {
  if (pairs.length === 0) return tail === DOTS ? "..." : "";
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
  return tail === DOTS ? `${out},...` : out;
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
  if (items.length === 0) {
    if (tail === null) return "";
    return tail === DOTS ? "..." : pp(tail, c, col0, ind, ld, w);
  }
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
  if (tail === DOTS) out += `${sep}...`;
  else if (tail !== null) {
    if (tailFits(tail, c, col, ld + 1, w)) out += sep + write(tail);
    else out += `${sep}\n${ind}${pp(tail, c, col0, ind, ld + 1, 0)}`;
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
  const pieces = n.bytes!;
  const lastAt = pieces.length - 1;
  let left = width;
  let out = "";
  for (let i = 0; i < lastAt; i++) {
    const bs = pieces[i]!;
    const len = bs.length + 1;
    if (left - len < 0) {
      out += `\n${ind}${bs},`;
      left = width - len;
    } else {
      out += `${bs},`;
      left -= len;
    }
  }
  const last = pieces[lastAt]!;
  return `<<${out}${last.length > left ? `\n${ind}` : ""}${last}>>`;
}

/**
 * `io_lib:format("~p", [T])` (or `~tp` with `unicode`, `~P` with `depth`,
 * `~lp` without `strings`), line breaking included.
 */
export function formatP(t: Term, opts?: PrettyOptions): string {
  const depth = opts?.depth ?? -1;
  if (depth === 0) return "...";
  const unicode = opts?.unicode ?? false;
  const ll = opts?.lineLength ?? 80;
  const col = Math.max(1, (opts?.indent ?? 0) + 1);
  const root = build(t, depth, { unicode, strings: opts?.strings ?? true, atom: opts?.atom });
  if (root.k === K.Leaf) return root.text;
  const m = root.len;
  if (ll === 0 || root.len < ll - col) return write(root);
  const tind = chooseTupleIndent(root, ll, m, col);
  return pp(root, { ll, m, tind }, col, spaces(col - 1), 0, 0);
}

/** `~p` forced onto one line (`~0p`-like; what `io_lib:write` plus string detection gives). */
export function formatPSingleLine(t: Term, unicode = false): string {
  return formatP(t, { unicode, lineLength: 0 });
}
