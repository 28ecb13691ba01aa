/**
 * `string:take/2,3,4` and `nth_lexeme/3` as OTP 25 computes them, over the
 * same search steps as trim and lexemes (string-search.ts, string-trim.ts):
 * binaries are scanned byte-wise and cut into sub-binaries, so results keep
 * OTP's shapes and invalid UTF-8 passes or fails where OTP's does.
 *
 * OTP's trailing `take` recurses once per element and combines the
 * `{Head, Tail}` of the rest on the way back; here that is a loop and a stack
 * of the combining steps.
 */
import { atom } from "../../terms/atom.ts";
import type { BitString } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { cp, gc } from "./string-lazy.ts";
import {
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
  Seps,
  stack,
  TermList,
} from "./string-search.ts";
import { pick } from "./string-trim.ts";
import { isEmptyText } from "./string-walk.ts";
import { charactersToBinary } from "./unicode.ts";
import { badarg, fclause } from "./util.ts";

const isInt = (t: Term): boolean => typeof t === "number" || typeof t === "bigint";

/** `unicode:characters_to_binary([Bin | Used])`, as OTP's take stores the skipped part. */
const toBin = (bin: BitString, used: Term): Term =>
  charactersToBinary(new Cons(bin, used), "utf8", "utf8");

/** `tl(X)`: badarg unless a cons. */
function tl(s: Term | object): Term {
  return s instanceof Cons ? s.tail : badarg();
}

/** `take(Str, Seps, Complement, Dir)`. */
export function take(s: Term, sepsT: Term, comp: Term, dir: Term): Term {
  if (sepsT === NIL) {
    const empty = isBin(s) ? EMPTY : NIL;
    const pairs: Record<string, Term> = {
      "false/leading": [empty, s],
      "false/trailing": [s, empty],
      "true/leading": [s, empty],
      "true/trailing": [empty, s],
    };
    const key = `${comp === atom("true") ? "true" : comp === atom("false") ? "false" : "?"}/${dir === atom("leading") ? "leading" : dir === atom("trailing") ? "trailing" : "?"}`;
    return pairs[key] ?? caseClause([comp, dir]);
  }
  const leading = dir === atom("leading");
  if (!leading && dir !== atom("trailing")) return fclause();
  if (comp === atom("false")) {
    return leading ? takeLeading(s, TermList.of(sepsT)) : takeTrailing(s, Seps.of(sepsT), false);
  }
  if (comp === atom("true")) {
    const seps = Seps.of(sepsT);
    return leading ? takeLeadingComp(s, seps) : takeTrailing(s, seps, true);
  }
  return fclause();
}

/** OTP's `take_l/3`: the leading clusters that are in `seps`. */
function takeLeading(s0: Term, seps: TermList): Term {
  let s = s0;
  let acc: Term = NIL;
  for (;;) {
    if (s instanceof Cons && s.tail instanceof Cons && asciiPair(s.head, s.tail.head)) {
      if (!seps.has(s.head)) return [rev(acc), s];
      acc = new Cons(s.head, acc);
      s = s.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const bin = s.head;
      const r = binSearchInv(bin, s.tail, seps);
      if (!r.hit) {
        acc = new Cons(toBin(bin, cpPrefix(s.tail, r.cont)), acc);
        s = r.cont;
        continue;
      }
      const at = r.at as Cons;
      if (!isBin(at.head)) return caseClause(at);
      return [btoken(keepBytes(bin, byteSize(bin) - byteSize(at.head)), acc), at];
    } else if (isList(s)) {
      const g = gc(s);
      if (g === NIL) return [rev(acc), NIL];
      if (!(g instanceof Cons)) return caseClause(g);
      if (!seps.has(g.head)) return [rev(acc), s];
      acc = append(rev(g.head), acc);
      s = g.tail;
    } else if (isBin(s)) {
      const r = binSearchInv(s, NIL, seps);
      if (!r.hit) return [btoken(s, acc), EMPTY];
      const after = (r.at as Cons).head as BitString;
      return [btoken(keepBytes(s, byteSize(s) - byteSize(after)), acc), after];
    } else return fclause();
  }
}

