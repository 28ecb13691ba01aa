/**
 * Process BIFs of the `erlang` module: spawning, links, monitors, exit
 * signals, registration, flags and introspection.
 */

import { A, Atom, atom, bool } from "../../terms/atom.ts";
import { listFromArray, listLength, listToArray, listToString } from "../../terms/list.ts";
import { Cons, ExportFun, Fun, NIL, Pid, Ref, type Term } from "../../terms/term.ts";
import {
  activateAlias,
  badarg,
  buildStacktrace,
  defineNatives,
  deliverExitSignal,
  demonitorAlias,
  ErlangError,
  killProcess,
  type Machine,
  type MaxHeapSize,
  MIN_HEAP_WORDS,
  type MonitorRecord,
  maxHeapTerm,
  PROCESS_OVERHEAD_BYTES,
  type Process,
  ProcessKilled,
  processHeapWords,
} from "../../vm/index.ts";
import { monitorAliasOption } from "./aliases.ts";
import { checkHeapBounds, heapFlag, parseMaxHeap, parseMinHeap } from "./heap-opts.ts";

const AT = {
  link: atom("link"),
  monitor: atom("monitor"),
  trap_exit: atom("trap_exit"),
  flush: atom("flush"),
  info: atom("info"),
  message_queue_len: atom("message_queue_len"),
  messages: atom("messages"),
  links: atom("links"),
  dictionary: atom("dictionary"),
  status: atom("status"),
  registered_name: atom("registered_name"),
  initial_call: atom("initial_call"),
  current_function: atom("current_function"),
  reductions: atom("reductions"),
  heap_size: atom("heap_size"),
  total_heap_size: atom("total_heap_size"),
  min_heap_size: atom("min_heap_size"),
  max_heap_size: atom("max_heap_size"),
  stack_size: atom("stack_size"),
  memory: atom("memory"),
  group_leader: atom("group_leader"),
  monitors: atom("monitors"),
  monitored_by: atom("monitored_by"),
  priority: atom("priority"),
  normal: atom("normal"),
  waiting: atom("waiting"),
  running: atom("running"),
  runnable: atom("runnable"),
  suspended: atom("suspended"),
  error_handler: atom("error_handler"),
} as const;

function checkFun(f: Term, arity: number): void {
  if (!(f instanceof Fun || f instanceof ExportFun) || f.arity !== arity) badarg();
}

function checkMfa(m: Term, f: Term, args: Term): void {
  if (!(m instanceof Atom) || !(f instanceof Atom) || listLength(args) < 0) badarg();
}

function linkProcs(a: Process, b: Process): void {
  (a.links ??= new Set()).add(b);
  (b.links ??= new Set()).add(a);
}

/** Creates a monitor from `watcher` on `target` (a live process or not). */
export function addMonitor(
  vm: Machine,
  watcher: Process,
  target: Process | undefined,
  targetTerm: Term,
): Ref {
  const ref = vm.makeRef();
  // Monitoring oneself yields a reference but no monitor, as in BEAM.
  if (target === watcher) return ref;
  if (!target?.isAlive) {
    vm.deliver(watcher, [A.DOWN, ref, A.process, targetTerm, A.noproc]);
    return ref;
  }
  const rec: MonitorRecord = { ref, watcher, target, targetTerm };
  (watcher.monitors ??= new Map()).set(ref.id, rec);
  (target.monitoredBy ??= new Map()).set(ref.id, rec);
  return ref;
}

interface SpawnOpts {
  link: boolean;
  monitor: boolean;
  priority?: Atom;
  maxHeap?: MaxHeapSize;
  minHeap?: number;
}

const PRIORITIES = new Set([atom("low"), atom("normal"), atom("high"), atom("max")]);
const SPAWN_OPT_KEYS = new Set([
  "min_heap_size",
  "min_bin_vheap_size",
  "max_heap_size",
  "fullsweep_after",
  "message_queue_data",
  "async_dist",
]);

