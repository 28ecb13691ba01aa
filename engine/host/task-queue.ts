/**
 * Activities this process has no function for: dispatched through a task
 * queue in the store instead of failing. The workflow's owner records
 * `ActivityStarted` (the attempt is dispatched) and queues a task; a worker
 * that runs the type claims it (host/task-worker.ts), runs it, and writes
 * the outcome; the owner, polling, records `ActivityCompleted` or
 * `ActivityFailed`, retrying as the dispatch config's policy says (the same
 * rules as a local activity: run/retry-policy.ts). The history has the same
 * shape either way.
 *
 * One task per (workflow, activity) at a time: an owner that restarts (or
 * takes the shard over) finds the task of the latest recorded attempt and
 * follows it instead of dispatching another attempt.
 */
import type { EngineCore } from "../core.ts";
import { parseDuration } from "../duration.ts";
import type { WorkflowEvent } from "../events/index.ts";
import { afterAttempt, SINGLE_ATTEMPT } from "../run/retry-policy.ts";
import { parseDispatchConfig } from "./dispatch-config.ts";

/** The outcome a worker writes into a task: what one attempt returned. */
export interface AttemptResult {
  readonly ok: boolean;
  /** Result JSON, or the failure reason. */
  readonly text: string;
}

/** The task id of an activity of a workflow. */
export function taskIdOf(workflowId: string, activityId: string): string {
  return `${workflowId}\u001f${activityId}`;
}

/** Task-queue settings of a dispatch config: `task_queue`, `schedule_to_start_timeout`. */
export function queueSettings(configText: string): {
  readonly queue: string | undefined;
  readonly scheduleToStartMs: number | undefined;
} {
  let c: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(configText);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) c = v as Record<string, unknown>;
  } catch {
    // A config that is not JSON carries no settings.
  }
  const queue = typeof c.task_queue === "string" && c.task_queue !== "" ? c.task_queue : undefined;
  const s2s = c.schedule_to_start_timeout ?? c.scheduleToStartTimeoutMs;
  const scheduleToStartMs =
    typeof s2s === "number" && Number.isFinite(s2s)
      ? s2s
      : typeof s2s === "string"
        ? parseDuration(s2s)
        : undefined;
  return { queue, scheduleToStartMs };
}

type Record_ = (events: (attempt: number) => WorkflowEvent[], attempt: number) => Promise<void>;

export class RemoteActivities {
  constructor(private readonly core: EngineCore) {}

  /** Dispatches the activity through its task queue until it has an outcome (or `signal` aborts). */
  async run(
    workflowId: string,
    activityId: string,
    activityType: string,
    inputText: string,
    configText: string,
    firstAttempt: number,
    signal: AbortSignal,
    record: Record_,
  ): Promise<void> {
    const store = this.core.store;
    const taskId = taskIdOf(workflowId, activityId);
    const config = parseDispatchConfig(configText);
    const settings = queueSettings(configText);
    // Only the workflow's own SDK policy is known here (no registration): default one attempt.
    const policy = config.retry ?? SINGLE_ATTEMPT;
    const queue = settings.queue ?? (await store.describe(workflowId))?.namespace ?? "default";
    const dispatch = async (attempt: number) => {
      await record(() => [{ kind: "ActivityStarted", activityId, attempt }], attempt);
      await store.coordination.taskEnqueue({
        taskId,
        queue,
        activityType,
        shard: this.core.ownership.shardOf(workflowId),
        workflowId,
        activityId,
        attempt,
        input: inputText,
        config: configText,
        createdAt: this.wall(),
      });
    };
    let attempt = firstAttempt;
    const existing = await store.coordination.taskGet(taskId);
    if (existing !== undefined && existing.attempt === firstAttempt - 1) {
      // Dispatched before a restart or failover: follow that attempt.
      attempt = existing.attempt;
    } else {
      if (existing !== undefined) await store.coordination.taskDelete(taskId);
      await dispatch(attempt);
    }
    for (;;) {
      const r = await this.outcome(taskId, activityType, settings.scheduleToStartMs, signal);
      if (r === undefined) return;
      await store.coordination.taskDelete(taskId);
      const next = afterAttempt(activityId, r, attempt, policy);
      if (next.kind === "record") {
        await record(() => [next.event], attempt);
        return;
      }
      await this.pause(next.delayMs, signal);
      if (signal.aborted) return;
      attempt++;
      await dispatch(attempt);
    }
  }

  private wall(): number {
    return Math.floor(this.core.ownership.clock.wallNow());
  }

  /** Polls the task until a worker wrote its outcome, the schedule-to-start timeout hits, or an abort. */
  private async outcome(
    taskId: string,
    activityType: string,
    scheduleToStartMs: number | undefined,
    signal: AbortSignal,
  ): Promise<AttemptResult | undefined> {
    const store = this.core.store;
    for (;;) {
      if (signal.aborted || this.core.tasks.closed) return undefined;
      const t = await store.coordination.taskGet(taskId);
      if (t === undefined) return undefined;
      if (t.result !== null) return JSON.parse(t.result) as AttemptResult;
      if (
        scheduleToStartMs !== undefined &&
        t.claims === 0 &&
        this.wall() >= t.createdAt + scheduleToStartMs &&
        (await store.coordination.taskDelete(taskId, true))
      ) {
        return {
          ok: false,
          text: `timeout:schedule_to_start: no worker running ${activityType} took it within ${scheduleToStartMs} ms`,
        };
      }
      await this.pause(this.core.ownership.pollMs, signal);
    }
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    const clock = this.core.ownership.clock;
    return new Promise((resolve) => {
      const done = () => {
        clock.cancel(h);
        signal.removeEventListener("abort", done);
        unsubscribe();
        resolve();
      };
      const h = clock.schedule(clock.now() + ms, done);
      signal.addEventListener("abort", done, { once: true });
      const unsubscribe = this.core.tasks.onClose(done);
    });
  }
}
