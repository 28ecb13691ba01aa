/**
 * `aion --db postgres://...` end to end against a real server: deploy a
 * package, run a workflow to completion, find it with `list`, then again
 * through a worker process on the same database; and an unreachable server
 * is a one-line error naming it, without its password.
 */

import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { SQL } from "bun";
import { aion, aionJson, ROOT, startWorker } from "../cli/helpers.ts";
import { removeDir, tempDir } from "./helpers.ts";
import { testPostgres } from "./postgres-server.ts";

// Real server round trips (and, for the CLI, subprocesses): well under a second each
// when idle, many times that on a loaded machine. The bound only stops a hang.
setDefaultTimeout(60_000);

const pg = testPostgres();

describe.skipIf(pg.url === undefined)("aion --db postgres://", () => {
  const server = new URL(pg.url ?? "postgres://unused");
  // A database of its own: the CLI uses the default schema of the database it is given.
  const database = `aion_cli_${process.pid}`;
  const db = `${server.protocol}//${server.username}@${server.host}/${database}`;
  const dir = tempDir("aion-pg-cli-");
  const pkg = join(dir, "hello.aion");
  const activities = join(ROOT, "examples/hello/activities.ts");

  afterAll(async () => {
    removeDir(dir);
    const admin = new SQL(pg.url ?? "", { max: 1 });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.close();
  });

  test("deploy, start --wait, list, and a worker on the same database", async () => {
    const admin = new SQL(pg.url ?? "", { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${database}`);
    await admin.close();
    const built = await aion("package", "examples/hello", "-o", pkg);
    expect(built.code).toBe(0);
    expect((await aion("deploy", pkg, "--db", db)).code).toBe(0);

    const result = await aion(
      "start",
      "hello",
      '{"name":"Ada"}',
      "--wait",
      "--activities",
      activities,
      "--db",
      db,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ greeting: "Hello, Ada!", waited_ms: 100 });

    const worker = await startWorker(db, activities);
    try {
      const viaWorker = await aion("start", "hello", '{"name":"Bob"}', "--wait", "--db", db);
      expect(JSON.parse(viaWorker.stdout)).toEqual({ greeting: "Hello, Bob!", waited_ms: 100 });
    } finally {
      worker.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    }

    const listed = (await aionJson("list", "--db", db)) as { status: string }[];
    expect(listed.map((w) => w.status)).toEqual(["Completed", "Completed"]);
  }, 120_000);

  test("an unreachable server is a one-line error naming it, never its password", async () => {
    const r = await aion("list", "--db", "postgres://someone:hunter2@127.0.0.1:1/nowhere");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("PostgreSQL at 127.0.0.1:1/nowhere is unavailable");
    expect(r.stderr).not.toContain("hunter2");
  });
});
