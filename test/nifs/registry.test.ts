/**
 * The one natives registry: the standard list serves every MFA from exactly
 * one file, and registering an MFA twice is an error unless done through the
 * named override API.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createRuntime } from "../../nifs/index.ts";
import { standardNatives } from "../../nifs/registry.ts";
import { atom } from "../../terms/atom.ts";
import { DuplicateNativeError, defineNatives, ManualClock, VM } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

describe("standard natives", () => {
  test("no MFA is served by two native modules", () => {
    const owners = new Map<string, number>();
    const duplicates: string[] = [];
    standardNatives().forEach((mod, i) => {
      for (const key of [...mod.functions.keys(), ...mod.control.keys()]) {
        const mfa = `${mod.module}:${key}`;
        if (owners.has(mfa)) duplicates.push(mfa);
        owners.set(mfa, i);
      }
    });
    expect(duplicates).toEqual([]);
    expect(owners.size).toBeGreaterThan(500);
  });

  test("a runtime installs every standard native once", () => {
    const rt = createRuntime({ clock: new ManualClock(), log: () => {} });
    expect(rt.vm.natives.has("erlang", "length", 1)).toBe(true);
    expect(rt.vm.natives.has("lists", "seq", 2)).toBe(true);
    // Installing the same list again hits the first duplicate.
    expect(() => rt.vm.registerNatives(standardNatives()[0]!)).toThrow(DuplicateNativeError);
  });
});

describe("NativeRegistry", () => {
  const one = defineNatives("reg_test", { "f/1": () => atom("first") });
  const two = defineNatives("reg_test", { "f/1": () => atom("second"), "g/0": () => atom("g") });

  test("a second registration of an MFA throws and names it, installing nothing", () => {
    const vm = new VM({ log: () => {} });
    vm.registerNatives(one);
    let err: unknown;
    try {
      vm.registerNatives(two);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DuplicateNativeError);
    expect((err as DuplicateNativeError).mfa).toBe("reg_test:f/1");
    expect((err as Error).message).toContain("reg_test:f/1");
    // The refused module left nothing behind: g/0 was not installed either.
    expect(vm.natives.has("reg_test", "g", 0)).toBe(false);
    expect(vm.exports.lookup("reg_test", "g", 0).isDefined).toBe(false);
  });

  test("a control native and a plain native of the same MFA are duplicates too", () => {
    const vm = new VM({ log: () => {} });
    vm.registerNatives(one);
    const ctl = defineNatives("reg_test", {}, { "f/1": (_p, _a, ret) => ret });
    expect(() => vm.registerNatives(ctl)).toThrow(DuplicateNativeError);
  });

  test("override replaces on purpose", () => {
    const vm = new VM({ log: () => {} });
    vm.registerNatives(one);
    vm.overrideNatives(two);
    const fn = vm.exports.lookup("reg_test", "f", 1).native!;
    expect(fn(null as never, atom("x"))).toBe(atom("second"));
    expect(vm.natives.has("reg_test", "g", 0)).toBe(true);
  });
});
