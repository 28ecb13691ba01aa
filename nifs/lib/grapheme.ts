/**
 * Extended grapheme clusters (Unicode UAX #29), as `string` counts and walks
 * text. Our own implementation: the Grapheme_Cluster_Break property is derived
 * from the Unicode properties JS regular expressions know (Grapheme_Extend,
 * Extended_Pictographic, Regional_Indicator, general categories) plus small
 * explicit lists (Prepend, SpacingMark exceptions) and Hangul arithmetic.
 *
 * Covered: CR LF, controls, combining marks (Extend), ZWJ emoji sequences
 * (GB11), emoji modifiers, regional-indicator pairs (GB12/13), SpacingMark,
 * Prepend, Hangul syllables (GB6-8). Not covered: the Unicode 15.1 Indic
 * conjunct rule (GB9c), which OTP 25 (Unicode 14) does not have either.
 * The regex tables follow the JS engine's Unicode version, so code points
 * assigned after Unicode 14 may classify differently from OTP 25.
 */

export enum Gcb {
  Other = 0,
  CR = 1,
  LF = 2,
  Control = 3,
  Extend = 4,
  ZWJ = 5,
  RI = 6,
  Prepend = 7,
  SpacingMark = 8,
  L = 9,
  V = 10,
  T = 11,
  LV = 12,
  LVT = 13,
}

const RE_EXTEND = /^[\p{Grapheme_Extend}\p{Emoji_Modifier}]$/u;
const RE_CONTROL = /^[\p{Cc}\p{Zl}\p{Zp}\p{Cf}\p{Cs}]$/u;
const RE_MC = /^\p{Mc}$/u;
const RE_PICT = /^\p{Extended_Pictographic}$/u;

/** Prepend = Prepended_Concatenation_Mark plus the Indic prefixed consonants. */
const PREPEND: readonly (readonly [number, number])[] = [
  [0x0600, 0x0605],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x0d4e, 0x0d4e],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x111c2, 0x111c3],
  [0x1193f, 0x1193f],
  [0x11941, 0x11941],
  [0x11a3a, 0x11a3a],
  [0x11a84, 0x11a89],
  [0x11d46, 0x11d46],
];

/** Spacing combining marks (Mc) that UAX #29 does not treat as SpacingMark. */
const NOT_SPACING: readonly (readonly [number, number])[] = [
  [0x102b, 0x102c],
  [0x1038, 0x1038],
  [0x1062, 0x1064],
  [0x1067, 0x106d],
  [0x1083, 0x1083],
  [0x1087, 0x108c],
  [0x108f, 0x108f],
  [0x109a, 0x109c],
  [0x1a61, 0x1a61],
  [0x1a63, 0x1a64],
  [0xaa7b, 0xaa7b],
  [0xaa7d, 0xaa7d],
  [0x11720, 0x11721],
];

const inRanges = (c: number, rs: readonly (readonly [number, number])[]): boolean =>
  rs.some(([lo, hi]) => c >= lo && c <= hi);

function classify(c: number): Gcb {
  if (c === 0x0d) return Gcb.CR;
  if (c === 0x0a) return Gcb.LF;
  if (c === 0x200d) return Gcb.ZWJ;
  if (c >= 0x1f1e6 && c <= 0x1f1ff) return Gcb.RI;
  // Hangul jamo and syllables.
  if ((c >= 0x1100 && c <= 0x115f) || (c >= 0xa960 && c <= 0xa97c)) return Gcb.L;
  if ((c >= 0x1160 && c <= 0x11a7) || (c >= 0xd7b0 && c <= 0xd7c6)) return Gcb.V;
  if ((c >= 0x11a8 && c <= 0x11ff) || (c >= 0xd7cb && c <= 0xd7fb)) return Gcb.T;
  if (c >= 0xac00 && c <= 0xd7a3) return (c - 0xac00) % 28 === 0 ? Gcb.LV : Gcb.LVT;
  if (inRanges(c, PREPEND)) return Gcb.Prepend;
  const ch = String.fromCodePoint(c);
  if (RE_EXTEND.test(ch) || c === 0x200c) return Gcb.Extend;
  if (RE_CONTROL.test(ch)) return Gcb.Control;
  if (c === 0x0e33 || c === 0x0eb3) return Gcb.SpacingMark;
  if (RE_MC.test(ch) && !inRanges(c, NOT_SPACING)) return Gcb.SpacingMark;
  return Gcb.Other;
}

