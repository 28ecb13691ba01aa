/**
 * Erlang's standard term order and its two equalities.
 *
 *   number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring
 *
 * `compare` is the arithmetic order used by `<`, `==` and `lists:sort`
 * (1 == 1.0). `compareExact` is OTP's *map key order*: the same, except that
 * every integer sorts before every float, at any depth (`2 < 1.0`,
 * `{2} < {1.0}`). It orders map keys and flatmap iteration, and is the basis
 * of `=:=`.
 */
import { Atom } from "./atom.ts";
import { BitString, bitsEqual, compareBits } from "./binary.ts";
import { Cons, ExportFun, Float, Fun, MapStorage, NIL, Pid, Port, Ref, type Term } from "./term.ts";

/** Rank of a term's type in the standard order. */
export function typeRank(t: Term): number {
  switch (typeof t) {
    case "number":
    case "bigint":
      return 0;
  }
  if (t instanceof Atom) return 1;
  if (t instanceof Cons) return 9;
  if (Array.isArray(t)) return 6;
  if (t instanceof BitString) return 10;
  if (t instanceof Float) return 0;
  if (t instanceof MapStorage) return 7;
  if (t === NIL) return 8;
  if (t instanceof Ref) return 2;
  if (t instanceof Fun || t instanceof ExportFun) return 3;
  if (t instanceof Port) return 4;
  if (t instanceof Pid) return 5;
  throw new TypeError(`not a term: ${String(t)}`);
}

/** Compares an integer with a float exactly (no rounding of big integers). */
function compareIntFloat(i: number | bigint, f: number): number {
  if (typeof i === "number") return i < f ? -1 : i > f ? 1 : 0;
  if (Number.isInteger(f)) {
    const fb = BigInt(f);
    return i < fb ? -1 : i > fb ? 1 : 0;
  }
  const fl = BigInt(Math.floor(f));
  return i <= fl ? -1 : 1;
}

