/**
 * `io_lib:write/1,2` and its helpers: terms on one line, optionally cut at a
 * depth (`~W`), atoms quoted and strings escaped as io_lib does (control
 * characters as `\n`-style escapes or three-digit octal, latin1 mode writing
 * characters above 255 as `\x{...}`).
 */
import { Atom } from "../../../terms/atom.ts";
import { BitString, readBitsSmall } from "../../../terms/binary.ts";
import { formatFloatShort } from "../../../terms/float.ts";
import { formatW } from "../../../terms/format.ts";
import { MapTerm } from "../../../terms/map.ts";
import { mapIterationOrder } from "../../../terms/map-order.ts";
import { Cons, Float, NIL, type Term } from "../../../terms/term.ts";
import { atomNeedsQuotes, isLowerStart, isNameChar, RESERVED } from "../../../terms/text.ts";

/** `latin1` (plain `~w`/`~p`) or `unicode` (`~tw`/`~tp`). */
export type Enc = "latin1" | "unicode";

/** How string characters at or above 160 are written. */
export type StrMode = "latin1" | "unicode_as_unicode" | "unicode_as_latin1";

// The atom-quoting rules are the term printer's (terms/text.ts): one definition.
export {
  atomNeedsQuotes as atomNeedsQuote,
  isLowerStart as lowerStart,
  isNameChar as nameChar,
  RESERVED,
};

const NAMED: Record<number, string> = {
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
  8: "\\b",
  12: "\\f",
  27: "\\e",
  127: "\\d",
};

/** One character inside a quoted string or atom. */
export function stringChar(c: number, q: number, mode: StrMode): string {
  if (c === q) return `\\${String.fromCharCode(q)}`;
  if (c === 92) return "\\\\";
  if (c >= 32 && c <= 126) return String.fromCharCode(c);
  if (c >= 160) {
    if (c <= 255 || mode === "unicode_as_unicode") return String.fromCodePoint(c);
    if (mode === "unicode_as_latin1") return `\\x{${c.toString(16).toUpperCase()}}`;
  }
  const named = NAMED[c];
  if (named !== undefined) return named;
  if (c < 160) return `\\${(c >> 6) & 7}${(c >> 3) & 7}${c & 7}`;
  return String.fromCodePoint(c);
}

/** A quoted string (`"..."` or `'...'`). */
export function writeString(cps: Iterable<number>, q: number, mode: StrMode): string {
  let s = String.fromCharCode(q);
  for (const c of cps) s += stringChar(c, q, mode);
  return s + String.fromCharCode(q);
}

/** An atom as `~w` writes it. */
export function writeAtom(a: Atom, enc: Enc): string {
  if (!atomNeedsQuotes(a.name)) return a.name;
  return writeString(
    Array.from(a.name, (c) => c.codePointAt(0)!),
    39,
    enc === "latin1" ? "unicode_as_latin1" : "unicode_as_unicode",
  );
}

/** `<<...>>` bytes, cut at depth `d` (-1: all). */
export function writeBinary(b: BitString, d: number): string {
  const parts: string[] = [];
  const whole = b.size >>> 3;
  let i = 0;
  for (; i < whole; i++) {
    if (d === 1) break;
    parts.push(String(b.byteAt(i)));
    d--;
  }
  const rest = b.size & 7;
  if (i < whole || (rest && d === 1)) parts.push("...");
  else if (rest) parts.push(`${readBitsSmall(b.buf, b.offset + whole * 8, rest)}:${rest}`);
  return `<<${parts.join(",")}>>`;
}

/** `io_lib:write(Term, Depth)` (depth -1 = unlimited). */
export function writeTerm(t: Term, d: number, enc: Enc): string {
  const out: string[] = [];
  write1(t, d, enc, out, 0);
  return out.join("");
}

/**
 * Nesting the recursive writer may reach before it hands a subterm to the
 * explicit-stack writer ({@link writeDeep}): deep terms cannot overflow the
 * JS stack, shallow ones keep the cheaper recursive path.
 */
const RECURSION_LIMIT = 500;

/** Writes a term without children; false (nothing written) for a non-empty list, tuple or map. */
function writeLeaf(t: Term, d: number, enc: Enc, out: string[]): boolean {
  if (d === 0) out.push("...");
  else if (typeof t === "number" || typeof t === "bigint") out.push(String(t));
  else if (t instanceof Float) out.push(formatFloatShort(t.value));
  else if (t instanceof Atom) out.push(writeAtom(t, enc));
  else if (t instanceof BitString) out.push(writeBinary(t, d));
  else if (t === NIL) out.push("[]");
  else if (t instanceof Cons) {
    if (d !== 1) return false;
    out.push("[...]");
  } else if (Array.isArray(t)) {
    if (t.length === 0) out.push("{}");
    else if (d === 1) out.push("{...}");
    else return false;
  } else if (t instanceof MapTerm) {
    if (d === 1 || t.size === 0) out.push("#{}");
    else return false;
  }
  // Pids, refs, ports and funs: the shared single-line writer handles them.
  else out.push(formatW(t));
  return true;
}