// Lazily filled cache: 0xff = not computed yet. One byte per code point.
const cache = new Uint8Array(0x110000).fill(0xff);
const pictCache = new Uint8Array(0x110000).fill(0xff);

/** The Grapheme_Cluster_Break class of a code point. */
export function gcb(c: number): Gcb {
  if (c < 0x7f && c >= 0x20) return Gcb.Other;
  if (c < 0 || c > 0x10ffff) return Gcb.Other;
  let v = cache[c]!;
  if (v === 0xff) cache[c] = v = classify(c);
  return v as Gcb;
}

/** Extended_Pictographic. */
export function isPictographic(c: number): boolean {
  if (c < 0xa9 || c > 0x10ffff) return false;
  let v = pictCache[c]!;
  if (v === 0xff) pictCache[c] = v = RE_PICT.test(String.fromCodePoint(c)) ? 1 : 0;
  return v === 1;
}

/**
 * End index (exclusive) of the grapheme cluster that starts at `start`
 * in `cps`. `cps.length` must be greater than `start`.
 */
export function graphemeEnd(cps: ArrayLike<number>, start: number): number {
  const n = cps.length;
  let prev = cps[start]!;
  let i = start + 1;
  // Fast path: two printable ASCII characters always break.
  if (i < n && prev < 0x7f && prev >= 0x20 && cps[i]! < 0x7f) return i;
  let pc = gcb(prev);
  if (pc === Gcb.Control || pc === Gcb.LF) return i;
  // GB11 state: inside ExtPict Extend* (ZWJ)?
  let pict = isPictographic(prev);
  let riCount = pc === Gcb.RI ? 1 : 0;
  for (; i < n; i++) {
    const c = cps[i]!;
    const cc = gcb(c);
    if (!joins(pc, cc, pict, riCount, c)) break;
    // Track GB11: ExtPict Extend* ZWJ.
    if (isPictographic(c)) pict = true;
    else if (cc !== Gcb.Extend && cc !== Gcb.ZWJ) pict = false;
    riCount = cc === Gcb.RI ? riCount + 1 : 0;
    pc = cc;
    prev = c;
  }
  return i;
}

/** Whether there is no boundary between a character of class `a` and one of class `b`. */
function joins(a: Gcb, b: Gcb, pict: boolean, riCount: number, c: number): boolean {
  if (a === Gcb.CR) return b === Gcb.LF; // GB3, GB4
  if (a === Gcb.Control || a === Gcb.LF) return false; // GB4
  if (b === Gcb.Control || b === Gcb.CR || b === Gcb.LF) return false; // GB5
  if (a === Gcb.L) {
    if (b === Gcb.L || b === Gcb.V || b === Gcb.LV || b === Gcb.LVT) return true; // GB6
  }
  if ((a === Gcb.LV || a === Gcb.V) && (b === Gcb.V || b === Gcb.T)) return true; // GB7
  if ((a === Gcb.LVT || a === Gcb.T) && b === Gcb.T) return true; // GB8
  if (b === Gcb.Extend || b === Gcb.ZWJ) return true; // GB9
  if (b === Gcb.SpacingMark) return true; // GB9a
  if (a === Gcb.Prepend) return true; // GB9b
  if (a === Gcb.ZWJ && pict && isPictographic(c)) return true; // GB11
  if (a === Gcb.RI && b === Gcb.RI) return riCount % 2 === 1; // GB12, GB13
  return false; // GB999
}

/** Splits code points into grapheme clusters (arrays of code points). */
export function graphemes(cps: readonly number[]): number[][] {
  const out: number[][] = [];
  let i = 0;
  while (i < cps.length) {
    const e = graphemeEnd(cps, i);
    out.push(cps.slice(i, e));
    i = e;
  }
  return out;
}

/** Number of grapheme clusters. */
export function graphemeCount(cps: ArrayLike<number>): number {
  let n = 0;
  let i = 0;
  while (i < cps.length) {
    i = graphemeEnd(cps, i);
    n++;
  }
  return n;
}
