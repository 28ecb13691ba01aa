/**
 * The engine's metrics for `GET /metrics`. Counters move with this engine's
 * appends (`Engine.onAppended`): starts and completions per workflow type,
 * activity attempts, failures and durations (recorded times of
 * `ActivityStarted` to its result). Append latency is timed around the
 * store's `append` (the method is wrapped on the store object for the life
 * of the collector). Gauges are read at scrape time: workflows by status
 * and type (one grouped count in the store, `countByStatusAndType`, not a
 * read of every workflow), resident runs, the VM's runnable and live
 * processes, memory, and the SQLite store's group-commit counters when the
 * store has them. Counters start at zero when the
 * collector is created (Prometheus handles restarts).
 */
import type { Engine } from "../../engine.ts";
import type { EventEnvelope } from "../../events/index.ts";
import type { EventStore, GroupCommitStats } from "../../store/index.ts";
import { Registry } from "./exposition.ts";

const LATENCY_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ACTIVITY_BOUNDS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

const COMPLETION_STATUS: Readonly<Record<string, string>> = {
  WorkflowCompleted: "Completed",
  WorkflowFailed: "Failed",
  WorkflowCancelled: "Cancelled",
  WorkflowTimedOut: "TimedOut",
  WorkflowContinuedAsNew: "ContinuedAsNew",
};

/** Most in-flight activities and workflow types remembered between events. */
const MAX_TRACKED = 100_000;

/** A store that reports group-commit counters (the SQLite store). */
interface WithStats {
  stats(): Readonly<GroupCommitStats>;
}

function hasStats(store: EventStore): store is EventStore & WithStats {
  return typeof (store as Partial<WithStats>).stats === "function";
}

/** Extra gauges a server adds (e.g. stream subscribers). */
export type ExtraGauges = () => Readonly<Record<string, { help: string; value: number }>>;

export class EngineMetrics {
  private readonly registry = new Registry();
  private readonly workflows = this.registry.gauge(
    "aion_workflows",
    "Workflows in the store by status and type.",
  );
  private readonly starts = this.registry.counter(
    "aion_workflow_starts_total",
    "Workflow runs started, by type.",
  );
  private readonly completions = this.registry.counter(
    "aion_workflow_completions_total",
    "Workflow runs ended, by type and final status.",
  );
  private readonly attempts = this.registry.counter(
    "aion_activity_attempts_total",
    "Activity attempts started, by activity.",
  );
  private readonly failures = this.registry.counter(
    "aion_activity_failures_total",
    "Activity attempts failed, by activity.",
  );
  private readonly activityLatency = this.registry.histogram(
    "aion_activity_duration_seconds",
    "Time from an activity attempt's start to its result, by activity.",
    ACTIVITY_BOUNDS,
  );
  private readonly appendLatency = this.registry.histogram(
    "aion_store_append_duration_seconds",
    "Time an append to the event store takes to become durable.",
    LATENCY_BOUNDS,
  );
  private readonly commitBatches = this.registry.gauge(
    "aion_store_group_commit_transactions",
    "Group-commit transactions committed by the SQLite store (0 for other stores).",
  );
  private readonly commitWrites = this.registry.gauge(
    "aion_store_group_commit_writes",
    "Writes settled by group-commit transactions; divided by transactions, the mean batch size.",
  );
  private readonly largestBatch = this.registry.gauge(
    "aion_store_group_commit_largest_batch",
    "Largest number of writes committed in one transaction.",
  );
  private readonly resident = this.registry.gauge(
    "aion_resident_runs",
    "Workflow runs resident in memory.",
  );
  private readonly runQueue = this.registry.gauge(
    "aion_vm_run_queue_length",
    "VM processes ready to run.",
  );
  private readonly processes = this.registry.gauge("aion_vm_processes", "Live VM processes.");
  private readonly memory = this.registry.gauge(
    "aion_memory_bytes",
    "Memory of the server process, by kind.",
  );
  private readonly extras = new Map<string, ReturnType<Registry["gauge"]>>();

