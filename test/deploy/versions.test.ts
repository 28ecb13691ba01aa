/**
 * Which code a run executes when several versions of its type are deployed:
 * the engine resolves a run's entry from its recorded package version, so a
 * replay (eviction, restart) runs the code that made its history, while new
 * runs — continue-as-new successors included — take the current route.
 *
 * The stepper package's first command is a timer named after its version, so
 * a v1 history replayed on v2 code would fail as non-deterministic.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import type { EventEnvelope, WorkflowEvent } from "../../engine/events/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { payloadFromText } from "../../engine/terms.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { vmQuiet, waitUntil } from "../wait.ts";
import { stepperPackage } from "./packages.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let open: DeployedEngine[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const d of open) await d.engine.shutdown();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  open = [];
  dirs = [];
});

async function engineOn(
  store: MemoryStore | string,
  options: { dormant?: boolean } = {},
): Promise<DeployedEngine> {
  const d = await openDeployed({ store, log: () => {}, ...options });
  open.push(d);
  return d;
}

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "aion-versions-"));
  dirs.push(dir);
  return join(dir, "aion.db");
}

function kinds(h: readonly EventEnvelope[]): string[] {
  return h.map((e) => {
    const ev: WorkflowEvent = e.event;
    if (ev.kind === "TimerStarted") return `TimerStarted(${ev.timerId})`;
    if (ev.kind === "WorkflowStarted") return `WorkflowStarted(${ev.packageVersion.slice(0, 8)})`;
    return ev.kind;
  });
}

/** Resolves once the workflow's latest run recorded its timer (it is then parked or about to be). */
function timerRecorded(d: DeployedEngine, id: string, starts = 1): Promise<void> {
  return waitUntil(`${id} to start its timer`, async () => {
    const h = await d.engine.history(id);
    return (
      h.filter((e) => e.event.kind === "WorkflowStarted").length === starts &&
      h.at(-1)?.event.kind === "TimerStarted"
    );
  });
}

async function finish(d: DeployedEngine, id: string): Promise<unknown> {
  await d.engine.signal(id, "go", null);
  const o = await d.engine.result(id);
  if (o.status !== "Completed") throw new Error(`workflow ${id} ended ${JSON.stringify(o)}`);
  return o.result;
}

