/**
 * The typed event model: every fact a workflow history can record.
 *
 * `WorkflowEvent` is a discriminated union on `kind`. Field names follow the
 * native contract's event list (in camelCase); times are milliseconds since the
 * Unix epoch (UTC) as plain numbers, which keeps them cheap to compare, index
 * and serialize.
 */
import type { Payload } from "./payload.ts";

/** A failure carried as data (workflow, activity or child failure). */
export interface WorkflowError {
  readonly message: string;
  /** Optional structured detail, usually a JSON payload. */
  readonly details: Payload | null;
}

/** A value a search attribute can hold. */
export type SearchAttributeValue = string | number | boolean;

/** Current search attributes of a workflow. */
export type SearchAttributes = Readonly<Record<string, SearchAttributeValue>>;

/** An update to search attributes: `null` removes the attribute. */
export type SearchAttributeUpdates = Readonly<Record<string, SearchAttributeValue | null>>;

/** First event of every run: its segment of the history starts here. */
export interface WorkflowStarted {
  readonly kind: "WorkflowStarted";
  readonly workflowType: string;
  readonly input: Payload;
  readonly runId: string;
  /** The run this one continues (continue-as-new), or null for a first run. */
  readonly parentRunId: string | null;
  /** Content hash (64 lowercase hex) of the package version that runs it. */
  readonly packageVersion: string;
}

export interface WorkflowCompleted {
  readonly kind: "WorkflowCompleted";
  readonly result: Payload;
}

export interface WorkflowFailed {
  readonly kind: "WorkflowFailed";
  readonly error: WorkflowError;
}

export interface WorkflowCancelled {
  readonly kind: "WorkflowCancelled";
  readonly reason: string;
}

export interface WorkflowTimedOut {
  readonly kind: "WorkflowTimedOut";
  /** The workflow timeout that expired, in milliseconds. */
  readonly timeoutMs: number;
}

/** Ends the run `parentRunId`; the next run of the same id starts with `input`. */
export interface WorkflowContinuedAsNew {
  readonly kind: "WorkflowContinuedAsNew";
  readonly input: Payload;
  /** Type of the next run when it differs from this one; null to keep it. */
  readonly workflowType: string | null;
  /** The run that is ending (it becomes the next run's parent). */
  readonly parentRunId: string;
}

export interface SearchAttributesUpdated {
  readonly kind: "SearchAttributesUpdated";
  readonly attributes: SearchAttributeUpdates;
}

export interface ActivityScheduled {
  readonly kind: "ActivityScheduled";
  readonly activityId: string;
  readonly activityType: string;
  readonly input: Payload;
}

