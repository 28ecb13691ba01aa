/**
 * A BEAM process: registers saved across schedule-outs, a stack of frames
 * holding Y registers, a mailbox, a dictionary, and its links and monitors.
 */

import { A, type Atom } from "../../terms/atom.ts";
import { NIL, type Pid, type Ref, type Term } from "../../terms/term.ts";
import type { ErlangError } from "../errors.ts";
import type { Machine } from "../machine.ts";
import type { AtomBudget } from "./atom-budget.ts";
import { ProcessDictionary } from "./dictionary.ts";
import { MIN_HEAP_WORDS } from "./heap-size.ts";
import { Mailbox } from "./mailbox.ts";
import { type MaxHeapSize, NO_MAX_HEAP } from "./max-heap.ts";

export type ProcessStatus = "runnable" | "running" | "waiting" | "suspended" | "exiting" | "dead";

/** An active `catch`/`try`: where to resume and which frame to restore. */
export interface CatchFrame {
  /** Instruction index of the handler. */
  readonly handler: number;
  /** Stack height and frame base to restore when the handler runs. */
  readonly stackHeight: number;
  readonly yBase: number;
  readonly retHeight: number;
  /** The Y slot holding the catch tag, cleared by try_end/catch_end. */
  readonly slot: number;
}

/** Who watches whom: one record per monitor, shared by both ends. */
export interface MonitorRecord {
  readonly ref: Ref;
  readonly watcher: Process;
  readonly target: Process | null;
  /** What the monitor was set on: a pid or `{Name, Node}` for names. */
  readonly targetTerm: Term;
}

export class Process {
  status: ProcessStatus = "runnable";
  /** In the run queue right now (maintained by RunQueue). */
  queued = false;
  /** Next instruction when the process is resumed. */
  pc = 0;
  /**
   * Return addresses, pushed by non-tail calls and popped by `return`, as
   * OTP 24+ keeps them on the stack. Walking it gives exact stack traces.
   */
  ret: number[] = [];
  /** Y registers of every frame; `yBase` indexes Y0 of the current frame. */
  stack: Term[] = [];
  yBase = 0;
  /** Active catches, innermost last; null until the first `catch`/`try`. */
  catches: CatchFrame[] | null = null;
  /** X registers live at the last schedule-out (X0..Xn-1). */
  savedX: Term[] = [];
  reductions = 0;
  /** Remaining reductions in the current slice. */
  reds = 0;
  readonly mailbox = new Mailbox();
  /** The process dictionary, created on first use (see {@link dict}). */
  private dictionary: ProcessDictionary | null = null;
  /**
   * Linked processes, monitors this process holds and monitors held on it (by
   * reference id). Null until first used: most processes have none of some.
   */
  links: Set<Process> | null = null;
  monitors: Map<bigint, MonitorRecord> | null = null;
  monitoredBy: Map<bigint, MonitorRecord> | null = null;
  trapExit = false;
  /** Whether an uncaught error is logged as a crash report (the caller of Runtime.call reports it instead). */
  reportCrash = true;
  priority: Atom = A.normal;
  registeredName: Atom | null = null;
  exitReason: Term = NIL;
  /** What the initial call returned, when the process ended by returning. */
  result: Term = NIL;
  /** The exception that ended the process, if one did. */
  uncaught: ErlangError | null = null;
  /** Set when an exit signal (not its own code) ended the process. */
  killedBySignal = false;
  /** Ids of the Erlang timers aimed at this process (cancelled when it dies). */
  timerIds: Set<bigint> | null = null;
  /** Pending `receive ... after` timer, if any. */
  receiveTimer: unknown = null;
  /** Set when a receive timeout fired while waiting. */
  timedOut = false;
  /** An exception to raise at the native call when the process resumes. */
  pendingError: ErlangError | null = null;
  /** The exception a native returned in a `Raise`, while Control.Raise carries it to the loop. */
  raised: ErlangError | null = null;
  /** `{M, F, A}` the process was spawned with (process_info initial_call). */
  initialCall: Term = NIL;
  groupLeader: Pid | null = null;
  /** Host-side state for engine natives (e.g. the workflow this process runs). */
  hostData: unknown = null;
  /** `max_heap_size` (process/max-heap.ts); the VM's default for new processes. */
  maxHeap: MaxHeapSize = NO_MAX_HEAP;
  /** `min_heap_size` in words, rounded up to a heap size class. */
  minHeapSize = MIN_HEAP_WORDS;
  /** Reduction count at which the next heap check may walk the heap. */
  heapCheckAt = 0;
  /** New atoms this process's tree may still create (shared with its parent); null: no limit. */
  atomBudget: AtomBudget | null = null;
  /** Called once with the exit reason when the process has died. */
  onExit: ((reason: Term) => void) | null = null;

  constructor(
    readonly vm: Machine,
    readonly pid: Pid,
    readonly parent: Process | null,
  ) {}

  get dict(): ProcessDictionary {
    return (this.dictionary ??= new ProcessDictionary());
  }

  get isAlive(): boolean {
    return this.status !== "dead" && this.status !== "exiting";
  }
}