function compareNumbers(a: Term, b: Term, exact: boolean): number {
  const af = a instanceof Float;
  const bf = b instanceof Float;
  if (!af && !bf) {
    const x = a as number | bigint;
    const y = b as number | bigint;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (af && bf) {
    const x = (a as Float).value;
    const y = (b as Float).value;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // Map key order puts all integers before all floats, whatever their values.
  if (exact) return af ? 1 : -1;
  if (af) return -compareIntFloat(b as number | bigint, (a as Float).value);
  return compareIntFloat(a as number | bigint, (b as Float).value);
}

function compareAtoms(a: Atom, b: Atom): number {
  if (a === b) return 0;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Nesting the recursive walk may reach before handing the rest of a subterm to
 * the explicit-stack walk ({@link cmpDeep}). Shallow terms (nearly all) keep
 * the cheaper recursive path; a million-deep term cannot overflow the JS stack.
 */
const RECURSION_LIMIT = 500;

/** Compares two atomic terms of the same rank, or returns NaN when they are compound. */
function cmpSameRankLeaf(a: Term, b: Term, rank: number, exact: boolean): number {
  switch (rank) {
    case 0:
      return compareNumbers(a, b, exact);
    case 1:
      return compareAtoms(a as Atom, b as Atom);
    case 2: {
      const x = (a as Ref).id;
      const y = (b as Ref).id;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4: {
      const x = (a as Port).id;
      const y = (b as Port).id;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 5: {
      const x = a as Pid;
      const y = b as Pid;
      if (x.id !== y.id) return x.id < y.id ? -1 : 1;
      return x.serial < y.serial ? -1 : x.serial > y.serial ? 1 : 0;
    }
    case 8:
      return 0;
    case 10:
      return compareBits(a as BitString, b as BitString);
    default:
      return Number.NaN;
  }
}

function cmp(a: Term, b: Term, exact: boolean, depth: number): number {
  if (depth > RECURSION_LIMIT) return cmpDeep(a, b, exact);
  depth++;
  for (;;) {
    if (a === b) return 0;
    const ra = typeRank(a);
    const rb = typeRank(b);
    if (ra !== rb) return ra < rb ? -1 : 1;
    switch (ra) {
      case 0:
        return compareNumbers(a, b, exact);
      case 1:
        return compareAtoms(a as Atom, b as Atom);
      case 3:
        return compareFuns(a as Fun | ExportFun, b as Fun | ExportFun, exact, depth);
      case 6: {
        const x = a as Term[];
        const y = b as Term[];
        if (x.length !== y.length) return x.length < y.length ? -1 : 1;
        const n = x.length;
        if (n === 0) return 0;
        for (let i = 0; i < n - 1; i++) {
          const c = cmp(x[i]!, y[i]!, exact, depth);
          if (c !== 0) return c;
        }
        a = x[n - 1]!;
        b = y[n - 1]!;
        continue;
      }
      case 7:
        return compareMaps(a as MapStorage, b as MapStorage, exact, depth);
      case 9: {
        const x = a as Cons;
        const y = b as Cons;
        const c = cmp(x.head, y.head, exact, depth);
        if (c !== 0) return c;
        a = x.tail;
        b = y.tail;
        continue;
      }
      default:
        return cmpSameRankLeaf(a, b, ra, exact);
    }
  }
}

function compareMaps(a: MapStorage, b: MapStorage, exact: boolean, depth: number): number {
  if (a.size !== b.size) return a.size < b.size ? -1 : 1;
  // Keys are compared exactly and in key order, then values in that order.
  for (let i = 0; i < a.size; i++) {
    const c = cmp(a.keys[i]!, b.keys[i]!, true, depth);
    if (c !== 0) return c;
  }
  for (let i = 0; i < a.size; i++) {
    const c = cmp(a.values[i]!, b.values[i]!, exact, depth);
    if (c !== 0) return c;
  }
  return 0;
}

/** The fields of two funs before their environments; 0 when those decide nothing. */
function compareFunHeads(a: Fun | ExportFun, b: Fun | ExportFun): number {
  // Export funs sort after local funs in modern OTP.
  if (a instanceof ExportFun || b instanceof ExportFun) {
    if (!(a instanceof ExportFun)) return -1;
    if (!(b instanceof ExportFun)) return 1;
    return (
      compareAtoms(a.module, b.module) ||
      compareAtoms(a.name, b.name) ||
      (a.arity < b.arity ? -1 : a.arity > b.arity ? 1 : 0)
    );
  }
  const fa = a as Fun;
  const fb = b as Fun;
  const m = compareAtoms(fa.module, fb.module);
  if (m !== 0) return m;
  if (fa.index !== fb.index) return fa.index < fb.index ? -1 : 1;
  if (fa.uniq !== fb.uniq) return fa.uniq < fb.uniq ? -1 : 1;
  if (fa.env.length !== fb.env.length) return fa.env.length < fb.env.length ? -1 : 1;
  return 0;
}

function compareFuns(
  a: Fun | ExportFun,
  b: Fun | ExportFun,
  exact: boolean,
  depth: number,
): number {
  const h = compareFunHeads(a, b);
  if (h !== 0 || a instanceof ExportFun) return h;
  const ea = a.env;
  const eb = (b as Fun).env;
  for (let i = 0; i < ea.length; i++) {
    const c = cmp(ea[i]!, eb[i]!, exact, depth);
    if (c !== 0) return c;
  }
  return 0;
}

/** Stack marker under a map's keys: the walk is back to arithmetic order once they are done. */
const END_OF_KEYS = new (class EndOfKeys {})() as unknown as Term;

/**
 * The same order as {@link cmp}, walking with an explicit stack of pending
 * pairs (`a` and `b` pushed side by side). A compound pair is checked (type,
 * size, fun head) when reached, pushes its later children in reverse and goes
 * on with its first, so pairs are decided in exactly the order the recursive
 * walk visits them and the first difference wins. Map keys are compared
 * exactly whatever the mode: {@link END_OF_KEYS} under them restores it.
 */
function cmpDeep(a: Term, b: Term, exact0: boolean): number {
  const st: Term[] = [];
  let exact = exact0;
  for (;;) {
    // Decide the pair (a, b), or descend into its first children.
    if (a !== b) {
      const ra = typeRank(a);
      const rb = typeRank(b);
      if (ra !== rb) return ra < rb ? -1 : 1;
      if (ra === 9) {
        const x = a as Cons;
        const y = b as Cons;
        st.push(x.tail, y.tail);
        a = x.head;
        b = y.head;
        continue;
      }
      if (ra === 6) {
        const x = a as Term[];
        const y = b as Term[];
        if (x.length !== y.length) return x.length < y.length ? -1 : 1;
        if (x.length > 0) {
          for (let i = x.length - 1; i > 0; i--) st.push(x[i]!, y[i]!);
          a = x[0]!;
          b = y[0]!;
          continue;
        }
      } else if (ra === 7) {
        const x = a as MapStorage;
        const y = b as MapStorage;
        if (x.size !== y.size) return x.size < y.size ? -1 : 1;
        for (let i = x.size - 1; i >= 0; i--) st.push(x.values[i]!, y.values[i]!);
        if (!exact) {
          st.push(END_OF_KEYS, END_OF_KEYS);
          exact = true;
        }
        for (let i = x.size - 1; i >= 0; i--) st.push(x.keys[i]!, y.keys[i]!);
      } else if (ra === 3) {
        const h = compareFunHeads(a as Fun | ExportFun, b as Fun | ExportFun);
        if (h !== 0) return h;
        if (a instanceof Fun) {
          const ea = a.env;
          const eb = (b as Fun).env;
          for (let i = ea.length - 1; i >= 0; i--) st.push(ea[i]!, eb[i]!);
        }
      } else {
        const c = cmpSameRankLeaf(a, b, ra, exact);
        if (c !== 0) return c;
      }
    }
    // Take the next pending pair.
    for (;;) {
      if (st.length === 0) return 0;
      b = st.pop()!;
      a = st.pop()!;
      if (a !== END_OF_KEYS) break;
      exact = false;
    }
  }
}

/** Standard (arithmetic) order: -1, 0 or 1. `1` and `1.0` compare equal. */
export function compare(a: Term, b: Term): number {
  return cmp(a, b, false, 0);
}

/** Map key order: like {@link compare} but every integer sorts before every float. */
export function compareExact(a: Term, b: Term): number {
  return cmp(a, b, true, 0);
}

/** `=:=` */
export function exactEq(a: Term, b: Term): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === "number" || ta === "bigint" || typeof b === "number" || typeof b === "bigint") {
    return false;
  }
  if (a instanceof Atom || b instanceof Atom) return false;
  if (a instanceof Float) return b instanceof Float && a.value === b.value;
  if (a instanceof BitString) return b instanceof BitString && bitsEqual(a, b);
  return cmp(a, b, true, 0) === 0;
}

/** `==` */
export function eq(a: Term, b: Term): boolean {
  if (a === b) return true;
  return cmp(a, b, false, 0) === 0;
}
