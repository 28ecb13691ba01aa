/**
 * Callers waiting for a workflow's final outcome (`engine.result`). The
 * history is read after registering, so a terminal recorded in between is
 * never missed; continue-as-new keeps the waiter for the next run.
 */
import { EngineShutDownError, UnknownWorkflowError } from "../errors.ts";
import { finalOutcome, type WorkflowOutcome } from "../outcome.ts";
import type { EventStore } from "../store/index.ts";

interface Waiter {
  readonly resolve: (o: WorkflowOutcome) => void;
  readonly reject: (e: unknown) => void;
}

export class ResultWaiters {
  private readonly waiters = new Map<string, Waiter[]>();

  constructor(private readonly store: EventStore) {}

  /** Resolves with the final outcome of the workflow's run chain. */
  async wait(workflowId: string, ensureOpen: () => void): Promise<WorkflowOutcome> {
    const history = await this.store.readHistory(workflowId);
    if (history.length === 0) throw new UnknownWorkflowError(workflowId);
    const done = finalOutcome(history);
    if (done !== undefined) return done;
    ensureOpen();
    return new Promise<WorkflowOutcome>((resolve, reject) => {
      const list = this.waiters.get(workflowId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(workflowId, list);
      void this.store.readHistory(workflowId).then((h) => {
        const o = finalOutcome(h);
        if (o !== undefined) resolve(o);
      }, reject);
    });
  }

  /** A final outcome was recorded. */
  notify(workflowId: string, o: WorkflowOutcome): void {
    const list = this.waiters.get(workflowId);
    this.waiters.delete(workflowId);
    for (const w of list ?? []) w.resolve(o);
  }

  /** The engine shuts down: every waiter is rejected. */
  rejectAll(): void {
    for (const list of this.waiters.values())
      for (const w of list) w.reject(new EngineShutDownError());
    this.waiters.clear();
  }
}
