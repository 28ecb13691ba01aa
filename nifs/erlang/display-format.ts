/**
 * The text `erlang:display/1` prints. The emulator has its own term printer,
 * close to `~w` but with floats as C's `%e`, maps without spaces around `=>`,
 * and printable lists and binaries shown as strings.
 */
import { Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { formatAtom, formatW } from "../../terms/format.ts";
import { MapTerm } from "../../terms/map.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { formatScientific } from "./float-format.ts";

/** Characters the emulator prints inside a string: printable latin-1 and newline. */
const printable = (c: number): boolean =>
  (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || c === 10;

function stringText(l: Term): string | null {
  let s = '"';
  while (l instanceof Cons) {
    const c = l.head;
    if (typeof c !== "number" || !printable(c)) return null;
    s += c === 10 ? "\\n" : c === 34 ? '\\"' : String.fromCharCode(c);
    l = l.tail;
  }
  return l === NIL ? `${s}"` : null;
}

function binaryText(b: BitString): string {
  const whole = b.size >>> 3;
  if ((b.size & 7) === 0 && whole > 0) {
    let s = "";
    for (let i = 0; i < whole; i++) {
      const c = b.byteAt(i);
      if (c < 32 || c > 126) return formatW(b);
      s += c === 34 ? '\\"' : String.fromCharCode(c);
    }
    return `<<"${s}">>`;
  }
  return formatW(b);
}

function write(t: Term, out: string[]): void {
  if (t instanceof Float) out.push(formatScientific(t.value, 6)!);
  else if (t instanceof Atom) out.push(formatAtom(t.name));
  else if (t instanceof BitString) out.push(binaryText(t));
  else if (t instanceof Cons) {
    const s = stringText(t);
    if (s !== null) {
      out.push(s);
      return;
    }
    out.push("[");
    let l: Term = t;
    let first = true;
    while (l instanceof Cons) {
      if (!first) out.push(",");
      write(l.head, out);
      first = false;
      l = l.tail;
    }
    if (l !== NIL) {
      out.push("|");
      write(l, out);
    }
    out.push("]");
  } else if (Array.isArray(t)) {
    out.push("{");
    for (let i = 0; i < t.length; i++) {
      if (i > 0) out.push(",");
      write(t[i]!, out);
    }
    out.push("}");
  } else if (t instanceof MapTerm) {
    out.push("#{");
    for (let i = 0; i < t.size; i++) {
      if (i > 0) out.push(",");
      write(t.keys[i]!, out);
      out.push("=>");
      write(t.values[i]!, out);
    }
    out.push("}");
  } else out.push(formatW(t));
}

/** `erlang:display/1`'s text for `t`, without the newline. */
export function displayText(t: Term): string {
  const out: string[] = [];
  write(t, out);
  return out.join("");
}
