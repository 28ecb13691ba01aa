/** Waiting on the engine's clock, cut short when the epoch closes. */
import type { Clock } from "../../vm/index.ts";
import type { TaskTracker } from "./tasks.ts";

/** Resolves after `ms` on `clock`, or at once when the engine shuts down. */
export function clockDelay(clock: Clock, tasks: TaskTracker, ms: number): Promise<void> {
  if (tasks.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = tasks.onClose(() => {
      clock.cancel(h);
      resolve();
    });
    const h = clock.schedule(clock.now() + ms, () => {
      unsubscribe();
      resolve();
    });
  });
}
