/** `aion package`: building, --check, and the exit statuses. */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPackage, readPackage } from "../../../loader/aion/index.ts";
import { ROOT } from "./helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "aion-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function aion(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn(["bun", join(ROOT, "bin", "aion.ts"), ...args], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, out, err };
}

test("package DIR -o OUT writes the same bytes as buildPackage", async () => {
  const out = join(scratch, "hello.aion");
  const r = await aion("package", "fixtures/packages/hello", "-o", out);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  const built = buildPackage(join(ROOT, "fixtures", "packages", "hello"));
  expect<Uint8Array>(new Uint8Array(readFileSync(out))).toEqual(built.bytes);
  expect(r.out).toStartWith(`wrote ${out} (${built.bytes.length} bytes)\n`);
  expect(r.out).toContain(`version ${built.version} (timeouts form)`);
  expect(r.out).toContain("modules: hello_flow hello_util");
  expect(r.out).toContain("hello_shout -> hello_flow:shout, timeout 1.5s (internal)");
  expect(readPackage(new Uint8Array(readFileSync(out)), out).version).toBe(built.version);
});

test("package --check reads packages and reports each", async () => {
  const good = join(scratch, "minimal.aion");
  expect((await aion("package", "fixtures/packages/minimal", "--output", good)).code).toBe(0);
  const ok = await aion("package", "--check", good, "fixtures/packages/foreign/hello-zipcli.aion");
  expect(ok.code).toBe(0);
  expect(ok.out).toContain(`${good}: ok\nversion `);
  expect(ok.out).toContain("(legacy form)");
  const bad = join(scratch, "bad.aion");
  writeFileSync(bad, "not a zip");
  const r = await aion("package", "--check", good, bad);
  expect(r.code).toBe(1);
  expect(r.err).toStartWith(`PackageError[truncated]: ${bad}: zip container:`);
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
  expect(r.err).toStartWith(`PackageError[config]: ${join(dir, "workflow.toml")}: timeout:`);
  expect(r.out).toBe("");
});

test("usage errors exit 2", async () => {
  for (const args of [[], ["-o"], ["a", "b"], ["--check"], ["--frob", "x"], ["dir", "-o"]]) {
    const r = await aion("package", ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain("usage: aion package DIR");
  }
  expect((await aion("help")).out).toContain("package");
  expect((await aion("help", "package")).out).toContain("--check");
});
