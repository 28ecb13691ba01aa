import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, detailsOf, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function open(
  extra: Parameters<typeof TestEnvironment.create>[0] = {},
): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
    ...extra,
  });
  return env;
}

const kindsOf = async (e: TestEnvironment, id: string) =>
  (await e.engine.history(id)).map((x) => x.event.kind);

describe("activities", () => {
  test("a TypeScript activity round trip", async () => {
    const e = await open();
    const id = await e.engine.start("charge", { amount: 12 });
    expect(await e.run(e.engine.result(id))).toMatchObject({
      result: { charged: 12, receipt: "r-1" },
    });
    expect(await kindsOf(e, id)).toEqual([
      "WorkflowStarted",
      "ActivityScheduled",
      "ActivityStarted",
      "ActivityCompleted",
      "WorkflowCompleted",
    ]);
  });

  test("retries with backoff, then fails as data", async () => {
    const e = await open();
    let calls = 0;
    e.engine.activity(
      "charge",
      () => {
        calls++;
        throw new Error(`retryable:attempt ${calls}`);
      },
      { retry: { maxAttempts: 3, initialIntervalMs: 1000 } },
    );
    const id = await e.engine.start("charge", { amount: 1 });
    const o = await e.run(e.engine.result(id));
    // The workflow returned {error, Reason}: a fixed message, Reason as details.
    expect(o).toMatchObject({
      status: "Failed",
      error: { message: expect.stringMatching(/^workflow <\d+\.\d+\.\d+> returned error$/) },
    });
    if (o.status === "Failed") expect(detailsOf(o.error)).toBe("retryable:attempt 3");
    expect(calls).toBe(3);
    expect(e.clock.now()).toBe(3000);
    const started = (await e.engine.history(id)).filter((x) => x.event.kind === "ActivityStarted");
    expect(started).toHaveLength(3);
  });

  test("an attempt timeout counts as a failed attempt", async () => {
    const e = await open();
    e.engine.activity("charge", ACTIVITIES.slow!, { timeoutMs: 500, retry: { maxAttempts: 2 } });
    const id = await e.engine.start("charge", { amount: 1 });
    const o = await e.run(e.engine.result(id));
    expect(o).toMatchObject({ status: "Failed" });
    if (o.status === "Failed") expect(String(detailsOf(o.error))).toStartWith("timeout:");
  });

  test("in-VM activities: a value and a crash as data", async () => {
    const e = await open();
    const id = await e.engine.start("in_vm");
    const o = await e.run(e.engine.result(id));
    if (o.status !== "Completed") throw new Error(JSON.stringify(o));
    const [a, b] = o.result as [string, string];
    expect(a).toBe("42");
    expect(b).toContain("kaput");
  });

  test("collect_all, collect_map and fail-fast", async () => {
    const e = await open();
    const id = await e.engine.start("collect");
    const o = await e.run(e.engine.result(id));
    expect(o).toMatchObject({
      status: "Completed",
      result: { all: ["1", "2"], map: { x: "3", y: "4" }, why: "terminal:declined" },
    });
  });

  test("collect_race: first settled wins, the loser is cancelled", async () => {
    const e = await open();
    const id = await e.engine.start("race");
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: "fast" });
    await e.settle();
    expect(await kindsOf(e, id)).toContain("ActivityCancelled");
  });
});

