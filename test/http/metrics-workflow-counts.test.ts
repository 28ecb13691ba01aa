/**
 * The `/metrics` gauge of workflows by status and type, served over a real
 * `aion serve`-style server on a SQLite file of 20,000 workflows: the
 * numbers are right, follow new workflows, and come from the store's one
 * grouped count (`countByStatusAndType`) rather than from reading every
 * workflow, which used to make a scrape cost a full read of the table. The
 * store's query plan for that count is checked in
 * test/store/sqlite-visibility-scale.test.ts.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import { WORKFLOW_STATUSES } from "../../engine/events/index.ts";
import { type ApiServer, serveApi } from "../../engine/http/index.ts";
import { type EventStore, SqliteStore } from "../../engine/store/index.ts";
import { type BulkWorkflow, fillWorkflows } from "../store/bulk-workflows.ts";
import { completed, removeDir, started, tempDir } from "../store/helpers.ts";

/** Filling a real file on a shared machine; the bound only stops a hang. */
setDefaultTimeout(120_000);

const COUNT = 20_000;
const TYPES = ["billing", "shipping", "Billing", "refunds"] as const;

function rowOf(i: number): BulkWorkflow {
  return {
    workflowId: `wf-${i}`,
    namespace: ["default", "team-a", "team-b"][i % 3]!,
    workflowType: TYPES[i % TYPES.length]!,
    status: WORKFLOW_STATUSES[Math.floor(i / 7) % WORKFLOW_STATUSES.length]!,
    startTime: 1_700_000_000_000 + i,
  };
}

/** Store reads that touch workflows one by one, counted while the server runs. */
const ROW_READS = ["query", "describe", "listWorkflowIds", "listActive", "readHistory"] as const;

let dir: string;
let d: DeployedEngine;
let server: ApiServer;
const reads = new Map<string, number>();
const expected = new Map<string, number>();

/** Counts every call of the per-row readers of `store` (they still run). */
function countRowReads(store: EventStore): void {
  for (const name of ROW_READS) {
    const original = store[name] as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      return original.apply(store, args);
    };
  }
}

beforeAll(async () => {
  dir = tempDir("aion-metrics-counts-");
  const path = join(dir, "m.db");
  await fillWorkflows(path, COUNT, (i) => {
    const row = rowOf(i);
    const key = `${row.status}/${row.workflowType}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
    return row;
  });
  // No recovery: the bulk rows have no histories to replay.
  d = await openDeployed({ store: new SqliteStore(path), recover: false, log: () => {} });
  countRowReads(d.engine.store);
  server = serveApi({ engine: d.engine, deployments: d.deployments });
});

afterAll(async () => {
  await server?.stop();
  await d?.engine.shutdown();
  await d?.engine.store.close();
  if (dir) removeDir(dir);
});

/** The `aion_workflows` samples of one scrape, keyed `status/type`. */
async function workflowGauge(): Promise<Map<string, number>> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  const gauge = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    const m = /^aion_workflows\{(.*)\} (\S+)$/.exec(line);
    if (m === null) continue;
    const labels = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    gauge.set(`${labels.status}/${labels.type}`, Number(m[2]));
  }
  return gauge;
}

describe(`aion_workflows over ${COUNT.toLocaleString("en")} workflows`, () => {
  test("counts every namespace by status and type without reading workflows one by one", async () => {
    reads.clear();
    const gauge = await workflowGauge();
    expect(gauge).toEqual(expected);
    expect([...gauge.values()].reduce((a, b) => a + b, 0)).toBe(COUNT);
    // Types differing only in case are separate series.
    expect(gauge.get("Running/Billing")).toBe(expected.get("Running/Billing"));
    expect(gauge.get("Running/billing")).toBe(expected.get("Running/billing"));
    expect(Object.fromEntries(reads)).toEqual({});
  });

  test("the next scrape sees a new workflow; a vanished group is no longer exported", async () => {
    await d.engine.store.append("fresh-1", [started("r1", { type: "audits" })], 0, {
      namespace: "team-b",
    });
    const gauge = await workflowGauge();
    expect(gauge.get("Running/audits")).toBe(1);
    expect(gauge.size).toBe(expected.size + 1);
    await d.engine.store.append("fresh-1", [completed()], 1);
    const after = await workflowGauge();
    expect(after.has("Running/audits")).toBe(false);
    expect(after.get("Completed/audits")).toBe(1);
    expect(after.size).toBe(expected.size + 1);
    expect(Object.fromEntries(reads)).toEqual({});
  });
});
