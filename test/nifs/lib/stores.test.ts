/** ets, persistent_term and os: per-VM state and clock-driven values. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../../terms/atom.ts";
import { formatW } from "../../../terms/format.ts";
import { listFromArray } from "../../../terms/list.ts";
import { Float, Ref, type Term } from "../../../terms/term.ts";
import { ErlangError } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { callIn, newProcess } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const a = atom;
const L = (...xs: Term[]) => listFromArray(xs);
const w = formatW;

function raises(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ErlangError) return w(e.reason);
    throw e;
  }
  return "no error";
}

describe("ets", () => {
  test("set tables", () => {
    const p = newProcess();
    const t = callIn(p, "ets:new", a("t"), L(a("set")));
    expect(t).toBeInstanceOf(Ref);
    expect(w(callIn(p, "ets:insert", t, [a("k"), 1]))).toBe("true");
    callIn(p, "ets:insert", t, L([a("k"), 2], [a("j"), 3]));
    expect(w(callIn(p, "ets:lookup", t, a("k")))).toBe("[{k,2}]");
    expect(w(callIn(p, "ets:insert_new", t, [a("k"), 9]))).toBe("false");
    expect(w(callIn(p, "ets:member", t, a("j")))).toBe("true");
    expect(w(callIn(p, "ets:lookup_element", t, a("j"), 2))).toBe("3");
    expect(w(callIn(p, "ets:info", t, a("size")))).toBe("2");
    expect(w(callIn(p, "ets:update_counter", t, a("k"), 5))).toBe("7");
    expect(w(callIn(p, "ets:update_counter", t, a("n"), [2, 1], [a("n"), 0]))).toBe("1");
    expect(w(callIn(p, "ets:take", t, a("n")))).toBe("[{n,1}]");
    expect(w(callIn(p, "ets:delete", t, a("k")))).toBe("true");
    expect(w(callIn(p, "ets:tab2list", t))).toBe("[{j,3}]");
    expect(w(callIn(p, "ets:delete", t))).toBe("true");
    expect(raises(() => callIn(p, "ets:lookup", t, a("j")))).toBe("badarg");
  });

  test("named ordered_set, keys by ==, traversal", () => {
    const p = newProcess();
    expect(w(callIn(p, "ets:new", a("o"), L(a("ordered_set"), a("named_table"))))).toBe("o");
    callIn(p, "ets:insert", a("o"), L([3, a("c")], [1, a("a")], [2, a("b")]));
    callIn(p, "ets:insert", a("o"), [new Float(1), a("one")]);
    expect(w(callIn(p, "ets:tab2list", a("o")))).toBe("[{1.0,one},{2,b},{3,c}]");
    expect(w(callIn(p, "ets:first", a("o")))).toBe("1.0");
    expect(w(callIn(p, "ets:next", a("o"), 2))).toBe("3");
    expect(w(callIn(p, "ets:next", a("o"), 3))).toBe("'$end_of_table'");
    expect(w(callIn(p, "ets:prev", a("o"), 3))).toBe("2");
    expect(w(callIn(p, "ets:whereis", a("o")))).toBe("o");
    expect(raises(() => callIn(p, "ets:new", a("o"), L(a("named_table"))))).toBe("badarg");
  });

  test("bags", () => {
    const p = newProcess();
    const b = callIn(p, "ets:new", a("b"), L(a("bag")));
    callIn(p, "ets:insert", b, L([a("k"), 1], [a("k"), 1], [a("k"), 2]));
    expect(w(callIn(p, "ets:lookup", b, a("k")))).toBe("[{k,1},{k,2}]");
    const d = callIn(p, "ets:new", a("d"), L(a("duplicate_bag")));
    callIn(p, "ets:insert", d, L([a("k"), 1], [a("k"), 1]));
    expect(w(callIn(p, "ets:lookup", d, a("k")))).toBe("[{k,1},{k,1}]");
    callIn(p, "ets:delete_object", b, [a("k"), 1]);
    expect(w(callIn(p, "ets:lookup", b, a("k")))).toBe("[{k,2}]");
  });

  test("match and select", () => {
    const p = newProcess();
    const t = callIn(p, "ets:new", a("m"), L(a("ordered_set")));
    callIn(p, "ets:insert", t, L([1, a("x"), 10], [2, a("y"), 20], [3, a("x"), 30]));
    expect(w(callIn(p, "ets:match", t, [a("$1"), a("x"), a("_")]))).toBe("[[1],[3]]");
    expect(w(callIn(p, "ets:match_object", t, [a("_"), a("y"), a("_")]))).toBe("[{2,y,20}]");
    const spec = L([
      [a("$1"), a("$2"), a("$3")],
      L([a(">"), a("$3"), 15]),
      L([[a("$2"), a("$1")]]),
    ]);
    expect(w(callIn(p, "ets:select", t, spec))).toBe("[{y,2},{x,3}]");
    const all = L([a("_"), L(), L(a("$_"))]);
    expect(w(callIn(p, "ets:select", t, all))).toBe("[{1,x,10},{2,y,20},{3,x,30}]");
    const cnt = L([[a("_"), a("x"), a("_")], L(), L(a("true"))]);
    expect(w(callIn(p, "ets:select_count", t, cnt))).toBe("2");
    expect(w(callIn(p, "ets:select_delete", t, cnt))).toBe("2");
    expect(w(callIn(p, "ets:tab2list", t))).toBe("[{2,y,20}]");
  });

  test("tables are per VM", () => {
    const p1 = newProcess();
    const p2 = newProcess();
    callIn(p1, "ets:new", a("shared"), L(a("named_table")));
    expect(w(callIn(p2, "ets:whereis", a("shared")))).toBe("undefined");
  });
});

describe("persistent_term", () => {
  test("put/get/erase, exact keys, per VM", () => {
    const p = newProcess();
    callIn(p, "persistent_term:put", [a("k"), 1], a("v1"));
    callIn(p, "persistent_term:put", 1, a("int"));
    callIn(p, "persistent_term:put", new Float(1), a("float"));
    expect(w(callIn(p, "persistent_term:get", [a("k"), 1]))).toBe("v1");
    expect(w(callIn(p, "persistent_term:get", 1))).toBe("int");
    expect(w(callIn(p, "persistent_term:get", new Float(1)))).toBe("float");
    expect(w(callIn(p, "persistent_term:get", a("missing"), a("dflt")))).toBe("dflt");
    expect(raises(() => callIn(p, "persistent_term:get", a("missing")))).toBe("badarg");
    expect(w(callIn(p, "persistent_term:erase", 1))).toBe("true");
    expect(w(callIn(p, "persistent_term:erase", 1))).toBe("false");
    expect(raises(() => callIn(newProcess(), "persistent_term:get", [a("k"), 1]))).toBe("badarg");
  });
});

describe("os", () => {
  test("time and environment", () => {
    const p = newProcess();
    // Bracketed by the wall clock read before and after, however long the call
    // took. The VM's clock is `performance.now` from an origin taken at start,
    // so it may sit a hair off `Date.now` across a second boundary: allow one.
    const before = Math.floor(Date.now() / 1000);
    const s = callIn(p, "os:system_time", a("second")) as number;
    const after = Math.floor(Date.now() / 1000);
    expect(s).toBeGreaterThanOrEqual(before - 1);
    expect(s).toBeLessThanOrEqual(after + 1);
    const ns = callIn(p, "os:system_time");
    expect(typeof ns === "number" || typeof ns === "bigint").toBe(true);
    process.env.AION_LIB_TEST = "x=1";
    expect(w(callIn(p, "os:getenv", listFromArray([...Buffer.from("AION_LIB_TEST")])))).toBe(
      "[120,61,49]",
    );
    expect(w(callIn(p, "os:getenv", listFromArray([...Buffer.from("AION_NOPE_123")])))).toBe(
      "false",
    );
    expect(
      w(callIn(p, "os:getenv", listFromArray([...Buffer.from("AION_NOPE_123")]), a("d"))),
    ).toBe("d");
    expect(w(callIn(p, "os:type"))).toBe("{unix,linux}");
  });
});
