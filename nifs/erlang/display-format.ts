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

/** On the writer's stack: the rest of a list whose earlier elements are written. */
class ListRest {
  constructor(readonly rest: Term) {}
}

/**
 * Writes `root` with an explicit stack of what is still to come (terms,
 * literal text and list rests; JS strings are never terms), so deep terms
 * print without JS recursion. erlang:display is for debugging, not a hot
 * path, so there is no recursive fast path.
 */
function write(root: Term, out: string[]): void {
  const stack: (Term | string | ListRest)[] = [root];
  for (;;) {
    const item = stack.pop();
    if (item === undefined) return;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    let t: Term;
    if (item instanceof ListRest) {
      const l = item.rest;
      if (l === NIL) {
        out.push("]");
        continue;
      }
      if (l instanceof Cons) {
        out.push(",");
        stack.push(new ListRest(l.tail));
        t = l.head;
      } else {
        out.push("|");
        stack.push("]");
        t = l;
      }
    } else t = item;
    if (t instanceof Float) out.push(formatScientific(t.value, 6)!);
    else if (t instanceof Atom) out.push(formatAtom(t.name));
    else if (t instanceof BitString) out.push(binaryText(t));
    else if (t instanceof Cons) {
      const s = stringText(t);
      if (s !== null) out.push(s);
      else {
        out.push("[");
        stack.push(new ListRest(t.tail), t.head);
      }
    } else if (Array.isArray(t)) {
      out.push("{");
      stack.push("}");
      for (let i = t.length - 1; i >= 0; i--) {
        stack.push(t[i]!);
        if (i > 0) stack.push(",");
      }
    } else if (t instanceof MapTerm) {
      out.push("#{");
      stack.push("}");
      for (let i = t.size - 1; i >= 0; i--) {
        stack.push(t.values[i]!, "=>", t.keys[i]!);
        if (i > 0) stack.push(",");
      }
    } else out.push(formatW(t));
  }
}

/** `erlang:display/1`'s text for `t`, without the newline. */
export function displayText(t: Term): string {
  const out: string[] = [];
  write(t, out);
  return out.join("");
}
