/**
 * The SQL text of every fixed statement of the PostgreSQL store. Plain
 * PostgreSQL (numbered placeholders, ON CONFLICT, FOR UPDATE) that a
 * distributed PostgreSQL-compatible engine accepts unchanged: no advisory
 * locks, no LISTEN/NOTIFY, no sequences. Bun prepares each text once per
 * connection.
 */
import { LIFECYCLE_KIND_SQL } from "./migrations.ts";

/** Columns of a `workflows` row, in SELECT order (see `rows.ts`). */
export const WORKFLOW_COLUMNS =
  "workflow_id, head_seq, workflow_type, run_id, status, start_time, close_time, run_count, search_attributes, namespace";

/** Rows per multi-row INSERT: 1000 events is 5000 parameters, far below the 65535 limit. */
export const EVENT_INSERT_CHUNK = 1000;

/** `INSERT INTO events` of `n` rows (5 parameters each). */
export function insertEventsSql(n: number): string {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = i * 5;
    rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`);
  }
  return `INSERT INTO events (workflow_id, seq, kind, recorded_at, body) VALUES ${rows.join(", ")}`;
}

export const SQL_TEXT = {
  /** The head check of an append: lock the row so concurrent appends queue behind us. */
  workflowForUpdate: `SELECT ${WORKFLOW_COLUMNS} FROM workflows WHERE workflow_id = $1 FOR UPDATE`,
  workflow: `SELECT ${WORKFLOW_COLUMNS} FROM workflows WHERE workflow_id = $1`,
  head: "SELECT head_seq FROM workflows WHERE workflow_id = $1",
  /** A new history: loses (0 rows) to a concurrent creator instead of failing. */
  insertWorkflow: `INSERT INTO workflows (${WORKFLOW_COLUMNS})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (workflow_id) DO NOTHING`,
  /**
   * Conditional on the head the append expects: even without the row lock
   * (an engine that ignores FOR UPDATE) a stale writer updates 0 rows.
   */
  updateHead: "UPDATE workflows SET head_seq = $2 WHERE workflow_id = $1 AND head_seq = $3",
  updateWorkflow: `UPDATE workflows SET head_seq = $2, workflow_type = $3, run_id = $4, status = $5,
    start_time = $6, close_time = $7, run_count = $8, search_attributes = $9
    WHERE workflow_id = $1 AND head_seq = $10`,
  history: "SELECT seq, body FROM events WHERE workflow_id = $1 ORDER BY seq",
  historyFrom: "SELECT seq, body FROM events WHERE workflow_id = $1 AND seq >= $2 ORDER BY seq",
  lifecycle: `SELECT seq, body FROM events WHERE workflow_id = $1 AND ${LIFECYCLE_KIND_SQL} ORDER BY seq`,
  putAttribute: `INSERT INTO search_attributes (workflow_id, name, value_kind, value) VALUES ($1, $2, $3, $4)
    ON CONFLICT (workflow_id, name) DO UPDATE SET value_kind = EXCLUDED.value_kind, value = EXCLUDED.value`,
  deleteAttribute: "DELETE FROM search_attributes WHERE workflow_id = $1 AND name = $2",
  listIds: "SELECT workflow_id FROM workflows ORDER BY workflow_id",
  listActive: "SELECT workflow_id FROM workflows WHERE status = 'Running' ORDER BY workflow_id",
  putTimer: `INSERT INTO timers (workflow_id, timer_id, fire_at) VALUES ($1, $2, $3)
    ON CONFLICT (workflow_id, timer_id) DO UPDATE SET fire_at = EXCLUDED.fire_at`,
  /** Arms a timer only if its workflow exists, in one statement (0 rows: unknown workflow). */
  putTimerOfExisting: `INSERT INTO timers (workflow_id, timer_id, fire_at)
    SELECT $1::text, $2::text, $3::bigint WHERE EXISTS (SELECT 1 FROM workflows WHERE workflow_id = $1)
    ON CONFLICT (workflow_id, timer_id) DO UPDATE SET fire_at = EXCLUDED.fire_at`,
  deleteTimer: "DELETE FROM timers WHERE workflow_id = $1 AND timer_id = $2",
  deleteTimersOf: "DELETE FROM timers WHERE workflow_id = $1",
  expiredTimers:
    "SELECT workflow_id, timer_id, fire_at FROM timers WHERE fire_at <= $1 ORDER BY fire_at, workflow_id, timer_id",
  expiredTimersLimit:
    "SELECT workflow_id, timer_id, fire_at FROM timers WHERE fire_at <= $1 ORDER BY fire_at, workflow_id, timer_id LIMIT $2",
  putPackage: `INSERT INTO packages (workflow_type, content_hash, archive, stored_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (workflow_type, content_hash) DO UPDATE SET archive = EXCLUDED.archive, stored_at = EXCLUDED.stored_at`,
  getPackage:
    "SELECT workflow_type, content_hash, archive, stored_at FROM packages WHERE workflow_type = $1 AND content_hash = $2",
  listPackages:
    "SELECT workflow_type, content_hash, archive, stored_at FROM packages ORDER BY workflow_type, stored_at, content_hash",
  deletePackage: "DELETE FROM packages WHERE workflow_type = $1 AND content_hash = $2",
  putRoute: `INSERT INTO package_routes (workflow_type, content_hash, updated_at) VALUES ($1, $2, $3)
    ON CONFLICT (workflow_type) DO UPDATE SET content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at`,
  deleteRoute: "DELETE FROM package_routes WHERE workflow_type = $1",
  listRoutes:
    "SELECT workflow_type, content_hash, updated_at FROM package_routes ORDER BY workflow_type",
} as const;
