/**
 * io_lib_pretty's `cind` pass: before laying out, decide how far the rest of
 * a tagged tuple (`{tag, ...}`) is indented. The layout is simulated with
 * "no special indent" and then with 4; a variant that would push text past
 * half the line (unless everything still fits) is rejected.
 */
import {
  type Ctx,
  DOTS,
  fits,
  fitsInline,
  isLeaf,
  isLeafPair,
  K,
  lastDepth,
  type Node,
  tailFits,
} from "./pretty-tree.ts";

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
      cindTagTuple(n.items, n.tail, c, col, ld, w + 1);
      return;
    case K.Tuple:
      cindList(n.items, 0, n.tail, c, col + 1, ld, w + 1);
      return;
    case K.Map:
      cindMap(n.items, c, col + 2, ld, w + 2);
      return;
  }
}

function cindTagTuple(
  items: Node[],
  tail: Node | null,
  c: Ctx,
  col: number,
  ld: number,
  w: number,
): void {
  const tlen = items[0]!.len;
  const tagInd = tlen + 2;
  const tcol = col + tagInd;
  const half = Math.floor(c.ll / 2);
  if (c.tind > 0 && tagInd > c.tind) {
    const col1 = col + c.tind;
    if (!(c.m + col1 <= c.ll || col1 <= half)) throw NO_GOOD;
    cindTail(items, 1, tail, c, col1, tcol, ld, w + tlen);
  } else if (c.m + tcol < c.ll || tcol < half) {
    cindList(items, 1, tail, c, tcol, ld, w + tlen + 1);
  } else throw NO_GOOD;
}

function cindMap(pairs: Node[], c: Ctx, col: number, ld: number, w: number): void {
  if (pairs.length === 0) return;
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
  if (from >= items.length) return;
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
  if (tail !== null && tail !== DOTS && !tailFits(tail, c, col, ld + 1, w)) {
    // OTP checks the tail from the running column here, not the list's start column.
    cind(tail, c, col, ld + 1, 0);
  }
}

function cindElement(e: Node, c: Ctx, col: number, ld: number, w: number): number {
  if (isLeaf(e) && fits(e, c, col, ld, w)) return e.len;
  cind(e, c, col, ld, w);
  return c.ll;
}

/** io_lib_pretty picks tagged-tuple indentation -1 (none) if it fits, else 4, else 1. */
export function chooseTupleIndent(root: Node, ll: number, m: number, col: number): number {
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
