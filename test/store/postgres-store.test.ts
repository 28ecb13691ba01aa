/**
 * PostgreSQL specifics, against a real server: migrations (idempotent,
 * concurrent, atomic, refusing a newer schema), persistence across stores,
 * two stores racing on one history, corrupt rows, text PostgreSQL cannot
 * hold, large batches, and an unreachable server.
 */

import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { SQL } from "bun";
import { encodeEvent } from "../../engine/events/index.ts";
import {
  AppendConflictError,
  CorruptRowError,
  InvalidArgumentError,
  SchemaVersionError,
} from "../../engine/store/index.ts";
import {
  MIGRATIONS,
  type Migration,
  migrate,
  PostgresStore,
  SCHEMA_VERSION,
  StoreUnavailableError,
  schemaVersion,
} from "../../engine/store/postgres/index.ts";
import { attrs, HASH_A, rejection, scheduled, started } from "./helpers.ts";
import { dropSchemas, freshSchema, testPostgres } from "./postgres-server.ts";

// Real server round trips (and, for the CLI, subprocesses): well under a second each
// when idle, many times that on a loaded machine. The bound only stops a hang.
setDefaultTimeout(60_000);

const pg = testPostgres();
const url = pg.url ?? "";
const schemas: string[] = [];
const schema = (): string => {
  const s = freshSchema("pgt");
  schemas.push(s);
  return s;
};
const clients: SQL[] = [];
/** A raw client whose search path is `s`, closed after the file. */
const raw = (s: string, max = 1): SQL => {
  const sql = new SQL(url, { max, connection: { search_path: s } });
  clients.push(sql);
  return sql;
};

const versions = async (sql: SQL): Promise<number[]> =>
  (
    await sql.unsafe<{ version: number }[]>("SELECT version FROM schema_version ORDER BY version")
  ).map((r) => r.version);

