/**
 * Opening a SQLite connection configured for the event store: WAL, the
 * requested durability, busy handling, and an up-to-date schema.
 */
import { Database } from "bun:sqlite";
import { retrySyncOnBusy } from "./busy.ts";
import { migrate } from "./migrations.ts";

/**
 * Durability of a commit.
 *
 * - `FULL`: the WAL is fsynced at every commit; a committed append survives
 *   power loss.
 * - `NORMAL`: the WAL is fsynced only at checkpoints; a committed append
 *   survives a process crash but the last commits can be lost on power loss.
 */
export type SyncMode = "FULL" | "NORMAL";

/** Connection settings. */
export interface ConnectionOptions {
  readonly synchronous: SyncMode;
  readonly busyTimeoutMs: number;
  readonly busyRetries: number;
  readonly busyBackoffMs: number;
}

/** Open (creating if needed) and migrate the database at `path` (or `:memory:`). */
export function openDatabase(path: string, opts: ConnectionOptions): Database {
  const db = new Database(path, { create: true, readwrite: true });
  try {
    // First, so every later statement already waits for locks.
    db.run(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs))}`);
    retrySyncOnBusy(
      () => db.run("PRAGMA journal_mode = WAL"),
      opts.busyRetries,
      opts.busyBackoffMs,
    );
    db.run(`PRAGMA synchronous = ${opts.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
    retrySyncOnBusy(() => migrate(db), opts.busyRetries, opts.busyBackoffMs);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
