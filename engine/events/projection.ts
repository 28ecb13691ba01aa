/**
 * Pure projections of a history: runs, their statuses, the run chain.
 *
 * A history holds a chain of runs; each run's segment starts at its
 * `WorkflowStarted` and lasts until the next one. Within a segment the last
 * terminal event wins, so the projection of a whole history and an
 * incremental fold over appended batches always agree.
 */
import type { EventEnvelope, WorkflowEvent, WorkflowStarted } from "./event.ts";
import { terminalStatusOf, type WorkflowStatus } from "./status.ts";

/** One run of a workflow id, as projected from its history. */
export interface RunSummary {
  readonly runId: string;
  readonly parentRunId: string | null;
  readonly workflowType: string;
  readonly packageVersion: string;
  readonly status: WorkflowStatus;
  /** Seq of the run's WorkflowStarted. */
  readonly startSeq: number;
  /** Seq of the run's last event so far. */
  readonly endSeq: number;
  /** recordedAt of the WorkflowStarted (ms epoch). */
  readonly startedAt: number;
  /** recordedAt of the event that ended the run, or null while Running. */
  readonly closedAt: number | null;
}

/** Open a run at its WorkflowStarted envelope. */
export function startRun(envelope: EventEnvelope<WorkflowStarted>): RunSummary {
  const e = envelope.event;
  return {
    runId: e.runId,
    parentRunId: e.parentRunId,
    workflowType: e.workflowType,
    packageVersion: e.packageVersion,
    status: "Running",
    startSeq: envelope.seq,
    endSeq: envelope.seq,
    startedAt: envelope.recordedAt,
    closedAt: null,
  };
}

/** Apply one non-start event of the run's segment. */
export function advanceRun(run: RunSummary, envelope: EventEnvelope): RunSummary {
  const status = terminalStatusOf(envelope.event, run.runId);
  if (status === undefined) return { ...run, endSeq: envelope.seq };
  return { ...run, endSeq: envelope.seq, status, closedAt: envelope.recordedAt };
}

function isStarted(envelope: EventEnvelope): envelope is EventEnvelope<WorkflowStarted> {
  return envelope.event.kind === "WorkflowStarted";
}

/**
 * Every run in the history, oldest first. Events before the first
 * WorkflowStarted belong to no run and are ignored.
 *
 * `headSeq` extends the last run's `endSeq` when `history` is a filtered
 * subset (for example only lifecycle events); it defaults to the last seq.
 */
export function projectRuns(
  history: readonly EventEnvelope[],
  headSeq?: number,
): readonly RunSummary[] {
  const runs: RunSummary[] = [];
  let current: RunSummary | undefined;
  for (const envelope of history) {
    if (isStarted(envelope)) {
      if (current !== undefined) runs.push({ ...current, endSeq: envelope.seq - 1 });
      current = startRun(envelope);
    } else if (current !== undefined) {
      current = advanceRun(current, envelope);
    }
  }
  if (current !== undefined) {
    runs.push(headSeq === undefined ? current : { ...current, endSeq: headSeq });
  }
  return runs;
}

/**
 * Status of the latest run in a history (envelopes or bare events), or
 * undefined when no run has started.
 */
export function projectStatus(
  history: readonly (EventEnvelope | WorkflowEvent)[],
): WorkflowStatus | undefined {
  let runId: string | undefined;
  let status: WorkflowStatus | undefined;
  for (const item of history) {
    const event = "event" in item ? item.event : item;
    if (event.kind === "WorkflowStarted") {
      runId = event.runId;
      status = "Running";
    } else if (runId !== undefined) {
      status = terminalStatusOf(event, runId) ?? status;
    }
  }
  return status;
}
