/**
 * Deep lists and deep terms through the library walkers that used to recurse
 * (io_lib's deep-list predicates, chars_length, indentation, ~s, limit_term,
 * unicode chardata, erlang:display, ets match patterns). Small cases are
 * what erl 25 answers (typed in from its shell); the deep ones must give the
 * same answers without a JS stack overflow.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { displayText } from "../../../nifs/erlang/display-format.ts";
import { matchPattern } from "../../../nifs/lib/ets-match.ts";
import { A, atom } from "../../../terms/atom.ts";
import { binaryFromBytes, binaryFromString } from "../../../terms/binary.ts";
import { TermTooDeepError } from "../../../terms/depth.ts";
import { formatW } from "../../../terms/format.ts";
import { listFromArray, stringToList } from "../../../terms/list.ts";
import { MapTerm } from "../../../terms/map.ts";
import { Cons, NIL, type Term } from "../../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DEPTH = 1_000_000;
const SLOW = 60_000;

/** `seed` wrapped in `n` one-element lists. */
function wrap(n: number, seed: Term): Term {
  let t = seed;
  for (let i = 0; i < n; i++) t = new Cons(t, NIL);
  return t;
}
const abc = () => listFromArray([97, binaryFromString("bc")]);

describe("io_lib over deep lists", () => {
  test("chars_length, indentation, deep_char_list (erl's answers)", () => {
    expect(call("io_lib:chars_length", wrap(3, abc()))).toBe(3);
    expect(call("io_lib:indentation", wrap(3, stringToList("ab\tc")), 0)).toBe(9);
    expect(call("io_lib:deep_char_list", wrap(3, abc()))).toBe(A.false);
    expect(call("io_lib:deep_char_list", wrap(3, stringToList("abc")))).toBe(A.true);
  });
  test(
    `the same at depth ${DEPTH}`,
    () => {
      expect(call("io_lib:chars_length", wrap(DEPTH, abc()))).toBe(3);
      expect(call("io_lib:indentation", wrap(DEPTH, stringToList("ab\tc")), 0)).toBe(9);
      expect(call("io_lib:deep_char_list", wrap(DEPTH, abc()))).toBe(A.false);
      expect(call("io_lib:deep_char_list", wrap(DEPTH, stringToList("abc")))).toBe(A.true);
      expect(call("io_lib:deep_char_list", wrap(DEPTH, new Cons(97, atom("x"))))).toBe(A.false);
      const s = call("io_lib:format", stringToList("~s"), listFromArray([wrap(DEPTH, abc())]));
      expect(formatW(s)).toBe("[97,98,99]");
    },
    SLOW,
  );
  test(
    "limit_term cuts deep terms; a depth past its nesting bound is refused, typed",
    () => {
      expect(formatW(call("io_lib:limit_term", wrap(5, listFromArray([atom("x")])), 3))).toBe(
        "[[['...']]]",
      );
      expect(formatW(call("io_lib:limit_term", wrap(DEPTH, NIL), 3))).toBe("[[['...']]]");
      // A long list is a loop, not nesting: a deep limit over it works.
      const long = listFromArray(Array.from({ length: 100_000 }, (_, i) => [i]));
      expect(formatW(call("io_lib:limit_term", long, 200_000))).toBe(formatW(long));
      // Known difference: erl returns the term; we raise system_limit (TermTooDeepError here).
      expect(() => call("io_lib:limit_term", wrap(DEPTH, NIL), DEPTH + 1)).toThrow(
        TermTooDeepError,
      );
    },
    SLOW,
  );
});

describe("unicode chardata over deep lists", () => {
  test("errors inside nested lists keep their nesting in Rest (erl's answers)", () => {
    const bad = listFromArray([wrap(1, listFromArray([1, 0x110000, 2])), 3]);
    expect(formatW(call("unicode:characters_to_binary", bad))).toBe(
      "{error,<<1>>,[[[1114112,2]],3]}",
    );
    const mixed = listFromArray([
      wrap(1, listFromArray([97, binaryFromString("b")])),
      binaryFromBytes(new Uint8Array([255])),
      99,
    ]);
    expect(formatW(call("unicode:characters_to_list", mixed))).toBe("{error,[97,98],[<<255>>,99]}");
  });
  test(
    `a ${DEPTH}-deep list converts, and an error deep inside is rebuilt level by level`,
    () => {
      expect(formatW(call("unicode:characters_to_binary", wrap(DEPTH, abc())))).toBe(
        "<<97,98,99>>",
      );
      const r = call("unicode:characters_to_binary", wrap(DEPTH, listFromArray([1, 0x110000])));
      const [tag, ok, rest] = r as Term[];
      expect(tag).toBe(atom("error"));
      expect(formatW(ok!)).toBe("<<1>>");
      let levels = 0;
      let t = rest!;
      while (t instanceof Cons && t.head instanceof Cons) {
        t = t.head;
        levels++;
      }
      expect(levels).toBe(DEPTH);
      expect(formatW(t)).toBe("[1114112]");
    },
    SLOW,
  );
});

describe("erlang:display and ets patterns", () => {
  test(
    "display text of a deep term",
    () => {
      expect(displayText(new MapTerm([1], [[2, wrap(2, 3)]]))).toBe("#{1=>{2,[[3]]}}");
      const text = displayText(wrap(DEPTH, [1, wrap(1, 2)]));
      expect(text.length).toBe(2 * DEPTH + "{1,[2]}".length);
      expect(text.slice(DEPTH, DEPTH + 7)).toBe("{1,[2]}");
    },
    SLOW,
  );
  test(
    "a long ets match pattern binds its variables in order",
    () => {
      const n = 200_000;
      const obj = listFromArray(Array.from({ length: n }, (_, i) => i));
      const pat = listFromArray(Array.from({ length: n }, (_, i) => (i === 0 ? atom("$1") : i)));
      const b = new Map<number, Term>();
      expect(matchPattern(pat, obj, b)).toBe(true);
      expect(b.get(1)).toBe(0);
      const deepPat = wrap(DEPTH, atom("$1"));
      const b2 = new Map<number, Term>();
      expect(matchPattern(deepPat, wrap(DEPTH, atom("x")), b2)).toBe(true);
      expect(b2.get(1)).toBe(atom("x"));
      expect(
        matchPattern(
          wrap(3, listFromArray([atom("$1"), atom("$1")])),
          wrap(3, listFromArray([1, 2])),
          new Map(),
        ),
      ).toBe(false);
    },
    SLOW,
  );
});
