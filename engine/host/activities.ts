/**
 * Running activities: TypeScript functions registered with
 * `engine.activity(name, fn)` (attempts, retries with backoff, per-attempt
 * timeouts) and in-VM thunks (`dispatch_activity_in_vm`). Every attempt and
 * outcome is recorded as an arrival in the workflow's history.
 *
 * Delivery is at-least-once: an activity whose outcome is not recorded when
 * the engine stops runs again when its workflow is replayed.
 *
 * A type with no function registered here is not a failure: it goes through
 * its task queue to a worker that runs it (host/task-queue.ts), and this
 * process runs queued tasks of the types it has (host/task-worker.ts).
 */

import { A, formatW, NIL, type Term } from "../../terms/index.ts";
import { killProcess, outcomeOf, type Process } from "../../vm/index.ts";
import { type EngineCore, errorText, type RunnerData } from "../core.ts";
import type { WorkflowEvent } from "../events/index.ts";
import {
  type AttemptPolicy,
  afterAttempt,
  hasFailurePrefix,
  SINGLE_ATTEMPT,
} from "../run/retry-policy.ts";
import type { WorkflowRun } from "../run/run-state.ts";
import { payloadFromText, resultText } from "../terms.ts";
import { DEFAULT_RETRY, RetryableError, type RetryPolicy, TerminalError } from "../types.ts";
import { parseDispatchConfig } from "./dispatch-config.ts";
import { RemoteActivities, taskIdOf } from "./task-queue.ts";
import { TaskWorker } from "./task-worker.ts";

const key = (workflowId: string, activityId: string): string => `${workflowId}\u0000${activityId}`;

/** Whether the activity is scheduled in the run and has no outcome yet. */
function open(run: WorkflowRun, activityId: string): boolean {
  const a = run.index.activities.get(activityId);
  return a !== undefined && a.settled === null;
}

/** A registration's (partial, exponential) policy; none means one attempt. */
function registeredPolicy(retry: Partial<RetryPolicy> | undefined): AttemptPolicy {
  if (retry === undefined) return SINGLE_ATTEMPT;
  const r = { ...DEFAULT_RETRY, ...retry };
  return {
    maxAttempts: Math.max(1, Math.floor(r.maxAttempts)),
    backoff: {
      kind: "exponential",
      initialMs: r.initialIntervalMs,
      multiplier: r.backoffCoefficient,
      maxMs: r.maxIntervalMs,
    },
  };
}

/**
 * The failure reason of a throw from a TypeScript activity. `TerminalError`
 * (and its alias `NonRetryableError`) is `terminal:`, `RetryableError` is
 * `retryable:`; a plain throw is retryable too, unless its message already
 * names a kind (`terminal:...`, `timeout:...`): the policy the workflow
 * declared then decides whether another attempt runs.
 */
export function failureReason(e: unknown): string {
  const text = e instanceof Error ? e.message : errorText(e);
  if (e instanceof TerminalError) return text.startsWith("terminal:") ? text : `terminal:${text}`;
  if (e instanceof RetryableError)
    return text.startsWith("retryable:") ? text : `retryable:${text}`;
  return hasFailurePrefix(text) ? text : `retryable:${text}`;
}

function decodeInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export { parseDispatchConfig };

export class ActivityHost {
  private readonly running = new Map<string, AbortController>();
  private readonly inVm = new Map<string, Process>();
  /** Activities of types this process does not run: through the task queue. */
  private readonly remote: RemoteActivities;
  /** Runs queued tasks of the types this process does run. */
  readonly worker: TaskWorker;

  constructor(private readonly core: EngineCore) {
    this.remote = new RemoteActivities(core);
    this.worker = new TaskWorker(core, this);
    core.hooks.onRunnerExit = (data, p) => this.onRunnerExit(data, p);
    core.tasks.onClose(() => {
      for (const ac of this.running.values()) ac.abort(new Error("engine shut down"));
    });
    // A lost shard's activities stop here; its new owner runs them again (at least once).
    core.hooks.onShardsLost.push((lost) => {
      for (const [k, ac] of this.running) {
        if (!lost(k.slice(0, k.indexOf("\u0000")))) continue;
        ac.abort(new Error("shard lost"));
        this.running.delete(k);
      }
    });
  }

  /** Starts a TypeScript activity unless it has an outcome or already runs. */
  ensureRunning(run: WorkflowRun, activityId: string, config: string): void {
    const a = run.index.activities.get(activityId);
    const k = key(run.workflowId, activityId);
    if (a === undefined || a.settled !== null || this.running.has(k) || this.core.tasks.closed)
      return;
    const ac = new AbortController();
    this.running.set(k, ac);
    const task = this.attempts(
      run.workflowId,
      activityId,
      a.activityType,
      a.input,
      config,
      a.attempts + 1,
      ac,
    ).finally(() => this.running.delete(k));
    this.core.track(task, `activity ${a.activityType} of ${run.workflowId}`);
  }