describe.skipIf(pg.url === undefined)("PostgresStore", () => {
  afterAll(async () => {
    for (const c of clients) await c.close();
    await dropSchemas(url, schemas);
  });

  describe("migrations", () => {
    test("a fresh schema is migrated to the latest version; migrating again changes nothing", async () => {
      const s = schema();
      const sql = raw(s);
      const now = () => 42;
      expect(await migrate(sql, s, now)).toEqual({ from: 0, to: SCHEMA_VERSION });
      expect(await migrate(sql, s, now)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
      expect(await versions(sql)).toEqual(MIGRATIONS.map((m) => m.version));
      const store = await PostgresStore.open(url, { schema: s });
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
      await store.close();
    });

    test("many migrators racing on one empty schema apply each step exactly once", async () => {
      const s = schema();
      const racers = Array.from({ length: 6 }, () => raw(s));
      const results = await Promise.all(racers.map((sql) => migrate(sql, s, () => 1)));
      for (const r of results) expect(r.to).toBe(SCHEMA_VERSION);
      // Exactly one racer started from 0 for each step it won; together they cover every step once.
      expect(await versions(racers[0]!)).toEqual(MIGRATIONS.map((m) => m.version));
      const tables = await racers[0]!.unsafe<{ n: string }[]>(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1",
        [s],
      );
      expect(Number(tables[0]!.n)).toBe(11); // 7 of histories and packages, 4 of coordination (migration 4)
    });

    test("an older schema is upgraded in place, keeping its data", async () => {
      const s = schema();
      const sql = raw(s);
      expect(await migrate(sql, s, () => 1, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
      const envelope = { seq: 1, recordedAt: 5, workflowId: "old", event: started("r") };
      await sql.unsafe("INSERT INTO events VALUES ($1, $2, $3, $4, $5)", [
        "old",
        1,
        "WorkflowStarted",
        5,
        encodeEvent(envelope),
      ]);
      await sql.unsafe("INSERT INTO workflows VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", [
        "old",
        1,
        "checkout",
        "r",
        "Running",
        5,
        null,
        1,
        "{}",
        "default",
      ]);
      const store = await PostgresStore.open(url, { schema: s });
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await store.readHistory("old")).toEqual([envelope]);
      await store.scheduleTimer("old", "t", 9);
      expect((await store.expiredTimers(9)).length).toBe(1);
      await store.close();
    });

    test("a failing step is rolled back whole, version row included", async () => {
      const s = schema();
      const sql = raw(s);
      const broken: Migration[] = [
        ...MIGRATIONS,
        {
          version: SCHEMA_VERSION + 1,
          description: "half good",
          statements: ["CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"],
        },
      ];
      expect(await rejection(migrate(sql, s, () => 1, broken))).toBeInstanceOf(Error);
      expect(await schemaVersion(sql)).toBe(SCHEMA_VERSION);
      const extra = await sql.unsafe<{ n: string }[]>(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'extra'",
        [s],
      );
      expect(Number(extra[0]!.n)).toBe(0);
    });

    test("a schema newer than this build is refused, by migrate and by the store", async () => {
      const s = schema();
      const sql = raw(s);
      await migrate(sql, s, () => 1);
      await sql.unsafe("INSERT INTO schema_version VALUES ($1, 'from the future', 0)", [
        SCHEMA_VERSION + 1,
      ]);
      const error = await rejection(migrate(sql, s, () => 1));
      expect(error).toBeInstanceOf(SchemaVersionError);
      expect(error).toMatchObject({ found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
      const store = new PostgresStore(url, { schema: s });
      expect(await rejection(store.listWorkflowIds())).toBeInstanceOf(SchemaVersionError);
      await store.close();
      expect(await rejection(PostgresStore.open(url, { schema: s }))).toBeInstanceOf(
        SchemaVersionError,
      );
    });
  });

  test("a history written by one store is read back by another", async () => {
    const s = schema();
    const a = await PostgresStore.open(url, { schema: s });
    await a.append("wf", [started(), attrs({ region: "eu" }), scheduled("x")], 0, {
      timers: [{ timerId: "t", fireAt: 10 }],
    });
    await a.putPackage({
      workflowType: "checkout",
      contentHash: HASH_A,
      archive: new Uint8Array([7]),
    });
    const written = await a.readHistory("wf");
    await a.close();
    const b = await PostgresStore.open(url, { schema: s });
    expect(await b.readHistory("wf")).toEqual(written);
    expect(await b.describe("wf")).toMatchObject({
      headSeq: 3,
      searchAttributes: { region: "eu" },
    });
    expect((await b.expiredTimers(10)).map((t) => t.timerId)).toEqual(["t"]);
    expect((await b.getPackage("checkout", HASH_A))?.archive).toEqual(new Uint8Array([7]));
    await b.close();
  });

  test("two stores (two pools) racing on one history: exactly one append wins each seq", async () => {
    const s = schema();
    const left = await PostgresStore.open(url, { schema: s });
    const right = await PostgresStore.open(url, { schema: s });
    await left.append("shared", [started()], 0);
    const ROUNDS = 30;
    const wins: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const head = 1 + round * 2;
      // Both expect the same head; the two stores share no state but the database.
      const attempts = await Promise.allSettled(
        [left, right].map((store, i) =>
          store.append("shared", [scheduled(`r${round}-${i}`), scheduled(`r${round}-${i}b`)], head),
        ),
      );
      const won = attempts.flatMap((a, i) => (a.status === "fulfilled" ? [i] : []));
      expect(won.length).toBe(1);
      const lost = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(AppendConflictError);
      expect(lost.reason).toMatchObject({ expectedSeq: head, actualSeq: head + 2 });
      wins.push(`r${round}-${won[0]}`);
    }
    const history = await right.readHistory("shared");
    expect(history.map((e) => e.seq)).toEqual(
      Array.from({ length: 1 + ROUNDS * 2 }, (_, i) => i + 1),
    );
    // Every pair of events is one winner's whole batch.
    const ids = history
      .slice(1)
      .map((e) => (e.event.kind === "ActivityScheduled" ? e.event.activityId : ""));
    expect(ids).toEqual(wins.flatMap((w) => [w, `${w}b`]));
    expect((await left.describe("shared"))?.headSeq).toBe(1 + ROUNDS * 2);
    await left.close();
    await right.close();
  });

  test("two stores creating the same workflow: one creates it, the other conflicts", async () => {
    const s = schema();
    const stores = await Promise.all([0, 1, 2].map(() => PostgresStore.open(url, { schema: s })));
    const settled = await Promise.allSettled(
      stores.map((store, i) => store.append("new", [started(`run-${i}`)], 0)),
    );
    expect(settled.filter((x) => x.status === "fulfilled").length).toBe(1);
    for (const x of settled.filter((y) => y.status === "rejected")) {
      expect((x as PromiseRejectedResult).reason).toMatchObject({
        name: "AppendConflictError",
        expectedSeq: 0,
        actualSeq: 1,
      });
    }
    expect((await stores[0]!.readHistory("new")).length).toBe(1);
    for (const store of stores) await store.close();
  });

  test("a batch larger than one INSERT statement is appended whole", async () => {
    const s = schema();
    const store = await PostgresStore.open(url, { schema: s });
    const events = [started(), ...Array.from({ length: 2_499 }, (_, i) => scheduled(`a${i}`))];
    expect((await store.append("big", events, 0)).head).toBe(2_500);
    const history = await store.readHistory("big");
    expect(history.length).toBe(2_500);
    expect(history.map((e) => e.event)).toEqual(events);
    await store.close();
  });

  test("a corrupt row is reported as CorruptRowError naming it", async () => {
    const s = schema();
    const store = await PostgresStore.open(url, { schema: s });
    await store.append("wf", [started(), scheduled("a")], 0);
    const sql = raw(s);
    await sql.unsafe("UPDATE events SET body = $1 WHERE workflow_id = 'wf' AND seq = 2", [
      new Uint8Array([1, 2, 3]),
    ]);
    const error = await rejection(store.readHistory("wf"));
    expect(error).toBeInstanceOf(CorruptRowError);
    expect(error).toMatchObject({ table: "events", workflowId: "wf", seq: 2 });
    await sql.unsafe("UPDATE workflows SET status = 'Sleeping' WHERE workflow_id = 'wf'");
    expect(await rejection(store.describe("wf"))).toBeInstanceOf(CorruptRowError);
    await store.close();
  });

  test("text PostgreSQL cannot hold is refused as bad input, naming the argument", async () => {
    const s = schema();
    const store = await PostgresStore.open(url, { schema: s });
    const cases: Array<[Promise<unknown>, string]> = [
      [store.append("a\u0000b", [started()], 0), "workflowId"],
      [store.append("lone\ud800", [started()], 0), "workflowId"],
      [store.append("wf", [started("r\u0000")], 0), "events[0].runId"],
      [store.append("wf", [started(), attrs({ k: "v\u0000" })], 0), "events[1].attributes.k"],
      [store.readHistory("x\u0000"), "workflowId"],
      [store.query({ searchAttributes: { "k\u0000": 1 } }), "filter.searchAttributes.k\u0000"],
    ];
    for (const [call, argument] of cases) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
    expect(await store.listWorkflowIds()).toEqual([]);
    await store.close();
  });

  test("bad constructor input is a typed error", () => {
    expect(() => new PostgresStore("mysql://x/y")).toThrow(InvalidArgumentError);
    expect(() => new PostgresStore(url, { schema: "Bad-Name" })).toThrow(InvalidArgumentError);
  });

  test("an unreachable server is StoreUnavailableError naming it without credentials", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error = await rejection(
      PostgresStore.open("postgres://someone:secret@127.0.0.1:1/nowhere", {
        connectTimeoutSeconds: 5,
      }),
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("127.0.0.1:1/nowhere");
    expect(message).not.toContain("secret");
  });
});
