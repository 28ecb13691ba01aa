/**
 * `spawn_child/3` and `await_child/1`.
 *
 * Record-then-spawn: `ChildWorkflowStarted` is durable before the child
 * starts (with retries until its history exists). The child id is the
 * config's `workflow_id` or `<parent id>/child-<n>`. `await_child` answers
 * `{ok, <<"ok:", Result/binary>>}` or `{ok, <<"error:", Message/binary>>}`
 * once the child's final run (after continue-as-new) has ended.
 */
import type { NativeFn } from "../../vm/index.ts";
import type { AwaitSpec } from "../run/run-state.ts";
import { errorTerm, okTerm, payloadFromText, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

export function childAwait(childId: string): AwaitSpec {
  return {
    native: "await_child",
    resolve: (run) => {
      const s = run.index.children.get(childId)?.settled;
      if (s === undefined || s === null) return undefined;
      return { seq: s.seq, value: okTerm(`${s.ok ? "ok" : "error"}:${s.text}`) };
    },
  };
}

function configuredId(config: string): string | undefined {
  try {
    const v = JSON.parse(config) as Record<string, unknown>;
    return typeof v.workflow_id === "string" && v.workflow_id !== "" ? v.workflow_id : undefined;
  } catch {
    return undefined;
  }
}

export function childNatives(env: NativeEnv): Record<string, NativeFn> {
  const core = env.core;
  return {
    "spawn_child/3": (p, typeT, inputT, configT) => {
      const e = enter(env, p, "spawn_child", "recording");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const type = textOf(typeT);
      const input = textOf(inputT);
      if (type === undefined || input === undefined)
        return errorTerm("spawn_child: invalid arguments");
      // Checked live only: a replay resolves from the recorded start whatever is registered now.
      if (!run.replaying && !core.types.has(type))
        return errorTerm(`unknown_workflow_type:${type}`);
      const n = ++run.ordinals.child;
      const childId = configuredId(textOf(configT) ?? "") ?? `${run.workflowId}/child-${n}`;
      return core.command(
        run,
        p,
        [
          {
            kind: "ChildWorkflowStarted",
            childWorkflowId: childId,
            workflowType: type,
            input: payloadFromText(input),
          },
        ],
        () => {
          const c = run.index.children.get(childId);
          if (c !== undefined && c.settled === null)
            env.children.ensureStarted(run.workflowId, childId, type, c.input);
          return { kind: "value", value: okTerm(childId) };
        },
      );
    },
    "await_child/1": (p, idT) => {
      const e = enter(env, p, "await_child", "await");
      if (e.result !== undefined) return e.result;
      const id = textOf(idT);
      if (id === undefined || !e.run.index.children.has(id)) return errorTerm("unknown child");
      return core.steps.finishSync(core.steps.awaitStep(e.run, childAwait(id)));
    },
  };
}
