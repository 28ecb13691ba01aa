/**
 * ETS table storage. `set`/`bag`/`duplicate_bag` tables hash keys with exact
 * equality (`=:=`) and iterate in insertion order (OTP iterates hash order:
 * unspecified either way); `ordered_set` keeps objects sorted by key in term
 * order, with keys equal under `==` (so `1` and `1.0` are the same key).
 * Tables live per VM (see ets.ts); ownership, access rights and heirs are
 * not enforced.
 */
import { compare, exactEq } from "../../terms/compare.ts";
import type { Term } from "../../terms/term.ts";
import { termKey } from "./term-key.ts";

export type TableType = "set" | "ordered_set" | "bag" | "duplicate_bag";

export class Table {
  /** Hashed tables: key string -> objects with that key. */
  private readonly hashed = new Map<string, Term[][]>();
  /** ordered_set: objects sorted by key. */
  private readonly sorted: Term[][] = [];

  constructor(
    readonly id: Term,
    public name: Term,
    readonly type: TableType,
    readonly keypos: number,
    readonly named: boolean,
    readonly owner: Term,
  ) {}

  keyOf(obj: Term[]): Term {
    return obj[this.keypos - 1]!;
  }

  get size(): number {
    if (this.type === "ordered_set") return this.sorted.length;
    let n = 0;
    for (const objs of this.hashed.values()) n += objs.length;
    return n;
  }

  /** Index of the object with key `k` in `sorted`, or -(insertion point) - 1. */
  private find(k: Term): number {
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(this.keyOf(this.sorted[mid]!), k);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  lookup(k: Term): Term[][] {
    if (this.type === "ordered_set") {
      const i = this.find(k);
      return i >= 0 ? [this.sorted[i]!] : [];
    }
    return this.hashed.get(termKey(k)) ?? [];
  }

  has(k: Term): boolean {
    return this.lookup(k).length > 0;
  }

  insert(obj: Term[]): void {
    const k = this.keyOf(obj);
    if (this.type === "ordered_set") {
      const i = this.find(k);
      if (i >= 0) this.sorted[i] = obj;
      else this.sorted.splice(-i - 1, 0, obj);
      return;
    }
    const hk = termKey(k);
    const objs = this.hashed.get(hk);
    if (this.type === "set" || objs === undefined) {
      this.hashed.set(hk, [obj]);
      return;
    }
    // bag: identical objects are stored once; duplicate_bag keeps them all.
    if (this.type === "bag" && objs.some((o) => exactEq(o, obj))) return;
    objs.push(obj);
  }

  deleteKey(k: Term): Term[][] {
    if (this.type === "ordered_set") {
      const i = this.find(k);
      return i >= 0 ? this.sorted.splice(i, 1) : [];
    }
    const hk = termKey(k);
    const objs = this.hashed.get(hk) ?? [];
    this.hashed.delete(hk);
    return objs;
  }

  deleteObject(obj: Term[]): void {
    const k = this.keyOf(obj);
    if (this.type === "ordered_set") {
      const i = this.find(k);
      if (i >= 0 && exactEq(this.sorted[i]!, obj)) this.sorted.splice(i, 1);
      return;
    }
    const hk = termKey(k);
    const objs = this.hashed.get(hk);
    if (objs === undefined) return;
    const left = objs.filter((o) => !exactEq(o, obj));
    if (left.length) this.hashed.set(hk, left);
    else this.hashed.delete(hk);
  }

  clear(): void {
    this.hashed.clear();
    this.sorted.length = 0;
  }

  /** Every object, in iteration order. */
  all(): Term[][] {
    if (this.type === "ordered_set") return this.sorted.slice();
    const out: Term[][] = [];
    for (const objs of this.hashed.values()) out.push(...objs);
    return out;
  }

  /** Keys in iteration order (each once). */
  keys(): Term[] {
    if (this.type === "ordered_set") return this.sorted.map((o) => this.keyOf(o));
    return [...this.hashed.values()].map((objs) => this.keyOf(objs[0]!));
  }
}
