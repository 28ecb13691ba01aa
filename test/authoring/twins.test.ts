/**
 * The `aion` Erlang library records exactly what hand-written native calls
 * record: each workflow of fixtures/workflows/authoring_lib.erl and its twin
 * in authoring_raw.erl run in fresh, identically seeded test environments
 * under the same workflow id, and their histories (events without run ids)
 * must be equal. The Elixir library (`Aion.Workflow`) is held to the same
 * standard by a third twin, fixtures/workflows/authoring_ex.ex. One test per
 * library function.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import type { WorkflowOutcome } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { ACTIVITIES, FIXTURES } from "../engine/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const envs: TestEnvironment[] = [];

/**
 * Each event as JSON without its run ids (random per run). Everything else
 * stays, times included: both twins run on the same virtual clock.
 */
function shape(history: readonly { event: object }[]): string[] {
  return history.map((e) =>
    JSON.stringify(e.event, (k, v) => {
      if (k === "runId" || k === "parentRunId") return undefined;
      // `<workflowId>/<runId>/signal-<n>`: keep all but the run id.
      if (k === "signalId" && typeof v === "string") return v.replace(/\/[^/]+(\/[^/]+)$/, "/*$1");
      if (v instanceof Uint8Array) return new TextDecoder().decode(v);
      return v;
    }),
  );
}
afterEach(async () => {
  for (const e of envs.splice(0)) await e.shutdown();
});

/** What a twin run did: its outcome and its history's shape. */
interface Twin {
  readonly outcome: WorkflowOutcome;
  readonly history: string[];
}

/** Drives one run between start and result (signals, queries). */
type Drive = (env: TestEnvironment, id: string) => Promise<void>;

async function runTwin(
  module: "authoring_lib" | "authoring_raw" | "Elixir.AuthoringEx",
  fn: string,
  input: unknown,
  drive: Drive,
): Promise<Twin> {
  const env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: {
      [fn]: { module, function: fn },
      kid: { module: "authoring_lib", function: "kid" },
      napper: { module: "authoring_lib", function: "napper" },
    },
    activities: ACTIVITIES,
    log: () => {},
  });
  envs.push(env);
  const id = await env.engine.start(fn, input, { workflowId: "twin" });
  await drive(env, id);
  const outcome = await env.run(env.engine.result(id));
  return { outcome, history: shape(await env.engine.history(id)) };
}

/** Runs both twins of `fn` and checks they completed alike with equal histories. */
async function twins(fn: string, input: unknown = null, drive: Drive = async () => {}) {
  const lib = await runTwin("authoring_lib", fn, input, drive);
  const raw = await runTwin("authoring_raw", fn, input, drive);
  const ex = await runTwin("Elixir.AuthoringEx", fn, input, drive);
  expect(raw.outcome).toMatchObject({ status: "Completed" });
  expect(lib.outcome).toEqual(raw.outcome);
  expect(lib.history).toEqual(raw.history);
  expect(ex.outcome).toEqual(raw.outcome);
  expect(ex.history).toEqual(raw.history);
  return lib;
}

const kinds = (t: Twin) => t.history.map((h) => (JSON.parse(h) as { kind: string }).kind);

test("sleep/1: integers and unit texts are the same timers", async () => {
  const t = await twins("sleep");
  expect(kinds(t).filter((k) => k === "TimerFired")).toHaveLength(3);
});

test("activity/2,3: input, result, options and failures", async () => {
  const t = await twins("activity");
  expect(t.outcome).toMatchObject({ result: { failed: "terminal:declined" } });
});

test("signal/1,2: a payload, and a timeout", async () => {
  const t = await twins("signal", null, async (env, id) => {
    await env.engine.signal(id, "go", { go: 42 });
  });
  expect(t.outcome).toMatchObject({ result: { go: 42 } });
  expect(kinds(t)).toContain("WithTimeoutCompleted");
});

test("on_query/2: answering queries records nothing", async () => {
  const asked: unknown[] = [];
  await twins("queries", null, async (env, id) => {
    asked.push(await env.engine.query(id, "status"));
    asked.push(await env.engine.query(id, "echo", { x: [1, 2] }));
    await env.engine.signal(id, "go", null);
  });
  // The same answers from each of the three twins.
  const answers = [{ stage: "waiting" }, { x: [1, 2] }];
  expect(asked).toEqual([...answers, ...answers, ...answers]);
});

test("child/2,3 and await/1: a result and a failure", async () => {
  const t = await twins("child");
  expect(t.outcome).toMatchObject({ result: { ok: { kid: 1 }, error: "kid said no" } });
});

test("all/1: activities in one step, and a mix with a child", async () => {
  const t = await twins("all");
  expect(t.outcome).toMatchObject({ result: { failed: "terminal:declined" } });
  expect(kinds(t)).toContain("ChildWorkflowStarted");
});

test("race/1: the first activity to settle wins", async () => {
  const t = await twins("race");
  expect(t.outcome).toMatchObject({ result: { winner: "fast" } });
  expect(kinds(t)).toContain("ActivityCancelled");
});

test("race/1 over children: the child that sleeps less wins; the other keeps running", async () => {
  const t = await twins("race_children");
  expect(t.outcome).toMatchObject({ result: { winner: { slept: 20 } } });
  // The loser was started and neither cancelled nor awaited: its outcome came after the parent's end.
  expect(kinds(t)).toEqual([
    "WorkflowStarted",
    "ChildWorkflowStarted",
    "ChildWorkflowStarted",
    "ChildWorkflowCompleted",
    "WorkflowCompleted",
  ]);
  expect(t.history[3]).toContain('"childWorkflowId":"twin/child-2"');
});

test("race/1 over a mix: children against activities, items and handles", async () => {
  const t = await twins("race_mixed");
  expect(t.outcome).toMatchObject({
    result: {
      kid: { kid: 2 },
      quick: "quick",
      no: "kid said no",
      handle: "handle",
      napped: { slept: 30 },
    },
  });
  // Both slow activities lost to a child and were cancelled; no child was cancelled.
  const cancelled = t.history.filter((h) => h.includes('"kind":"ActivityCancelled"'));
  expect(cancelled).toHaveLength(2);
  for (const c of cancelled) expect(c).toContain('"reason":"race lost"');
  expect(kinds(t)).not.toContain("ChildWorkflowCancelled");
});

test("with_timeout/2: a deadline that fires and one that does not", async () => {
  await twins("with_timeout");
});

test("continue_as_new/1: the chain ends the same way", async () => {
  const t = await twins("continue_as_new", 2);
  expect(t.outcome).toMatchObject({ result: "liftoff" });
});

test("now/0, random/0, workflow_id/0: recorded the same way", async () => {
  const t = await twins("observe");
  expect(t.outcome).toMatchObject({ result: { id: "twin", now: 1_700_000_000_000 } });
});