export interface ActivityStarted {
  readonly kind: "ActivityStarted";
  readonly activityId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export interface ActivityCompleted {
  readonly kind: "ActivityCompleted";
  readonly activityId: string;
  readonly result: Payload;
}

export interface ActivityFailed {
  readonly kind: "ActivityFailed";
  readonly activityId: string;
  readonly error: WorkflowError;
}

export interface ActivityCancelled {
  readonly kind: "ActivityCancelled";
  readonly activityId: string;
  readonly reason: string;
}

export interface TimerStarted {
  readonly kind: "TimerStarted";
  readonly timerId: string;
  /** When the timer is due (ms epoch). */
  readonly fireAt: number;
}

export interface TimerFired {
  readonly kind: "TimerFired";
  readonly timerId: string;
}

export interface TimerCancelled {
  readonly kind: "TimerCancelled";
  readonly timerId: string;
}

/** Outcome of a `with_timeout` scope: the function finished or the deadline won. */
export interface WithTimeoutCompleted {
  readonly kind: "WithTimeoutCompleted";
  readonly scopeId: string;
  readonly timedOut: boolean;
}

export interface SignalReceived {
  readonly kind: "SignalReceived";
  readonly signalName: string;
  readonly payload: Payload;
  /**
   * Identity of the signal, when its sender gave one (a `SignalSent`'s
   * `signalId`, or a client's idempotency key): a workflow records a given id
   * once. Absent in histories written before ids existed.
   */
  readonly signalId?: string;
}

export interface SignalSent {
  readonly kind: "SignalSent";
  readonly targetWorkflowId: string;
  readonly signalName: string;
  readonly payload: Payload;
  /**
   * Deterministic identity of the sent signal (`<workflowId>/<runId>/signal-<n>`),
   * recorded again in the target's `SignalReceived` so a redelivery is
   * recognised. Absent in histories written before ids existed.
   */
  readonly signalId?: string;
}

/** Recorded before the child starts (record-then-spawn). */
export interface ChildWorkflowStarted {
  readonly kind: "ChildWorkflowStarted";
  readonly childWorkflowId: string;
  readonly workflowType: string;
  readonly input: Payload;
}

export interface ChildWorkflowCompleted {
  readonly kind: "ChildWorkflowCompleted";
  readonly childWorkflowId: string;
  readonly result: Payload;
}

export interface ChildWorkflowFailed {
  readonly kind: "ChildWorkflowFailed";
  readonly childWorkflowId: string;
  readonly error: WorkflowError;
}

export interface ChildWorkflowCancelled {
  readonly kind: "ChildWorkflowCancelled";
  readonly childWorkflowId: string;
  readonly reason: string;
}

export interface ScheduleCreated {
  readonly kind: "ScheduleCreated";
  readonly scheduleId: string;
  readonly workflowType: string;
  /** The schedule specification (cron/interval), opaque to the store. */
  readonly spec: Payload;
  readonly input: Payload;
}

export interface ScheduleUpdated {
  readonly kind: "ScheduleUpdated";
  readonly scheduleId: string;
  readonly spec: Payload;
}

export interface SchedulePaused {
  readonly kind: "SchedulePaused";
  readonly scheduleId: string;
  readonly reason: string | null;
}

export interface ScheduleResumed {
  readonly kind: "ScheduleResumed";
  readonly scheduleId: string;
}

export interface ScheduleDeleted {
  readonly kind: "ScheduleDeleted";
  readonly scheduleId: string;
}

export interface ScheduleTriggered {
  readonly kind: "ScheduleTriggered";
  readonly scheduleId: string;
  /** Id of the workflow the trigger started. */
  readonly triggeredWorkflowId: string;
  /** The slot the trigger was for (ms epoch), not when it ran. */
  readonly scheduledAt: number;
}

/** Every event a history can hold, discriminated by `kind`. */
export type WorkflowEvent =
  | WorkflowStarted
  | WorkflowCompleted
  | WorkflowFailed
  | WorkflowCancelled
  | WorkflowTimedOut
  | WorkflowContinuedAsNew
  | SearchAttributesUpdated
  | ActivityScheduled
  | ActivityStarted
  | ActivityCompleted
  | ActivityFailed
  | ActivityCancelled
  | TimerStarted
  | TimerFired
  | TimerCancelled
  | WithTimeoutCompleted
  | SignalReceived
  | SignalSent
  | ChildWorkflowStarted
  | ChildWorkflowCompleted
  | ChildWorkflowFailed
  | ChildWorkflowCancelled
  | ScheduleCreated
  | ScheduleUpdated
  | SchedulePaused
  | ScheduleResumed
  | ScheduleDeleted
  | ScheduleTriggered;

/** The discriminant values of `WorkflowEvent`. */
export type EventKind = WorkflowEvent["kind"];

/** The event variant with the given kind. */
export type EventOfKind<K extends EventKind> = Extract<WorkflowEvent, { kind: K }>;

/**
 * An event as stored: its position in the history and when it was recorded.
 *
 * `seq` is dense and starts at 1 for every workflow id (the whole run chain
 * shares one sequence). `recordedAt` is milliseconds since the Unix epoch.
 */
export interface EventEnvelope<E extends WorkflowEvent = WorkflowEvent> {
  readonly seq: number;
  readonly recordedAt: number;
  readonly workflowId: string;
  readonly event: E;
}
