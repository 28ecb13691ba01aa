/**
 * The first client frame of `/events/stream`: which events to follow.
 * Accepts the original's JSON forms, optionally wrapped in
 * `{"subscription": ...}`, with extra keys ignored; a workflow id may be a
 * string or `{"uuid": ...}`. `resume_from_seq` is only parsed here: whether
 * it fits the history is checked after the grant and ownership.
 */
import { CallerApiError } from "../original/errors.ts";
import { isUuid, WIRE_STATUSES, type WireStatus } from "../original/wire.ts";

/** A per-workflow subscription. */
export interface PerWorkflowRequest {
  readonly kind: "per_workflow";
  readonly namespace: string;
  readonly workflowId: string;
  /** As sent: undefined for a live tail; anything else is checked against the history. */
  readonly resumeFromSeq: unknown;
}

/** A namespace-wide live tail, optionally filtered. */
export interface NamespaceRequest {
  readonly kind: "namespace";
  readonly namespace: string;
  readonly workflowType?: string;
  readonly status?: WireStatus;
}

export type SubscriptionRequest = PerWorkflowRequest | NamespaceRequest;

function invalid(message: string): CallerApiError {
  return new CallerApiError("invalid_input", message);
}

function objectOf(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw invalid(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function stringOf(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== "string") throw invalid(`${what}.${key} must be a string`);
  return v;
}

/** A status by name, or by the proto enum's number (1 = Running ... 7 = Paused). */
function statusOf(v: unknown): WireStatus | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" && (WIRE_STATUSES as readonly string[]).includes(v)) {
    return v as WireStatus;
  }
  if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= WIRE_STATUSES.length) {
    return WIRE_STATUSES[v - 1];
  }
  throw invalid(`status must be one of ${WIRE_STATUSES.join(", ")}`);
}

/** Parses the first frame. @throws CallerApiError invalid_input */
export function parseSubscription(frame: string | Uint8Array): SubscriptionRequest {
  let value: unknown;
  try {
    const text =
      typeof frame === "string" ? frame : new TextDecoder("utf-8", { fatal: true }).decode(frame);
    value = JSON.parse(text);
  } catch {
    throw invalid("the subscription frame is not JSON");
  }
  let o = objectOf(value, "the subscription frame");
  if ("subscription" in o) o = objectOf(o.subscription, "subscription");
  if ("per_workflow" in o) {
    const p = objectOf(o.per_workflow, "per_workflow");
    const namespace = stringOf(p, "namespace", "per_workflow");
    let id = p.workflow_id;
    if (typeof id === "object" && id !== null && !Array.isArray(id)) {
      id = (id as Record<string, unknown>).uuid;
    }
    if (typeof id !== "string" || !isUuid(id))
      throw invalid("per_workflow.workflow_id must be a UUID");
    const resume = p.resume_from_seq;
    return {
      kind: "per_workflow",
      namespace,
      workflowId: id,
      resumeFromSeq: resume === null ? undefined : resume,
    };
  }
  if ("filtered" in o) {
    const f = objectOf(o.filtered, "filtered");
    const namespace = stringOf(f, "namespace", "filtered");
    const selector = f.namespace_selector;
    if (selector !== undefined && selector !== null && selector !== namespace) {
      throw invalid("filtered.namespace_selector must equal filtered.namespace");
    }
    const type = f.workflow_type;
    if (type !== undefined && type !== null && typeof type !== "string") {
      throw invalid("filtered.workflow_type must be a string");
    }
    const status = statusOf(f.status);
    return {
      kind: "namespace",
      namespace,
      ...(typeof type === "string" ? { workflowType: type } : {}),
      ...(status !== undefined ? { status } : {}),
    };
  }
  if ("firehose" in o) {
    const f = objectOf(o.firehose, "firehose");
    return { kind: "namespace", namespace: stringOf(f, "namespace", "firehose") };
  }
  throw invalid("the subscription frame needs per_workflow, filtered or firehose");
}

/**
 * The first seq to replay, or undefined for a live tail.
 * @throws CallerApiError invalid_input for 0, a non-integer, or past `head + 1`
 */
export function resumePoint(resume: unknown, head: number): number | undefined {
  if (resume === undefined) return undefined;
  if (typeof resume !== "number" || !Number.isInteger(resume) || resume < 1) {
    throw invalid("resume_from_seq must be an integer >= 1");
  }
  if (resume > head + 1) {
    throw invalid(`resume_from_seq ${resume} is ahead of the history (head ${head})`);
  }
  return resume;
}
