/** VM defaults are set by the edges (bin/, test/setup.ts), never read from the environment by the VM. */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { setVmDefaults, VM, vmDefaults, vmDefaultsFromEnv } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const saved = { ...vmDefaults };
afterEach(() => setVmDefaults(saved));

describe("vm defaults", () => {
  test("a VM created without options takes the defaults in force; options win", () => {
    setVmDefaults({ tier: "closures", jitHot: 5 });
    const vm = new VM({ log: () => {} });
    expect([vm.tier, vm.jitHot]).toEqual(["closures", 5]);
    expect(new VM({ tier: "fused", jitHot: 1, log: () => {} })).toMatchObject({
      tier: "fused",
      jitHot: 1,
    });
  });

  test("bad values are refused loudly", () => {
    expect(() => setVmDefaults({ tier: "turbo" as never })).toThrow(/unknown VM tier/);
    expect(() => setVmDefaults({ jitHot: 0 })).toThrow(/JIT threshold/);
    expect(() => setVmDefaults(vmDefaultsFromEnv({ AION_JIT_HOT: "x" }))).toThrow(/JIT threshold/);
  });

  test("reading the environment is a pure function of the map it is given", () => {
    expect(vmDefaultsFromEnv({})).toEqual({});
    expect(vmDefaultsFromEnv({ AION_TIER: "fused", AION_JIT_HOT: "3" })).toEqual({
      tier: "fused",
      jitHot: 3,
    });
  });
});
