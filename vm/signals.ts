/**
 * Process death and the signals it sends: links, monitors, exit signals.
 *
 * Signals are delivered synchronously: the VM runs one process at a time, so
 * delivering at the moment of sending preserves BEAM's per-pair ordering.
 * Deaths caused by signals are processed from a work list, not recursively,
 * so a long chain of linked processes cannot overflow the JS stack.
 */

import { A } from "../terms/atom.ts";
import type { Term } from "../terms/term.ts";
import type { MonitorRecord, Process } from "./process/process.ts";
import type { VM } from "./vm.ts";

/**
 * Thrown inside the running process to end it by a signal (not catchable by
 * Erlang code). Not an Error subclass, to skip capturing a JS stack trace.
 */
export class ProcessKilled {
  constructor(readonly reason: Term) {}
}

/**
 * Delivers an exit signal from `from` (a pid term) to `target`.
 * `untrappable` is set only for `exit(Pid, kill)`.
 */
export function deliverExitSignal(
  vm: VM,
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
export function killProcess(vm: VM, target: Process, reason: Term): void {
  if (!target.isAlive) return;
  if (vm.current === target) {
    // The running process cannot be torn down under its own feet: unwind it.
    throw new ProcessKilled(reason);
  }
  target.killedBySignal = true;
  terminate(vm, target, reason);
}

/** Marks `p` dead and notifies its links and monitors. */
export function terminate(vm: VM, p: Process, reason: Term): void {
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
  const links = [...p.links];
  p.links.clear();
  const monitors: MonitorRecord[] = [...p.monitoredBy.values()];
  p.monitoredBy.clear();
  for (const m of p.monitors.values()) m.target?.monitoredBy.delete(m.ref.id);
  p.monitors.clear();
  p.status = "dead";
  vm.processes.delete(p.pid.id);
  // Drop the heap: a dead process keeps nothing alive.
  p.stack = [];
  p.ret = [];
  p.savedX = [];
  for (const m of monitors) {
    m.watcher.monitors.delete(m.ref.id);
    if (m.watcher.isAlive) vm.deliver(m.watcher, [A.DOWN, m.ref, A.process, m.targetTerm, reason]);
  }
  for (const other of links) {
    other.links.delete(p);
    deliverExitSignal(vm, p.pid, other, reason, { link: true, fromSelf: false });
  }
  p.onExit?.(reason);
  vm.onProcessExit(p, reason);
}
