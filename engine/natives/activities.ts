/**
 * `dispatch_activity/3`, `dispatch_activity_in_vm/4`, `await_activity_result/1`.
 *
 * Dispatch records `ActivityScheduled` (the correlation id is the activity
 * id, derived from the run's dispatch ordinal) and starts the activity unless
 * history already holds its outcome. The await answers `{ok, ResultJson}` or
 * `{error, Message}` from the recorded outcome.
 */

import { isFunction, type Term } from "../../terms/index.ts";
import type { NativeFn } from "../../vm/index.ts";
import type { AwaitSpec } from "../run/run-state.ts";
import { errorTerm, okTerm, payloadFromText, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

export function activityAwait(activityId: string): AwaitSpec {
  return {
    native: "await_activity_result",
    resolve: (run) => {
      const s = run.index.activities.get(activityId)?.settled;
      if (s === undefined || s === null) return undefined;
      return { seq: s.seq, value: s.ok ? okTerm(s.text) : errorTerm(s.text) };
    },
  };
}

/** Arity of a fun term (local or export fun). */
function funArity(t: Term): number | undefined {
  return isFunction(t) ? t.arity : undefined;
}

/**
 * Why a dispatch is refused, or undefined. An in-VM dispatch needs a fun of
 * arity 0 (the runner calls it with no arguments); the remote wire refuses a
 * config asking for the in-VM tier, which only `dispatch_activity_in_vm`
 * can serve (it has the code to run).
 */
function refusal(native: string, config: string, thunk: Term | undefined): string | undefined {
  if (native === "dispatch_activity_in_vm")
    return funArity(thunk!) === 0 ? undefined : "invalid_activity:in-VM activity needs a fun/0";
  let tier: unknown;
  try {
    tier = (JSON.parse(config) as { tier?: unknown } | null)?.tier;
  } catch {
    return undefined;
  }
  return tier === "in_vm" ? "invalid_activity:tier in_vm needs dispatch_activity_in_vm" : undefined;
}

export function activityNatives(env: NativeEnv): Record<string, NativeFn> {
  const core = env.core;
  const dispatch = (
    p: Parameters<NativeFn>[0],
    native: string,
    nameT: Term,
    inputT: Term,
    configT: Term,
    thunk?: Term,
  ) => {
    const e = enter(env, p, native, "recording");
    if (e.result !== undefined) return e.result;
    const run = e.run;
    const name = textOf(nameT);
    const input = textOf(inputT);
    const config = textOf(configT) ?? "{}";
    if (name === undefined || input === undefined) return errorTerm(`${native}: invalid arguments`);
    // Refusals record nothing: the workflow sees {error, Reason} and history stays as it was.
    const refused = refusal(native, config, thunk);
    if (refused !== undefined) return errorTerm(refused);
    const activityId = `a-${++run.ordinals.activity}`;
    return core.command(
      run,
      p,
      [
        {
          kind: "ActivityScheduled",
          activityId,
          activityType: name,
          input: payloadFromText(input),
        },
      ],
      () => {
        if (thunk === undefined) env.activities.ensureRunning(run, activityId, config);
        else env.activities.ensureInVm(run, activityId, thunk);
        return { kind: "value", value: okTerm(activityId) };
      },
    );
  };
  return {
    "dispatch_activity/3": (p, n, i, c) => dispatch(p, "dispatch_activity", n, i, c),
    "dispatch_activity_in_vm/4": (p, n, i, c, thunk) =>
      dispatch(p, "dispatch_activity_in_vm", n, i, c, thunk),
    "await_activity_result/1": (p, idT) => {
      const e = enter(env, p, "await_activity_result", "await");
      if (e.result !== undefined) return e.result;
      const id = textOf(idT);
      if (id === undefined || !e.run.index.activities.has(id))
        return errorTerm("terminal:unknown activity correlation");
      return core.steps.finishSync(core.steps.awaitStep(e.run, activityAwait(id)));
    },
  };
}
