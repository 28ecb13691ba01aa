/** Automatic eviction: `Engine.open({ residency })` on the injected clock. */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { InvalidEngineArgumentError } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function open(residency: { idleMs: number; sweepEveryMs?: number }) {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    residency,
  });
  return env;
}

describe("residency policy", () => {
  test("an idle workflow is evicted by the sweep and completes after a signal rehydrates it", async () => {
    const e = await open({ idleMs: 1000, sweepEveryMs: 100 });
    const id = await e.engine.start("sum");
    await e.engine.signal(id, "add", 2);
    await e.settle();
    expect((await e.engine.describe(id)).resident).toBe(true);
    await e.advance(700);
    expect((await e.engine.describe(id)).resident).toBe(true);
    await e.advance(500);
    expect((await e.engine.describe(id)).resident).toBe(false);
    expect(e.engine.residentIds()).toEqual([]);
    await e.engine.signal(id, "add", 3);
    expect((await e.engine.describe(id)).resident).toBe(true);
    await e.engine.signal(id, "add", 0);
    await e.engine.signal(id, "done", null);
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: 5 });
    const kinds = (await e.engine.history(id)).map((x) => x.event.kind);
    expect(kinds.filter((k) => k === "SignalReceived")).toHaveLength(4);
  });

  test("a sleeping workflow is evicted and its timer brings it back", async () => {
    const e = await open({ idleMs: 1000, sweepEveryMs: 250 });
    const id = await e.engine.start("sleeper", { ms: 60_000 });
    await e.settle();
    await e.advance(2000);
    expect(e.engine.residentIds()).not.toContain(id);
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "slept",
    });
  });

  test("a workflow not parked in an await stays resident; shutdown stops the sweep", async () => {
    const e = await open({ idleMs: 50 });
    // Registers a query, then waits in a raw receive: never idle in a native await.
    const stuck = await e.engine.start("stuck");
    const counter = await e.engine.start("counter");
    await e.settle();
    await e.advance(500);
    expect(e.engine.residentIds()).toEqual([stuck]);
    // The evicted counter answers a query by replay.
    expect(await e.run(e.engine.query(counter, "state"))).toBe(0);
    await e.shutdown();
    expect(e.clock.nextDeadline()).toBeUndefined();
    env = undefined;
  });

  test("bad options are refused", async () => {
    for (const residency of [
      { idleMs: -1 },
      { idleMs: Number.NaN },
      { idleMs: 10, sweepEveryMs: 0 },
      { idleMs: 10, sweepEveryMs: Number.POSITIVE_INFINITY },
    ]) {
      await expect(open(residency)).rejects.toBeInstanceOf(InvalidEngineArgumentError);
    }
  });
});
