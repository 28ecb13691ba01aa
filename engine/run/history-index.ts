/**
 * What a run's segment says about each operation, indexed by id: timers,
 * activities, children, signals, scopes. Kept up to date as events are
 * appended, so awaits are simple lookups.
 */
import type { EventEnvelope, Payload } from "../events/index.ts";
import { payloadText } from "../terms.ts";

/** How an operation ended, and at which seq (the order arrivals resolve in). */
export interface Settled {
  readonly seq: number;
  readonly ok: boolean;
  /** The result text (JSON) when ok, the error message otherwise. */
  readonly text: string;
}

export interface ActivityRecord {
  readonly activityType: string;
  readonly input: string;
  attempts: number;
  settled: Settled | null;
  cancelled: boolean;
}

export interface ChildRecord {
  readonly workflowType: string;
  readonly input: string;
  settled: Settled | null;
}

export interface TimerRecord {
  /** Seq of its TimerStarted; null for a firing recorded without one. */
  readonly startedSeq: number | null;
  readonly fireAt: number;
  firedSeq: number | null;
  cancelled: boolean;
  /** Seq of its TimerCancelled, if any. */
  cancelledSeq: number | null;
}

export interface SignalRecord {
  readonly seq: number;
  readonly text: string;
}

/** Per-id view of one run's segment. */
export class HistoryIndex {
  readonly timers = new Map<string, TimerRecord>();
  readonly activities = new Map<string, ActivityRecord>();
  readonly children = new Map<string, ChildRecord>();
  readonly signals = new Map<string, SignalRecord[]>();
  /** Recorded scope outcomes (`WithTimeoutCompleted`). */
  readonly scopes = new Map<string, boolean>();

  /** Folds one event of the run's segment into the index. */
  add(env: EventEnvelope): void {
    const e = env.event;
    switch (e.kind) {
      case "TimerStarted":
        this.timers.set(e.timerId, {
          startedSeq: env.seq,
          fireAt: e.fireAt,
          firedSeq: null,
          cancelled: false,
          cancelledSeq: null,
        });
        return;
      case "TimerFired": {
        const t = this.timers.get(e.timerId);
        if (t) t.firedSeq ??= env.seq;
        else
          this.timers.set(e.timerId, {
            startedSeq: null,
            fireAt: env.recordedAt,
            firedSeq: env.seq,
            cancelled: false,
            cancelledSeq: null,
          });
        return;
      }
      case "TimerCancelled": {
        const t = this.timers.get(e.timerId);
        if (t) {
          t.cancelled = true;
          t.cancelledSeq ??= env.seq;
        }
        return;
      }
      case "ActivityScheduled":
        this.activities.set(e.activityId, {
          activityType: e.activityType,
          input: payloadText(e.input),
          attempts: 0,
          settled: null,
          cancelled: false,
        });
        return;
      case "ActivityStarted": {
        const a = this.activities.get(e.activityId);
        if (a) a.attempts = Math.max(a.attempts, e.attempt);
        return;
      }
      case "ActivityCompleted":
        this.settleActivity(e.activityId, { seq: env.seq, ok: true, text: payloadText(e.result) });
        return;
      case "ActivityFailed":
        this.settleActivity(e.activityId, { seq: env.seq, ok: false, text: e.error.message });
        return;
      case "ActivityCancelled": {
        const a = this.activities.get(e.activityId);
        if (a) a.cancelled = true;
        this.settleActivity(e.activityId, {
          seq: env.seq,
          ok: false,
          text: `cancelled:${e.reason}`,
        });
        return;
      }
      case "ChildWorkflowStarted":
        this.children.set(e.childWorkflowId, {
          workflowType: e.workflowType,
          input: payloadText(e.input),
          settled: null,
        });
        return;
      case "ChildWorkflowCompleted":
        this.settleChild(e.childWorkflowId, {
          seq: env.seq,
          ok: true,
          text: payloadText(e.result),
        });
        return;
      case "ChildWorkflowFailed":
        // A child that returned `{error, V}` failed with a fixed message and V
        // as details: the parent gets V (the typed error), as it did before.
        this.settleChild(e.childWorkflowId, {
          seq: env.seq,
          ok: false,
          text: e.error.details !== null ? detailsText(e.error.details) : e.error.message,
        });
        return;
      case "ChildWorkflowCancelled":
        this.settleChild(e.childWorkflowId, {
          seq: env.seq,
          ok: false,
          text: `cancelled:${e.reason}`,
        });
        return;
      case "SignalReceived": {
        const list = this.signals.get(e.signalName) ?? [];
        list.push({ seq: env.seq, text: payloadText(e.payload) });
        this.signals.set(e.signalName, list);
        return;
      }
      case "WithTimeoutCompleted":
        this.scopes.set(e.scopeId, e.timedOut);
        return;
      default:
        return;
    }
  }

  private settleActivity(id: string, s: Settled): void {
    const a = this.activities.get(id);
    if (a && a.settled === null) a.settled = s;
  }

  private settleChild(id: string, s: Settled): void {
    const c = this.children.get(id);
    if (c && c.settled === null) c.settled = s;
  }

  /** Timers started and neither fired nor cancelled. */
  pendingTimers(): [string, TimerRecord][] {
    return [...this.timers].filter(([, t]) => t.firedSeq === null && !t.cancelled);
  }
}

/**
 * The text a parent sees for a child's typed error: the child's `V` as it
 * returned it (a JSON string's value, as `resultText` made it; else the JSON).
 */
function detailsText(details: Payload): string {
  const text = payloadText(details);
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "string" ? v : text;
  } catch {
    return text;
  }
}
