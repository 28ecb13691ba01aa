/**
 * The worker side of activity task queues: each poll claims waiting tasks of
 * the activity types this process runs (its advertisement), runs them like
 * local attempts, keeps each claim alive with heartbeats, and writes the
 * outcome for the workflow's owner. A worker that dies stops heartbeating:
 * its claims lapse and another worker claims the tasks again (at least
 * once). A heartbeat refused (the claim lapsed and was taken) aborts the
 * attempt here.
 */
import type { EngineCore } from "../core.ts";
import { errorText } from "../core.ts";
import { parseDuration } from "../duration.ts";
import type { TaskRecord } from "../store/index.ts";
import type { ActivityHost } from "./activities.ts";
import { parseDispatchConfig } from "./dispatch-config.ts";

/** How long a claim lasts without a heartbeat unless the config says (`heartbeat_timeout`). */
export const DEFAULT_CLAIM_MS = 10_000;
/** Most tasks one process runs at once. */
const MAX_IN_FLIGHT = 64;

export class TaskWorker {
  private readonly inFlight = new Map<string, AbortController>();

  constructor(
    private readonly core: EngineCore,
    private readonly host: ActivityHost,
  ) {
    core.tasks.onClose(() => {
      // No outcome written: the claims lapse and other workers take the tasks.
      for (const ac of this.inFlight.values()) ac.abort(new Error("engine shut down"));
    });
  }

  /** Claims and starts what fits. */
  async poll(): Promise<void> {
    const types = [...this.core.activities.keys()];
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (types.length === 0 || free <= 0 || this.core.tasks.closed) return;
    const claimed = await this.core.store.coordination.taskClaim({
      worker: this.core.ownership.ownerId,
      activityTypes: types,
      now: this.wall(),
      claimMs: DEFAULT_CLAIM_MS,
      limit: free,
    });
    for (const t of claimed) {
      if (this.inFlight.has(t.taskId)) continue;
      const ac = new AbortController();
      this.inFlight.set(t.taskId, ac);
      const task = this.runTask(t, ac).finally(() => this.inFlight.delete(t.taskId));
      this.core.track(task, `queued activity ${t.activityType} of ${t.workflowId}`);
    }
  }

  private wall(): number {
    return Math.floor(this.core.ownership.clock.wallNow());
  }

  private async runTask(t: TaskRecord, ac: AbortController): Promise<void> {
    const config = parseDispatchConfig(t.config);
    const claimMs = heartbeatTimeout(t.config) ?? DEFAULT_CLAIM_MS;
    const clock = this.core.ownership.clock;
    const store = this.core.store;
    const owner = this.core.ownership.ownerId;
    let beat: ReturnType<typeof clock.schedule> | undefined;
    const heartbeat = () => {
      beat = clock.schedule(clock.now() + claimMs / 3, () => {
        const task = store.coordination.taskHeartbeat(t.taskId, owner, this.wall(), claimMs).then(
          (held) => {
            if (!held) ac.abort(new Error("the claim lapsed and another worker took the task"));
            else if (!ac.signal.aborted) heartbeat();
          },
          (e: unknown) => this.core.log(`aion engine: heartbeat of ${t.taskId}: ${errorText(e)}\n`),
        );
        this.core.track(task, `heartbeat of ${t.activityType}`);
      });
    };
    try {
      // The config's heartbeat timeout replaces the default claim time at once.
      if (claimMs !== DEFAULT_CLAIM_MS)
        await store.coordination.taskHeartbeat(t.taskId, owner, this.wall(), claimMs);
      heartbeat();
      const reg = this.core.activities.get(t.activityType);
      const r = await this.host.runOnce(
        t.workflowId,
        t.activityId,
        t.activityType,
        t.input,
        t.attempt,
        config.timeoutMs ?? reg?.options.timeoutMs,
        ac.signal,
      );
      if (!ac.signal.aborted)
        await store.coordination.taskComplete(t.taskId, owner, JSON.stringify(r));
    } finally {
      if (beat !== undefined) clock.cancel(beat);
    }
  }
}

/** `heartbeat_timeout` of a dispatch config (ms or a duration string), in ms. */
function heartbeatTimeout(configText: string): number | undefined {
  let c: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(configText);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) c = v as Record<string, unknown>;
  } catch {
    // A config that is not JSON carries no settings.
  }
  const v = c.heartbeat_timeout ?? c.heartbeatTimeoutMs;
  const ms = typeof v === "number" ? v : typeof v === "string" ? parseDuration(v) : undefined;
  return ms !== undefined && Number.isFinite(ms) && ms >= 1 ? Math.ceil(ms) : undefined;
}
