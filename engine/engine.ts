/**
 * The durable workflow engine: the public API.
 *
 * ```ts
 * const engine = await Engine.open({ store: "./aion.db", modulesDir: "./beams",
 *   workflows: { order: { module: "order_wf" } } });
 * engine.activity("charge", async (input) => ({ ok: true }));
 * const id = await engine.start("order", { amount: 10 });
 * const outcome = await engine.result(id);
 * await engine.shutdown();
 * ```
 *
 * Each workflow runs as a VM process executing `Module:Function(InputJson)`;
 * it reaches the engine through the `aion_flow_ffi` natives, which record
 * every decision in the event store before its effect is visible. A restarted
 * engine replays each active workflow from the top and resumes it exactly
 * where it was.
 */

import { join } from "node:path";
import type { BeamModule } from "../loader/index.ts";
import { createRuntime } from "../nifs/index.ts";
import { workflowSandbox } from "../nifs/workflow-sandbox.ts";
import {
  type Clock,
  loadModule,
  type Runtime,
  type SandboxPolicy,
  SystemClock,
} from "../vm/index.ts";
import { EngineCore, errorText } from "./core.ts";
import { DORMANT_MODULE } from "./deploy/dormant.ts";
import {
  AlreadyTerminalError,
  EngineShutDownError,
  InvalidEngineArgumentError,
  UnknownWorkflowError,
  UnknownWorkflowTypeError,
} from "./errors.ts";
import { type EventEnvelope, isTerminalStatus } from "./events/index.ts";
import { ActivityHost } from "./host/activities.ts";
import { ChildHost } from "./host/children.ts";
import { runQuery } from "./host/queries.ts";
import { type ResidencyOptions, residencyPolicy, startResidencySweep } from "./host/residency.ts";
import { aionFlowFfiNatives } from "./natives/index.ts";
import type { WorkflowOutcome } from "./outcome.ts";
import { type EndBody, type InboxCalls, InboxDrain } from "./ownership/inbox.ts";
import { HELD_ELSEWHERE, type OwnershipOptions } from "./ownership/ownership.ts";
import { CallRouter } from "./ownership/router.ts";
import { cryptoRandom, type RandomSource, seededRandom } from "./random.ts";
import { type RecoveryReport, recover } from "./recovery.ts";
import {
  type EventStore,
  SqliteStore,
  type WorkflowFilter,
  type WorkflowSummary,
} from "./store/index.ts";
import {
  type ActivityFn,
  type ActivityOptions,
  DEFAULT_WORKFLOW_ATOM_BUDGET,
  DEFAULT_WORKFLOW_MAX_HEAP_BYTES,
  type EntryResolver,
  type WorkflowTypeSpec,
} from "./types.ts";

/** Directory of the engine's own Erlang support modules. */
export const ENGINE_ERLANG_DIR = join(import.meta.dir, "erlang");

