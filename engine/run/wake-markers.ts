/**
 * The atoms the engine puts in a workflow's mailbox to announce an arrival,
 * one per kind as the original engine does. None carries data: a marker only
 * wakes a process parked in a raw `receive`; what arrived is read from
 * history by the next await. Keeping the kinds apart matters to workflow
 * code that waits with `receive aion_signal_received -> ok end`: a signal
 * must wake it, a query (or a timer, or an activity result) must not.
 */
import { type Atom, atom, type Term } from "../../terms/index.ts";

/** The marker of each kind of arrival. */
export const WAKE_MARKERS = {
  signal: atom("aion_signal_received"),
  timer: atom("aion_timer_fired"),
  activity: atom("aion_activity_result"),
  query: atom("aion_query"),
} as const;

/** A kind of arrival the engine announces. */
export type ArrivalKind = keyof typeof WAKE_MARKERS;

/**
 * The kind of arrival a recorded event is, or undefined for events that are
 * not arrivals (commands, terminals). Child outcomes are announced as results
 * (`aion_activity_result`): the original names no fifth marker, and a child
 * is work the workflow dispatched, like an activity, not a signal.
 */
export function arrivalKind(eventKind: string): ArrivalKind | undefined {
  switch (eventKind) {
    case "SignalReceived":
      return "signal";
    case "TimerFired":
      return "timer";
    case "ActivityCompleted":
    case "ActivityFailed":
    case "ActivityCancelled":
    case "ChildWorkflowCompleted":
    case "ChildWorkflowFailed":
    case "ChildWorkflowCancelled":
      return "activity";
    default:
      return undefined;
  }
}

const MARKER_SET: ReadonlySet<Term> = new Set(Object.values(WAKE_MARKERS));

/** Whether a message is one of the engine's wake markers. */
export function isWakeMarker(m: Term): m is Atom {
  return MARKER_SET.has(m);
}
