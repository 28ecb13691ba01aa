/** Every example in examples/ builds, deploys and completes (in process, on a MemoryStore). */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import type { ActivityFn, WorkflowOutcome } from "../../engine/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { buildPackage } from "../../loader/aion/index.ts";
import { ROOT } from "./helpers.ts";

/** Real timers (the examples sleep and time out for real) and package builds: slow under load. */
setDefaultTimeout(120_000);

let d: DeployedEngine | undefined;
afterEach(async () => {
  await d?.engine.shutdown();
  d = undefined;
});

async function example(name: string): Promise<DeployedEngine> {
  const mod = (await import(join(ROOT, "examples", name, "activities.ts"))) as Record<
    string,
    ActivityFn
  >;
  d = await openDeployed({
    store: new MemoryStore(),
    activities: { ...mod },
    // The 5 s default deadline is real time: generous here, so load never trips it.
    queryTimeoutMs: 120_000,
    log: () => {},
  });
  await d.deployments.deploy(buildPackage(join(ROOT, "examples", name)).bytes, `${name}.aion`);
  return d;
}

function completed(o: WorkflowOutcome): unknown {
  if (o.status !== "Completed") throw new Error(`not completed: ${JSON.stringify(o)}`);
  return o.result;
}

test("hello greets through an activity and a durable timer", async () => {
  const e = await example("hello");
  const id = await e.deployments.start("hello", { name: "Ada" });
  expect(completed(await e.engine.result(id))).toEqual({ greeting: "Hello, Ada!", waited_ms: 100 });
});

test("the saga books, or compensates the steps done in reverse order", async () => {
  const e = await example("saga");
  const ok = await e.deployments.start("saga", { trip: "lisbon" });
  expect(completed(await e.engine.result(ok))).toEqual({
    status: "booked",
    steps: ["reserve_flight", "reserve_hotel", "charge_card"],
  });
  const bad = await e.deployments.start("saga", { trip: "oslo", fail_at: "charge_card" });
  expect(completed(await e.engine.result(bad))).toEqual({
    status: "compensated",
    failed: "charge_card",
    reason: "terminal:charge_card declined for oslo",
    compensations: ["cancel_hotel", "cancel_flight"],
  });
});

test("the approval gate waits for signals, answers queries, and times out", async () => {
  const e = await example("approval");
  const id = await e.deployments.start("approval", { request: "desk" });
  // No wait needed: a query is handed to the workflow only at an await, and
  // the approval registers its handler before its first one.
  expect(await e.engine.query(id, "status")).toMatchObject({ status: "pending", needed: 1 });
  await e.engine.signal(id, "decision", { by: "carol", approved: true });
  expect(completed(await e.engine.result(id))).toMatchObject({
    status: "approved",
    approvals: ["carol"],
  });

  const no = await e.deployments.start("approval", { request: "yacht" });
  await e.engine.signal(no, "decision", { by: "dave", approved: false });
  expect(completed(await e.engine.result(no))).toMatchObject({
    status: "rejected",
    rejected_by: "dave",
  });

  const late = await e.deployments.start("approval", { request: "pony", timeout: "150ms" });
  expect(completed(await e.engine.result(late))).toMatchObject({ status: "timed_out" });
});
