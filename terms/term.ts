/**
 * The term model. Representation choices, chosen for speed on JavaScriptCore:
 *
 * - small integers are JS `number`s (always safe integers); integers outside
 *   ±(2^53-1) are `bigint`. The invariant "a bigint is never in safe range" keeps
 *   equality a single `===` for integers of either kind.
 * - floats are boxed in {@link Float} so that `1` and `1.0` stay distinct.
 * - tuples are plain JS arrays (one allocation, indexed access).
 * - lists are {@link Cons} cells ending in the {@link NIL} singleton.
 * - binaries and bitstrings are {@link BitString} (see binary.ts).
 * - maps are {@link MapTerm} (see map.ts).
 */
import { Atom } from "./atom.ts";
import type { BitString } from "./binary.ts";
import type { MapTerm } from "./map.ts";

export type Term =
  | number
  | bigint
  | Float
  | Atom
  | Nil
  | Cons
  | Tuple
  | BitString
  | MapTerm
  | Pid
  | Ref
  | Port
  | Fun
  | ExportFun;

export type Tuple = Term[];
export type Int = number | bigint;

/**
 * The storage of a map: keys sorted in map key order, values beside them.
 * {@link MapTerm} (map.ts) adds the operations; the term order (compare.ts)
 * needs only this shape, which keeps compare.ts and map.ts from importing
 * each other.
 */
export class MapStorage {
  /** @internal keys must be sorted by compareExact and unique. */
  constructor(
    readonly keys: Term[],
    readonly values: Term[],
  ) {}

  get size(): number {
    return this.keys.length;
  }
}

/** A boxed IEEE double. Erlang floats are always finite. */
export class Float {
  constructor(readonly value: number) {}
}

/** The empty list. A class of its own so `instanceof` tests stay uniform. */
export class Nil {
  toString(): string {
    return "[]";
  }
}
export const NIL: Nil = new Nil();

/** A list cell. Mutable only while the VM builds a list (fields are written once). */
export class Cons {
  constructor(
    public head: Term,
    public tail: Term,
  ) {}
}

/** A local process identifier. `node` is kept for external pids read from ETF. */
export class Pid {
  constructor(
    readonly id: number,
    readonly serial = 0,
    readonly node: Atom | null = null,
    readonly creation = 0,
  ) {}
}

/** A reference; ids are unique per VM. External refs keep their ETF words. */
export class Ref {
  constructor(
    readonly id: bigint,
    readonly node: Atom | null = null,
    readonly words: readonly number[] = [],
    readonly creation = 0,
  ) {}
}

export class Port {
  constructor(
    readonly id: bigint,
    readonly node: Atom | null = null,
    readonly creation = 0,
  ) {}
}

/**
 * A local fun: code `index` in module `module`'s FunT table, with captured
 * environment. `code` is filled in by the VM when the defining module is loaded
 * so that calling a fun needs no table lookup.
 *
 * `arity` is the arity callers see (free variables excluded); `uniq` is the
 * FunT entry's 32-bit uniq (OTP's `OldUniq`, printed in `#Fun<M.Index.Uniq>`
 * and mixed into `phash2`). Funs decoded from ETF have `name` `undefined`.
 */
export class Fun {
  /** Resolved entry, attached by the VM; opaque here. */
  code: unknown = null;
  constructor(
    readonly module: Atom,
    readonly name: Atom,
    readonly arity: number,
    readonly index: number,
    readonly uniq: number,
    readonly env: Term[],
    readonly oldUniq = 0,
    readonly pid: Pid | null = null,
    /** The defining module's 16-byte MD5 (NEW_FUN_EXT `Uniq`), when known. */
    readonly md5: Uint8Array | null = null,
  ) {}
}

/** `fun M:F/A`. */
export class ExportFun {
  constructor(
    readonly module: Atom,
    readonly name: Atom,
    readonly arity: number,
  ) {}
}

export const isAtom = (t: Term): t is Atom => t instanceof Atom;
export const isTuple = (t: Term): t is Tuple => Array.isArray(t);
export const isInteger = (t: Term): t is Int => typeof t === "number" || typeof t === "bigint";
export const isFloat = (t: Term): t is Float => t instanceof Float;
export const isNumber = (t: Term): boolean =>
  typeof t === "number" || typeof t === "bigint" || t instanceof Float;
export const isList = (t: Term): t is Cons | Nil => t instanceof Cons || t === NIL;
export const isFunction = (t: Term): t is Fun | ExportFun =>
  t instanceof Fun || t instanceof ExportFun;

/** Builds a tuple. Tuples are arrays; this documents intent at call sites. */
export function tuple(...elements: Term[]): Tuple {
  return elements;
}
