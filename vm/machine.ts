/**
 * What instructions, processes and signals need of the machine that runs
 * them: the shared registers, the code and export tables, the clock, and the
 * handful of scheduler operations an instruction can trigger (suspend a
 * process, wake or message another, resolve a fun, report a crash).
 *
 * `VM` (vm.ts) implements it. Instruction compilers (interp/), processes and
 * signals depend on this interface rather than on the VM class, so they see
 * the instruction contract and not the scheduler's internals, and vm.ts is
 * not at the centre of an import cycle with every file it runs.
 */
import type { Atom } from "../terms/atom.ts";
import type { Fun, Pid, Ref, Term } from "../terms/term.ts";
import type { Clock, TimerHandle } from "./clock.ts";
import type { CodeArea } from "./code/code-area.ts";
import type { ExportTable } from "./code/exports.ts";
import type { LoadedModule } from "./code/loaded-module.ts";
import type { MaxHeapSize } from "./process/max-heap.ts";
import type { Process } from "./process/process.ts";

/** Execution tier: per-instruction closures, fused blocks (interp/fuse.ts) or generated code (interp/jit). */
export type Tier = "closures" | "fused" | "jit";

/** A timer started by `erlang:send_after`/`start_timer`. */
export interface ErlangTimer {
  readonly ref: Ref;
  /**
   * The destination process when the timer targets a pid: BEAM cancels such a
   * timer when that process dies. Null for a registered-name destination.
   */
  readonly owner: Process | null;
  handle: TimerHandle;
}

export interface Machine {
  // ---- what instructions read and write -----------------------------------
  /** The X registers, shared by every process (saved to the process when it is switched out). */
  readonly x: Term[];
  /** The float registers. */
  readonly fr: Float64Array;
  /** All loaded code; instructions jump by pc. */
  readonly code: CodeArea;
  /** Export entries by MFA (calls to other modules go through them). */
  readonly exports: ExportTable;
  /** Loaded modules by name. */
  readonly modules: Map<Atom, LoadedModule>;
  /** Loads a missing module on first call (the code server); null: none. */
  moduleLoader: ((name: Atom) => boolean) | null;
  /** The execution tier the loader compiles for. */
  readonly tier: Tier;
  /** Entries before the JIT compiles a region. */
  readonly jitHot: number;
  /** Reductions a process runs per slice before it yields. */
  readonly sliceReductions: number;
  /** Slices run so far (the JIT tells tight loops from code spread over many slices). */
  slices: number;
  /** The process running now. */
  current: Process | null;
  /** A tuple `put_tuple2`/`put` is filling, and the next index (the fused tiers). */
  tupleUnderConstruction: Term[] | null;
  tupleFill: number;
  /**
   * Called by the running process `p` when its slice's reductions are spent:
   * true when it may go straight on with a fresh slice (counted as one), as
   * the scheduler would have picked it again anyway. Lets direct code
   * (interp/jit/direct.ts) keep its frames on JS's stack instead of
   * rebuilding them on the process's to yield.
   */
  extendSlice(p: Process): boolean;
  /** Saves the running process's live registers and resume point (it is being switched out). */
  saveState(p: Process, resumePc: number, live: number): void;
  /** The code address of a fun's body (resolved and cached on the fun). */
  resolveFun(f: Fun): number;

  // ---- processes ---------------------------------------------------------
  readonly clock: Clock;
  readonly processes: Map<number, Process>;
  readonly registered: Map<Atom, Process>;
  /** `max_heap_size` for new processes. */
  readonly maxHeapSize: MaxHeapSize;
  /** The live process of a pid term, if any. */
  processOf(pid: Term): Process | undefined;
  /** Puts a message in a mailbox and wakes the process if it waits. */
  deliver(p: Process, msg: Term): void;
  /** Makes a waiting process runnable. */
  wake(p: Process): void;
  /** Whether some process is runnable. */
  readonly hasRunnable: boolean;
  spawnMfa(parent: Process | null, m: Term, f: Term, args: Term): Process;
  spawnFun(parent: Process | null, fun: Term, args?: Term): Process;
  makeRef(): Ref;
  /** A pid that names no process (for `list_to_pid` of a dead one and similar). */
  unusedPid(): Pid;
  /** Called once a process has died (signals.ts): monitors, timers, listeners. */
  onProcessExit(p: Process, reason: Term): void;
  /** Writes a report (crash or error logger text) to the VM's log. */
  logReport(text: string): void;

  // ---- Erlang timers -----------------------------------------------------
  readonly timers: Map<bigint, ErlangTimer>;
  addTimer(t: ErlangTimer): void;
  removeTimer(id: bigint): void;
  cancelTimersOf(p: Process): void;
}
