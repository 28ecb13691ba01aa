/**
 * `io_lib:format/2` (io_lib_format:fwrite): control sequences
 * `~F.P.PadModC` with field width F (negative or `-` = left-adjusted),
 * precision P, pad character, modifiers `t` (Unicode) and `l` (no string
 * detection), and the controls `~c ~f ~e ~g ~s ~w ~p ~W ~P ~B ~b ~X ~x ~# ~+
 * ~i ~n ~~`. `*` takes a width/precision/pad from the arguments.
 *
 * Output is a JS string of the characters (the caller makes it a flat list;
 * OTP returns a deep list with the same flattening). Any bad format or
 * argument raises `badarg`, as io_lib:format does.
 */
import { Atom } from "../../../terms/atom.ts";
import { BitString } from "../../../terms/binary.ts";
import { walkDeepList } from "../../../terms/list.ts";
import { Cons, Float, NIL, type Term } from "../../../terms/term.ts";
import { decodeChardata } from "../chardata.ts";
import { graphemes } from "../grapheme.ts";
import { badarg } from "../util.ts";
import { floatE, floatF, floatG } from "./floats.ts";
import { cpLength, prettyPrint } from "./pretty.ts";
import { type Enc, writeTerm } from "./write.ts";

type Adjust = "left" | "right";

/** One control sequence, as `io_lib:scan_format/2` describes it. */
export interface Spec {
  width: number | null;
  adjust: Adjust;
  precision: number | null;
  pad: number;
  enc: Enc;
  strings: boolean;
  control: number;
  args: Term[];
}

/** Format characters from a format argument (string, binary or atom). */
export function formatChars(f: Term): number[] {
  if (f instanceof Atom) return Array.from(f.name, (c) => c.codePointAt(0)!);
  if (f instanceof BitString) {
    if (!f.isBinary) return badarg();
    return Array.from(f.bytes());
  }
  const d = decodeChardata(f);
  if (d.stop !== null) return badarg();
  return d.cps;
}

class Cursor {
  i = 0;
  a = 0;
  constructor(
    readonly fmt: number[],
    readonly args: Term[],
  ) {}
  peek(): number | undefined {
    return this.fmt[this.i];
  }
  nextArg(): Term {
    if (this.a >= this.args.length) return badarg();
    return this.args[this.a++]!;
  }
}

function fieldValue(c: Cursor): number | null {
  if (c.peek() === 42) {
    c.i++;
    const v = c.nextArg();
    return typeof v === "number" ? v : badarg();
  }
  let v: number | null = null;
  while (c.peek() !== undefined && c.peek()! >= 48 && c.peek()! <= 57) {
    v = (v ?? 0) * 10 + (c.peek()! - 48);
    c.i++;
  }
  return v;
}

function parseSpec(c: Cursor): Spec {
  let neg = false;
  if (c.peek() === 45) {
    neg = true;
    c.i++;
  }
  let width = fieldValue(c);
  let adjust: Adjust = "right";
  if (width !== null) {
    if (neg) width = -width;
    if (width < 0) {
      adjust = "left";
      width = -width;
    }
  }
  let precision: number | null = null;
  let pad = 32;
  if (c.peek() === 46) {
    c.i++;
    precision = fieldValue(c);
    if (c.peek() === 46) {
      c.i++;
      if (c.peek() === 42) {
        c.i++;
        const p = c.nextArg();
        pad = typeof p === "number" ? p : badarg();
      } else {
        const p = c.peek();
        if (p === undefined) return badarg();
        pad = p;
        c.i++;
      }
    }
  }
  let enc: Enc = "latin1";
  let strings = true;
  for (;;) {
    if (c.peek() === 116) enc = "unicode";
    else if (c.peek() === 108) strings = false;
    else break;
    c.i++;
  }
  const control = c.peek();
  if (control === undefined) return badarg();
  c.i++;
  const nargs = argCount(control);
  const args: Term[] = [];
  for (let k = 0; k < nargs; k++) args.push(c.nextArg());
  return { width, adjust, precision, pad, enc, strings, control, args };
}

/** How many arguments a control character takes. */
export function argCount(control: number): number {
  if (control === 87 || control === 80 || control === 120 || control === 88) return 2;
  return control === 126 || control === 110 ? 0 : 1;
}

const chars = (c: number, n: number) => (n > 0 ? String.fromCodePoint(c).repeat(n) : "");

function adjust(data: string, padding: string, adj: Adjust): string {
  return adj === "left" ? data + padding : padding + data;
}

/** io_lib_format's term/5: fit text in a field, `*`s when it does not fit. */
function term(t: string, f: number | null, adj: Adjust, p0: number | null, pad: number): string {
  if (f === null && p0 === null) return t;
  if (f === null) return term(t, p0, adj, p0, pad);
  const l = cpLength(t);
  const p = Math.min(l, p0 === null ? f : Math.min(p0, f));
  if (l > p) return adjust(chars(42, p), chars(pad, f - p), adj);
  return adjust(t, chars(pad, f - l), adj);
}

