/** `aion run` end to end, as a user runs it. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aion, ROOT } from "./helpers.ts";

/** Each test runs `aion` as `bun` subprocesses: fast when idle, many times slower under load. */
setDefaultTimeout(60_000);

const FIXTURES = join(ROOT, "fixtures/cli");

describe("aion run", async () => {
  test("prints the result as ~w and exits 0, after the program's own output", async () => {
    const r = await aion("run", "--path", FIXTURES, "hello:main", '"world"');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Hello, world!\n{ok,[100,108,114,111,119]}\n");
  });

  test("arguments are Erlang term literals, bignums and floats included", async () => {
    const r = await aion("run", "--path", FIXTURES, "hello:add", "100000000000000000000", "2.5");
    expect(r.stdout).toBe("1.0e20\n");
    const r2 = await aion("run", "--path", FIXTURES, "hello:add", "16#FF", "-1");
    expect(r2.stdout).toBe("254\n");
  });

  test("an uncaught exception prints class, reason and stack on stderr and exits 1", async () => {
    const r = await aion("run", "--path", FIXTURES, "hello:crash", "5");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("** exception error: badarg");
    expect(r.stderr).toContain("in function  erlang:element/2");
    expect(r.stderr).toContain("in function  hello:crash/1 (hello.erl, line 6)");
  });

  test("throw is reported with its class", async () => {
    const r = await aion("run", "--path", FIXTURES, "hello:uncaught_throw");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("** exception throw: {oops,[1,2]}");
  });

  test("halt(N) exits with N", async () => {
    expect((await aion("run", "--path", FIXTURES, "hello:halt_with", "3")).code).toBe(3);
  });

  test("bad usage and bad arguments exit 2 with a message", async () => {
    expect((await aion("run")).code).toBe(2);
    const bad = await aion("run", "--path", FIXTURES, "hello:add", "{1,");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad argument term");
    const missing = await aion("run", "--path", "/nonexistent", "hello:add", "1", "2");
    expect(missing.code).toBe(2);
  });

  test("a corrupt .beam on the path is a load error naming file, chunk and offset", async () => {
    const dir = join(tmpdir(), `aion-bad-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const good = readFileSync(join(FIXTURES, "hello.beam"));
    writeFileSync(join(dir, "broken.beam"), good.subarray(0, 100));
    const r = await aion("run", "--path", dir, "broken:x");
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("broken.beam: FOR1 at byte 4:");
  });

  test("calling an undefined function is an undef exception", async () => {
    const r = await aion("run", "--path", FIXTURES, "hello:nope");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("** exception error: undef");
  });
});
