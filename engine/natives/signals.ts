/**
 * `receive_signal/2` and `send_signal/3`.
 *
 * Signals are arrivals (`SignalReceived`, recorded when they come in) and
 * buffered per name: the n-th `receive_signal(Name)` of a run returns the
 * n-th signal of that name.
 *
 * `send_signal` is exactly-once: it records `SignalSent` with a deterministic
 * id (`<workflowId>/<runId>/signal-<n>`, n counting the run's sends), then
 * delivers it idempotently (the target records a given id once) and resumes
 * the process only when the delivery settled. So only the last recorded
 * command of a run can be an undelivered signal; loading the run (recovery,
 * rehydration) delivers that one again, and its replayed call waits for it.
 */
import type { NativeFn } from "../../vm/index.ts";
import type { AwaitSpec, PendingSignal, Step } from "../run/run-state.ts";
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

export function signalNatives(env: NativeEnv) {
  const core = env.core;
  const natives: Record<string, NativeFn> = {
    "receive_signal/2": (p, nameT) => {
      const e = enter(env, p, "receive_signal", "await");
      if (e.result !== undefined) return e.result;
      const name = textOf(nameT);
      if (name === undefined) return errorTerm("invalid signal name");
      return core.steps.finishSync(core.steps.awaitStep(e.run, signalAwait(name)));
    },
    "send_signal/3": (p, targetT, nameT, payloadT) => {
      const e = enter(env, p, "send_signal", "recording");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      const target = textOf(targetT);
      const name = textOf(nameT);
      const payload = textOf(payloadT);
      if (target === undefined || name === undefined || payload === undefined)
        return errorTerm("invalid arguments");
      const signalId = `${run.workflowId}/${run.runId}/signal-${++run.ordinals.signal}`;
      const delivered = okTerm("delivered");
      return core.command(
        run,
        p,
        [
          {
            kind: "SignalSent",
            targetWorkflowId: target,
            signalName: name,
            payload: payloadFromText(payload),
            signalId,
          },
        ],
        (recorded, live): Step => {
          const sent = recorded[0]?.event;
          let pending: PendingSignal | null = null;
          if (sent?.kind === "SignalSent" && sent.signalId !== undefined) {
            if (live) pending = core.signals.start(run, { ...sent, signalId: sent.signalId });
            // Replayed: the last recorded send may still be on its way (redelivered at load).
            else if (run.pendingSignal?.signalId === sent.signalId) pending = run.pendingSignal;
          }
          if (pending === null) return { kind: "value", value: delivered };
          void pending.done.then(() => {
            if (!run.detached && p.isAlive) core.vm.resume(p, delivered);
          });
          return { kind: "park" };
        },
      );
    },
  };
  return natives;
}