/** Truncates to `n` characters (graphemes for Unicode, as string:slice). */
function flatTrunc(s: string, n: number, enc: Enc): string {
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  if (enc === "latin1") return String.fromCodePoint(...cps.slice(0, n));
  return graphemes(cps)
    .slice(0, n)
    .map((g) => String.fromCodePoint(...g))
    .join("");
}

function stringField(s: string, f: number, adj: Adjust, n: number, pad: number, enc: Enc): string {
  if (n > f) return flatTrunc(s, f, enc);
  if (n < f) return adjust(s, chars(pad, f - n), adj);
  return s;
}

function stringOut(s: string, sp: Spec): string {
  const { width: f, precision: p, adjust: adj, pad, enc } = sp;
  if (f === null && p === null) return s;
  const n = cpLength(s);
  if (p === null) return stringField(s, f!, adj, n, pad, enc);
  if (f === null) return stringField(s, p, "left", n, pad, enc);
  if (f < p) return badarg();
  if (f === p) return stringField(s, f, adj, n, pad, enc);
  if (n > p) return adjust(flatTrunc(s, p, enc), chars(pad, f - p), adj);
  if (n < p) return adjust(s + chars(pad, p - n), chars(pad, f - p), adj);
  return adjust(s, chars(pad, f - p), adj);
}

/** The characters of a `~s` argument (iolist/binary/atom; Unicode with `t`). */
function stringArg(a: Term, enc: Enc): string {
  if (a instanceof Atom) {
    if (enc === "latin1" && [...a.name].some((ch) => ch.codePointAt(0)! > 255)) return badarg();
    return a.name;
  }
  const out: number[] = [];
  const binary = (t: BitString): void => {
    if (!t.isBinary) badarg();
    const bytes = t.bytes();
    if (enc === "unicode") {
      const d = decodeChardata(t);
      if (d.stop === null) {
        for (const c of d.cps) out.push(c);
        return;
      }
    }
    for (const b of bytes) out.push(b);
  };
  if (a instanceof BitString) binary(a);
  else {
    // Deep lists are walked without recursion; a binary may end any of them.
    walkDeepList(
      a,
      (h) => {
        if (typeof h === "number") {
          if (h < 0 || (enc === "latin1" && h > 255) || h > 0x10ffff) badarg();
          out.push(h);
        } else if (h instanceof BitString) binary(h);
        else badarg();
        return true;
      },
      (tail) => {
        if (tail instanceof BitString) binary(tail);
        else badarg();
        return true;
      },
    );
  }
  let s = "";
  for (let i = 0; i < out.length; i += 4096) s += String.fromCodePoint(...out.slice(i, i + 4096));
  return s;
}

function intArg(t: Term): number | bigint {
  if (typeof t === "number" || typeof t === "bigint") return t;
  return badarg();
}

function base(p: number | null): number {
  const b = p ?? 10;
  if (b < 2 || b > 36) return badarg();
  return b;
}

function intText(n: number | bigint, b: number, lower: boolean): string {
  const abs = typeof n === "bigint" ? (n < 0n ? -n : n) : Math.abs(n);
  const s = abs.toString(b).toUpperCase();
  return lower ? s.toLowerCase() : s;
}

function prefixText(t: Term): string {
  if (t instanceof Atom) return t.name;
  const d = decodeChardata(t);
  if (d.stop !== null || t instanceof BitString) return badarg();
  return String.fromCodePoint(...d.cps);
}

function floatArg(t: Term): number {
  if (t instanceof Float) return t.value;
  return badarg();
}

function charControl(ch: number, sp: Spec): string {
  const { width: f, precision: p, adjust: adj, pad } = sp;
  if (f === null && p === null) return String.fromCodePoint(ch);
  if (p === null) return chars(ch, f!);
  if (f === null) return chars(ch, p);
  if (f < p) return badarg();
  return adjust(chars(ch, p), chars(pad, f - p), adj);
}

/** Column (0-based) at the end of `s`, tabs to multiples of 8 (io_lib_format:indentation). */
function indentation(s: string, i: number): number {
  for (const ch of s) {
    if (ch === "\n") i = 0;
    else if (ch === "\t") i = (Math.floor(i / 8) + 1) * 8;
    else i++;
  }
  return i;
}

