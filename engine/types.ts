/**
 * Public types of the engine's configuration: workflow types and TypeScript
 * activities.
 */

/** New atoms one workflow (with its descendants) may create by default (`EngineOptions.atomBudget`). */
export const DEFAULT_WORKFLOW_ATOM_BUDGET = 10_000;

/** Heap limit of each workflow process by default (`EngineOptions.maxHeapBytes`): 256 MiB. */
export const DEFAULT_WORKFLOW_MAX_HEAP_BYTES = 256 * 1024 * 1024;

/** How a workflow type is run: `Module:Function(InputJsonBinary)`. */
export interface WorkflowTypeSpec {
  /** Entry module (an atom name); defaults to the workflow type. */
  readonly module?: string;
  /** Entry function of arity 1; defaults to `run`. */
  readonly function?: string;
  /** Default workflow timeout in ms for new runs of this type. */
  readonly timeoutMs?: number;
  /** Recorded in WorkflowStarted (64 lowercase hex); zeros when unset. */
  readonly packageVersion?: string;
}

/** The code a run executes: `Module:Function(InputJsonBinary)`. */
export interface WorkflowEntry {
  readonly module: string;
  readonly function: string;
}

/**
 * Maps a run's workflow type and package version (the one recorded in its
 * WorkflowStarted, or the one about to be recorded) to the code it runs.
 * Returns undefined for types it does not manage (the engine then uses the
 * type's registration); throws to refuse a type it manages but whose version
 * it cannot serve — the start or load fails and nothing is recorded.
 */
export type EntryResolver = (
  workflowType: string,
  packageVersion: string,
) => WorkflowEntry | undefined;

/** What an activity function gets besides its input. */
export interface ActivityContext {
  readonly workflowId: string;
  readonly activityId: string;
  readonly activityType: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted when the attempt times out, the activity is cancelled or the engine shuts down. */
  readonly signal: AbortSignal;
}

/** A TypeScript activity: its (JSON-decoded) input in, a JSON-serializable result out. */
export type ActivityFn = (input: unknown, ctx: ActivityContext) => unknown;

/**
 * Retries of a TypeScript activity registered with `engine.activity`, used
 * when the workflow's dispatch config carries no `retry` field (an SDK
 * config's `retry`, even `null`, always wins: see engine/run/retry-policy.ts).
 * Backoff is exponential.
 */
export interface RetryPolicy {
  /** Total attempts, including the first. */
  readonly maxAttempts: number;
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maxIntervalMs: number;
}

/** Per-activity settings; a dispatch config's `retry` and `timeout` override them. */
export interface ActivityOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Timeout of one attempt in ms (start-to-close). */
  readonly timeoutMs?: number;
}

/**
 * The fields a registration's partial `retry` leaves out. Not a default
 * policy: an activity registered without `retry` and dispatched without one
 * runs exactly once.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  initialIntervalMs: 100,
  backoffCoefficient: 2,
  maxIntervalMs: 10_000,
};

/**
 * Throw this from an activity to fail the attempt with a `retryable:` reason:
 * it is retried while the policy has attempts left.
 */
export class RetryableError extends Error {
  override readonly name: string = "RetryableError";
}

/** Throw this from an activity to fail it for good (`terminal:` reason, no retry). */
export class TerminalError extends Error {
  override readonly name: string = "TerminalError";
}

/** The earlier name of {@link TerminalError}; behaves the same. */
export class NonRetryableError extends TerminalError {
  override readonly name: string = "NonRetryableError";
}
