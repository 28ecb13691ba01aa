/**
 * The VM: loaded code, the process table, the run queue and the scheduler loop.
 *
 * Scheduling is cooperative at the JS level and preemptive at the Erlang level:
 * each process runs a slice of reductions (4000 by default), then goes to the
 * back of the run queue. The host drives the VM either synchronously
 * ({@link VM.runUntilIdle}, for tests and CLIs) or from the event loop
 * ({@link VM.start}, for embedding), where timers and host callbacks wake
 * processes.
 */

import { A, type Atom, atom } from "../terms/atom.ts";
import { listLength } from "../terms/list.ts";
import { type Fun, NIL, Pid, Ref, type Term } from "../terms/term.ts";
import { type Clock, SystemClock, type TimerHandle } from "./clock.ts";
import { APPLY_FUN_PC, APPLY_MFA_PC, CodeArea, Control, type Handler } from "./code/code-area.ts";
import { ExportTable } from "./code/exports.ts";
import type { LoadedModule } from "./code/loaded-module.ts";
import { NativeRegistry } from "./code/natives-registry.ts";
import {
  asErlangError,
  crashReport,
  exitReasonOf,
  internalError,
  internalErrorReport,
} from "./crash.ts";
import { vmDefaults } from "./defaults.ts";
import { type ErlangError, HaltSignal, NON_VALUE, RawStacktrace } from "./errors.ts";
import { applyTerms } from "./interp/apply.ts";
import { faultPc } from "./interp/fault-pc.ts";
import type { ErlangTimer, Machine, Tier } from "./machine.ts";
import type { NativeModule } from "./native.ts";
import { AtomBudget } from "./process/atom-budget.ts";
import { heapCheckDue, heapExceeded, type MaxHeapSize, NO_MAX_HEAP } from "./process/max-heap.ts";
import { Process } from "./process/process.ts";
import { RunQueue } from "./process/run-queue.ts";
import { SandboxGuard, type SandboxPolicy } from "./sandbox.ts";
import { ProcessKilled, terminate } from "./signals.ts";

export type { ErlangTimer, Tier } from "./machine.ts";

export interface VMOptions {
  clock?: Clock;
  /** Reductions per slice (BEAM's CONTEXT_REDS). */
  sliceReductions?: number;
  /** Fuse straight-line instruction runs into one function each (default true; see interp/fuse.ts). */
  fuseBlocks?: boolean;
  /**
   * Execution tier: per-instruction closures, fused blocks (interp/fuse.ts)
   * or generated code (interp/jit). Default: `vmDefaults.tier` (vm/defaults.ts:
   * "jit" unless an edge set it); `fuseBlocks: false` alone means "closures".
   */
  tier?: Tier;
  /** Entries before a JIT region is compiled (default `vmDefaults.jitHot`, 2; tests use 1). */
  jitHot?: number;
  /** Where crash reports of processes go. Defaults to stderr. */
  log?: (text: string) => void;
  /**
   * What code in this VM may call (vm/sandbox.ts); default: everything. The
   * engine's VM gets the workflow sandbox, `aion run` none.
   */
  sandbox?: SandboxPolicy;
  /**
   * New atoms each process tree may create: every process spawned by the
   * host (no parent) starts a budget its descendants share (see
   * process/atom-budget.ts). Default: no budget beyond the atom table's size.
   */
  atomBudget?: number;
  /**
   * `max_heap_size` of every new process unless its spawn options say
   * otherwise (BEAM's `erlang:system_flag(max_heap_size, _)`); default none.
   * The engine sets its per-workflow memory limit here.
   */
  maxHeapSize?: MaxHeapSize;
}

const X_REGISTERS = 1024;
/** How long one event-loop turn runs processes before the host gets a turn. */
const DRAIN_MS = 20;
const APPLY = atom("apply");

function listLengthOr0(l: Term): number {
  const n = listLength(l);
  return Math.max(n, 0);
}

