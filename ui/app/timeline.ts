/**
 * Groups a workflow's history into the console's timeline: each run (a
 * continue-as-new chain shares one history), each activity with its
 * attempts and durations, each timer with its fire time, signals, children
 * with their outcome, and how each run ended. Pure: the history in, items
 * out, so the grouping is unit-tested without a browser.
 *
 * Activity attempts: the engine records an `ActivityStarted` per attempt and
 * only the final outcome, so an attempt ends when the next one starts (it
 * failed and was retried) or at the activity's outcome.
 */
import type { HistoryEvent, RecordedError } from "./wire.ts";

/** One attempt of an activity. */
export interface Attempt {
  readonly attempt: number;
  readonly startedAt: number;
  /** Undefined while the attempt runs. */
  readonly endedAt: number | undefined;
  readonly outcome: "running" | "retried" | "completed" | "failed" | "cancelled";
}

/** Where something stands: still open, or how it ended. */
export type ItemState =
  | "pending"
  | "completed"
  | "failed"
  | "cancelled"
  | "fired"
  /** A timer still pending when its run ended (e.g. a `with_timeout` deadline that lost). */
  | "unfired";

export interface RunItem {
  readonly type: "run";
  readonly seq: number;
  readonly at: number;
  /** 1 for the first run of the chain. */
  readonly runNumber: number;
  readonly runId: string;
  readonly workflowType: string;
  readonly input: unknown;
  readonly packageVersion: string;
}

export interface ActivityItem {
  readonly type: "activity";
  readonly seq: number;
  readonly at: number;
  readonly runNumber: number;
  readonly activityId: string;
  readonly activityType: string;
  readonly input: unknown;
  readonly attempts: readonly Attempt[];
  readonly state: ItemState;
  readonly result?: unknown;
  readonly error?: RecordedError;
  readonly reason?: string;
  readonly endedAt: number | undefined;
  /** Scheduled to outcome; undefined while pending. */
  readonly durationMs: number | undefined;
}

export interface TimerItem {
  readonly type: "timer";
  readonly seq: number;
  readonly at: number;
  readonly runNumber: number;
  readonly timerId: string;
  readonly fireAt: number;
  readonly state: ItemState;
  readonly endedAt: number | undefined;
}

export interface SignalItem {
  readonly type: "signal";
  readonly seq: number;
  readonly at: number;
  readonly runNumber: number;
  readonly name: string;
  readonly payload: unknown;
  /** Set for a signal this workflow sent to another one. */
  readonly target?: string;
}

export interface ChildItem {
  readonly type: "child";
  readonly seq: number;
  readonly at: number;
  readonly runNumber: number;
  readonly childWorkflowId: string;
  readonly workflowType: string;
  readonly input: unknown;
  readonly state: ItemState;
  readonly result?: unknown;
  readonly error?: RecordedError;
  readonly reason?: string;
  readonly endedAt: number | undefined;
}

export interface EndItem {
  readonly type: "end";
  readonly seq: number;
  readonly at: number;
  readonly runNumber: number;
  /** The event kind that ended the run (`WorkflowCompleted`, ...). */
  readonly kind: string;
  readonly result?: unknown;
  readonly error?: RecordedError;
  readonly reason?: string;
  readonly timeoutMs?: number;
  /** For continue-as-new: the next run's input. */
  readonly nextInput?: unknown;
}

/** Any other event (search attributes, timeouts of scopes, schedules), shown as is. */
export interface OtherItem {
  readonly type: "other";
  readonly seq: number;
  readonly at: number;
  readonly runNumber: number;
  readonly event: HistoryEvent;
}

export type TimelineItem =
  | RunItem
  | ActivityItem
  | TimerItem
  | SignalItem
  | ChildItem
  | EndItem
  | OtherItem;

/** Kinds that end a run. */
export const TERMINAL_KINDS: ReadonlySet<string> = new Set([
  "WorkflowCompleted",
  "WorkflowFailed",
  "WorkflowCancelled",
  "WorkflowTimedOut",
  "WorkflowContinuedAsNew",
]);

const str = (v: unknown): string => (typeof v === "string" ? v : String(v));
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

function recordedError(v: unknown): RecordedError {
  if (typeof v === "object" && v !== null && "message" in v) {
    const o = v as { message: unknown; details?: unknown };
    return { message: str(o.message), details: o.details ?? null };
  }
  return { message: str(v), details: null };
}

/** Mutable builders, frozen into items at the end. */
interface ActivityDraft {
  item: ActivityItem;
  attempts: Attempt[];
}

/** Closes the last running attempt of an activity at `at` with `outcome`. */
function closeAttempt(d: ActivityDraft, at: number, outcome: Attempt["outcome"]): void {
  const last = d.attempts[d.attempts.length - 1];
  if (last !== undefined && last.outcome === "running") {
    d.attempts[d.attempts.length - 1] = { ...last, endedAt: at, outcome };
  }
}

