/**
 * `io_lib`'s format-scanning API (`scan_format/2`, `unscan_format/1`,
 * `build_text/1,2`), `limit_term/2`, `quote_atom/2` and
 * `write_latin1_char/1`, merged into the `io_lib` natives.
 *
 * A scanned control sequence is the map OTP documents: `control_char`,
 * `args`, `width`, `adjust`, `precision`, `pad_char`, `encoding`, `strings`.
 */

import { A, Atom } from "../../terms/atom.ts";
import { TermTooDeepError } from "../../terms/depth.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import { MapTerm, mapFromPairs } from "../../terms/map.ts";
import { mapIterationOrder } from "../../terms/map-order.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import type { NativeFn } from "../../vm/index.ts";
import {
  argCount,
  buildPieces,
  type Spec,
  scanFormat,
  splicedControl,
} from "./io-format/format.ts";
import { lowerStart, nameChar, RESERVED, stringChar } from "./io-format/write.ts";
import { at, badarg, fclause, listArg } from "./util.ts";

const NONE = at("none");
const DOTS = at("...");

function specToMap(s: Spec): Term {
  return mapFromPairs([
    [at("control_char"), s.control],
    [at("args"), listFromArray(s.args)],
    [at("width"), s.width ?? NONE],
    [at("adjust"), at(s.adjust)],
    [at("precision"), s.precision ?? NONE],
    [at("pad_char"), s.pad],
    [at("encoding"), at(s.enc)],
    [at("strings"), s.strings ? A.true : A.false],
  ]);
}

const SPEC_KEYS = [
  "control_char",
  "args",
  "width",
  "adjust",
  "precision",
  "pad_char",
  "encoding",
  "strings",
];

/** A scanned control map back as a Spec; null when `t` is not one (or has bad fields). */
function mapToSpec(t: Term): Spec | null {
  if (!(t instanceof MapTerm) || !SPEC_KEYS.every((k) => t.has(at(k)))) return null;
  const g = (k: string) => t.get(at(k))!;
  const opt = (v: Term) => (v === NONE ? null : typeof v === "number" ? v : undefined);
  const width = opt(g("width"));
  const precision = opt(g("precision"));
  const control = g("control_char");
  const pad = g("pad_char");
  const adjust = g("adjust");
  const enc = g("encoding");
  const strings = g("strings");
  if (width === undefined || precision === undefined) return null;
  if (typeof control !== "number" || typeof pad !== "number") return null;
  if (adjust !== at("left") && adjust !== at("right")) return null;
  if (enc !== at("latin1") && enc !== at("unicode")) return null;
  if (strings !== A.true && strings !== A.false) return null;
  const args = listArg(g("args"));
  return {
    width,
    adjust: adjust === at("left") ? "left" : "right",
    precision,
    pad,
    enc: enc === at("unicode") ? "unicode" : "latin1",
    strings: strings === A.true,
    control,
    args,
  };
}

/** `unscan_format/1`: the format string and arguments of scanned items. */
function unscanFormat(l: Term): Term {
  const fmt: Term[] = [];
  const args: Term[] = [];
  for (const it of listArg(l)) {
    const s = mapToSpec(it);
    if (s === null) {
      fmt.push(it);
      continue;
    }
    let text = "~";
    if (s.width !== null) text += (s.adjust === "left" ? "-" : "") + String(s.width);
    if (s.pad !== 32) text += `.${s.precision ?? ""}.${String.fromCodePoint(s.pad)}`;
    else if (s.precision !== null) text += `.${s.precision}`;
    if (s.enc === "unicode") text += "t";
    if (!s.strings) text += "l";
    text += String.fromCodePoint(s.control);
    for (const ch of text) fmt.push(ch.codePointAt(0)!);
    args.push(...s.args);
  }
  return [listFromArray(fmt), listFromArray(args)];
}

/**
 * `build_text/1`: like io_lib:format, a list whose characters come from
 * plain items and `~c ~n ~~` (spliced in) and one flat list per other
 * control sequence; OTP's elements are deeper lists with the same text.
 */
