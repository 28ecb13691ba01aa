/**
 * `io_lib:fread/2,3`: reading values from characters by a format, written
 * from the documented directives and outputs recorded from erl:
 *
 * - whitespace in the format skips any whitespace (none too); other
 *   characters must come next (`{fread, input}` otherwise);
 * - `~d` integer, `~u` unsigned, `~-` optional sign (-1 or 1), `~#` based
 *   integer (`16#ff`), `~f` float (digits, point, digits, optional complete
 *   exponent), `~s` string and `~a` atom (non-whitespace characters; latin1
 *   unless `~t`), `~c` characters (no whitespace skipped), `~l` characters
 *   read so far, `~~` a tilde; `~*...` reads without keeping the value, and
 *   a field width reads exactly that many characters;
 * - running out of input where a directive or literal starts gives
 *   `{more, RestFormat, CharsRead, ResultsSoFarReversed}`.
 *
 * fread/3 collects lines (up to a newline, or `eof`) and reads them with
 * fread/2 (see fread3).
 */

import { atom } from "../../terms/atom.ts";
import { parseInt36 } from "../../terms/integer.ts";
import { listFromArray } from "../../terms/list.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { chargingAtoms, type NativeFn } from "../../vm/index.ts";
import { at, fclause, listArg } from "./util.ts";

const EOF = at("eof");
const isWs = (c: Term) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isDigit = (c: Term | undefined): c is number => typeof c === "number" && c >= 48 && c <= 57;

/** A position in the input: the characters are the integer heads of a list. */
class Input {
  n = 0;
  constructor(public t: Term) {}
  peek(): number | undefined {
    const t = this.t;
    return t instanceof Cons && typeof t.head === "number" ? t.head : undefined;
  }
  next(): number {
    const c = this.peek()!;
    this.t = (this.t as Cons).tail;
    this.n++;
    return c;
  }
  skipWs(): void {
    while (this.peek() !== undefined && isWs(this.peek()!)) this.next();
  }
}

class Failed {
  constructor(readonly what: string) {}
}

const fail = (what: string): never => {
  throw new Failed(what);
};

function digits(inp: Input, ok: (c: number) => boolean = isDigit): string {
  let s = "";
  while (inp.peek() !== undefined && ok(inp.peek()!)) s += String.fromCharCode(inp.next());
  return s;
}

function sign(inp: Input): string {
  const c = inp.peek();
  if (c === 45 || c === 43) return String.fromCharCode(inp.next());
  return "";
}

