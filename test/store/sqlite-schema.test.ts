/** SQLite specifics: settings, migrations, persistence and corrupt rows. */
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { EventDecodeError, encodeEvent } from "../../engine/events/index.ts";
import {
  CorruptRowError,
  MIGRATIONS,
  migrate,
  SCHEMA_VERSION,
  SchemaVersionError,
  SqliteStore,
} from "../../engine/store/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { attrs, HASH_A, rejection, removeDir, scheduled, started, tempDir } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = tempDir();
let n = 0;
const freshPath = () => join(dir, `db-${n++}.db`);
afterAll(() => removeDir(dir));

function raw(path: string, fn: (db: Database) => void): void {
  const db = new Database(path);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

describe("SQLite settings and schema", () => {
  test("WAL, FULL sync by default, NORMAL on request, busy timeout, schema version", async () => {
    const full = new SqliteStore(freshPath());
    expect(full.diagnostics()).toEqual({
      journalMode: "wal",
      synchronous: "FULL",
      busyTimeoutMs: 100,
      schemaVersion: SCHEMA_VERSION,
    });
    await full.close();
    const normal = new SqliteStore(freshPath(), { synchronous: "NORMAL", busyTimeoutMs: 250 });
    expect(normal.diagnostics()).toMatchObject({ synchronous: "NORMAL", busyTimeoutMs: 250 });
    await normal.close();
    const memory = new SqliteStore(":memory:");
    expect(memory.diagnostics().schemaVersion).toBe(SCHEMA_VERSION);
    await memory.close();
  });

  test("an older schema is migrated in place, keeping its data", async () => {
    const path = freshPath();
    const envelope = { seq: 1, recordedAt: 5, workflowId: "old", event: started("r") };
    raw(path, (db) => {
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
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
    });
    const store = new SqliteStore(path);
    expect(store.diagnostics().schemaVersion).toBe(SCHEMA_VERSION);
    expect(await store.readHistory("old")).toEqual([envelope]);
    await store.scheduleTimer("old", "t", 9);
    expect((await store.expiredTimers(9)).length).toBe(1);
    await store.close();
  });

  test("a newer schema is refused", () => {
    const path = freshPath();
    raw(path, (db) => db.run("PRAGMA user_version = 99"));
    let error: unknown;
    try {
      new SqliteStore(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect(error).toMatchObject({ found: 99, supported: SCHEMA_VERSION });
  });

  test("a failing migration leaves the previous schema untouched", () => {
    const path = freshPath();
    raw(path, (db) => {
      migrate(db);
      const broken = [
        ...MIGRATIONS,
        {
          version: SCHEMA_VERSION + 1,
          description: "broken",
          statements: ["CREATE TABLE extra (a)", "NOT SQL"],
        },
      ];
      expect(() => migrate(db, broken)).toThrow();
      expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeNull();
    });
  });

  test("everything survives close and reopen", async () => {
    const path = freshPath();
    const a = new SqliteStore(path, { now: () => 7 });
    await a.append("wf", [started(), attrs({ k: "v" }), scheduled("x")], 0);
    await a.scheduleTimer("wf", "t", 100);
    await a.putPackage({
      workflowType: "checkout",
      contentHash: HASH_A,
      archive: new Uint8Array([1]),
    });
    await a.putPackageRoute("checkout", HASH_A);
    const history = await a.readHistory("wf");
    const summary = await a.describe("wf");
    await a.close();
    const b = new SqliteStore(path);
    expect(await b.readHistory("wf")).toEqual(history);
    expect(await b.describe("wf")).toEqual(summary);
    expect(await b.expiredTimers(100)).toEqual([{ workflowId: "wf", timerId: "t", fireAt: 100 }]);
    expect((await b.listPackages()).length).toBe(1);
    expect(await b.listPackageRoutes()).toEqual([
      { workflowType: "checkout", contentHash: HASH_A, updatedAt: 7 },
    ]);
    await b.close();
  });
});

describe("corrupt rows", () => {
  async function seeded(): Promise<string> {
    const path = freshPath();
    const store = new SqliteStore(path);
    await store.append("wf", [started(), scheduled("a"), scheduled("b")], 0);
    await store.append("other", [started(), scheduled("z")], 0);
    await store.close();
    return path;
  }

  async function readFails(
    path: string,
    read: (s: SqliteStore) => Promise<unknown>,
  ): Promise<CorruptRowError> {
    const store = new SqliteStore(path);
    try {
      const error = await rejection(read(store));
      expect(error).toBeInstanceOf(CorruptRowError);
      return error as CorruptRowError;
    } finally {
      await store.close();
    }
  }

  test("an undecodable body names the workflow and seq", async () => {
    const path = await seeded();
    raw(path, (db) =>
      db.run("UPDATE events SET body = x'0102' WHERE workflow_id = 'wf' AND seq = 2"),
    );
    const error = await readFails(path, (s) => s.readHistory("wf"));
    expect(error).toMatchObject({ code: "corrupt-row", table: "events", workflowId: "wf", seq: 2 });
    expect(error.cause).toBeInstanceOf(EventDecodeError);
    expect(error.message).toContain('"wf"');
    expect(error.message).toContain("seq 2");
  });

  test("a body from a future format version is reported as such", async () => {
    const path = await seeded();
    raw(path, (db) => {
      const row = db
        .prepare<{ body: Uint8Array }, []>(
          "SELECT body FROM events WHERE workflow_id = 'wf' AND seq = 3",
        )
        .get();
      const body = row!.body.slice();
      body[0] = 9;
      db.prepare("UPDATE events SET body = ? WHERE workflow_id = 'wf' AND seq = 3").run(body);
    });
    const error = await readFails(path, (s) => s.readHistoryFrom("wf", 2));
    expect(error.seq).toBe(3);
    expect((error.cause as EventDecodeError).reason).toBe("unknown-version");
  });

  test("a missing row or a misplaced body is corruption, not a short history", async () => {
    const path = await seeded();
    raw(path, (db) => db.run("DELETE FROM events WHERE workflow_id = 'wf' AND seq = 2"));
    expect((await readFails(path, (s) => s.readHistory("wf"))).seq).toBe(2);
    const path2 = await seeded();
    raw(path2, (db) =>
      db.run(
        "UPDATE events SET body = (SELECT body FROM events WHERE workflow_id = 'other' AND seq = 2) WHERE workflow_id = 'wf' AND seq = 2",
      ),
    );
    const error = await readFails(path2, (s) => s.readHistory("wf"));
    expect(error.seq).toBe(2);
    expect(error.message).toContain("other");
  });

  test("a corrupt visibility row is reported, not returned", async () => {
    const path = await seeded();
    raw(path, (db) => db.run("UPDATE workflows SET status = 'Sleeping' WHERE workflow_id = 'wf'"));
    expect(await readFails(path, (s) => s.describe("wf"))).toMatchObject({
      table: "workflows",
      workflowId: "wf",
      seq: 3,
    });
    raw(path, (db) =>
      db.run(
        "UPDATE workflows SET status = 'Running', search_attributes = '{' WHERE workflow_id = 'wf'",
      ),
    );
    expect(await readFails(path, (s) => s.query({}))).toMatchObject({
      table: "workflows",
      workflowId: "wf",
    });
  });
});
