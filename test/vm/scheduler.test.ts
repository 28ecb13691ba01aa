/**
 * Scheduler and host integration: natives that suspend a process and are
 * resumed by the host, reduction-counted preemption, crash isolation.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import type { Term } from "../../terms/term.ts";
import { defineNatives, ErlangError, ManualClock, type Process, SUSPEND } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const BEAM = join(import.meta.dir, "../../fixtures/vm/host_calls.beam");

function setup(sliceReductions?: number) {
  const parked: { p: Process; arg: Term }[] = [];
  const host = defineNatives("host_test", {
    "await/1": (p, arg) => {
      parked.push({ p, arg: arg! });
      return SUSPEND;
    },
  });
  const rt = createRuntime({
    clock: new ManualClock(),
    natives: [host],
    sliceReductions,
    log: () => {},
  });
  rt.code.loadFile(BEAM);
  return { rt, parked };
}

describe("natives that suspend", () => {
  test("the host resumes a parked process with a value, twice", () => {
    const { rt, parked } = setup();
    const p = rt.spawn("host_calls", "await_twice", [41]);
    rt.vm.runUntilIdle();
    expect(p.status).toBe("suspended");
    expect(parked.map((x) => formatW(x.arg))).toEqual(["41"]);
    expect(rt.vm.resume(p, 10)).toBe(true);
    rt.vm.runUntilIdle();
    expect(parked.map((x) => formatW(x.arg))).toEqual(["41", "11"]);
    rt.vm.resume(p, atom("second"));
    rt.vm.runUntilIdle();
    expect(p.status).toBe("dead");
    expect(formatW(p.result)).toBe("{10,second}");
  });

  test("resuming with an error raises it at the call site, where try catches it", () => {
    const { rt, parked } = setup();
    const p = rt.spawn("host_calls", "await_caught", []);
    rt.vm.runUntilIdle();
    expect(parked.length).toBe(1);
    rt.vm.resumeWithError(p, new ErlangError("error", atom("host_failed")));
    rt.vm.runUntilIdle();
    expect(formatW(p.result)).toBe("{caught,host_failed}");
  });

  test("a process that is not suspended cannot be resumed", () => {
    const { rt } = setup();
    const p = rt.spawn("host_calls", "spin", [10]);
    expect(rt.vm.resume(p, 1)).toBe(false);
  });
});

describe("preemption", () => {
  test("a long loop is split into slices of the configured size", () => {
    const { rt } = setup(1000);
    const p = rt.spawn("host_calls", "spin", [100_000]);
    const slices = rt.vm.runUntilIdle();
    expect(p.status).toBe("dead");
    // One reduction per call: 100k calls need at least 100 slices of 1000.
    expect(slices).toBeGreaterThanOrEqual(100);
    expect(p.reductions).toBeGreaterThanOrEqual(100_000);
  });

  test("a process spinning forever does not starve the others", () => {
    const { rt } = setup();
    const spinner = rt.spawn("host_calls", "spin_forever", []);
    const worker = rt.spawn("host_calls", "two_spinners", [200_000]);
    rt.vm.runUntilIdle(2000);
    expect(worker.status).toBe("dead");
    expect(formatW(worker.result)).toBe("[{a,done},{b,done}]");
    expect(spinner.status).toBe("runnable");
  });
});

describe("crash isolation", () => {
  test("an uncaught error ends only its own process and is reported", () => {
    const logs: string[] = [];
    const rt = createRuntime({ clock: new ManualClock(), log: (t) => logs.push(t) });
    rt.code.loadFile(BEAM);
    const bad = rt.spawn("host_calls", "spin", [atom("not_a_number")]);
    const good = rt.spawn("host_calls", "spin", [1000]);
    rt.vm.runUntilIdle();
    expect(bad.status).toBe("dead");
    expect(formatW(bad.exitReason)).toStartWith("{badarith,");
    expect(formatW(good.result)).toBe("done");
    expect(logs.join("")).toContain("Error in process");
  });
});
