/**
 * Child workflows, record-then-spawn: the parent's `ChildWorkflowStarted` is
 * durable before the child starts. A spawn-retry task (one per child id,
 * ended by the epoch) starts the child under its recorded id until a history
 * exists; a watcher records the child's final outcome (after following its
 * continue-as-new chain) into the parent as an arrival.
 */

import { type EngineCore, errorText } from "../core.ts";
import { DuplicateWorkflowError } from "../errors.ts";
import type { WorkflowEvent } from "../events/index.ts";
import { finalOutcome, type WorkflowOutcome } from "../outcome.ts";
import type { WorkflowRun } from "../run/run-state.ts";
import { payloadFromText } from "../terms.ts";
import { clockDelay } from "./delay.ts";

const MAX_BACKOFF_MS = 5_000;

/** The parent-side event for a child's final outcome. */
export function childTerminalEvent(childId: string, o: WorkflowOutcome): WorkflowEvent {
  switch (o.status) {
    case "Completed":
      return {
        kind: "ChildWorkflowCompleted",
        childWorkflowId: childId,
        result: payloadFromText(o.resultText),
      };
    case "Failed":
      return { kind: "ChildWorkflowFailed", childWorkflowId: childId, error: o.error };
    case "Cancelled":
      return { kind: "ChildWorkflowCancelled", childWorkflowId: childId, reason: o.reason };
    case "TimedOut":
      return {
        kind: "ChildWorkflowFailed",
        childWorkflowId: childId,
        error: { message: `timeout:workflow timed out after ${o.timeoutMs} ms`, details: null },
      };
  }
}

export class ChildHost {
  /** Child id -> parent workflow ids waiting for its final outcome. */
  private readonly parents = new Map<string, Set<string>>();
  private readonly retrying = new Set<string>();

  constructor(private readonly core: EngineCore) {
    core.hooks.onLoaded.push((run) => this.onLoaded(run));
    core.hooks.onFinal.push((id, o) => this.onFinal(id, o));
  }

  /** Number of armed spawn-retry tasks (for tests). */
  get armedRetries(): number {
    return this.retrying.size;
  }

  private onLoaded(run: WorkflowRun): void {
    for (const [childId, c] of run.index.children) {
      if (c.settled === null) this.ensureStarted(run.workflowId, childId, c.workflowType, c.input);
    }
  }

  /** Makes sure a recorded child runs and its outcome reaches the parent. */
  ensureStarted(parentId: string, childId: string, workflowType: string, input: string): void {
    this.watch(parentId, childId);
    if (this.retrying.has(childId) || this.core.tasks.closed) return;
    this.retrying.add(childId);
    const task = this.spawnRetry(parentId, childId, workflowType, input).finally(() =>
      this.retrying.delete(childId),
    );
    this.core.track(task, `starting child ${childId}`);
  }

  private async spawnRetry(
    parentId: string,
    childId: string,
    workflowType: string,
    input: string,
  ): Promise<void> {
    let backoff = 10;
    while (!this.core.tasks.closed) {
      try {
        const history = await this.core.store.readHistory(childId);
        if (history.length > 0) return;
        // A child lives in its parent's namespace.
        const namespace = (await this.core.store.describe(parentId))?.namespace;
        const options = { workflowId: childId, ...(namespace !== undefined ? { namespace } : {}) };
        const router = this.core.router;
        // A child in another process's shard is started there (an idempotent inbox entry).
        if (router !== undefined && !this.core.ownership.owns(childId)) {
          await router.start({ type: workflowType, input, ...options }, `child:${childId}`);
        } else {
          await this.core.startRun(workflowType, input, options);
        }
        return;
      } catch (e) {
        if (e instanceof DuplicateWorkflowError || this.core.tasks.closed) return;
        this.core.log(`aion engine: child ${childId} did not start (${errorText(e)}); retrying\n`);
      }
      await clockDelay(this.core.clock, this.core.tasks, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private watch(parentId: string, childId: string): void {
    let set = this.parents.get(childId);
    if (set === undefined) {
      set = new Set();
      this.parents.set(childId, set);
    }
    if (set.has(parentId)) return;
    set.add(parentId);
    // The child may have ended before this engine watched it.
    const task = this.core.store.readHistory(childId).then((h) => {
      const o = finalOutcome(h);
      if (o !== undefined) this.deliver(parentId, childId, o);
      else if (this.core.ownership.mode !== "exclusive") this.poll(parentId, childId);
    });
    this.core.track(task, `watching child ${childId}`);
  }

  /**
   * Beside other processes the child may end elsewhere, where this one's
   * final hook never hears of it: its history is polled while the parent is
   * ours and waits.
   */
  private poll(parentId: string, childId: string): void {
    const task = (async () => {
      let backoff = this.core.ownership.pollMs;
      while (!this.core.tasks.closed && this.core.ownership.owns(parentId)) {
        await clockDelay(this.core.ownership.clock, this.core.tasks, backoff);
        if (!this.parents.get(childId)?.has(parentId)) return;
        const o = finalOutcome(await this.core.store.readHistory(childId));
        if (o !== undefined) {
          this.deliver(parentId, childId, o);
          return;
        }
        backoff = Math.min(backoff * 2, 1_000);
      }
      // The parent moved: its new owner watches the child again when it loads it.
      this.parents.get(childId)?.delete(parentId);
    })();
    this.core.track(task, `polling child ${childId}`);
  }

  private onFinal(childId: string, o: WorkflowOutcome): void {
    for (const parentId of this.parents.get(childId) ?? []) this.deliver(parentId, childId, o);
  }

  private deliver(parentId: string, childId: string, o: WorkflowOutcome): void {
    this.parents.get(childId)?.delete(parentId);
    void this.core.recordArrival(
      parentId,
      (run) => {
        const c = run.index.children.get(childId);
        return c !== undefined && c.settled === null ? [childTerminalEvent(childId, o)] : null;
      },
      `recording the outcome of child ${childId} in ${parentId}`,
    );
  }
}
