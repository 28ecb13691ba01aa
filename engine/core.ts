/**
 * The engine's mechanics behind the public `Engine` facade: resident runs,
 * the per-workflow append queue, starting and rehydrating runs, recording
 * arrivals and terminals, and the epoch every task belongs to.
 *
 * Rule of the house: state mirroring a history is only touched inside that
 * workflow's queue (`mutex`), and every append goes through `appendLocked`,
 * which refuses once the engine is shut down. Both live in this file only:
 * collaborators decide *what* to record (host/signals.ts when to deliver a
 * signal, run/steps.ts how an await resolves, host/activities.ts and
 * host/children.ts what arrived) and go through the methods here to record
 * it, so the rule can be checked by reading this one file.
 */

import { A, atom, binaryFromString, formatW, listFromArray } from "../terms/index.ts";
import {
  type Clock,
  killProcess,
  type NativeResult,
  outcomeOf,
  type Process,
  type Runtime,
  SUSPEND,
} from "../vm/index.ts";
import {
  AlreadyTerminalError,
  DuplicateWorkflowError,
  EngineShutDownError,
  UnknownWorkflowError,
  UnknownWorkflowTypeError,
} from "./errors.ts";
import type { EventEnvelope, SignalReceived, WorkflowEvent } from "./events/index.ts";
import { KeyedMutex } from "./host/mutex.ts";
import { ResultWaiters } from "./host/results.ts";
import { type IdentifiedSend, lastSend, SignalDelivery } from "./host/signals.ts";
import { TaskTracker } from "./host/tasks.ts";
import { TimerService } from "./host/timers.ts";
import { latestRunStart, type RunOutcome, runOutcome, type WorkflowOutcome } from "./outcome.ts";
import { Ownership, type OwnershipOptions } from "./ownership/ownership.ts";
import type { CallRouter } from "./ownership/router.ts";
import { type RandomSource, randomUuid } from "./random.ts";
import { describeEvent } from "./run/commands.ts";
import { type Step, WorkflowRun } from "./run/run-state.ts";
import { AwaitSteps } from "./run/steps.ts";
import { arrivalKind, WAKE_MARKERS } from "./run/wake-markers.ts";
import { type EventStore, FencedError } from "./store/index.ts";
import { errorTerm, payloadFromText, payloadText, resultText } from "./terms.ts";
import type {
  ActivityFn,
  ActivityOptions,
  EntryResolver,
  WorkflowEntry,
  WorkflowTypeSpec,
} from "./types.ts";

/**
 * The marker of a signal arrival. Kept for embedders that matched on it;
 * every kind now has its own marker (run/wake-markers.ts).
 */
export const WAKE_MARKER = WAKE_MARKERS.signal;
/** Prefix of the durable timer that enforces a workflow timeout. */
export const TIMEOUT_TIMER_PREFIX = "$timeout:";
/** The package version recorded for a type registered without one. */
const NO_PACKAGE = "0".repeat(64);

/** Host data of an in-VM activity runner process. */
export interface RunnerData {
  readonly kind: "runner";
  readonly workflowId: string;
  readonly activityId: string;
}

export interface CoreOptions {
  readonly store: EventStore;
  readonly runtime: Runtime;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly queryTimeoutMs: number | undefined;
  readonly log: (line: string) => void;
  /** Shard ownership (default: this process owns every shard). */
  readonly ownership?: OwnershipOptions;
}

/** Options of an internal start. */
export interface StartRunOptions {
  readonly workflowId: string;
  readonly parentRunId?: string;
  readonly timeoutMs?: number;
  readonly searchAttributes?: Readonly<Record<string, string | number | boolean>>;
  /** Namespace of a new workflow id; the store keeps an existing id's own. */
  readonly namespace?: string;
}

