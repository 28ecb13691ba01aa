/**
 * Reading Bun's PostgreSQL errors: the server's SQLSTATE (`errno`), the
 * constraint it names, and which failures mean "retry the transaction" or
 * "the server is gone". Conflicts in this store are detected through these
 * codes (unique and foreign keys), never through locks held across calls.
 */
import { SQL } from "bun";
import { StoreError, StoreUnavailableError } from "../errors.ts";

/** SQLSTATE 23505: a unique or primary key already holds the value. */
export const UNIQUE_VIOLATION = "23505";
/** SQLSTATE 23503: a foreign key has no target, or a row is still referenced. */
export const FOREIGN_KEY_VIOLATION = "23503";
/** SQLSTATE 40001: the transaction lost a serialization race; run it again. */
const SERIALIZATION_FAILURE = "40001";
/** SQLSTATE 40P01: chosen as a deadlock victim; run it again. */
const DEADLOCK_DETECTED = "40P01";
/** SQLSTATE 42P07 / 42P06: a concurrent CREATE ... IF NOT EXISTS got there first. */
const DUPLICATE_TABLE = "42P07";
const DUPLICATE_SCHEMA = "42P06";
/** SQLSTATE 42710: the losing CREATE TABLE collided on the table's row type in pg_type. */
const DUPLICATE_OBJECT = "42710";

/** The SQLSTATE of a server error, or undefined for anything else. */
export function errnoOf(error: unknown): string | undefined {
  return error instanceof SQL.PostgresError ? error.errno : undefined;
}

/** The constraint a server error names, if any. */
export function constraintOf(error: unknown): string | undefined {
  return error instanceof SQL.PostgresError ? error.constraint : undefined;
}

/** Whether the whole transaction should simply be run again. */
export function isRetryable(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === SERIALIZATION_FAILURE || errno === DEADLOCK_DETECTED;
}

/** Whether a CREATE ... IF NOT EXISTS lost a race to an identical one. */
export function isCreateRace(error: unknown): boolean {
  const errno = errnoOf(error);
  return (
    errno === UNIQUE_VIOLATION ||
    errno === DUPLICATE_TABLE ||
    errno === DUPLICATE_SCHEMA ||
    errno === DUPLICATE_OBJECT
  );
}

/**
 * Connection-level failures: refused, timed out, closed under us, or the
 * server shutting down (SQLSTATE classes 08 and 57P).
 */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof SQL.PostgresError)) return false;
  if (error.code.startsWith("ERR_POSTGRES_CONNECTION")) return true;
  if (error.code === "ERR_POSTGRES_IDLE_TIMEOUT" || error.code === "ERR_POSTGRES_LIFETIME_TIMEOUT")
    return true;
  const errno = error.errno ?? "";
  return errno.startsWith("08") || errno.startsWith("57P");
}

/**
 * Store errors pass through; connection failures become
 * `StoreUnavailableError` naming the server (never its password); anything
 * else (a bug, a schema someone changed by hand) passes through unchanged.
 */
export function translateError(error: unknown, server: string): unknown {
  if (error instanceof StoreError) return error;
  if (isConnectionFailure(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`PostgreSQL at ${server} is unavailable: ${reason}`, {
      cause: error,
    });
  }
  return error;
}