function parseSpawnOpts(p: Process, opts: Term): SpawnOpts {
  const items = listToArray(opts);
  if (items === null) badarg();
  const o: SpawnOpts = { link: false, monitor: false };
  for (const it of items) {
    if (it === AT.link) o.link = true;
    else if (it === AT.monitor) o.monitor = true;
    else if (Array.isArray(it) && it.length === 2 && it[0] === AT.monitor) o.monitor = true;
    else if (Array.isArray(it) && it.length === 2 && it[0] === AT.priority) {
      if (!PRIORITIES.has(it[1] as Atom)) badarg();
      o.priority = it[1] as Atom;
    } else if (Array.isArray(it) && it.length === 2 && it[0] === AT.max_heap_size) {
      o.maxHeap = parseMaxHeap(it[1]!, p.vm.maxHeapSize);
    } else if (Array.isArray(it) && it.length === 2 && it[0] === AT.min_heap_size) {
      o.minHeap = parseMinHeap(it[1]!);
    } else if (
      !(
        Array.isArray(it) &&
        it.length === 2 &&
        it[0] instanceof Atom &&
        SPAWN_OPT_KEYS.has(it[0].name)
      )
    ) {
      badarg();
    }
  }
  checkHeapBounds(o.maxHeap ?? p.vm.maxHeapSize, o.minHeap ?? MIN_HEAP_WORDS);
  return o;
}

/** Spawns with options; returns the pid or `{Pid, Ref}` when monitored. */
function spawnWith(p: Process, child: Process, o: SpawnOpts): Term {
  if (o.priority) child.priority = o.priority;
  if (o.maxHeap !== undefined) child.maxHeap = o.maxHeap;
  if (o.minHeap !== undefined) child.minHeapSize = o.minHeap;
  if (o.link) linkProcs(p, child);
  if (o.monitor) {
    const ref = addMonitor(p.vm, p, child, child.pid);
    return [child.pid, ref];
  }
  return child.pid;
}

/**
 * spawn/1, spawn_link/1 and spawn_opt/2 take a fun of any arity (the child
 * then dies of badarity); spawn_monitor/1 checks the arity up front.
 */
function spawnFun(p: Process, f: Term, o: SpawnOpts, strictArity = false): Term {
  if (strictArity) checkFun(f, 0);
  else if (!(f instanceof Fun || f instanceof ExportFun)) badarg();
  return spawnWith(p, p.vm.spawnFun(p, f, NIL), o);
}

function spawnMfa(p: Process, m: Term, f: Term, a: Term, o: SpawnOpts): Term {
  checkMfa(m, f, a);
  return spawnWith(p, p.vm.spawnMfa(p, m, f, a), o);
}

const NO = { link: false, monitor: false };

/** A pid on an unreachable node: refers to no process. */
function remotePid(p: Process, node: Term): Term {
  if (!(node instanceof Atom)) badarg();
  return p.vm.unusedPid();
}

/** `exit(Pid, Reason)`: an exit signal, not an exception. */
function exitSignal(p: Process, pid: Term, reason: Term): Term {
  if (!(pid instanceof Pid)) badarg();
  const target = p.vm.processOf(pid);
  if (!target) return A.true;
  if (target === p) {
    if (reason === A.kill) throw new ProcessKilled(A.killed);
    if (p.trapExit) {
      p.vm.deliver(p, [A.EXIT, p.pid, reason]);
      return A.true;
    }
    throw new ProcessKilled(reason);
  }
  deliverExitSignal(p.vm, p.pid, target, reason, { link: false, fromSelf: false });
  return A.true;
}

const CURRENT_STACKTRACE = atom("current_stacktrace");

/** BEAM's default `min_bin_vheap_size` (words) and `fullsweep_after`. */
const MIN_BIN_VHEAP_WORDS = 46_422;
const FULLSWEEP_AFTER = 65_535;

const INFO = {
  min_bin_vheap_size: atom("min_bin_vheap_size"),
  fullsweep_after: atom("fullsweep_after"),
  garbage_collection: atom("garbage_collection"),
  minor_gcs: atom("minor_gcs"),
  last_calls: atom("last_calls"),
  suspending: atom("suspending"),
  message_queue_data: atom("message_queue_data"),
  on_heap: atom("on_heap"),
  binary: atom("binary"),
  catchlevel: atom("catchlevel"),
  type: atom("type"),
  major: atom("major"),
  minor: atom("minor"),
  async: atom("async"),
  garbage_collect: atom("garbage_collect"),
} as const;

/**
 * `garbage_collect/1,2`: there is nothing to collect per process (JS has one
 * heap), so this checks the arguments as OTP does and answers as OTP would:
 * `true` for a live process, `false` for a dead one, or `async` with a
 * `{garbage_collect, RequestId, Result}` message.
 */
