/**
 * `dispatch_activity/3`, `dispatch_activity_in_vm/4`, `await_activity_result/1`.
 *
 * Dispatch records `ActivityScheduled` (the correlation id is the activity
 * id, derived from the run's dispatch ordinal) and starts the activity unless
 * history already holds its outcome. The await answers `{ok, ResultJson}` or
 * `{error, Message}` from the recorded outcome.
 */

import type { Term } from "../../terms/index.ts";
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
