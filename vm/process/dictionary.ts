/**
 * The process dictionary. Atom and small-integer keys (nearly all real use)
 * are found by identity in a JS Map; other keys fall back to exact equality.
 * Both tables are created on first use: most processes never touch theirs.
 */
import { Atom } from "../../terms/atom.ts";
import { exactEq } from "../../terms/compare.ts";
import type { Term } from "../../terms/term.ts";

const byIdentity = (k: Term): boolean => k instanceof Atom || typeof k === "number";

export class ProcessDictionary {
  private fast: Map<Term, Term> | null = null;
  private slow: [Term, Term][] | null = null;

  get(key: Term): Term | undefined {
    if (byIdentity(key)) return this.fast?.get(key);
    if (this.slow !== null) for (const [k, v] of this.slow) if (exactEq(k, key)) return v;
    return undefined;
  }

  /** Sets `key`; returns the previous value or undefined. */
  put(key: Term, value: Term): Term | undefined {
    if (byIdentity(key)) {
      const fast = (this.fast ??= new Map());
      const old = fast.get(key);
      fast.set(key, value);
      return old;
    }
    const slow = (this.slow ??= []);
    for (const e of slow) {
      if (exactEq(e[0], key)) {
        const old = e[1];
        e[1] = value;
        return old;
      }
    }
    slow.push([key, value]);
    return undefined;
  }

  erase(key: Term): Term | undefined {
    if (byIdentity(key)) {
      const fast = this.fast;
      if (fast === null) return undefined;
      const old = fast.get(key);
      fast.delete(key);
      return old;
    }
    const slow = this.slow;
    if (slow === null) return undefined;
    const i = slow.findIndex((e) => exactEq(e[0], key));
    if (i < 0) return undefined;
    const old = slow[i]![1];
    slow.splice(i, 1);
    return old;
  }

  entries(): [Term, Term][] {
    const fast: [Term, Term][] = this.fast === null ? [] : [...this.fast.entries()];
    if (this.slow !== null) for (const e of this.slow) fast.push([e[0], e[1]]);
    return fast;
  }

  clear(): [Term, Term][] {
    const all = this.entries();
    this.fast = null;
    this.slow = null;
    return all;
  }
}
