/**
 * Engine throughput: workflow starts (start to completion), durable steps
 * (activity round trips, timers) and the replay of a ~10k-event history,
 * each on SqliteStore (FULL sync, group commit), MemoryStore and (when a
 * PostgreSQL server is available: AION_TEST_POSTGRES_URL, or a throwaway
 * one from scripts/postgres.sh) PostgresStore. Then 1, 2 and 4 engine
 * processes (bench/engine-process.ts, shard leases) sharing one database:
 * starts -> completed and activity round trips per second, and the cost per
 * durable step, and CPU-bound steps (workflow code that computes between its
 * activity round trips: one process runs its VM on one core, so this is the
 * row where more processes on more cores add throughput). The store's own
 * single-append rate is printed as the anchor.
 *
 * usage: bun bench/engine.bench.ts [--quick] [--multi]
 *   --multi  only the multi-process rows
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonPayload } from "../engine/events/index.ts";
import { Engine } from "../engine/index.ts";
import { type EventStore, MemoryStore, SqliteStore } from "../engine/store/index.ts";
import { PostgresStore } from "../engine/store/postgres/index.ts";
import { replay } from "../engine/testing/index.ts";
import { dropSchemas, freshSchema, testPostgres } from "../test/store/postgres-server.ts";
import { readLines } from "../test/store/subprocess.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/workflows");
const WORKFLOWS = {
  noop: { module: "wf_bench", function: "noop" },
  acts: { module: "wf_bench", function: "acts" },
  timers: { module: "wf_bench", function: "timers" },
  work: { module: "wf_bench", function: "work" },
};
const dir = mkdtempSync(join(tmpdir(), "aion-engine-bench-"));
let files = 0;
const rows: [string, string, string, string][] = [];
const quick = process.argv.includes("--quick");
const multiOnly = process.argv.includes("--multi");
const postgres = testPostgres();
const schemas: string[] = [];

type Kind = "sqlite" | "memory" | "postgres";

async function storeOf(kind: Kind): Promise<EventStore> {
  if (kind === "postgres") {
    const schema = freshSchema("bench");
    schemas.push(schema);
    return PostgresStore.open(postgres.url!, { schema });
  }
  return kind === "sqlite" ? new SqliteStore(join(dir, `b${files++}.db`)) : new MemoryStore();
}

async function openEngine(kind: Kind): Promise<Engine> {
  const store = await storeOf(kind);
  const engine = await Engine.open({
    store,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    random: 7,
  });
  engine.activity("echo", (x) => x);
  return engine;
}

function row(scenario: string, store: string, count: number, unit: string, ms: number): void {
  rows.push([
    scenario,
    store,
    `${Math.round((count / ms) * 1000).toLocaleString("en-US")} ${unit}/s`,
    `${ms.toFixed(0)} ms`,
  ]);
}

async function anchor(): Promise<void> {
  const store = new SqliteStore(join(dir, `anchor${files++}.db`));
  const n = 1000;
  const t0 = performance.now();
  await store.append(
    "w",
    [
      {
        kind: "WorkflowStarted",
        workflowType: "x",
        input: jsonPayload(1),
        runId: "r",
        parentRunId: null,
        packageVersion: "a".repeat(64),
      },
    ],
    0,
  );
  for (let i = 1; i < n; i++) {
    await store.append("w", [{ kind: "TimerFired", timerId: `t${i}` }], i);
  }
  row("anchor: store append, 1 event, sequential", "sqlite", n, "appends", performance.now() - t0);
  await store.close();
}

async function starts(kind: Kind, n: number): Promise<void> {
  const engine = await openEngine(kind);
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: n }, () => engine.start("noop")));
  await Promise.all(ids.map((id) => engine.result(id)));
  row(
    `workflow start -> completed (${n} concurrent)`,
    kind,
    n,
    "workflows",
    performance.now() - t0,
  );
  await engine.shutdown();
  if (kind === "postgres") await engine.store.close();
}

async function steps(
  kind: Kind,
  type: "acts" | "timers",
  workflows: number,
  each: number,
): Promise<void> {
  const engine = await openEngine(kind);
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: workflows }, () => engine.start(type, each)));
  await Promise.all(ids.map((id) => engine.result(id)));
  const what = type === "acts" ? "activity round trips" : "timers";
  row(
    `${what} (${workflows} workflows x ${each})`,
    kind,
    workflows * each,
    "steps",
    performance.now() - t0,
  );
  await engine.shutdown();
  if (kind === "postgres") await engine.store.close();
}

async function replayTime(): Promise<void> {
  const engine = await openEngine("memory");
  const id = await engine.start("acts", 3333);
  await engine.result(id);
  const history = await engine.history(id);
  await engine.shutdown();
  const t0 = performance.now();
  const r = await replay(history, {
    workflows: WORKFLOWS,
    modulesDir: FIXTURES,
    timeoutMs: 60_000,
  });
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`replay diverged: ${r.divergence}`);
  row(`replay of a ${history.length}-event history`, "memory", history.length, "events", ms);
}

/**
 * `processes` engine processes on one database (shared shard leases); a
 * client-mode engine here starts `n` workflows of `type` (through the inbox)
 * and waits on the store for all of them to end.
 */
