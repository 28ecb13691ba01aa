/**
 * `continue_as_new/1`: records `WorkflowContinuedAsNew` for this run, ends
 * its process and starts the successor run of the same workflow id (its
 * `WorkflowStarted` names this run as parent). Recovery starts a successor
 * that a crash left unstarted.
 */
import { type NativeFn, SUSPEND } from "../../vm/index.ts";
import { runOutcome } from "../outcome.ts";
import { errorTerm, payloadFromText, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

export function lifecycleNatives(env: NativeEnv): Record<string, NativeFn> {
  const core = env.core;
  return {
    "continue_as_new/1": (p, inputT) => {
      const e = enter(env, p, "continue_as_new", "recording");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const input = textOf(inputT);
      if (input === undefined) return errorTerm("invalid input");
      const result = core.command(
        run,
        p,
        [
          {
            kind: "WorkflowContinuedAsNew",
            input: payloadFromText(input),
            workflowType: null,
            parentRunId: run.runId,
          },
        ],
        () => {
          // The run ends here: its process never returns from this call.
          run.terminal = true;
          core.teardown(run, "continued as new");
          core.timers.disarmAll(run.workflowId);
          const o = runOutcome(run.events, run.runId);
          if (o !== undefined) core.afterTerminal(run, o);
          return { kind: "park" };
        },
      );
      return result === SUSPEND ? SUSPEND : result;
    },
  };
}
