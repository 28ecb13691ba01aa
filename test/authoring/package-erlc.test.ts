/**
 * `aion package` compiles an Erlang project's `src/*.erl` into `ebin/` with
 * erlc (and `src/*.ex` with elixirc), and refuses clearly when the compiler
 * is missing or a file does not compile.
 * The tests that need erlc are skipped, with a message, where it is absent.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  compileElixirSources,
  compileErlangSources,
  PackageError,
  readPackage,
} from "../../loader/aion/index.ts";
import { aion } from "../cli/helpers.ts";

/** erlc and CLI subprocesses on a shared machine: generous. */
setDefaultTimeout(120_000);

const HAVE_ERLC = Bun.which("erlc") !== null;
if (!HAVE_ERLC)
  console.warn("package-erlc.test.ts: erlc is not on PATH; the compiling tests are skipped");

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A one-module Erlang project whose workflow returns `Body`. */
function project(body = "{ok, #{hi => 1}}"): string {
  const dir = mkdtempSync(join(tmpdir(), "aion-erlc-"));
  dirs.push(dir);
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "tiny.erl"),
    `-module(tiny).\n-export([run/1]).\nrun(_) -> ${body}.\n`,
  );
  writeFileSync(join(dir, "workflow.toml"), 'entry_module = "tiny"\nentry_function = "run"\n');
  return dir;
}

test.skipIf(!HAVE_ERLC)("package compiles src/*.erl into ebin/ and ships it", async () => {
  const dir = project();
  const out = join(dir, "tiny.aion");
  const r = await aion("package", dir, "-o", out);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("compiled src/tiny.erl into ebin/");
  expect(existsSync(join(dir, "ebin", "tiny.beam"))).toBe(true);
  const pkg = readPackage(new Uint8Array(await Bun.file(out).arrayBuffer()), out);
  expect([...pkg.modules.keys()]).toEqual(["tiny"]);
});

test.skipIf(!HAVE_ERLC)("a source that does not compile is a build error naming it", async () => {
  const dir = project("{ok, ");
  const r = await aion("package", dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("PackageError[build]");
  expect(r.stderr).toContain("src/tiny.erl: `erlc` failed");
});

test("without erlc on PATH the error says so and names the source", () => {
  const dir = project();
  const empty = mkdtempSync(join(tmpdir(), "aion-nopath-"));
  dirs.push(empty);
  let caught: unknown;
  try {
    compileErlangSources(dir, { path: empty });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PackageError);
  expect((caught as PackageError).code).toBe("build");
  expect((caught as PackageError).where).toBe("src/tiny.erl");
  expect((caught as PackageError).detail).toContain("`erlc` is not on PATH");
  expect(existsSync(join(dir, "ebin"))).toBe(false);
});

test("Gleam projects and flat directories are not compiled", () => {
  const dir = project();
  writeFileSync(join(dir, "gleam.toml"), 'name = "tiny"\n');
  // An empty PATH would make any compile attempt throw.
  expect(compileErlangSources(dir, { path: "" }).compiled).toEqual([]);
  const flat = mkdtempSync(join(tmpdir(), "aion-flat-"));
  dirs.push(flat);
  writeFileSync(join(flat, "x.erl"), "-module(x).\n");
  expect(compileErlangSources(flat, { path: "" }).compiled).toEqual([]);
});

test("without elixirc on PATH an Elixir project's error says so", () => {
  const dir = project();
  writeFileSync(join(dir, "src", "tiny_ex.ex"), "defmodule :tiny_ex do\nend\n");
  let caught: unknown;
  try {
    compileElixirSources(dir, { path: "" });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PackageError);
  expect((caught as PackageError).where).toBe("src/tiny_ex.ex");
  expect((caught as PackageError).detail).toContain("`elixirc` is not on PATH");
  // A Mix project is left to mix.
  writeFileSync(join(dir, "mix.exs"), "");
  expect(compileElixirSources(dir, { path: "" }).compiled).toEqual([]);
});