/** OTP's `take_lc/3`: the leading clusters that are not in `seps`. */
function takeLeadingComp(s0: Term, seps: Seps): Term {
  let s = s0;
  let acc: Term = NIL;
  for (;;) {
    if (s instanceof Cons && isInt(s.head)) {
      if (!seps.cps.has(s.head)) {
        acc = append(s.head, acc);
        s = s.tail;
        continue;
      }
      const g = consOf(gc(s));
      if (seps.gcs.has(g.head)) return [rev(acc), s];
      acc = append(rev(g.head), acc);
      s = g.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const bin = s.head;
      const r = binSearch(bin, s.tail, seps);
      if (!r.hit) {
        acc = new Cons(toBin(bin, cpPrefix(s.tail, r.cont)), acc);
        s = r.cont;
        continue;
      }
      const at = r.at as Cons;
      if (!isBin(at.head)) return caseClause(at);
      return [btoken(keepBytes(bin, byteSize(bin) - byteSize(at.head)), acc), at];
    } else if (isList(s)) {
      const g = gc(s);
      if (g === NIL) return [rev(acc), NIL];
      if (!(g instanceof Cons)) return caseClause(g);
      if (seps.gcs.has(g.head)) return [rev(acc), s];
      acc = append(rev(g.head), acc);
      s = g.tail;
    } else if (isBin(s)) {
      const r = binSearch(s, NIL, seps);
      if (!r.hit) return [btoken(s, acc), EMPTY];
      const after = (r.at as Cons).head as BitString;
      return [btoken(keepBytes(s, byteSize(s) - byteSize(after)), acc), after];
    } else return fclause();
  }
}

type Pair = [Term, Term];
type Then = (p: Pair) => Pair;

/** A cluster `g` that belongs to the taken tail if everything after it does. */
const tailThen =
  (g: Term): Then =>
  ([h, t]) =>
    isEmptyText(h) ? [h, append(g, t)] : [append(g, h), t];

/** A cluster `g` that ends the head. */
const headThen =
  (g: Term): Then =>
  ([h, t]) => [append(g, h), t];

/**
 * OTP's `take_t/3` (`comp` false: the trailing clusters in `seps`) and
 * `take_tc/3` (`comp` true: the trailing clusters not in it). For binaries
 * the first search finds a candidate start of the tail and the second checks
 * that everything after it qualifies.
 */
function takeTrailing(s0: Term, seps: Seps, comp: boolean): Pair {
  const steps: Then[] = [];
  const finish = (p: Pair): Pair => {
    let r = p;
    for (let i = steps.length - 1; i >= 0; i--) r = steps[i]!(r);
    return r;
  };
  // A cluster in the tail's set: a separator for take_t, a non-separator for take_tc.
  const inTail = (g: Term) => seps.gcs.has(g) !== comp;
  const findStart = (b: Term, cont: Term) =>
    comp ? binSearchInv(b, cont, seps.gcs) : binSearch(b, cont, seps);
  const checkRest = (b: Term, cont: Term) =>
    comp ? binSearch(b, cont, seps) : binSearchInv(b, cont, seps.gcs);
  let s = s0;
  let n = 0;
  for (;;) {
    if (!comp && s instanceof Cons && isInt(s.head)) {
      n = 0;
      if (!seps.cps.has(s.head)) {
        const c = s.head;
        steps.push(([h, t]) => [new Cons(c, h), t]);
        s = s.tail;
        continue;
      }
      const g = consOf(gc(s));
      steps.push(inTail(g.head) ? tailThen(g.head) : headThen(g.head));
      s = g.tail;
    } else if (
      comp &&
      s instanceof Cons &&
      s.tail instanceof Cons &&
      asciiPair(s.head, s.tail.head)
    ) {
      n = 0;
      steps.push(inTail(s.head) ? tailThen(s.head) : headThen(s.head));
      s = s.tail;
    } else if (s instanceof Cons && isBin(s.head)) {
      const bin = s.head;
      const cont0 = s.tail;
      const rest = dropBytes(bin, n);
      n = 0;
      if (!comp) seps.compile();
      const r = findStart(rest, cont0);
      if (!r.hit) {
        const used = cpPrefix(cont0, r.cont);
        steps.push(([h, t]) => [stack(toBin(bin, used), h), t]);
        s = r.cont;
        continue;
      }
      if (comp) seps.compile();
      const at = r.at as Cons;
      const start = at.head as BitString;
      const c = checkRest(start, at.tail);
      if (!c.hit) {
        const cont = c.cont;
        steps.push(([h, t]) => {
          const used = cpPrefix(cont0, cont);
          if (!isEmptyText(h)) return [stack(toBin(bin, used), h), t];
          const k = byteSize(bin) - byteSize(start);
          return [keepBytes(bin, k), stack(stack(dropBytes(bin, k), used), t)];
        });
        s = cont;
        continue;
      }
      const next = c.at as Cons;
      if (!isBin(next.head)) return caseClause(next);
      n = byteSize(bin) - byteSize(next.head);
      s = new Cons(bin, next.tail);
    } else if (isList(s)) {
      n = 0;
      const g = gc(s);
      if (g === NIL) return finish([NIL, NIL]);
      if (!(g instanceof Cons)) return caseClause(g);
      steps.push(inTail(g.head) ? tailThen(g.head) : headThen(g.head));
      s = g.tail;
    } else if (isBin(s)) {
      const rest = dropBytes(s, n);
      if (!comp) seps.compile();
      const r = findStart(rest, NIL);
      if (!r.hit) return finish([s, EMPTY]);
      if (comp) seps.compile();
      const sepStart = (r.at as Cons).head as BitString;
      const c = checkRest(sepStart, NIL);
      if (!c.hit) {
        const k = byteSize(s) - byteSize(sepStart);
        return finish([keepBytes(s, k), dropBytes(s, k)]);
      }
      n = byteSize(s) - byteSize((c.at as Cons).head as BitString);
    } else return fclause();
  }
}

