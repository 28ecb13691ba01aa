/** SQLite group commit: batching, per-write isolation, busy handling. */
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { encodeEvent } from "../../engine/events/index.ts";
import { AppendConflictError, SqliteStore, StoreBusyError } from "../../engine/store/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { waitUntil } from "../wait.ts";
import { rejection, removeDir, scheduled, started, tempDir } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = tempDir();
let n = 0;
const freshPath = () => join(dir, `gc-${n++}.db`);
afterAll(() => removeDir(dir));

describe("group commit", () => {
  test("appends issued in one tick share one transaction", async () => {
    const store = new SqliteStore(freshPath());
    const ids = Array.from({ length: 50 }, (_, i) => `wf-${i}`);
    const results = await Promise.all(
      ids.map((id) => store.append(id, [started(), scheduled("a")], 0)),
    );
    expect(results.every((r) => r.head === 2)).toBe(true);
    expect(store.stats()).toMatchObject({ transactions: 1, operations: 50, largestBatch: 50 });
    await store.close();
  });

  test("a conflicting append in a batch fails alone", async () => {
    const store = new SqliteStore(freshPath());
    await Promise.all(["a", "b", "c", "d"].map((id) => store.append(id, [started()], 0)));
    const before = store.stats().transactions;
    const settled = await Promise.allSettled([
      store.append("a", [scheduled("x")], 1),
      store.append("b", [scheduled("x")], 2),
      store.append("c", [scheduled("x")], 1),
      store.append("d", [scheduled("x")], 5),
      store.append("a", [scheduled("y")], 1),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "rejected",
    ]);
    for (const s of settled)
      if (s.status === "rejected") expect(s.reason).toBeInstanceOf(AppendConflictError);
    // Refusals happen before any write: no savepoint re-run needed.
    expect(store.stats()).toMatchObject({ transactions: before + 1, isolatedReruns: 0 });
    expect((await store.readHistory("a")).length).toBe(2);
    expect((await store.readHistory("b")).length).toBe(1);
    expect((await store.readHistory("c")).length).toBe(2);
    await store.close();
  });

  test("a write that fails half-way is rolled back to its savepoint; the batch commits", async () => {
    const path = freshPath();
    const store = new SqliteStore(path);
    await store.append("a", [started()], 0);
    await store.append("b", [started()], 0);
    // Plant a stray row at seq 3 behind the store's back, so a 3-event append
    // to "a" inserts seq 2 and then hits the unique key on seq 3.
    const db = new Database(path);
    const stray = encodeEvent({
      seq: 3,
      recordedAt: 0,
      workflowId: "a",
      event: scheduled("stray"),
    });
    db.prepare("INSERT INTO events VALUES ('a', 3, 'ActivityScheduled', 0, ?)").run(stray);
    db.close();
    const settled = await Promise.allSettled([
      store.append("a", [scheduled("1"), scheduled("2"), scheduled("3")], 1),
      store.append("b", [scheduled("ok")], 1),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "fulfilled"]);
    expect(store.stats().isolatedReruns).toBe(1);
    const check = new Database(path, { readonly: true });
    const seqs = check
      .prepare("SELECT seq FROM events WHERE workflow_id = 'a' ORDER BY seq")
      .values();
    check.close();
    expect(seqs).toEqual([[1], [3]]);
    expect((await store.describe("a"))?.headSeq).toBe(1);
    expect((await store.readHistory("b")).length).toBe(2);
    await store.close();
  });

  test("a lone write that fails half-way leaves nothing behind", async () => {
    const path = freshPath();
    const store = new SqliteStore(path);
    await store.append("a", [started()], 0);
    const db = new Database(path);
    const stray = encodeEvent({
      seq: 3,
      recordedAt: 0,
      workflowId: "a",
      event: scheduled("stray"),
    });
    db.prepare("INSERT INTO events VALUES ('a', 3, 'ActivityScheduled', 0, ?)").run(stray);
    db.close();
    expect(await rejection(store.append("a", [scheduled("1"), scheduled("2")], 1))).toBeDefined();
    expect((await store.describe("a"))?.headSeq).toBe(1);
    const check = new Database(path, { readonly: true });
    expect(
      check.prepare("SELECT seq FROM events WHERE workflow_id = 'a' ORDER BY seq").values(),
    ).toEqual([[1], [3]]);
    check.close();
    await store.close();
  });

  test("maxBatchOps splits a large burst into several transactions", async () => {
    const store = new SqliteStore(freshPath(), { maxBatchOps: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(`w${i}`, [started()], 0)));
    expect(store.stats()).toMatchObject({ transactions: 3, operations: 10, largestBatch: 4 });
    await store.close();
  });
});

describe("busy handling", () => {
  function holdWriteLock(path: string): Database {
    const other = new Database(path);
    other.run("BEGIN IMMEDIATE");
    return other;
  }

  test("a write waits out another connection's lock and then commits", async () => {
    const path = freshPath();
    const store = new SqliteStore(path, { busyTimeoutMs: 10, busyRetries: 50, busyBackoffMs: 5 });
    await store.append("wf", [started()], 0);
    const other = holdWriteLock(path);
    const pending = store.append("wf", [scheduled("a")], 1);
    // Release the lock once the write has met it and backed off (not after a
    // fixed delay, which a loaded machine could outlast or fall short of).
    await waitUntil("the write to meet the lock", () => store.stats().busyRetries > 0);
    other.run("COMMIT");
    other.close();
    expect((await pending).head).toBe(2);
    expect(store.stats().busyRetries).toBeGreaterThan(0);
    await store.close();
  });

  test("a lock held through every retry fails with StoreBusyError and writes nothing", async () => {
    const path = freshPath();
    const store = new SqliteStore(path, { busyTimeoutMs: 5, busyRetries: 2, busyBackoffMs: 5 });
    await store.append("wf", [started()], 0);
    const other = holdWriteLock(path);
    const error = await rejection(store.append("wf", [scheduled("a")], 1));
    other.run("ROLLBACK");
    other.close();
    expect(error).toBeInstanceOf(StoreBusyError);
    expect((error as StoreBusyError).code).toBe("store-busy");
    expect((await store.readHistory("wf")).length).toBe(1);
    expect((await store.append("wf", [scheduled("a")], 1)).head).toBe(2);
    await store.close();
  });
});
