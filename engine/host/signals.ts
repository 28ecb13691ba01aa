/**
 * Signal delivery and its exactly-once rule. A signal is delivered at most
 * once per signal id: the target's history (any run of its chain) holding a
 * SignalReceived with that id means delivered. A workflow's `send_signal`
 * records SignalSent first, then delivers; if the engine stops in between,
 * the delivery is made again when the sender is loaded (only its last
 * recorded command can be such a send: the process resumes from
 * `send_signal` only once the delivery settled) and before the sender is
 * ended from outside (`EngineCore.endFromOutside`).
 *
 * Appends and queue entries stay in the core (`EngineCore.recordSignal`);
 * this module decides when to deliver and tracks the delivery in flight.
 */

import type { EngineCore } from "../core.ts";
import { AlreadyTerminalError } from "../errors.ts";
import type { SignalSent } from "../events/index.ts";
import type { PendingSignal, WorkflowRun } from "../run/run-state.ts";
import { payloadFromText, payloadText } from "../terms.ts";

/** A recorded send that carries its idempotency id. */
export type IdentifiedSend = SignalSent & { readonly signalId: string };

export class SignalDelivery {
  constructor(private readonly core: EngineCore) {
    core.hooks.onLoaded.push((run) => this.redeliverLastSend(run));
  }

  /**
   * Records a signal in the target's history and wakes it; resolves once the
   * SignalReceived is durable. With a `signalId` the delivery is idempotent:
   * a signal whose id the target's history already holds is not recorded
   * again, and the call resolves as delivered.
   * @throws UnknownWorkflowError, AlreadyTerminalError, EngineShutDownError
   */
  async deliver(
    target: string,
    name: string,
    payloadJson: string,
    signalId?: string,
  ): Promise<void> {
    const core = this.core;
    core.tasks.ensureOpen();
    if (signalId !== undefined) {
      // A redelivery usually finds the signal recorded: check without replaying the target.
      const resident = core.runs.get(target);
      const held = resident
        ? resident.receivedSignalIds.has(signalId)
        : await this.historyHoldsSignal(target, signalId);
      if (held) return;
    }
    await core.requireRunning(target);
    const recorded = await core.recordSignal(target, {
      kind: "SignalReceived",
      signalName: name,
      payload: payloadFromText(payloadJson),
      ...(signalId !== undefined ? { signalId } : {}),
    });
    if (!recorded) throw new AlreadyTerminalError(target, "ended");
  }

  /**
   * Delivers a recorded `SignalSent` of `run` (tracked) and marks it as the
   * run's pending signal until the target recorded or refused it. A refusal
   * (unknown or finished target) is logged; the signal stays sent.
   */
  start(run: WorkflowRun, sent: IdentifiedSend): PendingSignal {
    const task = this.deliverSent(sent);
    this.core.track(task, `signal ${sent.signalName} to ${sent.targetWorkflowId}`);
    const pending: PendingSignal = {
      signalId: sent.signalId,
      done: task
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          if (run.pendingSignal === pending) run.pendingSignal = null;
        }),
    };
    run.pendingSignal = pending;
    return pending;
  }

  /** Delivers a recorded send (its payload as recorded). */
  deliverSent(sent: IdentifiedSend): Promise<void> {
    // The target may belong to another process's shard: the router takes it there.
    const router = this.core.router;
    if (router !== undefined && !this.core.ownership.owns(sent.targetWorkflowId)) {
      return router.signal(sent.targetWorkflowId, {
        name: sent.signalName,
        payload: payloadText(sent.payload),
        signalId: sent.signalId,
      });
    }
    return this.deliver(
      sent.targetWorkflowId,
      sent.signalName,
      payloadText(sent.payload),
      sent.signalId,
    );
  }

  /** A loaded run whose last command is a send: the engine may have stopped before delivering it. */
  private redeliverLastSend(run: WorkflowRun): void {
    const last = lastSend(run);
    if (last !== undefined) this.start(run, last);
  }

  private async historyHoldsSignal(workflowId: string, signalId: string): Promise<boolean> {
    const history = await this.core.store.readHistory(workflowId);
    return history.some((e) => e.event.kind === "SignalReceived" && e.event.signalId === signalId);
  }
}

/** The run's last recorded command when it is an identified send. */
export function lastSend(run: WorkflowRun): IdentifiedSend | undefined {
  const last = run.lastCommand()?.event;
  return last?.kind === "SignalSent" && last.signalId !== undefined
    ? { ...last, signalId: last.signalId }
    : undefined;
}