export class VM implements Machine {
  readonly clock: Clock;
  readonly sliceReductions: number;
  readonly fuseBlocks: boolean;
  readonly tier: Tier;
  readonly jitHot: number;
  slices = 0;
  /** Slices {@link extendSlice} granted (tests and docs). */
  extendedSlices = 0;
  readonly code = new CodeArea();
  /** X registers, shared by all processes; live ones are saved on schedule-out. */
  readonly x: Term[] = new Array<Term>(X_REGISTERS).fill(NIL);
  /** Float registers (never live across a schedule-out). */
  readonly fr = new Float64Array(256);
  readonly exports = new ExportTable();
  /** The one natives registry: every native is installed through it (see code/natives-registry.ts). */
  readonly natives: NativeRegistry;
  /** The sandbox policy this VM enforces, if any. */
  readonly sandbox: SandboxPolicy | null;
  /** New atoms per process tree, or null for no per-tree budget. */
  readonly atomBudget: number | null;
  /** `max_heap_size` new processes start with. */
  readonly maxHeapSize: MaxHeapSize;
  readonly processes = new Map<number, Process>();
  readonly registered = new Map<Atom, Process>();
  readonly timers = new Map<bigint, ErlangTimer>();
  /** Loaded modules by name (see interp/load.ts). */
  readonly modules = new Map<Atom, LoadedModule>();
  /**
   * Called when code of an unknown module is needed; returns true if it loaded
   * the module (the code server's autoload, see vm/code-server.ts).
   */
  moduleLoader: ((name: Atom) => boolean) | null = null;
  current: Process | null = null;
  /** Tuple being filled by pre-OTP 22 `put_tuple`/`put` sequences. */
  tupleUnderConstruction: Term[] | null = null;
  tupleFill = 0;
  private readonly log: (text: string) => void;
  private readonly runQueue = new RunQueue();
  private nextPid = 80;
  private nextRef = 1n;
  private drainScheduled = false;
  /** `performance.now()` until which the event-loop drain runs processes; 0 outside it. */
  private drainUntil = 0;
  private exitWaiters = new Map<Process, ((reason: Term) => void)[]>();
  /** Listeners for every process exit (the engine watches workflow processes). */
  readonly exitListeners: ((p: Process, reason: Term) => void)[] = [];

  constructor(options: VMOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.sliceReductions = options.sliceReductions ?? 4000;
    this.tier = options.tier ?? (options.fuseBlocks === false ? "closures" : vmDefaults.tier);
    this.jitHot = options.jitHot ?? vmDefaults.jitHot;
    this.fuseBlocks = this.tier !== "closures";
    this.log = options.log ?? ((t) => process.stderr.write(t));
    this.sandbox = options.sandbox ?? null;
    this.atomBudget = options.atomBudget ?? null;
    this.maxHeapSize = options.maxHeapSize ?? NO_MAX_HEAP;
    if (options.sandbox) {
      const guard = new SandboxGuard(options.sandbox);
      this.exports.onCreate = (e) => guard.guardEntry(e);
      this.natives = new NativeRegistry(this.exports, (e, fn, c) => guard.installNative(e, fn, c));
    } else {
      this.natives = new NativeRegistry(this.exports, (e, fn, c) => {
        e.native = fn;
        e.control = c;
      });
    }
    // pc 0: where a process's initial call returns to. Returning there ends it.
    const x = this.x;
    const exitHandler: Handler = (p) => {
      p.result = x[0]!;
      return Control.Exit;
    };
    this.code.emit(exitHandler, 0);
    // pc 1: start a process by apply(X0, X1, X2); pc 2: by calling fun X0 with list X1.
    this.code.emit((p) => applyTerms(p, x[0]!, x[1]!, x[2]!, -1), 0);
    this.code.emit((p) => applyTerms(p, x[0]!, null, x[1]!, -1), 0);
  }

  // ---- natives ---------------------------------------------------------------

  /**
   * Makes a module's natives callable (they win over bytecode of the same MFA).
   * @throws DuplicateNativeError if one of its MFAs already has a native
   */
  registerNatives(mod: NativeModule): void {
    this.natives.register(mod);
  }

  /** Replaces natives on purpose (the one way to register an MFA twice). */
  overrideNatives(mod: NativeModule): void {
    this.natives.override(mod);
  }