export interface EngineOptions {
  /** An open store, or a SQLite path (default `./aion.db`), which the engine then owns and closes. */
  readonly store?: EventStore | string;
  /** Time source of timers, timeouts and recorded times; default the system clock. */
  readonly clock?: Clock;
  /** Randomness of `random/0`, `random_int/2` and generated ids; a number seeds it. */
  readonly random?: RandomSource | number;
  /** Directories searched for workflow `.beam` modules. */
  readonly modulesDir?: string | readonly string[];
  /** Workflow types to register before recovery runs. */
  readonly workflows?: Readonly<Record<string, WorkflowTypeSpec>>;
  /** Activities to register before recovery runs. */
  readonly activities?: Readonly<
    Record<string, ActivityFn | { fn: ActivityFn; options?: ActivityOptions }>
  >;
  /** Deadline of queries (API default and the one `dispatch_query` needs). Default 5000 ms. */
  readonly queryTimeoutMs?: number;
  /** Run startup recovery in `open` (default true). */
  readonly recover?: boolean;
  /** Where engine diagnostics and VM crash reports go (default stderr). */
  readonly log?: (line: string) => void;
  /**
   * Automatic eviction: every `sweepEveryMs` (engine clock) evict the runs
   * idle for at least `idleMs`. Off by default (call `evictIdle` yourself).
   */
  readonly residency?: ResidencyOptions;
  /**
   * What workflow code (and every process it spawns) may call. Default: the
   * workflow sandbox (`workflowSandbox()` in nifs/workflow-sandbox.ts; the
   * list is in docs/security.md). Widen it explicitly, e.g.
   * `workflowSandbox().with({ modules: { os: "allow" } })`. The engine's own
   * natives are allowed whatever the policy says.
   */
  readonly sandbox?: SandboxPolicy;
  /**
   * New atoms one workflow (its process and every process it spawns) may
   * create before `system_limit` is raised in it. Default 10,000.
   */
  readonly atomBudget?: number;
  /**
   * Heap limit of every workflow process (and every process it spawns), in
   * bytes as `process_info(P, memory)` counts them: a process past it is
   * killed (`killed`, with the max heap error report in the log) and its
   * workflow fails; the others keep running. Default 256 MiB; 0 for none.
   * A process's own `max_heap_size` spawn option overrides it.
   */
  readonly maxHeapBytes?: number;
  /**
   * How this process shares the database with others (docs/engine.md,
   * "Ownership"): `exclusive` (default) owns every shard; `shared` takes a
   * fair share of shard leases beside other processes (`aion worker`);
   * `client` holds none and forwards calls (one-shot commands).
   */
  readonly ownership?: OwnershipOptions;
}

/** The sandbox with the engine's own native modules allowed. */
function engineSandbox(policy: SandboxPolicy | undefined): SandboxPolicy {
  return (policy ?? workflowSandbox()).with({
    modules: { aion_flow_ffi: "allow", [DORMANT_MODULE]: "allow" },
  });
}

/** Options of `signal`. */
export interface SignalOptions {
  /**
   * Idempotency key: a signal whose id the workflow already recorded (in any
   * run of its chain) is not recorded again; the call resolves as delivered.
   */
  readonly signalId?: string;
}

/** Options of `start`. */
export interface StartOptions {
  /** The workflow id; a random UUID when omitted. */
  readonly workflowId?: string;
  readonly searchAttributes?: Readonly<Record<string, string | number | boolean>>;
  /** Workflow timeout in ms (overrides the type's default). */
  readonly timeoutMs?: number;
  /**
   * The namespace the workflow belongs to (default `default`), for its whole
   * continue-as-new chain and for its children.
   */
  readonly namespace?: string;
}

/** The visibility record plus whether the workflow is resident in memory. */
export interface WorkflowDescription extends WorkflowSummary {
  readonly resident: boolean;
}

/**
 * JSON text passed through byte for byte (start input, signal payload, query
 * argument). A JS value is re-serialised by `JSON.stringify`, which turns
 * `1.0` into `1` and rounds integers past 2^53; callers that hold the JSON
 * text (the HTTP API, a CLI reading a file) wrap it in `RawJson` instead.
 */
export class RawJson {
  /** @throws InvalidEngineArgumentError when `text` is not one JSON document */
  constructor(readonly text: string) {
    try {
      JSON.parse(text);
    } catch {
      throw new InvalidEngineArgumentError("json", "is not a JSON document");
    }
  }
}

