/**
 * Running one store operation as a transaction, again when the server asks
 * for it (a serialization failure or deadlock: the transaction was rolled
 * back whole, so re-running it is safe), with a short jittered backoff.
 */
import type { SQL, TransactionSQL } from "bun";
import { StoreBusyError } from "../errors.ts";
import { isRetryable } from "./pg-errors.ts";

/** Retry policy. */
export interface RetryPolicy {
  /** Attempts in all before giving up with `StoreBusyError`. */
  readonly attempts: number;
  /** First backoff in ms, doubling, capped at 1 s. */
  readonly backoffMs: number;
}

/** Run `body` in a transaction, retrying it as `policy` says. */
export async function inTransaction<T>(
  sql: SQL,
  policy: RetryPolicy,
  body: (tx: TransactionSQL) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await sql.begin((tx) => body(tx))) as T;
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= policy.attempts) throw new StoreBusyError(attempt, { cause: error });
      const delay = Math.min(1000, policy.backoffMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
    }
  }
}