  /** Entry pc of a local fun (by its module's fun table), or -1. */
  resolveFun(f: Fun): number {
    let m = this.modules.get(f.module);
    if (!m && this.moduleLoader?.(f.module)) m = this.modules.get(f.module);
    if (!m) return -1;
    const info = m.funs.find((x) => x.index === f.index) ?? m.funs[f.index];
    return info ? info.pc : -1;
  }

  // ---- identifiers ------------------------------------------------------------

  makeRef(): Ref {
    return new Ref(this.nextRef++);
  }

  /** A fresh pid that belongs to no process (what a spawn on an unreachable node returns). */
  unusedPid(): Pid {
    return new Pid(this.nextPid++);
  }

  // ---- processes --------------------------------------------------------------

  /**
   * Creates a process that will start at `entryPc` with `args` in X registers.
   * Most callers use `spawnApply` (interp/spawn.ts), which resolves an MFA or fun.
   */
  /** Starts a process running `apply(M, F, Args)`. */
  spawnMfa(parent: Process | null, m: Term, f: Term, args: Term): Process {
    const p = this.newProcess(parent, APPLY_MFA_PC, [m, f, args]);
    p.initialCall = [m, f, listLengthOr0(args)];
    return p;
  }

  /** Starts a process calling `fun` with the argument list `args`. */
  spawnFun(parent: Process | null, fun: Term, args: Term = NIL): Process {
    const p = this.newProcess(parent, APPLY_FUN_PC, [fun, args]);
    p.initialCall = [A.erlang, APPLY, 2];
    return p;
  }

  /** A process starting at `entryPc` with `args` (which it takes over) in its X registers. */
  newProcess(parent: Process | null, entryPc: number, args: Term[]): Process {
    const pid = new Pid(this.nextPid++);
    const p = new Process(this, pid, parent);
    p.pc = entryPc;
    p.ret.push(0); // returning from the initial call ends the process
    p.savedX = args;
    p.groupLeader = parent?.groupLeader ?? null;
    p.maxHeap = this.maxHeapSize;
    p.atomBudget =
      parent !== null
        ? parent.atomBudget
        : this.atomBudget !== null
          ? new AtomBudget(this.atomBudget)
          : null;
    this.processes.set(pid.id, p);
    this.enqueue(p);
    return p;
  }

  processOf(pid: Term): Process | undefined {
    return pid instanceof Pid && pid.node === null ? this.processes.get(pid.id) : undefined;
  }

  /** Puts a message in `p`'s mailbox and wakes it if it waits in a receive. */
  deliver(p: Process, msg: Term): void {
    if (!p.isAlive) return;
    p.mailbox.push(msg);
    if (p.status === "waiting") this.wake(p);
  }

  /** Makes a waiting or suspended process runnable. */
  wake(p: Process): void {
    if (p.status === "waiting" || p.status === "suspended") this.enqueue(p);
  }

  /**
   * Resumes a process a native suspended, with `value` as the native's result.
   * Returns false if the process is gone.
   */
  resume(p: Process, value: Term): boolean {
    if (p.status !== "suspended") return false;
    p.savedX[0] = value;
    this.enqueue(p);
    return true;
  }

  /** Resumes a suspended process by raising `error` in it at the native call. */
  resumeWithError(p: Process, error: ErlangError): boolean {
    if (p.status !== "suspended") return false;
    p.pendingError = error;
    this.enqueue(p);
    return true;
  }

  private enqueue(p: Process): void {
    if (this.haltStatus !== null) return;
    p.status = "runnable";
    this.runQueue.push(p);
    this.scheduleDrain();
  }

  /** Saves the live X registers and the resume address of a process being switched out. */
  saveState(p: Process, resumePc: number, live: number): void {
    p.pc = resumePc;
    const sx = p.savedX;
    sx.length = live;
    const x = this.x;
    for (let i = 0; i < live; i++) sx[i] = x[i]!;
  }

  // ---- running ---------------------------------------------------------------

