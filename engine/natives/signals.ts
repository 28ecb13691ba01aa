/**
 * `receive_signal/2` and `send_signal/3`.
 *
 * Signals are arrivals (`SignalReceived`, recorded when they come in) and
 * buffered per name: the n-th `receive_signal(Name)` of a run returns the
 * n-th signal of that name. `send_signal` records `SignalSent` and then
 * delivers (at most once across a crash between the two).
 */
import type { NativeFn } from "../../vm/native.ts";
import type { AwaitSpec } from "../run/run-state.ts";
import { errorTerm, okTerm, payloadFromText, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

export function signalAwait(name: string): AwaitSpec {
  return {
    native: "receive_signal",
    resolve: (run) => {
      const n = run.signalsConsumed.get(name) ?? 0;
      const s = run.index.signals.get(name)?.[n];
      if (s === undefined) return undefined;
      return {
        seq: s.seq,
        value: okTerm(s.text),
        consume: () => run.signalsConsumed.set(name, n + 1),
      };
    },
  };
}

export function signalNatives(
  env: NativeEnv,
  deliver: (target: string, name: string, payload: string) => void,
) {
  const core = env.core;
  const natives: Record<string, NativeFn> = {
    "receive_signal/2": (p, nameT) => {
      const e = enter(env, p, "receive_signal", "await");
      if (e.result !== undefined) return e.result;
      const name = textOf(nameT);
      if (name === undefined) return errorTerm("invalid signal name");
      return core.finishSync(core.awaitStep(e.run, signalAwait(name)));
    },
    "send_signal/3": (p, targetT, nameT, payloadT) => {
      const e = enter(env, p, "send_signal", "recording");
      if (e.result !== undefined) return e.result;
      const target = textOf(targetT);
      const name = textOf(nameT);
      const payload = textOf(payloadT);
      if (target === undefined || name === undefined || payload === undefined)
        return errorTerm("invalid arguments");
      return core.command(
        e.run,
        p,
        [
          {
            kind: "SignalSent",
            targetWorkflowId: target,
            signalName: name,
            payload: payloadFromText(payload),
          },
        ],
        (_recorded, live) => {
          if (live) deliver(target, name, payload);
          return { kind: "value", value: okTerm("delivered") };
        },
      );
    },
  };
  return natives;
}
