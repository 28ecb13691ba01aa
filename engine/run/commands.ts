/**
 * Which events a workflow's own calls produce (commands) and how a call is
 * matched against the recorded command at its position during replay.
 *
 * Everything else in a run's segment is an arrival (a timer fired, an
 * activity or child finished, a signal came in) or the run's own lifecycle;
 * arrivals never take part in matching, they are looked up by id.
 */
import type { EventKind, WorkflowEvent } from "../events/index.ts";

const COMMAND_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  "TimerStarted",
  "TimerCancelled",
  "ActivityScheduled",
  "SignalSent",
  "ChildWorkflowStarted",
  "WithTimeoutCompleted",
  "WorkflowContinuedAsNew",
]);

/** Whether the workflow's code (not an arrival or the engine) caused this event. */
export function isCommand(e: WorkflowEvent): boolean {
  return COMMAND_KINDS.has(e.kind);
}

/**
 * The identity of a command: what must be equal between the recorded event
 * and the replayed call. Payloads and times are not compared (a JSON document
 * re-encoded or a deadline recomputed is not a different decision); the
 * recorded values are what replay returns.
 */
export function commandIdentity(e: WorkflowEvent): string {
  switch (e.kind) {
    case "TimerStarted":
    case "TimerCancelled":
      return `${e.kind}(${e.timerId})`;
    case "ActivityScheduled":
      return `${e.kind}(${e.activityType}, ${e.activityId})`;
    case "SignalSent":
      return `${e.kind}(${e.targetWorkflowId}, ${e.signalName})`;
    case "ChildWorkflowStarted":
      return `${e.kind}(${e.workflowType}, ${e.childWorkflowId})`;
    case "WithTimeoutCompleted":
      return `${e.kind}(${e.scopeId})`;
    default:
      return e.kind;
  }
}

/** A short human description of any event, for error messages. */
export function describeEvent(e: WorkflowEvent): string {
  return isCommand(e) ? commandIdentity(e) : e.kind;
}
