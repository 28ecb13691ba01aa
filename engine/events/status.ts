/**
 * Workflow status and which events end a run.
 */
import type { WorkflowEvent } from "./event.ts";

/** Status of one run, and of a workflow id (the status of its latest run). */
export type WorkflowStatus =
  | "Running"
  | "Completed"
  | "Failed"
  | "Cancelled"
  | "TimedOut"
  | "ContinuedAsNew";

/** Every status, in declaration order. */
export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = [
  "Running",
  "Completed",
  "Failed",
  "Cancelled",
  "TimedOut",
  "ContinuedAsNew",
];

/** Whether a run in this status has ended (everything but Running). */
export function isTerminalStatus(status: WorkflowStatus): boolean {
  return status !== "Running";
}

/** Whether `value` is a workflow status name. */
export function isWorkflowStatus(value: unknown): value is WorkflowStatus {
  return typeof value === "string" && (WORKFLOW_STATUSES as readonly string[]).includes(value);
}

/**
 * The status an event gives the run `runId`, or undefined when the event does
 * not end that run. A continue-as-new ends only the run it names as its
 * parent, matching how the original engine scopes terminal outcomes.
 */
export function terminalStatusOf(event: WorkflowEvent, runId: string): WorkflowStatus | undefined {
  switch (event.kind) {
    case "WorkflowCompleted":
      return "Completed";
    case "WorkflowFailed":
      return "Failed";
    case "WorkflowCancelled":
      return "Cancelled";
    case "WorkflowTimedOut":
      return "TimedOut";
    case "WorkflowContinuedAsNew":
      return event.parentRunId === runId ? "ContinuedAsNew" : undefined;
    default:
      return undefined;
  }
}

/**
 * Kinds that can change a run's lifecycle (start it or end it). A store can
 * rebuild run chains from these alone, without decoding the whole history.
 */
export const LIFECYCLE_KINDS: readonly WorkflowEvent["kind"][] = [
  "WorkflowStarted",
  "WorkflowCompleted",
  "WorkflowFailed",
  "WorkflowCancelled",
  "WorkflowTimedOut",
  "WorkflowContinuedAsNew",
];
