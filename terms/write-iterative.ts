/**
 * One explicit-stack walker for one-line term printers (`~w` past its
 * recursion limit, `erlang:display/1`): lists, tuples and maps are taken
 * apart with a stack of what is still to come instead of JS recursion, so a
 * million-deep term prints without overflowing. The printers differ only in
 * their leaves (how floats, atoms, binaries, strings look), the map arrow and
 * the map entry order, which a {@link TermWriterStyle} gives.
 */
import { MapTerm } from "./map.ts";
import { Cons, NIL, type Term } from "./term.ts";

/** What distinguishes one one-line printer from another. */
export interface TermWriterStyle {
  /**
   * The whole text of `t` when it is written in one piece (numbers, atoms,
   * binaries, a list shown as a string...), or null to take it apart (a
   * list, tuple or map).
   */
  leaf(t: Term): string | null;
  /** Written between a map entry's key and value. */
  readonly mapArrow: string;
  /** The order a map's entries are written in, as indexes into its keys/values. */
  mapOrder(m: MapTerm): ArrayLike<number>;
}

/** On the writer's stack: the rest of a list whose earlier elements are written. */
class ListRest {
  constructor(readonly rest: Term) {}
}

/**
 * Appends the one-line text of `root` to `out`. The stack holds what is
 * still to be written, last first: terms, literal text (JS strings, which
 * are never terms) and list rests.
 * @throws TypeError on a value that is not a term
 */
export function writeIteratively(root: Term, style: TermWriterStyle, out: string[]): void {
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
      const rest = item.rest;
      if (rest === NIL) {
        out.push("]");
        continue;
      }
      if (rest instanceof Cons) {
        out.push(",");
        stack.push(new ListRest(rest.tail));
        t = rest.head;
      } else {
        out.push("|");
        stack.push("]");
        t = rest;
      }
    } else t = item;
    const leaf = style.leaf(t);
    if (leaf !== null) out.push(leaf);
    else if (t instanceof Cons) {
      out.push("[");
      stack.push(new ListRest(t.tail), t.head);
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
      const order = style.mapOrder(t);
      for (let i = order.length - 1; i >= 0; i--) {
        stack.push(t.values[order[i]!]!, style.mapArrow, t.keys[order[i]!]!);
        if (i > 0) stack.push(",");
      }
    } else {
      throw new TypeError(`not a term: ${String(t)}`);
    }
  }
}
