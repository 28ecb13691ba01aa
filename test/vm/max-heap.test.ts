/**
 * max_heap_size beyond what the conformance fixture (proc_max_heap) pins
 * down: the error report has the shape real erl printed
 * (fixtures/vm/max_heap_report.expected), the heap estimate counts what a
 * process holds, and a big one-shot allocation is refused before it happens.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { binaryFromBytes } from "../../terms/binary.ts";
import { listFromArray } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { ManualClock, NO_MAX_HEAP, processHeapWords, type Runtime } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DIR = join(import.meta.dir, "../../fixtures/vm");
const CONFORMANCE = join(import.meta.dir, "../../fixtures/conformance");

function runtime(log: (t: string) => void = () => {}): Runtime {
  return createRuntime({ clock: new ManualClock(), paths: [DIR, CONFORMANCE], log });
}

/** A report with what varies between runs (time, pid, sizes) masked, GC info cut. */
function shape(report: string): string[] {
  return report
    .split("\n")
    .filter((l) => !l.startsWith("                          {"))
    .map((l) =>
      l
        .replace(/^=ERROR REPORT==== .* ===$/, "=ERROR REPORT==== <time> ===")
        .replace(/<\d+\.\d+\.\d+>/, "<pid>")
        .replace(/(Total Heap Size:\s+)\d+/, "$1<n>")
        .replace(/(GC Info:\s+)\[.*$/, "$1[...]"),
    );
}

describe("the max_heap_size report", () => {
  test("has the lines real erl printed, in order", () => {
    const logged: string[] = [];
    const rt = runtime((t) => logged.push(t));
    const o = rt.callSync("max_heap_report", "run", []);
    expect(o).toEqual({ kind: "value", value: atom("killed") });
    expect(logged.length).toBe(1);
    const recorded = readFileSync(join(DIR, "max_heap_report.expected"), "utf8");
    const erlReport = recorded.slice(0, recorded.indexOf("\n\n") + 2);
    expect(shape(logged[0]!)).toEqual(shape(erlReport));
    expect(recorded).toEndWith("down killed\n");
  });

  test("error_logger => false kills without a report", () => {
    const logged: string[] = [];
    const rt = runtime((t) => logged.push(t));
    expect(rt.callSync("proc_max_heap", "t_kill_map", [])).toEqual({
      kind: "value",
      value: atom("killed"),
    });
    expect(logged).toEqual([]);
  });
});

describe("the heap estimate", () => {
  const rt = runtime();
  const p = rt.spawn("erlang", "self", []);

  test("counts 2 words per cons, 1 + n per tuple, shared terms once, never below 233", () => {
    p.savedX = [];
    expect(processHeapWords(p)).toBe(233);
    const list = listFromArray(Array.from({ length: 1000 }, (_, i) => i));
    p.savedX = [list];
    expect(processHeapWords(p)).toBe(2000);
    p.savedX = [list, list, [list, list]];
    expect(processHeapWords(p)).toBe(2003);
  });

  test("counts binaries by their bytes and stops walking at the cap", () => {
    p.savedX = [binaryFromBytes(new Uint8Array(80_000))];
    expect(processHeapWords(p)).toBe(10_002);
    let deep: Term = NIL;
    for (let i = 0; i < 100_000; i++) deep = new Cons([deep], NIL);
    p.savedX = [deep];
    expect(processHeapWords(p, 5000)).toBeGreaterThan(5000);
    expect(processHeapWords(p, 5000)).toBeLessThan(5010);
    expect(processHeapWords(p)).toBe(400_000);
    p.savedX = [];
    p.maxHeap = NO_MAX_HEAP;
  });
});

describe("big one-shot allocations against the limit", () => {
  test("lists:seq, lists:duplicate, binary:copy and lists:reverse are refused up front", () => {
    const rt = runtime();
    for (const [m, f, args] of [
      ["lists", "seq", [1, 20_000_000]],
      ["lists", "duplicate", [20_000_000, atom("x")]],
      ["binary", "copy", [binaryFromBytes(new Uint8Array(1000)), 1_000_000]],
    ] as const) {
      const p = rt.vm.spawnMfa(
        null,
        atom("erlang"),
        atom("apply"),
        listFromArray([atom(m), atom(f), listFromArray([...args])]),
      );
      p.maxHeap = { size: 1_000_000, kill: true, errorLogger: false };
      p.reportCrash = false;
      rt.vm.runUntilIdle();
      expect(`${m}:${f} ${p.status} ${String(p.exitReason)}`).toBe(`${m}:${f} dead killed`);
    }
  });
});
