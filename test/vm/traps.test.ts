/**
 * Long builders trap (vm/native.ts Trap, nifs/lib/lists-long.ts): a call
 * that builds a million-element list gives the scheduler back between
 * chunks, so another process runs before it finishes, and the result is
 * the same list.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { listToArray } from "../../terms/list.ts";
import { ManualClock, type Process, type Runtime } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

function runtime(): Runtime {
  return createRuntime({ clock: new ManualClock(), log: () => {} });
}

/** Runs slices until `p` is dead; returns how many slices of `p` it took. */
function slicesUntilDead(rt: Runtime, p: Process, other: Process): number {
  let slices = 0;
  while (p.status !== "dead") {
    rt.vm.runUntilIdle(1);
    slices++;
    if (slices > 10_000) throw new Error("did not finish");
  }
  // The other process was started after `p` and finished while `p` was still building.
  expect(other.status).toBe("dead");
  return slices;
}

describe("long lists are built in slices", () => {
  test("lists:seq(1, 1000000) yields to other processes and returns the whole list", () => {
    const rt = runtime();
    const p = rt.spawn("lists", "seq", [1, 1_000_000]);
    const other = rt.spawn("erlang", "self", []);
    expect(slicesUntilDead(rt, p, other)).toBeGreaterThan(2);
    const l = listToArray(p.result)!;
    expect(l.length).toBe(1_000_000);
    expect([l[0], l[1], l[999_999]]).toEqual([1, 2, 1_000_000]);
  });

  test("lists:seq/3 with a negative step and lists:duplicate/2 too", () => {
    const rt = runtime();
    const p = rt.spawn("lists", "seq", [1_000_000, 1, -3]);
    const other = rt.spawn("erlang", "self", []);
    slicesUntilDead(rt, p, other);
    const l = listToArray(p.result)!;
    expect(l.length).toBe(333_334);
    expect([l[0], l[1], l.at(-1)]).toEqual([1_000_000, 999_997, 1]);

    const d = rt.spawn("lists", "duplicate", [500_000, atom("x")]);
    const other2 = rt.spawn("erlang", "self", []);
    slicesUntilDead(rt, d, other2);
    const dl = listToArray(d.result)!;
    expect(dl.length).toBe(500_000);
    expect(dl.every((e) => e === atom("x"))).toBe(true);
  });

  test("a short list is built in one go", () => {
    const rt = runtime();
    const p = rt.spawn("lists", "seq", [1, 1000]);
    rt.vm.runUntilIdle(1);
    expect(p.status).toBe("dead");
    expect(listToArray(p.result)!.length).toBe(1000);
  });
});
