/**
 * Small predicates and conversions over the terms a listing is made of, so
 * the assembler reads `{move,{x,0},{y,1}}` without casts everywhere.
 */
import { Atom, Cons, NIL, type Term } from "../../terms/index.ts";

/** `t` is a tuple whose first element is the atom `tag` (and of `size`, if given). */
export function isTagged(t: Term, tag: string, size?: number): t is Term[] {
  return (
    Array.isArray(t) &&
    t.length > 0 &&
    t[0] instanceof Atom &&
    t[0].name === tag &&
    (size === undefined || t.length === size)
  );
}

/** The elements of a proper list, or null. */
export function properList(t: Term): Term[] | null {
  const out: Term[] = [];
  let l = t;
  while (l instanceof Cons) {
    out.push(l.head);
    l = l.tail;
  }
  return l === NIL ? out : null;
}

/** A list of character codes as a string, or null. */
export function charList(t: Term): string | null {
  const items = properList(t);
  if (items === null || !items.every((c) => typeof c === "number" && c >= 0 && c <= 0x10ffff))
    return null;
  return String.fromCodePoint(...(items as number[]));
}

/** A non-negative integer that fits a JS number, or null. */
export function smallNat(t: Term): number | null {
  return typeof t === "number" && Number.isInteger(t) && t >= 0 ? t : null;
}

/** The atom's name, or null. */
export function atomName(t: Term): string | null {
  return t instanceof Atom ? t.name : null;
}
