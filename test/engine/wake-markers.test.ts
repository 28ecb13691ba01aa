/**
 * One wake marker per kind of arrival: a workflow parked in a raw `receive`
 * of one marker is woken by that kind of arrival only (the original engine's
 * rule; see docs/natives.md). The fixture is fixtures/workflows/wf_markers.erl.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { QueryTimeoutError } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { ACTIVITIES, FIXTURES, refusal, WORKFLOWS } from "./helpers.ts";

// Waits are on events; the timeout only guards against a hang on a loaded machine.
setDefaultTimeout(60_000);

const MARKER_WORKFLOWS = {
  ...WORKFLOWS,
  on_signal: { module: "wf_markers", function: "on_signal" },
  on_timer: { module: "wf_markers", function: "on_timer" },
  on_activity: { module: "wf_markers", function: "on_activity" },
  on_query: { module: "wf_markers", function: "on_query" },
};

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function open(): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: MARKER_WORKFLOWS,
    activities: ACTIVITIES,
  });
  return env;
}

describe("wake markers", () => {
  test("aion_signal_received: a signal wakes it, a query does not", async () => {
    const e = await open();
    const id = await e.engine.start("on_signal");
    await e.settle();
    // The query finds the workflow in a raw receive of the signal marker: it is
    // not woken, so the query stays unanswered until its caller's deadline.
    // Settled before asserting: see `refusal` for why not `expect(...).rejects`.
    const q = e.run(e.engine.query(id, "state", null, { timeoutMs: 100 }));
    expect(await refusal(q)).toBeInstanceOf(QueryTimeoutError);
    expect((await e.engine.describe(id))?.status).toBe("Running");
    await e.engine.signal(id, "go", { go: 1 });
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: { go: 1 },
    });
  });

  test("aion_timer_fired: the timer's firing wakes it", async () => {
    const e = await open();
    const id = await e.engine.start("on_timer");
    await e.settle();
    expect((await e.engine.describe(id))?.status).toBe("Running");
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "timer",
    });
    const kinds = (await e.engine.history(id)).map((x) => x.event.kind);
    expect(kinds).toContain("TimerFired");
  });

  test("aion_timer_fired: a signal does not wake a timer wait", async () => {
    const e = await open();
    const id = await e.engine.start("on_timer");
    await e.settle();
    await e.engine.signal(id, "go", 1);
    await e.settle();
    // Still waiting for the timer (due at +100 ms on the manual clock).
    expect((await e.engine.describe(id))?.status).toBe("Running");
    expect(await e.run(e.engine.result(id))).toMatchObject({ result: "timer" });
  });

  test("aion_activity_result: the activity's result wakes it", async () => {
    const e = await open();
    const id = await e.engine.start("on_activity");
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: 7 });
  });

  test("aion_query: a pending query wakes it", async () => {
    const e = await open();
    const id = await e.engine.start("on_query");
    await e.settle();
    // The workflow wakes and ends without answering: the query is refused, not hung.
    const q = e.engine.query(id, "state", null, { timeoutMs: 100 }).catch((err: Error) => err);
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "query",
    });
    expect(await e.run(q)).toBeInstanceOf(Error);
  });

  test("aion_query: a signal does not wake a query wait", async () => {
    const e = await open();
    const id = await e.engine.start("on_query");
    await e.settle();
    await e.engine.signal(id, "go", 1);
    await e.settle();
    expect((await e.engine.describe(id))?.status).toBe("Running");
  });
});