function write1(t: Term, d: number, enc: Enc, out: string[], nest: number): void {
  if (writeLeaf(t, d, enc, out)) return;
  if (nest > RECURSION_LIMIT) {
    writeDeep(t, d, enc, out);
    return;
  }
  nest++;
  if (t instanceof Cons) {
    out.push("[");
    write1(t.head, d - 1, enc, out, nest);
    let l: Term = t.tail;
    let dd = d - 1;
    for (;;) {
      if (l === NIL) break;
      if (dd === 1) {
        out.push("|...");
        break;
      }
      if (l instanceof Cons) {
        out.push(",");
        write1(l.head, dd - 1, enc, out, nest);
        l = l.tail;
        dd--;
      } else {
        out.push("|");
        write1(l, dd - 1, enc, out, nest);
        break;
      }
    }
    out.push("]");
  } else if (Array.isArray(t)) {
    out.push("{");
    write1(t[0]!, d - 1, enc, out, nest);
    let dd = d - 1;
    for (let i = 1; i < t.length; i++) {
      if (dd === 1) {
        out.push(",...");
        break;
      }
      out.push(",");
      write1(t[i]!, dd - 1, enc, out, nest);
      dd--;
    }
    out.push("}");
  } else writeMap(t as MapTerm, d, enc, out, nest);
}

function writeMap(m: MapTerm, d: number, enc: Enc, out: string[], nest: number): void {
  const order = mapIterationOrder(m);
  const d0 = d - 1;
  out.push("#{");
  let dd = d0;
  for (let n = 0; n < order.length; n++) {
    const k = order[n]!;
    if (n > 0) {
      if (dd === 1) {
        out.push(",...");
        break;
      }
      out.push(",");
      dd--;
    }
    write1(m.keys[k]!, d0, enc, out, nest);
    out.push(" => ");
    write1(m.values[k]!, d0, enc, out, nest);
  }
  out.push("}");
}

/** On the explicit stack: the rest `rest` of a list, with the depth `dd` left for it. */
class ListRest {
  constructor(
    readonly rest: Term,
    readonly dd: number,
  ) {}
}

/**
 * How many elements of a tuple (or pairs of a map) with `n` of them are
 * written at depth `d` before `,...` cuts the rest: element i >= 1 is reached
 * with depth d - i, and the cut comes where that is 1.
 */
function shownCount(n: number, d: number): number {
  return d > 0 && d - 1 < n ? d - 1 : n;
}

/**
 * {@link write1} with an explicit stack, for deep terms. `items` holds what
 * is still to be written, last first: terms (each with its depth at the same
 * index of `depths`), literal text (JS strings are never terms) and list rests.
 */
function writeDeep(root: Term, d0: number, enc: Enc, out: string[]): void {
  const items: (Term | string | ListRest)[] = [root];
  const depths: number[] = [d0];
  const pushTerm = (t: Term, d: number) => {
    items.push(t);
    depths.push(d);
  };
  const pushText = (s: string) => {
    items.push(s);
    depths.push(0);
  };
  for (;;) {
    const item = items.pop();
    if (item === undefined) return;
    let d = depths.pop()!;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    let t: Term;
    if (item instanceof ListRest) {
      const l = item.rest;
      const dd = item.dd;
      if (l === NIL) {
        out.push("]");
        continue;
      }
      if (dd === 1) {
        out.push("|...]");
        continue;
      }
      if (l instanceof Cons) {
        out.push(",");
        items.push(new ListRest(l.tail, dd - 1));
        depths.push(0);
        t = l.head;
      } else {
        out.push("|");
        pushText("]");
        t = l;
      }
      d = dd - 1;
    } else t = item;
    if (writeLeaf(t, d, enc, out)) continue;
    if (t instanceof Cons) {
      out.push("[");
      items.push(new ListRest(t.tail, d - 1));
      depths.push(0);
      pushTerm(t.head, d - 1);
    } else if (Array.isArray(t)) {
      out.push("{");
      pushText("}");
      const shown = shownCount(t.length, d);
      if (shown < t.length) pushText(",...");
      for (let i = shown - 1; i >= 1; i--) {
        pushTerm(t[i]!, d - 1 - i);
        pushText(",");
      }
      pushTerm(t[0]!, d - 1);
    } else {
      const m = t as MapTerm;
      const order = mapIterationOrder(m);
      out.push("#{");
      pushText("}");
      const shown = shownCount(order.length, d);
      if (shown < order.length) pushText(",...");
      for (let n = shown - 1; n >= 0; n--) {
        const k = order[n]!;
        pushTerm(m.values[k]!, d - 1);
        pushText(" => ");
        pushTerm(m.keys[k]!, d - 1);
        if (n > 0) pushText(",");
      }
    }
  }
}
