/** `aion serve --ui/--no-ui`: the console can be turned off, and contradicting flags are a usage error. */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aion, ROOT } from "../cli/helpers.ts";
import { readLines } from "../store/subprocess.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-ui-flags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("--ui with --no-ui is a usage error (exit 2)", async () => {
  const r = await aion("serve", "--db", join(dir, "a.db"), "--ui", "--no-ui");
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("--ui and --no-ui");
}, 60_000);

test("--no-ui on loopback: /ui is not served, the API still is", async () => {
  const p = Bun.spawn(
    [
      "bun",
      join(ROOT, "bin/aion.ts"),
      "serve",
      "--db",
      join(dir, "b.db"),
      "--port",
      "0",
      "--no-ui",
    ],
    { cwd: ROOT, stdout: "ignore", stderr: "pipe" },
  );
  let announced: (url: string) => void = () => {};
  const serving = new Promise<string>((resolve) => {
    announced = resolve;
  });
  const stderr = readLines(p.stderr, (line) => {
    const m = / on (http:\/\/\S+) \(pid/.exec(line);
    if (m) announced(m[1]!);
  });
  try {
    const url = await Promise.race([serving, stderr.then(() => undefined)]);
    expect(url).toBeDefined();
    expect((await fetch(`${url}/ui`)).status).toBe(404);
    expect((await fetch(`${url}/v1/health`)).status).toBe(200);
  } finally {
    p.kill("SIGTERM");
    await p.exited;
  }
}, 60_000);