export class EngineCore {
  readonly store: EventStore;
  readonly runtime: Runtime;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly queryTimeoutMs: number | undefined;
  readonly log: (line: string) => void;
  readonly types = new Map<string, WorkflowTypeSpec>();
  /** Installed by a deploy layer: versioned code for (type, package version). */
  entryResolver: EntryResolver | undefined = undefined;
  readonly activities = new Map<string, { fn: ActivityFn; options: ActivityOptions }>();
  /** Resident runs by workflow id. */
  readonly runs = new Map<string, WorkflowRun>();
  readonly mutex = new KeyedMutex();
  readonly tasks = new TaskTracker();
  readonly timers: TimerService;
  private readonly waiters: ResultWaiters;
  /** The await machinery natives call into. */
  readonly steps: AwaitSteps;
  /** Signal delivery (exactly once per signal id). */
  readonly signals: SignalDelivery;
  /** Hooks the host modules install (activities, children, signals). */
  readonly hooks: {
    onLoaded: ((run: WorkflowRun) => void)[];
    onFinal: ((workflowId: string, outcome: WorkflowOutcome) => void)[];
    onRunnerExit: ((data: RunnerData, p: Process) => void) | null;
    /** After each successful append (the Engine facade's `onAppended` listeners). */
    onAppended: ((workflowId: string, envelopes: readonly EventEnvelope[]) => void)[];
    /** Shards this process stopped owning: drop what it runs for their workflows. */
    onShardsLost: ((lost: (workflowId: string) => boolean) => void)[];
  } = { onLoaded: [], onFinal: [], onRunnerExit: null, onAppended: [], onShardsLost: [] };
  /** Which shards this process owns; every append is fenced by it. */
  readonly ownership: Ownership;
  /** Routes calls on workflows this process may not own (set by the Engine facade). */
  router: CallRouter | undefined = undefined;

  constructor(options: CoreOptions) {
    this.store = options.store;
    this.runtime = options.runtime;
    this.clock = options.clock;
    this.random = options.random;
    this.queryTimeoutMs = options.queryTimeoutMs;
    this.log = options.log;
    this.waiters = new ResultWaiters(this.store);
    this.timers = new TimerService(this.clock, (id, timerId) => this.onTimerDue(id, timerId));
    this.tasks.onClose(() => this.timers.close());
    this.runtime.vm.exitListeners.push((p) => this.onProcessExit(p));
    this.steps = new AwaitSteps(this.runtime.vm, (run, expected, actual) =>
      this.failNondeterminism(run, expected, actual),
    );
    this.signals = new SignalDelivery(this);
    this.ownership = new Ownership(
      this.store,
      options.ownership ?? {},
      crypto.randomUUID(),
      (task, what) => this.track(task, what),
      () => [...this.activities.keys()],
    );
    this.tasks.onClose(() => this.ownership.stop());
  }

  /**
   * The epoch-close rule for lost shards: every resident run of them stops
   * at once (process and runners killed, host timers disarmed, nothing
   * recorded); whatever still tries to append for them is refused by the
   * fence before it reaches the store.
   */
  stopShards(shards: readonly number[], why: string): void {
    const set = new Set(shards);
    const lost = (id: string) => set.has(this.ownership.shardOf(id));
    for (const run of [...this.runs.values()]) {
      if (!lost(run.workflowId)) continue;
      this.teardown(run, `shard lost: ${why}`);
      this.timers.disarmAll(run.workflowId);
    }
    for (const hook of this.hooks.onShardsLost) hook(lost);
    this.log(`aion engine: stopped shard(s) ${shards.join(", ")}: ${why}\n`);
  }

  get vm() {
    return this.runtime.vm;
  }

  /** Wall-clock ms as an integer (the store only takes integer times). */
  wallNow(): number {
    return Math.floor(this.clock.wallNow());
  }

  /** A fresh id (run ids, generated workflow ids). */
  newId(): string {
    return randomUuid(this.random);
  }

  /** Tracks an engine task in the epoch; failures are logged. */
  track(task: Promise<unknown>, what: string): void {
    this.tasks.track(task, (e) => this.log(`aion engine: ${what} failed: ${errorText(e)}\n`));
  }

