/** Shared setup of the engine tests: fixture modules and workflow types. */
import { join } from "node:path";
import { type ActivityFn, NonRetryableError, type WorkflowTypeSpec } from "../../engine/index.ts";

export const FIXTURES = join(import.meta.dir, "../../fixtures/workflows");

/** Every fixture workflow type, by name. */
export const WORKFLOWS: Readonly<Record<string, WorkflowTypeSpec>> = {
  basic: { module: "wf_basic", function: "run" },
  sleeper: { module: "wf_basic", function: "sleeper" },
  observe: { module: "wf_basic", function: "observe" },
  crash: { module: "wf_basic", function: "crash" },
  errors: { module: "wf_basic", function: "errors" },
  sum: { module: "wf_signals", function: "sum" },
  send: { module: "wf_signals", function: "send" },
  raw_wake: { module: "wf_signals", function: "raw_wake" },
  counter: { module: "wf_signals", function: "counter" },
  asker: { module: "wf_signals", function: "asker" },
  guard: { module: "wf_signals", function: "guard" },
  stuck: { module: "wf_signals", function: "stuck" },
  charge: { module: "wf_work", function: "charge" },
  in_vm: { module: "wf_work", function: "in_vm" },
  collect: { module: "wf_work", function: "collect" },
  race: { module: "wf_work", function: "race" },
  parent: { module: "wf_work", function: "parent" },
  child: { module: "wf_work", function: "child" },
  countdown: { module: "wf_work", function: "countdown" },
  parent_of_countdown: { module: "wf_work", function: "parent_of_countdown" },
  scoped: { module: "wf_work", function: "scoped" },
  named_timers: { module: "wf_work", function: "named_timers" },
  fire_and_forget: { module: "wf_work", function: "fire_and_forget" },
  long: { module: "wf_work", function: "long" },
  saga: { module: "wf_saga", function: "saga" },
};

/** The activities the fixtures dispatch. */
export const ACTIVITIES: Readonly<Record<string, ActivityFn>> = {
  charge: (input) => ({ charged: (input as { amount: number }).amount, receipt: "r-1" }),
  echo: (input) => input,
  fail: () => {
    throw new NonRetryableError("terminal:declined");
  },
  slow: (_input, ctx) =>
    new Promise((_resolve, reject) =>
      ctx.signal.addEventListener("abort", () => reject(new Error("aborted"))),
    ),
};

/** Event kinds and payload texts of a history, without times (for comparisons). */
export function shape(history: readonly { event: object }[]): string[] {
  return history.map((e) =>
    JSON.stringify(e.event, (k, v) => {
      if (k === "runId" || k === "parentRunId" || k === "fireAt") return undefined;
      // `<workflowId>/<runId>/signal-<n>`: keep all but the (random) run id.
      if (k === "signalId" && typeof v === "string") return v.replace(/\/[^/]+(\/[^/]+)$/, "/*$1");
      if (v instanceof Uint8Array) return new TextDecoder().decode(v);
      return v;
    }),
  );
}

/** A failure's `details` as a JSON value (null when it has none). */
export function detailsOf(error: { details: { bytes: Uint8Array } | null }): unknown {
  return error.details === null ? null : JSON.parse(new TextDecoder().decode(error.details.bytes));
}

/**
 * What `promise` rejects with, once it has settled (throws if it fulfils).
 * Tests assert on this instead of `await expect(promise).rejects`: on a pending
 * promise bun's `rejects` runs a nested event loop, and that loop runs the
 * engine's `setImmediate` turns only when it wakes for something else; if any
 * real timer is armed in the process (one left by an earlier test file is
 * enough), each turn then waits up to a second and a 0.1 s test takes seconds.
 */
export async function refusal(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    return err;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}