describe("children", () => {
  test("spawn_child records then spawns; await_child gets ok:", async () => {
    const e = await open();
    const id = await e.engine.start("parent", {}, { workflowId: "p1" });
    const o = await e.run(e.engine.result(id));
    expect(o).toMatchObject({
      status: "Completed",
      result: { child: "p1/child-1", result: 'ok:{"child":true}' },
    });
    expect(await kindsOf(e, id)).toEqual([
      "WorkflowStarted",
      "ChildWorkflowStarted",
      "ChildWorkflowCompleted",
      "WorkflowCompleted",
    ]);
  });

  test("a failing child is error: data", async () => {
    const e = await open();
    const id = await e.engine.start("parent", { fail: true }, { workflowId: "p2" });
    expect(await e.run(e.engine.result(id))).toMatchObject({
      result: { result: "error:child said no" },
    });
  });

  test("continue-as-new chains, and await_child follows them", async () => {
    const e = await open();
    const id = await e.engine.start("parent_of_countdown");
    expect(await e.run(e.engine.result(id))).toMatchObject({ result: 'ok:"liftoff"' });
    const runs = await e.engine.store.readRunChain("cd-child");
    expect(runs.map((r) => r.status)).toEqual(["ContinuedAsNew", "ContinuedAsNew", "Completed"]);
    expect(await e.engine.result("cd-child")).toMatchObject({
      status: "Completed",
      result: "liftoff",
    });
  });

  test("fire-and-forget children run", async () => {
    const e = await open();
    const id = await e.engine.start("fire_and_forget");
    await e.run(e.engine.result(id));
    expect(await e.run(e.engine.result("ff-child"))).toMatchObject({ status: "Completed" });
  });
});

describe("timers and scopes", () => {
  test("with_timeout: deadlines, completion, nesting", async () => {
    const e = await open();
    const id = await e.engine.start("scoped");
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "scoped",
    });
    const h = await e.engine.history(id);
    const scopes = h.flatMap((x) =>
      x.event.kind === "WithTimeoutCompleted" ? [x.event.timedOut] : [],
    );
    // The abandoned inner scope of the last case records nothing.
    expect(scopes).toEqual([true, false, true, false, true]);
  });

  test("named timers: cancel one, the other fires", async () => {
    const e = await open();
    const id = await e.engine.start("named_timers");
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed" });
    const h = await e.engine.history(id);
    const fired = h.flatMap((x) => (x.event.kind === "TimerFired" ? [x.event.timerId] : []));
    expect(fired).toEqual(["t2", "sleep-1"]);
  });
});

describe("lifecycle", () => {
  test("cancel records WorkflowCancelled and cascades to children", async () => {
    const e = await open();
    const id = await e.engine.start("sum");
    await e.settle();
    await e.engine.cancel(id, "user asked");
    expect(await e.engine.result(id)).toEqual({ status: "Cancelled", reason: "user asked" });
    await expect(e.engine.cancel(id)).rejects.toMatchObject({ code: "already-terminal" });
    const parent = await e.engine.start("parent", {}, { workflowId: "cp" });
    await e.settle();
    await e.engine.cancel(parent, "stop all");
    expect(await e.engine.result("cp/child-1")).toEqual({
      status: "Cancelled",
      reason: "stop all",
    });
  });

  test("terminate and workflow timeouts", async () => {
    const e = await open();
    const a = await e.engine.start("sum");
    await e.engine.terminate(a, "stop");
    expect(await e.engine.result(a)).toMatchObject({
      status: "Failed",
      error: { message: "terminated:stop" },
    });
    const b = await e.engine.start("sum", null, { timeoutMs: 60_000 });
    expect(await e.run(e.engine.result(b))).toEqual({ status: "TimedOut", timeoutMs: 60_000 });
  });

  test("typed errors for caller mistakes", async () => {
    const e = await open();
    await expect(e.engine.start("nope")).rejects.toMatchObject({ code: "unknown-workflow-type" });
    await e.engine.start("sum", null, { workflowId: "dup" });
    await expect(e.engine.start("sum", null, { workflowId: "dup" })).rejects.toMatchObject({
      code: "duplicate-workflow",
    });
    await expect(e.engine.result("missing")).rejects.toMatchObject({ code: "unknown-workflow" });
    await expect(e.engine.describe("missing")).rejects.toMatchObject({ code: "unknown-workflow" });
    await e.engine.shutdown();
    await expect(e.engine.start("sum")).rejects.toMatchObject({ code: "engine-shut-down" });
  });
});
