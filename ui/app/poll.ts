/**
 * Live updates of one workflow by long-polling its history
 * (`GET /v1/workflows/:id/history?after=SEQ&wait=MS`, docs/api.md): the
 * fallback for ids the event stream cannot carry (its wire format requires
 * UUIDs). Same contract as `followWorkflow` in stream.ts: `onEvent` for each
 * new event in seq order, `onEnd` once when the workflow has ended (complete)
 * or polling gave up (not complete).
 */
import { ApiCallError, api } from "./api.ts";
import type { StreamEnd } from "./stream.ts";

/** How long the server holds one poll open when nothing happens. */
export const POLL_WAIT_MS = 25_000;
/** Failed polls in a row (network or server errors) before giving up. */
const MAX_FAILURES = 5;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows workflow `id` from seq `fromSeq`; returns the function that stops following. */
export function pollWorkflow(
  id: string,
  namespace: string,
  fromSeq: number,
  onEvent: (e: { seq: number; kind: string }) => void,
  onEnd: (end: StreamEnd) => void,
): () => void {
  let stopped = false;
  let after = fromSeq - 1;
  const run = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      try {
        const events = await api.historyAfter(id, namespace, after, POLL_WAIT_MS);
        failures = 0;
        if (stopped) return;
        for (const e of events) {
          after = Math.max(after, e.seq);
          onEvent({ seq: e.seq, kind: e.kind });
        }
        // The server answers with nothing when its wait ran out, or at once
        // when the workflow has ended: only the latter ends following.
        if (events.length === 0 && (await api.describe(id, namespace)).status !== "Running") {
          if (!stopped) onEnd({ complete: true, message: "ended" });
          return;
        }
      } catch (e) {
        if (stopped) return;
        failures++;
        // A refusal (bad token, lost grant) will not change by asking again.
        const refused = e instanceof ApiCallError && e.status >= 400 && e.status < 500;
        if (refused || failures >= MAX_FAILURES) {
          onEnd({ complete: false, message: (e as Error).message });
          return;
        }
        await pause(1000 * failures);
      }
    }
  };
  void run();
  return () => {
    stopped = true;
  };
}
