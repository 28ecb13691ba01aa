/**
 * The original server's JSON shapes: plain UUID ids, RFC 3339 times,
 * PascalCase statuses, `Summary` (a workflow without its run id) and `Event`
 * (`{"type", "data": {"envelope": {...}, ...fields}}`, snake_case fields,
 * payloads as `{"content_type":"Json","bytes":[...]}`). One place, so the
 * routes, the event stream and the client agree.
 */
import type { EventEnvelope, WorkflowStatus } from "../../events/index.ts";
import { isJsonContentType } from "../../events/index.ts";
import type { WorkflowSummary } from "../../store/index.ts";

/** A UUID in its canonical 8-4-4-4-12 hex form (any version, either case). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `s` is a plain UUID string. */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** Milliseconds since the epoch as RFC 3339 UTC (`2026-07-24T10:00:00.123Z`). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** An RFC 3339 date-time with an explicit offset, as milliseconds; undefined when malformed. */
export function parseRfc3339(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s)) {
    return undefined;
  }
  const ms = Date.parse(s.replace(" ", "T"));
  return Number.isNaN(ms) ? undefined : ms;
}

/** The statuses of the original API (`Paused` exists there, never here). */
export const WIRE_STATUSES = [
  "Running",
  "Completed",
  "Failed",
  "Cancelled",
  "TimedOut",
  "ContinuedAsNew",
  "Paused",
] as const;
export type WireStatus = (typeof WIRE_STATUSES)[number];

/** A workflow as the original API lists and describes it. */
export interface WireSummary {
  readonly workflow_id: string;
  readonly workflow_type: string;
  readonly status: WorkflowStatus;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly parent: string | null;
  readonly failure_reason?: string;
}

/** The summary of a workflow; `failureReason` for a failed one when known. */
export function wireSummary(s: WorkflowSummary, failureReason?: string): WireSummary {
  return {
    workflow_id: s.workflowId,
    workflow_type: s.workflowType,
    status: s.status,
    started_at: rfc3339(s.startTime),
    ended_at: s.closeTime === null ? null : rfc3339(s.closeTime),
    // Parent links of child workflows are not kept in the visibility record.
    parent: null,
    ...(failureReason !== undefined ? { failure_reason: failureReason } : {}),
  };
}

/** A payload as the original's events carry it: a content-type tag and the raw bytes. */
export interface WirePayload {
  readonly content_type: string;
  readonly bytes: number[];
}

function wirePayload(contentType: string, bytes: Uint8Array): WirePayload {
  return { content_type: isJsonContentType(contentType) ? "Json" : contentType, bytes: [...bytes] };
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A copy of an event field with payloads converted and keys in snake_case. */
function wireField(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireField);
  if (typeof value !== "object" || value === null) return value;
  const o = value as Record<string, unknown>;
  if (typeof o.contentType === "string" && o.bytes instanceof Uint8Array) {
    return wirePayload(o.contentType, o.bytes);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[snake(k)] = wireField(v);
  return out;
}

/** One history event in the original shape. */
export interface WireEvent {
  readonly type: string;
  readonly data: {
    readonly envelope: {
      readonly seq: number;
      readonly recorded_at: string;
      readonly workflow_id: string;
    };
    readonly [field: string]: unknown;
  };
}

/** The event `e` of workflow `workflowId` in the original shape. */
export function wireEvent(workflowId: string, e: EventEnvelope): WireEvent {
  const { kind, ...fields } = e.event;
  return {
    type: kind,
    data: {
      envelope: { seq: e.seq, recorded_at: rfc3339(e.recordedAt), workflow_id: workflowId },
      ...(wireField(fields) as Record<string, unknown>),
    },
  };
}

/** Event types that end a per-workflow subscription (the run's chain link ends). */
export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  "WorkflowCompleted",
  "WorkflowFailed",
  "WorkflowCancelled",
  "WorkflowTimedOut",
  "WorkflowContinuedAsNew",
]);
