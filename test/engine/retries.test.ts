/**
 * Activity retries as the SDK declares them (docs/natives.md, "Activity
 * retries"): the dispatch config's `retry` is what runs, with no engine
 * default; three backoff kinds; only `retryable:` failures are retried. The
 * workflow is fixtures/workflows/wf_retry.erl, whose input is the config.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  type ActivityFn,
  NonRetryableError,
  RetryableError,
  TerminalError,
} from "../../engine/index.ts";
import { backoffDelay, parseSdkRetry, SINGLE_ATTEMPT } from "../../engine/run/retry-policy.ts";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

/** An engine whose "flaky" activity is `fn`; returns the environment and a call counter. */
async function open(fn: ActivityFn): Promise<{ e: TestEnvironment; calls: () => number }> {
  let n = 0;
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: {
      ...WORKFLOWS,
      retry: { module: "wf_retry", function: "run" },
      refusals: { module: "wf_retry", function: "refusals" },
    },
    activities: {
      ...ACTIVITIES,
      flaky: (input, ctx) => {
        n++;
        return fn(input, ctx);
      },
    },
  });
  return { e: env, calls: () => n };
}

const alwaysRetryable: ActivityFn = (_i, ctx) => {
  throw new RetryableError(`attempt ${ctx.attempt}`);
};

/** Runs the workflow with `config`; its result, the attempts and the waits between them. */
async function runWith(e: TestEnvironment, config: unknown) {
  const id = await e.engine.start("retry", config);
  const o = await e.run(e.engine.result(id));
  const history = await e.engine.history(id);
  const starts = history.filter((x) => x.event.kind === "ActivityStarted");
  const waits: number[] = [];
  for (let i = 1; i < starts.length; i++) {
    // Attempts fail at once on the manual clock: the gap between starts is the backoff.
    waits.push(starts[i]!.recordedAt - starts[i - 1]!.recordedAt);
  }
  return {
    result: o.status === "Completed" ? o.result : o,
    attempts: starts.map((x) => (x.event as { attempt: number }).attempt),
    waits,
  };
}

describe("the SDK's retry field", () => {
  for (const [what, config] of [
    ["retry: null", { retry: null }],
    ["no retry field (and no registration policy)", {}],
    ["max_attempts 0", { retry: { max_attempts: 0, backoff: { kind: "fixed", delay_ms: 1 } } }],
    ["no backoff", { retry: { max_attempts: 3 } }],
    ["an unknown backoff kind", { retry: { max_attempts: 3, backoff: { kind: "random" } } }],
    [
      "a backoff missing a field",
      { retry: { max_attempts: 3, backoff: { kind: "exponential", initial_ms: 10 } } },
    ],
    ["a string policy", { retry: "3 times" }],
  ] as const) {
    test(`${what} means exactly one attempt`, async () => {
      const { e, calls } = await open(alwaysRetryable);
      const r = await runWith(e, config);
      expect(r.result).toEqual({ failed: "retryable:attempt 1" });
      expect(r.attempts).toEqual([1]);
      expect(calls()).toBe(1);
    });
  }

  test("exponential backoff: initial * multiplier^(k-1), capped at max_ms", async () => {
    const { e } = await open(alwaysRetryable);
    const backoff = { kind: "exponential", initial_ms: 100, multiplier: 2, max_ms: 250 };
    const r = await runWith(e, { retry: { max_attempts: 4, backoff } });
    expect(r.attempts).toEqual([1, 2, 3, 4]);
    expect(r.waits).toEqual([100, 200, 250]);
    expect(r.result).toEqual({ failed: "retryable:attempt 4" });
  });

  test("linear backoff: initial + increment*(k-1), capped at max_ms", async () => {
    const { e } = await open(alwaysRetryable);
    const backoff = { kind: "linear", initial_ms: 50, increment_ms: 25, max_ms: 90 };
    const r = await runWith(e, { retry: { max_attempts: 4, backoff } });
    expect(r.waits).toEqual([50, 75, 90]);
  });

  test("fixed backoff: delay_ms between every two attempts", async () => {
    const { e } = await open(alwaysRetryable);
    const r = await runWith(e, {
      retry: { max_attempts: 3, backoff: { kind: "fixed", delay_ms: 30 } },
    });
    expect(r.attempts).toEqual([1, 2, 3]);
    expect(r.waits).toEqual([30, 30]);
  });

  test("a later success ends the retries", async () => {
    const { e, calls } = await open((_i, ctx) => {
      if (ctx.attempt < 3) throw new RetryableError("not yet");
      return { ok: ctx.attempt };
    });
    const r = await runWith(e, {
      retry: { max_attempts: 5, backoff: { kind: "fixed", delay_ms: 1 } },
    });
    expect(r.result).toEqual({ ok: 3 });
    expect(calls()).toBe(3);
  });
});

