/**
 * Host-side timers of workflows: one clock timer per (workflow id, timer id),
 * armed from history (`TimerStarted`) or the store's timer table and fired
 * into the engine, which records `TimerFired`. Arming is idempotent.
 */
import type { Clock, TimerHandle } from "../../vm/index.ts";

export class TimerService {
  private readonly armed = new Map<string, TimerHandle>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (workflowId: string, timerId: string) => void,
  ) {}

  /** Arms a timer due at `fireAt` (wall-clock ms); a past deadline fires at once. */
  arm(workflowId: string, timerId: string, fireAt: number): void {
    const key = `${workflowId}\u0000${timerId}`;
    if (this.closed || this.armed.has(key)) return;
    const delay = Math.max(0, fireAt - this.clock.wallNow());
    const handle = this.clock.schedule(this.clock.now() + delay, () => {
      this.armed.delete(key);
      if (!this.closed) this.fire(workflowId, timerId);
    });
    this.armed.set(key, handle);
  }

  disarm(workflowId: string, timerId: string): void {
    const key = `${workflowId}\u0000${timerId}`;
    const h = this.armed.get(key);
    if (h !== undefined) {
      this.clock.cancel(h);
      this.armed.delete(key);
    }
  }

  /** Disarms every timer of a workflow (its run ended). */
  disarmAll(workflowId: string): void {
    const prefix = `${workflowId}\u0000`;
    for (const [key, h] of this.armed) {
      if (key.startsWith(prefix)) {
        this.clock.cancel(h);
        this.armed.delete(key);
      }
    }
  }

  get size(): number {
    return this.armed.size;
  }

  close(): void {
    this.closed = true;
    for (const h of this.armed.values()) this.clock.cancel(h);
    this.armed.clear();
  }
}