  /** Runs processes until none is runnable. Returns the number of slices run. */
  runUntilIdle(maxSlices = Number.POSITIVE_INFINITY): number {
    let slices = 0;
    while (this.runQueue.length > 0 && slices < maxSlices) {
      const p = this.runQueue.shift()!;
      if (p.status !== "runnable") continue;
      this.runSlice(p);
      slices++;
    }
    return slices;
  }

  get hasRunnable(): boolean {
    return this.runQueue.length > 0;
  }

  /** Drive the VM from the event loop: runnable processes run soon after they wake. */
  start(): void {
    this.autoDrain = true;
    this.scheduleDrain();
  }

  private autoDrain = false;
  /** The status `erlang:halt` asked for, once the VM has halted. */
  haltStatus: number | null = null;

  /** Stops the VM for good: nothing runs any more; exit waiters resolve. */
  halt(status: number): void {
    this.haltStatus = status;
    this.stop();
    this.runQueue.clear();
    for (const [p, waiters] of this.exitWaiters) for (const w of waiters) w(p.exitReason);
    this.exitWaiters.clear();
  }

  /**
   * Stops event-loop driving and cancels every pending timer, so nothing the
   * VM scheduled keeps the host process alive. Processes stay as they are.
   */
  stop(): void {
    this.autoDrain = false;
    for (const t of this.timers.values()) this.clock.cancel(t.handle);
    this.timers.clear();
    for (const p of this.processes.values()) {
      if (p.receiveTimer !== null) {
        this.clock.cancel(p.receiveTimer as TimerHandle);
        p.receiveTimer = null;
      }
    }
  }

