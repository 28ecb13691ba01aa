/**
 * The field schema of every event kind, checked against the TypeScript union.
 *
 * One table drives validation, the codec and payload enumeration, so a new
 * event kind is a compile error until it is described here. The mapped type
 * below rejects a schema entry whose fields do not match the interface.
 */
import { InvalidEventError } from "./errors.ts";
import type {
  EventKind,
  EventOfKind,
  SearchAttributeUpdates,
  WorkflowError,
  WorkflowEvent,
} from "./event.ts";
import type { Payload } from "./payload.ts";

/**
 * How one event field is typed on the wire and in memory. `string?` is a
 * string or null and always present; `optional-string` may be absent (an
 * optional field added after rows were written without it).
 */
export type FieldTag =
  | "string"
  | "string?"
  | "optional-string"
  | "int"
  | "bool"
  | "payload"
  | "error"
  | "attributes";

// Maps a field's TypeScript type to the one tag allowed to describe it. Order
// matters: `string` must be tested before `string | null`.
type TagFor<V> = [V] extends [string]
  ? "string"
  : [V] extends [string | null]
    ? "string?"
    : [V] extends [string | undefined]
      ? "optional-string"
      : [V] extends [number]
        ? "int"
        : [V] extends [boolean]
          ? "bool"
          : [V] extends [Payload]
            ? "payload"
            : [V] extends [WorkflowError]
              ? "error"
              : [V] extends [SearchAttributeUpdates]
                ? "attributes"
                : never;

type FieldsOf<E> = { readonly [F in Exclude<keyof E, "kind">]-?: TagFor<E[F]> };

/** The schema type: every kind, every field, with a matching tag. */
export type EventSchema = { readonly [K in EventKind]: FieldsOf<EventOfKind<K>> };

/** The field schema of every event kind. Field order is the wire order. */
export const EVENT_SCHEMA: EventSchema = {
  WorkflowStarted: {
    workflowType: "string",
    input: "payload",
    runId: "string",
    parentRunId: "string?",
    packageVersion: "string",
  },
  WorkflowCompleted: { result: "payload" },
  WorkflowFailed: { error: "error" },
  WorkflowCancelled: { reason: "string" },
  WorkflowTimedOut: { timeoutMs: "int" },
  WorkflowContinuedAsNew: { input: "payload", workflowType: "string?", parentRunId: "string" },
  SearchAttributesUpdated: { attributes: "attributes" },
  ActivityScheduled: { activityId: "string", activityType: "string", input: "payload" },
  ActivityStarted: { activityId: "string", attempt: "int" },
  ActivityCompleted: { activityId: "string", result: "payload" },
  ActivityFailed: { activityId: "string", error: "error" },
  ActivityCancelled: { activityId: "string", reason: "string" },
  TimerStarted: { timerId: "string", fireAt: "int" },
  TimerFired: { timerId: "string" },
  TimerCancelled: { timerId: "string" },
  WithTimeoutCompleted: { scopeId: "string", timedOut: "bool" },
  SignalReceived: { signalName: "string", payload: "payload", signalId: "optional-string" },
  SignalSent: {
    targetWorkflowId: "string",
    signalName: "string",
    payload: "payload",
    signalId: "optional-string",
  },
  ChildWorkflowStarted: { childWorkflowId: "string", workflowType: "string", input: "payload" },
  ChildWorkflowCompleted: { childWorkflowId: "string", result: "payload" },
  ChildWorkflowFailed: { childWorkflowId: "string", error: "error" },
  ChildWorkflowCancelled: { childWorkflowId: "string", reason: "string" },
  ScheduleCreated: {
    scheduleId: "string",
    workflowType: "string",
    spec: "payload",
    input: "payload",
  },
  ScheduleUpdated: { scheduleId: "string", spec: "payload" },
  SchedulePaused: { scheduleId: "string", reason: "string?" },
  ScheduleResumed: { scheduleId: "string" },
  ScheduleDeleted: { scheduleId: "string" },
  ScheduleTriggered: { scheduleId: "string", triggeredWorkflowId: "string", scheduledAt: "int" },
};

/** Every event kind, in schema order. */
export const EVENT_KINDS: readonly EventKind[] = Object.keys(EVENT_SCHEMA) as EventKind[];

const KIND_SET: ReadonlySet<string> = new Set(EVENT_KINDS);

/** Whether `value` names an event kind. */
export function isEventKind(value: unknown): value is EventKind {
  return typeof value === "string" && KIND_SET.has(value);
}

/** Whether a field of this tag may be absent (optional fields added later). */
export function isOptionalTag(tag: FieldTag): boolean {
  return tag === "optional-string";
}

/** The ordered `[field, tag]` pairs of one kind. */
export function fieldsOf(kind: EventKind): ReadonlyArray<readonly [string, FieldTag]> {
  return Object.entries(EVENT_SCHEMA[kind]) as Array<[string, FieldTag]>;
}

