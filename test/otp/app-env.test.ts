/**
 * Application env defaults from `.app` files (nifs/kernel/app-file.ts): an
 * application counts as loaded once a module its `.app` lists is loaded from
 * the `.app`'s directory, and its env then reads as real erl's does after
 * `application:load/1` (fixtures/otp/appenv, recorded by
 * scripts/fixtures/otp-appenv.sh). Needs no Erlang install.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { AppFileError, readAppFile } from "../../nifs/kernel/app-file.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DIR = join(import.meta.dir, "../../fixtures/otp/appenv");
const expected = new Map(
  readFileSync(join(DIR, "aion_appenv.expected"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t") as [string, string]),
);

function runtime(): Runtime {
  return createRuntime({ clock: new ManualClock(), log: () => {}, paths: [DIR] });
}

function call(rt: Runtime, mod: string, fun: string, args: unknown[] = []): string {
  const o = rt.callSync(mod, fun, args as never[], 1_000_000);
  if (o.kind !== "value") throw new Error(`${mod}:${fun} ended ${o.kind}`);
  return formatW(o.value);
}

test("before any of its modules is loaded, the application has no env", () => {
  const rt = runtime();
  const got = call(rt, "application_controller", "get_env", [atom("aion_appenv"), atom("colour")]);
  expect(got).toBe(expected.get("before")!);
  expect(call(rt, "application_controller", "loaded_applications")).toBe("[]");
});

test("once its module is loaded, the .app defaults read as after application:load/1", () => {
  const rt = runtime();
  expect(call(rt, "aion_appenv", "view")).toBe(expected.get("view")!);
  expect(call(rt, "aion_appenv", "loaded")).toBe(expected.get("loaded")!);
});

test("set_env overrides a default and unset_env removes it for good", () => {
  const rt = runtime();
  expect(call(rt, "aion_appenv", "set_then_view")).toBe(expected.get("set_then_view")!);
  // A later look (more modules loaded) must not bring the unset default back.
  call(rt, "queue", "new");
  expect(rt.vm.modules.has(atom("queue"))).toBe(true);
  expect(call(rt, "aion_appenv", "view")).toBe(expected.get("set_then_view")!);
});

test("a value set before the application loads wins over its default (our rule)", () => {
  const rt = runtime();
  call(rt, "application_controller", "set_env", [atom("aion_appenv"), atom("size"), 7]);
  expect(call(rt, "aion_appenv", "view")).toContain("{ok,7}");
});

test("a malformed .app file is a typed error naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "aion-appfile-"));
  const bad = join(dir, "bad.app");
  writeFileSync(bad, "{application, bad, [{env, notalist}]}.\n");
  expect(() => readAppFile(bad)).toThrow(AppFileError);
  expect(() => readAppFile(bad)).toThrow(/bad\.app: env is not a list/);
  writeFileSync(bad, "{application, bad\n");
  expect(() => readAppFile(bad)).toThrow(/bad\.app: not a term/);
});
