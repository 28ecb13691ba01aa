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
  | "nondeterminism";

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
