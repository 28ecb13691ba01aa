/** List helpers: building, walking and converting Erlang lists. */
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
 * Walks a deep list (lists nested in lists, as iolists and chardata are) in
 * order without recursion: `element` gets every element that is not itself
 * a list, `tail` (when given) every improper tail (a non-list where a list
 * should end, including `l` itself when it is not a list). A callback
 * returning `false` stops the walk, which then returns false.
 */
export function walkDeepList(
  l: Term,
  element: (e: Term) => boolean | undefined,
  tail?: (t: Term) => boolean | undefined,
): boolean {
  const rests: Term[] = [];
  let t = l;
  for (;;) {
    while (t instanceof Cons) {
      const h = t.head;
      if (h instanceof Cons) {
        rests.push(t.tail);
        t = h;
        continue;
      }
      if (h !== NIL && element(h) === false) return false;
      t = t.tail;
    }
    if (t !== NIL && tail !== undefined && tail(t) === false) return false;
    const next = rests.pop();
    if (next === undefined) return true;
    t = next;
  }
}
