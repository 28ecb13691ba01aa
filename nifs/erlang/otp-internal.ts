/**
 * BIFs that only OTP's own library code calls: `erts_internal:map_next/3`
 * (behind OTP's Erlang `maps:to_list/1`, `maps:next/1` and everything built on
 * iterators), `string:list_to_integer/1` and `string:list_to_float/1` (behind
 * OTP's `string:to_integer/1`, `to_float/1`) and `io:printable_range/0`
 * (asked by `io_lib` and `io_lib_pretty` before printing strings).
 *
 * Our own library never needs them, but without them OTP's real `.beam` files
 * cannot run on the VM (`aion run --otp-lib`, test/otp).
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { compareExact } from "../../terms/compare.ts";
import { parseInt36 } from "../../terms/integer.ts";
import { MapTerm } from "../../terms/map.ts";
import { mapIterationOrder, mapListOrder } from "../../terms/map-order.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeFn, type NativeModule } from "../../vm/index.ts";
import { fclause } from "../lib/util.ts";

const NONE = atom("none");
const ITERATOR = atom("iterator");

/**
 * `map_next(Path, Map, Acc)`. With a list `Acc` OTP prepends the pairs in
 * `maps:to_list` order, yielding `[Path2, Map | Acc]` when out of reductions;
 * we never yield, so one call returns them all. With `iterator` OTP returns a
 * nested `{K, V, Next}` batch ending in `none` (or in `[Path2 | Map]` after
 * a batch of a large map); we return the whole walk from position `Path` as
 * one chain, which is exactly OTP's shape for maps of up to 32 keys.
 */
function mapNext(path: Term, m: Term, acc: Term): Term {
  if (typeof path !== "number" || path < 0 || !(m instanceof MapTerm)) return badarg();
  if (acc === ITERATOR) {
    const order = mapIterationOrder(m);
    let out: Term = NONE;
    for (let k = order.length - 1; k >= path; k--)
      out = [m.keys[order[k]!]!, m.values[order[k]!]!, out];
    return out;
  }
  if (!(acc instanceof Cons) && acc !== NIL) return badarg();
  const order = mapListOrder(m);
  let out = acc;
  for (let k = order.length - 1; k >= 0; k--)
    out = new Cons([m.keys[order[k]!]!, m.values[order[k]!]!], out);
  return out;
}

const isDigit = (c: Term) => typeof c === "number" && c >= 48 && c <= 57;

/** The leading characters of a list as far as `accept` takes them, and the rest. */
function scan(l: Term, accept: (c: Term, taken: string) => boolean): [string, Term] {
  let text = "";
  while (l instanceof Cons && accept(l.head, text)) {
    text += String.fromCharCode(l.head as number);
    l = l.tail;
  }
  return [text, l];
}

function sign(l: Term): [string, Term] {
  if (l instanceof Cons && (l.head === 43 || l.head === 45)) {
    return [String.fromCharCode(l.head as number), l.tail];
  }
  return ["", l];
}

/** `string:list_to_integer/1`: `{Int, Rest}` or `{error, no_integer | not_a_list}`. */
function listToInteger(l: Term): Term {
  if (!(l instanceof Cons) && l !== NIL) return [A.error, atom("not_a_list")];
  const [s, afterSign] = sign(l);
  const [digits, rest] = scan(afterSign, isDigit);
  if (digits === "") return [A.error, atom("no_integer")];
  return [parseInt36(s + digits, 10)!, rest];
}

/**
 * `string:list_to_float/1`: digits, a point and digits are required; an
 * exponent is taken only when complete (`"1.5e"` leaves `"e"`). Out-of-range
 * values are `no_float`, as erl says.
 */
function listToFloat(l: Term): Term {
  if (!(l instanceof Cons) && l !== NIL) return [A.error, atom("not_a_list")];
  const noFloat = [A.error, atom("no_float")];
  const [s, afterSign] = sign(l);
  const [whole, afterWhole] = scan(afterSign, isDigit);
  if (whole === "" || !(afterWhole instanceof Cons) || afterWhole.head !== 46) return noFloat;
  const [frac, afterFrac] = scan(afterWhole.tail, isDigit);
  if (frac === "") return noFloat;
  let text = `${s}${whole}.${frac}`;
  let rest = afterFrac;
  if (afterFrac instanceof Cons && (afterFrac.head === 101 || afterFrac.head === 69)) {
    const [es, afterES] = sign(afterFrac.tail);
    const [exp, afterExp] = scan(afterES, isDigit);
    if (exp !== "") {
      text += `e${es}${exp}`;
      rest = afterExp;
    }
  }
  const v = Number(text);
  return Number.isFinite(v) ? [new Float(v), rest] : noFloat;
}

export const ertsInternalNatives: NativeModule = defineNatives("erts_internal", {
  "map_next/3": (_p, path, m, acc) => mapNext(path, m, acc),
  // Term order with integers before floats, as for map keys (what maps and lists:sort use internally).
  "cmp_term/2": (_p, a, b) => Math.sign(compareExact(a!, b!)),
});

export const stringBifNatives: NativeModule = defineNatives("string", {
  "list_to_integer/1": (_p, l) => listToInteger(l),
  "list_to_float/1": (_p, l) => listToFloat(l),
});

export const ioBifNatives: NativeModule = defineNatives("io", {
  // erl's default without `+pc unicode`.
  "printable_range/0": () => atom("latin1"),
});

/**
 * The corner of the `init` and `code` kernel modules that OTP's library code
 * reaches (`erl_features` reads `init:get_arguments/0` from
 * `io_lib:write_atom/1`; `io_lib:format/2` calls `code:ensure_modules_loaded/1`
 * before turning a failure into `badarg`), plus the usual loading queries.
 * There are no command-line arguments and modules load on demand.
 */
export const initNatives: NativeModule = defineNatives("init", {
  "get_arguments/0": () => NIL,
  "get_argument/1": () => A.error,
});

function ensureLoaded(p: Parameters<NativeFn>[0], m: Term): Term {
  // OTP's code:ensure_loaded/1 has an is_atom guard: anything else fails its clause.
  if (!(m instanceof Atom)) return fclause();
  const vm = p.vm;
  if (vm.modules.has(m) || vm.moduleLoader?.(m)) return [atom("module"), m];
  return [A.error, atom("nofile")];
}

export const codeNatives: NativeModule = defineNatives("code", {
  "ensure_loaded/1": (p, m) => ensureLoaded(p, m!),
  "is_loaded/1": (p, m) =>
    m instanceof Atom && p.vm.modules.has(m) ? [atom("file"), atom("loaded")] : A.false,
  "ensure_modules_loaded/1": (p, ms) => {
    let l = ms!;
    const bad: Term[] = [];
    while (l instanceof Cons) {
      const r = ensureLoaded(p, l.head);
      if (Array.isArray(r) && r[0] === A.error) bad.push([l.head, atom("nofile")]);
      l = l.tail;
    }
    if (l !== NIL) return badarg();
    return bad.length === 0
      ? A.ok
      : [A.error, bad.reduceRight<Term>((acc, b) => new Cons(b, acc), NIL)];
  },
});
