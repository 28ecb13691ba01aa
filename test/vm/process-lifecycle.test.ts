/**
 * Spawning and dying, with what a process creates on first use (links,
 * monitors, dictionary, catches) and the run queue and mailbox starting over
 * whenever they empty: the results must be BEAM's. Expected values are what
 * `erl` gives for the same module.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import type { Term } from "../../terms/term.ts";
import { ManualClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** Built from fixtures/vm/proc_churn.erl (scripts/build-fixtures.sh). */
const dir = join(import.meta.dir, "../../fixtures/vm");

function call(fn: string, args: Term[] = []): string {
  const rt = createRuntime({ clock: new ManualClock(), paths: [dir], log: () => {} });
  rt.code.loadFile(join(dir, "proc_churn.beam"));
  const o = rt.callSync("proc_churn", fn, args, 2_000_000);
  if (o.kind !== "value")
    throw new Error(`${fn}: ${o.kind === "exception" ? formatW(o.reason) : o.kind}`);
  return formatW(o.value);
}

describe("spawn, exit and what a process creates on first use", () => {
  test("processes run in spawn order as the run queue empties and refills", () => {
    const n = 5000;
    expect(call("fifo", [n])).toBe(
      `[${Array.from({ length: n }, (_, i) => `{n,${i + 1}}`).join(",")}]`,
    );
  });

  test("a receive marker works after the mailbox emptied thousands of times", () => {
    expect(call("marker_after_empty", [3000])).toBe("{reply,old}");
  });

  test("monitored children that exit: every DOWN arrives, no process is left", () => {
    expect(call("churn", [2000])).toBe("{6000,0}");
  });

  test("links, monitors, dictionary and catch level of a fresh process, then with and without links", () => {
    expect(call("info")).toBe(
      "{[{links,[]},{monitors,[]},{monitored_by,[]},{dictionary,[]},{catchlevel,0},{priority,normal}],true,true,[{links,[]},{monitored_by,[]}],[{links,[]},{monitors,[]}]}",
    );
  });

  test("the dictionary before first use, used, and emptied", () => {
    expect(call("dict")).toBe(
      "{[],undefined,undefined,[],undefined,undefined,2,1,[{{t},2}],[{{t},2}],[]}",
    );
  });

  test("exit signals through links created on first use", () => {
    expect(call("links", [atom("bye")])).toBe("{bye,boom,{links,[]}}");
  });
});
