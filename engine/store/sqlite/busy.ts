/**
 * Recognizing and waiting out SQLITE_BUSY.
 *
 * `busy_timeout` makes SQLite itself wait for a lock; these helpers add a
 * bounded retry on top for the cases the timeout does not cover (a lock held
 * longer than the timeout, or BUSY returned without invoking the handler, as
 * when a deferred reader tries to upgrade).
 */
import { SQLiteError } from "bun:sqlite";

/** Whether an error is SQLite reporting a locked database. */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof SQLiteError)) return false;
  const code = error.code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

/** Backoff before retry `attempt` (1-based): doubling from `baseMs`, capped, with jitter. */
export function backoffMs(attempt: number, baseMs: number, capMs = 1000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  // Jitter de-synchronizes competing processes that collided on the same lock.
  return Math.max(1, Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
}

/**
 * Run `fn`, retrying synchronously while it fails with SQLITE_BUSY. Only for
 * code that must stay synchronous (opening the database); the write path
 * retries asynchronously instead so the event loop keeps running.
 */
export function retrySyncOnBusy<T>(fn: () => T, retries: number, baseMs: number): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (!isBusyError(error) || attempt > retries) throw error;
      Bun.sleepSync(backoffMs(attempt, baseMs));
    }
  }
}