describe("which failures are retried", () => {
  const policy = { retry: { max_attempts: 3, backoff: { kind: "fixed", delay_ms: 1 } } };
  for (const [what, thrown, reason, attempts] of [
    ["RetryableError", () => new RetryableError("busy"), "retryable:busy", 3],
    ["a plain Error", () => new Error("boom"), "retryable:boom", 3],
    ["an Error whose message is retryable:", () => new Error("retryable:x"), "retryable:x", 3],
    ["TerminalError", () => new TerminalError("no"), "terminal:no", 1],
    ["NonRetryableError (alias)", () => new NonRetryableError("no"), "terminal:no", 1],
    ["an Error whose message is terminal:", () => new Error("terminal:x"), "terminal:x", 1],
    ["an Error whose message is timeout:", () => new Error("timeout:x"), "timeout:x", 1],
    ["an Error whose message is cancelled:", () => new Error("cancelled:x"), "cancelled:x", 1],
  ] as const) {
    test(`${what}: ${attempts === 1 ? "final" : "retried"}`, async () => {
      const { e, calls } = await open(() => {
        throw thrown();
      });
      const r = await runWith(e, policy);
      expect(r.result).toEqual({ failed: reason });
      expect(calls()).toBe(attempts);
    });
  }

  test("an attempt timeout is final (timeout:)", async () => {
    const { e, calls } = await open(ACTIVITIES.slow!);
    const r = await runWith(e, { ...policy, timeout: 50 });
    expect(String((r.result as { failed: string }).failed)).toStartWith("timeout:");
    expect(calls()).toBe(1);
  });
});

describe("in-VM activity defenses", () => {
  test("a non-fun thunk, a fun of the wrong arity and tier in_vm are refused, nothing recorded", async () => {
    const { e } = await open(alwaysRetryable);
    const id = await e.engine.start("refusals");
    const o = await e.run(e.engine.result(id));
    expect(o.status).toBe("Completed");
    const reasons = o.status === "Completed" ? (o.result as string[]) : [];
    expect(reasons).toHaveLength(3);
    for (const r of reasons) expect(r).toStartWith("invalid_activity:");
    const kinds = (await e.engine.history(id)).map((x) => x.event.kind);
    expect(kinds).toEqual(["WorkflowStarted", "WorkflowCompleted"]);
  });
});

describe("retry-policy (pure)", () => {
  test("parseSdkRetry reads every kind and refuses the malformed", () => {
    expect(parseSdkRetry(null)).toBe(SINGLE_ATTEMPT);
    expect(
      parseSdkRetry({
        max_attempts: 2,
        backoff: { kind: "linear", initial_ms: 1, increment_ms: 2, max_ms: 3 },
      }),
    ).toEqual({
      maxAttempts: 2,
      backoff: { kind: "linear", initialMs: 1, incrementMs: 2, maxMs: 3 },
    });
    expect(parseSdkRetry({ max_attempts: 1.5, backoff: { kind: "fixed", delay_ms: 1 } })).toBe(
      SINGLE_ATTEMPT,
    );
    expect(parseSdkRetry({ max_attempts: 2, backoff: { kind: "fixed", delay_ms: -1 } })).toBe(
      SINGLE_ATTEMPT,
    );
  });

  test("backoffDelay per kind", () => {
    const exp = { kind: "exponential", initialMs: 10, multiplier: 3, maxMs: 1000 } as const;
    expect([1, 2, 3, 4, 5].map((k) => backoffDelay(exp, k))).toEqual([10, 30, 90, 270, 810]);
    const lin = { kind: "linear", initialMs: 10, incrementMs: 5, maxMs: 22 } as const;
    expect([1, 2, 3, 4].map((k) => backoffDelay(lin, k))).toEqual([10, 15, 20, 22]);
    expect(backoffDelay({ kind: "fixed", delayMs: 7 }, 9)).toBe(7);
  });
});