/** Groups `history` (in seq order) into timeline items, ordered by their first event. */
export function buildTimeline(history: readonly HistoryEvent[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  /** Activity id (of the current run) to its draft; drafts by item index. */
  const activities = new Map<string, ActivityDraft>();
  const drafts = new Map<number, ActivityDraft>();
  const timers = new Map<string, number>();
  const children = new Map<string, number>();
  let run = 0;
  const replace = (index: number, item: TimelineItem): void => {
    items[index] = item;
  };
  for (const e of history) {
    const at = e.recordedAt;
    const base = { seq: e.seq, at, runNumber: run };
    switch (e.kind) {
      case "WorkflowStarted":
        run++;
        // Ids are per run: a new run starts a-1 and t-1 again.
        activities.clear();
        timers.clear();
        items.push({
          type: "run",
          seq: e.seq,
          at,
          runNumber: run,
          runId: str(e.runId),
          workflowType: str(e.workflowType),
          input: e.input,
          packageVersion: str(e.packageVersion ?? ""),
        });
        break;
      case "ActivityScheduled": {
        const item: ActivityItem = {
          type: "activity",
          ...base,
          activityId: str(e.activityId),
          activityType: str(e.activityType),
          input: e.input,
          attempts: [],
          state: "pending",
          endedAt: undefined,
          durationMs: undefined,
        };
        const draft: ActivityDraft = { item, attempts: [] };
        activities.set(item.activityId, draft);
        drafts.set(items.length, draft);
        items.push(item);
        break;
      }
      case "ActivityStarted": {
        const d = activities.get(str(e.activityId));
        if (d === undefined) {
          items.push({ type: "other", ...base, event: e });
          break;
        }
        closeAttempt(d, at, "retried");
        d.attempts.push({
          attempt: num(e.attempt),
          startedAt: at,
          endedAt: undefined,
          outcome: "running",
        });
        break;
      }
      case "ActivityCompleted":
      case "ActivityFailed":
      case "ActivityCancelled": {
        const d = activities.get(str(e.activityId));
        if (d === undefined) {
          items.push({ type: "other", ...base, event: e });
          break;
        }
        const state: ItemState =
          e.kind === "ActivityCompleted"
            ? "completed"
            : e.kind === "ActivityFailed"
              ? "failed"
              : "cancelled";
        closeAttempt(d, at, state);
        d.item = {
          ...d.item,
          state,
          endedAt: at,
          durationMs: at - d.item.at,
          ...(e.kind === "ActivityCompleted" ? { result: e.result } : {}),
          ...(e.kind === "ActivityFailed" ? { error: recordedError(e.error) } : {}),
          ...(e.kind === "ActivityCancelled" ? { reason: str(e.reason) } : {}),
        };
        break;
      }
      case "TimerStarted":
        timers.set(str(e.timerId), items.length);
        items.push({
          type: "timer",
          ...base,
          timerId: str(e.timerId),
          fireAt: num(e.fireAt),
          state: "pending",
          endedAt: undefined,
        });
        break;
      case "TimerFired":
      case "TimerCancelled": {
        const i = timers.get(str(e.timerId));
        const t = i === undefined ? undefined : items[i];
        if (i === undefined || t?.type !== "timer") {
          items.push({ type: "other", ...base, event: e });
          break;
        }
        replace(i, { ...t, state: e.kind === "TimerFired" ? "fired" : "cancelled", endedAt: at });
        break;
      }
      case "SignalReceived":
        items.push({ type: "signal", ...base, name: str(e.signalName), payload: e.payload });
        break;
      case "SignalSent":
        items.push({
          type: "signal",
          ...base,
          name: str(e.signalName),
          payload: e.payload,
          target: str(e.targetWorkflowId),
        });
        break;
      case "ChildWorkflowStarted":
        children.set(str(e.childWorkflowId), items.length);
        items.push({
          type: "child",
          ...base,
          childWorkflowId: str(e.childWorkflowId),
          workflowType: str(e.workflowType),
          input: e.input,
          state: "pending",
          endedAt: undefined,
        });
        break;
      case "ChildWorkflowCompleted":
      case "ChildWorkflowFailed":
      case "ChildWorkflowCancelled": {
        const i = children.get(str(e.childWorkflowId));
        const c = i === undefined ? undefined : items[i];
        if (i === undefined || c?.type !== "child") {
          items.push({ type: "other", ...base, event: e });
          break;
        }
        replace(i, {
          ...c,
          endedAt: at,
          state:
            e.kind === "ChildWorkflowCompleted"
              ? "completed"
              : e.kind === "ChildWorkflowFailed"
                ? "failed"
                : "cancelled",
          ...(e.kind === "ChildWorkflowCompleted" ? { result: e.result } : {}),
          ...(e.kind === "ChildWorkflowFailed" ? { error: recordedError(e.error) } : {}),
          ...(e.kind === "ChildWorkflowCancelled" ? { reason: str(e.reason) } : {}),
        });
        break;
      }
      default:
        if (TERMINAL_KINDS.has(e.kind)) {
          for (const i of timers.values()) {
            const t = items[i];
            if (t?.type === "timer" && t.state === "pending")
              replace(i, { ...t, state: "unfired" });
          }
          items.push({
            type: "end",
            ...base,
            kind: e.kind,
            ...(e.kind === "WorkflowCompleted" ? { result: e.result } : {}),
            ...(e.kind === "WorkflowFailed" ? { error: recordedError(e.error) } : {}),
            ...(e.kind === "WorkflowCancelled" ? { reason: str(e.reason) } : {}),
            ...(e.kind === "WorkflowTimedOut" ? { timeoutMs: num(e.timeoutMs) } : {}),
            ...(e.kind === "WorkflowContinuedAsNew" ? { nextInput: e.input } : {}),
          });
        } else {
          items.push({ type: "other", ...base, event: e });
        }
    }
  }
  // Activities were kept as drafts so attempts could be appended; write them back.
  return items.map((it, i) => {
    const d = drafts.get(i);
    return d === undefined ? it : { ...d.item, attempts: d.attempts };
  });
}
