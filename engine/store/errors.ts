/**
 * Every error the event store raises on purpose.
 *
 * All extend `StoreError` and carry a `code` so callers can switch on it
 * without `instanceof` chains. A store operation that throws one of these has
 * written nothing.
 */

/** Discriminant of every store error. */
export type StoreErrorCode =
  | "conflict"
  | "unknown-workflow"
  | "unknown-package"
  | "invalid-argument"
  | "corrupt-row"
  | "store-closed"
  | "store-busy"
  | "store-unavailable"
  | "schema-version"
  | "fenced";

/** Base class of every store error. */
export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
}

/**
 * An append's `expectedSeq` was not the history head: another writer got
 * there first. Nothing from the rejected append was written.
 */
export class AppendConflictError extends StoreError {
  override readonly name = "AppendConflictError";
  readonly code = "conflict";
  readonly workflowId: string;
  /** The head the caller expected. */
  readonly expectedSeq: number;
  /** The head the store actually has (0 for an empty history). */
  readonly actualSeq: number;

  constructor(workflowId: string, expectedSeq: number, actualSeq: number) {
    super(
      `append to ${JSON.stringify(workflowId)} expected head ${expectedSeq} but the head is ${actualSeq}`,
    );
    this.workflowId = workflowId;
    this.expectedSeq = expectedSeq;
    this.actualSeq = actualSeq;
  }
}

/** The operation needs an existing workflow history and there is none. */
export class UnknownWorkflowError extends StoreError {
  override readonly name = "UnknownWorkflowError";
  readonly code = "unknown-workflow";
  readonly workflowId: string;

  constructor(workflowId: string) {
    super(`no workflow history for ${JSON.stringify(workflowId)}`);
    this.workflowId = workflowId;
  }
}

/** The operation names a package that is not stored. */
export class UnknownPackageError extends StoreError {
  override readonly name = "UnknownPackageError";
  readonly code = "unknown-package";
  readonly workflowType: string;
  readonly contentHash: string;

  constructor(workflowType: string, contentHash: string) {
    super(`no package ${workflowType}@${contentHash}`);
    this.workflowType = workflowType;
    this.contentHash = contentHash;
  }
}

/**
 * An argument was rejected before anything was touched: an empty id, a
 * negative or zero seq, a malformed event, a payload over the size limit...
 */
export class InvalidArgumentError extends StoreError {
  override readonly name = "InvalidArgumentError";
  readonly code = "invalid-argument";
  /** Which argument, as a dotted path such as `events[2].input`. */
  readonly argument: string;

  constructor(argument: string, reason: string, options?: ErrorOptions) {
    super(`invalid ${argument}: ${reason}`, options);
    this.argument = argument;
  }
}

/**
 * A stored row could not be decoded. Names the row so an operator can find
 * it; the underlying decode error is the `cause`.
 */
export class CorruptRowError extends StoreError {
  override readonly name = "CorruptRowError";
  readonly code = "corrupt-row";
  readonly table: string;
  readonly workflowId: string;
  /** Event seq of the row (for `workflows` rows: the recorded head). */
  readonly seq: number;

  constructor(
    table: string,
    workflowId: string,
    seq: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `corrupt ${table} row for ${JSON.stringify(workflowId)} at seq ${seq}: ${reason}`,
      options,
    );
    this.table = table;
    this.workflowId = workflowId;
    this.seq = seq;
  }
}

/** The store was closed; no further operations are accepted. */
export class StoreClosedError extends StoreError {
  override readonly name = "StoreClosedError";
  readonly code = "store-closed";

  constructor() {
    super("the event store is closed");
  }
}

/**
 * The database stayed locked by another connection through every retry.
 * Nothing was written; retrying later is safe.
 */
export class StoreBusyError extends StoreError {
  override readonly name = "StoreBusyError";
  readonly code = "store-busy";
  readonly attempts: number;

  constructor(attempts: number, options?: ErrorOptions) {
    super(`database is busy (gave up after ${attempts} attempts)`, options);
    this.attempts = attempts;
  }
}

/** The database file has a schema newer than this build understands. */
export class SchemaVersionError extends StoreError {
  override readonly name = "SchemaVersionError";
  readonly code = "schema-version";
  readonly found: number;
  readonly supported: number;

  constructor(found: number, supported: number) {
    super(`database schema version ${found} is newer than the supported ${supported}`);
    this.found = found;
    this.supported = supported;
  }
}

/**
 * The database server could not be reached or dropped the connection (a
 * networked store only). The operation may or may not have committed if the
 * connection broke during its commit; reads and conflict-checked appends are
 * safe to retry.
 */
export class StoreUnavailableError extends StoreError {
  override readonly name = "StoreUnavailableError";
  readonly code = "store-unavailable";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * An append carried a fencing token that is no longer its shard's: another
 * engine process acquired the shard since. Nothing was written; the caller
 * has lost the shard and must stop its runs there (the epoch-close rule).
 */
export class FencedError extends StoreError {
  override readonly name = "FencedError";
  readonly code = "fenced";
  readonly shard: number;
  /** The token the append carried. */
  readonly token: number;
  /** The shard's current token (0 when it has no lease row). */
  readonly currentToken: number;

  constructor(shard: number, token: number, currentToken: number) {
    super(
      `shard ${shard} is fenced: the append carried token ${token} but the shard's token is ${currentToken}`,
    );
    this.shard = shard;
    this.token = token;
    this.currentToken = currentToken;
  }
}