function garbageCollect(p: Process, pid: Term, opts: Term): Term {
  if (!(pid instanceof Pid)) return badarg();
  const list = listToArray(opts);
  if (list === null) return badarg();
  let async: Term | null = null;
  for (const o of list) {
    if (
      Array.isArray(o) &&
      o.length === 2 &&
      o[0] === INFO.type &&
      (o[1] === INFO.major || o[1] === INFO.minor)
    )
      continue;
    if (Array.isArray(o) && o.length === 2 && o[0] === INFO.async) {
      async = o[1]!;
      continue;
    }
    return badarg();
  }
  const alive = p.vm.processOf(pid)?.isAlive ?? false;
  if (async === null) return bool(alive);
  p.vm.deliver(p, [INFO.garbage_collect, async, bool(alive)]);
  return INFO.async;
}

/** One term per monitor of a (possibly never created) monitor table. */
function monitorList(
  table: Map<bigint, MonitorRecord> | null,
  f: (m: MonitorRecord) => Term,
): Term[] {
  return table === null ? [] : [...table.values()].map(f);
}

function processInfoItem(vm: Machine, q: Process, item: Term): Term {
  switch (item) {
    case AT.message_queue_len:
      return [item, q.mailbox.length];
    case AT.messages:
      return [item, listFromArray(q.mailbox.toArray())];
    case AT.links:
      return [item, listFromArray(q.links === null ? [] : [...q.links].map((l) => l.pid))];
    case AT.dictionary:
      return [item, listFromArray(q.dict.entries().map(([k, v]) => [k, v]))];
    case AT.trap_exit:
      return [item, bool(q.trapExit)];
    case AT.status: {
      const s =
        q.status === "running"
          ? AT.running
          : q.status === "runnable"
            ? AT.runnable
            : q.status === "suspended"
              ? AT.suspended
              : AT.waiting;
      return [item, s];
    }
    case AT.registered_name:
      return [item, q.registeredName ?? NIL];
    case AT.initial_call:
      return [item, q.initialCall];
    case AT.current_function: {
      const f = vm.code.functionAt(q.pc);
      return [item, f ? [f.module, f.name, f.arity] : q.initialCall];
    }
    case AT.reductions:
      // The count is settled when a process is switched out; a running process has done at least one.
      return [item, Math.max(1, q.reductions)];
    case CURRENT_STACKTRACE:
      // Asked by gen_server:system_terminate/4 and proc_lib crash reports.
      return [item, buildStacktrace(vm.code, q, q.pc, new ErlangError("error", A.undefined))];
    case AT.heap_size:
    case AT.total_heap_size:
      return [item, processHeapWords(q)];
    case AT.min_heap_size:
      return [item, q.minHeapSize];
    case AT.max_heap_size:
      return [item, maxHeapTerm(q.maxHeap)];
    case AT.stack_size:
      return [item, q.stack.length + q.ret.length];
    case AT.memory:
      // Bytes, as BEAM reports: the process structure plus its heap and stack.
      return [item, PROCESS_OVERHEAD_BYTES + 8 * (processHeapWords(q) + q.ret.length)];
    case AT.group_leader:
      return [item, q.groupLeader ?? q.pid];
    case AT.monitors:
      return [item, listFromArray(monitorList(q.monitors, (m) => [A.process, m.targetTerm]))];
    case AT.monitored_by:
      return [item, listFromArray(monitorList(q.monitoredBy, (m) => m.watcher.pid))];
    case AT.priority:
      return [item, q.priority];
    case AT.error_handler:
      return [item, atom("error_handler")];
    // Garbage-collector settings: BEAM's defaults (there is no per-process GC here).
    case INFO.min_bin_vheap_size:
      return [item, MIN_BIN_VHEAP_WORDS];
    case INFO.fullsweep_after:
      return [item, FULLSWEEP_AFTER];
    case INFO.garbage_collection:
      return [
        item,
        listFromArray([
          [AT.max_heap_size, maxHeapTerm(q.maxHeap)],
          [INFO.min_bin_vheap_size, MIN_BIN_VHEAP_WORDS],
          [AT.min_heap_size, q.minHeapSize],
          [INFO.fullsweep_after, FULLSWEEP_AFTER],
          [INFO.minor_gcs, 0],
        ]),
      ];
    case INFO.last_calls:
      return [item, A.false];
    case INFO.suspending:
      return [item, NIL];
    case INFO.message_queue_data:
      return [item, INFO.on_heap];
    // Off-heap binaries the process references: none are tracked per process.
    case INFO.binary:
      return [item, NIL];
    case INFO.catchlevel:
      return [item, q.catches?.length ?? 0];
    default:
      return badarg();
  }
}

