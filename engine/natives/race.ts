/**
 * `await_race/1`: waits for the first of several operations the workflow has
 * already started, activities and child workflows alike, and answers which
 * one settled and how. It is our extension (not in the original contract):
 * the contract's `collect_race/2` dispatches activities itself and nothing
 * there waits for the first of several children. `aion:race/1` uses it for
 * any race that is not activities only (docs/natives.md, docs/authoring.md).
 *
 * It records nothing of its own: the operations were recorded when they
 * started (`ActivityScheduled`, `ChildWorkflowStarted`) and their outcomes
 * are arrivals. The winner is the raced operation whose outcome has the
 * lowest seq in history, so a replay, which sees every outcome of the
 * segment up front, still picks the one the live run saw first.
 *
 * Losers: an activity that lost is cancelled (`ActivityCancelled`, reason
 * `race lost`), as `collect_race/2` does; a child that lost keeps running to
 * its own end (a child is a workflow of its own, with its own id, and the
 * natives have no way for a parent to cancel one). Its outcome is recorded in
 * the parent as usual while the parent runs, so awaiting it later works.
 */

import { listToArray, type Term } from "../../terms/index.ts";
import type { NativeFn } from "../../vm/index.ts";
import type { Settled } from "../run/history-index.ts";
import type { AwaitSpec, WorkflowRun } from "../run/run-state.ts";
import { errorTerm, okTerm, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

/** One raced operation, as the workflow names it. */
export interface RaceHandle {
  readonly kind: "activity" | "child";
  readonly id: string;
}

/**
 * The handles of an `await_race/1` call: each a JSON binary
 * `{"activity": Id}` or `{"child": Id}` naming an operation this run started.
 * Returns the reason as text when an item is malformed or unknown.
 */
export function parseHandles(run: WorkflowRun, list: Term): RaceHandle[] | string {
  const items = listToArray(list);
  if (items === null) return "handles argument is not a proper list";
  if (items.length === 0) return "expected at least one handle";
  const handles: RaceHandle[] = [];
  for (const t of items) {
    const text = textOf(t);
    if (text === undefined) return "handle is not a binary";
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return `handle is not JSON: ${text}`;
    }
    const h = v as Record<string, unknown> | null;
    const keys = h !== null && typeof h === "object" ? Object.keys(h) : [];
    const kind = keys[0];
    const id = kind === undefined ? undefined : h![kind];
    if (keys.length !== 1 || (kind !== "activity" && kind !== "child") || typeof id !== "string")
      return `handle must be {"activity": Id} or {"child": Id}: ${text}`;
    const known = kind === "activity" ? run.index.activities.has(id) : run.index.children.has(id);
    if (!known) return `unknown ${kind} ${id}`;
    handles.push({ kind, id });
  }
  return handles;
}

/** The recorded outcome of a raced operation, if it has one. */
function settledOf(run: WorkflowRun, h: RaceHandle): Settled | null {
  const record =
    h.kind === "activity" ? run.index.activities.get(h.id) : run.index.children.get(h.id);
  return record?.settled ?? null;
}

/**
 * The answer's JSON: which handle won (its 0-based index in the call), and
 * its outcome, `"result"` (JSON text) when it succeeded or `"error"` (the
 * message, or a failed child's error value) when it did not.
 */
function answerJson(index: number, h: RaceHandle, s: Settled): string {
  const outcome = s.ok ? { ok: true, result: s.text } : { ok: false, error: s.text };
  return JSON.stringify({ index, kind: h.kind, id: h.id, ...outcome });
}

/** The await of a race: the raced outcome earliest in history wins. */
export function raceAwait(handles: readonly RaceHandle[], onDecided: () => void): AwaitSpec {
  return {
    native: "await_race",
    resolve: (run) => {
      let winner = -1;
      let first: Settled | null = null;
      for (const [i, h] of handles.entries()) {
        const s = settledOf(run, h);
        if (s !== null && (first === null || s.seq < first.seq)) {
          first = s;
          winner = i;
        }
      }
      if (first === null) return undefined;
      return {
        seq: first.seq,
        value: okTerm(answerJson(winner, handles[winner]!, first)),
        consume: onDecided,
      };
    },
  };
}

/** The `await_race/1` native, bound to one engine's services. */
export function raceNatives(env: NativeEnv): Record<string, NativeFn> {
  return {
    "await_race/1": (p, handlesT) => {
      const e = enter(env, p, "await_race", "await");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const handles = parseHandles(run, handlesT);
      if (typeof handles === "string") return errorTerm(`await_race: ${handles}`);
      // Run once the winner is known, so every raced activity still without an
      // outcome lost. A replay sees the whole segment: it cancels only what the
      // stopped run had not recorded as cancelled yet.
      const cancelLosers = () => {
        const losers = new Set<string>();
        for (const h of handles)
          if (h.kind === "activity" && settledOf(run, h) === null) losers.add(h.id);
        for (const id of losers) env.activities.cancel(run.workflowId, id, "race lost");
      };
      return env.core.steps.finishSync(
        env.core.steps.awaitStep(run, raceAwait(handles, cancelLosers)),
      );
    },
  };
}
