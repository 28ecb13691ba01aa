/** `aion package`: building, --check, and the exit statuses. */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPackage, readPackage } from "../../../loader/aion/index.ts";
import { aion, ROOT } from "../../cli/helpers.ts";

/** Each test runs `aion` as `bun` subprocesses: fast when idle, many times slower under load. */
setDefaultTimeout(60_000);

const scratch = mkdtempSync(join(tmpdir(), "aion-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("package DIR -o OUT writes the same bytes as buildPackage", async () => {
  const out = join(scratch, "hello.aion");
  const r = await aion("package", "fixtures/packages/hello", "-o", out);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const built = buildPackage(join(ROOT, "fixtures", "packages", "hello"));
  expect<Uint8Array>(new Uint8Array(readFileSync(out))).toEqual(built.bytes);
  expect(r.stdout).toStartWith(`wrote ${out} (${built.bytes.length} bytes)\n`);
  expect(r.stdout).toContain(`version ${built.version} (timeouts form)`);
  expect(r.stdout).toContain("modules: hello_flow hello_util");
  expect(r.stdout).toContain("hello_shout -> hello_flow:shout, timeout 1.5s (internal)");
  expect(readPackage(new Uint8Array(readFileSync(out)), out).version).toBe(built.version);
});

test("package --check reads packages and reports each", async () => {
  const good = join(scratch, "minimal.aion");
  expect((await aion("package", "fixtures/packages/minimal", "--output", good)).code).toBe(0);
  const ok = await aion("package", "--check", good, "fixtures/packages/foreign/hello-zipcli.aion");
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain(`${good}: ok\nversion `);
  expect(ok.stdout).toContain("(legacy form)");
  const bad = join(scratch, "bad.aion");
  writeFileSync(bad, "not a zip");
  const r = await aion("package", "--check", good, bad);
  expect(r.code).toBe(1);
  expect(r.stderr).toStartWith(`PackageError[truncated]: ${bad}: zip container:`);
});

test("a broken package directory exits 1 with the PackageError", async () => {
  const dir = join(scratch, "broken");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "workflow.toml"),
    'entry_module = "x"\nentry_function = "run"\ntimeout = "soon"\n',
  );
  const r = await aion("package", dir, "-o", join(scratch, "never.aion"));
  expect(r.code).toBe(1);
  expect(r.stderr).toStartWith(`PackageError[config]: ${join(dir, "workflow.toml")}:3: timeout:`);
  expect(r.stdout).toBe("");
});

test("usage errors exit 2", async () => {
  for (const args of [[], ["-o"], ["a", "b"], ["--check"], ["--frob", "x"], ["dir", "-o"]]) {
    const r = await aion("package", ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: aion package DIR");
  }
  expect((await aion("help")).stdout).toContain("package");
  expect((await aion("help", "package")).stdout).toContain("--check");
});
