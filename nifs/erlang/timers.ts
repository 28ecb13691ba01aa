/**
 * Time and timer BIFs. Every reading goes through the VM's {@link Clock}, so a
 * ManualClock makes all of them deterministic under test.
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { listToArray } from "../../terms/list.ts";
import { NIL, Pid, Ref, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type Process, sendMessage } from "../../vm/index.ts";
import { convertTimeUnit, msInUnit } from "./time-units.ts";

/** A clock reading (ms) in a time unit; `badarg` for a bad unit. */
function inUnit(ms: number, unit: Term): Term {
  return msInUnit(ms, unit);
}

const TIMEOUT = atom("timeout");
const ABS = atom("abs");

function startTimer(
  p: Process,
  time: Term,
  dest: Term,
  msg: Term,
  wrap: boolean,
  opts: Term,
): Term {
  const list = listToArray(opts);
  if (list === null) badarg();
  let abs = false;
  for (const o of list) {
    if (
      !Array.isArray(o) ||
      o.length !== 2 ||
      o[0] !== ABS ||
      (o[1] !== A.true && o[1] !== A.false)
    )
      badarg();
    abs = o[1] === A.true;
  }
  if (typeof time !== "number" || (!abs && time < 0)) badarg();
  if (!(dest instanceof Pid) && !(dest instanceof Atom)) badarg();
  const vm = p.vm;
  const ref = vm.makeRef();
  const fireAt = abs ? time : vm.clock.now() + time;
  const owner = dest instanceof Pid ? (vm.processOf(dest) ?? null) : null;
  const handle = vm.clock.schedule(fireAt, () => {
    vm.removeTimer(ref.id);
    const payload: Term = wrap ? [TIMEOUT, ref, msg] : msg;
    if (dest instanceof Pid) {
      const q = vm.processOf(dest);
      if (q) vm.deliver(q, payload);
    } else {
      const q = vm.registered.get(dest);
      if (q) vm.deliver(q, payload);
    }
  });
  vm.addTimer({ ref, owner, handle });
  return ref;
}

const ASYNC = atom("async");
const INFO = atom("info");

function remaining(p: Process, ref: Term, cancel: boolean): Term {
  if (!(ref instanceof Ref)) badarg();
  const vm = p.vm;
  const t = vm.timers.get(ref.id);
  if (!t) return A.false;
  if (cancel) {
    vm.clock.cancel(t.handle);
    vm.removeTimer(ref.id);
  }
  return Math.max(0, Math.ceil(t.handle.fireAt - vm.clock.now()));
}

/**
 * cancel_timer/2 and read_timer/2 with `{async, B}` and `{info, B}`: an async
 * call returns `ok` and (with info) sends `{Tag, Ref, Result}` to the caller.
 */
function timerOp(p: Process, ref: Term, opts: Term, cancel: boolean): Term {
  const list = listToArray(opts);
  if (list === null || !(ref instanceof Ref)) badarg();
  let async = false;
  let info = true;
  for (const o of list) {
    if (!Array.isArray(o) || o.length !== 2 || (o[1] !== A.true && o[1] !== A.false)) badarg();
    if (o[0] === ASYNC) async = o[1] === A.true;
    else if (o[0] === INFO) info = o[1] === A.true;
    else badarg();
  }
  const r = remaining(p, ref, cancel);
  if (!async) return info ? r : A.ok;
  if (info) p.vm.deliver(p, [cancel ? atom("cancel_timer") : atom("read_timer"), ref, r]);
  return A.ok;
}

export const timerNatives = defineNatives("erlang", {
  "send_after/3": (p, t, d, m) => startTimer(p, t!, d!, m!, false, NIL),
  "send_after/4": (p, t, d, m, o) => startTimer(p, t!, d!, m!, false, o!),
  "start_timer/3": (p, t, d, m) => startTimer(p, t!, d!, m!, true, NIL),
  "start_timer/4": (p, t, d, m, o) => startTimer(p, t!, d!, m!, true, o!),
  "cancel_timer/1": (p, r) => remaining(p, r!, true),
  "cancel_timer/2": (p, r, o) => timerOp(p, r!, o!, true),
  "read_timer/1": (p, r) => remaining(p, r!, false),
  "read_timer/2": (p, r, o) => timerOp(p, r!, o!, false),

  "monotonic_time/0": (p) => inUnit(p.vm.clock.now(), NATIVE),
  "monotonic_time/1": (p, u) => inUnit(p.vm.clock.now(), u!),
  "system_time/0": (p) => inUnit(p.vm.clock.wallNow(), NATIVE),
  "system_time/1": (p, u) => inUnit(p.vm.clock.wallNow(), u!),
  "os_system_time/0": (p) => inUnit(p.vm.clock.wallNow(), NATIVE),
  "time_offset/0": (p) => inUnit(p.vm.clock.wallNow() - p.vm.clock.now(), NATIVE),
  "time_offset/1": (p, u) => inUnit(p.vm.clock.wallNow() - p.vm.clock.now(), u!),
  "convert_time_unit/3": (_p, v, from, to) => convertTimeUnit(v!, from!, to!),
  "timestamp/0": (p) => {
    const us = Math.floor(p.vm.clock.wallNow() * 1000);
    return [Math.floor(us / 1e12), Math.floor(us / 1e6) % 1e6, us % 1e6];
  },
  "send/2": (p, d, m) => {
    sendMessage(p, d!, m!);
    return m!;
  },
  "send/3": (p, d, m) => {
    sendMessage(p, d!, m!);
    return A.ok;
  },
});

const NATIVE = atom("native");
