/**
 * Every error the engine raises on purpose for a caller's mistake or a
 * refusal. All extend `EngineError` and carry a `code`, so callers can switch
 * on it without `instanceof` chains.
 */

/** Discriminant of every engine error. */
export type EngineErrorCode =
  | "unknown-workflow"
  | "unknown-workflow-type"
  | "duplicate-workflow"
  | "already-terminal"
  | "unknown-query"
  | "query-timeout"
  | "query-failed"
  | "query-rejected"
  | "engine-shut-down"
  | "invalid-argument"
  | "nondeterminism"
  | "shard-not-owned"
  | "not-resident"
  | "owner-unavailable";

/** Base class of every engine error. */
export abstract class EngineError extends Error {
  abstract readonly code: EngineErrorCode;
}

/** No workflow with this id has a history. */
export class UnknownWorkflowError extends EngineError {
  override readonly name = "UnknownWorkflowError";
  readonly code = "unknown-workflow";
  constructor(readonly workflowId: string) {
    super(`unknown workflow: ${workflowId}`);
  }
}

/** The workflow type was never registered with the engine. */
export class UnknownWorkflowTypeError extends EngineError {
  override readonly name = "UnknownWorkflowTypeError";
  readonly code = "unknown-workflow-type";
  constructor(readonly workflowType: string) {
    super(`unknown workflow type: ${workflowType}`);
  }
}

/** A workflow with this id already exists. */
export class DuplicateWorkflowError extends EngineError {
  override readonly name = "DuplicateWorkflowError";
  readonly code = "duplicate-workflow";
  constructor(readonly workflowId: string) {
    super(`workflow already exists: ${workflowId}`);
  }
}

/** The operation needs a running workflow, but its latest run has ended. */
export class AlreadyTerminalError extends EngineError {
  override readonly name = "AlreadyTerminalError";
  readonly code = "already-terminal";
  constructor(
    readonly workflowId: string,
    readonly status: string,
  ) {
    super(`workflow ${workflowId} is already ${status}`);
  }
}

/** The workflow has not registered a query of this name. */
export class UnknownQueryError extends EngineError {
  override readonly name = "UnknownQueryError";
  readonly code = "unknown-query";
  constructor(
    readonly workflowId: string,
    readonly queryName: string,
  ) {
    super(`workflow ${workflowId} has no query named ${queryName}`);
  }
}

/** No reply arrived before the query's deadline. */
export class QueryTimeoutError extends EngineError {
  override readonly name = "QueryTimeoutError";
  readonly code = "query-timeout";
  constructor(
    readonly workflowId: string,
    readonly queryName: string,
    readonly timeoutMs: number,
  ) {
    super(`query ${queryName} on ${workflowId} timed out after ${timeoutMs} ms`);
  }
}

/** The workflow's query handler answered with an error. */
export class QueryFailedError extends EngineError {
  override readonly name = "QueryFailedError";
  readonly code = "query-failed";
  constructor(
    readonly workflowId: string,
    readonly queryName: string,
    readonly reason: string,
  ) {
    super(`query ${queryName} on ${workflowId} failed: ${reason}`);
  }
}

/** The query could not be delivered or its workflow ended before replying. */
export class QueryRejectedError extends EngineError {
  override readonly name = "QueryRejectedError";
  readonly code = "query-rejected";
  constructor(
    readonly workflowId: string,
    readonly reason: string,
  ) {
    super(`query on ${workflowId} rejected: ${reason}`);
  }
}

/** The engine was shut down; nothing new is accepted. */
export class EngineShutDownError extends EngineError {
  override readonly name = "EngineShutDownError";
  readonly code = "engine-shut-down";
  constructor() {
    super("the engine has been shut down");
  }
}

/** A malformed argument (bad duration, non-JSON input...). */
export class InvalidEngineArgumentError extends EngineError {
  override readonly name = "InvalidEngineArgumentError";
  readonly code = "invalid-argument";
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/**
 * Replay found a call that does not match the recorded event at its position.
 * Names both sides so the author can see what changed.
 */
export class NondeterminismError extends EngineError {
  override readonly name = "NondeterminismError";
  readonly code = "nondeterminism";
  constructor(
    readonly workflowId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `nondeterminism in ${workflowId}: history records ${expected} but the workflow called ${actual}`,
    );
  }
}

/**
 * This engine process does not own the workflow's shard (it never did, or
 * lost it: another process took it over). Nothing was recorded; the call
 * belongs on the owner (the public API routes it there by itself).
 */
export class ShardNotOwnedError extends EngineError {
  override readonly name = "ShardNotOwnedError";
  readonly code = "shard-not-owned";
  constructor(
    readonly workflowId: string,
    readonly shard: number,
  ) {
    super(`this engine process does not own shard ${shard} (workflow ${workflowId})`);
  }
}

/** A query forwarded to the workflow's owner got no answer in time: no process has it resident. */
export class NotResidentError extends EngineError {
  override readonly name = "NotResidentError";
  readonly code = "not-resident";
  constructor(
    readonly workflowId: string,
    readonly timeoutMs: number,
  ) {
    super(
      `workflow ${workflowId} is not resident anywhere: no engine process answered within ${timeoutMs} ms`,
    );
  }
}

/**
 * A call recorded in the inbox for the workflow's owner was not carried out
 * in time. It stays recorded: it takes effect when an owner drains it.
 */
export class OwnerUnavailableError extends EngineError {
  override readonly name = "OwnerUnavailableError";
  readonly code = "owner-unavailable";
  constructor(
    readonly workflowId: string,
    readonly timeoutMs: number,
  ) {
    super(
      `no engine process carried out the call on ${workflowId} within ${timeoutMs} ms; ` +
        "it stays in the inbox and takes effect when the workflow's owner drains it",
    );
  }
}
