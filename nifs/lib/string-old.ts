/**
 * The pre-Unicode `string` API (flat lists of characters, 1-based
 * positions): `str/2`, `tokens/2`, `strip/1..3`, `to_lower/1`... kept by OTP
 * for old code. Errors follow OTP: these are Erlang functions there, so a bad
 * argument is a `function_clause`.
 */

import { Atom } from "../../terms/atom.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import type { NativeFn } from "../../vm/index.ts";
import { cpsToList } from "./chardata.ts";
import { at, badarith, fclause, listArg } from "./util.ts";

/** A flat list of integers (old-API string). */
function chars(t: Term): number[] {
  const xs = listArg(t, fclause);
  for (const x of xs) if (typeof x !== "number") fclause();
  return xs as number[];
}

/** latin1 case mapping as the old API does it (ASCII, plus 192..222 / 224..254). */
function lowerL1(c: number): number {
  return (c >= 65 && c <= 90) || (c >= 192 && c <= 222 && c !== 215) ? c + 32 : c;
}
function upperL1(c: number): number {
  return (c >= 97 && c <= 122) || (c >= 224 && c <= 254 && c !== 247) ? c - 32 : c;
}

function indexOf(s: number[], sub: number[], last: boolean): number {
  if (sub.length === 0) return 0;
  const range = s.length - sub.length;
  const check = (i: number) => sub.every((c, k) => s[i + k] === c);
  if (last) {
    for (let i = range; i >= 0; i--) if (check(i)) return i + 1;
  } else {
    for (let i = 0; i <= range; i++) if (check(i)) return i + 1;
  }
  return 0;
}

function strip(t: Term, dir: Term, ch: Term): Term {
  const s = chars(t);
  if (typeof ch !== "number" || !(dir instanceof Atom)) return fclause();
  let a = 0;
  let b = s.length;
  if (dir.name === "left" || dir.name === "both") while (a < b && s[a] === ch) a++;
  if (dir.name === "right" || dir.name === "both") while (b > a && s[b - 1] === ch) b--;
  if (!["left", "right", "both"].includes(dir.name)) fclause();
  return cpsToList(s.slice(a, b));
}

function words(t: Term, sep: Term): number[][] {
  const s = chars(t);
  if (typeof sep !== "number") fclause();
  const out: number[][] = [];
  let cur: number[] = [];
  for (const c of s) {
    if (c === sep) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(c);
  }
  if (cur.length) out.push(cur);
  return out;
}

function substr(t: Term, start: Term, len: Term | null): Term {
  const s = chars(t);
  if (typeof start !== "number" || start < 1 || start > s.length + 1) return fclause();
  if (len === null) return cpsToList(s.slice(start - 1));
  if (typeof len !== "number" || len < 0 || start - 1 + len > s.length) return fclause();
  return cpsToList(s.slice(start - 1, start - 1 + len));
}

function fit(t: Term, n: Term, ch: Term, side: "left" | "right" | "centre"): Term {
  const s = chars(t);
  if (typeof n !== "number" || n < 0 || typeof ch !== "number") return fclause();
  if (side === "left") {
    return cpsToList(s.length >= n ? s.slice(0, n) : [...s, ...Array(n - s.length).fill(ch)]);
  }
  if (side === "right") {
    return cpsToList(
      s.length >= n ? s.slice(s.length - n) : [...Array(n - s.length).fill(ch), ...s],
    );
  }
  if (s.length >= n) {
    const cut = (s.length - n) >> 1;
    return cpsToList(s.slice(cut, cut + n));
  }
  const padL = (n - s.length) >> 1;
  const padR = n - s.length - padL;
  return cpsToList([...Array(padL).fill(ch), ...s, ...Array(padR).fill(ch)]);
}

function span(t: Term, set: Term, inSet: boolean): number {
  const s = chars(t);
  const cs = new Set(chars(set));
  let i = 0;
  while (i < s.length && cs.has(s[i]!) === inSet) i++;
  return i;
}

