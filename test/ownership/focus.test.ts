/**
 * Ownership mode `focus` through the Engine API (what `aion start --wait` and
 * `aion result --wait` use with no worker live): the engine runs the
 * workflows it starts or resumes, and the children they start, keeping only
 * those shards' leases; other active workflows of the database stay where
 * they are. test/ownership/focus-cli.test.ts is the same rule end to end.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../engine/index.ts";
import { shardOf } from "../../engine/ownership/shards.ts";
import { SqliteStore } from "../../engine/store/index.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "../engine/helpers.ts";

// Real timers and SQLite commits on a loaded machine; the bound only stops a hang.
setDefaultTimeout(60_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SHARDS = 16;

async function sqlite(): Promise<SqliteStore> {
  const dir = mkdtempSync(join(tmpdir(), "aion-focus-"));
  const store = new SqliteStore(join(dir, "focus.db"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return store;
}

async function open(store: SqliteStore, mode: "exclusive" | "focus"): Promise<Engine> {
  const engine = await Engine.open({
    store,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
    recover: mode === "exclusive",
    ownership: { mode, shardCount: SHARDS },
  });
  cleanups.push(() => engine.shutdown());
  return engine;
}

/** A workflow left running in the database by an engine that has shut down. */
async function leftRunning(store: SqliteStore, id: string): Promise<void> {
  const before = await open(store, "exclusive");
  await before.start("stuck", null, { workflowId: id });
  await before.shutdown();
}

test("a focused engine runs what it starts (children included) and adopts nothing else", async () => {
  const store = await sqlite();
  await leftRunning(store, "other-1");
  const engine = await open(store, "focus");
  expect(engine.residentIds()).toEqual([]);
  expect(engine.ownership.shards).toEqual([]);

  const id = await engine.start("parent", { n: 1 }, { workflowId: "focus-parent" });
  const outcome = await engine.result(id);
  expect(outcome).toMatchObject({ status: "Completed" });
  const child = (outcome as { result: { child: string } }).result.child;
  expect(engine.residentIds()).not.toContain("other-1");
  // Only the shards of its own runs, kept while they were resident.
  const own = [...new Set([shardOf(id, SHARDS), shardOf(child, SHARDS)])].sort((a, b) => a - b);
  expect(engine.ownership.shards).toEqual(own);
  expect((await store.describe("other-1"))?.status).toBe("Running");

  await engine.shutdown();
  const now = Date.now();
  expect((await store.coordination.listLeases()).filter((l) => l.expiresAt > now)).toEqual([]);
});

test("resume(id) brings back that workflow alone; unknown or ended ids are false", async () => {
  const store = await sqlite();
  await leftRunning(store, "other-1");
  await leftRunning(store, "other-2");
  const engine = await open(store, "focus");
  expect(await engine.resume("other-1")).toBe(true);
  expect(engine.residentIds()).toEqual(["other-1"]);
  expect(engine.ownership.shards).toEqual([shardOf("other-1", SHARDS)]);
  expect(await engine.resume("no-such-workflow")).toBe(false);
  await engine.terminate("other-1", "done");
  expect(await engine.resume("other-1")).toBe(false);
  expect(engine.residentIds()).not.toContain("other-2");
});
