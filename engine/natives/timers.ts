/**
 * Durable timers: `sleep/1`, `start_timer/2`, `cancel_timer/1`, and the
 * scope natives behind `with_timeout/2` (`'$scope_enter'/1`,
 * `'$scope_exit'/2`, `'$scope_abandon'/1`), which `aion_flow_support`
 * drives around the wrapped fun.
 *
 * A timer is `TimerStarted` plus a durable timer row, in one append; the
 * host fires it into `TimerFired`. A scope's deadline is a timer too: an await
 * inside the scope whose deadline fired first (by seq) throws
 * `{aion_scope_timeout, ScopeId}` back to the scope.
 */

import { A, type Term } from "../../terms/index.ts";
import type { NativeFn, Process } from "../../vm/index.ts";
import { parseDuration } from "../duration.ts";
import type { AwaitSpec, WorkflowRun } from "../run/run-state.ts";
import { errorTerm, okTerm, textOf } from "../terms.ts";
import { enter, type NativeEnv, takeReentry } from "./context.ts";

function durationOf(t: Term): number | undefined {
  const text = textOf(t);
  return text === undefined ? undefined : parseDuration(text);
}

function timerAwait(timerId: string): AwaitSpec {
  return {
    native: "sleep",
    resolve: (run) => {
      const t = run.index.timers.get(timerId);
      if (t === undefined || t.firedSeq === null) return undefined;
      return { seq: t.firedSeq, value: okTerm("fired") };
    },
  };
}

function recordedFireAt(run: WorkflowRun, timerId: string, fallback: number): number {
  return run.index.timers.get(timerId)?.fireAt ?? fallback;
}

/** Records a timer (or matches it on replay), arms it, then continues. */
function startTimer(
  env: NativeEnv,
  run: WorkflowRun,
  p: Process,
  timerId: string,
  ms: number,
  then: () => ReturnType<WorkflowRun["evaluate"]>,
) {
  const fireAt = env.core.wallNow() + ms;
  return env.core.command(
    run,
    p,
    [{ kind: "TimerStarted", timerId, fireAt }],
    () => {
      const t = run.index.timers.get(timerId);
      if (t !== undefined && t.firedSeq === null && !t.cancelled) {
        env.core.timers.arm(run.workflowId, timerId, recordedFireAt(run, timerId, fireAt));
      }
      return then();
    },
    [{ timerId, fireAt }],
  );
}

export function timerNatives(env: NativeEnv): Record<string, NativeFn> {
  const core = env.core;
  return {
    "sleep/1": (p, d) => {
      const e = enter(env, p, "sleep", "recording-await");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const again = takeReentry(run, "sleep");
      if (again !== undefined)
        return core.steps.finishSync(core.steps.awaitStep(run, timerAwait(again), again));
      const ms = durationOf(d);
      if (ms === undefined) return errorTerm("invalid duration");
      const timerId = `sleep-${++run.ordinals.sleep}`;
      return startTimer(env, run, p, timerId, ms, () =>
        core.steps.awaitStep(run, timerAwait(timerId), timerId),
      );
    },
    "start_timer/2": (p, id, d) => {
      const e = enter(env, p, "start_timer", "recording");
      if (e.result !== undefined) return e.result;
      const timerId = textOf(id);
      const ms = durationOf(d);
      if (timerId === undefined || timerId === "" || timerId.startsWith("$"))
        return errorTerm("invalid timer");
      if (ms === undefined) return errorTerm("invalid timer duration");
      // Only a timer started by an earlier call counts: on replay the index
      // already holds the TimerStarted this very call is about to match.
      const t = e.run.index.timers.get(timerId);
      if (t !== undefined && (t.startedSeq === null || e.run.reached(t.startedSeq)))
        return errorTerm(`timer_exists:${timerId}`);
      return startTimer(env, e.run, p, timerId, ms, () => ({
        kind: "value",
        value: okTerm(timerId),
      }));
    },
    "cancel_timer/1": (p, id) => {
      const e = enter(env, p, "cancel_timer", "recording");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const timerId = textOf(id);
      const t = timerId === undefined ? undefined : run.index.timers.get(timerId);
      // Decided on the commands earlier calls recorded only (never on whether it
      // fired, nor on what later recorded calls did), so replay agrees.
      const started = t !== undefined && (t.startedSeq === null || run.reached(t.startedSeq));
      const cancelled = t?.cancelledSeq != null && run.reached(t.cancelledSeq);
      if (timerId === undefined || !started || cancelled) return okTerm("cancelled-or-no-op");
      return core.command(run, p, [{ kind: "TimerCancelled", timerId }], () => {
        core.timers.disarm(run.workflowId, timerId);
        return { kind: "value", value: okTerm("cancelled-or-no-op") };
      });
    },
    "$scope_enter/1": (p, d) => {
      const e = enter(env, p, "with_timeout", "recording");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const ms = durationOf(d);
      if (ms === undefined) return errorTerm("invalid duration");
      const scopeId = `scope-${++run.ordinals.scope}`;
      return startTimer(env, run, p, scopeId, ms, () => {
        run.scopes.push({ scopeId, timerId: scopeId });
        return { kind: "value", value: okTerm(scopeId) };
      });
    },
    "$scope_exit/2": (p, id, timedOutT) => {
      const e = enter(env, p, "with_timeout", "recording");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const scopeId = textOf(id) ?? "";
      popScope(run, scopeId);
      const timedOut = timedOutT === A.true;
      return core.command(
        run,
        p,
        [{ kind: "WithTimeoutCompleted", scopeId, timedOut }],
        (recorded) => {
          const ev = recorded[0]?.event;
          const outcome = ev?.kind === "WithTimeoutCompleted" ? ev.timedOut : timedOut;
          disarmScope(env, run, scopeId);
          return { kind: "value", value: okTerm(outcome ? "timed_out" : "completed") };
        },
      );
    },
    "$scope_abandon/1": (p, id) => {
      const e = enter(env, p, "with_timeout", "plain");
      if (e.result !== undefined) return e.result;
      const scopeId = textOf(id) ?? "";
      popScope(e.run, scopeId);
      disarmScope(env, e.run, scopeId);
      return A.ok;
    },
  };
}

function popScope(run: WorkflowRun, scopeId: string): void {
  const i = run.scopes.findIndex((s) => s.scopeId === scopeId);
  if (i >= 0) run.scopes.splice(i);
}

/** A finished scope's deadline is dropped without an event (it no longer matters). */
function disarmScope(env: NativeEnv, run: WorkflowRun, scopeId: string): void {
  env.core.timers.disarm(run.workflowId, scopeId);
  if (!run.replaying) {
    const task = env.core.store.cancelTimer(run.workflowId, scopeId);
    env.core.track(task, `dropping scope timer ${scopeId}`);
  }
}