/** `nth_lexeme(Str, N, Seps)`. */
export function nthLexeme(s: Term, nT: Term, sepsT: Term): Term {
  if (nT === 1 && sepsT === NIL) return s;
  if (!isList(sepsT) || typeof nT !== "number" || !Number.isInteger(nT) || nT <= 0) {
    return fclause();
  }
  const seps = Seps.of(sepsT);
  let cs = s;
  let n = nT;
  for (;;) {
    if (cs instanceof Cons && isBin(cs.head)) {
      const r = binSearchInv(cs.head, cs.tail, seps.gcs);
      if (!r.hit) cs = r.cont;
      else if (n > 1) {
        cs = skip(r.at, seps);
        n--;
      } else {
        seps.compile();
        return pick(r.at, seps)[0];
      }
    } else if (isList(cs)) {
      const g = gc(cs);
      if (g === NIL) return NIL;
      if (!(g instanceof Cons)) return caseClause(g);
      if (seps.gcs.has(g.head)) cs = g.tail;
      else if (n > 1) {
        cs = skip(g.tail, seps);
        n--;
      } else {
        seps.compile();
        return pick(cs, seps)[0];
      }
    } else if (isBin(cs)) {
      seps.compile();
      const r = binSearchInv(cs, NIL, seps.gcs);
      if (!r.hit) return EMPTY;
      const from = (r.at as Cons).head;
      if (n === 1) return pick(from, seps)[0];
      cs = skip(from, seps);
      n--;
    } else return fclause();
  }
}

/** OTP's `lexeme_skip/2`: what follows the separator after the current lexeme. */
function skip(cs0: Term, seps: Seps): Term {
  let cs = cs0;
  for (;;) {
    if (cs instanceof Cons && isInt(cs.head)) {
      if (!seps.cps.has(cs.head)) {
        cs = cs.tail;
        continue;
      }
      const g = consOf(gc(cs));
      if (seps.gcs.has(g.head)) return g.tail;
      cs = g.tail;
    } else if (cs instanceof Cons && isBin(cs.head)) {
      seps.compile();
      const r = binSearch(cs.head, cs.tail, seps);
      if (!r.hit) cs = cs.tail;
      else return tl(gc(r.at));
    } else if (isList(cs)) {
      const c = cp(cs);
      if (c === NIL) return NIL;
      if (!(c instanceof Cons)) return caseClause(c);
      if (!seps.cps.has(c.head)) {
        cs = c.tail;
        continue;
      }
      const g = consOf(gc(cs));
      if (seps.gcs.has(g.head)) return g.tail;
      cs = g.tail;
    } else if (isBin(cs)) {
      seps.compile();
      const r = binSearch(cs, NIL, seps);
      if (!r.hit) return EMPTY;
      return tl(gc((r.at as Cons).head));
    } else return fclause();
  }
}