function toJsonText(value: unknown, argument: string): string {
  if (value instanceof RawJson) return value.text;
  const text = JSON.stringify(value);
  if (text === undefined)
    throw new InvalidEngineArgumentError(argument, "is not JSON-serializable");
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class Engine {
  private readonly core: EngineCore;
  private readonly activitiesHost: ActivityHost;
  private readonly childrenHost: ChildHost;
  private readonly ownsStore: boolean;
  /** Runs API calls here, under a borrowed lease, or on the owner through the inbox. */
  private readonly router: CallRouter;
  private readonly inbox: InboxDrain;
  private shutdownPromise: Promise<void> | null = null;

  private constructor(core: EngineCore, ownsStore: boolean) {
    this.core = core;
    this.ownsStore = ownsStore;
    this.activitiesHost = new ActivityHost(core);
    this.childrenHost = new ChildHost(core);
    const env = { core, activities: this.activitiesHost, children: this.childrenHost };
    core.runtime.vm.registerNatives(aionFlowFfiNatives(env));
    const local = this.localCalls();
    this.router = new CallRouter(core, local);
    core.router = this.router;
    this.inbox = new InboxDrain(core.store, local, (task, what) => core.track(task, what));
  }

  /** The calls as this process carries them out on a workflow it owns. */
  private localCalls(): InboxCalls {
    const core = this.core;
    return {
      start: async (b) => {
        await core.startRun(b.type, b.input, {
          workflowId: b.workflowId,
          ...(b.timeoutMs !== undefined ? { timeoutMs: b.timeoutMs } : {}),
          ...(b.searchAttributes ? { searchAttributes: b.searchAttributes } : {}),
          ...(b.namespace !== undefined ? { namespace: b.namespace } : {}),
        });
        return b.workflowId;
      },
      signal: (id, b) => core.signals.deliver(id, b.name, b.payload, b.signalId),
      cancel: (id, b: EndBody) =>
        this.end(id, { kind: "WorkflowCancelled", reason: b.reason }, (child) =>
          this.cancel(child, b.reason),
        ),
      terminate: (id, b: EndBody) =>
        this.end(
          id,
          { kind: "WorkflowFailed", error: { message: `terminated:${b.reason}`, details: null } },
          (child) => this.terminate(child, b.reason),
        ),
      query: (id, b) => runQuery(core, id, b.name, b.payload, b.timeoutMs),
    };
  }

  /** Opens an engine on a store, registers what the options list, and recovers. */
  static async open(options: EngineOptions = {}): Promise<Engine> {
    const residency =
      options.residency === undefined ? undefined : residencyPolicy(options.residency);
    const clock = options.clock ?? new SystemClock();
    const random =
      typeof options.random === "number"
        ? seededRandom(options.random)
        : (options.random ?? cryptoRandom());
    const ownsStore = typeof options.store === "string" || options.store === undefined;
    const store =
      typeof options.store === "object"
        ? options.store
        : new SqliteStore(options.store ?? "./aion.db", { now: () => Math.floor(clock.wallNow()) });
    const log = options.log ?? ((line: string) => process.stderr.write(line));
    const dirs =
      typeof options.modulesDir === "string" ? [options.modulesDir] : (options.modulesDir ?? []);
    const runtime: Runtime = createRuntime({
      clock,
      log,
      paths: [...dirs, ENGINE_ERLANG_DIR],
      sandbox: engineSandbox(options.sandbox),
      atomBudget: options.atomBudget ?? DEFAULT_WORKFLOW_ATOM_BUDGET,
      maxHeapSize: {
        size: Math.ceil((options.maxHeapBytes ?? DEFAULT_WORKFLOW_MAX_HEAP_BYTES) / 8),
        kill: true,
        errorLogger: true,
      },
    });
    runtime.vm.start();
    const core = new EngineCore({
      store,
      runtime,
      clock,
      random,
      queryTimeoutMs: options.queryTimeoutMs ?? 5000,
      log,
      ...(options.ownership !== undefined ? { ownership: options.ownership } : {}),
    });
    const engine = new Engine(core, ownsStore);
    for (const [type, spec] of Object.entries(options.workflows ?? {})) engine.register(type, spec);
    for (const [name, a] of Object.entries(options.activities ?? {})) {
      if (typeof a === "function") engine.activity(name, a);
      else engine.activity(name, a.fn, a.options);
    }
    if (residency !== undefined) startResidencySweep(core, residency);
    await core.ownership.start({
      gained: async (shards) => {
        const report = await recover(core, shards);
        for (const f of report.failed)
          log(`aion engine: could not resume ${f.workflowId} (shard taken over): ${f.reason}\n`);
      },
      lost: (shards, why) => core.stopShards(shards, why),
      poll: async (owned) => {
        if (core.ownership.mode === "focus") {
          // Only calls on the runs it hosts; other workflows of the shard wait for a worker.
          await engine.inbox.drain(owned, (workflowId) => core.runs.has(workflowId));
          return;
        }
        await engine.inbox.drain(owned);
        await engine.activitiesHost.worker.poll();
      },
      resident: (shard) => {
        for (const id of core.runs.keys()) if (core.ownership.shardOf(id) === shard) return true;
        return false;
      },
    });
    if (options.recover ?? true) await engine.recover();
    return engine;
  }

  /** The VM runtime the workflows run on (load modules, inspect processes). */
  get runtime(): Runtime {
    return this.core.runtime;
  }

  /** The store the engine records into. */
  get store(): EventStore {
    return this.core.store;
  }

  /**
   * Registers a workflow type: `spec.module:spec.function(Input)`, defaults
   * `type:run/1`. New runs (starts, continue-as-new successors, children)
   * record `spec.packageVersion`; registering again changes what later runs
   * record, never what running ones execute when an entry resolver is set.
   */
  register(type: string, spec: WorkflowTypeSpec = {}): void {
    this.core.types.set(type, spec);
  }

  /**
   * Installs (or, with undefined, removes) the resolver that maps a run's
   * workflow type and package version to its entry function. The engine asks
   * it whenever it spawns a run: at start with the version it is about to
   * record, on replay (eviction, recovery, a restart) with the version
   * recorded in the run's WorkflowStarted. It returns undefined for types it
   * does not manage (the registration is used) and throws to refuse a
   * version it cannot serve. One resolver per engine; the deploy layer
   * (`Deployments.attach`) installs its own.
   */
  setEntryResolver(resolver: EntryResolver | undefined): void {
    this.core.entryResolver = resolver;
  }

  /** Registers a TypeScript activity under the name workflows dispatch. */
  activity(name: string, fn: ActivityFn, options: ActivityOptions = {}): void {
    this.core.activities.set(name, { fn, options });
  }

  /**
   * Loads an already decoded (and possibly rewritten, e.g. renamed) module
   * into the engine's VM, replacing the exports of a loaded module of the
   * same name. How the deploy layer loads `<module>$<version>` copies.
   */
  loadBeamModule(beam: BeamModule): void {
    loadModule(this.core.runtime.vm, beam);
  }

  /** Loads a `.beam` file (or its bytes) into the engine's VM. */
  loadModule(pathOrBytes: string | Uint8Array, fileName = "module.beam"): void {
    if (typeof pathOrBytes === "string") this.core.runtime.code.loadFile(pathOrBytes);
    else this.core.runtime.code.loadBytes(pathOrBytes, fileName);
  }

  /**
   * Resumes one workflow here (replay into residency, its workflow-timeout
   * timer, a continue-as-new successor never started), as recovery would,
   * without touching any other workflow. For a process in `focus` mode
   * (`result --wait`): the workflow's shard lease is borrowed and kept while
   * the run is resident. Resolves false when another process holds the
   * shard (its owner runs the workflow) or the workflow has nothing to run.
   */
  async resume(workflowId: string): Promise<boolean> {
    this.core.tasks.ensureOpen();
    const own = this.core.ownership;
    const report = await own.borrow(own.shardOf(workflowId), async () => {
      // First on its own, so a run that cannot load throws its own typed error.
      await this.core.withRun(workflowId, () => undefined);
      return recover(this.core, undefined, [workflowId]);
    });
    if (report === HELD_ELSEWHERE) return false;
    return report.resumed.length > 0 || report.successorsStarted.length > 0;
  }

  /** Runs startup recovery again (idempotent). */
  recover(): Promise<RecoveryReport> {
    this.core.tasks.ensureOpen();
    // From now on, shards taken over from a dead owner are recovered as they come.
    this.core.ownership.recoverOnGain = true;
    return recover(this.core);
  }

  /**
   * Starts a workflow; resolves with its id once `WorkflowStarted` is durable.
   * @throws UnknownWorkflowTypeError, DuplicateWorkflowError, EngineShutDownError
   */
  async start(type: string, input: unknown = null, options: StartOptions = {}): Promise<string> {
    this.core.tasks.ensureOpen();
    if (!this.core.types.has(type)) throw new UnknownWorkflowTypeError(type);
    const workflowId = options.workflowId ?? this.core.newId();
    await this.router.start({
      type,
      input: toJsonText(input, "input"),
      workflowId,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.searchAttributes ? { searchAttributes: options.searchAttributes } : {}),
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    });
    return workflowId;
  }

  /** Resolves with the final outcome (following continue-as-new). */
  result(workflowId: string): Promise<WorkflowOutcome> {
    return this.router.result(workflowId);
  }

  /**
   * Sends a signal; resolves once `SignalReceived` is durable (or, with a
   * `signalId` the workflow already recorded, at once).
   * @throws UnknownWorkflowError, AlreadyTerminalError
   */
  signal(
    workflowId: string,
    name: string,
    payload: unknown = null,
    options: SignalOptions = {},
  ): Promise<void> {
    return this.router.signal(workflowId, {
      name,
      payload: toJsonText(payload, "payload"),
      ...(options.signalId !== undefined ? { signalId: options.signalId } : {}),
    });
  }

  /**
   * Queries a running workflow through its registered handler; resolves with
   * the (JSON-decoded) reply.
   * @throws UnknownQueryError, QueryTimeoutError, QueryFailedError, AlreadyTerminalError
   */
  async query(
    workflowId: string,
    name: string,
    payload: unknown = null,
    options: { readonly timeoutMs?: number } = {},
  ): Promise<unknown> {
    const text = await this.router.query(workflowId, {
      name,
      payload: toJsonText(payload, "payload"),
      timeoutMs: options.timeoutMs ?? this.core.queryTimeoutMs ?? 5000,
    });
    return parseJson(text);
  }

  /** Cancels a running workflow (and its running children): records WorkflowCancelled. */
  cancel(workflowId: string, reason = "cancelled"): Promise<void> {
    return this.router.cancel(workflowId, { reason });
  }

  /** Terminates a running workflow (and its running children): records WorkflowFailed `terminated:`. */
  terminate(workflowId: string, reason = "terminated"): Promise<void> {
    return this.router.terminate(workflowId, { reason });
  }

  private async end(
    workflowId: string,
    event: Parameters<EngineCore["endFromOutside"]>[1],
    cascade: (child: string) => Promise<void>,
  ): Promise<void> {
    this.core.tasks.ensureOpen();
    const d = await this.core.store.describe(workflowId);
    if (d === undefined) throw new UnknownWorkflowError(workflowId);
    if (isTerminalStatus(d.status) && d.status !== "ContinuedAsNew")
      throw new AlreadyTerminalError(workflowId, d.status);
    const ended = await this.core.endFromOutside(workflowId, event);
    if (!ended) throw new AlreadyTerminalError(workflowId, "ended");
    const history = await this.core.store.readHistory(workflowId);
    const children = new Map<string, boolean>();
    for (const e of history) {
      if (e.event.kind === "ChildWorkflowStarted") children.set(e.event.childWorkflowId, true);
      else if (
        e.event.kind === "ChildWorkflowCompleted" ||
        e.event.kind === "ChildWorkflowFailed" ||
        e.event.kind === "ChildWorkflowCancelled"
      ) {
        children.set(e.event.childWorkflowId, false);
      }
    }
    for (const [child, open] of children) {
      if (open) await cascade(child).catch(() => undefined);
    }
  }

  /** The workflow's visibility record. @throws UnknownWorkflowError */
  async describe(workflowId: string): Promise<WorkflowDescription> {
    const d = await this.core.store.describe(workflowId);
    if (d === undefined) throw new UnknownWorkflowError(workflowId);
    return { ...d, resident: this.core.runs.has(workflowId) };
  }

  /** Visibility query over every workflow. */
  list(filter: WorkflowFilter = {}): Promise<readonly WorkflowSummary[]> {
    return this.core.store.query(filter);
  }

  /** The full recorded history of a workflow id (every run). */
  history(workflowId: string): Promise<readonly EventEnvelope[]> {
    return this.core.store.readHistory(workflowId);
  }

  /**
   * Drops an idle workflow from memory (parked in an await, no in-VM
   * activity, no query in flight). The next arrival, query or signal replays
   * it. Returns whether it was evicted.
   */
  evict(workflowId: string): boolean {
    return this.core.evict(workflowId);
  }

  /**
   * Evicts every resident workflow idle for at least `idleMs`; returns how
   * many. `Engine.open({ residency })` runs this periodically.
   */
  evictIdle(idleMs = 0): number {
    return this.core.evictIdle(idleMs);
  }

  /**
   * Calls `listener` after every successful append by this engine, with the
   * workflow id and the envelopes just made durable, in append order. For
   * observers (the event stream, metrics): a listener must not throw or
   * block; its exceptions are logged and ignored. Appends by other processes
   * sharing the store are not seen. Returns a function that removes it.
   */
  onAppended(
    listener: (workflowId: string, envelopes: readonly EventEnvelope[]) => void,
  ): () => void {
    const guarded = (workflowId: string, envelopes: readonly EventEnvelope[]): void => {
      try {
        listener(workflowId, envelopes);
      } catch (e) {
        this.core.log(`aion engine: an onAppended listener threw: ${errorText(e)}\n`);
      }
    };
    this.core.hooks.onAppended.push(guarded);
    return () => {
      const i = this.core.hooks.onAppended.indexOf(guarded);
      if (i >= 0) this.core.hooks.onAppended.splice(i, 1);
    };
  }

  /** Ids of the workflows resident in memory. */
  residentIds(): readonly string[] {
    return [...this.core.runs.keys()];
  }

  /** This process's part in shard ownership: its owner id, mode and the shards it holds. */
  get ownership(): {
    readonly ownerId: string;
    readonly mode: string;
    readonly shardCount: number;
    readonly shards: readonly number[];
  } {
    const o = this.core.ownership;
    return {
      ownerId: o.ownerId,
      mode: o.mode,
      shardCount: o.shardCount,
      shards: o.standingShards(),
    };
  }

  /** Armed spawn-retry tasks of recorded children (diagnostics). */
  get armedChildRetries(): number {
    return this.childrenHost.armedRetries;
  }

  /**
   * Closes the epoch: refuses new work, stops every workflow process and
   * activity, waits for every in-flight engine task (nothing appends after
   * this resolves), and closes the store when the engine opened it.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      const closing = this.core.tasks.close();
      for (const run of [...this.core.runs.values()]) this.core.teardown(run, "engine shut down");
      this.core.rejectWaiters();
      await closing;
      // The leases go back at once: the next owner need not wait for them to expire.
      await this.core.ownership.close().catch((e: unknown) => {
        this.core.log(`aion engine: releasing shard leases: ${errorText(e)}\n`);
      });
      if (this.ownsStore) await this.core.store.close();
    })().catch((e: unknown) => {
      this.core.log(`aion engine: shutdown: ${errorText(e)}\n`);
    });
    return this.shutdownPromise;
  }

  /** Whether `shutdown` has been called. */
  get isShutDown(): boolean {
    return this.core.tasks.closed;
  }
}

export { EngineShutDownError };
