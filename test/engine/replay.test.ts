import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { replay, TestEnvironment } from "../../engine/testing/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/**
 * How long `replay` may run (real time) before it reports a replay that never
 * recorded anything. Every case here ends by recording (a terminal event or a
 * divergence), which stops the wait at once; the kit's 2 s default could run
 * out on a loaded machine and turn a pass into "the replay never ended".
 */
const REPLAY_MS = 60_000;

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function recorded(type: string, input: unknown = null) {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
  });
  const id = await env.engine.start(type, input);
  await env.run(env.engine.result(id));
  return env.engine.history(id);
}

describe("replay kit", () => {
  test("the same code reproduces its history and outcome", async () => {
    const h = await recorded("saga");
    const r = await replay(h, { workflows: WORKFLOWS, modulesDir: FIXTURES, timeoutMs: REPLAY_MS });
    expect(r).toMatchObject({ ok: true, outcome: { kind: "WorkflowCompleted" } });
  });

  test("named timers replay: a call matching its own TimerStarted is not a duplicate", async () => {
    // The index holds the whole segment up front; start_timer must only see
    // timers that earlier calls started, or its replay would get timer_exists.
    const h = await recorded("named_timers");
    const r = await replay(h, { workflows: WORKFLOWS, modulesDir: FIXTURES, timeoutMs: REPLAY_MS });
    expect(r).toMatchObject({ ok: true, outcome: { kind: "WorkflowCompleted" } });
  });

  test("changed code is reported as non-determinism naming both sides", async () => {
    const h = await recorded("charge", { amount: 3 });
    // The "charge" history replayed against code that starts a timer first.
    const r = await replay(h, {
      workflows: { charge: { module: "wf_work", function: "named_timers" } },
      modulesDir: FIXTURES,
      timeoutMs: REPLAY_MS,
    });
    expect(r.ok).toBe(false);
    expect(r.divergence).toContain("ActivityScheduled(charge, a-1)");
    expect(r.divergence).toContain("TimerStarted(t1)");
  });

  test("a replay leaves no real timer armed behind it", async () => {
    // A timer left armed outlives the test file: bun runs the next files in the
    // same process, and its nested event loop (`expect(pending).rejects`) then
    // turns setImmediate callbacks only when it wakes, up to a second each.
    const h = await recorded("saga");
    const armed = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const tracked = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = realSet(() => {
        armed.delete(t);
        fn(...args);
      }, ms);
      armed.add(t);
      return t;
    };
    globalThis.setTimeout = tracked as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((t: Parameters<typeof clearTimeout>[0]) => {
      armed.delete(t);
      realClear(t);
    }) as typeof clearTimeout;
    try {
      const r = await replay(h, {
        workflows: WORKFLOWS,
        modulesDir: FIXTURES,
        timeoutMs: REPLAY_MS,
      });
      expect(r.ok).toBe(true);
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
    expect(armed.size).toBe(0);
  });

  test("a live engine fails a workflow whose code diverges from its history", async () => {
    env = await TestEnvironment.create({
      modulesDir: FIXTURES,
      workflows: WORKFLOWS,
      activities: ACTIVITIES,
      log: () => {},
    });
    const id = await env.engine.start("sleeper", { ms: 1000 });
    await env.settle();
    env.engine.evict(id);
    env.engine.register("sleeper", { module: "wf_work", function: "charge" });
    await env.advance(1000);
    const o = await env.run(env.engine.result(id));
    expect(o.status).toBe("Failed");
    if (o.status === "Failed") {
      expect(o.error.message).toContain("TimerStarted(sleep-1)");
      expect(o.error.message).toContain("ActivityScheduled(charge, a-1)");
    }
  });
});
