import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

describe("engine basics", () => {
  test("start -> sleep -> complete", async () => {
    env = await TestEnvironment.create({ modulesDir: FIXTURES, workflows: WORKFLOWS });
    const id = await env.engine.start("basic", { name: "bun" });
    const outcome = await env.run(env.engine.result(id));
    expect(outcome).toEqual({
      status: "Completed",
      result: { hello: "bun" },
      resultText: '{"hello":"bun"}',
    });
    const kinds = (await env.engine.history(id)).map((e) => e.event.kind);
    expect(kinds).toEqual(["WorkflowStarted", "TimerStarted", "TimerFired", "WorkflowCompleted"]);
  });
});

describe("determinism and replay", () => {
  test("now/random/random_int are recorded once and replayed after eviction", async () => {
    env = await TestEnvironment.create({ modulesDir: FIXTURES, workflows: WORKFLOWS });
    const id = await env.engine.start("observe", null, { workflowId: "obs-1" });
    await env.settle();
    expect(env.engine.evict(id)).toBe(true);
    expect(env.engine.residentIds()).not.toContain(id);
    const outcome = await env.run(env.engine.result(id));
    if (outcome.status !== "Completed") throw new Error(JSON.stringify(outcome));
    const r = outcome.result as { id: string; now: number; r: number; i: number; count: number };
    expect(r.id).toBe("obs-1");
    expect(r.now).toBe(1_700_000_000_000);
    expect(r.i).toBeGreaterThanOrEqual(1);
    expect(r.i).toBeLessThanOrEqual(6);
    const history = await env.engine.history(id);
    const types = history.flatMap((e) =>
      e.event.kind === "ActivityScheduled" ? [e.event.activityType] : [],
    );
    expect(types).toEqual(["aion.now", "aion.random", "aion.random_int"]);
    // Started + 3 observations (2 events each) + timer started + fired = 9 before the query.
    expect(r.count).toBe(9);
  });

  test("a crash fails the workflow with the reason", async () => {
    env = await TestEnvironment.create({
      modulesDir: FIXTURES,
      workflows: WORKFLOWS,
      log: () => {},
    });
    const id = await env.engine.start("crash");
    const outcome = await env.run(env.engine.result(id));
    expect(outcome.status).toBe("Failed");
    if (outcome.status === "Failed") expect(outcome.error.message).toContain("boom");
  });

  test("natives refuse malformed arguments with {error, _}", async () => {
    env = await TestEnvironment.create({ modulesDir: FIXTURES, workflows: WORKFLOWS });
    const id = await env.engine.start("errors");
    expect(await env.run(env.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "ok",
    });
  });

  test("timers of days run in milliseconds", async () => {
    env = await TestEnvironment.create({ modulesDir: FIXTURES, workflows: WORKFLOWS });
    const id = await env.engine.start("sleeper", { ms: 3 * 86_400_000 });
    // No wall-clock check (it would pass or fail with the machine's load): a
    // timer armed on real time would never fire within the test's timeout.
    // What must hold is that the days passed on the manual clock alone.
    expect(await env.run(env.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "slept",
    });
    expect(env.clock.now()).toBe(6 * 86_400_000);
    const fired = (await env.engine.history(id)).filter((e) => e.event.kind === "TimerFired");
    const origin = 1_700_000_000_000; // TestEnvironment's default wall-clock start
    expect(fired.map((e) => e.recordedAt - origin)).toEqual([3 * 86_400_000, 6 * 86_400_000]);
  });
});
