/**
 * Engine throughput: workflow starts (start to completion), durable steps
 * (activity round trips, timers) and the replay of a ~10k-event history,
 * each on SqliteStore (FULL sync, group commit) and MemoryStore. The store's
 * own single-append rate is printed as the anchor.
 *
 * usage: bun bench/engine.bench.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonPayload } from "../engine/events/index.ts";
import { Engine } from "../engine/index.ts";
import { type EventStore, MemoryStore, SqliteStore } from "../engine/store/index.ts";
import { replay } from "../engine/testing/index.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/workflows");
const WORKFLOWS = {
  noop: { module: "wf_bench", function: "noop" },
  acts: { module: "wf_bench", function: "acts" },
  timers: { module: "wf_bench", function: "timers" },
};
const dir = mkdtempSync(join(tmpdir(), "aion-engine-bench-"));
let files = 0;
const rows: [string, string, string, string][] = [];

function storeOf(kind: "sqlite" | "memory"): EventStore {
  return kind === "sqlite" ? new SqliteStore(join(dir, `b${files++}.db`)) : new MemoryStore();
}

async function openEngine(kind: "sqlite" | "memory"): Promise<Engine> {
  const engine = await Engine.open({
    store: storeOf(kind),
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

async function starts(kind: "sqlite" | "memory", n: number): Promise<void> {
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
}

async function steps(
  kind: "sqlite" | "memory",
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

try {
  await anchor();
  for (const kind of ["sqlite", "memory"] as const) {
    await starts(kind, 1000);
    await steps(kind, "acts", 100, 20);
    await steps(kind, "acts", 1, 500);
    await steps(kind, "timers", 100, 20);
  }
  await replayTime();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 8));
for (const r of rows)
  console.log(r.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  "));
