/** `aion inspect`: the report and the command's exit statuses. */
import { expect, setDefaultTimeout, test } from "bun:test";
import { aion } from "../cli/helpers.ts";

/** Each test runs `aion` as `bun` subprocesses: fast when idle, many times slower under load. */
setDefaultTimeout(60_000);

test("inspect prints chunks, tables and the disassembly", async () => {
  const r = await aion("inspect", "fixtures/loader/fl.beam");
  expect(r.code).toBe(0);
  for (const part of [
    "chunks:",
    "AtU8",
    "Code",
    "LitT",
    "imports (",
    "erlang:get_module_info/1",
    "exports (",
    "compile info: [{version,",
    "{module, fl}.",
    "{labels, 13}.",
    "{function, calc, 2, 2}.",
    "{bif,fmul,{f,0},[{fr,0},{fr,1}],{fr,2}}.",
  ]) {
    expect(r.stdout).toContain(part);
  }
});

test("inspect reports a LoadError and exits 1", async () => {
  const r = await aion("inspect", "package.json");
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^LoadError: package\.json: FOR1 at byte 0:/);
});

test("usage and unknown commands", async () => {
  expect((await aion()).stdout).toContain("inspect");
  expect((await aion("inspect")).code).toBe(2);
  expect((await aion("frobnicate")).code).toBe(2);
});
