/**
 * Turning rows back into values, treating every inconsistency as corruption
 * (typed `CorruptRowError` naming the row) rather than returning bad data.
 */
import {
  decodeEvent,
  EventDecodeError,
  type EventEnvelope,
  isWorkflowStatus,
  type SearchAttributes,
} from "../../events/index.ts";
import { CorruptRowError } from "../errors.ts";
import type { WorkflowSummary } from "../types.ts";
import type { WorkflowRow } from "./statements.ts";

type RawRow = ReadonlyArray<string | bigint | number | Uint8Array | null>;

/**
 * Decode `SELECT seq, body` rows of one workflow.
 *
 * @param firstSeq when set, rows must be dense starting at this seq (a full
 *   or suffix read); leave undefined for filtered reads.
 */
export function decodeEventRows(
  workflowId: string,
  rows: readonly RawRow[],
  firstSeq: number | undefined,
): EventEnvelope[] {
  const out: EventEnvelope[] = new Array(rows.length);
  let expected = firstSeq;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const seq = row[0];
    const body = row[1];
    if (typeof seq !== "number") {
      throw new CorruptRowError("events", workflowId, expected ?? 0, "seq is not an integer");
    }
    if (expected !== undefined && seq !== expected) {
      throw new CorruptRowError(
        "events",
        workflowId,
        expected,
        `missing; found seq ${seq} instead`,
      );
    }
    if (!(body instanceof Uint8Array)) {
      throw new CorruptRowError("events", workflowId, seq, "body is not a blob");
    }
    let envelope: EventEnvelope;
    try {
      envelope = decodeEvent(body);
    } catch (error) {
      if (error instanceof EventDecodeError) {
        throw new CorruptRowError("events", workflowId, seq, error.message, { cause: error });
      }
      throw error;
    }
    if (envelope.seq !== seq || envelope.workflowId !== workflowId) {
      throw new CorruptRowError(
        "events",
        workflowId,
        seq,
        `body belongs to ${JSON.stringify(envelope.workflowId)} seq ${envelope.seq}`,
      );
    }
    out[i] = envelope;
    if (expected !== undefined) expected++;
  }
  return out;
}

function parseAttributes(row: WorkflowRow): SearchAttributes {
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.search_attributes);
  } catch (cause) {
    throw new CorruptRowError(
      "workflows",
      row.workflow_id,
      row.head_seq,
      "search attributes are not JSON",
      {
        cause,
      },
    );
  }
  const valid =
    typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every(
      (v) =>
        typeof v === "string" ||
        typeof v === "boolean" ||
        (typeof v === "number" && Number.isFinite(v)),
    );
  if (!valid) {
    throw new CorruptRowError(
      "workflows",
      row.workflow_id,
      row.head_seq,
      "malformed search attributes",
    );
  }
  return parsed as SearchAttributes;
}

/** Rebuild a visibility summary from its row. */
export function summaryFromRow(row: WorkflowRow): WorkflowSummary {
  if (!isWorkflowStatus(row.status)) {
    throw new CorruptRowError(
      "workflows",
      row.workflow_id,
      row.head_seq,
      `unknown status ${row.status}`,
    );
  }
  return {
    workflowId: row.workflow_id,
    namespace: row.namespace,
    workflowType: row.workflow_type,
    runId: row.run_id,
    status: row.status,
    startTime: row.start_time,
    closeTime: row.close_time,
    searchAttributes: parseAttributes(row),
    headSeq: row.head_seq,
    runCount: row.run_count,
  };
}