const DEFAULT_INFO = [
  AT.current_function,
  AT.initial_call,
  AT.status,
  AT.message_queue_len,
  AT.links,
  AT.dictionary,
  AT.trap_exit,
  AT.error_handler,
  AT.priority,
  AT.group_leader,
  AT.total_heap_size,
  AT.heap_size,
  AT.stack_size,
  AT.reductions,
];

export const processNatives = defineNatives("erlang", {
  "self/0": (p) => p.pid,
  "spawn/1": (p, f) => spawnFun(p, f!, NO),
  "spawn/3": (p, m, f, a) => spawnMfa(p, m!, f!, a!, NO),
  // The node forms. Only this node exists (no distribution): like a BEAM node
  // that is not alive, spawning on another node yields a pid of no process.
  "spawn/2": (p, n, f) => (n === A.nonode ? spawnFun(p, f!, NO) : remotePid(p, n!)),
  "spawn/4": (p, n, m, f, a) => (n === A.nonode ? spawnMfa(p, m!, f!, a!, NO) : remotePid(p, n!)),
  "spawn_link/2": (p, n, f) =>
    n === A.nonode ? spawnFun(p, f!, { link: true, monitor: false }) : remotePid(p, n!),
  "spawn_link/4": (p, n, m, f, a) =>
    n === A.nonode ? spawnMfa(p, m!, f!, a!, { link: true, monitor: false }) : remotePid(p, n!),
  "spawn_link/1": (p, f) => spawnFun(p, f!, { link: true, monitor: false }),
  "spawn_link/3": (p, m, f, a) => spawnMfa(p, m!, f!, a!, { link: true, monitor: false }),
  "spawn_monitor/1": (p, f) => spawnFun(p, f!, { link: false, monitor: true }, true),
  "spawn_monitor/3": (p, m, f, a) => spawnMfa(p, m!, f!, a!, { link: false, monitor: true }),
  "spawn_opt/2": (p, f, o) => spawnFun(p, f!, parseSpawnOpts(p, o!)),
  "spawn_opt/4": (p, m, f, a, o) => spawnMfa(p, m!, f!, a!, parseSpawnOpts(p, o!)),

  "link/1": (p, pid) => {
    if (!(pid instanceof Pid)) badarg();
    const q = p.vm.processOf(pid);
    if (q === p) return A.true;
    if (!q?.isAlive) {
      if (p.trapExit) {
        p.vm.deliver(p, [A.EXIT, pid, A.noproc]);
        return A.true;
      }
      throw new ErlangError("error", A.noproc);
    }
    linkProcs(p, q);
    return A.true;
  },
  "unlink/1": (p, pid) => {
    if (!(pid instanceof Pid)) badarg();
    const q = p.vm.processOf(pid);
    if (q) {
      p.links?.delete(q);
      q.links?.delete(p);
    }
    return A.true;
  },
  "monitor/2": (p, type, target) => monitor(p, type!, target!),
  "monitor/3": (p, type, target, opts) => {
    const mode = monitorAliasOption(opts!);
    const ref = monitor(p, type!, target!);
    if (mode !== null && ref instanceof Ref) activateAlias(p.vm, ref, p, mode);
    return ref;
  },
  "demonitor/1": (p, ref) => demonitor(p, ref!, NIL),
  "demonitor/2": (p, ref, opts) => demonitor(p, ref!, opts!),

  "exit/2": (p, pid, reason) => exitSignal(p, pid!, reason!),
  "process_flag/2": (p, flag, value) => {
    if (flag === AT.trap_exit) {
      if (value !== A.true && value !== A.false) badarg();
      const old = bool(p.trapExit);
      p.trapExit = value === A.true;
      return old;
    }
    if (flag === AT.priority) {
      if (!PRIORITIES.has(value as Atom)) badarg();
      const old = p.priority;
      p.priority = value as Atom;
      return old;
    }
    return flag instanceof Atom ? (heapFlag(p, flag, value!) ?? badarg()) : badarg();
  },
  "register/2": (p, name, pid) => {
    if (!(name instanceof Atom) || name === A.undefined) badarg();
    const vm = p.vm;
    const q = pid instanceof Pid ? vm.processOf(pid) : undefined;
    if (!q?.isAlive || q.registeredName !== null || vm.registered.has(name)) badarg();
    vm.registered.set(name, q);
    q.registeredName = name;
    return A.true;
  },
  "unregister/1": (p, name) => {
    if (!(name instanceof Atom)) badarg();
    const q = p.vm.registered.get(name);
    if (!q) badarg();
    p.vm.registered.delete(name);
    q.registeredName = null;
    return A.true;
  },
  "whereis/1": (p, name) => {
    if (!(name instanceof Atom)) badarg();
    return p.vm.registered.get(name)?.pid ?? A.undefined;
  },
  "registered/0": (p) => listFromArray([...p.vm.registered.keys()]),
  "is_process_alive/1": (p, pid) => {
    if (!(pid instanceof Pid)) badarg();
    return bool(p.vm.processOf(pid)?.isAlive ?? false);
  },
  "processes/0": (p) =>
    listFromArray([...p.vm.processes.values()].filter((q) => q.isAlive).map((q) => q.pid)),
  "process_info/1": (p, pid) => {
    if (!(pid instanceof Pid)) badarg();
    const q = p.vm.processOf(pid);
    if (!q?.isAlive) return A.undefined;
    const items = q.registeredName
      ? [...DEFAULT_INFO.slice(0, 2), AT.registered_name, ...DEFAULT_INFO.slice(2)]
      : DEFAULT_INFO;
    return listFromArray(items.map((i) => processInfoItem(p.vm, q, i)));
  },
  "process_info/2": (p, pid, item) => {
    if (!(pid instanceof Pid)) badarg();
    const q = p.vm.processOf(pid);
    if (!q?.isAlive) return A.undefined;
    if (item instanceof Cons || item === NIL) {
      const items = listToArray(item);
      if (!items) badarg();
      return listFromArray(items.map((i) => processInfoItem(p.vm, q, i)));
    }
    // A lone registered_name of an unregistered process is [] (not a tuple).
    if (item === AT.registered_name && !q.registeredName) return NIL;
    return processInfoItem(p.vm, q, item!);
  },
  "group_leader/0": (p) => p.groupLeader ?? p.pid,
  "group_leader/2": (p, gl, pid) => {
    if (!(gl instanceof Pid) || !(pid instanceof Pid)) badarg();
    const q = p.vm.processOf(pid);
    if (q) q.groupLeader = gl;
    return A.true;
  },
  "list_to_pid/1": (_p, l) => {
    const m = /^<(\d+)\.(\d+)\.(\d+)>$/.exec(listToString(l!) ?? "");
    if (m?.[1] !== "0") badarg();
    return new Pid(Number(m[2]), Number(m[3]));
  },
  "garbage_collect/0": () => A.true,
  "garbage_collect/1": (p, pid) => garbageCollect(p, pid!, NIL),
  "garbage_collect/2": (p, pid, o) => garbageCollect(p, pid!, o!),
  "suspend_process/1": () => A.true,
  "resume_process/1": () => A.true,
});

