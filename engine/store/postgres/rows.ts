/**
 * Turning PostgreSQL rows back into store values. `BIGINT` columns arrive as
 * decimal strings (Bun's default, which never loses precision) and `BYTEA` as
 * Buffers; both are checked and converted here, and the decoding itself is
 * the SQLite store's, so both stores report a bad row the same way
 * (`CorruptRowError` naming it).
 */
import type { EventEnvelope } from "../../events/index.ts";
import { CorruptRowError } from "../errors.ts";
import { decodeEventRows, summaryFromRow } from "../sqlite/rows.ts";
import type { WorkflowRow } from "../sqlite/statements.ts";
import type { PackageRecord, PackageRoute, TimerEntry, WorkflowSummary } from "../types.ts";

/** A value of an integer column as the driver hands it over. */
type PgInt = string | number | bigint;

/** A `SELECT seq, body` row. */
export interface PgEventRow {
  readonly seq: PgInt;
  readonly body: Uint8Array;
}

/** A `workflows` row (columns of `WORKFLOW_COLUMNS`). */
export interface PgWorkflowRow {
  readonly workflow_id: string;
  readonly head_seq: PgInt;
  readonly workflow_type: string;
  readonly run_id: string;
  readonly status: string;
  readonly start_time: PgInt;
  readonly close_time: PgInt | null;
  readonly run_count: PgInt;
  readonly search_attributes: string;
  readonly namespace: string;
}

export interface PgTimerRow {
  readonly workflow_id: string;
  readonly timer_id: string;
  readonly fire_at: PgInt;
}

export interface PgPackageRow {
  readonly workflow_type: string;
  readonly content_hash: string;
  readonly archive: Uint8Array;
  readonly stored_at: PgInt;
}

export interface PgRouteRow {
  readonly workflow_type: string;
  readonly content_hash: string;
  readonly updated_at: PgInt;
}

/**
 * An integer column as a JS number; a value a number cannot hold exactly is
 * corruption (the store never writes one).
 */
function int(value: PgInt, table: string, workflowId: string, seq: number, column: string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new CorruptRowError(
      table,
      workflowId,
      seq,
      `${column} ${String(value)} is not a safe integer`,
    );
  }
  return n;
}

/** Decode the events of one workflow; `firstSeq` as in `decodeEventRows`. */
export function eventsFromRows(
  workflowId: string,
  rows: readonly PgEventRow[],
  firstSeq: number | undefined,
): EventEnvelope[] {
  const raw = rows.map((r, i) => [
    int(r.seq, "events", workflowId, (firstSeq ?? 0) + i, "seq"),
    r.body,
  ]);
  return decodeEventRows(workflowId, raw, firstSeq);
}

/** The head seq of a `SELECT head_seq` row. */
export function headFromRow(row: { head_seq: PgInt } | undefined, workflowId: string): number {
  return row === undefined ? 0 : int(row.head_seq, "workflows", workflowId, 0, "head_seq");
}

/** Rebuild a visibility summary from its row. */
export function summaryFromPgRow(r: PgWorkflowRow): WorkflowSummary {
  const head = int(r.head_seq, "workflows", r.workflow_id, 0, "head_seq");
  const at = (v: PgInt, column: string) => int(v, "workflows", r.workflow_id, head, column);
  const row: WorkflowRow = {
    workflow_id: r.workflow_id,
    head_seq: head,
    workflow_type: r.workflow_type,
    run_id: r.run_id,
    status: r.status,
    start_time: at(r.start_time, "start_time"),
    close_time: r.close_time === null ? null : at(r.close_time, "close_time"),
    run_count: at(r.run_count, "run_count"),
    search_attributes: r.search_attributes,
    namespace: r.namespace,
  };
  return summaryFromRow(row);
}

export function timerFromRow(r: PgTimerRow): TimerEntry {
  return {
    workflowId: r.workflow_id,
    timerId: r.timer_id,
    fireAt: int(r.fire_at, "timers", r.workflow_id, 0, "fire_at"),
  };
}

export function packageFromRow(r: PgPackageRow): PackageRecord {
  return {
    workflowType: r.workflow_type,
    contentHash: r.content_hash,
    // A plain Uint8Array copy: the driver's Buffer is a subclass, and callers
    // compare archives structurally.
    archive: new Uint8Array(r.archive),
    storedAt: int(r.stored_at, "packages", r.workflow_type, 0, "stored_at"),
  };
}

export function routeFromRow(r: PgRouteRow): PackageRoute {
  return {
    workflowType: r.workflow_type,
    contentHash: r.content_hash,
    updatedAt: int(r.updated_at, "package_routes", r.workflow_type, 0, "updated_at"),
  };
}