  // ---- appends -----------------------------------------------------------------

  /** Appends to a resident run's history. Call inside the workflow's queue. */
  async appendLocked(
    run: WorkflowRun,
    events: readonly WorkflowEvent[],
    timers?: readonly { timerId: string; fireAt: number }[],
    namespace?: string,
  ): Promise<readonly EventEnvelope[]> {
    this.tasks.ensureOpen();
    const fence = this.ownership.fenceFor(run.workflowId);
    let r: Awaited<ReturnType<EventStore["append"]>>;
    try {
      r = await this.store.append(run.workflowId, events, run.head, {
        recordedAt: this.wallNow(),
        fence,
        ...(timers ? { timers } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
      });
    } catch (e) {
      if (e instanceof FencedError) this.ownership.fenced(e.shard);
      throw e;
    }
    // A shutdown that began while the append was in flight still sees it
    // applied: the tracker waits for this task before the epoch closes.
    run.applyEvents(r.envelopes);
    run.lastActive = this.clock.now();
    for (const f of this.hooks.onAppended) f(run.workflowId, r.envelopes);
    return r.envelopes;
  }

  /**
   * Runs `fn` on the resident run of `workflowId` inside its queue, loading
   * (replaying) the run first when it is not resident. Resolves undefined when
   * the workflow has no running run.
   */
  withRun<T>(workflowId: string, fn: (run: WorkflowRun) => Promise<T> | T): Promise<T | undefined> {
    return this.mutex.run(workflowId, async () => {
      this.tasks.ensureOpen();
      const run = this.runs.get(workflowId) ?? (await this.loadRunLocked(workflowId));
      if (run === undefined) return undefined;
      return fn(run);
    });
  }

  /**
   * Records arrival events built from the run's current state (null: nothing
   * to record), then wakes the workflow. Tracked; never throws to the caller.
   */
  recordArrival(
    workflowId: string,
    build: (run: WorkflowRun) => readonly WorkflowEvent[] | null,
    what: string,
  ): Promise<void> {
    const task = this.withRun(workflowId, async (run) => {
      if (run.terminal) return;
      const events = build(run);
      if (events === null || events.length === 0) return;
      await this.appendLocked(run, events);
      this.wakeFor(run, events);
    }).then(() => undefined);
    this.track(task, what);
    return task.catch(() => undefined);
  }

  /** Wakes a run for arrivals it just recorded, with the first arrival's marker. */
  private wakeFor(run: WorkflowRun, events: readonly WorkflowEvent[]): void {
    const kind = events.map((e) => arrivalKind(e.kind)).find((k) => k !== undefined);
    if (kind !== undefined) this.steps.wake(run, WAKE_MARKERS[kind]);
  }

  /**
   * Records a SignalReceived in the target's running run and wakes it.
   * Resolves false when the target has no running run, true once recorded
   * (or already held, for an identified signal). Used by host/signals.ts.
   * @throws AlreadyTerminalError when the run is ending
   */
  async recordSignal(target: string, event: SignalReceived): Promise<boolean> {
    const done = await this.withRun(target, async (run) => {
      if (run.terminal) throw new AlreadyTerminalError(target, "ending");
      if (event.signalId !== undefined && run.receivedSignalIds.has(event.signalId)) return true;
      await this.appendLocked(run, [event]);
      this.steps.wake(run, WAKE_MARKERS.signal);
      return true;
    });
    return done === true;
  }

  /** Ties an in-VM activity runner to its run (killed with it). Used by host/activities.ts. */
  attachRunner(run: WorkflowRun, p: Process): void {
    run.runners.add(p);
  }

  /** Unties a runner from its workflow's run, if resident. Used by host/activities.ts. */
  detachRunner(workflowId: string, p: Process): void {
    this.runs.get(workflowId)?.runners.delete(p);
  }

  /**
   * Issues a recording call: on replay the recorded events answer it; live,
   * its events are appended (one append) before `then` makes the effect
   * visible; a mismatch fails the workflow as non-deterministic.
   */
  command(
    run: WorkflowRun,
    p: Process,
    events: readonly WorkflowEvent[],
    then: (recorded: readonly EventEnvelope[], live: boolean) => Step,
    timers?: readonly { timerId: string; fireAt: number }[],
  ): NativeResult {
    const m = run.match(events);
    if (m.kind === "replay") return this.steps.finishSync(then(m.envelopes, false));
    if (m.kind === "mismatch") {
      this.failNondeterminism(run, m.expected, m.actual);
      return SUSPEND;
    }
    if (this.tasks.closed) return errorTerm("engine_shut_down");
    const task = this.mutex.run(run.workflowId, async () => {
      if (run.detached || run.terminal) return;
      let recorded: readonly EventEnvelope[];
      try {
        recorded = await this.appendLocked(run, events, timers);
      } catch (e) {
        if (!(e instanceof EngineShutDownError) && !run.detached) {
          this.vm.resume(p, errorTerm(`durability:${errorText(e)}`));
        }
        throw e;
      }
      this.steps.deliverStep(p, then(recorded, true));
    });
    this.track(task, `recording ${events.map(describeEvent).join(", ")}`);
    return SUSPEND;
  }

  // ---- starting and loading runs --------------------------------------------------

  /**
   * The code a run of `type` recorded with `packageVersion` executes: the
   * resolver's answer when it manages the type, else the type's registration.
   * Resolving by the recorded version (not the type's current registration)
   * is what lets a replayed run keep the code it started with after a newer
   * version of its type was deployed.
   * @throws UnknownWorkflowTypeError, or whatever the resolver throws to refuse
   */
  entryFor(type: string, packageVersion: string): WorkflowEntry {
    const resolved = this.entryResolver?.(type, packageVersion);
    if (resolved !== undefined) return resolved;
    const spec = this.types.get(type);
    if (spec === undefined) throw new UnknownWorkflowTypeError(type);
    return { module: spec.module ?? type, function: spec.function ?? "run" };
  }

  /**
   * Starts a new workflow (or the successor run of a continue-as-new, or a
   * child). The run records the type's registered package version as it is
   * now — for a successor or a child, too: they are new runs and take the
   * current route, not their predecessor's or parent's version.
   */
  startRun(type: string, input: string, options: StartRunOptions): Promise<WorkflowRun> {
    return this.mutex.run(options.workflowId, () => this.startRunLocked(type, input, options));
  }

  private async startRunLocked(
    type: string,
    input: string,
    options: StartRunOptions,
  ): Promise<WorkflowRun> {
    this.tasks.ensureOpen();
    const spec = this.types.get(type);
    if (spec === undefined) throw new UnknownWorkflowTypeError(type);
    const id = options.workflowId;
    this.ownership.fenceFor(id);
    const history = await this.store.readHistory(id);
    if (options.parentRunId === undefined) {
      if (history.length > 0) throw new DuplicateWorkflowError(id);
    } else if (
      history.some(
        (e) => e.event.kind === "WorkflowStarted" && e.event.parentRunId === options.parentRunId,
      )
    ) {
      throw new DuplicateWorkflowError(id);
    }
    const packageVersion = spec.packageVersion ?? NO_PACKAGE;
    // Resolved before anything is recorded: a start the code cannot serve leaves no history.
    const entry = this.entryFor(type, packageVersion);
    const runId = this.newId();
    const run = new WorkflowRun(id, runId, type, input, packageVersion);
    run.head = history.at(-1)?.seq ?? 0;
    run.noteEarlierSignals(history);
    const events: WorkflowEvent[] = [
      {
        kind: "WorkflowStarted",
        workflowType: type,
        input: payloadFromText(input),
        runId,
        parentRunId: options.parentRunId ?? null,
        packageVersion: run.packageVersion,
      },
    ];
    if (options.searchAttributes && Object.keys(options.searchAttributes).length > 0) {
      events.push({ kind: "SearchAttributesUpdated", attributes: options.searchAttributes });
    }
    const timeoutMs = options.timeoutMs ?? spec.timeoutMs;
    const timers =
      timeoutMs === undefined
        ? undefined
        : [{ timerId: `${TIMEOUT_TIMER_PREFIX}${timeoutMs}`, fireAt: this.wallNow() + timeoutMs }];
    await this.appendLocked(run, events, timers, options.namespace);
    this.runs.set(id, run);
    if (timers) this.timers.arm(id, timers[0]!.timerId, timers[0]!.fireAt);
    this.spawn(run, entry);
    return run;
  }

  /** Replays a running workflow into residency. Call inside its queue. */
  async loadRunLocked(workflowId: string): Promise<WorkflowRun | undefined> {
    const resident = this.runs.get(workflowId);
    if (resident) return resident;
    // Never replay a workflow of a shard this process does not hold: that would be a zombie.
    this.ownership.fenceFor(workflowId);
    const history = await this.store.readHistory(workflowId);
    const start = latestRunStart(history);
    if (start === undefined || runOutcome(history, start.event.runId) !== undefined)
      return undefined;
    const s = start.event;
    // The recorded version, not the type's current route: a replay must run the
    // code that made the history (another version would diverge from it).
    const entry = this.entryFor(s.workflowType, s.packageVersion);
    const run = new WorkflowRun(
      workflowId,
      s.runId,
      s.workflowType,
      payloadText(s.input),
      s.packageVersion,
    );
    run.noteEarlierSignals(history.slice(0, start.index));
    run.loadEvents(history.slice(start.index));
    run.head = history.at(-1)!.seq;
    this.runs.set(workflowId, run);
    for (const [timerId, t] of run.index.pendingTimers()) {
      if (!run.index.scopes.has(timerId)) this.timers.arm(workflowId, timerId, t.fireAt);
    }
    // Hooks: host/signals.ts redelivers a last send, activities and children resume.
    for (const hook of this.hooks.onLoaded) hook(run);
    this.spawn(run, entry);
    // The live run was announced every arrival; a raw `receive` replays against them too.
    for (const env of run.events) {
      const kind = arrivalKind(env.event.kind);
      if (kind !== undefined) this.vm.deliver(run.process!, WAKE_MARKERS[kind]);
    }
    return run;
  }

  private spawn(run: WorkflowRun, entry: WorkflowEntry): void {
    const p = this.vm.spawnMfa(
      null,
      atom(entry.module),
      atom(entry.function),
      listFromArray([binaryFromString(run.input)]),
    );
    p.hostData = run;
    run.process = p;
    run.lastActive = this.clock.now();
  }

  // ---- ends of runs --------------------------------------------------------------

  private onProcessExit(p: Process): void {
    const data = p.hostData;
    if (data instanceof WorkflowRun) {
      if (data.detached || data.process !== p) return;
      this.track(this.recordExit(data, p), `recording the end of ${data.workflowId}`);
      return;
    }
    if (isRunner(data)) this.hooks.onRunnerExit?.(data, p);
  }

  private recordExit(run: WorkflowRun, p: Process): Promise<void> {
    return this.mutex.run(run.workflowId, async () => {
      if (run.detached || run.terminal) return;
      await this.terminateLocked(run, exitEvent(p));
    });
  }

  /**
   * Records a terminal event for the run (unless one is already recorded),
   * takes its process down and notifies waiters. Call inside the queue.
   */
  async terminateLocked(run: WorkflowRun, event: WorkflowEvent): Promise<void> {
    if (run.terminal) return;
    run.terminal = true;
    try {
      await this.appendLocked(run, [event]);
    } finally {
      this.teardown(run, `run ended: ${event.kind}`);
      this.timers.disarmAll(run.workflowId);
    }
    const o = run.events.length > 0 ? runOutcome(run.events, run.runId) : undefined;
    if (o !== undefined) this.afterTerminal(run, o);
  }

  /** What follows a recorded terminal: successor run or final notification. */
  afterTerminal(run: WorkflowRun, o: RunOutcome): void {
    if (o.status === "ContinuedAsNew") {
      const task = this.startRun(run.workflowType, o.input, {
        workflowId: run.workflowId,
        parentRunId: run.runId,
      }).catch((e: unknown) => {
        if (!(e instanceof DuplicateWorkflowError)) throw e;
      });
      this.track(task, `starting the successor of ${run.workflowId}`);
      return;
    }
    this.notifyFinal(run.workflowId, o);
  }

  notifyFinal(workflowId: string, o: WorkflowOutcome): void {
    this.waiters.notify(workflowId, o);
    for (const hook of this.hooks.onFinal) hook(workflowId, o);
  }

  /** Drops the run from residency and ends its processes without recording anything. */
  teardown(run: WorkflowRun, why: string): void {
    run.detached = true;
    run.parked = null;
    if (this.runs.get(run.workflowId) === run) this.runs.delete(run.workflowId);
    for (const r of run.runners) killProcess(this.vm, r, A.kill);
    run.runners.clear();
    run.rejectQueries(why);
    const p = run.process;
    if (p?.isAlive) killProcess(this.vm, p, atom("aion_detached"));
  }

  /** Fails the run with a non-determinism error naming both sides. */
  failNondeterminism(run: WorkflowRun, expected: string, actual: string): void {
    const message = `nondeterminism: history records ${expected} but the workflow called ${actual}`;
    this.log(`aion engine: ${run.workflowId}: ${message}\n`);
    const task = this.mutex.run(run.workflowId, () =>
      this.terminateLocked(run, { kind: "WorkflowFailed", error: { message, details: null } }),
    );
    this.track(task, `failing ${run.workflowId}`);
  }

  /**
   * Ends a running workflow from outside (cancel, terminate, timeout). A
   * signal the run sent whose delivery may not have happened is delivered
   * first: a run never ends with a recorded SignalSent its target may lack.
   */
  async endFromOutside(workflowId: string, event: WorkflowEvent): Promise<boolean> {
    const delivered = new Set<string>();
    for (;;) {
      const pending = this.runs.get(workflowId)?.pendingSignal;
      if (pending) await pending.done;
      const ended = await this.endFromOutsideOnce(workflowId, event, delivered);
      if (typeof ended === "boolean") return ended;
      if (ended === undefined) continue;
      // A non-resident run's last send (never loaded since the engine stopped): deliver it now.
      delivered.add(ended.signalId);
      await this.signals.deliverSent(ended).catch((e: unknown) => {
        if (e instanceof EngineShutDownError) throw e;
        this.log(
          `aion engine: signal ${ended.signalName} to ${ended.targetWorkflowId} failed: ${errorText(e)}\n`,
        );
      });
    }
  }

  /**
   * One attempt of `endFromOutside`: whether it ended the run, or undefined
   * when the resident run's signal delivery must settle first, or the last
   * send of a non-resident run to deliver first.
   */
  private endFromOutsideOnce(
    workflowId: string,
    event: WorkflowEvent,
    delivered: ReadonlySet<string>,
  ): Promise<boolean | undefined | IdentifiedSend> {
    return this.mutex.run(workflowId, async () => {
      this.tasks.ensureOpen();
      const resident = this.runs.get(workflowId);
      if (resident !== undefined) {
        if (resident.terminal) return false;
        if (resident.pendingSignal !== null) return undefined;
        await this.terminateLocked(resident, event);
        return true;
      }
      // Not resident: record directly, without a replay.
      const history = await this.store.readHistory(workflowId);
      if (history.length === 0) throw new UnknownWorkflowError(workflowId);
      const start = latestRunStart(history)!;
      const o = runOutcome(history, start.event.runId);
      if (o !== undefined) return false;
      const run = new WorkflowRun(workflowId, start.event.runId, start.event.workflowType, "", "");
      run.loadEvents(history.slice(start.index));
      run.head = history.at(-1)!.seq;
      const last = lastSend(run);
      if (last !== undefined && !delivered.has(last.signalId)) return last;
      run.detached = true;
      await this.terminateLocked(run, event);
      return true;
    });
  }

  // ---- residency -------------------------------------------------------------------

  /**
   * Drops an idle run from memory (parked in an await, no in-VM activity, no
   * query in flight, no signal delivery pending); its host timers stay armed
   * and the next arrival or query replays it. Returns whether it was evicted.
   */
  evict(workflowId: string): boolean {
    const run = this.runs.get(workflowId);
    if (run === undefined || run.terminal || run.parked === null) return false;
    if (run.runners.size > 0 || run.queuedQueries.length > 0 || run.answering.size > 0)
      return false;
    if (run.pendingSignal !== null) return false;
    this.teardown(run, "evicted");
    return true;
  }

  /** Evicts every resident run idle (no append, no spawn) for at least `idleMs`; returns how many. */
  evictIdle(idleMs: number): number {
    let n = 0;
    const now = this.clock.now();
    for (const [id, run] of [...this.runs]) {
      if (now - run.lastActive >= idleMs && this.evict(id)) n++;
    }
    return n;
  }

  private onTimerDue(workflowId: string, timerId: string): void {
    if (timerId.startsWith(TIMEOUT_TIMER_PREFIX)) {
      const timeoutMs = Number(timerId.slice(TIMEOUT_TIMER_PREFIX.length));
      const task = this.endFromOutside(workflowId, { kind: "WorkflowTimedOut", timeoutMs }).catch(
        (e: unknown) => {
          if (!(e instanceof UnknownWorkflowError)) throw e;
        },
      );
      this.track(task, `timing out ${workflowId}`);
      return;
    }
    void this.recordArrival(
      workflowId,
      (run) => {
        const t = run.index.timers.get(timerId);
        return t !== undefined && t.firedSeq === null && !t.cancelled
          ? [{ kind: "TimerFired", timerId }]
          : null;
      },
      `firing timer ${timerId} of ${workflowId}`,
    );
  }

  // ---- results -----------------------------------------------------------------------

  /** Resolves with the final outcome of the workflow's run chain. */
  result(workflowId: string): Promise<WorkflowOutcome> {
    return this.waiters.wait(workflowId, () => this.tasks.ensureOpen());
  }

  /** Rejects every pending result() (the engine shuts down). */
  rejectWaiters(): void {
    this.waiters.rejectAll();
  }

  /** Throws unless the workflow's latest run is running. */
  async requireRunning(workflowId: string): Promise<void> {
    const d = await this.store.describe(workflowId);
    if (d === undefined) throw new UnknownWorkflowError(workflowId);
    if (d.status !== "Running") throw new AlreadyTerminalError(workflowId, d.status);
  }
}

function isRunner(data: unknown): data is RunnerData {
  return (
    typeof data === "object" && data !== null && (data as { kind?: unknown }).kind === "runner"
  );
}

/** The terminal event for a workflow process that ended on its own. */
function exitEvent(p: Process): WorkflowEvent {
  const o = outcomeOf(p);
  if (o.kind === "value") {
    const v = o.value;
    if (Array.isArray(v) && v.length === 2 && v[0] === A.ok) {
      return { kind: "WorkflowCompleted", result: payloadFromText(resultText(v[1]!)) };
    }
    if (Array.isArray(v) && v.length === 2 && v[0] === A.error) {
      // As the original: a fixed message naming the process, the value as typed details.
      return {
        kind: "WorkflowFailed",
        error: {
          message: `workflow ${formatW(p.pid)} returned error`,
          details: payloadFromText(resultText(v[1]!)),
        },
      };
    }
    return { kind: "WorkflowCompleted", result: payloadFromText(resultText(v)) };
  }
  if (o.kind === "exception") {
    return {
      kind: "WorkflowFailed",
      error: { message: `${o.cls}:${formatW(o.reason)}`, details: null },
    };
  }
  return {
    kind: "WorkflowFailed",
    error: { message: "workflow process timed out", details: null },
  };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
