/**
 * `string` case mapping, comparison and number parsing. Case mapping is per
 * code point through JS's full (special-casing aware) Unicode mappings, which
 * is what OTP does: `uppercase("ß")` is `"SS"`, and no context rules (a
 * capital sigma always lowers to `σ`, never to final `ς`).
 */
import type { NativeFn } from "../../vm/native.ts";
import { A, Atom } from "../../vm/terms/atom.ts";
import { parseInt36 } from "../../vm/terms/integer.ts";
import { Float, type Term } from "../../vm/terms/term.ts";
import { cpsToText, textToCps } from "./chardata.ts";
import { mk, type Text, textArg } from "./string-text.ts";
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

function titlecase(t: Text): number[] {
  if (t.cps.length === 0) return [];
  return [...titleCp(t.cps[0]!), ...t.cps.slice(1)];
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

function toInteger(s: Term): Term {
  let t: Text;
  try {
    t = textArg(s);
  } catch {
    return err(A.badarg);
  }
  const c = t.cps;
  let i = c[0] === 43 || c[0] === 45 ? 1 : 0;
  const from = i;
  while (isDigit(c[i])) i++;
  if (i === from) return err(at("no_integer"));
  const n = parseInt36(String.fromCharCode(...c.slice(0, i)), 10)!;
  return [n, mk(t, c.slice(i))];
}

function toFloat(s: Term): Term {
  let t: Text;
  try {
    t = textArg(s);
  } catch {
    return err(A.badarg);
  }
  const c = t.cps;
  let i = c[0] === 43 || c[0] === 45 ? 1 : 0;
  const intStart = i;
  while (isDigit(c[i])) i++;
  if (i === intStart || c[i] !== 46 || !isDigit(c[i + 1])) return err(at("no_float"));
  i++;
  while (isDigit(c[i])) i++;
  if (c[i] === 101 || c[i] === 69) {
    let j = i + 1;
    if (c[j] === 43 || c[j] === 45) j++;
    if (isDigit(c[j])) {
      while (isDigit(c[j])) j++;
      i = j;
    }
  }
  const v = Number(String.fromCharCode(...c.slice(0, i)));
  if (!Number.isFinite(v)) return err(A.badarg);
  return [new Float(v), mk(t, c.slice(i))];
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
  "titlecase/1": (_p, s) => {
    const t = textArg(s);
    return mk(t, titlecase(t));
  },
  "equal/2": (_p, a, b) => equal(a, b, A.false, at("none")),
  "equal/3": (_p, a, b, ic) => equal(a, b, ic, at("none")),
  "equal/4": (_p, a, b, ic, n) => equal(a, b, ic, n),
  "to_integer/1": (_p, s) => toInteger(s),
  "to_float/1": (_p, s) => toFloat(s),
};
