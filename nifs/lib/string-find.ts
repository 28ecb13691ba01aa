/**
 * `string:find/2,3`, `split/2,3` and `replace/3,4` as OTP 25 computes them:
 * list elements are compared code point by code point, binaries are searched
 * byte-wise for the needle (string-search.ts), and the parts returned are
 * sub-binaries and list pieces of the argument in OTP's shapes. Invalid
 * UTF-8 is passed through where the search never decodes it and fails
 * (`case_clause`, `badmatch`, `function_clause`) where it does.
 */
import { atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { decodeChardata } from "./chardata.ts";
import { cp, gc } from "./string-lazy.ts";
import {
  addNonEmpty,
  append,
  binSearchStr,
  btoken,
  byteSize,
  caseClause,
  consOf,
  dropBytes,
  dropUtf8,
  isBin,
  keepBytes,
  NOMATCH,
  prefix1,
  rev,
  reverse,
} from "./string-search.ts";
import { isEmptyText } from "./string-walk.ts";
import { badarg, fclause } from "./util.ts";

const NOMATCH_ATOM = atom("nomatch");

/**
 * `unicode:characters_to_list(Pattern)`: a list of code points, or the
 * `{error, ...}`/`{incomplete, ...}` tuple OTP then passes on as the needle
 * (represented by null: every use of such a needle fails the same way).
 */
function needleOf(pattern: Term): Cons | null {
  const d = decodeChardata(pattern);
  if (d.stop !== null || d.cps.length === 0) return null;
  let l: Term = NIL;
  for (let i = d.cps.length - 1; i >= 0; i--) l = new Cons(d.cps[i]!, l);
  return l as Cons;
}

/**
 * What OTP does with a needle that is not a list of code points: only the
 * clause for `[Bin | Cont]` (and, in `find`, the one for anything that is not
 * a list) reaches `bin_search_str`, which cannot encode it (badarg) or, with
 * a non-empty `Cont`, fails its `[CP | _]` clause.
 */
function badNeedle(s: Term, anyHead: boolean): never {
  if (s instanceof Cons && isBin(s.head)) return s.tail === NIL ? badarg() : fclause();
  return anyHead ? badarg() : fclause();
}

const isIntHead = (s: Term): s is Cons =>
  s instanceof Cons && (typeof s.head === "number" || typeof s.head === "bigint");

/** `find(String, Pattern, Dir)`. */
export function find(s: Term, pattern: Term, dir: Term): Term {
  if (pattern === NIL || (pattern instanceof BitString && pattern.size === 0)) return s;
  if (dir !== atom("leading") && dir !== atom("trailing")) return fclause();
  const needle = needleOf(pattern);
  if (needle === null) return badNeedle(s, true);
  return dir === atom("leading") ? findLeading(s, needle) : findTrailing(s, needle);
}

function findLeading(s0: Term, needle: Cons): Term {
  const c = needle.head;
  let s = s0;
  for (;;) {
    if (isIntHead(s)) {
      if (s.head === c && prefix1(s, needle) !== NOMATCH) return s;
      s = s.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const h = binSearchStr(s.head, 0, s.tail, needle);
      if (h.hit) return h.at;
      s = h.cont;
    } else if (s instanceof Cons || s === NIL) {
      const n = cp(s);
      if (n === NIL) return NOMATCH_ATOM;
      if (!(n instanceof Cons)) return caseClause(n);
      if (n.head === c && prefix1(s, needle) !== NOMATCH) return s;
      s = n.tail;
    } else {
      const h = binSearchStr(s, 0, NIL, needle);
      return h.hit ? h.at.head : NOMATCH_ATOM;
    }
  }
}

function findTrailing(s0: Term, needle: Cons): Term {
  const c = needle.head;
  let s = s0;
  let res: Term = NOMATCH_ATOM;
  for (;;) {
    if (isIntHead(s)) {
      if (s.head === c && prefix1(s, needle) !== NOMATCH) res = s;
      s = s.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const h = binSearchStr(s.head, 0, s.tail, needle);
      if (h.hit) {
        res = h.at;
        s = consOf(gc(h.at)).tail;
      } else s = h.cont;
    } else if (s instanceof Cons || s === NIL) {
      const n = cp(s);
      if (n === NIL) return res;
      if (!(n instanceof Cons)) return caseClause(n);
      if (n.head === c && prefix1(s, needle) !== NOMATCH) res = s;
      s = n.tail;
    } else {
      const h = binSearchStr(s, 0, NIL, needle);
      if (!h.hit) return res;
      res = h.at.head;
      s = dropUtf8(h.at.head);
    }
  }
}

type Where = "leading" | "trailing" | "all" | null;

function whereOf(t: Term): Where {
  if (t === atom("leading")) return "leading";
  if (t === atom("trailing")) return "trailing";
  if (t === atom("all")) return "all";
  return null;
}

/** OTP's `split_1/6` outcome: a finished list, or the last piece and the pieces so far. */
type SplitOut = { done: Term } | { curr: Term; acc: Term };

function split1(s0: Term, needle: Cons, whereT: Term): SplitOut {
  const where = whereOf(whereT);
  const c = needle.head;
  let s = s0;
  let start = 0;
  let curr: Term = NIL;
  let acc: Term = NIL;
  /** A match at list position `s` (first code point `c`, rest after it `tail`). */
  const onListHit = (rest: Term, tail: Term): SplitOut | null => {
    switch (where) {
      case "leading":
        return { done: list2(rev(curr), rest) };
      case "trailing":
        acc = list2(rev(curr), rest);
        curr = new Cons(c, curr);
        s = tail;
        return null;
      case "all":
        acc = new Cons(rev(curr), acc);
        curr = NIL;
        s = rest;
        return null;
      default:
        return caseClause(rest);
    }
  };
  for (;;) {
    if (isIntHead(s)) {
      start = 0;
      if (s.head === c) {
        const rest = prefix1(s, needle);
        if (rest === NOMATCH) {
          curr = append(c, curr);
          s = s.tail;
          continue;
        }
        const out = onListHit(rest, s.tail);
        if (out !== null) return out;
        continue;
      }
      curr = append(s.head, curr);
      s = s.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const bin = s.head;
      const h = binSearchStr(bin, start, s.tail, needle);
      start = 0;
      if (!h.hit) {
        curr = new Cons(keepBytes(bin, h.size), curr);
        s = h.cont;
        continue;
      }
      const cur = addNonEmpty(h.before, curr);
      if (where === "leading") return { done: list2(rev(cur), h.after) };
      if (where === "trailing") {
        start = byteSize(bin) - byteSize(dropUtf8(h.at.head));
        s = new Cons(bin, h.at.tail);
        acc = list2(rev(cur), h.after);
      } else if (where === "all") {
        s = h.after;
        curr = NIL;
        acc = new Cons(rev(cur), acc);
      } else return caseClause(whereT);
    } else if (s instanceof Cons || s === NIL) {
      start = 0;
      const n = cp(s);
      if (n === NIL) return { curr: rev(curr), acc };
      if (!(n instanceof Cons)) return caseClause(n);
      if (n.head === c) {
        const rest = prefix1(s, needle);
        if (rest === NOMATCH) {
          curr = append(c, curr);
          s = n.tail;
          continue;
        }
        const out = onListHit(rest, n.tail);
        if (out !== null) return out;
        continue;
      }
      curr = append(n.head, curr);
      s = n.tail;
    } else {
      const h = binSearchStr(s, start, NIL, needle);
      const bin = s as BitString;
      if (!h.hit) return { curr: rev(new Cons(dropBytes(bin, start), curr)), acc };
      if (where === "leading") return { done: list2(rev(new Cons(h.before, curr)), h.after) };
      if (where === "trailing") {
        acc = list2(btoken(h.before, curr), h.after);
        start = byteSize(bin) - byteSize(dropUtf8(h.at.head));
      } else if (where === "all") {
        const next = byteSize(bin) - byteSize(h.after as BitString);
        const keep = dropBytes(h.before, start);
        acc = new Cons(rev(new Cons(keep, curr)), acc);
        curr = NIL;
        start = next;
      } else return caseClause(whereT);
    }
  }
}

function list2(a: Term, b: Term): Term {
  return new Cons(a, new Cons(b, NIL));
}

/** `split(String, Pattern, Where)`. */
export function split(s: Term, pattern: Term, where: Term): Term {
  if (isEmptyText(pattern)) return new Cons(s, NIL);
  const needle = needleOf(pattern);
  if (needle === null) return badNeedle(s, false);
  const out = split1(s, needle, where);
  if ("done" in out) return out.done;
  if (out.acc === NIL) return new Cons(s, NIL);
  const w = whereOf(where);
  if (w === "trailing") return out.acc;
  if (w === "all") return reverse(new Cons(out.curr, out.acc));
  return caseClause([out.curr, out.acc]);
}

/** `replace(String, Pattern, Replacement, Where)`: `lists:join/2` of the split. */
export function replace(s: Term, pattern: Term, rep: Term, where: Term): Term {
  const parts: Term[] = [];
  for (let l = split(s, pattern, where); l instanceof Cons; l = l.tail) parts.push(l.head);
  let out: Term = NIL;
  for (let i = parts.length - 1; i >= 0; i--) {
    out = new Cons(parts[i]!, out);
    if (i > 0) out = new Cons(rep, out);
  }
  return out;
}
