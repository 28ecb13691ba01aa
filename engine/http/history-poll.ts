/**
 * The long poll behind `GET /v1/workflows/:id/history?after=SEQ&wait=MS`:
 * the events after a seq, or, when there are none yet, the first ones to
 * arrive within the wait. It is how a client follows a workflow whose id the
 * event stream cannot carry (the stream's wire format requires UUIDs), so
 * it gives the same guarantees a reconnecting stream does: contiguous, no
 * duplicates, resumable from the last seq seen.
 *
 * This engine's own appends wake a waiting poll at once (`onAppended`);
 * appends by another process sharing the store give no local signal, so a
 * waiting poll also re-reads the store every `recheckMs`.
 */
import type { Engine } from "../engine.ts";
import type { EventEnvelope } from "../events/index.ts";

/** How often a waiting poll re-reads the store, for appends by other processes. */
export const HISTORY_RECHECK_MS = 1000;

/** What a poll needs of the engine: its store and its append notifications. */
export type PollSource = Pick<Engine, "store" | "onAppended">;

/**
 * Events with seq > `after`. With none yet, waits up to `waitMs` for one,
 * unless the workflow has ended (nothing more will come) or `signal` aborts
 * (the client went away); then resolves with none.
 */
export async function historyAfter(
  engine: PollSource,
  workflowId: string,
  after: number,
  waitMs: number,
  signal?: AbortSignal,
  recheckMs: number = HISTORY_RECHECK_MS,
): Promise<readonly EventEnvelope[]> {
  const deadline = Date.now() + waitMs;
  let appended = false;
  let wake: () => void = () => {};
  // Listen before the first read, so an append between read and wait is not missed.
  const detach = engine.onAppended((id) => {
    if (id !== workflowId) return;
    appended = true;
    wake();
  });
  const onAbort = (): void => wake();
  signal?.addEventListener("abort", onAbort);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      appended = false;
      // The summary first: if it says the run has ended, the read after it
      // holds every event there will ever be.
      const summary = await engine.store.describe(workflowId);
      const events = await engine.store.readHistoryFrom(workflowId, after + 1);
      if (events.length > 0) return events;
      const remaining = deadline - Date.now();
      if (summary?.status !== "Running" || remaining <= 0 || signal?.aborted) return [];
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (appended) resolve();
        timer = setTimeout(resolve, Math.min(remaining, recheckMs));
      });
      clearTimeout(timer);
    }
  } finally {
    clearTimeout(timer);
    detach();
    signal?.removeEventListener("abort", onAbort);
  }
}