  private readonly typeOf = new Map<string, string>();
  private readonly activities = new Map<string, { type: string; startedAt?: number }>();
  private readonly detach: () => void;
  private readonly restoreAppend: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly extra: ExtraGauges = () => ({}),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.detach = engine.onAppended((id, envelopes) => this.record(id, envelopes));
    this.restoreAppend = this.timeAppends(engine.store);
  }

  /** Wraps `store.append` to time it; returns the function that unwraps it. */
  private timeAppends(store: EventStore): () => void {
    const original = store.append;
    const timed: EventStore["append"] = async (...args) => {
      const t0 = this.now();
      const r = await original.apply(store, args);
      this.appendLatency.observe((this.now() - t0) / 1000);
      return r;
    };
    (store as { append: EventStore["append"] }).append = timed;
    return () => {
      if (store.append === timed) (store as { append: EventStore["append"] }).append = original;
    };
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    if (map.size >= MAX_TRACKED) map.clear();
    map.set(key, value);
  }

  private record(workflowId: string, envelopes: readonly EventEnvelope[]): void {
    for (const { event, recordedAt } of envelopes) {
      switch (event.kind) {
        case "WorkflowStarted":
          this.remember(this.typeOf, workflowId, event.workflowType);
          this.starts.inc({ type: event.workflowType });
          break;
        case "ActivityScheduled":
          this.remember(this.activities, `${workflowId}/${event.activityId}`, {
            type: event.activityType,
          });
          break;
        case "ActivityStarted": {
          const a = this.activities.get(`${workflowId}/${event.activityId}`);
          const type = a?.type ?? "unknown";
          this.attempts.inc({ activity: type });
          this.remember(this.activities, `${workflowId}/${event.activityId}`, {
            type,
            startedAt: recordedAt,
          });
          break;
        }
        case "ActivityCompleted":
        case "ActivityFailed": {
          const key = `${workflowId}/${event.activityId}`;
          const a = this.activities.get(key);
          const type = a?.type ?? "unknown";
          if (event.kind === "ActivityFailed") this.failures.inc({ activity: type });
          if (a?.startedAt !== undefined) {
            this.activityLatency.observe(Math.max(0, recordedAt - a.startedAt) / 1000, {
              activity: type,
            });
          }
          if (event.kind === "ActivityCompleted") this.activities.delete(key);
          else this.remember(this.activities, key, { type });
          break;
        }
        default: {
          const status = COMPLETION_STATUS[event.kind];
          if (status !== undefined) {
            this.completions.inc({ type: this.typeOf.get(workflowId) ?? "unknown", status });
          }
        }
      }
    }
  }

  /** The exposition text of a scrape. */
  async scrape(): Promise<string> {
    this.workflows.reset();
    const store = this.engine.store;
    // One grouped count in the store (an index-only scan on SQLite), never
    // a read of every workflow: a scrape's cost does not grow with rows
    // decoded, only with index entries counted.
    for (const g of await store.countByStatusAndType({})) {
      this.workflows.set({ status: g.status, type: g.workflowType }, g.count);
    }
    const stats = hasStats(store) ? store.stats() : undefined;
    this.commitBatches.set({}, stats?.transactions ?? 0);
    this.commitWrites.set({}, stats?.operations ?? 0);
    this.largestBatch.set({}, stats?.largestBatch ?? 0);
    this.resident.set({}, this.engine.residentIds().length);
    const vm = this.engine.runtime.vm;
    let runnable = 0;
    for (const p of vm.processes.values()) if (p.status === "runnable") runnable++;
    this.runQueue.set({}, runnable);
    this.processes.set({}, vm.processes.size);
    const mem = process.memoryUsage();
    this.memory.set({ kind: "rss" }, mem.rss);
    this.memory.set({ kind: "heap_used" }, mem.heapUsed);
    this.memory.set({ kind: "heap_total" }, mem.heapTotal);
    this.memory.set({ kind: "external" }, mem.external);
    for (const [name, g] of Object.entries(this.extra())) {
      let family = this.extras.get(name);
      if (family === undefined) {
        family = this.registry.gauge(name, g.help);
        this.extras.set(name, family);
      }
      family.set({}, g.value);
    }
    return this.registry.render();
  }

  /** Stops counting and unwraps the store. */
  close(): void {
    this.detach();
    this.restoreAppend();
  }
}
