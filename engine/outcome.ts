/**
 * The terminal outcome of a workflow, scoped to one run as the original
 * engine scopes it: a run's segment starts at its WorkflowStarted and its last
 * terminal event decides.
 */
import type { EventEnvelope, WorkflowError, WorkflowEvent } from "./events/index.ts";
import { payloadText } from "./terms.ts";

/** How a workflow ended (its final run, after following continue-as-new). */
export type WorkflowOutcome =
  | { readonly status: "Completed"; readonly result: unknown; readonly resultText: string }
  | { readonly status: "Failed"; readonly error: WorkflowError }
  | { readonly status: "Cancelled"; readonly reason: string }
  | { readonly status: "TimedOut"; readonly timeoutMs: number };

/** Outcome of one run, or `continued` for a continue-as-new, or undefined while it runs. */
export type RunOutcome =
  | WorkflowOutcome
  | { readonly status: "ContinuedAsNew"; readonly input: string };

function parseResult(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The outcome a terminal event stands for (undefined for any other event). */
export function outcomeOfEvent(e: WorkflowEvent, runId: string): RunOutcome | undefined {
  switch (e.kind) {
    case "WorkflowCompleted": {
      const text = payloadText(e.result);
      return { status: "Completed", result: parseResult(text), resultText: text };
    }
    case "WorkflowFailed":
      return { status: "Failed", error: e.error };
    case "WorkflowCancelled":
      return { status: "Cancelled", reason: e.reason };
    case "WorkflowTimedOut":
      return { status: "TimedOut", timeoutMs: e.timeoutMs };
    case "WorkflowContinuedAsNew":
      return e.parentRunId === runId
        ? { status: "ContinuedAsNew", input: payloadText(e.input) }
        : undefined;
    default:
      return undefined;
  }
}

/** The outcome of run `runId` in `history`, or undefined while it runs. */
export function runOutcome(
  history: readonly EventEnvelope[],
  runId: string,
): RunOutcome | undefined {
  let inRun = false;
  let outcome: RunOutcome | undefined;
  for (const env of history) {
    const e = env.event;
    if (e.kind === "WorkflowStarted") {
      if (inRun) break;
      inRun = e.runId === runId;
      continue;
    }
    if (inRun) outcome = outcomeOfEvent(e, runId) ?? outcome;
  }
  return outcome;
}

/** The latest run's WorkflowStarted envelope and its index, if any. */
export function latestRunStart(
  history: readonly EventEnvelope[],
):
  | { readonly index: number; readonly event: Extract<WorkflowEvent, { kind: "WorkflowStarted" }> }
  | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!.event;
    if (e.kind === "WorkflowStarted") return { index: i, event: e };
  }
  return undefined;
}

/** The final outcome of a history (latest run), or undefined if it runs or continued. */
export function finalOutcome(history: readonly EventEnvelope[]): WorkflowOutcome | undefined {
  const start = latestRunStart(history);
  if (start === undefined) return undefined;
  const o = runOutcome(history, start.event.runId);
  return o === undefined || o.status === "ContinuedAsNew" ? undefined : o;
}
