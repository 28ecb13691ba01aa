/**
 * `string` (the Unicode, grapheme-aware API of OTP 20+): the native table,
 * with lengths and padding here. Searching (find, split, replace) is in
 * string-find.ts, trimming and lexemes in string-trim.ts, take and
 * nth_lexeme in string-take.ts, the lazy walks (slice, prefix, equal, ...)
 * in string-walk.ts; they follow OTP's own steps so results keep its shapes
 * on mixed chardata and invalid UTF-8. Case, comparison and number parsing
 * live in string-case.ts; the old latin1 list API in string-old.ts.
 */

import { A, Atom } from "../../terms/atom.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeFn, type NativeModule } from "../../vm/index.ts";
import { graphemeCount } from "./grapheme.ts";
import { stringCaseFns } from "./string-case.ts";
import { find, replace, split } from "./string-find.ts";
import { cp, gc } from "./string-lazy.ts";
import { stringOldFns } from "./string-old.ts";
import { nthLexeme, take } from "./string-take.ts";
import { clusterStarts, gcTerm, textArg, whitespaceTerm } from "./string-text.ts";
import { lexemes, trim } from "./string-trim.ts";
import { isEmptyText, prefix, stepTerm, slice as walkSlice } from "./string-walk.ts";
import { at, fclause } from "./util.ts";

type Dir = "leading" | "trailing" | "both";

function dirArg(t: Term, allowBoth: boolean): Dir {
  if (t instanceof Atom) {
    if (t.name === "leading" || t.name === "trailing") return t.name;
    if (allowBoth && t.name === "both") return "both";
  }
  return fclause();
}

function dup(n: number, c: Term): Term {
  let l: Term = NIL;
  for (let i = 0; i < n; i++) l = new Cons(c, l);
  return l;
}

function pad(s: Term, len: Term, dir: Term, ch: Term): Term {
  if (typeof len !== "number") fclause();
  const n = len - graphemeCount(textArg(s).cps);
  if (n <= 0) return new Cons(s, NIL);
  switch (dirArg(dir, true)) {
    case "trailing":
      return new Cons(s, dup(n, ch));
    case "leading":
      return new Cons(dup(n, ch), new Cons(s, NIL));
    default: {
      const half = n >> 1;
      const tail: Term = n & 1 ? new Cons(ch, NIL) : NIL;
      return new Cons(dup(half, ch), new Cons(s, new Cons(dup(half, ch), tail)));
    }
  }
}

function listOf(items: readonly Term[]): Term {
  let l: Term = NIL;
  for (let i = items.length - 1; i >= 0; i--) l = new Cons(items[i]!, l);
  return l;
}

/** `chomp(Str)`: OTP's `trim(Str, trailing, [[$\r, $\n], $\n])`. */
function chomp(s: Term): Term {
  return trim(s, at("trailing"), new Cons(new Cons(13, new Cons(10, NIL)), new Cons(10, NIL)));
}

const fns: Record<string, NativeFn> = {
  "length/1": (_p, s) => graphemeCount(textArg(s).cps),
  "is_empty/1": (_p, s) => (isEmptyText(s!) ? A.true : A.false),
  "reverse/1": (_p, s) => {
    const t = textArg(s);
    const starts = clusterStarts(t.cps);
    let l: Term = NIL;
    for (let k = 0; k + 1 < starts.length; k++) {
      l = new Cons(gcTerm(t.cps.slice(starts[k], starts[k + 1])), l);
    }
    return l;
  },
  "to_graphemes/1": (_p, s) => {
    const t = textArg(s);
    const starts = clusterStarts(t.cps);
    const out: Term[] = [];
    for (let k = 0; k + 1 < starts.length; k++)
      out.push(gcTerm(t.cps.slice(starts[k], starts[k + 1])));
    return listOf(out);
  },
  "next_grapheme/1": (_p, s) => stepTerm(gc(s!)),
  "next_codepoint/1": (_p, s) => stepTerm(cp(s!)),
  "slice/2": (_p, s, start) => walkSlice(s!, start!, null),
  "slice/3": (_p, s, start, len) => walkSlice(s!, start!, len === A.infinity ? null : len!),
  "pad/2": (_p, s, len) => pad(s, len, at("trailing"), 32),
  "pad/3": (_p, s, len, dir) => pad(s, len, dir, 32),
  "pad/4": (_p, s, len, dir, ch) => pad(s, len, dir, ch),
  "trim/1": (_p, s) => trim(s!, at("both"), whitespaceTerm()),
  "trim/2": (_p, s, dir) => trim(s!, dir!, whitespaceTerm()),
  "trim/3": (_p, s, dir, set) => trim(s!, dir!, set!),
  "chomp/1": (_p, s) => chomp(s),
  "split/2": (_p, s, pat) => split(s!, pat!, at("leading")),
  "split/3": (_p, s, pat, where) => split(s!, pat!, where!),
  "replace/3": (_p, s, pat, rep) => replace(s!, pat!, rep!, at("leading")),
  "replace/4": (_p, s, pat, rep, where) => replace(s!, pat!, rep!, where!),
  "find/2": (_p, s, pat) => find(s!, pat!, at("leading")),
  "find/3": (_p, s, pat, dir) => find(s!, pat!, dir!),
  "lexemes/2": (_p, s, seps) => lexemes(s!, seps!),
  "take/2": (_p, s, set) => take(s!, set!, A.false, at("leading")),
  "take/3": (_p, s, set, c) => take(s!, set!, c!, at("leading")),
  "take/4": (_p, s, set, c, dir) => take(s!, set!, c!, dir!),
  "prefix/2": (_p, s, pre) => prefix(s!, pre!),
  "nth_lexeme/3": (_p, s, n, seps) => nthLexeme(s!, n!, seps!),
};

export const stringNatives: NativeModule = defineNatives("string", {
  ...fns,
  ...stringCaseFns,
  ...stringOldFns,
});
