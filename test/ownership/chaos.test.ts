/**
 * Proof under failure: engine processes sharing one database are SIGKILLed
 * at seeded random points while a few hundred workflows run; every workflow
 * must complete exactly once with an intact history (test/ownership/chaos.ts
 * has the checks). The seed is printed; CHAOS_SEED repeats a run. Sizes:
 * CHAOS_WORKFLOWS (per database), CHAOS_KILLS; the soak run in docs/engine.md
 * sets them larger.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../engine/index.ts";
import { type EventStore, SqliteStore } from "../../engine/store/index.ts";
import { PostgresStore } from "../../engine/store/postgres/index.ts";
import { FIXTURES, WORKFLOWS } from "../engine/helpers.ts";
import { dropSchemas, freshSchema, testPostgres } from "../store/postgres-server.ts";
import { runChaos } from "./chaos.ts";

// Subprocesses, SIGKILLs and lease expiries on a loaded 2-core machine; the bound only stops a hang.
setDefaultTimeout(180_000);

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORKFLOWS_PER_DB = Number(process.env.CHAOS_WORKFLOWS ?? 100);
const KILLS = Number(process.env.CHAOS_KILLS ?? 3);
console.log(`chaos seed ${SEED} (CHAOS_SEED=${SEED} repeats this run)`);

const dir = mkdtempSync(join(tmpdir(), "aion-chaos-"));
const schemas: string[] = [];
const postgres = testPostgres();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (postgres.url !== undefined) await dropSchemas(postgres.url, schemas);
});

async function client(store: EventStore): Promise<Engine> {
  return Engine.open({
    store,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    log: () => {},
    ownership: { mode: "client", pollMs: 25 },
  });
}

test("two engine processes on one SQLite file, killed at random, lose and double nothing", async () => {
  const db = join(dir, "chaos.db");
  const store = new SqliteStore(db);
  const c = await client(store);
  try {
    const r = await runChaos({
      db,
      client: c,
      store,
      size: { workflows: WORKFLOWS_PER_DB, processes: 2, kills: KILLS },
      seed: SEED,
      tag: "sq",
      execLog: join(dir, "sq.exec"),
      log: (l) => console.log(l),
    });
    expect(r.kills).toBe(KILLS);
  } finally {
    await c.shutdown();
    await store.close();
  }
});

if (postgres.url !== undefined) {
  const url = postgres.url;
  test("three engine processes on one PostgreSQL database, killed at random, lose and double nothing", async () => {
    const schema = freshSchema("chaos");
    schemas.push(schema);
    const store = await PostgresStore.open(url, { schema });
    const c = await client(store);
    try {
      const r = await runChaos({
        db: url,
        schema,
        client: c,
        store,
        size: { workflows: WORKFLOWS_PER_DB, processes: 3, kills: KILLS },
        seed: SEED + 1,
        tag: "pg",
        execLog: join(dir, "pg.exec"),
        log: (l) => console.log(l),
      });
      expect(r.kills).toBe(KILLS);
    } finally {
      await c.shutdown();
      await store.close();
    }
  });
} else {
  test.skip(`PostgreSQL chaos: ${postgres.skip}`, () => {});
}
