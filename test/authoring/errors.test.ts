/**
 * Misusing the `aion` library fails the workflow with a clear
 * `{aion_error, Function, Message}` naming what was wrong (never a hang or
 * a VM crash); a query handler that raises answers its caller with an error
 * and the workflow carries on. Fixtures: fixtures/workflows/authoring_bad.erl.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { QueryFailedError, type WorkflowOutcome } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { ACTIVITIES, FIXTURES } from "../engine/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

const FUNCTIONS = [
  "duration",
  "retry",
  "option",
  "encode",
  "race",
  "child_type",
  "handler",
  "waiting_handler",
];

async function open(): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: Object.fromEntries(
      FUNCTIONS.map((f) => [f, { module: "authoring_bad", function: f }]),
    ),
    activities: ACTIVITIES,
    log: () => {},
  });
  return env;
}

/**
 * The failure message of workflow `fn`, with binaries shown as text (the
 * recorded message prints them as `~w` does, byte by byte; the CLI shows
 * them as `~tp` would).
 */
async function failure(fn: string): Promise<string> {
  const e = await open();
  const o: WorkflowOutcome = await e.run(e.engine.result(await e.engine.start(fn)));
  if (o.status !== "Failed") throw new Error(`${fn} did not fail: ${JSON.stringify(o)}`);
  return o.error.message.replace(
    /<<([\d,]+)>>/g,
    (_, bytes: string) => `<<"${String.fromCharCode(...bytes.split(",").map(Number))}">>`,
  );
}

test("a duration that is not one names the text", async () => {
  expect(await failure("duration")).toContain(
    '{aion_error,sleep,<<"invalid duration: 5 parsecs">>}',
  );
});

test("a retry policy without a backoff is refused, not run once silently", async () => {
  expect(await failure("retry")).toContain('{aion_error,activity,<<"retry must be none or');
});

test("an unknown activity option is named", async () => {
  expect(await failure("option")).toContain(
    '{aion_error,activity,<<"unknown option retries (retry, timeout, task_queue)">>}',
  );
});

test("a term with no JSON form is named", async () => {
  expect(await failure("encode")).toContain('{aion_error,encode,<<"cannot encode {1,2} as JSON');
});

test("race names an item that is not one, and starts none of the items", async () => {
  expect(await failure("race")).toContain('{aion_error,race,<<"not an item: {sprint,fast}">>}');
  const id = (await env!.engine.list({}))[0]!.workflowId;
  const kinds = (await env!.engine.history(id)).map((e) => e.event.kind);
  expect(kinds).toEqual(["WorkflowStarted", "WorkflowFailed"]);
});

test("an unknown child workflow type is named", async () => {
  expect(await failure("child_type")).toContain(
    '{aion_error,child,<<"unknown_workflow_type:no_such_type">>}',
  );
});

test("a raising query handler answers with an error; the workflow goes on", async () => {
  const e = await open();
  const id = await e.engine.start("handler");
  // Settled first, then inspected: bun's `.rejects` on a pending promise spins a
  // nested event loop that a stray host timer slows to seconds (see test/engine/helpers.ts).
  const failed = await e.engine.query(id, "boom").catch((err: unknown) => err);
  expect(failed).toBeInstanceOf(QueryFailedError);
  expect(String(failed)).toContain("kaboom");
  // A name no handler was registered for is refused by the engine itself.
  const unknown = await e.engine.query(id, "nope").catch((err: unknown) => err);
  expect(String(unknown)).toContain("has no query named nope");
  await e.engine.signal(id, "go", null);
  expect(await e.run(e.engine.result(id))).toMatchObject({
    status: "Completed",
    result: "still running",
  });
});

test("a handler that waits is answered with the engine's refusal", async () => {
  const e = await open();
  const id = await e.engine.start("waiting_handler");
  const refused = await e.engine.query(id, "nap").catch((err: unknown) => err);
  expect(String(refused)).toContain("query_servicing:sleep");
  await e.engine.signal(id, "go", null);
  expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: "done" });
});