  private scheduleDrain(): void {
    if (!this.autoDrain || this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      const until = performance.now() + DRAIN_MS;
      this.drainUntil = until;
      try {
        while (this.hasRunnable && performance.now() < until) this.runUntilIdle(64);
      } finally {
        this.drainUntil = 0;
      }
      if (this.hasRunnable) this.scheduleDrain();
    });
  }

  /** Resolves with the exit reason of `p` (requires {@link start} or manual driving). */
  waitExit(p: Process): Promise<Term> {
    if (p.status === "dead" || this.haltStatus !== null) return Promise.resolve(p.exitReason);
    return new Promise((resolve) => {
      const list = this.exitWaiters.get(p) ?? [];
      list.push(resolve);
      this.exitWaiters.set(p, list);
    });
  }

  /**
   * Only while the event loop drives the VM (never when a caller steps it
   * with {@link runUntilIdle}, whose slice counts tests rely on), nothing
   * else is runnable, the drain has time left and `p` is within its heap
   * limit: then the scheduler would run `p` again at once, and nothing can
   * arrive meanwhile (messages, exit signals and timers from outside come
   * through the event loop, which is not running).
   */
  extendSlice(p: Process): boolean {
    if (this.runQueue.length > 0 || this.drainUntil === 0 || p !== this.current) return false;
    if (heapCheckDue(p, this.sliceReductions) || performance.now() >= this.drainUntil) return false;
    this.slices++;
    this.extendedSlices++;
    p.reductions += this.sliceReductions;
    return true;
  }

  /** Runs one slice of `p`. */
  private runSlice(p: Process): void {
    p.status = "running";
    this.current = p;
    this.slices++;
    p.reds = this.sliceReductions;
    const x = this.x;
    const sx = p.savedX;
    for (let i = 0; i < sx.length; i++) x[i] = sx[i]!;
    const handlers = this.code.handlers;
    let pc = p.pc;
    let exitReason: Term | null = null;
    if (p.pendingError !== null) {
      const e = p.pendingError;
      p.pendingError = null;
      pc = this.handleThrow(p, e, pc - 1);
    }
    for (;;) {
      // The pc whose handler is running: a `Raise` came from its call.
      let at = pc;
      try {
        while (pc >= 0) {
          at = pc;
          pc = handlers[pc]!(p, pc);
        }
      } catch (e) {
        if (e instanceof HaltSignal) {
          this.current = null;
          this.halt(e.status);
          return;
        }
        if (e instanceof ProcessKilled) {
          exitReason = e.reason;
          p.killedBySignal = true;
          pc = Control.Exit;
          break;
        }
        pc = this.handleThrow(p, e, faultPc(e, pc));
        if (pc === Control.Exit) {
          exitReason = p.exitReason;
          break;
        }
        continue;
      }
      if (pc !== Control.Raise) break;
      // A native raised without throwing (native.ts `Raise`): routed as if thrown.
      const e = p.raised!;
      p.raised = null;
      pc = this.handleThrow(p, e, faultPc(e, at));
      if (pc === Control.Exit) {
        exitReason = p.exitReason;
        break;
      }
    }
    p.reductions += this.sliceReductions - p.reds;
    this.current = null;
    if (pc !== Control.Exit && heapExceeded(p)) {
      // Killed for outgrowing max_heap_size, as by an untrappable exit signal.
      p.killedBySignal = true;
      terminate(this, p, A.killed);
      return;
    }
    switch (pc) {
      case Control.Yield:
        this.enqueue(p);
        return;
      case Control.Wait:
        p.status = "waiting";
        // A message may have arrived while it was running.
        return;
      case Control.Suspend:
        p.status = "suspended";
        return;
      default:
        terminate(this, p, exitReason ?? A.normal);
    }
  }

  /**
   * Routes an exception to the innermost catch of `p`, or ends `p`.
   * Returns the pc to continue at, or Control.Exit with `p.exitReason` set.
   */
  handleThrow(p: Process, thrown: unknown, pc: number): number {
    const known = asErlangError(thrown);
    const e = known ?? internalError(thrown);
    // The raw trace only: the list is built if and when it is read (BEAM's build_stacktrace).
    e.captureStacktrace(this.code, p, pc);
    // A host bug skips every catch: it is not the Erlang code's exception.
    const c = known !== null ? p.catches?.pop() : undefined;
    if (c !== undefined) {
      p.stack.length = c.stackHeight;
      p.yBase = c.yBase;
      p.ret.length = c.retHeight;
      p.stack[c.yBase + c.slot] = NIL;
      const x = this.x;
      x[0] = NON_VALUE;
      x[1] = e.classAtom;
      x[2] = e.reason;
      // A raw trace keeps the class for `raise`; see RawStacktrace.
      x[3] = new RawStacktrace(e) as unknown as Term;
      p.mailbox.resetCursor();
      return c.handler;
    }
    p.mailbox.resetCursor();
    p.exitReason = exitReasonOf(e);
    p.uncaught = e;
    if (known === null) this.log(internalErrorReport(p, e, this.clock.wallNow()));
    else if (e.cls !== "exit" && p.reportCrash) this.reportCrash(p);
    return Control.Exit;
  }

  private reportCrash(p: Process): void {
    this.log(crashReport(p, this.clock.wallNow()));
  }

  /** Writes a logger report (crash reports, max heap reports) where this VM's log goes. */
  logReport(text: string): void {
    this.log(text);
  }

  /** Called by `terminate` once a process has died. */
  onProcessExit(p: Process, reason: Term): void {
    const waiters = this.exitWaiters.get(p);
    if (waiters) {
      this.exitWaiters.delete(p);
      for (const w of waiters) w(reason);
    }
    for (const l of this.exitListeners) l(p, reason);
  }

  /** Registers an Erlang timer; a pid-targeted one is also indexed on its process. */
  addTimer(t: ErlangTimer): void {
    this.timers.set(t.ref.id, t);
    if (t.owner) (t.owner.timerIds ??= new Set()).add(t.ref.id);
  }

  /** Forgets an Erlang timer (fired or cancelled). */
  removeTimer(id: bigint): void {
    const t = this.timers.get(id);
    if (!t) return;
    this.timers.delete(id);
    t.owner?.timerIds?.delete(id);
  }

  /** Cancels the timers aimed at a process that died (its own index, not a scan of all timers). */
  cancelTimersOf(p: Process): void {
    if (!p.timerIds) return;
    for (const id of p.timerIds) {
      const t = this.timers.get(id);
      if (t) {
        this.clock.cancel(t.handle);
        this.timers.delete(id);
      }
    }
    p.timerIds = null;
  }
}