/** The old-API natives, merged into the `string` module. */
/** `chars(C, N, Tail)`: N copies of the character C in front of Tail. */
function chars2(c: Term, n: Term, tail: Term): Term {
  // OTP compares N with 0 before matching: a non-number N is badarith.
  if (typeof n !== "number" && typeof n !== "bigint" && !(n instanceof Float)) return badarith();
  if (typeof c !== "number" || typeof n !== "number" || n < 0) return fclause();
  let out = tail;
  for (let i = 0; i < n; i++) out = new Cons(c, out);
  return out;
}

export const stringOldFns: Record<string, NativeFn> = {
  "to_lower/1": (_p, t) => (typeof t === "number" ? lowerL1(t) : cpsToList(chars(t).map(lowerL1))),
  "to_upper/1": (_p, t) => (typeof t === "number" ? upperL1(t) : cpsToList(chars(t).map(upperL1))),
  "len/1": (_p, t) => chars(t).length,
  "concat/2": (_p, a, b) => cpsToList([...chars(a), ...chars(b)]),
  "chr/2": (_p, t, c) => chars(t).indexOf(c as number) + 1,
  "rchr/2": (_p, t, c) => chars(t).lastIndexOf(c as number) + 1,
  "str/2": (_p, t, sub) => indexOf(chars(t), chars(sub), false),
  "rstr/2": (_p, t, sub) => indexOf(chars(t), chars(sub), true),
  "substr/2": (_p, t, s) => substr(t, s, null),
  "substr/3": (_p, t, s, n) => substr(t, s, n),
  "sub_string/2": (_p, t, s) => substr(t, s, null),
  "sub_string/3": (_p, t, s, e) => {
    if (typeof s !== "number" || typeof e !== "number") return fclause();
    return substr(t, s, e - s + 1);
  },
  "strip/1": (_p, t) => strip(t, at("both"), 32),
  "strip/2": (_p, t, d) => strip(t, d, 32),
  "strip/3": (_p, t, d, c) => strip(t, d, c),
  "left/2": (_p, t, n) => fit(t, n, 32, "left"),
  "left/3": (_p, t, n, c) => fit(t, n, c, "left"),
  "right/2": (_p, t, n) => fit(t, n, 32, "right"),
  "right/3": (_p, t, n, c) => fit(t, n, c, "right"),
  "centre/2": (_p, t, n) => fit(t, n, 32, "centre"),
  "centre/3": (_p, t, n, c) => fit(t, n, c, "centre"),
  "chars/2": (_p, c, n) => chars2(c, n, NIL),
  "chars/3": (_p, c, n, tail) => chars2(c, n, tail),
  "copies/2": (_p, t, n) => {
    const s = chars(t);
    if (typeof n !== "number" || n < 0) return fclause();
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(...s);
    return cpsToList(out);
  },
  "join/2": (_p, l, sep) => {
    const items = listArg(l, fclause);
    const sp = chars(sep);
    const out: number[] = [];
    items.forEach((x, i) => {
      if (i > 0) out.push(...sp);
      out.push(...chars(x));
    });
    return cpsToList(out);
  },
  "tokens/2": (_p, t, seps) => {
    const s = chars(t);
    const cs = new Set(chars(seps));
    const out: Term[] = [];
    let cur: number[] = [];
    for (const c of s) {
      if (cs.has(c)) {
        if (cur.length) out.push(cpsToList(cur));
        cur = [];
      } else cur.push(c);
    }
    if (cur.length) out.push(cpsToList(cur));
    let l: Term = NIL;
    for (let i = out.length - 1; i >= 0; i--) l = new Cons(out[i]!, l);
    return l;
  },
  "words/1": (_p, t) => words(t, 32).length,
  "words/2": (_p, t, c) => words(t, c).length,
  "sub_word/2": (_p, t, n) => {
    const w = words(t, 32);
    return typeof n === "number" && n >= 1 && n <= w.length ? cpsToList(w[n - 1]!) : NIL;
  },
  "sub_word/3": (_p, t, n, c) => {
    const w = words(t, c);
    return typeof n === "number" && n >= 1 && n <= w.length ? cpsToList(w[n - 1]!) : NIL;
  },
  "span/2": (_p, t, set) => span(t, set, true),
  "cspan/2": (_p, t, set) => span(t, set, false),
};
