/**
 * The `aion_flow_ffi` native module: every function of the native contract,
 * bound to one engine. `with_timeout/2` is a control native that transfers to
 * `aion_flow_support:with_timeout/2` so the wrapped fun runs on the workflow
 * process.
 */
import { defineNatives, invoke, type NativeModule } from "../../vm/index.ts";
import { activityNatives } from "./activities.ts";
import { childNatives } from "./children.ts";
import { collectNatives } from "./collect.ts";
import type { NativeEnv } from "./context.ts";
import { determinismNatives } from "./determinism.ts";
import { lifecycleNatives } from "./lifecycle.ts";
import { queryNatives } from "./queries.ts";
import { raceNatives } from "./race.ts";
import { signalNatives } from "./signals.ts";
import { timerNatives } from "./timers.ts";

export type { NativeEnv } from "./context.ts";

/** Builds the natives of one engine. */
export function aionFlowFfiNatives(env: NativeEnv): NativeModule {
  return defineNatives(
    "aion_flow_ffi",
    {
      ...determinismNatives(env),
      ...timerNatives(env),
      ...signalNatives(env),
      ...queryNatives(env),
      ...activityNatives(env),
      ...childNatives(env),
      ...collectNatives(env),
      // Ours, not the original's: the first of several started activities and children.
      ...raceNatives(env),
      ...lifecycleNatives(env),
    },
    {
      "with_timeout/2": (p, args, returnPc) => {
        const x = p.vm.x;
        x[0] = args[0]!;
        x[1] = args[1]!;
        return invoke(p, p.vm.exports.lookup("aion_flow_support", "with_timeout", 2), 2, returnPc);
      },
    },
  );
}
