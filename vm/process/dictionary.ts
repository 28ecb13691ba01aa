/**
 * The process dictionary. Atom and small-integer keys (nearly all real use)
 * are found by identity in a JS Map; other keys fall back to exact equality.
 */
import { Atom } from "../../terms/atom.ts";
import { exactEq } from "../../terms/compare.ts";
import type { Term } from "../../terms/term.ts";

const byIdentity = (k: Term): boolean => k instanceof Atom || typeof k === "number";

export class ProcessDictionary {
  private fast = new Map<Term, Term>();
  private slow: [Term, Term][] = [];

  get(key: Term): Term | undefined {
    if (byIdentity(key)) return this.fast.get(key);
    for (const [k, v] of this.slow) if (exactEq(k, key)) return v;
    return undefined;
  }

  /** Sets `key`; returns the previous value or undefined. */
  put(key: Term, value: Term): Term | undefined {
    if (byIdentity(key)) {
      const old = this.fast.get(key);
      this.fast.set(key, value);
      return old;
    }
    for (const e of this.slow) {
      if (exactEq(e[0], key)) {
        const old = e[1];
        e[1] = value;
        return old;
      }
    }
    this.slow.push([key, value]);
    return undefined;
  }

  erase(key: Term): Term | undefined {
    if (byIdentity(key)) {
      const old = this.fast.get(key);
      this.fast.delete(key);
      return old;
    }
    const i = this.slow.findIndex((e) => exactEq(e[0], key));
    if (i < 0) return undefined;
    const old = this.slow[i]![1];
    this.slow.splice(i, 1);
    return old;
  }

  entries(): [Term, Term][] {
    return [...this.fast.entries(), ...this.slow.map((e) => [e[0], e[1]] as [Term, Term])];
  }

  clear(): [Term, Term][] {
    const all = this.entries();
    this.fast.clear();
    this.slow = [];
    return all;
  }
}
