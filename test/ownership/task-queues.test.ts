/**
 * Activity task queues: an activity type the workflow's owner does not run
 * waits in its queue for a worker that does; a dead worker's claim lapses
 * and another worker runs the task again; a schedule-to-start timeout fails
 * the attempt when nobody takes it. The history keeps the shape of a local
 * activity. Leases and polls run on a manual clock pumped by the tests.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type ActivityFn, Engine } from "../../engine/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { ManualClock } from "../../vm/index.ts";
import { FIXTURES, WORKFLOWS } from "../engine/helpers.ts";
import { waitUntil } from "../wait.ts";

setDefaultTimeout(60_000);

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.shutdown();
});

const WF = { ...WORKFLOWS, retry: { module: "wf_retry", function: "run" } };

async function open(
  store: MemoryStore,
  mode: "exclusive" | "shared",
  ownerId: string,
  clock: ManualClock,
  activities: Record<string, ActivityFn>,
): Promise<Engine> {
  const engine = await Engine.open({
    store,
    modulesDir: FIXTURES,
    workflows: WF,
    activities,
    log: () => {},
    ownership: { mode, ownerId, shardCount: 4, leaseMs: 60_000, pollMs: 50, clock },
  });
  engines.push(engine);
  return engine;
}

/** Awaits `p`, advancing the lease/poll clocks one poll at a time meanwhile. */
async function pumped<T>(p: Promise<T>, ...clocks: ManualClock[]): Promise<T> {
  p.catch(() => {});
  await waitUntil("the promise to settle", () => {
    if (Bun.peek.status(p) !== "pending") return true;
    for (const c of clocks) c.advance(50);
    return false;
  });
  return p;
}

describe("activity task queues", () => {
  test("an activity the owner does not run waits for a worker that does", async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    // The owner (every shard) runs no activities; a worker with another file runs "echo" only.
    const owner = await open(store, "exclusive", "owner", clock, {});
    await open(store, "shared", "other", clock, { echo: (x) => x });
    const id = await owner.start("charge", { amount: 7 });
    await pumped(
      waitUntil(
        "the task to be queued",
        async () => (await store.coordination.taskGet(`${id}\u001fa-1`)) !== undefined,
      ),
      clock,
    );
    // Nobody runs "charge" yet: not a failure, it waits.
    expect((await owner.describe(id)).status).toBe("Running");
    const charged: unknown[] = [];
    await open(store, "shared", "payments", clock, {
      charge: (input) => {
        charged.push(input);
        return { charged: (input as { amount: number }).amount };
      },
    });
    const outcome = await pumped(owner.result(id), clock);
    expect(outcome).toMatchObject({ status: "Completed", result: { charged: 7 } });
    expect(charged).toEqual([{ amount: 7 }]);
    const kinds = (await owner.history(id)).map((e) => e.event.kind);
    expect(kinds).toEqual([
      "WorkflowStarted",
      "ActivityScheduled",
      "ActivityStarted",
      "ActivityCompleted",
      "WorkflowCompleted",
    ]);
    // The finished task is gone from the queue.
    expect(await store.coordination.taskGet(`${id}\u001fa-1`)).toBeUndefined();
  });

  test("a dead worker's claim lapses and another worker runs the task (at least once)", async () => {
    const store = new MemoryStore();
    const ownerClock = new ManualClock();
    const deadClock = new ManualClock();
    const owner = await open(store, "exclusive", "owner", ownerClock, {});
    let hung = 0;
    // This worker claims the task and then stops (its clock never moves again: no heartbeat).
    await open(store, "shared", "dies", deadClock, {
      charge: () => {
        hung++;
        return new Promise(() => {});
      },
    });
    const id = await owner.start("charge", { amount: 1 });
    await pumped(
      waitUntil("the first worker to claim it", async () => hung === 1),
      deadClock,
      ownerClock,
    );
    const live = await open(store, "shared", "lives", ownerClock, {
      charge: () => ({ charged: 1, by: "lives" }),
    });
    void live;
    const outcome = await pumped(owner.result(id), ownerClock);
    expect(outcome).toMatchObject({ status: "Completed", result: { charged: 1, by: "lives" } });
    // The re-dispatch is not a new attempt in the history: one Started, one Completed.
    const kinds = (await owner.history(id)).map((e) => e.event.kind);
    expect(kinds.filter((k) => k === "ActivityStarted")).toHaveLength(1);
    expect(hung).toBe(1);
  });

  test("a remote activity retries as the dispatch config says", async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const owner = await open(store, "exclusive", "owner", clock, {});
    let calls = 0;
    await open(store, "shared", "w", clock, {
      flaky: () => {
        calls++;
        if (calls < 2) throw new Error("not yet");
        return "ok";
      },
    });
    const retry = { retry: { max_attempts: 3, backoff: { kind: "fixed", delay_ms: 10 } } };
    const id = await owner.start("retry", retry);
    expect(await pumped(owner.result(id), clock)).toMatchObject({
      status: "Completed",
      result: "ok",
    });
    expect(calls).toBe(2);
    const attempts = (await owner.history(id)).flatMap((e) =>
      e.event.kind === "ActivityStarted" ? [e.event.attempt] : [],
    );
    expect(attempts).toEqual([1, 2]);
  });

  test("the schedule-to-start timeout fails an attempt no worker takes", async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const owner = await open(store, "exclusive", "owner", clock, {});
    const id = await owner.start("retry", { schedule_to_start_timeout: 200, retry: null });
    const outcome = await pumped(owner.result(id), clock);
    expect(outcome).toMatchObject({ status: "Completed" });
    const failed = (await owner.history(id)).find((e) => e.event.kind === "ActivityFailed");
    expect(failed?.event).toMatchObject({
      error: { message: expect.stringMatching(/^timeout:schedule_to_start/) },
    });
    expect(await store.coordination.taskGet(`${id}\u001fa-1`)).toBeUndefined();
  });
});