describe("runs keep the version they recorded", () => {
  test("a v1 run evicted after v2 is routed replays and finishes on v1 code", async () => {
    const d = await engineOn(new MemoryStore());
    const v1 = stepperPackage(1);
    const v2 = stepperPackage(2);
    await d.deployments.deploy(v1.bytes, "stepper-v1.aion");
    const old = await d.deployments.start("stepper", { rounds: 0 }, { workflowId: "old" });
    await timerRecorded(d, old);
    await d.deployments.deploy(v2.bytes, "stepper-v2.aion");
    expect(d.deployments.current("stepper")?.version).toBe(v2.version);

    await waitUntil("old to be evictable", () => d.engine.evict(old));
    expect(d.engine.residentIds()).not.toContain(old);
    // The signal loads the run again by replay, which must take v1's modules.
    expect(await finish(d, old)).toEqual({ version: 1, rounds: 0 });
    expect(kinds(await d.engine.history(old))).toEqual([
      `WorkflowStarted(${v1.version.slice(0, 8)})`,
      "TimerStarted(stepper-v1)",
      "SignalReceived",
      "WorkflowCompleted",
    ]);

    const fresh = await d.deployments.start("stepper", { rounds: 0 });
    await timerRecorded(d, fresh);
    expect(await finish(d, fresh)).toEqual({ version: 2, rounds: 0 });
  });

  test("after a restart on the same file, recovery replays a v1 run on v1 code", async () => {
    const db = tempDb();
    const v1 = stepperPackage(1);
    const v2 = stepperPackage(2);
    const first = await engineOn(db);
    await first.deployments.deploy(v1.bytes);
    const old = await first.deployments.start("stepper", { rounds: 0 }, { workflowId: "old" });
    await timerRecorded(first, old);
    await first.deployments.deploy(v2.bytes);
    await first.engine.shutdown();

    const second = await engineOn(db);
    expect(second.deployments.current("stepper")?.version).toBe(v2.version);
    expect((await second.engine.describe(old)).resident).toBe(true);
    // Recovered once; evicted and replayed a second time for good measure.
    await waitUntil("old to be evictable", () => second.engine.evict(old));
    const fresh = await second.deployments.start("stepper", { rounds: 0 }, { workflowId: "new" });
    await timerRecorded(second, fresh);
    expect(await finish(second, old)).toEqual({ version: 1, rounds: 0 });
    expect(await finish(second, fresh)).toEqual({ version: 2, rounds: 0 });
    const history = kinds(await second.engine.history(old));
    expect(history).toContain("TimerStarted(stepper-v1)");
    expect(history.at(-1)).toBe("WorkflowCompleted");
  });

  test("a continue-as-new successor takes the route current at that moment", async () => {
    const d = await engineOn(new MemoryStore());
    const v1 = stepperPackage(1);
    const v2 = stepperPackage(2);
    await d.deployments.deploy(v1.bytes);
    const id = await d.deployments.start("stepper", { rounds: 1 });
    await timerRecorded(d, id);
    await d.deployments.deploy(v2.bytes);
    await d.engine.signal(id, "go", null);
    await timerRecorded(d, id, 2);
    expect(await finish(d, id)).toEqual({ version: 2, rounds: 0 });
    expect(kinds(await d.engine.history(id))).toEqual([
      `WorkflowStarted(${v1.version.slice(0, 8)})`,
      "TimerStarted(stepper-v1)",
      "SignalReceived",
      "WorkflowContinuedAsNew",
      `WorkflowStarted(${v2.version.slice(0, 8)})`,
      "TimerStarted(stepper-v2)",
      "SignalReceived",
      "WorkflowCompleted",
    ]);
  });

  test("a run recorded on a version this engine has not loaded is refused, not run", async () => {
    const store = new MemoryStore();
    const d = await engineOn(store);
    await d.deployments.deploy(stepperPackage(1).bytes);
    const unknown = "f".repeat(64);
    await store.append(
      "stray",
      [
        {
          kind: "WorkflowStarted",
          workflowType: "stepper",
          input: payloadFromText('{"rounds":0}'),
          runId: "r-1",
          parentRunId: null,
          packageVersion: unknown,
        },
      ],
      0,
      { recordedAt: 0 },
    );
    const report = await d.engine.recover();
    expect(report.failed).toEqual([
      { workflowId: "stray", reason: expect.stringContaining(unknown) },
    ]);
    // Nothing was recorded: a later deploy of that version could still run it.
    expect((await d.engine.describe("stray")).status).toBe("Running");
    expect(await d.engine.history("stray")).toHaveLength(1);
  });

  test("a dormant engine records starts without running code; a live one then runs them", async () => {
    const db = tempDb();
    const v1 = stepperPackage(1);
    const dormant = await engineOn(db, { dormant: true });
    await dormant.deployments.deploy(v1.bytes);
    const id = await dormant.deployments.start("stepper", { rounds: 0 });
    await dormant.engine.signal(id, "go", null);
    // Every process parked and every append settled: had the run executed its
    // code, its first command (the timer) would be in the history by now.
    await vmQuiet(dormant.engine);
    expect(kinds(await dormant.engine.history(id))).toEqual([
      `WorkflowStarted(${v1.version.slice(0, 8)})`,
      "SignalReceived",
    ]);
    await dormant.engine.shutdown();

    const live = await engineOn(db);
    expect(await live.engine.result(id)).toMatchObject({
      status: "Completed",
      result: { version: 1, rounds: 0 },
    });
  });
});
