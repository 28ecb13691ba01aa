/**
 * Exit codes of the engine commands, and which error code leads to which.
 * Documented in docs/cli.md; scripts rely on them, so never renumber.
 */

/** Every exit status an engine command uses. */
export const EXIT = {
  /** Success (and, with --wait, the workflow completed). */
  ok: 0,
  /** The workflow failed, was cancelled or timed out; or the id, type, version or query is unknown. */
  failed: 1,
  /** Bad command line, bad JSON argument, missing file or database. */
  usage: 2,
  /**
   * Conflict: the id exists, the workflow already ended, a worker already
   * serves the database, a version is redeployed with a different manifest.
   */
  conflict: 3,
  /** Refused by validation: invalid input for the schema, invalid or reserved package. */
  invalid: 4,
  /** Unavailable: no worker for a query, a query timed out, the engine is shutting down. */
  unavailable: 5,
  /** A bug or an unexpected environment problem. */
  internal: 10,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CODE: Readonly<Record<string, ExitCode>> = {
  "unknown-workflow": EXIT.failed,
  "unknown-workflow-type": EXIT.failed,
  "no-package": EXIT.failed,
  "unknown-version": EXIT.failed,
  "unknown-query": EXIT.failed,
  "query-failed": EXIT.failed,
  "store-unknown-workflow": EXIT.failed,
  "store-unknown-package": EXIT.failed,
  usage: EXIT.usage,
  "bad-json": EXIT.usage,
  "bad-request": EXIT.usage,
  "invalid-argument": EXIT.usage,
  "not-found": EXIT.usage,
  "no-database": EXIT.usage,
  "duplicate-workflow": EXIT.conflict,
  "already-terminal": EXIT.conflict,
  "query-rejected": EXIT.conflict,
  "store-conflict": EXIT.conflict,
  "worker-running": EXIT.conflict,
  "version-conflict": EXIT.conflict,
  "invalid-input": EXIT.invalid,
  "invalid-package": EXIT.invalid,
  "reserved-module": EXIT.invalid,
  "no-worker": EXIT.unavailable,
  "query-timeout": EXIT.unavailable,
  "engine-shut-down": EXIT.unavailable,
  "worker-unreachable": EXIT.unavailable,
  "store-store-busy": EXIT.unavailable,
};

/** The exit status for an error code (internal for unknown ones). */
export function exitCodeFor(code: string): ExitCode {
  return BY_CODE[code] ?? EXIT.internal;
}
