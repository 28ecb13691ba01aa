/**
 * The visibility projection: how appended events change a workflow's
 * summary, and how a summary is matched against a filter.
 *
 * Stores apply `planAppend` inside the append's transaction so the summary
 * can never disagree with the history it describes.
 */
import {
  type EventEnvelope,
  type SearchAttributeValue,
  terminalStatusOf,
  WORKFLOW_STATUSES,
  type WorkflowStatus,
} from "../events/index.ts";
import { CorruptRowError } from "./errors.ts";
import type {
  QueryCursor,
  StatusCounts,
  StatusTypeCount,
  WorkflowFilter,
  WorkflowSummary,
} from "./types.ts";
import { filterStatuses } from "./validate.ts";

/** Everything an append changes besides the event rows themselves. */
export interface AppendEffects {
  /** The summary after the append. */
  readonly summary: WorkflowSummary;
  /** Search attributes the append set (value) or removed (null), last write wins. */
  readonly attributeChanges: ReadonlyMap<string, SearchAttributeValue | null>;
  /** Timer ids whose durable timers the appended events fired or cancelled. */
  readonly releasedTimers: readonly string[];
  /** A run ended in this append: every durable timer of the workflow goes. */
  readonly runEnded: boolean;
}

/**
 * Fold appended envelopes into the previous summary (undefined for a new
 * workflow, in which case the first envelope must be WorkflowStarted and the
 * workflow is created in `namespace`; an existing one keeps its own).
 */
export function planAppend(
  previous: WorkflowSummary | undefined,
  envelopes: readonly EventEnvelope[],
  namespace: string,
): AppendEffects {
  let summary = previous;
  const attributes: Record<string, SearchAttributeValue> = { ...previous?.searchAttributes };
  const attributeChanges = new Map<string, SearchAttributeValue | null>();
  const releasedTimers: string[] = [];
  let runEnded = false;
  for (const envelope of envelopes) {
    const { event, seq, recordedAt, workflowId } = envelope;
    if (event.kind === "WorkflowStarted") {
      summary = {
        workflowId,
        namespace: summary?.namespace ?? namespace,
        workflowType: event.workflowType,
        runId: event.runId,
        status: "Running",
        startTime: recordedAt,
        closeTime: null,
        searchAttributes: attributes,
        headSeq: seq,
        runCount: (summary?.runCount ?? 0) + 1,
      };
      continue;
    }
    if (summary === undefined) {
      throw new Error("planAppend: a new history must begin with WorkflowStarted");
    }
    summary = { ...summary, headSeq: seq };
    if (event.kind === "SearchAttributesUpdated") {
      for (const [name, value] of Object.entries(event.attributes)) {
        attributeChanges.set(name, value);
        if (value === null) delete attributes[name];
        else attributes[name] = value;
      }
    } else if (event.kind === "TimerFired" || event.kind === "TimerCancelled") {
      releasedTimers.push(event.timerId);
    } else {
      const status = terminalStatusOf(event, summary.runId);
      if (status !== undefined) {
        summary = { ...summary, status, closeTime: recordedAt };
        runEnded = true;
      }
    }
  }
  if (summary === undefined) throw new Error("planAppend: nothing to append");
  return {
    summary: { ...summary, searchAttributes: attributes },
    attributeChanges,
    releasedTimers,
    runEnded,
  };
}

function inRange(value: number | null, range: WorkflowFilter["startTime"]): boolean {
  if (range === undefined) return true;
  if (value === null) return false;
  if (range.from !== undefined && value < range.from) return false;
  if (range.to !== undefined && value >= range.to) return false;
  return true;
}

/** Whether a summary satisfies every criterion of a (validated) filter. */
export function matchesFilter(summary: WorkflowSummary, filter: WorkflowFilter): boolean {
  if (filter.namespace !== undefined && summary.namespace !== filter.namespace) return false;
  const statuses = filterStatuses(filter);
  if (statuses !== undefined && !statuses.includes(summary.status)) return false;
  if (filter.workflowType !== undefined && summary.workflowType !== filter.workflowType) {
    return false;
  }
  if (!inRange(summary.startTime, filter.startTime)) return false;
  if (!inRange(summary.closeTime, filter.closeTime)) return false;
  for (const [name, value] of Object.entries(filter.searchAttributes ?? {})) {
    if (summary.searchAttributes[name] !== value) return false;
  }
  return true;
}

/** Ascending order of sort keys: start time, then workflow id (code units). */
function compareKeys(a: QueryCursor, b: QueryCursor): number {
  if (a.startTime !== b.startTime) return a.startTime - b.startTime;
  return a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0;
}

/** Result order of `query` in `filter.order`: start time, then workflow id. */
export function summaryOrder(
  filter: WorkflowFilter,
): (a: WorkflowSummary, b: WorkflowSummary) => number {
  return filter.order === "desc" ? (a, b) => compareKeys(b, a) : compareKeys;
}

/** Whether a summary lies strictly after `filter.after` in `filter.order` (true without one). */
export function isAfterCursor(summary: WorkflowSummary, filter: WorkflowFilter): boolean {
  if (filter.after === undefined) return true;
  const c = compareKeys(summary, filter.after);
  return filter.order === "desc" ? c < 0 : c > 0;
}

/** A count of zero for every status, to fill in from a grouped count. */
export function zeroCounts(): Record<WorkflowStatus, number> {
  return Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])) as Record<WorkflowStatus, number>;
}

/** Counts from `(status, count)` rows; a status the build does not know is corrupt data. */
export function countsFromRows(
  rows: Iterable<{ status: string; n: number | string }>,
): StatusCounts {
  const counts = zeroCounts();
  for (const row of rows) {
    if (!(row.status in counts)) {
      throw new CorruptRowError("workflows", "(status count)", 0, `unknown status ${row.status}`);
    }
    counts[row.status as WorkflowStatus] += Number(row.n);
  }
  return counts;
}

/**
 * Groups from `(status, workflow_type, count)` rows, in the contract's order
 * (status, then type by code units; the databases' collations differ, so
 * the sort happens here, over a few groups). Rows of one group are summed;
 * a status the build does not know is corrupt data.
 */
export function statusTypeCountsFromRows(
  rows: Iterable<{ status: string; workflow_type: string; n: number | string }>,
): StatusTypeCount[] {
  const known = zeroCounts();
  const groups = new Map<string, { status: WorkflowStatus; workflowType: string; count: number }>();
  for (const row of rows) {
    if (!(row.status in known)) {
      throw new CorruptRowError("workflows", "(status count)", 0, `unknown status ${row.status}`);
    }
    const key = `${row.status}\u0000${row.workflow_type}`;
    const group = groups.get(key);
    if (group !== undefined) group.count += Number(row.n);
    else {
      groups.set(key, {
        status: row.status as WorkflowStatus,
        workflowType: row.workflow_type,
        count: Number(row.n),
      });
    }
  }
  const byUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()]
    .filter((g) => g.count > 0)
    .sort((a, b) => byUnits(a.status, b.status) || byUnits(a.workflowType, b.workflowType));
}
