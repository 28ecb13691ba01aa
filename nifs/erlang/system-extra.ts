/**
 * Runtime-introspection and legacy BIFs ordinary code still calls:
 * `statistics/1`, `memory/0,1`, dates and times, `now/0`, code loading,
 * and the no-distribution answers (`nodes/0`, `is_alive/0`).
 */

import { LoadError } from "../../loader/errors.ts";
import { loadBeam } from "../../loader/load.ts";
import { A, Atom, atom, bool } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { listFromArray, listToString } from "../../terms/list.ts";
import { NIL, Ref, type Term } from "../../terms/term.ts";
import {
  badarg,
  defineNatives,
  loadModule,
  type NativeModule,
  type Process,
} from "../../vm/index.ts";

const AT = {
  runtime: atom("runtime"),
  wall_clock: atom("wall_clock"),
  reductions: atom("reductions"),
  exact_reductions: atom("exact_reductions"),
  run_queue: atom("run_queue"),
  total_run_queue_lengths: atom("total_run_queue_lengths"),
  context_switches: atom("context_switches"),
  garbage_collection: atom("garbage_collection"),
  io: atom("io"),
  input: atom("input"),
  output: atom("output"),
  total: atom("total"),
  processes: atom("processes"),
  processes_used: atom("processes_used"),
  system: atom("system"),
  atom_: atom("atom"),
  atom_used: atom("atom_used"),
  binary: atom("binary"),
  code: atom("code"),
  ets: atom("ets"),
  module: atom("module"),
  badfile: atom("badfile"),
} as const;

/** Last readings, per VM, so `statistics(runtime)` can report "since last call". */
const lastReadings = new WeakMap<object, { runtime: number; wall: number; reds: number }>();

function readings(p: Process) {
  let r = lastReadings.get(p.vm);
  if (!r) {
    r = { runtime: 0, wall: 0, reds: 0 };
    lastReadings.set(p.vm, r);
  }
  return r;
}

function totalReductions(p: Process): number {
  let n = 0;
  for (const q of p.vm.processes.values()) n += q.reductions;
  return n;
}

function statistics(p: Process, what: Term): Term {
  const last = readings(p);
  switch (what) {
    case AT.runtime: {
      const now = Math.floor(performance.now());
      const r = [now, now - last.runtime];
      last.runtime = now;
      return r;
    }
    case AT.wall_clock: {
      const now = Math.floor(p.vm.clock.now());
      const r = [now, now - last.wall];
      last.wall = now;
      return r;
    }
    case AT.reductions:
    case AT.exact_reductions: {
      const now = totalReductions(p);
      const r = [now, now - last.reds];
      last.reds = now;
      return r;
    }
    case AT.run_queue:
    case AT.total_run_queue_lengths:
      return p.vm.hasRunnable ? 1 : 0;
    case AT.context_switches:
      return [0, 0];
    case AT.garbage_collection:
      return [0, 0, 0];
    case AT.io:
      return [
        [AT.input, 0],
        [AT.output, 0],
      ];
    default:
      return badarg();
  }
}

/** Rough figures: JS has one heap and no per-process accounting. */
function memory(p: Process): [Atom, number][] {
  const procs = p.vm.processes.size * 2_000;
  return [
    [AT.total, procs + 20_000_000],
    [AT.processes, procs],
    [AT.processes_used, procs],
    [AT.system, 20_000_000],
    [AT.atom_, 1_000_000],
    [AT.atom_used, 900_000],
    [AT.binary, 100_000],
    [AT.code, 10_000_000],
    [AT.ets, 100_000],
  ];
}

function date(ms: number, utc: boolean): [Term, Term] {
  const d = new Date(ms);
  if (utc) {
    return [
      [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()],
      [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()],
    ];
  }
  return [
    [d.getFullYear(), d.getMonth() + 1, d.getDate()],
    [d.getHours(), d.getMinutes(), d.getSeconds()],
  ];
}

/** `erlang:now/0` is strictly increasing per VM, like BEAM's. */
const lastNow = new WeakMap<object, number>();

function now(p: Process): Term {
  const prev = lastNow.get(p.vm) ?? 0;
  const us = Math.max(Math.floor(p.vm.clock.wallNow() * 1000), prev + 1);
  lastNow.set(p.vm, us);
  return [Math.floor(us / 1e12), Math.floor(us / 1e6) % 1e6, us % 1e6];
}

export const systemExtraNatives: NativeModule = defineNatives("erlang", {
  "statistics/1": (p, w) => statistics(p, w!),
  "memory/0": (p) => listFromArray(memory(p)),
  "memory/1": (p, k) => {
    const m = memory(p);
    const one = (x: Term) => m.find((e) => e[0] === x)?.[1] ?? badarg();
    if (k instanceof Atom) return one(k);
    return badarg();
  },
  "localtime/0": (p) => date(p.vm.clock.wallNow(), false),
  "universaltime/0": (p) => date(p.vm.clock.wallNow(), true),
  "date/0": (p) => date(p.vm.clock.wallNow(), false)[0],
  "time/0": (p) => date(p.vm.clock.wallNow(), false)[1],
  "now/0": (p) => now(p),
  "nodes/0": () => NIL,
  "nodes/1": () => NIL,
  "is_alive/0": () => A.false,
  "monitor_node/2": () => badarg(),
  "is_builtin/3": (p, m, f, a) => {
    if (!(m instanceof Atom) || !(f instanceof Atom) || typeof a !== "number") return badarg();
    return bool(p.vm.exports.get(m, f, a).native !== null);
  },
  "bump_reductions/1": (p, n) => {
    if (typeof n !== "number" || n < 1) return badarg();
    p.reds -= n;
    return A.true;
  },
  "send_nosuspend/2": (p, d, m) => {
    p.vm.exports.lookup("erlang", "send", 2).native!(p, d!, m!);
    return A.true;
  },
  "load_module/2": (p, m, bin) => {
    if (!(m instanceof Atom) || !(bin instanceof BitString) || !bin.isBinary) return badarg();
    try {
      const loaded = loadModule(p.vm, loadBeam(bin.bytes().slice(), `${m.name}.beam`));
      return [AT.module, loaded.name];
    } catch (e) {
      if (e instanceof LoadError) return [A.error, AT.badfile];
      throw e;
    }
  },
  // Loaded code is never freed (docs/vm.md): purging is a no-op that succeeds.
  "delete_module/1": (p, m) => bool(m instanceof Atom && p.vm.modules.has(m)),
  "purge_module/1": () => A.true,
  "check_process_code/2": () => A.false,
  "list_to_ref/1": (_p, l) => {
    const m = /^#Ref<0\.(\d+)\.(\d+)\.(\d+)>$/.exec(listToString(l!) ?? "");
    if (!m) return badarg();
    return new Ref((BigInt(m[1]!) << 50n) | (BigInt(m[2]!) << 18n) | BigInt(m[3]!));
  },
});
