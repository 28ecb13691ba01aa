/**
 * `string` case mapping, comparison and number parsing. Case mapping is per
 * code point through JS's full (special-casing aware) Unicode mappings, which
 * is what OTP does: `uppercase("ß")` is `"SS"`, and no context rules (a
 * capital sigma always lowers to `σ`, never to final `ς`).
 */

import { A, Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { parseInt36 } from "../../terms/integer.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import type { NativeFn } from "../../vm/index.ts";
import { cpsToList, cpsToText, textToCps } from "./chardata.ts";
import { mk, type Text, textArg } from "./string-text.ts";
import { equal as walkEqual, titlecase as walkTitlecase } from "./string-walk.ts";
import { at, err, fclause } from "./util.ts";

const mapCache = new Map<number, number[]>();

function mapCp(c: number, kind: "u" | "l" | "f"): number[] {
  const key = c * 4 + (kind === "u" ? 0 : kind === "l" ? 1 : 2);
  let r = mapCache.get(key);
  if (r === undefined) {
    const ch = String.fromCodePoint(c);
    const s = kind === "u" ? ch.toUpperCase() : kind === "l" ? ch.toLowerCase() : fold(ch);
    r = textToCps(s);
    mapCache.set(key, r);
  }
  return r;
}

/** Simple case folding approximated as lower(upper(c)) (`ß` and `ẞ` give `ss`). */
function fold(ch: string): string {
  return ch.toUpperCase().toLowerCase();
}

/** Maps every code point with `kind`. */
export function mapCase(cps: readonly number[], kind: "u" | "l" | "f"): number[] {
  const out: number[] = [];
  for (const c of cps) {
    if (c < 0x80) {
      if (kind === "u") out.push(c >= 97 && c <= 122 ? c - 32 : c);
      else out.push(c >= 65 && c <= 90 ? c + 32 : c);
    } else for (const m of mapCp(c, kind)) out.push(m);
  }
  return out;
}

/** Title case of one code point: the digraphs have their own title forms. */
const TITLE: Record<number, number> = {
  452: 0x1c5,
  453: 0x1c5,
  454: 0x1c5,
  455: 0x1c8,
  456: 0x1c8,
  457: 0x1c8,
  458: 0x1cb,
  459: 0x1cb,
  460: 0x1cb,
  497: 0x1f2,
  498: 0x1f2,
  499: 0x1f2,
};

function titleCp(c: number): number[] {
  const t = TITLE[c];
  if (t !== undefined) return [t];
  const up = mapCase([c], "u");
  // Multi-letter expansions (ß -> SS) are title-cased as "Ss".
  return up.length > 1 ? [up[0]!, ...mapCase(up.slice(1), "l")] : up;
}

function normalizeForm(t: Term): "NFC" | "NFD" | "NFKC" | "NFKD" | null {
  if (!(t instanceof Atom)) return fclause();
  switch (t.name) {
    case "none":
      return null;
    case "nfc":
      return "NFC";
    case "nfd":
      return "NFD";
    case "nfkc":
      return "NFKC";
    case "nfkd":
      return "NFKD";
  }
  return fclause();
}

function equal(a: Term, b: Term, ignoreCase: Term, norm: Term): Term {
  // OTP compares two binaries byte for byte (no decoding, so invalid UTF-8 is fine).
  if (
    a instanceof BitString &&
    b instanceof BitString &&
    a.isBinary &&
    b.isBinary &&
    ignoreCase === A.false &&
    norm === at("none")
  ) {
    const x = a.bytes();
    const y = b.bytes();
    return x.length === y.length && x.every((v, i) => v === y[i]) ? A.true : A.false;
  }
  let x = textArg(a).cps;
  let y = textArg(b).cps;
  const form = normalizeForm(norm);
  if (form !== null) {
    x = textToCps(cpsToText(x).normalize(form));
    y = textToCps(cpsToText(y).normalize(form));
  }
  if (ignoreCase === A.true) {
    x = mapCase(x, "f");
    y = mapCase(y, "f");
  } else if (ignoreCase !== A.false) fclause();
  if (x.length !== y.length) return A.false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return A.false;
  return A.true;
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;

/** How far a number's text goes: `end` chars form it (0: none), `seen` chars were looked at. */
interface NumberScan {
  end: number;
  seen: number;
}

/** `[+-]digits`, or with `float` `[+-]digits.digits([eE][+-]digits)?`. */
function scanNumber(c: readonly number[], float: boolean): NumberScan {
  let i = c[0] === 43 || c[0] === 45 ? 1 : 0;
  const digits = () => {
    const from = i;
    while (isDigit(c[i])) i++;
    return i > from;
  };
  // The char that ended the scan was looked at too (it may be past the end).
  const seen = () => i + 1;
  if (!digits()) return { end: 0, seen: seen() };
  if (!float) return { end: i, seen: seen() };
  if (c[i] !== 46) return { end: 0, seen: seen() };
  i++;
  if (!digits()) return { end: 0, seen: seen() };
  const end = i;
  if (c[i] === 101 || c[i] === 69) {
    i++;
    if (c[i] === 43 || c[i] === 45) i++;
    if (digits()) return { end: i, seen: seen() };
  }
  return { end, seen: seen() };
}

/**
 * OTP reads a string grapheme by grapheme, and telling where a grapheme ends
 * means looking at the code point after it, except after controls (other
 * than CR): `to_integer([$1|x])` is badarg but `to_integer([1|x])` is
 * `no_integer`.
 */
const needsLookahead = (c: number) => !((c >= 0 && c < 32 && c !== 13) || (c >= 127 && c < 160));

/**
 * Scans a list lazily, as OTP does: only the code points looked at must be
 * valid, and the rest is returned untouched (`"1.5"++x` gives `{1, ".5"++x}`).
 * Undefined when the text reaches into nested chardata (then the whole
 * argument is decoded).
 */
function scanList(
  l: Term,
  float: boolean,
): { scan: NumberScan; rest: (i: number) => Term } | "badarg" | undefined {
  const cells: Cons[] = [];
  const cps: number[] = [];
  let t = l;
  while (t instanceof Cons && typeof t.head === "number") {
    cells.push(t);
    cps.push(t.head);
    t = t.tail;
  }
  const scan = scanNumber(cps, float);
  if (t !== NIL) {
    const nested = t instanceof Cons || t instanceof BitString;
    if (scan.seen > cps.length) return nested ? undefined : "badarg";
    const last = scan.seen - 1;
    if (last === cps.length - 1 && needsLookahead(cps[last]!)) return nested ? undefined : "badarg";
  }
  return { scan, rest: (i) => (i < cells.length ? cells[i]! : t) };
}

function parseNumber(s: Term, float: boolean): Term {
  const fail = err(at(float ? "no_float" : "no_integer"));
  if (s instanceof Cons) {
    const r = scanList(s, float);
    if (r === "badarg") return err(A.badarg);
    if (r !== undefined) {
      if (r.scan.end === 0) return fail;
      const v = numberValue(s, r.scan.end, float);
      return v === null ? fail : [v, r.rest(r.scan.end)];
    }
  }
  let t: Text;
  try {
    t = textArg(s);
  } catch {
    return err(A.badarg);
  }
  const { end } = scanNumber(t.cps, float);
  if (end === 0) return fail;
  const v = numberValue(cpsToList(t.cps), end, float);
  return v === null ? fail : [v, mk(t, t.cps.slice(end))];
}

/** The number in the first `n` code points of the flat list `l`. */
function numberValue(l: Term, n: number, float: boolean): Term | null {
  let text = "";
  for (let t = l, i = 0; i < n && t instanceof Cons; i++, t = t.tail)
    text += String.fromCharCode(t.head as number);
  if (!float) return parseInt36(text, 10)!;
  const v = Number(text);
  return Number.isFinite(v) ? new Float(v) : null;
}

/** The case/compare/number natives, merged into the `string` module. */
export const stringCaseFns: Record<string, NativeFn> = {
  "uppercase/1": (_p, s) => {
    const t = textArg(s);
    return mk(t, mapCase(t.cps, "u"));
  },
  "lowercase/1": (_p, s) => {
    const t = textArg(s);
    return mk(t, mapCase(t.cps, "l"));
  },
  "casefold/1": (_p, s) => {
    const t = textArg(s);
    return mk(t, mapCase(t.cps, "f"));
  },
  "titlecase/1": (_p, s) => walkTitlecase(s!, titleCp),
  "equal/2": (_p, a, b) => (walkEqual(a!, b!) ? A.true : A.false),
  "equal/3": (_p, a, b, ic) =>
    ic === A.false ? (walkEqual(a!, b!) ? A.true : A.false) : equal(a, b, ic, at("none")),
  "equal/4": (_p, a, b, ic, n) => equal(a, b, ic, n),
  "to_integer/1": (_p, s) => parseNumber(s, false),
  "to_float/1": (_p, s) => parseNumber(s, true),
};
