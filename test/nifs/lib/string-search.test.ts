/**
 * The `string` functions that follow OTP's search steps (nifs/lib/string-find.ts,
 * string-trim.ts, string-take.ts) on inputs far longer than the recorded
 * corpus (fixtures/conformance/sem_string_search.erl): OTP's non-tail
 * recursions are loops here, so long lists cost no JS stack, and every search
 * is linear, so these sizes would run past the timeout if one were quadratic.
 * Results are checked by their sizes and ends, which OTP's shapes fix.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../../terms/binary.ts";
import { listToArray as toArray } from "../../../terms/list.ts";
import { Cons, NIL, type Term } from "../../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const N = 100_000;

function list(codes: number[]): Term {
  let l: Term = NIL;
  for (let i = codes.length - 1; i >= 0; i--) l = new Cons(codes[i]!, l);
  return l;
}

/** "a b a b ... " (N pairs) as a list of code points. */
function words(): number[] {
  const out: number[] = [];
  for (let i = 0; i < N; i++) out.push(i % 2 ? 98 : 97, 32);
  return out;
}

/** A proper list's elements (fails the test on anything else). */
function listToArray(t: Term): Term[] {
  const a = toArray(t);
  if (a === null) throw new Error("not a proper list");
  return a;
}

const bytesOf = (t: Term) => (t as BitString).bytes();
const len = (t: Term) => listToArray(t).length;
const sp = list([32]);

describe("string search on long input", () => {
  test("trim trailing on a long list keeps every element (no JS recursion)", () => {
    const w = words();
    const r = call("string:trim", list(w), atom("trailing"), list([32]));
    expect(len(r)).toBe(w.length - 1);
    const both = call("string:trim", list([32, 32, ...w]));
    expect(len(both)).toBe(w.length - 1);
  });

  test("trim on a long binary returns a sub-binary", () => {
    const b = binaryFromBytes(Uint8Array.from([32, ...words(), 10]));
    const r = call("string:trim", b);
    expect(r).toBeInstanceOf(BitString);
    expect(bytesOf(r).length).toBe(2 * N - 1);
    expect(bytesOf(r)[0]).toBe(97);
  });

  test("lexemes, split all and replace all on a long binary and list", () => {
    const b = binaryFromBytes(Uint8Array.from(words()));
    expect(len(call("string:lexemes", b, sp))).toBe(N);
    expect(len(call("string:lexemes", list(words()), sp))).toBe(N);
    expect(len(call("string:split", b, sp, atom("all")))).toBe(N + 1);
    expect(len(call("string:split", list(words()), sp, atom("all")))).toBe(N + 1);
    expect(len(call("string:replace", b, sp, list([45]), atom("all")))).toBe(2 * N + 1);
  });

  test("find and split trailing scan the whole input", () => {
    const w = words();
    const r = call("string:find", list(w), list([97, 32]), atom("trailing"));
    expect(listToArray(r)).toEqual([97, 32, 98, 32]);
    const parts = call(
      "string:split",
      binaryFromBytes(Uint8Array.from(w)),
      list([97]),
      atom("trailing"),
    );
    expect(bytesOf(listToArray(parts)[1]!)).toEqual(Uint8Array.from([32, 98, 32]));
  });

  test("take trailing and nth_lexeme on long lists", () => {
    const w = words();
    const r = call("string:take", list(w), list([32, 98]), atom("false"), atom("trailing"));
    const [head, tail] = r as Term[];
    expect(len(head!)).toBe(w.length - 3);
    expect(listToArray(tail!)).toEqual([32, 98, 32]);
    expect(call("string:nth_lexeme", list(w), N, sp)).toEqual(list([98]));
  });
});
