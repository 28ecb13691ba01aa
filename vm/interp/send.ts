/** `Dest ! Msg` for every destination form Erlang accepts. */

import { A, Atom } from "../../terms/atom.ts";
import { Pid, Ref, type Term } from "../../terms/term.ts";
import { badarg } from "../errors.ts";
import { aliasTarget } from "../process/aliases.ts";
import type { Process } from "../process/process.ts";

/**
 * Sends `msg` to `dest` (pid, registered name, `{Name, Node}`, or a process alias).
 * Sending to a dead pid succeeds silently; to an unknown name raises badarg.
 */
export function sendMessage(p: Process, dest: Term, msg: Term): void {
  const vm = p.vm;
  if (dest instanceof Pid) {
    const target = vm.processOf(dest);
    if (target) vm.deliver(target, msg);
    return;
  }
  if (dest instanceof Ref) {
    const target = aliasTarget(vm, dest);
    if (target) vm.deliver(target, msg);
    return;
  }
  if (dest instanceof Atom) {
    const target = vm.registered.get(dest);
    if (!target) badarg();
    vm.deliver(target, msg);
    return;
  }
  if (
    Array.isArray(dest) &&
    dest.length === 2 &&
    dest[0] instanceof Atom &&
    dest[1] instanceof Atom
  ) {
    if (dest[1] !== A.nonode) return; // no distribution: other nodes are unreachable
    const target = vm.registered.get(dest[0]);
    if (target) vm.deliver(target, msg);
    return;
  }
  badarg();
}