function buildText(l: Term): Term {
  const items = listArg(l).map((it) => {
    if (typeof it === "number") return it;
    const s = mapToSpec(it);
    return s !== null && s.args.length === argCount(s.control) ? s : badarg();
  });
  const pieces = buildPieces(items);
  const out: Term[] = [];
  items.forEach((it, i) => {
    const text = pieces[i]!;
    if (typeof it === "number") out.push(it);
    else if (splicedControl(it.control)) for (const ch of text) out.push(ch.codePointAt(0)!);
    else out.push(stringToList(text));
  });
  return listFromArray(out);
}

const printableLatin1 = (c: Term) =>
  typeof c === "number" &&
  ((c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c === 27);

function isPrintableList(t: Term): boolean {
  while (t instanceof Cons) {
    if (!printableLatin1(t.head)) return false;
    t = t.tail;
  }
  return t === NIL;
}

/**
 * `limit_term(Term, Depth)`: the term `~W` would print at that depth, with
 * `'...'` where it is cut. Binaries and printable strings (depth above 1)
 * stay whole; a map keeps its first Depth + 1 pairs, values one level down.
 */
function limit(t: Term, d: number, nest = 0): Term {
  if (d < 0) return t;
  if (d === 0) return DOTS;
  if (t instanceof Cons || Array.isArray(t) || t instanceof MapTerm) {
    // Only a depth above LIMIT_MAX_NESTING can nest this far: refuse, typed, before the JS stack would.
    if (++nest > LIMIT_MAX_NESTING)
      throw new TermTooDeepError("io_lib:limit_term", LIMIT_MAX_NESTING);
  }
  if (t instanceof Cons) {
    if (d === 1) return new Cons(DOTS, NIL);
    if (isPrintableList(t)) return t;
    return new Cons(limit(t.head, d - 1, nest), limitRest(t.tail, d - 1, nest));
  }
  if (Array.isArray(t)) {
    if (t.length === 0) return t;
    if (d === 1) return [DOTS];
    const l = limitRest(listFromArray(t.slice(1)), d - 1, nest);
    return [limit(t[0]!, d - 1, nest), ...listArg(l)];
  }
  if (t instanceof MapTerm) {
    const order = Array.from(mapIterationOrder(t)).slice(0, d + 1);
    return mapFromPairs(
      order.map((k): [Term, Term] => [t.keys[k]!, limit(t.values[k]!, d - 1, nest)]),
    );
  }
  return t;
}

/** Nesting `limit_term` follows recursively (a long list costs none: its elements are a loop). */
const LIMIT_MAX_NESTING = 2000;

/** The elements after the first, `d` levels left: `['...']` when out of depth. */
function limitRest(t: Term, d: number, nest: number): Term {
  const items: Term[] = [];
  for (;;) {
    if (t === NIL) return listFromArray(items);
    if (d === 1) return listFromArray(items, new Cons(DOTS, NIL));
    if (!(t instanceof Cons)) return listFromArray(items, limit(t, d - 1, nest));
    items.push(limit(t.head, d - 1, nest));
    t = t.tail;
    d--;
  }
}

/** `quote_atom(Atom, Chars)`: whether the atom with these characters needs quotes. */
function quoteAtom(a: Term, chars: Term): Term {
  if (a instanceof Atom && RESERVED.has(a.name)) return A.true;
  if (!(chars instanceof Cons)) return A.true;
  const first = chars.head;
  if (typeof first !== "number" || !lowerStart(first)) return A.true;
  let t = chars.tail;
  while (t instanceof Cons) {
    const c = t.head;
    if (typeof c !== "number" || !nameChar(c)) return A.true;
    t = t.tail;
  }
  return t === NIL ? A.false : fclause();
}

export const ioLibScanFns: Record<string, NativeFn> = {
  "scan_format/2": (_p, f, a) =>
    listFromArray(scanFormat(f, a).map((it) => (typeof it === "number" ? it : specToMap(it)))),
  "unscan_format/1": (_p, l) => unscanFormat(l),
  "build_text/1": (_p, l) => buildText(l),
  "build_text/2": (_p, l, _o) => buildText(l),
  "limit_term/2": (_p, t, d) => (typeof d === "number" ? limit(t, d) : t),
  "quote_atom/2": (_p, a, c) => quoteAtom(a, c),
  "write_latin1_char/1": (_p, c) => {
    if (typeof c !== "number" || c < 0 || c > 255) return fclause();
    return stringToList(c === 32 ? "$ " : `$${stringChar(c, -1, "latin1")}`);
  },
};
