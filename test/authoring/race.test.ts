/**
 * `aion:race/1` over child workflows (fixtures/workflows/wf_race.erl): the
 * first child outcome recorded wins, losing children keep running to their
 * own end, queries are answered while the race waits, the `await_race/1`
 * native refuses bad handles by name, and an engine restart at any point
 * resumes with the same winner without running anything again beyond
 * at-least-once. Twins of these races (Erlang, raw natives, Elixir) are in
 * twins.test.ts.
 */
import { afterAll, afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActivityFn } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { FIXTURES } from "../engine/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-race-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const envs: TestEnvironment[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) await e.shutdown();
});

const WORKFLOWS = Object.fromEntries(
  ["first", "resume", "asked", "bad_handles", "napper"].map((f) => [
    f,
    { module: "wf_race", function: f },
  ]),
);

/** Counts the attempts of `stall`, an activity that answers only by being cancelled. */
function stalling(): { stall: ActivityFn; started: () => number } {
  let started = 0;
  const stall: ActivityFn = (_input, ctx) => {
    started++;
    return new Promise((_resolve, reject) =>
      ctx.signal.addEventListener("abort", () => reject(new Error("aborted"))),
    );
  };
  return { stall, started: () => started };
}

async function open(activities: Record<string, ActivityFn> = {}, store?: string) {
  const env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities,
    log: () => {},
    ...(store !== undefined ? { store } : {}),
  });
  envs.push(env);
  return env;
}

const kindsOf = async (env: TestEnvironment, id: string) =>
  (await env.engine.history(id)).map((e) => e.event.kind);

test("the child that sleeps less wins; the loser keeps running to its own end", async () => {
  const env = await open();
  const id = await env.engine.start("first", null, { workflowId: "p" });
  expect(await env.run(env.engine.result(id))).toMatchObject({
    status: "Completed",
    result: { slept: 20 },
  });
  expect(env.clock.now()).toBeLessThan(500);
  // The parent ended before the loser: nothing of the loser's end is in its history.
  expect(await kindsOf(env, id)).toEqual([
    "WorkflowStarted",
    "ChildWorkflowStarted",
    "ChildWorkflowStarted",
    "ChildWorkflowCompleted",
    "WorkflowCompleted",
  ]);
  // Not cancelled: the losing child finishes its own work.
  expect(await env.run(env.engine.result("p/child-1"))).toMatchObject({
    status: "Completed",
    result: { slept: 500 },
  });
});

test("a query is answered while the race waits", async () => {
  const env = await open();
  const id = await env.engine.start("asked");
  await env.settle();
  expect(await env.engine.query(id, "stage")).toBe("racing");
  expect(await env.run(env.engine.result(id))).toMatchObject({ result: { slept: 1000 } });
});

test("await_race/1 refuses what is not a started activity or child, naming it", async () => {
  const env = await open();
  const id = await env.engine.start("bad_handles", null, { workflowId: "b" });
  expect(await env.run(env.engine.result(id))).toMatchObject({
    status: "Completed",
    result: [
      "await_race: expected at least one handle",
      "await_race: handles argument is not a proper list",
      "await_race: handle is not a binary",
      "await_race: handle is not JSON: not json",
      'await_race: handle must be {"activity": Id} or {"child": Id}: {"timer":"t-1"}',
      "await_race: unknown child nobody",
      "await_race: unknown activity a-9",
    ],
  });
});

test("a restart after the race resumes with the same winner, though the loser ended too", async () => {
  const db = join(dir, "after.db");
  const a = stalling();
  const first = await open({ stall: a.stall }, db);
  const id = await first.engine.start("resume", null, { workflowId: "r" });
  // Past both children's ends (100 and 300 ms), well before the day's sleep is over.
  await first.advance(1_000);
  const before = await first.engine.history(id);
  const kinds = before.map((e) => e.event.kind);
  // Both outcomes are recorded before the restart; the second-listed child's comes first.
  expect(kinds.filter((k) => k === "ChildWorkflowCompleted")).toHaveLength(2);
  const firstOutcome = before.find((e) => e.event.kind === "ChildWorkflowCompleted")!.event;
  expect(firstOutcome).toMatchObject({ childWorkflowId: "r/child-2" });
  expect(kinds).toContain("ActivityCancelled");
  expect(kinds).not.toContain("WorkflowCompleted");
  await first.shutdown();

  const b = stalling();
  const second = await open({ stall: b.stall }, db);
  expect(await second.run(second.engine.result(id))).toMatchObject({
    status: "Completed",
    result: { winner: { slept: 100 }, late: { slept: 300 } },
  });
  const after = await second.engine.history(id);
  // Recovery replayed what was recorded and appended only what came next.
  expect(after.slice(0, before.length)).toEqual([...before]);
  expect(after.slice(before.length).map((e) => e.event.kind)).toEqual([
    "TimerFired",
    "WorkflowCompleted",
  ]);
  // The cancelled activity did not run again; each child ran once.
  expect([a.started(), b.started()]).toEqual([1, 0]);
  for (const child of ["r/child-1", "r/child-2"])
    expect((await kindsOf(second, child)).filter((k) => k === "WorkflowStarted")).toHaveLength(1);
});

test("a restart while the race waits resumes it: the same child wins", async () => {
  const db = join(dir, "during.db");
  const a = stalling();
  const first = await open({ stall: a.stall }, db);
  const id = await first.engine.start("resume", null, { workflowId: "w" });
  await first.advance(50);
  const before = await first.engine.history(id);
  expect(before.map((e) => e.event.kind)).not.toContain("ChildWorkflowCompleted");
  await first.shutdown();

  const b = stalling();
  const second = await open({ stall: b.stall }, db);
  expect(await second.run(second.engine.result(id))).toMatchObject({
    status: "Completed",
    result: { winner: { slept: 100 }, late: { slept: 300 } },
  });
  const after = await second.engine.history(id);
  expect(after.slice(0, before.length)).toEqual([...before]);
  // The activity had no outcome when the first engine stopped: it ran again
  // (at least once), and lost again.
  expect([a.started(), b.started()]).toEqual([1, 1]);
  const cancelled = after.filter((e) => e.event.kind === "ActivityCancelled");
  expect(cancelled).toHaveLength(1);
  expect(cancelled[0]!.event).toMatchObject({ reason: "race lost" });
  for (const child of ["w/child-1", "w/child-2"])
    expect((await kindsOf(second, child)).filter((k) => k === "WorkflowStarted")).toHaveLength(1);
});