  /** Cancels a running activity (a race it lost); records ActivityCancelled. */
  cancel(workflowId: string, activityId: string, reason: string): void {
    // A queued task nobody needs any more: no worker should run it.
    this.core.track(
      this.core.store.coordination.taskDelete(taskIdOf(workflowId, activityId)),
      `dropping the task of activity ${activityId}`,
    );
    const ac = this.running.get(key(workflowId, activityId));
    if (ac !== undefined) {
      ac.abort(new Error(reason));
      this.running.delete(key(workflowId, activityId));
    }
    const p = this.inVm.get(key(workflowId, activityId));
    if (p?.isAlive) {
      this.inVm.delete(key(workflowId, activityId));
      p.hostData = null;
      p.onExit = null;
      this.core.detachRunner(workflowId, p);
      killProcess(p.vm, p, A.kill);
    }
    void this.core.recordArrival(
      workflowId,
      (run) => (open(run, activityId) ? [{ kind: "ActivityCancelled", activityId, reason }] : null),
      `cancelling activity ${activityId}`,
    );
  }

  private async attempts(
    workflowId: string,
    activityId: string,
    activityType: string,
    inputText: string,
    configText: string,
    firstAttempt: number,
    ac: AbortController,
  ): Promise<void> {
    const record = (events: (attempt: number) => WorkflowEvent[], attempt: number) =>
      this.core.recordArrival(
        workflowId,
        (run) => (open(run, activityId) ? events(attempt) : null),
        `recording activity ${activityId}`,
      );
    const reg = this.core.activities.get(activityType);
    if (reg === undefined) {
      // Not run here: it waits in its task queue for a worker that runs the type.
      await this.remote.run(
        workflowId,
        activityId,
        activityType,
        inputText,
        configText,
        firstAttempt,
        ac.signal,
        record,
      );
      return;
    }
    const config = parseDispatchConfig(configText);
    const policy = config.retry ?? registeredPolicy(reg.options.retry);
    const timeoutMs = config.timeoutMs ?? reg.options.timeoutMs;
    for (let attempt = firstAttempt; ; attempt++) {
      if (ac.signal.aborted) return;
      await record(() => [{ kind: "ActivityStarted", activityId, attempt }], attempt);
      const r = await this.runOnce(
        workflowId,
        activityId,
        activityType,
        inputText,
        attempt,
        timeoutMs,
        ac.signal,
      );
      if (ac.signal.aborted) return;
      const next = afterAttempt(activityId, r, attempt, policy);
      if (next.kind === "record") {
        await record(() => [next.event], attempt);
        return;
      }
      await this.delay(next.delayMs, ac.signal);
    }
  }

  /** One attempt of a registered activity (also how a task-queue worker runs a claimed task). */
  runOnce(
    workflowId: string,
    activityId: string,
    activityType: string,
    inputText: string,
    attempt: number,
    timeoutMs: number | undefined,
    outer: AbortSignal,
  ): Promise<{ ok: boolean; text: string }> {
    const reg = this.core.activities.get(activityType)!;
    const attemptAc = new AbortController();
    const onOuter = () => attemptAc.abort(outer.reason);
    outer.addEventListener("abort", onOuter, { once: true });
    const clock = this.core.clock;
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: { ok: boolean; text: string }) => {
        if (done) return;
        done = true;
        if (timer !== undefined) clock.cancel(timer);
        outer.removeEventListener("abort", onOuter);
        resolve(r);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : clock.schedule(clock.now() + timeoutMs, () => {
              attemptAc.abort(new Error("timeout"));
              finish({ ok: false, text: `timeout:activity attempt exceeded ${timeoutMs} ms` });
            });
      outer.addEventListener("abort", () => finish({ ok: false, text: "cancelled:aborted" }), {
        once: true,
      });
      Promise.resolve()
        .then(() =>
          reg.fn(decodeInput(inputText), {
            workflowId,
            activityId,
            activityType,
            attempt,
            signal: attemptAc.signal,
          }),
        )
        .then(
          (value) => finish({ ok: true, text: JSON.stringify(value ?? null) }),
          (e: unknown) => finish({ ok: false, text: failureReason(e) }),
        );
    });
  }

  private delay(ms: number, signal: AbortSignal): Promise<void> {
    const clock = this.core.clock;
    return new Promise((resolve) => {
      const h = clock.schedule(clock.now() + ms, resolve);
      signal.addEventListener(
        "abort",
        () => {
          clock.cancel(h);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Runs an in-VM thunk in its own process unless it has an outcome or runs already. */
  ensureInVm(run: WorkflowRun, activityId: string, thunk: Term): void {
    const k = key(run.workflowId, activityId);
    if (!open(run, activityId) || this.inVm.has(k) || this.core.tasks.closed) return;
    const p = this.core.vm.spawnFun(null, thunk, NIL);
    const data: RunnerData = { kind: "runner", workflowId: run.workflowId, activityId };
    p.hostData = data;
    this.core.attachRunner(run, p);
    this.inVm.set(k, p);
  }

  private onRunnerExit(data: RunnerData, p: Process): void {
    this.inVm.delete(key(data.workflowId, data.activityId));
    this.core.detachRunner(data.workflowId, p);
    const o = outcomeOf(p);
    // Killed by the engine (its workflow ended or was evicted): no outcome.
    if (o.kind === "exception" && o.killed) return;
    const event: WorkflowEvent =
      o.kind === "value"
        ? {
            kind: "ActivityCompleted",
            activityId: data.activityId,
            result: payloadFromText(resultText(o.value)),
          }
        : {
            kind: "ActivityFailed",
            activityId: data.activityId,
            error: {
              message: o.kind === "exception" ? `${o.cls}:${formatW(o.reason)}` : "timeout",
              details: null,
            },
          };
    void this.core.recordArrival(
      data.workflowId,
      (run) => (open(run, data.activityId) ? [event] : null),
      `recording in-VM activity ${data.activityId}`,
    );
  }
}