async function multi(
  kind: "sqlite" | "postgres",
  processes: number,
  type: "noop" | "acts" | "work",
  n: number,
  each: number,
): Promise<void> {
  const store = await storeOf(kind);
  const db = kind === "postgres" ? postgres.url! : join(dir, `m${files++}.db`);
  const schema = kind === "postgres" ? (store as PostgresStore).schema! : "-";
  const local = kind === "sqlite" ? new SqliteStore(db) : store;
  const children = Array.from({ length: processes }, (_, i) =>
    Bun.spawn(["bun", join(import.meta.dir, "engine-process.ts"), db, schema, `bench-${i}`], {
      stdout: "pipe",
      stderr: "ignore",
    }),
  );
  try {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            void readLines(c.stdout as ReadableStream<Uint8Array>, (l) => {
              if (l === "ready") resolve();
            });
          }),
      ),
    );
    // Wait until the shards are spread: every process holds some.
    for (;;) {
      const owners = new Set(
        (await local.coordination.listLeases())
          .filter((l) => l.expiresAt > Date.now())
          .map((l) => l.owner),
      );
      if (owners.size >= processes) break;
      await Bun.sleep(50);
    }
    const client = await Engine.open({
      store: local,
      modulesDir: FIXTURES,
      workflows: WORKFLOWS,
      log: () => {},
      ownership: { mode: "client", pollMs: 10 },
    });
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: n }, (_, i) => client.start(type, each, { workflowId: `m-${i}` })),
    );
    while ((await local.query({ status: "Running", limit: 1 })).length > 0) await Bun.sleep(10);
    const ms = performance.now() - t0;
    await client.shutdown();
    const what =
      type === "noop"
        ? `${processes} process(es): start -> completed (${n})`
        : type === "acts"
          ? `${processes} process(es): activity round trips (${n} x ${each})`
          : `${processes} process(es): CPU-bound steps (${n} x ${each})`;
    row(what, kind, type === "noop" ? n : n * each, type === "noop" ? "workflows" : "steps", ms);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => c.exited));
    if (local !== store) await local.close();
    await store.close();
  }
}

try {
  if (!multiOnly) await anchor();
  const kinds: Kind[] = multiOnly ? [] : ["sqlite", "memory"];
  if (postgres.url === undefined) console.log(`(PostgreSQL skipped: ${postgres.skip})`);
  else if (!multiOnly) kinds.push("postgres");
  for (const kind of kinds) {
    await starts(kind, quick ? 200 : 1000);
    await steps(kind, "acts", quick ? 20 : 100, 20);
    await steps(kind, "acts", 1, quick ? 100 : 500);
    await steps(kind, "timers", quick ? 20 : 100, 20);
  }
  if (!multiOnly) await replayTime();
  const shared: ("sqlite" | "postgres")[] =
    postgres.url !== undefined ? ["sqlite", "postgres"] : ["sqlite"];
  for (const kind of shared) {
    for (const processes of [1, 2, 4]) {
      await multi(kind, processes, "noop", quick ? 100 : 500, 0);
      await multi(kind, processes, "acts", quick ? 10 : 50, 20);
      await multi(kind, processes, "work", quick ? 16 : 32, quick ? 5 : 10);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (postgres.url !== undefined) await dropSchemas(postgres.url, schemas);
}

/** Cost per durable step: the inverse of a steps/s row, in microseconds. */
for (const r of rows) {
  if (!r[2].endsWith("steps/s")) continue;
  const perSecond = Number(r[2].split(" ")[0]!.replaceAll(",", ""));
  if (perSecond > 0) r[3] = `${r[3]} (${Math.round(1e6 / perSecond)} us/step)`;
}
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 8));
for (const r of rows)
  console.log(r.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  "));
