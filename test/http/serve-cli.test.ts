/**
 * `aion serve` as a real subprocess: a public bind without tokens is refused
 * before anything is opened; with a token file it serves on loopback, turns
 * away callers without a token, and the CLI reaches it with AION_TOKEN.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLines } from "../store/subprocess.ts";

// Each test runs `aion` as `bun` subprocesses (a server among them): about a second
// when idle, many times that on a loaded machine. The bound only stops a hang.
setDefaultTimeout(120_000);

const ROOT = join(import.meta.dir, "../..");
const AION = join(ROOT, "bin/aion.ts");
const dir = mkdtempSync(join(tmpdir(), "aion-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPS = "serve-test-ops-token-0123";
const READER = "serve-test-reader-token-0123";

/** Runs `aion ARGS...` with extra environment; resolves with its exit code and output. */
async function aion(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn(["bun", AION, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, stdout, stderr };
}

test("a non-loopback bind without tokens exits 2 before opening the database", async () => {
  const db = join(dir, "public.db");
  const r = await aion(
    { AION_TOKENS: "" },
    "serve",
    "--host",
    "0.0.0.0",
    "--port",
    "0",
    "--db",
    db,
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("refusing to serve on 0.0.0.0 without tokens");
  expect(existsSync(db)).toBe(false);
  const badTokens = await aion(
    { AION_TOKENS: '{"tokens":[{"token":"short","namespaces":"*"}]}' },
    "serve",
    "--port",
    "0",
    "--db",
    db,
  );
  expect(badTokens.code).toBe(2);
  expect(badTokens.stderr).toContain("AION_TOKENS: tokens[0].token:");
  expect(existsSync(db)).toBe(false);
});

test("with a token file: 401 without a token, and the CLI gets through with AION_TOKEN", async () => {
  const db = join(dir, "secured.db");
  const tokens = join(dir, "tokens.json");
  writeFileSync(
    tokens,
    JSON.stringify({
      tokens: [
        { token: OPS, subject: "ops", namespaces: "*", deploy: true },
        { token: READER, subject: "reader", namespaces: ["team-r"] },
      ],
    }),
  );
  chmodSync(tokens, 0o600);
  const server = Bun.spawn(["bun", AION, "serve", "--port", "0", "--db", db, "--tokens", tokens], {
    cwd: ROOT,
    stdout: "ignore",
    stderr: "pipe",
  });
  try {
    let announced: (url: string) => void = () => {};
    const serving = new Promise<string>((resolve) => {
      announced = resolve;
    });
    const stderr = readLines(server.stderr, (line) => {
      const m = /^aion serve: serving .* on (http:\/\/\S+) \(pid/.exec(line);
      if (m) announced(m[1]!);
    });
    const url = await Promise.race([
      serving,
      stderr.then((l) => Promise.reject(new Error(l.join("\n")))),
    ]);
    expect((await fetch(`${url}/v1/workflows`)).status).toBe(401);
    const who = await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${READER}` } });
    expect(await who.json()).toEqual({ subject: "reader", namespaces: ["team-r"], deploy: false });

    // The CLI finds the server through its endpoint file and sends AION_TOKEN.
    const listed = await aion({ AION_TOKEN: OPS }, "list", "--db", db, "--json");
    expect([listed.code, listed.stdout.trim()]).toEqual([0, "[]"]);
    const refused = await aion(
      { AION_TOKEN: "not-a-configured-token" },
      "list",
      "--db",
      db,
      "--json",
    );
    expect(refused.code).not.toBe(0);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: "unauthenticated" } });
  } finally {
    server.kill("SIGTERM");
    await server.exited;
  }
});
