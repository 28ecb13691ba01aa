/**
 * lists:sort/1 and lists:keysort/2 leave elements that compare equal but
 * differ (1 and 1.0) in OTP's order, not a stable sort's. Expected values are
 * what erl 25 answers; the generated corpus is in
 * fixtures/conformance/sem_sort_order.erl.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../../terms/atom.ts";
import { formatW } from "../../../terms/format.ts";
import { listFromArray, listToArray } from "../../../terms/list.ts";
import { Float, type Term } from "../../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const f = (x: number) => new Float(x);
const l = (...xs: Term[]) => listFromArray(xs);
const t = (k: Term, tag: string): Term => [k, atom(tag)];
const show = (x: Term) => formatW(x);

describe("lists:sort/1", () => {
  test("equal integers and floats come out in OTP's order", () => {
    expect(show(call("lists:sort", l(2, f(1), 1, f(1), 1)))).toBe("[1,1.0,1,1.0,2]");
    expect(show(call("lists:sort", l(3, 2, f(2), 1, f(1), 1)))).toBe("[1,1.0,1,2.0,2,3]");
    expect(show(call("lists:sort", l(1, f(1), 1, 0, f(1))))).toBe("[0,1.0,1,1.0,1]");
    expect(show(call("lists:sort", l(0, 5, 1, f(1), 2, 1, 3)))).toBe("[0,1,1.0,1,2,3,5]");
  });

  test("a long descending list of equal pairs: iterative, every pair reversed", () => {
    // erl: sort([100000, 100000.0, 99999, 99999.0, ...]) puts each float first.
    const xs: Term[] = [];
    for (let v = 100_000; v >= 1; v--) xs.push(v, f(v));
    const out = listToArray(call("lists:sort", listFromArray(xs)))!;
    expect(out.length).toBe(200_000);
    expect(out.every((x, i) => x instanceof Float === (i % 2 === 0))).toBe(true);
    expect(show(listFromArray(out.slice(0, 6)))).toBe("[1.0,1,2.0,2,3.0,3]");
  });
});

describe("lists:keysort/2", () => {
  test("a leading group of == tuples before a smaller key comes out reversed", () => {
    const before = l(t(1, "a"), t(1, "a"), t(f(1), "a"), t(0, "b"), t(1, "b"));
    expect(show(call("lists:keysort", 1, before))).toBe("[{0,b},{1.0,a},{1,a},{1,a},{1,b}]");
  });

  test("otherwise stable", () => {
    const before = l(t(1, "a"), t(1, "a"), t(f(1), "a"), t(2, "b"), t(1, "b"));
    expect(show(call("lists:keysort", 1, before))).toBe("[{1,a},{1,a},{1.0,a},{1,b},{2,b}]");
  });

  test("ukeysort keeps the first tuple of the leading group", () => {
    const before = l(t(1, "a"), t(f(1), "a"), t(1, "a"), t(0, "b"), t(1, "b"));
    expect(show(call("lists:ukeysort", 1, before))).toBe("[{0,b},{1,a}]");
  });
});