/** A digit's value in bases up to 36 (99 for other characters). */
function digitValue(c: number): number {
  if (isDigit(c)) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** One directive's value read from `inp` (whitespace already handled). */
function readValue(ctl: number, inp: Input, unicode: boolean, width: number | null): Term {
  switch (ctl) {
    case 100: {
      const s = sign(inp);
      const d = digits(inp);
      if (d === "") return fail("integer");
      return parseInt36(s + d, 10)!;
    }
    case 117: {
      const d = digits(inp);
      if (d === "") return fail("unsigned");
      return parseInt36(d, 10)!;
    }
    case 45: {
      const c = inp.peek();
      if (c === 45) {
        inp.next();
        return -1;
      }
      if (c === 43) inp.next();
      return 1;
    }
    case 35: {
      const s = sign(inp);
      const b = digits(inp);
      if (b === "" || inp.peek() !== 35) return fail("based");
      inp.next();
      const base = Number(b);
      if (base < 2 || base > 36) return fail("based");
      // Decimal digits are read whatever the base (then must be valid), letters only when valid.
      const d = digits(inp, (c) => isDigit(c) || digitValue(c) < base);
      if (d === "" || [...d].some((ch) => digitValue(ch.charCodeAt(0)) >= base))
        return fail("based");
      const v = parseInt36(s + d, base);
      return v ?? fail("based");
    }
    case 102: {
      let s = sign(inp) + digits(inp);
      if (!/\d$/.test(s) || inp.peek() !== 46) return fail("float");
      inp.next();
      const frac = digits(inp);
      if (frac === "") return fail("float");
      s += `.${frac}`;
      const e = inp.peek();
      if (e === 101 || e === 69) {
        inp.next();
        const es = sign(inp);
        const ed = digits(inp);
        if (ed === "") return fail("float");
        s += `e${es}${ed}`;
      }
      const v = Number(s);
      return Number.isFinite(v) ? new Float(v) : fail("float");
    }
    case 115:
    case 97: {
      const what = ctl === 115 ? "string" : "atom";
      const cs: number[] = [];
      while (inp.peek() !== undefined && !isWs(inp.peek()!)) {
        const c = inp.next();
        if (c < 0 || c > (unicode ? 0x10ffff : 255)) return fail(what);
        cs.push(c);
      }
      if (ctl === 115) return listFromArray(cs);
      return cs.length > 255 ? fail(what) : atom(String.fromCodePoint(...cs));
    }
    case 99: {
      const cs: number[] = [];
      for (let k = 0; k < (width ?? 1); k++) {
        if (inp.peek() === undefined) return fail("character");
        cs.push(inp.next());
      }
      return listFromArray(cs);
    }
  }
  return fail("format");
}

const FAIL_NAME: Record<number, string> = {
  100: "integer",
  117: "unsigned",
  45: "integer",
  35: "based",
  102: "float",
  115: "string",
  97: "atom",
};

/**
 * A directive with a field width reads exactly `width` characters; leading
 * whitespace is skipped, a number must then fill the rest of the field, and
 * a string or atom is the field without its surrounding whitespace.
 */
function readField(ctl: number, inp: Input, unicode: boolean, width: number): Term {
  const what = FAIL_NAME[ctl] ?? "format";
  const field: number[] = [];
  for (let k = 0; k < width; k++) {
    if (inp.peek() === undefined) return fail(what);
    field.push(inp.next());
  }
  if (ctl === 115 || ctl === 97) {
    let a = 0;
    let b = field.length;
    while (a < b && isWs(field[a]!)) a++;
    while (b > a && isWs(field[b - 1]!)) b--;
    const cs = field.slice(a, b);
    if (cs.some((c) => c < 0 || c > (unicode ? 0x10ffff : 255))) return fail(what);
    return ctl === 115 ? listFromArray(cs) : atom(String.fromCodePoint(...cs));
  }
  const sub = new Input(listFromArray(field));
  sub.skipWs();
  const v = readValue(ctl, sub, unicode, null);
  return sub.t === NIL ? v : fail(what);
}

/**
 * `io_lib:fread(Format, Chars)`, optionally going on from `n` characters
 * read and the values so far (fread/3's continuation).
 */
export function fread(format: Term, chars: Term, n = 0, soFar: Term[] = []): Term {
  if (chars === EOF) return EOF;
  const fmt = listArg(format, fclause);
  for (const c of fmt) if (typeof c !== "number") fclause();
  const f = fmt as number[];
  const inp = new Input(chars);
  inp.n = n;
  const results: Term[] = soFar.slice();
  const more = (from: number): Term => [
    at("more"),
    listFromArray(f.slice(from)),
    inp.n,
    listFromArray(results.slice().reverse()),
  ];
  try {
    let i = 0;
    while (i < f.length) {
      const c = f[i]!;
      if (isWs(c)) {
        inp.skipWs();
        i++;
        continue;
      }
      if (c !== 126) {
        if (inp.t === NIL) return more(i);
        if (inp.peek() !== c) return fail("input");
        inp.next();
        i++;
        continue;
      }
      const start = i++;
      let suppress = false;
      if (f[i] === 42) {
        suppress = true;
        i++;
      }
      let width: number | null = null;
      while (isDigit(f[i])) width = (width ?? 0) * 10 + (f[i++]! - 48);
      let unicode = false;
      if (f[i] === 116) {
        unicode = true;
        i++;
      }
      const ctl = f[i++];
      if (ctl === undefined) return fail("format");
      let v: Term;
      if (ctl === 126) {
        if (inp.t === NIL) return more(start);
        if (inp.peek() !== 126) return fail("format");
        inp.next();
        continue;
      }
      if (ctl === 108) v = inp.n;
      else if (inp.t === NIL) return more(start);
      else if (ctl === 99) v = readValue(ctl, inp, unicode, width);
      else if (width !== null) v = readField(ctl, inp, unicode, width);
      else {
        if (ctl !== 45) inp.skipWs();
        v = readValue(ctl, inp, unicode, null);
      }
      if (!suppress) results.push(v);
    }
    return [at("ok"), listFromArray(results), inp.t];
  } catch (e) {
    if (e instanceof Failed) return [at("error"), [at("fread"), at(e.what)]];
    throw e;
  }
}

/** The characters of `t` up to and including the first newline, and the rest. */
function splitLine(t: Term): [number[], Term] | null {
  const line: number[] = [];
  while (t instanceof Cons) {
    const c = t.head as number;
    line.push(c);
    t = t.tail;
    if (c === 10) return [line, t];
  }
  return null;
}

interface Cont {
  format: Term;
  pending: number[];
  n: number;
  soFar: Term[];
}

/**
 * `io_lib:fread(Continuation, Chars, Format)`: characters are collected up to
 * a newline, then read; a format still unfinished at the end of the line
 * goes on with the next line. The continuation is
 * `{RestFormat, PendingCharsReversed, CharsRead, ValuesReversed}`.
 */
function fread3(contT: Term, chars: Term, format: Term): Term {
  let c: Cont = { format, pending: [], n: 0, soFar: [] };
  if (Array.isArray(contT) && contT.length === 4 && typeof contT[2] === "number") {
    c = {
      format: contT[0]!,
      pending: (listArg(contT[1]!) as number[]).reverse(),
      n: contT[2],
      soFar: listArg(contT[3]!).reverse(),
    };
  } else if (contT !== NIL) return fclause();
  const done = (r: Term, rest: Term): Term => [at("done"), r, rest];
  const moreOf = (k: Cont): Term => [
    at("more"),
    [
      k.format,
      listFromArray(k.pending.slice().reverse()),
      k.n,
      listFromArray(k.soFar.slice().reverse()),
    ],
  ];
  if (chars === EOF) {
    if (contT === NIL) return done(EOF, EOF);
    const r = fread(c.format, listFromArray(c.pending), c.n, c.soFar);
    if (Array.isArray(r) && r[0] === at("ok")) return done([at("ok"), r[1]!], NIL);
    if (Array.isArray(r) && r[0] === at("more"))
      return done([at("error"), [at("fread"), at("input")]], EOF);
    return done(r, EOF);
  }
  const split = splitLine(chars);
  if (split === null)
    return moreOf({ ...c, pending: c.pending.concat(listArg(chars) as number[]) });
  const [line, after] = split;
  const r = fread(c.format, listFromArray(c.pending.concat(line)), c.n, c.soFar);
  if (Array.isArray(r) && r[0] === at("ok")) {
    const left = listArg(r[2]!) as number[];
    const rest = left.length === 1 && left[0] === 10 ? after : listFromArray(left, after);
    return done([at("ok"), r[1]!], rest);
  }
  if (Array.isArray(r) && r[0] === at("more")) {
    const next: Cont = {
      format: r[1]!,
      pending: [],
      n: r[2] as number,
      soFar: listArg(r[3]!).reverse(),
    };
    return after === NIL ? moreOf(next) : fread3((moreOf(next) as Term[])[1]!, after, format);
  }
  return done(r, after);
}

export const ioLibFreadFns: Record<string, NativeFn> = {
  // `~a` makes atoms: they are charged to the caller's budget afterwards.
  "fread/2": (p, f, s) => chargingAtoms(p, () => fread(f, s)),
  "fread/3": (p, c, s, f) => chargingAtoms(p, () => fread3(c, s, f)),
};
