/**
 * Event store throughput: single and batched appends under FULL and NORMAL
 * sync, group commit with many concurrent workflows, and history reads.
 * The "per second" column counts events, except for readRunChain (calls).
 *
 * usage: bun bench/store.bench.ts   (or `bun run bench:store`)
 */
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonPayload, type WorkflowEvent } from "../engine/events/index.ts";
import { type EventStore, MemoryStore, SqliteStore, type SyncMode } from "../engine/store/index.ts";

const dir = mkdtempSync(join(tmpdir(), "aion-store-bench-"));
let files = 0;
const rows: Array<[string, string, string, string]> = [];

const startedEvent: WorkflowEvent = {
  kind: "WorkflowStarted",
  workflowType: "bench",
  input: jsonPayload({ order: 1 }),
  runId: "run-1",
  parentRunId: null,
  packageVersion: "a".repeat(64),
};

/** A typical recorded command: ~120 bytes of JSON input. */
const activity = (n: number): WorkflowEvent => ({
  kind: "ActivityScheduled",
  activityId: `act-${n}`,
  activityType: "billing/charge",
  input: jsonPayload({
    n,
    customer: "c-000123",
    amount: 4200,
    currency: "EUR",
    note: "x".repeat(40),
  }),
});

function sqlite(sync: SyncMode): SqliteStore {
  return new SqliteStore(join(dir, `bench-${files++}.db`), { synchronous: sync });
}

function record(name: string, mode: string, events: number, ms: number, note = ""): void {
  rows.push([
    name,
    mode,
    `${Math.round((events / ms) * 1000).toLocaleString("en-US")}`,
    note || `${ms.toFixed(0)} ms`,
  ]);
}

/** Baseline: raw bun:sqlite, one small INSERT per committed transaction. */
function rawCommits(mode: SyncMode, count: number): void {
  const db = new Database(join(dir, `raw-${files++}.db`));
  db.run("PRAGMA journal_mode = WAL");
  db.run(`PRAGMA synchronous = ${mode}`);
  db.run("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const blob = new Uint8Array(300);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    db.run("BEGIN IMMEDIATE");
    insert.run(blob);
    db.run("COMMIT");
  }
  record("baseline: raw SQLite, 1 insert per commit", mode, count, performance.now() - t0);
  insert.finalize();
  db.close();
}

async function singleAppends(store: EventStore, mode: string, count: number): Promise<void> {
  await store.append("single", [startedEvent], 0);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await store.append("single", [activity(i)], i + 1);
  record("append, 1 event per call, sequential", mode, count, performance.now() - t0);
}

async function batchedAppends(
  store: EventStore,
  mode: string,
  calls: number,
  size: number,
): Promise<void> {
  await store.append("batched", [startedEvent], 0);
  let head = 1;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const batch = Array.from({ length: size }, (_, j) => activity(i * size + j));
    head = (await store.append("batched", batch, head)).head;
  }
  record(`append, ${size} events per call, sequential`, mode, calls * size, performance.now() - t0);
}

/** `workflows` independent loops, each awaiting its own appends one by one. */
async function groupCommit(
  store: SqliteStore | MemoryStore,
  mode: string,
  workflows: number,
  rounds: number,
) {
  const ids = Array.from({ length: workflows }, (_, i) => `gc-${i}`);
  await Promise.all(ids.map((id) => store.append(id, [startedEvent], 0)));
  const before = store instanceof SqliteStore ? store.stats().transactions : 0;
  const t0 = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      let head = 1;
      for (let r = 0; r < rounds; r++) head = (await store.append(id, [activity(r)], head)).head;
    }),
  );
  const ms = performance.now() - t0;
  const tx = store instanceof SqliteStore ? store.stats().transactions - before : 0;
  const note =
    store instanceof SqliteStore
      ? `${tx} tx, ${((workflows * rounds) / tx).toFixed(0)} appends/tx`
      : "";
  record(`group commit, ${workflows} concurrent workflows`, mode, workflows * rounds, ms, note);
}

async function historyReads(store: EventStore, mode: string, length: number): Promise<void> {
  await store.append("long", [startedEvent], 0);
  let head = 1;
  for (let i = 0; head < length; i++) {
    const size = Math.min(500, length - head);
    head = (
      await store.append(
        "long",
        Array.from({ length: size }, (_, j) => activity(i * 500 + j)),
        head,
      )
    ).head;
  }
  const reps = 10;
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    if ((await store.readHistory("long")).length !== length) throw new Error("short history");
  }
  let ms = (performance.now() - t0) / reps;
  record(
    `readHistory, ${length.toLocaleString("en-US")} events`,
    mode,
    length,
    ms,
    `${ms.toFixed(1)} ms/read`,
  );
  t0 = performance.now();
  for (let i = 0; i < 100; i++) await store.readHistoryFrom("long", length - 99);
  ms = (performance.now() - t0) / 100;
  record("readHistoryFrom, last 100 events", mode, 100, ms, `${ms.toFixed(2)} ms/read`);
  t0 = performance.now();
  for (let i = 0; i < 100; i++) await store.readRunChain("long");
  ms = (performance.now() - t0) / 100;
  record(
    `readRunChain, ${length.toLocaleString("en-US")}-event history`,
    mode,
    1,
    ms,
    `${ms.toFixed(2)} ms/read`,
  );
}

async function withStore<S extends EventStore>(
  open: () => S,
  fn: (s: S) => Promise<void>,
): Promise<void> {
  const store = open();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

try {
  for (const mode of ["FULL", "NORMAL"] as const) {
    rawCommits(mode, mode === "FULL" ? 2_000 : 5_000);
    await withStore(
      () => sqlite(mode),
      (s) => singleAppends(s, mode, mode === "FULL" ? 2_000 : 5_000),
    );
    await withStore(
      () => sqlite(mode),
      (s) => batchedAppends(s, mode, 200, 100),
    );
    await withStore(
      () => sqlite(mode),
      (s) => groupCommit(s, mode, 1_000, 20),
    );
    await withStore(
      () => sqlite(mode),
      (s) => groupCommit(s, mode, 100, 100),
    );
  }
  await withStore(
    () => sqlite("FULL"),
    (s) => historyReads(s, "FULL", 10_000),
  );
  await withStore(
    () => new MemoryStore(),
    (s) => groupCommit(s, "memory", 1_000, 20),
  );
  await withStore(
    () => new MemoryStore(),
    (s) => historyReads(s, "memory", 10_000),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const header: [string, string, string, string] = ["scenario", "sync", "per second", "detail"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: readonly string[]) =>
  r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
