/**
 * `string:trim/1,2,3` and `lexemes/2` as OTP 25 computes them: leading
 * separators are skipped cluster by cluster (binaries with
 * string-search.ts's `binSearchInv`), trailing ones are found by searching
 * binaries byte-wise for separator code points and checking what follows,
 * and the results are the argument's own sub-binaries and list pieces in
 * OTP's shapes. Invalid UTF-8 passes through where it is never decoded and
 * fails with OTP's error where it is.
 *
 * OTP's trailing trim recurses once per list element; here that recursion is
 * a loop over a stack of the steps left to apply to the trimmed tail, so long
 * strings cost no JS stack.
 */
import { atom } from "../../terms/atom.ts";
import type { BitString } from "../../terms/binary.ts";
import { exactEq } from "../../terms/compare.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { cp, gc } from "./string-lazy.ts";
import {
  addNonEmpty,
  append,
  asciiPair,
  binSearch,
  binSearchInv,
  btoken,
  byteSize,
  caseClause,
  consOf,
  cpPrefix,
  dropBytes,
  EMPTY,
  isBin,
  isList,
  keepBytes,
  rev,
  reverse,
  Seps,
  stack,
  TermList,
} from "./string-search.ts";
import { isEmptyText } from "./string-walk.ts";
import { fclause } from "./util.ts";

const isInt = (t: Term): boolean => typeof t === "number" || typeof t === "bigint";

/** `Sep < 256` in term order. */
function below256(t: Term): boolean {
  if (typeof t === "number") return t < 256;
  if (typeof t === "bigint") return t < 256n;
  return t instanceof Float && t.value < 256;
}

/** `trim(Str, Dir, Seps)`. */
export function trim(s: Term, dir: Term, sepsT: Term): Term {
  if (sepsT === NIL) return s;
  const one = sepsT instanceof Cons && sepsT.tail === NIL ? sepsT.head : undefined;
  if (dir === atom("leading")) {
    if (isList(s) && one !== undefined && below256(one)) return trimLeadingOne(s, one);
    if (sepsT instanceof Cons) return trimLeading(s, TermList.of(sepsT));
  } else if (dir === atom("trailing")) {
    if (isList(s) && one !== undefined && below256(one)) return trimTrailingOne(s, one);
    if (sepsT instanceof Cons) return trimTrailing(s, 0, Seps.of(sepsT));
  } else if (dir === atom("both") && sepsT instanceof Cons) {
    return trim(trim(s, atom("leading"), sepsT), atom("trailing"), sepsT);
  }
  return fclause();
}

/** OTP's `trim_ls/2`: the fast path for one separator below 256 on a list. */
function trimLeadingOne(s0: Term, sep: Term): Term {
  let s = s0;
  while (s instanceof Cons && s.tail instanceof Cons && asciiPair(s.head, s.tail.head)) {
    if (s.head !== sep) return s;
    s = s.tail;
  }
  return trimLeading(s, new TermList([sep], true));
}

/** OTP's `trim_l/2`. */
function trimLeading(s0: Term, seps: TermList): Term {
  let s = s0;
  for (;;) {
    if (s instanceof Cons && s.tail instanceof Cons && asciiPair(s.head, s.tail.head)) {
      if (!seps.has(s.head)) return s;
      s = s.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const r = binSearchInv(s.head, s.tail, seps);
      if (r.hit) return r.at;
      s = r.cont;
    } else if (isList(s)) {
      const g = gc(s);
      if (g === NIL) return NIL;
      if (!(g instanceof Cons)) return caseClause(g);
      if (!seps.has(g.head)) return s;
      s = g.tail;
    } else if (isBin(s)) {
      const r = binSearchInv(s, NIL, seps);
      return r.hit ? (r.at as Cons).head : EMPTY;
    } else return fclause();
  }
}

/** A step OTP's non-tail recursion applies to the trimmed tail on its way back. */
type Then = (tail: Term) => Term;

function unwind(steps: Then[], tail: Term): Term {
  let t = tail;
  for (let i = steps.length - 1; i >= 0; i--) t = steps[i]!(t);
  return t;
}

/** A separator cluster `g` before the trimmed tail: dropped if nothing is left after it. */
const sepThen =
  (g: Term): Then =>
  (t) =>
    isEmptyText(t) ? NIL : append(g, t);

/** OTP's `trim_ts/2`: the fast path for one separator below 256 on a list. */
function trimTrailingOne(s0: Term, sep: Term): Term {
  const steps: Then[] = [];
  let s = s0;
  for (;;) {
    if (s instanceof Cons && (s.head === sep || exactEq(s.head, sep))) {
      const rest = s.tail;
      if (rest === NIL) return unwind(steps, NIL);
      if (rest instanceof Cons && asciiPair(sep, rest.head)) {
        steps.push((t) => (isEmptyText(t) ? NIL : new Cons(sep, t)));
        s = rest;
        continue;
      }
      return unwind(steps, trimTrailing(s, 0, Seps.of(new Cons(sep, NIL))));
    }
    if (s instanceof Cons && isInt(s.head)) {
      const c = s.head;
      steps.push((t) => new Cons(c, t));
      s = s.tail;
      continue;
    }
    return unwind(steps, trimTrailing(s, 0, Seps.of(new Cons(sep, NIL))));
  }
}

