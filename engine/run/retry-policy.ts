/**
 * Activity retry policies, as the SDK declares them. Pure: no clock, no I/O.
 *
 * The dispatch config's `retry` is what runs: `null`, a missing field or a
 * malformed policy means exactly one attempt (there is no engine default).
 * A policy is `{"max_attempts": N, "backoff": {...}}` with N the total budget
 * including the first attempt, and one of three backoff kinds. Only a failure
 * whose reason starts with `retryable:` is retried; every other reason
 * (`terminal:`, `timeout:`, `cancelled:`, unprefixed engine failures) is final.
 */
import type { Payload } from "../events/index.ts";
import { payloadFromText } from "../terms.ts";

/** The wait between two attempts. */
export type Backoff =
  | {
      readonly kind: "exponential";
      readonly initialMs: number;
      readonly multiplier: number;
      readonly maxMs: number;
    }
  | {
      readonly kind: "linear";
      readonly initialMs: number;
      readonly incrementMs: number;
      readonly maxMs: number;
    }
  | { readonly kind: "fixed"; readonly delayMs: number };

/** How often an activity runs and how long it waits between attempts. */
export interface AttemptPolicy {
  /** Total attempts, including the first (at least 1). */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
}

/** One attempt, no retry: what a missing or malformed policy means. */
export const SINGLE_ATTEMPT: AttemptPolicy = {
  maxAttempts: 1,
  backoff: { kind: "fixed", delayMs: 0 },
};

/** Reason prefixes of activity failures; only the first is retried. */
export const FAILURE_PREFIXES = ["retryable:", "terminal:", "timeout:", "cancelled:"] as const;

/** Whether a failure reason may be retried. */
export function isRetryable(reason: string): boolean {
  return reason.startsWith("retryable:");
}

/** Whether a reason already carries one of the failure prefixes. */
export function hasFailurePrefix(reason: string): boolean {
  return FAILURE_PREFIXES.some((p) => reason.startsWith(p));
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A non-negative finite number, or undefined. */
function ms(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function parseBackoff(v: unknown): Backoff | undefined {
  if (!isObject(v)) return undefined;
  switch (v.kind) {
    case "exponential": {
      const initialMs = ms(v.initial_ms);
      const multiplier = ms(v.multiplier);
      const maxMs = ms(v.max_ms);
      if (initialMs === undefined || multiplier === undefined || maxMs === undefined) return;
      return { kind: "exponential", initialMs, multiplier, maxMs };
    }
    case "linear": {
      const initialMs = ms(v.initial_ms);
      const incrementMs = ms(v.increment_ms);
      const maxMs = ms(v.max_ms);
      if (initialMs === undefined || incrementMs === undefined || maxMs === undefined) return;
      return { kind: "linear", initialMs, incrementMs, maxMs };
    }
    case "fixed": {
      const delayMs = ms(v.delay_ms);
      return delayMs === undefined ? undefined : { kind: "fixed", delayMs };
    }
    default:
      return undefined;
  }
}

/**
 * The policy of an SDK dispatch config's `retry` value. Anything but a
 * well-formed policy (null, a missing field, N < 1, an unknown backoff kind
 * or a missing backoff field) is one attempt.
 */
export function parseSdkRetry(v: unknown): AttemptPolicy {
  if (!isObject(v)) return SINGLE_ATTEMPT;
  const n = v.max_attempts;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return SINGLE_ATTEMPT;
  const backoff = parseBackoff(v.backoff);
  return backoff === undefined ? SINGLE_ATTEMPT : { maxAttempts: n, backoff };
}

/** The wait after failed attempt `k` (1-based). */
export function backoffDelay(b: Backoff, k: number): number {
  switch (b.kind) {
    case "exponential":
      return Math.min(b.maxMs, b.initialMs * b.multiplier ** (k - 1));
    case "linear":
      return Math.min(b.maxMs, b.initialMs + b.incrementMs * (k - 1));
    case "fixed":
      return b.delayMs;
  }
}

/** What follows an attempt's result: its outcome to record, or a retry after a wait. */
export type AfterAttempt =
  | { readonly kind: "record"; readonly event: ActivityOutcomeEvent }
  | { readonly kind: "retry"; readonly delayMs: number };

/** The terminal event of an activity (completed, or failed for good). */
export type ActivityOutcomeEvent =
  | { readonly kind: "ActivityCompleted"; readonly activityId: string; readonly result: Payload }
  | {
      readonly kind: "ActivityFailed";
      readonly activityId: string;
      readonly error: { readonly message: string; readonly details: null };
    };

/**
 * The one retry decision, for activities run here and through task queues
 * alike: a success or a final failure is recorded; a retryable failure with
 * attempts left waits out the backoff after attempt `attempt`.
 */
export function afterAttempt(
  activityId: string,
  r: { readonly ok: boolean; readonly text: string },
  attempt: number,
  policy: AttemptPolicy,
): AfterAttempt {
  if (r.ok)
    return {
      kind: "record",
      event: { kind: "ActivityCompleted", activityId, result: payloadFromText(r.text) },
    };
  if (!isRetryable(r.text) || attempt >= policy.maxAttempts)
    return {
      kind: "record",
      event: { kind: "ActivityFailed", activityId, error: { message: r.text, details: null } },
    };
  return { kind: "retry", delayMs: backoffDelay(policy.backoff, attempt) };
}
