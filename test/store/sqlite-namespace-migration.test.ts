/**
 * Migration 4 (namespaces) is additive: a database written before namespaces
 * existed opens, keeps every row, and its workflows are in `default`.
 */
import { Database } from "bun:sqlite";
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { encodeEvent } from "../../engine/events/index.ts";
import { MIGRATIONS, migrate, SqliteStore } from "../../engine/store/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { completed, removeDir, started, tempDir } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = tempDir();
afterAll(() => removeDir(dir));

test("a schema-3 database migrates to namespaces with every workflow in 'default'", async () => {
  const path = join(dir, "v3.db");
  const envelope = { seq: 1, recordedAt: 5, workflowId: "old", event: started("r") };
  const db = new Database(path);
  expect(
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 3),
    ),
  ).toEqual({ from: 0, to: 3 });
  db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?)").run(
    "old",
    1,
    "WorkflowStarted",
    5,
    encodeEvent(envelope),
  );
  db.prepare("INSERT INTO workflows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
    "old",
    1,
    "checkout",
    "r",
    "Running",
    5,
    null,
    1,
    "{}",
  );
  db.close();

  const store = new SqliteStore(path);
  expect(await store.describe("old")).toMatchObject({ workflowId: "old", namespace: "default" });
  expect((await store.query({ namespace: "default" })).map((s) => s.workflowId)).toEqual(["old"]);
  // The old workflow keeps working; new ones take the namespace they are given.
  await store.append("old", [completed()], 1);
  await store.append("new", [started("n")], 0, { namespace: "team-a" });
  expect((await store.describe("old"))?.status).toBe("Completed");
  expect((await store.query({ namespace: "team-a" })).map((s) => s.workflowId)).toEqual(["new"]);
  await store.close();
});