function monitor(p: Process, type: Term, target: Term): Term {
  if (type !== A.process) badarg();
  const vm = p.vm;
  if (target instanceof Pid) return addMonitor(vm, p, vm.processOf(target), target);
  if (target instanceof Atom) {
    return addMonitor(vm, p, vm.registered.get(target), [target, A.nonode]);
  }
  if (Array.isArray(target) && target.length === 2 && target[0] instanceof Atom) {
    return addMonitor(vm, p, vm.registered.get(target[0]), target);
  }
  return badarg();
}

function demonitor(p: Process, ref: Term, opts: Term): Term {
  if (!(ref instanceof Ref)) badarg();
  const list = listToArray(opts);
  if (list === null || list.some((o) => o !== AT.flush && o !== AT.info)) badarg();
  const flush = list.includes(AT.flush);
  const info = list.includes(AT.info);
  demonitorAlias(p.vm, ref);
  const rec = p.monitors?.get(ref.id);
  if (rec) {
    p.monitors?.delete(ref.id);
    rec.target?.monitoredBy?.delete(ref.id);
  }
  if (flush) {
    p.mailbox.removeWhere(
      (m) =>
        Array.isArray(m) &&
        m.length === 5 &&
        m[0] === A.DOWN &&
        m[1] instanceof Ref &&
        m[1].id === ref.id,
    );
  }
  return info ? bool(rec !== undefined) : A.true;
}

export { killProcess };
