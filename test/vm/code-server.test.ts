/**
 * The code server (vm/code-server.ts): modules load from the code path on
 * first call, or ahead of time with `ensureLoaded` (as `code:ensure_loaded/1`),
 * once each.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { ManualClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { describeOutcome } from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = join(import.meta.dir, "../../fixtures/vm");

function runtime() {
  return createRuntime({ clock: new ManualClock(), paths: [dir], log: () => {} });
}

describe("CodeServer.ensureLoaded", () => {
  test("loads a module from the code path once, by name or atom", () => {
    const rt = runtime();
    const modules = rt.vm.modules;
    expect(modules.has(atom("jit_cases"))).toBe(false);
    expect(rt.code.ensureLoaded("jit_cases")).toBe(true);
    const loaded = modules.get(atom("jit_cases"));
    expect(loaded).toBeDefined();
    // Already loaded: nothing is read or replaced.
    expect(rt.code.ensureLoaded(atom("jit_cases"))).toBe(true);
    expect(modules.get(atom("jit_cases"))).toBe(loaded!);
    expect(describeOutcome(rt.callSync("jit_cases", "count", [10, 0]))).toBe("value\t15");
    expect(modules.get(atom("jit_cases"))).toBe(loaded!);
  });

  test("a module on no path is not loaded, and calling it is undef", () => {
    const rt = runtime();
    expect(rt.code.ensureLoaded("no_such_module")).toBe(false);
    expect(rt.vm.modules.has(atom("no_such_module"))).toBe(false);
    expect(describeOutcome(rt.callSync("no_such_module", "f", []))).toContain("undef");
  });

  test("without ensureLoaded the first call loads the module", () => {
    const rt = runtime();
    expect(describeOutcome(rt.callSync("jit_cases", "sel", [7]))).toBe("value\tseven");
    expect(rt.vm.modules.has(atom("jit_cases"))).toBe(true);
  });
});
