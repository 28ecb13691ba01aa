/**
 * Process death and the signals it sends: links, monitors, exit signals.
 *
 * Signals are delivered synchronously: the VM runs one process at a time, so
 * delivering at the moment of sending preserves BEAM's per-pair ordering.
 *
 * Deaths caused by signals are processed from a per-VM work queue, never by
 * recursion: a process killed by a link is marked `exiting` at once (so it
 * accepts no further signals or messages, as a dying BEAM process does) and
 * queued; the first `terminate` on the stack drains the queue. A chain of
 * 100 000 linked processes therefore costs one JS frame, not one per link.
 */

import { A } from "../terms/atom.ts";
import type { Term } from "../terms/term.ts";
import type { Machine } from "./machine.ts";
import type { Process } from "./process/process.ts";

/**
 * Thrown inside the running process to end it by a signal (not catchable by
 * Erlang code). Not an Error subclass, to skip capturing a JS stack trace.
 */
export class ProcessKilled {
  constructor(readonly reason: Term) {}
}

/** Deaths waiting to be carried out, in the order their signals arrived. */
interface DeathQueue {
  readonly procs: Process[];
  readonly reasons: Term[];
  draining: boolean;
  /**
   * Set when a signal killed the running process while the queue drained: it
   * cannot be unwound in the middle of the drain, so ProcessKilled is thrown
   * once the drain is over.
   */
  currentKilled: boolean;
  currentReason: Term;
}

const queues = new WeakMap<Machine, DeathQueue>();

function queueOf(vm: Machine): DeathQueue {
  let q = queues.get(vm);
  if (q === undefined) {
    q = { procs: [], reasons: [], draining: false, currentKilled: false, currentReason: A.normal };
    queues.set(vm, q);
  }
  return q;
}

/**
 * Delivers an exit signal from `from` (a pid term) to `target`.
 * `untrappable` is set only for `exit(Pid, kill)`.
 */
export function deliverExitSignal(
  vm: Machine,
  from: Term,
  target: Process,
  reason: Term,
  opts: { link: boolean; fromSelf: boolean },
): void {
  if (!target.isAlive) return;
  if (!opts.link && reason === A.kill) {
    killProcess(vm, target, A.killed);
    return;
  }
  if (target.trapExit) {
    vm.deliver(target, [A.EXIT, from, reason]);
    return;
  }
  if (reason === A.normal && !opts.fromSelf) return;
  killProcess(vm, target, reason);
}

/** Ends `target` with `reason`, whether it is running, runnable or waiting. */
export function killProcess(vm: Machine, target: Process, reason: Term): void {
  if (!target.isAlive) return;
  if (vm.current === target) {
    const q = queues.get(vm);
    if (q?.draining) {
      // Unwinding now would abandon the drain half-way; defer to its end.
      target.status = "exiting";
      target.exitReason = reason;
      q.currentKilled = true;
      q.currentReason = reason;
      return;
    }
    // The running process cannot be torn down under its own feet: unwind it.
    throw new ProcessKilled(reason);
  }
  target.killedBySignal = true;
  terminate(vm, target, reason);
}

/**
 * Marks `p` dead and notifies its links and monitors, then does the same for
 * every process those signals kill, before returning.
 */
export function terminate(vm: Machine, p: Process, reason: Term): void {
  if (p.status === "dead") return;
  const q = queueOf(vm);
  if (q.draining) {
    if (p.status === "exiting") return; // already queued
    p.status = "exiting";
    p.exitReason = reason;
    q.procs.push(p);
    q.reasons.push(reason);
    return;
  }
  q.procs.push(p);
  q.reasons.push(reason);
  drain(vm, q);
}

/**
 * Carries out queued deaths until none is left. An exception from a listener
 * does not strand the rest of the queue half-dead: it is rethrown at the end.
 */
function drain(vm: Machine, q: DeathQueue): void {
  q.draining = true;
  let failed = false;
  let failure: unknown;
  try {
    // The queue grows while it is walked: deaths add the deaths they cause.
    for (let i = 0; i < q.procs.length; i++) {
      try {
        finish(vm, q.procs[i]!, q.reasons[i]!);
      } catch (e) {
        if (!failed) {
          failed = true;
          failure = e;
        }
      }
    }
  } finally {
    q.procs.length = 0;
    q.reasons.length = 0;
    q.draining = false;
  }
  const killed = q.currentKilled;
  const reason = q.currentReason;
  q.currentKilled = false;
  q.currentReason = A.normal;
  if (failed) throw failure;
  if (killed) throw new ProcessKilled(reason);
}

/** One death: unregisters `p`, drops its state and sends its DOWN and EXIT signals. */
function finish(vm: Machine, p: Process, reason: Term): void {
  if (p.status === "dead") return;
  p.status = "exiting";
  p.exitReason = reason;
  if (p.receiveTimer !== null) {
    vm.clock.cancel(p.receiveTimer as Parameters<typeof vm.clock.cancel>[0]);
    p.receiveTimer = null;
  }
  vm.cancelTimersOf(p);
  if (p.registeredName !== null) {
    vm.registered.delete(p.registeredName);
    p.registeredName = null;
  }
  // Detach the collections first: nothing can reach them through `p` while
  // the signals go out, and a process without links or monitors skips it all.
  const links = p.links;
  const monitoredBy = p.monitoredBy;
  const monitors = p.monitors;
  p.links = null;
  p.monitoredBy = null;
  p.monitors = null;
  if (monitors !== null) for (const m of monitors.values()) m.target?.monitoredBy?.delete(m.ref.id);
  p.status = "dead";
  vm.processes.delete(p.pid.id);
  // Drop the heap: a dead process keeps nothing alive.
  p.stack = [];
  p.ret = [];
  p.savedX = [];
  if (monitoredBy !== null) {
    for (const m of monitoredBy.values()) {
      m.watcher.monitors?.delete(m.ref.id);
      if (m.watcher.isAlive)
        vm.deliver(m.watcher, [A.DOWN, m.ref, A.process, m.targetTerm, reason]);
    }
  }
  if (links !== null) {
    for (const other of links) {
      other.links?.delete(p);
      deliverExitSignal(vm, p.pid, other, reason, { link: true, fromSelf: false });
    }
  }
  p.onExit?.(reason);
  vm.onProcessExit(p, reason);
}
