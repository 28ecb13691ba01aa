/**
 * ETS match patterns and match specifications (the subset real code uses):
 * patterns with `'_'` and `'$N'` variables over tuples, lists and maps, and
 * specs `[{Head, Guards, Body}]` whose guards and bodies may use `'$_'`,
 * `'$$'`, `'$N'`, `{const, X}`, `{{...}}` tuple construction, comparisons,
 * boolean operators, type tests, arithmetic and a few BIFs (element,
 * hd, tl, length, size, tuple_size, map_get, is_map_key, abs).
 */
import { A, Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { compare, exactEq } from "../../terms/compare.ts";
import { intMul, intSub } from "../../terms/integer.ts";
import { MapTerm } from "../../terms/map.ts";
import { Cons, Float, NIL, Pid, type Term } from "../../terms/term.ts";
import { addNumbers } from "./numbers.ts";
import { at, badarg, listArg } from "./util.ts";

export type Bindings = Map<number, Term>;

/** The variable number of `'$N'`, or -1. */
function varNum(t: Term): number {
  if (!(t instanceof Atom) || t.name.length < 2 || t.name[0] !== "$") return -1;
  const n = Number(t.name.slice(1));
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

/**
 * Matches `obj` against pattern `pat`, extending `b`. Pairs still to match
 * wait on an explicit stack (later siblings pushed, the first followed at
 * once), so parts are matched in the recursive order, variables bind at their
 * first occurrence, and deep or long patterns cost no JS stack.
 */
export function matchPattern(pat: Term, obj: Term, b: Bindings): boolean {
  const pats: Term[] = [];
  const objs: Term[] = [];
  for (;;) {
    if (pat instanceof Atom) {
      if (pat.name !== "_") {
        const n = varNum(pat);
        if (n >= 0) {
          const bound = b.get(n);
          if (bound === undefined) b.set(n, obj);
          else if (!exactEq(bound, obj)) return false;
        } else if (pat !== obj) return false;
      }
    } else if (Array.isArray(pat)) {
      if (!Array.isArray(obj) || obj.length !== pat.length) return false;
      if (pat.length > 0) {
        for (let i = pat.length - 1; i > 0; i--) {
          pats.push(pat[i]!);
          objs.push(obj[i]!);
        }
        pat = pat[0]!;
        obj = obj[0]!;
        continue;
      }
    } else if (pat instanceof Cons) {
      if (!(obj instanceof Cons)) return false;
      pats.push(pat.tail);
      objs.push(obj.tail);
      pat = pat.head;
      obj = obj.head;
      continue;
    } else if (pat instanceof MapTerm) {
      if (!(obj instanceof MapTerm)) return false;
      for (let i = pat.size - 1; i >= 0; i--) {
        const v = obj.get(pat.keys[i]!);
        if (v === undefined) return false;
        pats.push(pat.values[i]!);
        objs.push(v);
      }
    } else if (!exactEq(pat, obj)) return false;
    const next = pats.pop();
    if (next === undefined) return true;
    pat = next;
    obj = objs.pop()!;
  }
}

/** The bindings as the list `match/2` returns (variables in number order). */
export function bindingList(b: Bindings): Term[] {
  return [...b.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
}

class GuardFail extends Error {}

const num = (t: Term): boolean =>
  typeof t === "number" || typeof t === "bigint" || t instanceof Float;
const bool = (x: boolean): Term => (x ? A.true : A.false);

const TYPE_TESTS: Record<string, (t: Term) => boolean> = {
  is_atom: (t) => t instanceof Atom,
  is_integer: (t) => typeof t === "number" || typeof t === "bigint",
  is_float: (t) => t instanceof Float,
  is_number: num,
  is_binary: (t) => t instanceof BitString && t.isBinary,
  is_list: (t) => t instanceof Cons || t === NIL,
  is_tuple: (t) => Array.isArray(t),
  is_map: (t) => t instanceof MapTerm,
  is_pid: (t) => t instanceof Pid,
  is_boolean: (t) => t === A.true || t === A.false,
};

function arith(op: string, a: Term, b: Term): Term {
  const ints =
    (typeof a === "number" || typeof a === "bigint") &&
    (typeof b === "number" || typeof b === "bigint");
  switch (op) {
    case "+":
      return addNumbers(a, b);
    case "-":
      if (ints) return intSub(a, b);
      return addNumbers(
        a,
        b instanceof Float ? new Float(-b.value) : typeof b === "number" ? -b : badarg(),
      );
    case "*":
      if (ints) return intMul(a, b);
      throw new GuardFail();
  }
  throw new GuardFail();
}

/** Evaluates a guard or body expression under bindings `b` with whole object `obj`. */
export function evalExpr(e: Term, b: Bindings, obj: Term): Term {
  if (e instanceof Atom) {
    if (e.name === "$_") return obj;
    if (e.name === "$$") return listFrom(bindingList(b));
    const n = varNum(e);
    if (n >= 0) {
      const v = b.get(n);
      if (v === undefined) throw new GuardFail();
      return v;
    }
    return e;
  }
  if (Array.isArray(e)) {
    if (e.length === 1 && Array.isArray(e[0]))
      return (e[0] as Term[]).map((x) => evalExpr(x, b, obj));
    if (e.length === 2 && e[0] === at("const")) return e[1]!;
    const [op, ...args] = e;
    if (!(op instanceof Atom)) throw new GuardFail();
    return call(op.name, args, b, obj);
  }
  if (e instanceof Cons) return new Cons(evalExpr(e.head, b, obj), evalExpr(e.tail, b, obj));
  return e;
}

function call(op: string, args: Term[], b: Bindings, obj: Term): Term {
  if (op === "andalso") return bool(args.every((a) => evalExpr(a, b, obj) === A.true));
  if (op === "orelse") return bool(args.some((a) => evalExpr(a, b, obj) === A.true));
  const v = args.map((a) => evalExpr(a, b, obj));
  const test = TYPE_TESTS[op];
  if (test !== undefined && v.length === 1) return bool(test(v[0]!));
  switch (op) {
    case "==":
      return bool(compare(v[0]!, v[1]!) === 0);
    case "/=":
      return bool(compare(v[0]!, v[1]!) !== 0);
    case "=:=":
      return bool(exactEq(v[0]!, v[1]!));
    case "=/=":
      return bool(!exactEq(v[0]!, v[1]!));
    case "<":
      return bool(compare(v[0]!, v[1]!) < 0);
    case ">":
      return bool(compare(v[0]!, v[1]!) > 0);
    case "=<":
      return bool(compare(v[0]!, v[1]!) <= 0);
    case ">=":
      return bool(compare(v[0]!, v[1]!) >= 0);
    case "and":
      return bool(v[0] === A.true && v[1] === A.true);
    case "or":
      return bool(v[0] === A.true || v[1] === A.true);
    case "xor":
      return bool((v[0] === A.true) !== (v[1] === A.true));
    case "not":
      return bool(v[0] !== A.true);
    case "+":
    case "-":
    case "*":
      return arith(op, v[0]!, v[1]!);
    case "element": {
      const [i, t] = v;
      if (typeof i !== "number" || !Array.isArray(t) || i < 1 || i > t.length)
        throw new GuardFail();
      return t[i - 1]!;
    }
    case "hd":
      if (!(v[0] instanceof Cons)) throw new GuardFail();
      return v[0].head;
    case "tl":
      if (!(v[0] instanceof Cons)) throw new GuardFail();
      return v[0].tail;
    case "length":
      return listArg(v[0]!, () => {
        throw new GuardFail();
      }).length;
    case "size":
    case "tuple_size":
      if (!Array.isArray(v[0])) throw new GuardFail();
      return v[0].length;
    case "map_get":
      if (!(v[1] instanceof MapTerm)) throw new GuardFail();
      return v[1].get(v[0]!) ?? failGuard();
    case "is_map_key":
      if (!(v[1] instanceof MapTerm)) throw new GuardFail();
      return bool(v[1].has(v[0]!));
    case "abs": {
      const x = v[0]!;
      if (typeof x === "number") return Math.abs(x);
      if (typeof x === "bigint") return x < 0n ? -x : x;
      if (x instanceof Float) return new Float(Math.abs(x.value));
      throw new GuardFail();
    }
  }
  throw new GuardFail();
}

function failGuard(): never {
  throw new GuardFail();
}

function listFrom(xs: Term[]): Term {
  let l: Term = NIL;
  for (let i = xs.length - 1; i >= 0; i--) l = new Cons(xs[i]!, l);
  return l;
}

export interface Clause {
  head: Term;
  guards: Term[];
  body: Term[];
}

/** Parses `[{Head, Guards, Body}]`; `badarg` when malformed. */
export function parseSpec(spec: Term): Clause[] {
  return listArg(spec).map((c) => {
    if (!Array.isArray(c) || c.length !== 3) return badarg();
    return { head: c[0]!, guards: listArg(c[1]!), body: listArg(c[2]!) };
  });
}

/** Runs a match spec on one object: the body's value, or undefined if no clause applies. */
export function runSpec(clauses: Clause[], obj: Term): Term | undefined {
  for (const c of clauses) {
    const b: Bindings = new Map();
    if (!matchPattern(c.head, obj, b)) continue;
    try {
      if (!c.guards.every((g) => evalExpr(g, b, obj) === A.true)) continue;
      let r: Term = A.true;
      for (const e of c.body) r = evalExpr(e, b, obj);
      return r;
    } catch (e) {
      if (e instanceof GuardFail) continue;
      throw e;
    }
  }
  return undefined;
}
