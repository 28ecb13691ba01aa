/**
 * The engine's epoch: every asynchronous task it starts is tracked, and
 * `close` refuses new ones and waits until every tracked task has settled.
 * Nothing the engine started can append after `shutdown()` returns.
 */
import { EngineShutDownError } from "../errors.ts";

export class TaskTracker {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closedFlag = false;
  private readonly closeHooks = new Set<() => void>();

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Throws EngineShutDownError once the epoch is closed. */
  ensureOpen(): void {
    if (this.closedFlag) throw new EngineShutDownError();
  }

  /** Tracks a task; its rejection is reported to `onError`, never unhandled. */
  track(task: Promise<unknown>, onError: (e: unknown) => void): void {
    const p = task.catch((e) => {
      if (!(e instanceof EngineShutDownError)) onError(e);
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Called once when the epoch closes (to cancel timers, abort work...); returns an unsubscribe. */
  onClose(hook: () => void): () => void {
    this.closeHooks.add(hook);
    return () => this.closeHooks.delete(hook);
  }

  /** Closes the epoch and waits for every tracked task, including ones they start. */
  async close(): Promise<void> {
    if (!this.closedFlag) {
      this.closedFlag = true;
      for (const h of [...this.closeHooks]) h();
      this.closeHooks.clear();
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
