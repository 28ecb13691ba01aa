/**
 * Prepared statements for every fixed SQL path, compiled once per connection.
 */
import type { Database } from "bun:sqlite";
import { LIFECYCLE_KIND_SQL } from "./migrations.ts";

/** A `workflows` row. */
export interface WorkflowRow {
  readonly workflow_id: string;
  readonly head_seq: number;
  readonly workflow_type: string;
  readonly run_id: string;
  readonly status: string;
  readonly start_time: number;
  readonly close_time: number | null;
  readonly run_count: number;
  readonly search_attributes: string;
  readonly namespace: string;
}

/** A `timers` row. */
export interface TimerRow {
  readonly workflow_id: string;
  readonly timer_id: string;
  readonly fire_at: number;
}

/** A `packages` row. */
export interface PackageRow {
  readonly workflow_type: string;
  readonly content_hash: string;
  readonly archive: Uint8Array;
  readonly stored_at: number;
}

/** A `package_routes` row. */
export interface RouteRow {
  readonly workflow_type: string;
  readonly content_hash: string;
  readonly updated_at: number;
}

/** Columns of `WorkflowRow`, in SELECT order. */
export const WORKFLOW_COLUMNS =
  "workflow_id, head_seq, workflow_type, run_id, status, start_time, close_time, run_count, search_attributes, namespace";

/** Compile every fixed statement. */
export function prepareStatements(db: Database) {
  return {
    workflow: db.prepare<WorkflowRow, [string]>(
      `SELECT ${WORKFLOW_COLUMNS} FROM workflows WHERE workflow_id = ?`,
    ),
    workflowExists: db.prepare<{ one: number }, [string]>(
      "SELECT 1 AS one FROM workflows WHERE workflow_id = ?",
    ),
    insertWorkflow: db.prepare<
      never,
      [string, number, string, string, string, number, number | null, number, string, string]
    >(`INSERT INTO workflows (${WORKFLOW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // Touches only head_seq, which no index covers: the common append path
    // leaves every secondary index alone.
    updateHead: db.prepare<never, [number, string]>(
      "UPDATE workflows SET head_seq = ? WHERE workflow_id = ?",
    ),
    updateWorkflow: db.prepare<
      never,
      [number, string, string, string, number, number | null, number, string, string]
    >(
      `UPDATE workflows SET head_seq = ?, workflow_type = ?, run_id = ?, status = ?, start_time = ?,
        close_time = ?, run_count = ?, search_attributes = ? WHERE workflow_id = ?`,
    ),
    insertEvent: db.prepare<never, [string, number, string, number, Uint8Array]>(
      "INSERT INTO events (workflow_id, seq, kind, recorded_at, body) VALUES (?, ?, ?, ?, ?)",
    ),
    history: db.prepare<never, [string]>(
      "SELECT seq, body FROM events WHERE workflow_id = ? ORDER BY seq",
    ),
    historyFrom: db.prepare<never, [string, number]>(
      "SELECT seq, body FROM events WHERE workflow_id = ? AND seq >= ? ORDER BY seq",
    ),
    lifecycle: db.prepare<never, [string]>(
      `SELECT seq, body FROM events WHERE workflow_id = ? AND ${LIFECYCLE_KIND_SQL} ORDER BY seq`,
    ),
    putAttribute: db.prepare<never, [string, string, string, string | number]>(
      "INSERT OR REPLACE INTO search_attributes (workflow_id, name, value_kind, value) VALUES (?, ?, ?, ?)",
    ),
    deleteAttribute: db.prepare<never, [string, string]>(
      "DELETE FROM search_attributes WHERE workflow_id = ? AND name = ?",
    ),
    listIds: db.prepare<{ workflow_id: string }, []>(
      "SELECT workflow_id FROM workflows ORDER BY workflow_id",
    ),
    listActive: db.prepare<{ workflow_id: string }, []>(
      "SELECT workflow_id FROM workflows WHERE status = 'Running' ORDER BY workflow_id",
    ),
    putTimer: db.prepare<never, [string, string, number]>(
      "INSERT OR REPLACE INTO timers (workflow_id, timer_id, fire_at) VALUES (?, ?, ?)",
    ),
    deleteTimer: db.prepare<never, [string, string]>(
      "DELETE FROM timers WHERE workflow_id = ? AND timer_id = ?",
    ),
    deleteTimersOf: db.prepare<never, [string]>("DELETE FROM timers WHERE workflow_id = ?"),
    expiredTimers: db.prepare<TimerRow, [number, number]>(
      "SELECT workflow_id, timer_id, fire_at FROM timers WHERE fire_at <= ? ORDER BY fire_at, workflow_id, timer_id LIMIT ?",
    ),
    putPackage: db.prepare<never, [string, string, Uint8Array, number]>(
      "INSERT OR REPLACE INTO packages (workflow_type, content_hash, archive, stored_at) VALUES (?, ?, ?, ?)",
    ),
    getPackage: db.prepare<PackageRow, [string, string]>(
      "SELECT workflow_type, content_hash, archive, stored_at FROM packages WHERE workflow_type = ? AND content_hash = ?",
    ),
    packageExists: db.prepare<{ one: number }, [string, string]>(
      "SELECT 1 AS one FROM packages WHERE workflow_type = ? AND content_hash = ?",
    ),
    listPackages: db.prepare<PackageRow, []>(
      "SELECT workflow_type, content_hash, archive, stored_at FROM packages ORDER BY workflow_type, stored_at, content_hash",
    ),
    deletePackage: db.prepare<never, [string, string]>(
      "DELETE FROM packages WHERE workflow_type = ? AND content_hash = ?",
    ),
    route: db.prepare<RouteRow, [string]>(
      "SELECT workflow_type, content_hash, updated_at FROM package_routes WHERE workflow_type = ?",
    ),
    putRoute: db.prepare<never, [string, string, number]>(
      "INSERT OR REPLACE INTO package_routes (workflow_type, content_hash, updated_at) VALUES (?, ?, ?)",
    ),
    deleteRoute: db.prepare<never, [string]>("DELETE FROM package_routes WHERE workflow_type = ?"),
    /** The fence check of an append: the shard's current token. */
    leaseToken: db.prepare<{ token: number }, [number]>(
      "SELECT token FROM shard_leases WHERE shard = ?",
    ),
    listRoutes: db.prepare<RouteRow, []>(
      "SELECT workflow_type, content_hash, updated_at FROM package_routes ORDER BY workflow_type",
    ),
  };
}

/** The compiled statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;

/** Finalize every statement (before closing the connection). */
export function finalizeStatements(s: Statements): void {
  for (const stmt of Object.values(s)) stmt.finalize();
}
