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
import { type TermWriterStyle, writeIteratively } from "../../terms/write-iterative.ts";
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

/** The emulator printer's leaves; maps in their stored order, `=>` without spaces. */
const DISPLAY_STYLE: TermWriterStyle = {
  leaf(t) {
    if (t instanceof Float) return formatScientific(t.value, 6)!;
    if (t instanceof Atom) return formatAtom(t.name);
    if (t instanceof BitString) return binaryText(t);
    if (t instanceof Cons) return stringText(t);
    if (Array.isArray(t) || t instanceof MapTerm) return null;
    return formatW(t);
  },
  mapArrow: "=>",
  mapOrder: (m) => Array.from({ length: m.size }, (_, i) => i),
};

/** `erlang:display/1`'s text for `t`, without the newline. */
export function displayText(t: Term): string {
  // erlang:display is for debugging, not a hot path: no recursive fast path.
  const out: string[] = [];
  writeIteratively(t, DISPLAY_STYLE, out);
  return out.join("");
}
