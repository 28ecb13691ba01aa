/**
 * `workflow_id/0`, `now/0`, `random/0`, `random_int/2`,
 * `query_recorded_observations/0`.
 *
 * A deterministic observation is recorded once, in one append, as an
 * `ActivityScheduled` (type `aion.now`, `aion.random`, `aion.random_int`)
 * with its `ActivityCompleted` value; replay returns the recorded value.
 */

import type { Term } from "../../terms/index.ts";
import type { NativeFn, Process } from "../../vm/index.ts";
import { jsonPayload } from "../events/index.ts";
import type { WorkflowRun } from "../run/run-state.ts";
import { errorTerm, okTerm, payloadFromText, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

function observe(
  env: NativeEnv,
  p: Process,
  native: string,
  type: string,
  input: unknown,
  value: () => string,
) {
  const e = enter(env, p, native, "recording");
  if (e.result !== undefined) return e.result;
  const run: WorkflowRun = e.run;
  const activityId = `side-${++run.ordinals.side}`;
  return env.core.command(
    run,
    p,
    [
      { kind: "ActivityScheduled", activityId, activityType: type, input: jsonPayload(input) },
      { kind: "ActivityCompleted", activityId, result: payloadFromText(value()) },
    ],
    () => {
      const settled = run.index.activities.get(activityId)?.settled;
      return {
        kind: "value",
        value: settled ? okTerm(settled.text) : errorTerm("replay:missing observation"),
      };
    },
  );
}

export function determinismNatives(env: NativeEnv): Record<string, NativeFn> {
  return {
    "workflow_id/0": (p) => {
      const e = enter(env, p, "workflow_id", "plain");
      return e.result ?? okTerm(e.run.workflowId);
    },
    "now/0": (p) => observe(env, p, "now", "aion.now", {}, () => String(env.core.wallNow())),
    "random/0": (p) =>
      observe(env, p, "random", "aion.random", {}, () => String(env.core.random())),
    "random_int/2": (p, minT: Term, maxT: Term) => {
      const min = Number(textOf(minT));
      const max = Number(textOf(maxT));
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
        return errorTerm("invalid range");
      }
      return observe(env, p, "random_int", "aion.random_int", { min, max }, () =>
        String(min + Math.floor(env.core.random() * (max - min + 1))),
      );
    },
    "query_recorded_observations/0": (p) => {
      const e = enter(env, p, "query_recorded_observations", "plain");
      return e.result ?? okTerm(String(e.run.head));
    },
  };
}
