/**
 * The operator's scenario of issue 13, end to end through the CLI: two
 * `aion worker` processes started together on one SQLite file are both
 * accepted and share its shards; one of them was started with an activities
 * file that lacks the workflows' activity, and nobody's run fails for it:
 * the activity waits in its task queue for the worker that has it.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../engine/store/index.ts";
import { aion, startWorker, waitForStatus } from "../cli/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { waitUntil } from "../wait.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-workers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("two workers on one file share it; a worker without the activity fails nobody's run", async () => {
  const db = join(dir, "shared.db");
  const pkg = join(dir, "hello.aion");
  expect((await aion("package", "examples/hello", "-o", pkg)).code).toBe(0);
  expect((await aion("deploy", pkg, "--db", db)).code).toBe(0);
  const other = join(dir, "other-activities.ts");
  writeFileSync(other, "export function unrelated(): string {\n  return 'x';\n}\n");
  const [a, b] = await Promise.all([
    startWorker(db, join(import.meta.dir, "../../examples/hello/activities.ts")),
    startWorker(db, other),
  ]);
  const store = new SqliteStore(db);
  try {
    // The one that came first gives half of the shards to the other at its next lease round.
    await waitUntil("both workers to hold shards", async () => {
      const now = Date.now();
      const owners = new Set(
        (await store.coordination.listLeases())
          .filter((l) => l.expiresAt > now)
          .map((l) => l.owner),
      );
      return owners.size === 2;
    });
    const ids: string[] = [];
    for (const name of ["Ada", "Bob", "Cy", "Di", "Ed", "Flo"]) {
      const started = await aion("start", "hello", JSON.stringify({ name }), "--db", db);
      expect(started.code).toBe(0);
      ids.push(started.stdout.trim());
    }
    for (const [i, id] of ids.entries()) {
      const d = await waitForStatus(db, id, "Completed");
      expect(d.status).toBe("Completed");
      const result = await aion("result", id, "--db", db);
      expect(JSON.parse(result.stdout)).toMatchObject({
        greeting: `Hello, ${["Ada", "Bob", "Cy", "Di", "Ed", "Flo"][i]}!`,
      });
    }
  } finally {
    await store.close();
    a.kill("SIGTERM");
    b.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }
}, 180_000);