function control(sp: Spec, col: number): string {
  const a = sp.args;
  switch (sp.control) {
    case 99: {
      // ~c
      const ch = intArg(a[0]!);
      // Plain ~c writes the low byte of any integer (-1 is 255).
      if (sp.enc === "latin1") return charControl(Number(BigInt.asUintN(8, BigInt(ch))), sp);
      if (typeof ch !== "number" || ch < 0 || ch > 0x10ffff) return badarg();
      return charControl(ch, sp);
    }
    case 126:
      return charControl(126, sp);
    case 110:
      if (sp.width === null) return "\n";
      if (sp.adjust === "left") return badarg();
      return chars(10, sp.width);
    case 105:
      return "";
    case 102: {
      const v = floatArg(a[0]!);
      const p = sp.precision ?? 6;
      if (p < 1) return badarg();
      const s = floatF(v, p);
      return sp.width === null ? s : term(s, sp.width, sp.adjust, sp.width, sp.pad);
    }
    case 101: {
      const v = floatArg(a[0]!);
      const p = sp.precision ?? 6;
      if (p < 2) return badarg();
      const s = floatE(v, p);
      return sp.width === null ? s : term(s, sp.width, sp.adjust, sp.width, sp.pad);
    }
    case 103: {
      const v = floatArg(a[0]!);
      const p = sp.precision ?? 6;
      if (p < 1) return badarg();
      const g = floatG(v, p);
      const s = g.kind === "f" ? floatF(v, g.p) : floatE(v, g.p);
      return sp.width === null ? s : term(s, sp.width, sp.adjust, sp.width, sp.pad);
    }
    case 115:
      return stringOut(stringArg(a[0]!, sp.enc), sp);
    case 119:
      return term(writeTerm(a[0]!, -1, sp.enc), sp.width, sp.adjust, sp.precision, sp.pad);
    case 87: {
      const d = a[1]!;
      if (typeof d !== "number") return badarg();
      return term(writeTerm(a[0]!, d, sp.enc), sp.width, sp.adjust, sp.precision, sp.pad);
    }
    case 112:
    case 80: {
      const d = sp.control === 80 ? a[1]! : -1;
      if (typeof d !== "number") return badarg();
      if (sp.adjust === "left") return badarg();
      const ll = sp.width ?? 80;
      const startCol = sp.precision ?? col + 1;
      return prettyPrint(a[0]!, startCol, ll, d, sp.enc, sp.strings);
    }
    case 66:
    case 98: {
      const n = intArg(a[0]!);
      const s = intText(n, base(sp.precision), sp.control === 98);
      return term(n < 0 ? `-${s}` : s, sp.width, sp.adjust, null, sp.pad);
    }
    case 88:
    case 120: {
      const n = intArg(a[0]!);
      const pre = prefixText(a[1]!);
      const s = intText(n, base(sp.precision), sp.control === 120);
      return term(n < 0 ? `-${pre}${s}` : pre + s, sp.width, sp.adjust, null, sp.pad);
    }
    case 35:
    case 43: {
      const n = intArg(a[0]!);
      const b = base(sp.precision);
      const s = intText(n, b, sp.control === 43);
      return term(n < 0 ? `-${b}#${s}` : `${b}#${s}`, sp.width, sp.adjust, null, sp.pad);
    }
  }
  return badarg();
}

/** The arguments list of io_lib:format as an array (badarg when improper). */
function argArray(args: Term): Term[] {
  const argv: Term[] = [];
  let l = args;
  while (l instanceof Cons) {
    argv.push(l.head);
    l = l.tail;
  }
  if (l !== NIL) badarg();
  return argv;
}

/**
 * `io_lib:scan_format/2`: the format's plain characters and its control
 * sequences, each with the arguments it takes (`*` fields already read).
 */
export function scanFormat(format: Term, args: Term): (number | Spec)[] {
  const fmt = formatChars(format);
  const argv = argArray(args);
  const c = new Cursor(fmt, argv);
  const out: (number | Spec)[] = [];
  while (c.i < fmt.length) {
    const ch = fmt[c.i++]!;
    out.push(ch === 126 ? parseSpec(c) : ch);
  }
  if (c.a !== argv.length) badarg();
  return out;
}

/** Whether a control's text is spliced into io_lib's deep result (else one element). */
export const splicedControl = (control: number) => [99, 110, 126, 105].includes(control);

/**
 * Formats scanned items (io_lib:build_text/1): one JS string per item, a
 * control's text following what came before it (`~p` needs the column).
 */
export function buildPieces(items: readonly (number | Spec)[]): string[] {
  const pieces: string[] = [];
  let out = "";
  for (const it of items) {
    let piece: string;
    if (typeof it === "number") piece = String.fromCodePoint(it);
    else {
      // Only ~p/~P depend on the column, which is costly to recompute.
      const col = it.control === 112 || it.control === 80 ? indentation(out, 0) : 0;
      piece = control(it, col);
    }
    pieces.push(piece);
    out += piece;
  }
  return pieces;
}

/** `io_lib:format(Format, Args)` as a JS string. */
export function fwrite(format: Term, args: Term): string {
  return buildPieces(scanFormat(format, args)).join("");
}
