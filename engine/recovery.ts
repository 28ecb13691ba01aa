/**
 * Startup recovery, run by `Engine.open` (and callable again: it is
 * idempotent):
 *
 * 1. every active workflow is replayed into residency; loading a run re-arms
 *    its pending timers (due ones fire at once), restarts its unfinished
 *    activities as the replay reaches them, and arms a spawn-retry plus a
 *    watcher for each child without a parent-side outcome (a child recorded
 *    but never spawned starts now);
 * 2. workflow-timeout timers are re-armed from the store's timer table;
 * 3. every workflow whose latest run continued as new but whose successor
 *    was never started gets its successor now.
 *
 * Only workflows of shards this process owns are touched (all of them for
 * the embedded engine); `shards` narrows it further to shards just taken
 * over from a dead owner (failover: the same steps, for those shards), and
 * `workflowIds` to the named workflows (`Engine.resume`).
 */
import type { EngineCore } from "./core.ts";
import { errorText, TIMEOUT_TIMER_PREFIX } from "./core.ts";
import { DuplicateWorkflowError } from "./errors.ts";
import { latestRunStart } from "./outcome.ts";
import { payloadText } from "./terms.ts";

/** What a recovery pass did. */
export interface RecoveryReport {
  /** Workflows replayed into residency. */
  readonly resumed: readonly string[];
  /** Continue-as-new successors started. */
  readonly successorsStarted: readonly string[];
  /** Workflows that could not be resumed, with the reason. */
  readonly failed: readonly { readonly workflowId: string; readonly reason: string }[];
}

export async function recover(
  core: EngineCore,
  shards?: readonly number[],
  workflowIds?: readonly string[],
): Promise<RecoveryReport> {
  const only = shards === undefined ? undefined : new Set(shards);
  const ids = workflowIds === undefined ? undefined : new Set(workflowIds);
  const mine = (id: string) =>
    core.ownership.owns(id) &&
    (only === undefined || only.has(core.ownership.shardOf(id))) &&
    (ids === undefined || ids.has(id));
  const resumed: string[] = [];
  const failed: { workflowId: string; reason: string }[] = [];
  const successorsStarted: string[] = [];
  for (const id of (await core.store.listActive()).filter(mine)) {
    try {
      const run = await core.withRun(id, (r) => r);
      if (run !== undefined) resumed.push(id);
    } catch (e) {
      failed.push({ workflowId: id, reason: errorText(e) });
    }
  }
  for (const t of await core.store.expiredTimers(Number.MAX_SAFE_INTEGER)) {
    if (t.timerId.startsWith(TIMEOUT_TIMER_PREFIX) && mine(t.workflowId))
      core.timers.arm(t.workflowId, t.timerId, t.fireAt);
  }
  for (const summary of await core.store.query({ status: "ContinuedAsNew" })) {
    const id = summary.workflowId;
    if (!mine(id)) continue;
    const history = await core.store.readHistory(id);
    const start = latestRunStart(history);
    const can = history.findLast((e) => e.event.kind === "WorkflowContinuedAsNew")?.event;
    if (start === undefined || can === undefined || can.kind !== "WorkflowContinuedAsNew") continue;
    const parentRunId = can.parentRunId;
    if (
      history.some((e) => e.event.kind === "WorkflowStarted" && e.event.parentRunId === parentRunId)
    )
      continue;
    try {
      await core.startRun(can.workflowType ?? start.event.workflowType, payloadText(can.input), {
        workflowId: id,
        parentRunId,
      });
      successorsStarted.push(id);
    } catch (e) {
      if (!(e instanceof DuplicateWorkflowError))
        failed.push({ workflowId: id, reason: errorText(e) });
    }
  }
  return { resumed, successorsStarted, failed };
}