/** A plain (non-array, non-null) object, as JSON or a caller would build it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Non-negative safe integer: sequence numbers, times, attempts. */
export function isNonNegativeInt(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Check a search-attribute update map; `null` values (removals) allowed.
 * @throws InvalidEventError
 */
export function checkAttributes(value: unknown, path: string): SearchAttributeUpdates {
  if (!isRecord(value)) throw new InvalidEventError(path, "expected an object");
  for (const [name, v] of Object.entries(value)) {
    if (name.length === 0) throw new InvalidEventError(path, "attribute names must be non-empty");
    const ok =
      v === null ||
      typeof v === "string" ||
      typeof v === "boolean" ||
      (typeof v === "number" && Number.isFinite(v));
    if (!ok)
      throw new InvalidEventError(
        `${path}.${name}`,
        "expected string, finite number, boolean or null",
      );
  }
  return value as SearchAttributeUpdates;
}

/**
 * Check a scalar field (everything but payloads and errors).
 * @throws InvalidEventError
 */
export function checkScalar(tag: FieldTag, value: unknown, path: string): unknown {
  switch (tag) {
    case "string":
      if (typeof value !== "string") throw new InvalidEventError(path, "expected a string");
      return value;
    case "string?":
      if (value !== null && typeof value !== "string") {
        throw new InvalidEventError(path, "expected a string or null");
      }
      return value;
    case "optional-string":
      if (value !== undefined && typeof value !== "string") {
        throw new InvalidEventError(path, "expected a string or nothing");
      }
      return value;
    case "int":
      if (!isNonNegativeInt(value))
        throw new InvalidEventError(path, "expected a non-negative integer");
      return value;
    case "bool":
      if (typeof value !== "boolean") throw new InvalidEventError(path, "expected a boolean");
      return value;
    case "attributes":
      return checkAttributes(value, path);
    case "payload":
    case "error":
      throw new InvalidEventError(path, `${tag} is not a scalar field`);
  }
}

function checkPayload(value: unknown, path: string): Payload {
  if (!isRecord(value)) throw new InvalidEventError(path, "expected a payload object");
  if (typeof value.contentType !== "string" || value.contentType.length === 0) {
    throw new InvalidEventError(`${path}.contentType`, "expected a non-empty string");
  }
  if (!(value.bytes instanceof Uint8Array)) {
    throw new InvalidEventError(`${path}.bytes`, "expected a Uint8Array");
  }
  return value as unknown as Payload;
}

function checkError(value: unknown, path: string): WorkflowError {
  if (!isRecord(value)) throw new InvalidEventError(path, "expected an error object");
  if (typeof value.message !== "string") {
    throw new InvalidEventError(`${path}.message`, "expected a string");
  }
  if (value.details !== null) checkPayload(value.details, `${path}.details`);
  for (const key of Object.keys(value)) {
    if (key !== "message" && key !== "details") {
      throw new InvalidEventError(`${path}.${key}`, "unknown field");
    }
  }
  return value as unknown as WorkflowError;
}

/**
 * Check that an in-memory value is a well-formed event of a known kind, with
 * exactly the fields its schema lists. Used before anything is persisted so a
 * store never writes an event it could not read back.
 *
 * @throws InvalidEventError naming the first offending field.
 */
export function validateEvent(value: unknown, path = "event"): WorkflowEvent {
  if (!isRecord(value)) throw new InvalidEventError(path, "expected an event object");
  const kind = value.kind;
  if (!isEventKind(kind)) throw new InvalidEventError(`${path}.kind`, "unknown event kind");
  const fields = fieldsOf(kind);
  for (const [name, tag] of fields) {
    const fieldPath = `${path}.${name}`;
    const v = value[name];
    if (tag === "payload") checkPayload(v, fieldPath);
    else if (tag === "error") checkError(v, fieldPath);
    else checkScalar(tag, v, fieldPath);
  }
  const allowed = EVENT_SCHEMA[kind] as Readonly<Record<string, FieldTag>>;
  for (const key of Object.keys(value)) {
    if (key !== "kind" && !(key in allowed)) {
      throw new InvalidEventError(`${path}.${key}`, "unknown field");
    }
  }
  return value as unknown as WorkflowEvent;
}

/**
 * Visit every payload an event carries, including error details, with its
 * dotted field path. Used for payload size limits.
 */
export function forEachPayload(
  event: WorkflowEvent,
  visit: (path: string, p: Payload) => void,
): void {
  const record = event as unknown as Readonly<Record<string, unknown>>;
  for (const [name, tag] of fieldsOf(event.kind)) {
    const v = record[name];
    if (tag === "payload") visit(name, v as Payload);
    else if (tag === "error") {
      const details = (v as WorkflowError).details;
      if (details !== null) visit(`${name}.details`, details);
    }
  }
}