/** OTP's `trim_t/3`: drops the separator clusters at the end; `n` bytes of a leading binary are known not to end it. */
function trimTrailing(s0: Term, n0: number, seps: Seps): Term {
  const steps: Then[] = [];
  let s = s0;
  let n = n0;
  for (;;) {
    if (s instanceof Cons && isInt(s.head)) {
      n = 0;
      if (!seps.cps.has(s.head)) {
        const c = s.head;
        steps.push((t) => new Cons(c, t));
        s = s.tail;
        continue;
      }
      const g = consOf(gc(s));
      steps.push(seps.gcs.has(g.head) ? sepThen(g.head) : appendThen(g.head));
      s = g.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const bin = s.head;
      const cont0 = s.tail;
      const r = binSearch(dropBytes(bin, n), cont0, seps);
      n = 0;
      if (!r.hit) {
        steps.push((t) => stack(bin, t));
        s = cont0;
        continue;
      }
      const sepStart = (r.at as Cons).head as BitString;
      const inv = binSearchInv(sepStart, (r.at as Cons).tail, seps.gcs);
      if (!inv.hit) {
        const cont = inv.cont;
        steps.push((t) =>
          isEmptyText(t)
            ? keepBytes(bin, byteSize(bin) - byteSize(sepStart))
            : stack(bin, stack(cpPrefix(cont0, cont), t)),
        );
        s = cont;
        continue;
      }
      const at = inv.at as Cons;
      if (!isBin(at.head)) return caseClause(at);
      n = byteSize(bin) - byteSize(at.head);
      s = new Cons(bin, at.tail);
    } else if (isList(s)) {
      const g = gc(s);
      if (g === NIL) return unwind(steps, NIL);
      if (!(g instanceof Cons)) return caseClause(g);
      steps.push(seps.gcs.has(g.head) ? sepThen(g.head) : appendThen(g.head));
      s = g.tail;
    } else if (isBin(s)) {
      const r = binSearch(dropBytes(s, n), NIL, seps);
      if (!r.hit) return unwind(steps, s);
      const sepStart = (r.at as Cons).head as BitString;
      const inv = binSearchInv(sepStart, NIL, seps.gcs);
      if (!inv.hit) return unwind(steps, keepBytes(s, byteSize(s) - byteSize(sepStart)));
      n = byteSize(s) - byteSize((inv.at as Cons).head as BitString);
    } else return fclause();
  }
}

const appendThen =
  (g: Term): Then =>
  (t) =>
    append(g, t);

/** `lexemes(Str, Seps)`. */
export function lexemes(s: Term, sepsT: Term): Term {
  if (s === NIL) return NIL;
  if (sepsT === NIL) return new Cons(s, NIL);
  if (!(sepsT instanceof Cons)) return fclause();
  const seps = Seps.of(sepsT);
  let ts: Term = NIL;
  let cs = s;
  for (;;) {
    let from: Term;
    if (cs instanceof Cons && isInt(cs.head)) {
      if (seps.cps.has(cs.head)) {
        const g = consOf(gc(cs));
        if (seps.gcs.has(g.head)) {
          cs = g.tail;
          continue;
        }
      }
      from = cs;
    } else if (cs instanceof Cons && isBin(cs.head)) {
      const r = binSearchInv(cs.head, cs.tail, seps.gcs);
      if (!r.hit) {
        cs = r.cont;
        continue;
      }
      from = r.at;
    } else if (isList(cs)) {
      const g = gc(cs);
      if (g === NIL) return reverse(ts);
      if (!(g instanceof Cons)) return caseClause(g);
      if (seps.gcs.has(g.head)) {
        cs = g.tail;
        continue;
      }
      from = cs;
    } else if (isBin(cs)) {
      const r = binSearchInv(cs, NIL, seps.gcs);
      if (!r.hit) return reverse(ts);
      seps.compile();
      const [lexeme, rest] = pick((r.at as Cons).head, seps);
      ts = addNonEmpty(lexeme, ts);
      cs = rest;
      continue;
    } else return fclause();
    seps.compile();
    const [lexeme, rest] = pick(from, seps);
    ts = new Cons(lexeme, ts);
    cs = rest;
  }
}

/** OTP's `lexeme_pick/3`: the lexeme at the front of `cs` and what follows its separator. */
export function pick(cs0: Term, seps: Seps): [Term, Term] {
  let cs = cs0;
  let tkn: Term = NIL;
  for (;;) {
    if (cs instanceof Cons && isInt(cs.head)) {
      if (seps.cps.has(cs.head)) {
        const g = consOf(gc(cs));
        if (seps.gcs.has(g.head)) return [rev(tkn), g.tail];
        tkn = append(rev(g.head), tkn);
        cs = g.tail;
      } else {
        tkn = new Cons(cs.head, tkn);
        cs = cs.tail;
      }
    } else if (cs instanceof Cons && isBin(cs.head)) {
      const bin = cs.head;
      const r = binSearch(bin, cs.tail, seps);
      if (!r.hit) {
        tkn = new Cons(bin, tkn);
        cs = cs.tail;
        continue;
      }
      const left = (r.at as Cons).head as BitString;
      return [btoken(keepBytes(bin, byteSize(bin) - byteSize(left)), tkn), r.at];
    } else if (isList(cs)) {
      const c = cp(cs);
      if (c === NIL) return [rev(tkn), NIL];
      if (!(c instanceof Cons)) return caseClause(c);
      if (seps.cps.has(c.head)) {
        const g = consOf(gc(cs));
        if (seps.gcs.has(g.head)) return [rev(tkn), g.tail];
        tkn = append(rev(g.head), tkn);
        cs = g.tail;
      } else {
        tkn = append(c.head, tkn);
        cs = c.tail;
      }
    } else if (isBin(cs)) {
      const r = binSearch(cs, NIL, seps);
      if (!r.hit) return [btoken(cs, tkn), NIL];
      const left = (r.at as Cons).head as BitString;
      return [btoken(keepBytes(cs, byteSize(cs) - byteSize(left)), tkn), left];
    } else return fclause();
  }
}
