/** List helpers: building, walking and converting Erlang lists. */
import { BitString } from "./binary.ts";
import { Cons, NIL, type Nil, type Term } from "./term.ts";

export function listFromArray(items: readonly Term[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = items.length - 1; i >= 0; i--) l = new Cons(items[i]!, l);
  return l;
}

/** Elements of a proper list, or null if `l` is not a proper list. */
export function listToArray(l: Term): Term[] | null {
  const out: Term[] = [];
  while (l instanceof Cons) {
    out.push(l.head);
    l = l.tail;
  }
  return l === NIL ? out : null;
}

/** Length of a proper list, or -1 if improper. */
export function listLength(l: Term): number {
  let n = 0;
  while (l instanceof Cons) {
    n++;
    l = l.tail;
  }
  return l === NIL ? n : -1;
}

export function isProperList(l: Term): l is Cons | Nil {
  return listLength(l) >= 0;
}

/** An Erlang string (list of code points) from JS text. */
export function stringToList(text: string): Term {
  let l: Term = NIL;
  const cps = Array.from(text);
  for (let i = cps.length - 1; i >= 0; i--) l = new Cons(cps[i]!.codePointAt(0)!, l);
  return l;
}

/** JS text from a list of code points, or null if it is not one. */
export function listToString(l: Term): string | null {
  let s = "";
  while (l instanceof Cons) {
    const c = l.head;
    if (typeof c !== "number" || c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      return null;
    }
    s += String.fromCodePoint(c);
    l = l.tail;
  }
  return l === NIL ? s : null;
}

/** Byte list from a Uint8Array. */
export function bytesToList(bytes: Uint8Array): Term {
  let l: Term = NIL;
  for (let i = bytes.length - 1; i >= 0; i--) l = new Cons(bytes[i]!, l);
  return l;
}

/**
 * Flattens an iolist (bytes 0..255, binaries, nested lists, binary tail) into bytes.
 * Returns null if `t` is not an iolist.
 */
export function iolistToBytes(t: Term): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let pendingBytes: number[] = [];
  const flush = () => {
    if (pendingBytes.length) {
      chunks.push(Uint8Array.from(pendingBytes));
      size += pendingBytes.length;
      pendingBytes = [];
    }
  };
  const stack: Term[] = [t];
  while (stack.length) {
    let x = stack.pop()!;
    if (x instanceof BitString) {
      if (!x.isBinary) return null;
      flush();
      const b = x.bytes();
      chunks.push(b);
      size += b.length;
      continue;
    }
    if (!(x instanceof Cons) && x !== NIL) return null;
    while (x instanceof Cons) {
      const h = x.head;
      if (typeof h === "number") {
        if (h < 0 || h > 255) return null;
        pendingBytes.push(h);
      } else if (h instanceof BitString || h instanceof Cons || h === NIL) {
        // Handle the rest of this list after the nested element.
        stack.push(x.tail);
        stack.push(h);
        x = NIL;
        break;
      } else return null;
      x = x.tail;
    }
    if (x !== NIL) {
      if (x instanceof BitString) stack.push(x);
      else return null;
    }
  }
  flush();
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
