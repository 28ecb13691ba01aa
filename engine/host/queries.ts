/**
 * Queries from outside: queued on the run, announced with the wake marker,
 * handed to the workflow as the `aion_query:` sentinel at its next await (or
 * at once when it is parked in one), answered by `reply_query`. Nothing is
 * recorded; a late reply fails harmlessly.
 */
import type { EngineCore } from "../core.ts";
import {
  AlreadyTerminalError,
  QueryFailedError,
  QueryRejectedError,
  QueryTimeoutError,
  UnknownQueryError,
} from "../errors.ts";
import type { PendingQuery } from "../run/run-state.ts";

/** Sends a query to a running workflow and waits for its reply (the reply text). */
export async function runQuery(
  core: EngineCore,
  workflowId: string,
  name: string,
  payload: string,
  timeoutMs: number,
): Promise<string> {
  core.tasks.ensureOpen();
  await core.requireRunning(workflowId);
  const queryId = core.newId();
  const clock = core.clock;
  return new Promise<string>((resolve, reject) => {
    let done = false;
    const timer = clock.schedule(clock.now() + timeoutMs, () => {
      const run = core.runs.get(workflowId);
      if (run !== undefined) {
        const i = run.queuedQueries.findIndex((q) => q.queryId === queryId);
        if (i >= 0) run.queuedQueries.splice(i, 1);
        run.answering.delete(queryId);
      }
      finish({ ok: false, reason: `timeout:${timeoutMs}` });
    });
    const finish: PendingQuery["settle"] = (o) => {
      if (done) return;
      done = true;
      clock.cancel(timer);
      unsubscribe();
      if (o.ok) resolve(o.text);
      else if (o.reason.startsWith("unknown:")) reject(new UnknownQueryError(workflowId, name));
      else if (o.reason.startsWith("handler_failed:"))
        reject(new QueryFailedError(workflowId, name, o.reason.slice("handler_failed:".length)));
      else if (o.reason.startsWith("timeout:"))
        reject(new QueryTimeoutError(workflowId, name, timeoutMs));
      else reject(new QueryRejectedError(workflowId, o.reason));
    };
    const q: PendingQuery = { queryId, name, payload, settle: finish };
    const unsubscribe = core.tasks.onClose(() => finish({ ok: false, reason: "engine shut down" }));
    core
      .withRun(workflowId, (run) => {
        if (run.terminal) throw new AlreadyTerminalError(workflowId, "ended");
        run.queuedQueries.push(q);
        core.steps.wakeForQuery(run);
        return true;
      })
      .then(
        (queued) => {
          if (queued === undefined) finish({ ok: false, reason: "workflow is not running" });
        },
        (e: unknown) => {
          if (!done) {
            done = true;
            clock.cancel(timer);
            reject(e);
          }
        },
      );
  });
}
